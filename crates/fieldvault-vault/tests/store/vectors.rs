//! Spec-like test vectors: one file per case in tests/vectors/ (written by
//! examples/gen_vectors.rs). Each file says how to unlock and what must
//! happen; a refused vault must be left byte-for-byte unchanged.

use std::path::{Path, PathBuf};

use fieldvault_vault::{Access, Passphrase, Unlock, Vault};

use crate::util::*;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

struct Vector {
    fields: Vec<(String, String)>,
    vault: Vec<u8>,
}

impl Vector {
    fn read(name: &str) -> Vector {
        let bytes = std::fs::read(dir().join(format!("{name}.vec"))).unwrap();
        let sep = b"\n--- vault\n";
        let at = bytes
            .windows(sep.len())
            .position(|w| w == sep)
            .expect("vector has a '--- vault' line");
        let head = std::str::from_utf8(&bytes[..at]).unwrap();
        let fields = head
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let (k, v) = l.split_once(": ").expect("key: value");
                (k.to_string(), v.to_string())
            })
            .collect();
        Vector {
            fields,
            vault: bytes[at + sep.len()..].to_vec(),
        }
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn run(name: &str) {
    let v = Vector::read(name);
    assert_eq!(v.get("name"), Some(name));
    let unlock = match (v.get("passphrase"), v.get("identity")) {
        (Some(p), None) => Unlock::Passphrase(Passphrase::new(p.to_string()).unwrap()),
        (None, Some(i)) => identity_unlock(i),
        _ => panic!("{name}: exactly one of passphrase/identity"),
    };
    let t = TestDir::new();
    let p = t.vault_path();
    std::fs::write(&p, &v.vault).unwrap();
    let expect = v.get("expect").unwrap();
    match Vault::open(&p, &unlock, Access::Read) {
        Ok(vault) => {
            assert_eq!(expect, "ok", "{name}: opened, expected {expect}");
            vault.integrity_check().unwrap();
            if let Some(sql) = v.get("sql") {
                let got: String = vault.connection().query_row(sql, [], |r| r.get(0)).unwrap();
                assert_eq!(Some(got.as_str()), v.get("rows"), "{name}");
            }
        }
        Err(e) => {
            assert_eq!(e.code(), expect, "{name}: {e}");
            assert!(!e.to_string().contains('\n'));
        }
    }
    assert_eq!(std::fs::read(&p).unwrap(), v.vault, "{name}: file changed");
}

macro_rules! vectors {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run($file);
            }
        )*

        #[test]
        fn every_vector_file_has_a_test() {
            let listed = [$($file),*];
            for e in std::fs::read_dir(dir()).unwrap() {
                let name = e.unwrap().file_name().into_string().unwrap();
                let stem = name.strip_suffix(".vec").expect("only .vec files");
                assert!(listed.contains(&stem), "{name} has no test");
            }
        }
    };
}

vectors! {
    good_passphrase => "good-passphrase",
    good_identity => "good-identity",
    team_only_identity => "team-only-identity",
    wrong_passphrase => "wrong-passphrase",
    wrong_identity => "wrong-identity",
    no_passphrase_slot => "no-passphrase-slot",
    tampered_unused_slot => "tampered-unused-slot",
    tampered_passphrase_slot => "tampered-passphrase-slot",
    tampered_salt => "tampered-salt",
    tampered_slot_info => "tampered-slot-info",
    tampered_mac => "tampered-mac",
    tampered_payload_hash => "tampered-payload-hash",
    tampered_payload => "tampered-payload",
    kdf_memory_64gib => "kdf-memory-64gib",
    kdf_iterations_huge => "kdf-iterations-huge",
    kdf_total_work => "kdf-total-work",
    kdf_salt_too_short => "kdf-salt-too-short",
    truncated_empty => "truncated-empty",
    truncated_magic => "truncated-magic",
    truncated_in_slot => "truncated-in-slot",
    truncated_at_payload => "truncated-at-payload",
    truncated_payload => "truncated-payload",
    newer_version => "newer-version",
    not_a_vault => "not-a-vault",
    destroyed => "destroyed",
    crlf_armor_windows => "crlf-armor-windows",
}

/// A vault written on Windows before 0.2 (CRLF armor) is written back with
/// LF line endings at its next commit, and still opens.
#[test]
fn crlf_armor_is_normalised_at_the_next_commit() {
    let v = Vector::read("crlf-armor-windows");
    let t = TestDir::new();
    let p = t.vault_path();
    std::fs::write(&p, &v.vault).unwrap();
    let mut vault = Vault::open(&p, &unlock(), write_access()).unwrap();
    vault.commit().unwrap();
    drop(vault);
    let bytes = std::fs::read(&p).unwrap();
    let header_len = fieldvault_vault::header_info(&p).unwrap().header_size as usize;
    assert!(!bytes[..header_len].contains(&b'\r'));
    let vault = Vault::open(&p, &unlock(), Access::Read).unwrap();
    let got: String = vault
        .connection()
        .query_row(v.get("sql").unwrap(), [], |r| r.get(0))
        .unwrap();
    assert_eq!(Some(got.as_str()), v.get("rows"));
}
