//! Attachments: separate age files beside the vault, by random id.

use fieldvault_vault::{Access, Vault, VaultError};

use crate::util::*;

#[test]
fn put_get_remove() {
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["x"]);
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let a = v.put_attachment(b"consent audio").unwrap();
    let b = v.put_attachment(&big).unwrap();
    let e = v.put_attachment(b"").unwrap();
    assert_ne!(a, b);
    assert_eq!(a.len(), 32);
    assert_eq!(&v.get_attachment(&a).unwrap()[..], b"consent audio");
    assert_eq!(&v.get_attachment(&b).unwrap()[..], &big[..]);
    assert!(v.get_attachment(&e).unwrap().is_empty());
    let file = std::fs::read(v.attachment_dir().join(format!("{a}.age"))).unwrap();
    assert!(file.starts_with(b"age-encryption.org/v1\n"));
    drop(v);

    let r = Vault::open(&p, &unlock(), Access::Read).unwrap();
    assert_eq!(&r.get_attachment(&a).unwrap()[..], b"consent audio");
    assert!(matches!(r.remove_attachment(&a), Err(VaultError::ReadOnly)));
    drop(r);

    let v = Vault::open(&p, &unlock(), write_access()).unwrap();
    v.remove_attachment(&a).unwrap();
    assert!(matches!(
        v.get_attachment(&a),
        Err(VaultError::AttachmentNotFound { .. })
    ));
    assert!(matches!(
        v.remove_attachment(&a),
        Err(VaultError::AttachmentNotFound { .. })
    ));
    let mut left: Vec<_> = std::fs::read_dir(v.attachment_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    let mut want = vec![format!("{b}.age"), format!("{e}.age")];
    want.sort();
    assert_eq!(left, want);
}

#[test]
fn bad_ids_and_damage() {
    let t = TestDir::new();
    let p = t.vault_path();
    let v = vault_with_notes(&p, &["x"]);
    for bad in [
        "",
        "../study.fieldvault",
        "ABCDEF0123456789ABCDEF0123456789",
        "zz",
    ] {
        assert!(matches!(
            v.get_attachment(bad),
            Err(VaultError::AttachmentNotFound { .. })
        ));
    }
    let id = v.put_attachment(&[1u8; 100_000]).unwrap();
    let f = v.attachment_dir().join(format!("{id}.age"));
    let mut bytes = std::fs::read(&f).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 1;
    std::fs::write(&f, &bytes).unwrap();
    assert!(matches!(
        v.get_attachment(&id),
        Err(VaultError::AttachmentDamaged { .. })
    ));
    bytes[n / 2] ^= 1;
    std::fs::write(&f, &bytes[..n - 10]).unwrap();
    assert!(matches!(
        v.get_attachment(&id),
        Err(VaultError::AttachmentDamaged { .. })
    ));
}

#[test]
fn another_vaults_key_cannot_read() {
    let t = TestDir::new();
    let p1 = t.path("a.fieldvault");
    let p2 = t.path("b.fieldvault");
    let v1 = vault_with_notes(&p1, &["x"]);
    let v2 = vault_with_notes(&p2, &["y"]);
    let id = v1.put_attachment(b"secret").unwrap();
    std::fs::create_dir_all(v2.attachment_dir()).unwrap();
    std::fs::copy(
        v1.attachment_dir().join(format!("{id}.age")),
        v2.attachment_dir().join(format!("{id}.age")),
    )
    .unwrap();
    assert!(matches!(
        v2.get_attachment(&id),
        Err(VaultError::AttachmentDamaged { .. })
    ));
}
