//! Regenerates the test vectors in tests/vectors/ (run from the crate
//! folder): `cargo run -p fieldvault-vault --example gen_vectors -- tests/vectors`
//!
//! Each vector is one file: `key: value` lines (name, expect, passphrase or
//! identity, optional sql and rows), a line `--- vault`, then the raw vault
//! bytes. `expect` is `ok` or the `VaultError::code()` of the refusal.
//! The vaults use tiny Argon2 parameters (8 MiB, 1 pass) so the tests are
//! fast; never use such parameters for real data.

use std::path::{Path, PathBuf};

use age::secrecy::ExposeSecret;
use fieldvault_vault::{destroy, KdfParams, Passphrase, Vault};

const PASS: &str = "correct horse battery staple";
const SQL: &str = "SELECT group_concat(body, '|') FROM (SELECT body FROM note ORDER BY id)";
const ROWS: &str = "hello field|Жанар Сапарова, Алматы|Respondent 26";

struct Gen {
    dir: PathBuf,
    work: tempfile::TempDir,
}

impl Gen {
    fn write(&self, name: &str, expect: &str, unlock: &str, with_rows: bool, vault: &[u8]) {
        let mut head = format!("# fieldvault-vault test vector (see examples/gen_vectors.rs)\nname: {name}\nexpect: {expect}\n{unlock}\n");
        if with_rows {
            head.push_str(&format!("sql: {SQL}\nrows: {ROWS}\n"));
        }
        head.push_str("--- vault\n");
        let mut b = head.into_bytes();
        b.extend_from_slice(vault);
        std::fs::write(self.dir.join(format!("{name}.vec")), b).unwrap();
    }

    fn tmp(&self, name: &str) -> PathBuf {
        self.work.path().join(name)
    }
}

fn replace(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let pos = bytes
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .unwrap_or_else(|| panic!("{from} not found"));
    let mut out = bytes[..pos].to_vec();
    out.extend_from_slice(to.as_bytes());
    out.extend_from_slice(&bytes[pos + from.len()..]);
    out
}

fn line_starting(bytes: &[u8], prefix: &str) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap()
        .to_string()
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: gen_vectors DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let g = Gen {
        dir,
        work: tempfile::tempdir().unwrap(),
    };
    let kdf = KdfParams {
        memory_mib: 8,
        iterations: 1,
        parallelism: 1,
    };
    let pass = Passphrase::new(PASS.into()).unwrap();
    let team = age::x25519::Identity::generate();
    let team_key = team.to_string().expose_secret().to_string();
    let other_key = age::x25519::Identity::generate()
        .to_string()
        .expose_secret()
        .to_string();

    // The good vault: passphrase slot 1, teammate slot 2, three rows.
    let p = g.tmp("good.fieldvault");
    let mut v = Vault::create(&p, &pass, kdf).unwrap();
    v.connection()
        .execute_batch("CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .unwrap();
    for r in ROWS.split('|') {
        v.connection()
            .execute("INSERT INTO note(body) VALUES (?1)", [r])
            .unwrap();
    }
    v.commit().unwrap();
    v.add_recipient(&team.to_public().to_string(), "teammate")
        .unwrap();
    drop(v);
    let good = std::fs::read(&p).unwrap();
    let header_len = fieldvault_vault::header_info(&p).unwrap().header_size as usize;
    let pw = format!("passphrase: {PASS}");
    let id = format!("identity: {team_key}");

    g.write("good-passphrase", "ok", &pw, true, &good);
    g.write("good-identity", "ok", &id, true, &good);
    g.write(
        "wrong-passphrase",
        "wrong-passphrase",
        "passphrase: correct horse battery stapler",
        false,
        &good,
    );
    g.write(
        "wrong-identity",
        "wrong-identity",
        &format!("identity: {other_key}"),
        false,
        &good,
    );

    // Tampering.
    let text = String::from_utf8_lossy(&good[..header_len]).into_owned();
    let flip_at = |b: &[u8], i: usize| {
        let mut b = b.to_vec();
        b[i] = if b[i].is_ascii_alphabetic() {
            b[i] ^ 0x20
        } else if b[i] == b'0' {
            b'1'
        } else {
            b'0'
        };
        b
    };
    let slot2 = text.find("slot: 2 recipient\n").unwrap() + 18 + 80;
    g.write(
        "tampered-unused-slot",
        "header-tampered",
        &pw,
        false,
        &flip_at(&good, slot2),
    );
    let slot1 = text.find("slot: 1 passphrase\n").unwrap() + 19 + 80;
    g.write(
        "tampered-passphrase-slot",
        "wrong-passphrase",
        &pw,
        false,
        &flip_at(&good, slot1),
    );
    let salt = text.find("salt=").unwrap() + 5;
    g.write(
        "tampered-salt",
        "wrong-passphrase",
        &pw,
        false,
        &flip_at(&good, salt),
    );
    let info = text.find("slot-info:\n").unwrap() + 11 + 100;
    g.write(
        "tampered-slot-info",
        "header-tampered",
        &pw,
        false,
        &flip_at(&good, info),
    );
    let mac = text.find("mac: hmac-sha256=").unwrap() + 17;
    let mut bad_mac = good.clone();
    bad_mac[mac] = match bad_mac[mac] {
        b'f' => b'0',
        b'9' => b'a',
        c => c + 1,
    };
    g.write("tampered-mac", "header-tampered", &pw, false, &bad_mac);
    let pl = text.find("sha256=").unwrap() + 7;
    g.write(
        "tampered-payload-hash",
        "damaged",
        &pw,
        false,
        &flip_at(&good, pl),
    );
    let mid = header_len + (good.len() - header_len) / 2;
    g.write(
        "tampered-payload",
        "damaged",
        &pw,
        false,
        &flip_at(&good, mid),
    );

    // Oversized or undersized KDF parameters: refused before deriving.
    let kdf_line = line_starting(&good, "kdf: ");
    let with_kdf = |m: &str, t: &str| {
        replace(
            &good,
            &kdf_line,
            &kdf_line.replace("m=8192", m).replace("t=1", t),
        )
    };
    g.write(
        "kdf-memory-64gib",
        "kdf-out-of-range",
        &pw,
        false,
        &with_kdf("m=67108864", "t=1"),
    );
    g.write(
        "kdf-iterations-huge",
        "kdf-out-of-range",
        &pw,
        false,
        &with_kdf("m=8192", "t=4000000000"),
    );
    g.write(
        "kdf-total-work",
        "kdf-out-of-range",
        &pw,
        false,
        &with_kdf("m=4194304", "t=64"),
    );
    let short_salt = {
        let s = kdf_line.split("salt=").nth(1).unwrap();
        replace(&good, &kdf_line, &kdf_line.replace(s, "00ff"))
    };
    g.write(
        "kdf-salt-too-short",
        "kdf-out-of-range",
        &pw,
        false,
        &short_salt,
    );

    // Truncation.
    g.write("truncated-empty", "damaged", &pw, false, b"");
    g.write("truncated-magic", "damaged", &pw, false, &good[..10]);
    g.write("truncated-in-slot", "damaged", &pw, false, &good[..slot1]);
    g.write(
        "truncated-at-payload",
        "damaged",
        &pw,
        false,
        &good[..header_len],
    );
    g.write(
        "truncated-payload",
        "damaged",
        &pw,
        false,
        &good[..good.len() - 100],
    );

    // Versions and other files.
    g.write(
        "newer-version",
        "newer-format",
        &pw,
        false,
        &replace(&good, "fieldvault-vault v2\n", "fieldvault-vault v3\n"),
    );
    g.write(
        "not-a-vault",
        "not-a-vault",
        &pw,
        false,
        b"PK\x03\x04 a zip file, not a vault",
    );

    // Destroyed.
    let d = g.tmp("destroyed.fieldvault");
    std::fs::write(&d, &good).unwrap();
    destroy(&d).unwrap();
    g.write(
        "destroyed",
        "destroyed",
        &pw,
        false,
        &std::fs::read(&d).unwrap(),
    );

    // A vault whose passphrase slot was removed.
    let q = g.tmp("teamonly.fieldvault");
    std::fs::write(&q, &good).unwrap();
    let mut v = Vault::open(
        &q,
        &fieldvault_vault::Unlock::Passphrase(Passphrase::new(PASS.into()).unwrap()),
        fieldvault_vault::Access::Write { wait: None },
    )
    .unwrap();
    v.remove_slot("1").unwrap();
    drop(v);
    g.write(
        "no-passphrase-slot",
        "no-passphrase-slot",
        &pw,
        false,
        &std::fs::read(&q).unwrap(),
    );
    g.write(
        "team-only-identity",
        "ok",
        &id,
        true,
        &std::fs::read(&q).unwrap(),
    );
    let _ = Path::new("");
}
