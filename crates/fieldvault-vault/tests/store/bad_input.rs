//! Bad input: each case gives its own one-line error and changes nothing.

use fieldvault_vault::{header_info, Access, KdfParams, Passphrase, Vault, VaultError};

use crate::util::*;

fn one_line(e: &VaultError) -> String {
    let s = e.to_string();
    assert!(!s.contains('\n'), "multi-line error: {s}");
    assert!(!s.contains(PASS), "error shows the passphrase");
    s
}

#[test]
fn wrong_passphrase() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(vault_with_notes(&p, &["x"]));
    let before = std::fs::read(&p).unwrap();
    for access in [Access::Read, write_access()] {
        let u = fieldvault_vault::Unlock::Passphrase(Passphrase::new("wrong".into()).unwrap());
        let e = Vault::open(&p, &u, access).unwrap_err();
        assert!(matches!(e, VaultError::WrongPassphrase));
        assert_eq!(
            one_line(&e),
            "wrong passphrase, or the vault's key slots were altered"
        );
    }
    assert_eq!(std::fs::read(&p).unwrap(), before);
    // A failed write-open released the lock.
    Vault::open(&p, &unlock(), write_access()).unwrap();
}

#[test]
fn truncated_anywhere() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(vault_with_notes(&p, &["x"; 50]));
    let full = std::fs::read(&p).unwrap();
    let header = header_info(&p).unwrap().header_size as usize;
    let copy = t.path("cut.fieldvault");
    copy_key_file(&p, &copy);
    let mut cuts: Vec<usize> = (0..full.len()).step_by(37).collect();
    cuts.extend([
        1,
        15,
        19,
        20,
        21,
        header - 1,
        header,
        header + 1,
        full.len() - 1,
    ]);
    for cut in cuts {
        std::fs::write(&copy, &full[..cut]).unwrap();
        let e = Vault::open(&copy, &unlock(), Access::Read).unwrap_err();
        assert!(
            matches!(e, VaultError::Damaged { .. }),
            "cut at {cut}: {e:?}"
        );
        assert!(one_line(&e).contains("truncated or damaged"));
        assert_eq!(std::fs::read(&copy).unwrap(), &full[..cut]);
    }
}

#[test]
fn newer_format_version() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(vault_with_notes(&p, &["x"]));
    let mut b = std::fs::read(&p).unwrap();
    assert_eq!(&b[..20], b"fieldvault-vault v2\n");
    b[18] = b'3';
    std::fs::write(&p, &b).unwrap();
    let e = Vault::open(&p, &unlock(), Access::Read).unwrap_err();
    assert_eq!(
        one_line(&e),
        "this vault was made by a newer fieldvault (format 3; this version reads 2)"
    );
    assert!(matches!(
        header_info(&p),
        Err(VaultError::NewerFormat { found: 3, .. })
    ));
    assert_eq!(std::fs::read(&p).unwrap(), b);
}

#[test]
fn missing_and_not_a_vault() {
    let t = TestDir::new();
    let missing = t.path("nope.fieldvault");
    let e = Vault::open(&missing, &unlock(), write_access()).unwrap_err();
    assert!(matches!(e, VaultError::NotFound { .. }));
    assert_eq!(one_line(&e), format!("no vault at {}", missing.display()));
    // No stray lock file for a vault that does not exist.
    assert!(t.names().is_empty());

    let e = Vault::open(t.dir.path(), &unlock(), Access::Read).unwrap_err();
    assert!(matches!(e, VaultError::NotAVault { .. }), "{e:?}");

    let other = t.path("notes.txt");
    std::fs::write(&other, "just some notes\n").unwrap();
    let e = Vault::open(&other, &unlock(), Access::Read).unwrap_err();
    assert!(matches!(e, VaultError::NotAVault { .. }), "{e:?}");
    assert_eq!(std::fs::read(&other).unwrap(), b"just some notes\n");
}

/// A vault path that cannot be read (here: a path through a regular file,
/// which fails the same way for root as for anyone, unlike a chmod) gives
/// the file-system error in one line and changes nothing. Windows reports
/// this path as missing, hence Unix only; the wording of each error kind,
/// permission denied included, is checked in the crate's error module.
#[cfg(unix)]
#[test]
fn unreadable_vault() {
    let t = TestDir::new();
    let notes = t.path("notes.txt");
    std::fs::write(&notes, "just some notes\n").unwrap();
    let p = notes.join("study.fieldvault");
    for access in [Access::Read, write_access()] {
        let e = Vault::open(&p, &unlock(), access).unwrap_err();
        assert!(
            matches!(
                e,
                VaultError::Io {
                    kind: std::io::ErrorKind::NotADirectory,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            one_line(&e),
            format!(
                "cannot read {}: a part of the path is not a folder",
                p.display()
            )
        );
    }
    assert_eq!(std::fs::read(&notes).unwrap(), b"just some notes\n");
    assert_eq!(t.names(), ["notes.txt"]);
}

#[test]
fn create_refuses_existing_file() {
    let t = TestDir::new();
    let p = t.vault_path();
    std::fs::write(&p, b"something precious").unwrap();
    let e = Vault::create(&p, &pass(), TINY).unwrap_err();
    assert!(matches!(e, VaultError::AlreadyExists { .. }));
    assert_eq!(
        one_line(&e),
        format!("a file already exists at {}", p.display())
    );
    assert_eq!(std::fs::read(&p).unwrap(), b"something precious");
    assert_eq!(t.names(), ["study.fieldvault"]);
}

#[test]
fn create_in_missing_folder() {
    let t = TestDir::new();
    let p = t.path("no/such/folder/v.fieldvault");
    let e = Vault::create(&p, &pass(), TINY).unwrap_err();
    assert!(matches!(e, VaultError::Io { .. }), "{e:?}");
    one_line(&e);
}

#[test]
fn empty_passphrase() {
    let e = Passphrase::new(String::new()).unwrap_err();
    assert!(matches!(e, VaultError::EmptyPassphrase));
    assert_eq!(one_line(&e), "the passphrase is empty");
}

#[test]
fn kdf_out_of_range_at_create() {
    let t = TestDir::new();
    let p = t.vault_path();
    for kdf in [
        KdfParams {
            memory_mib: 1,
            ..TINY
        },
        KdfParams {
            memory_mib: 65536,
            ..TINY
        },
        KdfParams {
            iterations: 1000,
            ..TINY
        },
        KdfParams {
            parallelism: 0,
            ..TINY
        },
        KdfParams {
            memory_mib: 4096,
            iterations: 64,
            parallelism: 1,
        },
    ] {
        let e = Vault::create(&p, &pass(), kdf).unwrap_err();
        assert!(matches!(e, VaultError::KdfOutOfRange { .. }), "{kdf:?}");
        one_line(&e);
    }
    assert!(t.names().is_empty());
}

#[test]
fn in_use() {
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["x"]);
    let e = Vault::open(&p, &unlock(), write_access()).unwrap_err();
    assert!(matches!(e, VaultError::InUse));
    assert_eq!(
        one_line(&e),
        "the vault is in use by another fieldvault process"
    );
    // Waiting a little still fails while the holder keeps it...
    let e = Vault::open(
        &p,
        &unlock(),
        fieldvault_vault::Access::Write {
            wait: Some(std::time::Duration::from_millis(100)),
        },
    )
    .unwrap_err();
    assert!(matches!(e, VaultError::InUse));
    // ...readers are never blocked...
    Vault::open(&p, &unlock(), Access::Read).unwrap();
    // ...and the lock goes with the vault.
    drop(v);
    Vault::open(&p, &unlock(), write_access()).unwrap();
}

#[test]
fn every_error_is_one_line() {
    // Display of representative values of every variant.
    use std::path::PathBuf;
    let p = PathBuf::from("/x/v.fieldvault");
    let all = vec![
        VaultError::EmptyPassphrase,
        VaultError::WrongPassphrase,
        VaultError::WrongIdentity,
        VaultError::NoPassphraseSlot,
        VaultError::HeaderTampered,
        VaultError::Damaged { path: p.clone() },
        VaultError::NewerFormat {
            found: 3,
            supported: 1,
        },
        VaultError::NotAVault { path: p.clone() },
        VaultError::Destroyed { path: p.clone() },
        VaultError::InUse,
        VaultError::AlreadyExists { path: p.clone() },
        VaultError::NotFound { path: p.clone() },
        VaultError::Io {
            action: "read",
            path: p.clone(),
            kind: std::io::ErrorKind::PermissionDenied,
        },
        VaultError::KdfOutOfRange {
            what: "iterations",
            value: 99,
            min: 1,
            max: 64,
        },
        VaultError::ReadOnly,
        VaultError::InvalidRecipient {
            recipient: "age1x".into(),
        },
        VaultError::DuplicateRecipient { id: "2".into() },
        VaultError::InvalidIdentityFile { path: p.clone() },
        VaultError::NoSuchSlot { id: "9".into() },
        VaultError::LastSlot { id: "1".into() },
        VaultError::TooManySlots { max: 32 },
        VaultError::InvalidLabel,
        VaultError::AttachmentNotFound { id: "ab".into() },
        VaultError::AttachmentDamaged { id: "ab".into() },
        VaultError::IntegrityCheckFailed { problems: 2 },
        VaultError::Database { code: 19 },
        VaultError::UnsafeSqlite {
            setting: "temp_store=MEMORY",
        },
        VaultError::Encryption,
    ];
    let mut codes = std::collections::HashSet::new();
    for e in &all {
        one_line(e);
        assert!(codes.insert(e.code()), "duplicate code {}", e.code());
    }
}

/// A FIFO would block a plain open forever and a device never ends: both
/// are refused at once, before anything is read, and left as they are.
#[cfg(unix)]
#[test]
fn not_a_regular_file() {
    let t = TestDir::new();
    let fifo = t.path("pipe.fieldvault");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let start = std::time::Instant::now();
    for p in [fifo.as_path(), std::path::Path::new("/dev/zero")] {
        for access in [Access::Read, write_access()] {
            let e = Vault::open(p, &unlock(), access).unwrap_err();
            assert!(matches!(e, VaultError::NotAVault { .. }), "{e:?}");
            one_line(&e);
        }
        assert!(matches!(header_info(p), Err(VaultError::NotAVault { .. })));
        assert!(matches!(
            fieldvault_vault::destroy(p),
            Err(VaultError::NotAVault { .. })
        ));
    }
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
}

/// `destroy` leaves alone what is not a vault: an empty file, a file that
/// starts like the magic word but stops, a text file.
#[test]
fn destroy_refuses_files_that_are_not_vaults() {
    let t = TestDir::new();
    for (name, bytes) in [
        ("empty", &b""[..]),
        ("short", &b"fieldvault-va"[..]),
        ("notes", &b"just some notes\n"[..]),
    ] {
        let p = t.path(name);
        std::fs::write(&p, bytes).unwrap();
        let e = fieldvault_vault::destroy(&p).unwrap_err();
        assert!(matches!(e, VaultError::NotAVault { .. }), "{name}: {e:?}");
        assert_eq!(std::fs::read(&p).unwrap(), bytes, "{name} changed");
    }
}

/// A header that declares a payload of another size than the file has is
/// refused after reading only the header.
#[test]
fn declared_size_must_match_the_file() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(vault_with_notes(&p, &["x"]));
    let mut bytes = std::fs::read(&p).unwrap();
    bytes.extend_from_slice(&[0u8; 4096]);
    std::fs::write(&p, &bytes).unwrap();
    let e = Vault::open(&p, &unlock(), Access::Read).unwrap_err();
    assert!(matches!(e, VaultError::Damaged { .. }), "{e:?}");
    assert_eq!(std::fs::read(&p).unwrap(), bytes);
}
