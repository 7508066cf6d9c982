//! Helpers: a temp folder per test, tiny KDF parameters, quick vaults.

use std::path::{Path, PathBuf};

use fieldvault_vault::{Access, KdfParams, Passphrase, Unlock, Vault};

/// Tiny Argon2 parameters: tests share 2 cores with other work. Never the
/// defaults, which are tested separately (and only their values).
pub const TINY: KdfParams = KdfParams {
    memory_mib: 8,
    iterations: 1,
    parallelism: 1,
};

pub const PASS: &str = "correct horse battery staple";

pub struct TestDir {
    pub dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::Builder::new()
                .prefix("fv-test-")
                .tempdir()
                .unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn vault_path(&self) -> PathBuf {
        self.path("study.fieldvault")
    }

    /// Names of the files in the folder (sorted), not recursing.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

/// Copies the key file of the vault at `from` beside the vault at `to`
/// (a copy of a vault opens with the passphrase only with its key file).
pub fn copy_key_file(from: &Path, to: &Path) {
    std::fs::copy(
        fieldvault_vault::key_file_path(from),
        fieldvault_vault::key_file_path(to),
    )
    .unwrap();
}

pub fn pass() -> Passphrase {
    Passphrase::new(PASS.to_string()).unwrap()
}

pub fn unlock() -> Unlock {
    Unlock::Passphrase(pass())
}

/// The crash and concurrency tests' child process (`tests/support/child.rs`),
/// given the tests' passphrase.
pub fn child_process() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_fieldvault-vault-test-child"));
    c.env("FIELDVAULT_TEST_PASSPHRASE", PASS);
    c
}

pub fn write_access() -> Access {
    Access::Write { wait: None }
}

/// A new vault with a `note` table holding `rows`.
pub fn vault_with_notes(path: &Path, rows: &[&str]) -> Vault {
    let mut v = Vault::create(path, &pass(), TINY).unwrap();
    v.connection()
        .execute_batch("CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .unwrap();
    for r in rows {
        v.connection()
            .execute("INSERT INTO note(body) VALUES (?1)", [r])
            .unwrap();
    }
    v.commit().unwrap();
    v
}

pub fn notes(v: &Vault) -> Vec<String> {
    let mut stmt = v
        .connection()
        .prepare("SELECT body FROM note ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A new age X25519 key pair: (identity string, recipient string).
pub fn keypair() -> (String, String) {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    (
        id.to_string().expose_secret().to_string(),
        id.to_public().to_string(),
    )
}

pub fn identity_unlock(identity: &str) -> Unlock {
    Unlock::Identity(
        fieldvault_vault::IdentityFile::parse(identity, Path::new("test.key")).unwrap(),
    )
}

/// A vault file taken apart as docs/format.md describes, with standard
/// primitives only (no fieldvault code): used to recover a master identity
/// from a copy of the file the way an adversary (or a teammate who kept
/// it) would.
pub struct Parts {
    pub salt: String,
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
    /// (id, kind, armored age file)
    pub slots: Vec<(String, String, String)>,
    pub slot_info: String,
    /// Header bytes the MAC covers (through the payload line).
    pub mac_covered: Vec<u8>,
    pub mac: String,
    pub payload: Vec<u8>,
}

pub fn split_vault(bytes: &[u8]) -> Parts {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.split_inclusive('\n');
    let mut pos = 0usize;
    let mut next = || {
        let l = lines.next().unwrap();
        pos += l.len();
        (l.trim_end_matches('\n').to_string(), pos)
    };
    let magic = next().0;
    assert!(
        magic == "fieldvault-vault v2" || magic == "fieldvault-vault v1",
        "{magic}"
    );
    let kdf = next().0;
    let field = |k: &str| {
        kdf.split(' ')
            .find_map(|f| f.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_string()
    };
    let (m_kib, t, p, salt) = (
        field("m").parse().unwrap(),
        field("t").parse().unwrap(),
        field("p").parse().unwrap(),
        field("salt"),
    );
    let mut slots = Vec::new();
    let mut slot_info = None;
    let read_armor = |next: &mut dyn FnMut() -> (String, usize)| {
        let mut s = String::new();
        loop {
            let (l, _) = next();
            s.push_str(&l);
            s.push('\n');
            if l.starts_with("-----END") {
                return s;
            }
        }
    };
    let (payload_len, mac_covered_len) = loop {
        let (l, at) = next();
        if l.starts_with("keyfile: ") {
            continue;
        } else if let Some(rest) = l.strip_prefix("slot: ") {
            let (id, kind) = rest.split_once(' ').unwrap();
            let armor = read_armor(&mut next);
            slots.push((id.to_string(), kind.to_string(), armor));
        } else if l == "slot-info:" {
            slot_info = Some(read_armor(&mut next));
        } else if let Some(rest) = l.strip_prefix("payload: ") {
            break (
                rest.split(' ').next().unwrap().parse::<usize>().unwrap(),
                at,
            );
        } else {
            panic!("unexpected header line {l:?}");
        }
    };
    let (mac_line, header_len) = next();
    let mac = mac_line
        .strip_prefix("mac: hmac-sha256=")
        .unwrap()
        .to_string();
    assert_eq!(bytes.len(), header_len + payload_len);
    Parts {
        salt,
        m_kib,
        t,
        p,
        slots,
        slot_info: slot_info.unwrap(),
        mac_covered: bytes[..mac_covered_len].to_vec(),
        mac,
        payload: bytes[header_len..].to_vec(),
    }
}

/// docs/format.md step 2a: Argon2id(passphrase, ASCII salt), bound to the
/// secret in the key file `<vault>.key` beside `vault_path` when the
/// header has a `keyfile:` line (AF-merge of the named area, then
/// HMAC-SHA256), -> bech32 AGE-SECRET-KEY -> decrypt the passphrase slot
/// -> the master identity. `bytes` is the vault file (possibly an older
/// copy of it); the key file is read as it is on disk now.
pub fn master_from_passphrase(
    bytes: &[u8],
    vault_path: &Path,
    passphrase: &str,
) -> age::x25519::Identity {
    use hmac::{Hmac, Mac};
    let parts = split_vault(bytes);
    let params = argon2::Params::new(parts.m_kib, parts.t, parts.p, Some(32)).unwrap();
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut k = [0u8; 32];
    argon
        .hash_password_into(passphrase.as_bytes(), parts.salt.as_bytes(), &mut k)
        .unwrap();
    if let Some(line) = String::from_utf8_lossy(bytes)
        .lines()
        .take_while(|l| !l.starts_with("slot: "))
        .find_map(|l| l.strip_prefix("keyfile: ").map(str::to_string))
    {
        let field = |name: &str| {
            line.split(' ')
                .find_map(|f| f.strip_prefix(name))
                .unwrap()
                .to_string()
        };
        let area: usize = field("area=").parse().unwrap();
        let kf = std::fs::read(fieldvault_vault::key_file_path(vault_path)).unwrap();
        assert_eq!(kf.len(), 64 + 2 * 128_000);
        assert!(kf.starts_with(format!("fieldvault-keyfile v1\nid: {}\n", field("id=")).as_bytes()));
        let stripes = &kf[64 + area * 128_000..64 + (area + 1) * 128_000];
        let mut d = [0u8; 32];
        for stripe in stripes[..128_000 - 32].chunks(32) {
            for (a, b) in d.iter_mut().zip(stripe) {
                *a ^= b;
            }
            let mut h = <sha2::Sha256 as sha2::Digest>::new();
            sha2::Digest::update(&mut h, [0u8; 4]);
            sha2::Digest::update(&mut h, d);
            d = sha2::Digest::finalize(h).into();
        }
        for (a, b) in d.iter_mut().zip(&stripes[128_000 - 32..]) {
            *a ^= b;
        }
        let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&k).unwrap();
        m.update(b"fieldvault-vault v2 passphrase slot");
        m.update(&d);
        k = m.finalize().into_bytes().into();
    }
    let hrp = bech32::Hrp::parse("age-secret-key-").unwrap();
    let s = bech32::encode_upper::<bech32::Bech32>(hrp, &k).unwrap();
    let pid: age::x25519::Identity = s.parse().unwrap();
    let (_, _, armor) = parts
        .slots
        .iter()
        .find(|s| s.1 == "passphrase")
        .expect("a passphrase slot");
    let master = age::decrypt(&pid, armor.as_bytes()).expect("the passphrase opens its slot");
    String::from_utf8(master)
        .unwrap()
        .trim_end()
        .parse()
        .unwrap()
}

/// docs/format.md step 2b: a teammate's identity opens their recipient slot.
pub fn master_from_teammate(bytes: &[u8], identity: &str) -> Option<age::x25519::Identity> {
    let id: age::x25519::Identity = identity.parse().unwrap();
    split_vault(bytes)
        .slots
        .iter()
        .filter(|s| s.1 == "recipient")
        .find_map(|s| age::decrypt(&id, s.2.as_bytes()).ok())
        .map(|m| String::from_utf8(m).unwrap().trim_end().parse().unwrap())
}

/// The docs/format.md header MAC check with a given master identity.
pub fn mac_verifies(bytes: &[u8], master: &age::x25519::Identity) -> bool {
    use age::secrecy::ExposeSecret;
    use hmac::{Hmac, Mac};
    let parts = split_vault(bytes);
    let s = master.to_string();
    let (_, secret) = bech32::decode(s.expose_secret()).unwrap();
    let mut k = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&secret).unwrap();
    k.update(b"fieldvault-vault v1 header mac");
    let k = k.finalize().into_bytes();
    let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&k).unwrap();
    m.update(&parts.mac_covered);
    hex::encode(m.finalize().into_bytes()) == parts.mac
}

/// The same identity (compared by public key).
pub fn same_identity(a: &age::x25519::Identity, b: &age::x25519::Identity) -> bool {
    a.to_public().to_string() == b.to_public().to_string()
}

/// Attachment file names in `dir`, sorted.
pub fn dir_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}
