//! Hardware keys and other age plugins as key slots, through the binary,
//! with the example plugin of the `age-plugin` crate (skipped when
//! `age-plugin-unencrypted` is not on PATH; `.ci/run` installs it).

use std::process::Command;

use crate::common::*;

fn example_plugin_keys() -> Option<(String, String)> {
    let Ok(out) = Command::new("age-plugin-unencrypted").output() else {
        eprintln!("plugin test skipped: age-plugin-unencrypted is not on PATH");
        return None;
    };
    let text = String::from_utf8(out.stdout).ok()?;
    let find = |prefix: &str| {
        text.split_whitespace()
            .find(|w| w.starts_with(prefix))
            .map(str::to_string)
    };
    Some((find("age1unencrypted1")?, find("AGE-PLUGIN-UNENCRYPTED-")?))
}

#[test]
fn plugin_key_slot_unlock_and_backup() {
    let Some((recipient, identity)) = example_plugin_keys() else {
        return;
    };
    let e = Env::new();
    e.person(&["--name", "Жанар Сапарова"]);
    let slot = e.json(&[
        "key",
        "add",
        "--recipient",
        &recipient,
        "--label",
        "hardware key",
    ]);
    assert!(slot["id"].is_string(), "{slot}");
    let listed = e.json(&["key", "list"]);
    assert!(listed.to_string().contains(&recipient));
    let id_file = e.write("in/plugin.key", format!("{identity}\n"));
    let out = e
        .cmd()
        .env_remove("FIELDVAULT_PASSPHRASE")
        .args(["--identity", id_file.to_str().unwrap(), "person", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Respondent 1"));
    // A backup to the plugin recipient decrypts with the `age` tool and the
    // plugin identity.
    let backup = e.path("out/backup.age");
    e.ok(&[
        "backup",
        "--out",
        backup.to_str().unwrap(),
        "--recipient",
        &recipient,
    ]);
    if let Ok(o) = Command::new("age")
        .args(["-d", "-i", id_file.to_str().unwrap()])
        .arg(&backup)
        .output()
    {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(o.stdout.starts_with(b"SQLite format 3\0"));
    }
    // A plugin that is not installed: one line, nothing changed.
    let before = e.vault_bytes();
    let err = e.fail(&[
        "key",
        "add",
        "--recipient",
        "age1nosuchplugin1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqsgz7lp7",
    ]);
    assert!(
        err.contains("not a valid age recipient") || err.contains("age-plugin-nosuchplugin"),
        "{err}"
    );
    assert_eq!(e.vault_bytes(), before);
}
