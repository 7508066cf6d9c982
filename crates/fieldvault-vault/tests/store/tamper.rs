//! Tampering: any changed byte, in any region, is detected and refused;
//! the file stays as it was.

use std::path::Path;

use fieldvault_vault::{header_info, Access, Unlock, Vault, VaultError};

use crate::util::*;

/// A vault with a passphrase slot, an (unused when unlocking with the
/// passphrase) recipient slot, and a payload of several age chunks.
fn fixture(t: &TestDir) -> (std::path::PathBuf, Vec<u8>, usize, String) {
    make_fixture(t, false)
}

/// The same after a change of the vault key (`rekey`): the header MAC is
/// recomputed with the new master key and protects the same bytes.
fn rekeyed_fixture(t: &TestDir) -> (std::path::PathBuf, Vec<u8>, usize, String) {
    make_fixture(t, true)
}

fn make_fixture(t: &TestDir, rekey: bool) -> (std::path::PathBuf, Vec<u8>, usize, String) {
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &[]);
    for i in 0..300 {
        v.connection()
            .execute(
                "INSERT INTO note(body) VALUES (?1)",
                [format!("{i} {}", "interview text ".repeat(60))],
            )
            .unwrap();
    }
    v.commit().unwrap();
    let (id, r) = keypair();
    v.add_recipient(&r, "unused").unwrap();
    if rekey {
        v.rekey(Some(&pass())).unwrap();
    }
    drop(v);
    let bytes = std::fs::read(&p).unwrap();
    let h = header_info(&p).unwrap();
    assert!(h.payload_size > 3 * 65536);
    (p, bytes, h.header_size as usize, id)
}

/// A plausible one-byte change: letters change case (still valid base64),
/// digits change value, anything else flips its lowest bit.
fn flip(b: u8) -> u8 {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => b ^ 0x20,
        b'0'..=b'8' => b + 1,
        b'9' => b'8',
        _ => b ^ 1,
    }
}

fn assert_refused(path: &Path, bytes: &[u8], unlock: &Unlock, what: &str) {
    std::fs::write(path, bytes).unwrap();
    match Vault::open(path, unlock, Access::Read) {
        Ok(_) => panic!("{what}: a tampered vault opened"),
        Err(e) => {
            assert!(!e.to_string().contains('\n'));
        }
    }
    assert_eq!(std::fs::read(path).unwrap(), bytes, "{what}: file changed");
}

fn regions(bytes: &[u8], header_len: usize) -> Vec<(String, std::ops::Range<usize>)> {
    let text = String::from_utf8_lossy(&bytes[..header_len]).into_owned();
    let mut out = Vec::new();
    let mut pos = 0;
    let mut current = String::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let name = if line.starts_with("slot: ") {
            Some(line.trim().to_string())
        } else if line.starts_with("slot-info:") {
            Some("slot-info".to_string())
        } else if line.starts_with("-----") || line.len() == 65 || !line.contains(':') {
            None
        } else {
            Some(line.split(':').next().unwrap().to_string())
        };
        if let Some(n) = name {
            if pos > start {
                out.push((current.clone(), start..pos));
            }
            current = n;
            start = pos;
        }
        pos += line.len();
    }
    out.push((current, start..pos));
    out
}

#[test]
fn every_header_byte_is_protected() {
    let t = TestDir::new();
    header_bytes_protected(&t, fixture(&t), 1);
}

/// After a re-key: every third header byte (every region is hit), to keep
/// the test time down; the full pass above covers the same code.
#[test]
fn every_header_region_is_protected_after_rekey() {
    let t = TestDir::new();
    header_bytes_protected(&t, rekeyed_fixture(&t), 3);
}

fn header_bytes_protected(
    t: &TestDir,
    (p, orig, header_len, _): (std::path::PathBuf, Vec<u8>, usize, String),
    stride: usize,
) {
    let copy = t.path("tampered.fieldvault");
    copy_key_file(&t.vault_path(), &copy);
    let u = unlock();
    let names: Vec<String> = regions(&orig, header_len)
        .into_iter()
        .map(|r| r.0)
        .collect();
    // The regions we expect to exist (and so to have been covered).
    for want in [
        "kdf",
        "slot: 1 passphrase",
        "slot: 2 recipient",
        "slot-info",
        "payload",
        "mac",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} missing in {names:?}"
        );
    }
    for (name, range) in regions(&orig, header_len) {
        for i in range.step_by(stride) {
            let mut b = orig.clone();
            b[i] = flip(b[i]);
            assert_refused(&copy, &b, &u, &format!("{name} byte {i}"));
        }
    }
    // The magic line too (covered above as the first region).
    let _ = p;
}

#[test]
fn unused_slot_tampering_is_caught_by_the_mac() {
    let t = TestDir::new();
    unused_slot_tampering(&t, fixture(&t));
}

#[test]
fn unused_slot_tampering_is_caught_by_the_mac_after_rekey() {
    let t = TestDir::new();
    unused_slot_tampering(&t, rekeyed_fixture(&t));
}

fn unused_slot_tampering(
    t: &TestDir,
    (_, orig, header_len, id): (std::path::PathBuf, Vec<u8>, usize, String),
) {
    let copy = t.path("tampered.fieldvault");
    copy_key_file(&t.vault_path(), &copy);
    let text = String::from_utf8_lossy(&orig[..header_len]).into_owned();
    // Passphrase slot tampered, vault opened with the teammate's key, and
    // the recipient slot tampered, opened with the passphrase.
    for (slot, unlock) in [
        ("slot: 2 recipient", crate::util::unlock()),
        ("slot: 1 passphrase", identity_unlock(&id)),
    ] {
        let start = text.find(slot).unwrap() + slot.len() + 1 + 40;
        let mut b = orig.clone();
        b[start] = flip(b[start]);
        std::fs::write(&copy, &b).unwrap();
        let e = Vault::open(&copy, &unlock, Access::Read).unwrap_err();
        assert!(matches!(e, VaultError::HeaderTampered), "{slot}: {e:?}");
    }
}

#[test]
fn payload_start_middle_end() {
    let t = TestDir::new();
    payload_tampering(&t, fixture(&t));
}

#[test]
fn payload_start_middle_end_after_rekey() {
    let t = TestDir::new();
    payload_tampering(&t, rekeyed_fixture(&t));
}

fn payload_tampering(
    t: &TestDir,
    (_, orig, header_len, _): (std::path::PathBuf, Vec<u8>, usize, String),
) {
    let copy = t.path("tampered.fieldvault");
    copy_key_file(&t.vault_path(), &copy);
    let n = orig.len();
    let u = unlock();
    for (what, i) in [
        ("payload start", header_len),
        ("payload age header", header_len + 30),
        ("payload nonce", header_len + 200),
        ("payload middle", header_len + (n - header_len) / 2),
        ("payload end", n - 1),
    ] {
        let mut b = orig.clone();
        b[i] = flip(b[i]);
        assert_refused(&copy, &b, &u, what);
        let e = Vault::open(&copy, &u, Access::Read).unwrap_err();
        assert!(matches!(e, VaultError::Damaged { .. }), "{what}: {e:?}");
    }
    // Extra bytes after the payload.
    let mut b = orig.clone();
    b.push(0);
    assert_refused(&copy, &b, &u, "appended byte");
}

/// An attacker who also fixes the payload hash in the header is stopped by
/// the header MAC (keyed by the master key they do not have).
#[test]
fn payload_with_recomputed_hash_is_caught_by_the_mac() {
    let t = TestDir::new();
    recomputed_hash(&t, fixture(&t));
}

#[test]
fn payload_with_recomputed_hash_is_caught_by_the_mac_after_rekey() {
    let t = TestDir::new();
    recomputed_hash(&t, rekeyed_fixture(&t));
}

fn recomputed_hash(
    t: &TestDir,
    (_, orig, header_len, _): (std::path::PathBuf, Vec<u8>, usize, String),
) {
    use sha2::{Digest, Sha256};
    let copy = t.path("tampered.fieldvault");
    copy_key_file(&t.vault_path(), &copy);
    let mut b = orig.clone();
    let i = header_len + (orig.len() - header_len) / 2;
    b[i] ^= 1;
    let old = hex::encode(Sha256::digest(&orig[header_len..]));
    let new = hex::encode(Sha256::digest(&b[header_len..]));
    let head = String::from_utf8(b[..header_len].to_vec()).unwrap();
    let head = head.replace(&old, &new);
    let mut forged = head.into_bytes();
    forged.extend_from_slice(&b[header_len..]);
    std::fs::write(&copy, &forged).unwrap();
    let e = Vault::open(&copy, &unlock(), Access::Read).unwrap_err();
    assert!(matches!(e, VaultError::HeaderTampered), "{e:?}");
}

/// Swapping in an older payload of the same vault (same master key) with
/// its own payload line is caught by the MAC.
#[test]
fn older_payload_swap_is_caught() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["old"]);
    let old = std::fs::read(&p).unwrap();
    let old_h = header_info(&p).unwrap();
    v.connection()
        .execute("INSERT INTO note(body) VALUES ('new')", [])
        .unwrap();
    v.commit().unwrap();
    drop(v);
    let new = std::fs::read(&p).unwrap();
    let new_h = header_info(&p).unwrap();
    let line = |b: &[u8], hl: usize| {
        String::from_utf8_lossy(&b[..hl])
            .lines()
            .find(|l| l.starts_with("payload:"))
            .unwrap()
            .to_string()
    };
    let head = String::from_utf8(new[..new_h.header_size as usize].to_vec())
        .unwrap()
        .replace(
            &line(&new, new_h.header_size as usize),
            &line(&old, old_h.header_size as usize),
        );
    let mut forged = head.into_bytes();
    forged.extend_from_slice(&old[old_h.header_size as usize..]);
    let copy = t.path("forged.fieldvault");
    copy_key_file(&t.vault_path(), &copy);
    std::fs::write(&copy, &forged).unwrap();
    let e = Vault::open(&copy, &unlock(), Access::Read).unwrap_err();
    assert!(matches!(e, VaultError::HeaderTampered), "{e:?}");
}

mod fuzz {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        /// Arbitrary bytes after the magic never panic the parser.
        #[test]
        fn header_parser_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..600)) {
            let t = crate::util::TestDir::new();
            let p = t.vault_path();
            let mut b = b"fieldvault-vault v1\nkdf: argon2id v=19 m=8192 t=1 p=1 salt=00112233445566778899aabbccddeeff\n".to_vec();
            b.extend_from_slice(&tail);
            std::fs::write(&p, &b).unwrap();
            prop_assert!(fieldvault_vault::header_info(&p).is_err());
            prop_assert!(fieldvault_vault::Vault::open(&p, &crate::util::unlock(), fieldvault_vault::Access::Read).is_err());
        }
    }
}
