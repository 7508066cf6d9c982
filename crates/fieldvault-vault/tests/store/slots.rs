//! Key slots: passwd rewrites only the passphrase slot; teammates' keys
//! open the vault until their slot is removed; the last slot stays.

use fieldvault_vault::{
    header_info, Access, IdentityFile, KdfParams, Passphrase, SlotKind, Unlock, Vault, VaultError,
};

use crate::util::*;

fn payload_bytes(p: &std::path::Path) -> Vec<u8> {
    let h = header_info(p).unwrap();
    std::fs::read(p).unwrap()[h.header_size as usize..].to_vec()
}

#[test]
fn passwd_old_fails_new_works_payload_unchanged() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["kept"]);
    let payload = payload_bytes(&p);
    let new = Passphrase::new("new passphrase, longer".into()).unwrap();
    let params = KdfParams {
        memory_mib: 9,
        iterations: 2,
        parallelism: 1,
    };
    v.change_passphrase(&new, Some(params)).unwrap();
    assert_eq!(v.kdf_params(), params);
    drop(v);
    assert_eq!(
        payload_bytes(&p),
        payload,
        "passwd must not touch the payload"
    );
    assert_eq!(header_info(&p).unwrap().kdf, params);
    assert!(matches!(
        Vault::open(&p, &unlock(), Access::Read),
        Err(VaultError::WrongPassphrase)
    ));
    let v = Vault::open(&p, &Unlock::Passphrase(new), Access::Read).unwrap();
    assert_eq!(notes(&v), ["kept"]);
}

#[test]
fn passwd_changes_salt_even_with_same_passphrase() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["x"]);
    let before = std::fs::read(&p).unwrap();
    v.change_passphrase(&pass(), None).unwrap();
    let after = std::fs::read(&p).unwrap();
    let salt = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .lines()
            .find(|l| l.starts_with("kdf:"))
            .unwrap()
            .to_string()
    };
    assert_ne!(salt(&before), salt(&after));
    drop(v);
    Vault::open(&p, &unlock(), Access::Read).unwrap();
}

#[test]
fn teammate_opens_until_removed() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["shared"]);
    let (id, recipient) = keypair();
    let info = v.add_recipient(&recipient, "Aigerim's laptop").unwrap();
    assert_eq!(info.kind, SlotKind::Recipient);
    assert_eq!(info.recipient.as_deref(), Some(recipient.as_str()));
    assert_eq!(v.slots().len(), 2);
    assert_eq!(v.slots()[1], info);
    drop(v);

    // The header lists the slot, not the label or the public key.
    let h = header_info(&p).unwrap();
    assert_eq!(h.slots.len(), 2);
    let raw = std::fs::read(&p).unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains("Aigerim"));
    assert!(!text.contains(&recipient));

    let tv = Vault::open(&p, &identity_unlock(&id), Access::Read).unwrap();
    assert_eq!(notes(&tv), ["shared"]);
    assert_eq!(tv.slots()[1].label, "Aigerim's laptop");
    drop(tv);

    let mut v = Vault::open(&p, &unlock(), write_access()).unwrap();
    v.remove_slot(&info.id).unwrap();
    v.commit().unwrap();
    drop(v);
    assert!(matches!(
        Vault::open(&p, &identity_unlock(&id), Access::Read),
        Err(VaultError::WrongIdentity)
    ));
    Vault::open(&p, &unlock(), Access::Read).unwrap();
}

#[test]
fn identity_file_from_age_keygen_format() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["x"]);
    let (id, recipient) = keypair();
    v.add_recipient(&recipient, "").unwrap();
    drop(v);
    let keyfile = t.path("teammate.key");
    std::fs::write(
        &keyfile,
        format!("# created: 2026-01-01T00:00:00Z\n# public key: {recipient}\n{id}\n"),
    )
    .unwrap();
    let f = IdentityFile::read(&keyfile).unwrap();
    assert_eq!(f.recipients(), [recipient]);
    Vault::open(&p, &Unlock::Identity(f), Access::Read).unwrap();

    std::fs::write(&keyfile, "# nothing here\n").unwrap();
    assert!(matches!(
        IdentityFile::read(&keyfile),
        Err(VaultError::InvalidIdentityFile { .. })
    ));
    assert!(matches!(
        IdentityFile::read(&t.path("missing.key")),
        Err(VaultError::Io { .. })
    ));
}

#[test]
fn wrong_identity() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["x"]);
    v.add_recipient(&keypair().1, "").unwrap();
    drop(v);
    let (other, _) = keypair();
    assert!(matches!(
        Vault::open(&p, &identity_unlock(&other), Access::Read),
        Err(VaultError::WrongIdentity)
    ));
}

#[test]
fn last_slot_cannot_be_removed() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["x"]);
    assert!(matches!(
        v.remove_slot("1"),
        Err(VaultError::LastSlot { .. })
    ));
    assert!(matches!(
        v.remove_slot("7"),
        Err(VaultError::NoSuchSlot { .. })
    ));
    let (id, r) = keypair();
    let s = v.add_recipient(&r, "t").unwrap();
    // The passphrase slot may go while another slot remains.
    v.remove_slot("1").unwrap();
    assert!(matches!(
        v.remove_slot(&s.id),
        Err(VaultError::LastSlot { .. })
    ));
    drop(v);
    assert!(matches!(
        Vault::open(&p, &unlock(), Access::Read),
        Err(VaultError::NoPassphraseSlot)
    ));
    // Passwd adds a passphrase slot back.
    let mut v = Vault::open(&p, &identity_unlock(&id), write_access()).unwrap();
    v.change_passphrase(&pass(), None).unwrap();
    drop(v);
    Vault::open(&p, &unlock(), Access::Read).unwrap();
}

#[test]
fn bad_recipients_and_labels() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["x"]);
    let before = std::fs::read(&p).unwrap();
    for bad in ["", "age1", "AGE-SECRET-KEY-1XYZ", "ssh-ed25519 AAAA"] {
        assert!(matches!(
            v.add_recipient(bad, ""),
            Err(VaultError::InvalidRecipient { .. })
        ));
    }
    let (_, r) = keypair();
    assert!(matches!(
        v.add_recipient(&r, "two\nlines"),
        Err(VaultError::InvalidLabel)
    ));
    assert_eq!(std::fs::read(&p).unwrap(), before);
    v.add_recipient(&r, "ok").unwrap();
    assert!(matches!(
        v.add_recipient(&r, "again"),
        Err(VaultError::DuplicateRecipient { .. })
    ));
    assert_eq!(v.slots().len(), 2);
}

#[test]
fn slot_changes_keep_uncommitted_work_in_memory_only() {
    // Adding a key rewrites the header with the payload on disk, not with
    // uncommitted rows.
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["committed"]);
    v.connection()
        .execute("INSERT INTO note(body) VALUES ('pending')", [])
        .unwrap();
    v.add_recipient(&keypair().1, "").unwrap();
    assert_eq!(notes(&v), ["committed", "pending"]);
    let r = Vault::open(&p, &unlock(), Access::Read).unwrap();
    assert_eq!(notes(&r), ["committed"]);
    v.commit().unwrap();
    let r = Vault::open(&p, &unlock(), Access::Read).unwrap();
    assert_eq!(notes(&r), ["committed", "pending"]);
}
