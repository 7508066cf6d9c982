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

pub fn pass() -> Passphrase {
    Passphrase::new(PASS.to_string()).unwrap()
}

pub fn unlock() -> Unlock {
    Unlock::Passphrase(pass())
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
