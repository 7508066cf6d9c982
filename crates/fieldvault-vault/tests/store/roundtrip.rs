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

/// Every file the vault writes (the vault, its key file, lock, attachment
/// folder and attachments, backups) only the user can open: 0600/0700 on
/// Unix, an owner-only DACL on Windows, read back from the system.
#[test]
fn files_are_private() {
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["x"]);
    let id = v.put_attachment(b"audio").unwrap();
    let backup = t.path("backup.age");
    v.backup(
        &backup,
        fieldvault_vault::BackupTo::Recipients(vec![keypair().1]),
    )
    .unwrap();
    let attachment = v.attachment_dir().join(format!("{id}.age"));
    let files = [
        p.clone(),
        fieldvault_vault::key_file_path(&p),
        fieldvault_vault::lock_path(&p),
        v.attachment_dir(),
        attachment.clone(),
        backup.clone(),
    ];
    for f in &files {
        assert!(
            fieldvault_vault::is_private(f).unwrap(),
            "{} is open to others",
            f.display()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), 0o600);
        assert_eq!(mode(&fieldvault_vault::lock_path(&p)), 0o600);
        assert_eq!(mode(&v.attachment_dir()), 0o700);
        assert_eq!(mode(&attachment), 0o600);
        assert_eq!(mode(&backup), 0o600);
    }
}

/// The check above can fail: a file made the ordinary way (inheriting the
/// folder's ACL on Windows, 0644 on Unix) is not private.
#[test]
fn an_ordinary_file_is_not_private() {
    let t = TestDir::new();
    let f = t.path("ordinary.txt");
    std::fs::write(&f, "x").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    assert!(!fieldvault_vault::is_private(&f).unwrap());
    let g = t.path("private.txt");
    drop(fieldvault_vault::create_private_file(&g).unwrap());
    assert!(fieldvault_vault::is_private(&g).unwrap());
    assert_eq!(
        fieldvault_vault::create_private_file(&g)
            .unwrap_err()
            .kind(),
        std::io::ErrorKind::AlreadyExists
    );
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

/// Temp files of a killed commit are removed by the next writer open and
/// reported; a reader removes and reports nothing.
#[test]
fn leftovers_of_killed_writes_are_removed_and_reported() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(vault_with_notes(&p, &["x"]));
    let stray = t.path(".study.fieldvault.tmp-0011223344556677");
    std::fs::write(&stray, b"half a vault").unwrap();
    let v = Vault::open(&p, &unlock(), Access::Read).unwrap();
    assert!(v.removed_leftovers().is_empty());
    assert!(stray.exists());
    drop(v);
    let v = Vault::open(&p, &unlock(), write_access()).unwrap();
    assert_eq!(v.removed_leftovers(), std::slice::from_ref(&stray));
    assert!(!stray.exists());
}
