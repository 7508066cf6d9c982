//! Travel mode, the key file that `destroy` erases, and hostile vault
//! paths and headers, driven through the binary.

use age::secrecy::ExposeSecret;

use crate::common::*;

/// An identity file in the test folder and its public key.
fn teammate(e: &Env) -> (std::path::PathBuf, String) {
    let id = age::x25519::Identity::generate();
    let file = e.write(
        "in/home.key",
        format!("{}\n", id.to_string().expose_secret()),
    );
    (file, id.to_public().to_string())
}

/// The state the tests compare: vault and key file bytes.
fn snapshot(e: &Env) -> (Vec<u8>, Vec<u8>) {
    let key = fieldvault_vault::key_file_path(&e.vault());
    (e.vault_bytes(), std::fs::read(key).unwrap())
}

#[test]
fn travel_start_and_end() {
    let e = Env::new();
    e.person(&["--name", "Жанар Сапарова", "--phone", "+7 701 123 4567"]);
    // Refused without another key slot; nothing changes.
    let before = snapshot(&e);
    let err = e.fail(&["travel", "start", "--yes"]);
    assert!(err.contains("another key slot"), "{err}");
    assert_eq!(snapshot(&e), before);
    let err = e.fail(&["travel", "end"]);
    assert!(err.contains("not in travel mode"), "{err}");
    assert_eq!(snapshot(&e), before);

    let (home_key, recipient) = teammate(&e);
    e.ok(&[
        "key",
        "add",
        "--recipient",
        &recipient,
        "--label",
        "left at home",
    ]);
    let old_copy = e.vault_bytes();
    let started = e.json(&["travel", "start", "--yes"]);
    assert_eq!(started["travel"], true);
    // Nothing the traveller carries opens the vault, nor an older copy.
    let err = e.fail(&["person", "list"]);
    assert!(err.contains("no passphrase key slot"), "{err}");
    let copy_dir = e.path("out");
    let copy = copy_dir.join("copy.vault");
    std::fs::write(&copy, &old_copy).unwrap();
    std::fs::copy(
        fieldvault_vault::key_file_path(&e.vault()),
        fieldvault_vault::key_file_path(&copy),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("fieldvault")
        .unwrap()
        .args(["--vault", copy.to_str().unwrap(), "person", "list"])
        .env("FIELDVAULT_PASSPHRASE", PASS)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("was erased"), "{err}");

    // The key left at home opens it, shows the state and ends travel mode.
    let id = ["--identity", home_key.to_str().unwrap()];
    let check = e.json(&[id[0], id[1], "check"]);
    assert_eq!(check["travel"], true, "{check}");
    let keys = e.json(&[id[0], id[1], "key", "list"]);
    assert_eq!(keys["travel"], true);
    assert!(e
        .ok(&[id[0], id[1], "key", "list"])
        .contains("Travel mode since"));
    let err = e.fail(&[id[0], id[1], "travel", "start", "--yes"]);
    assert!(err.contains("already in travel mode"), "{err}");
    let out = e
        .cmd()
        .args([id[0], id[1], "travel", "end"])
        .env("FIELDVAULT_NEW_PASSPHRASE", PASS)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = e.json(&["check"]);
    assert_eq!(check["travel"], false);
    assert!(check["key_file"].as_str().unwrap().ends_with("v.vault.key"));
    assert!(e.ok(&["person", "list"]).contains("Respondent 1"));
    let audit = e.ok(&["audit", "show"]);
    assert!(
        audit.contains("travel start") && audit.contains("travel end"),
        "{audit}"
    );
}

#[test]
fn destroy_erases_the_key_file_and_says_what_survives() {
    let e = Env::new();
    e.person(&["--name", "Жанар Сапарова"]);
    let old_copy = e.vault_bytes();
    let key = fieldvault_vault::key_file_path(&e.vault());
    let key_before = std::fs::read(&key).unwrap();
    let out = e.ok(&["destroy", "--yes"]);
    assert!(out.contains("key file"), "{out}");
    assert!(out.contains("passphrase backups"), "{out}");
    let key_after = std::fs::read(&key).unwrap();
    assert_eq!(key_after.len(), key_before.len());
    assert_ne!(key_after, key_before);
    // An older copy put back beside the erased key file does not open.
    std::fs::write(e.vault(), &old_copy).unwrap();
    let err = e.fail(&["person", "list"]);
    assert!(err.contains("erased"), "{err}");
}

#[test]
fn destroy_refuses_what_is_not_a_vault() {
    let e = Env::empty();
    std::fs::write(e.vault(), "my notes\n").unwrap();
    let err = e.fail(&["destroy", "--yes"]);
    assert!(err.contains("not a fieldvault vault"), "{err}");
    assert_eq!(std::fs::read(e.vault()).unwrap(), b"my notes\n");
}

#[test]
fn missing_key_file_is_one_line_and_changes_nothing() {
    let e = Env::new();
    let key = fieldvault_vault::key_file_path(&e.vault());
    let saved = std::fs::read(&key).unwrap();
    std::fs::remove_file(&key).unwrap();
    let before = e.vault_bytes();
    let err = e.fail(&["person", "list"]);
    assert!(err.contains("v.vault.key is missing"), "{err}");
    assert_eq!(e.vault_bytes(), before);
    std::fs::write(&key, saved).unwrap();
    e.ok(&["person", "list"]);
}

#[cfg(unix)]
#[test]
fn fifo_and_device_vault_paths_are_refused_at_once() {
    let e = Env::empty();
    let fifo = e.path("vault/pipe.vault");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for p in [fifo.to_str().unwrap(), "/dev/zero"] {
        let start = std::time::Instant::now();
        let out = assert_cmd::Command::cargo_bin("fieldvault")
            .unwrap()
            .args(["--vault", p, "person", "list"])
            .env("FIELDVAULT_PASSPHRASE", PASS)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        assert!(!out.status.success(), "{p}");
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{p}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a fieldvault vault"), "{p}: {err}");
    }
}

#[test]
fn costly_kdf_parameters_need_trust_kdf_params() {
    let e = Env::new();
    let bytes = e.vault_bytes();
    let from = b" m=8192 t=1 ";
    let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
    let mut crafted = bytes[..at].to_vec();
    crafted.extend_from_slice(b" m=4194304 t=4 ");
    crafted.extend_from_slice(&bytes[at + from.len()..]);
    std::fs::write(e.vault(), &crafted).unwrap();
    let err = e.fail(&["person", "list"]);
    assert!(err.contains("--trust-kdf-params"), "{err}");
    assert_eq!(e.vault_bytes(), crafted);
}
