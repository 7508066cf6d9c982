//! Create, commit, open, reopen: the basic life of a vault.

use fieldvault_vault::{header_info, Access, SlotKind, Vault, VaultError};

use crate::util::*;

#[test]
fn create_commit_open() {
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["first", "second"]);
    assert_eq!(v.kdf_params(), TINY);
    assert_eq!(v.path(), p);
    drop(v);
    let v = Vault::open(&p, &unlock(), Access::Read).unwrap();
    assert_eq!(notes(&v), ["first", "second"]);
    v.integrity_check().unwrap();
    assert!(!v.is_writable());
}

#[test]
fn empty_vault_opens() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(Vault::create(&p, &pass(), TINY).unwrap());
    let v = Vault::open(&p, &unlock(), Access::Read).unwrap();
    v.integrity_check().unwrap();
    let n: i64 = v
        .connection()
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn pragmas_are_safe() {
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["x"]);
    let c = v.connection();
    let ts: i64 = c.query_row("PRAGMA temp_store", [], |r| r.get(0)).unwrap();
    let sd: i64 = c
        .query_row("PRAGMA secure_delete", [], |r| r.get(0))
        .unwrap();
    let jm: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!((ts, sd, jm.as_str()), (2, 1, "memory"));
    drop(v);
    let v = Vault::open(&p, &unlock(), Access::Read).unwrap();
    let c = v.connection();
    let ts: i64 = c.query_row("PRAGMA temp_store", [], |r| r.get(0)).unwrap();
    let sd: i64 = c
        .query_row("PRAGMA secure_delete", [], |r| r.get(0))
        .unwrap();
    let jm: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!((ts, sd, jm.as_str()), (2, 1, "memory"));
}

#[test]
fn read_access_cannot_commit() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(vault_with_notes(&p, &["x"]));
    let before = std::fs::read(&p).unwrap();
    let mut v = Vault::open(&p, &unlock(), Access::Read).unwrap();
    v.connection()
        .execute("INSERT INTO note(body) VALUES ('y')", [])
        .unwrap();
    assert!(matches!(v.commit(), Err(VaultError::ReadOnly)));
    assert!(matches!(
        v.add_recipient(&keypair().1, "x"),
        Err(VaultError::ReadOnly)
    ));
    assert!(matches!(v.put_attachment(b"x"), Err(VaultError::ReadOnly)));
    assert_eq!(std::fs::read(&p).unwrap(), before);
}

/// Unix permissions (on Windows the folder's ACL decides; see SECURITY.md).
#[cfg(unix)]
#[test]
fn files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["x"]);
    let id = v.put_attachment(b"audio").unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&p), 0o600);
    assert_eq!(mode(&fieldvault_vault::lock_path(&p)), 0o600);
    assert_eq!(mode(&v.attachment_dir()), 0o700);
    assert_eq!(mode(&v.attachment_dir().join(format!("{id}.age"))), 0o600);
}

#[test]
fn header_info_without_passphrase() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(vault_with_notes(&p, &["x"]));
    let h = header_info(&p).unwrap();
    assert_eq!(h.format_version, 2);
    assert_eq!(h.kdf, TINY);
    assert_eq!(h.slots.len(), 1);
    assert_eq!(h.slots[0].kind, SlotKind::Passphrase);
    assert_eq!(h.header_size + h.payload_size, h.file_size);
    assert_eq!(h.file_size, std::fs::metadata(&p).unwrap().len());
}

#[test]
fn reload_sees_other_commits() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(vault_with_notes(&p, &["a"]));
    let mut reader = Vault::open(&p, &unlock(), Access::Read).unwrap();
    let mut w = Vault::open(&p, &unlock(), write_access()).unwrap();
    w.connection()
        .execute("INSERT INTO note(body) VALUES ('b')", [])
        .unwrap();
    w.commit().unwrap();
    assert_eq!(notes(&reader), ["a"]);
    reader.reload().unwrap();
    assert_eq!(notes(&reader), ["a", "b"]);
}

#[test]
fn no_temp_files_left_after_commits() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["a"]);
    for i in 0..5 {
        v.connection()
            .execute("INSERT INTO note(body) VALUES (?1)", [i.to_string()])
            .unwrap();
        v.commit().unwrap();
    }
    assert_eq!(
        t.names(),
        [
            "study.fieldvault",
            "study.fieldvault.key",
            "study.fieldvault.lock"
        ]
    );
}

#[test]
fn default_kdf_is_strong() {
    let d = fieldvault_vault::KdfParams::default();
    assert!(d.memory_mib >= 256 && d.iterations >= 3 && d.parallelism == 1);
}
