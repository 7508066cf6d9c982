//! The key file `<vault>.key`: every copy of the vault needs it with the
//! passphrase; destroy, a passphrase change and travel mode erase what old
//! copies need; format-1 vaults gain it at their next commit.

use std::path::Path;

use fieldvault_vault::{
    destroy, header_info, key_file_path, Access, OpenSettings, Vault, VaultError,
};

use crate::util::*;

/// Puts `bytes` (an old copy of the vault) at `at` and tries the passphrase.
fn open_copy(at: &Path, bytes: &[u8]) -> Result<Vault, VaultError> {
    std::fs::write(at, bytes).unwrap();
    Vault::open(at, &unlock(), Access::Read)
}

#[test]
fn every_old_copy_dies_with_the_key_file() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["Жанар Сапарова +7 701 123 4567"]);
    let (id, r) = keypair();
    v.add_recipient(&r, "teammate").unwrap();
    let mut copies = vec![std::fs::read(&p).unwrap()];
    for i in 0..3 {
        v.connection()
            .execute("INSERT INTO note(body) VALUES (?1)", [format!("note {i}")])
            .unwrap();
        v.commit().unwrap();
        copies.push(std::fs::read(&p).unwrap());
    }
    drop(v);
    let key_file = key_file_path(&p);
    let key_before = std::fs::read(&key_file).unwrap();
    // Before destroy, any copy opens with the passphrase (the test can fail).
    let probe = t.path("probe.fieldvault");
    copy_key_file(&p, &probe);
    for c in &copies {
        open_copy(&probe, c).unwrap();
    }

    destroy(&p).unwrap();
    let key_after = std::fs::read(&key_file).unwrap();
    assert_eq!(key_after.len(), key_before.len(), "overwritten in place");
    assert!(key_after.starts_with(b"fieldvault-keyfile destroyed\n"));
    // Not one 32-byte stripe of the old key file is left where it was.
    for (old, new) in key_before[64..].chunks(32).zip(key_after[64..].chunks(32)) {
        assert_ne!(old, new);
    }
    copy_key_file(&p, &probe);
    for c in &copies {
        let e = open_copy(&probe, c).unwrap_err();
        assert!(matches!(e, VaultError::KeyFileErased { .. }), "{e:?}");
        assert!(!e.to_string().contains('\n'));
    }
    // By design, a teammate's key still opens the old copies.
    std::fs::write(&probe, &copies[1]).unwrap();
    Vault::open(&probe, &identity_unlock(&id), Access::Read).unwrap();
    // A second destroy changes nothing.
    let (vault_now, key_now) = (
        std::fs::read(&p).unwrap(),
        std::fs::read(&key_file).unwrap(),
    );
    destroy(&p).unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), vault_now);
    assert_eq!(std::fs::read(&key_file).unwrap(), key_now);
}

#[test]
fn missing_key_file_is_named_and_changes_nothing() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(vault_with_notes(&p, &["x"]));
    let moved = t.path("elsewhere.key");
    std::fs::rename(key_file_path(&p), &moved).unwrap();
    let before = std::fs::read(&p).unwrap();
    for access in [Access::Read, write_access()] {
        let e = Vault::open(&p, &unlock(), access).unwrap_err();
        assert!(matches!(e, VaultError::KeyFileMissing { .. }), "{e:?}");
        let msg = e.to_string();
        assert!(
            msg.contains("study.fieldvault.key") && !msg.contains('\n'),
            "{msg}"
        );
    }
    assert_eq!(std::fs::read(&p).unwrap(), before);
    assert!(!key_file_path(&p).exists());
    // Put back, it opens; a key file of another vault does not.
    std::fs::rename(&moved, key_file_path(&p)).unwrap();
    Vault::open(&p, &unlock(), Access::Read).unwrap();
    let q = t.path("other.fieldvault");
    drop(vault_with_notes(&q, &["y"]));
    std::fs::copy(key_file_path(&q), key_file_path(&p)).unwrap();
    let e = Vault::open(&p, &unlock(), Access::Read).unwrap_err();
    assert!(matches!(e, VaultError::KeyFileErased { .. }), "{e:?}");
}

#[test]
fn key_file_is_written_in_place_never_replaced() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["x"]);
    let kp = key_file_path(&p);
    #[cfg(unix)]
    let inode = || std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&kp).unwrap());
    #[cfg(unix)]
    let first = inode();
    let len = std::fs::metadata(&kp).unwrap().len();
    v.commit().unwrap();
    v.change_passphrase(&pass(), None).unwrap();
    v.rekey(Some(&pass())).unwrap();
    drop(v);
    assert_eq!(std::fs::metadata(&kp).unwrap().len(), len);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(inode(), first);
        let mode = std::fs::metadata(&kp).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    Vault::open(&p, &unlock(), Access::Read).unwrap();
}

#[test]
fn passphrase_change_kills_the_old_passphrase_in_old_copies() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["x"]);
    let old_copy = std::fs::read(&p).unwrap();
    let new_pass = fieldvault_vault::Passphrase::new("a different passphrase".into()).unwrap();
    v.change_passphrase(&new_pass, None).unwrap();
    drop(v);
    let probe = t.path("probe.fieldvault");
    copy_key_file(&p, &probe);
    let e = open_copy(&probe, &old_copy).unwrap_err();
    assert!(matches!(e, VaultError::KeyFileErased { .. }), "{e:?}");
    let v = Vault::open(
        &p,
        &fieldvault_vault::Unlock::Passphrase(new_pass),
        Access::Read,
    )
    .unwrap();
    assert_eq!(notes(&v), ["x"]);
}

#[test]
fn format_1_vault_gains_its_key_file_at_the_next_commit() {
    let t = TestDir::new();
    let p = t.vault_path();
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/good-passphrase.vec"),
    )
    .unwrap();
    let at = bytes.windows(10).position(|w| w == b"--- vault\n").unwrap() + 10;
    let v1 = bytes[at..].to_vec();
    std::fs::write(&p, &v1).unwrap();
    assert_eq!(header_info(&p).unwrap().format_version, 1);
    // Opening (even for writing) changes nothing on disk.
    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), v1);
    assert!(!key_file_path(&p).exists());
    assert_eq!(v.key_file(), None);
    v.commit().unwrap();
    assert_eq!(v.key_file(), Some(key_file_path(&p)));
    drop(v);
    assert_eq!(header_info(&p).unwrap().format_version, 2);
    let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
    assert!(text.contains("\nkeyfile: id="));
    let v = Vault::open(&p, &unlock(), Access::Read).unwrap();
    assert_eq!(v.slots().len(), 2, "the teammate slot is kept");
    drop(v);
    // Now the vault needs its key file; destroy then kills new copies.
    let e = {
        let kf = key_file_path(&p);
        let saved = std::fs::read(&kf).unwrap();
        std::fs::remove_file(&kf).unwrap();
        let e = Vault::open(&p, &unlock(), Access::Read).unwrap_err();
        std::fs::write(&kf, saved).unwrap();
        e
    };
    assert!(matches!(e, VaultError::KeyFileMissing { .. }), "{e:?}");
}

#[test]
fn travel_mode() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["x"]);
    // Without another key slot, refused and nothing changes.
    let before = (
        std::fs::read(&p).unwrap(),
        std::fs::read(key_file_path(&p)).unwrap(),
    );
    assert!(matches!(
        v.travel_start(),
        Err(VaultError::TravelNeedsAnotherKey)
    ));
    assert!(matches!(
        v.travel_end(&pass(), None),
        Err(VaultError::NotTravelling)
    ));
    assert_eq!(
        (
            std::fs::read(&p).unwrap(),
            std::fs::read(key_file_path(&p)).unwrap()
        ),
        before
    );
    let (id, r) = keypair();
    v.add_recipient(&r, "left at home").unwrap();
    let old_copy = std::fs::read(&p).unwrap();
    v.travel_start().unwrap();
    assert!(v.travel_since().is_some());
    assert_eq!(v.key_file(), None);
    assert!(matches!(
        v.travel_start(),
        Err(VaultError::AlreadyTravelling)
    ));
    v.connection()
        .execute("INSERT INTO note(body) VALUES ('on the road')", [])
        .unwrap();
    v.commit().unwrap();
    drop(v);
    // Nothing the traveller carries opens the vault or an old copy.
    let e = Vault::open(&p, &unlock(), Access::Read).unwrap_err();
    assert!(matches!(e, VaultError::NoPassphraseSlot), "{e:?}");
    let probe = t.path("probe.fieldvault");
    copy_key_file(&p, &probe);
    let e = open_copy(&probe, &old_copy).unwrap_err();
    assert!(matches!(e, VaultError::KeyFileErased { .. }), "{e:?}");
    // The key left at home does, and shows the state; it ends travel mode.
    let mut v = Vault::open(&p, &identity_unlock(&id), write_access()).unwrap();
    assert!(v.travel_since().is_some());
    v.travel_end(&pass(), None).unwrap();
    assert!(v.travel_since().is_none());
    drop(v);
    let v = Vault::open(&p, &unlock(), Access::Read).unwrap();
    assert_eq!(notes(&v), ["x", "on the road"]);
    assert!(v.travel_since().is_none());
}

#[test]
fn costly_kdf_parameters_need_trust() {
    let t = TestDir::new();
    let p = t.vault_path();
    drop(vault_with_notes(&p, &["x"]));
    // 4 GiB x 4 passes: within the hard caps, 21 times the default cost.
    let bytes = std::fs::read(&p).unwrap();
    let with_kdf = |from: &str, to: &str| {
        let at = bytes
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap();
        let mut b = bytes[..at].to_vec();
        b.extend_from_slice(to.as_bytes());
        b.extend_from_slice(&bytes[at + from.len()..]);
        b
    };
    let crafted = with_kdf(" m=8192 t=1 ", " m=4194304 t=4 ");
    std::fs::write(&p, &crafted).unwrap();
    let start = std::time::Instant::now();
    let e = Vault::open(&p, &unlock(), Access::Read).unwrap_err();
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "refused before deriving"
    );
    match &e {
        VaultError::KdfUntrusted { factor, max } => assert_eq!((*factor, *max), (21, 16)),
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("--trust-kdf-params"));
    assert_eq!(std::fs::read(&p).unwrap(), crafted);
    // Parameters within 16x need no trust; the hard caps hold with trust.
    std::fs::write(&p, with_kdf(" m=8192 t=1 ", " m=4194304 t=64 ")).unwrap();
    let e = Vault::open_with(
        &p,
        &unlock(),
        Access::Read,
        OpenSettings {
            trust_kdf_params: true,
        },
    )
    .unwrap_err();
    assert!(matches!(e, VaultError::KdfOutOfRange { .. }), "{e:?}");
}
