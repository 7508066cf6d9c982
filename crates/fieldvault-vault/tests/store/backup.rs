//! Backups are standard age files that independent readers decrypt.

use std::io::Read;
use std::str::FromStr;

use fieldvault_vault::{BackupTo, Passphrase, VaultError};

use crate::util::*;

/// Decrypts with the age crate alone (no fieldvault code) and loads the
/// bytes into a fresh SQLite connection.
fn rows_from_image(image: Vec<u8>) -> Vec<String> {
    let mut c = rusqlite::Connection::open_in_memory().unwrap();
    let n = image.len();
    c.deserialize_read_exact(rusqlite::MAIN_DB, &image[..], n, true)
        .unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let mut s = c.prepare("SELECT body FROM note ORDER BY id").unwrap();
    s.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn backup_to_recipients_decrypts_with_age_crate() {
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["one", "two"]);
    let (id1, r1) = keypair();
    let (id2, r2) = keypair();
    let out = t.path("backup.age");
    let info = v
        .backup(&out, BackupTo::Recipients(vec![r1.clone(), r2.clone()]))
        .unwrap();
    assert_eq!(info.recipients, [r1, r2]);
    assert!(!info.passphrase);
    assert_eq!(info.size, std::fs::metadata(&out).unwrap().len());
    let file = std::fs::read(&out).unwrap();
    assert!(file.starts_with(b"age-encryption.org/v1\n"));
    for id in [id1, id2] {
        let identity = age::x25519::Identity::from_str(&id).unwrap();
        let image = age::decrypt(&identity, &file).unwrap();
        assert_eq!(rows_from_image(image), ["one", "two"]);
    }
}

#[test]
fn backup_to_passphrase_uses_age_scrypt() {
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["only"]);
    let out = t.path("backup.age");
    let bp = "backup passphrase";
    let info = v
        .backup(
            &out,
            BackupTo::Passphrase(Passphrase::new(bp.into()).unwrap()),
        )
        .unwrap();
    assert!(info.passphrase);
    let file = std::fs::read(&out).unwrap();
    let dec = age::Decryptor::new(&file[..]).unwrap();
    assert!(dec.is_scrypt());
    let identity = age::scrypt::Identity::new(bp.to_string().into());
    let mut r = dec
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .unwrap();
    let mut image = Vec::new();
    r.read_to_end(&mut image).unwrap();
    assert_eq!(rows_from_image(image), ["only"]);
}

#[test]
fn backup_refuses_to_overwrite() {
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["x"]);
    let out = t.path("backup.age");
    std::fs::write(&out, b"precious").unwrap();
    let r = v.backup(&out, BackupTo::Recipients(vec![keypair().1]));
    assert!(matches!(r, Err(VaultError::AlreadyExists { .. })));
    assert_eq!(std::fs::read(&out).unwrap(), b"precious");
    assert!(matches!(
        v.backup(&t.path("b2.age"), BackupTo::Recipients(vec![])),
        Err(VaultError::InvalidRecipient { .. })
    ));
    assert!(matches!(
        v.backup(
            &t.path("b3.age"),
            BackupTo::Recipients(vec!["age1nope".into()])
        ),
        Err(VaultError::InvalidRecipient { .. })
    ));
    assert!(!t.path("b2.age").exists() && !t.path("b3.age").exists());
    // Nothing but the vault, its lock and the untouched file.
    assert_eq!(
        t.names(),
        [
            "backup.age",
            "study.fieldvault",
            "study.fieldvault.key",
            "study.fieldvault.lock"
        ]
    );
}

/// The real `age` command, when installed, decrypts a backup too.
#[test]
fn backup_decrypts_with_age_cli_if_installed() {
    let Ok(out) = std::process::Command::new("age").arg("--version").output() else {
        eprintln!("age CLI not installed; skipped");
        return;
    };
    if !out.status.success() {
        return;
    }
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["cli"]);
    let (id, r) = keypair();
    let b = t.path("backup.age");
    v.backup(&b, BackupTo::Recipients(vec![r])).unwrap();
    let key = t.path("id.key");
    std::fs::write(&key, format!("{id}\n")).unwrap();
    let out = std::process::Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key)
        .arg(&b)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(rows_from_image(out.stdout), ["cli"]);
}
