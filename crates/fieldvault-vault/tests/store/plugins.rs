//! age plugin recipients and identities (hardware keys), tested with the
//! example plugin of the `age-plugin` crate, which speaks the real plugin
//! protocol without hardware:
//! `cargo install age-plugin --example age-plugin-unencrypted`.
//! Skipped (with a note) when that binary is not on PATH.

use std::process::Command;

use fieldvault_vault::{Access, BackupTo, Vault, VaultError};

use crate::util::*;

/// (recipient, identity) printed by the example plugin run without
/// arguments, or None when it is not installed.
fn example_plugin_keys() -> Option<(String, String)> {
    let out = match Command::new("age-plugin-unencrypted").output() {
        Ok(o) if o.status.success() => o,
        _ => {
            eprintln!("plugin tests skipped: age-plugin-unencrypted is not on PATH");
            return None;
        }
    };
    let text = String::from_utf8(out.stdout).unwrap();
    let find = |prefix: &str| {
        text.split_whitespace()
            .find(|w| w.starts_with(prefix))
            .map(str::to_string)
    };
    Some((find("age1unencrypted1")?, find("AGE-PLUGIN-UNENCRYPTED-")?))
}

#[test]
fn plugin_slot_opens_the_vault_and_survives_rekey() {
    let Some((recipient, identity)) = example_plugin_keys() else {
        return;
    };
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["hello field"]);
    let slot = v.add_recipient(&recipient, "hardware key").unwrap();
    assert_eq!(slot.recipient.as_deref(), Some(recipient.as_str()));
    assert!(matches!(
        v.add_recipient(&recipient, "again"),
        Err(VaultError::DuplicateRecipient { .. })
    ));
    drop(v);
    let unlock_plugin = identity_unlock(&format!("# plugin\n{identity}\n"));
    let mut v = Vault::open(&p, &unlock_plugin, write_access()).unwrap();
    assert_eq!(notes(&v), ["hello field"]);
    // Re-keying rewraps the plugin slot through the plugin.
    v.rekey(Some(&pass())).unwrap();
    drop(v);
    let v = Vault::open(&p, &unlock_plugin, Access::Read).unwrap();
    assert_eq!(notes(&v), ["hello field"]);

    // A backup to the plugin recipient is a standard age file the plugin
    // identity decrypts (the age crate here; the `age` tool does the same).
    let out = t.path("backup.age");
    v.backup(&out, BackupTo::Recipients(vec![recipient.clone()]))
        .unwrap();
    let file = std::fs::read(&out).unwrap();
    let id: age::plugin::Identity = identity.parse().unwrap();
    let plugin = age::plugin::IdentityPluginV1::new("unencrypted", &[id], Quiet).unwrap();
    let dec = age::Decryptor::new_buffered(&file[..]).unwrap();
    let mut r = dec
        .decrypt(std::iter::once(&plugin as &dyn age::Identity))
        .unwrap();
    let mut image = Vec::new();
    std::io::Read::read_to_end(&mut r, &mut image).unwrap();
    assert!(image.starts_with(b"SQLite format 3\0"));
    // And with the age command-line tool, when installed.
    let key = t.path("plugin.key");
    std::fs::write(&key, format!("{identity}\n")).unwrap();
    if let Ok(o) = Command::new("age")
        .args(["-d", "-i"])
        .arg(&key)
        .arg(&out)
        .output()
    {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(o.stdout, image);
    }
}

/// Callbacks for the test's own decryption: the example plugin asks for
/// nothing.
#[derive(Clone, Copy)]
struct Quiet;

impl age::Callbacks for Quiet {
    fn display_message(&self, _: &str) {}
    fn confirm(&self, _: &str, _: &str, _: Option<&str>) -> Option<bool> {
        None
    }
    fn request_public_string(&self, _: &str) -> Option<String> {
        None
    }
    fn request_passphrase(&self, _: &str) -> Option<age::secrecy::SecretString> {
        None
    }
}

#[test]
fn unknown_plugin_is_one_line_and_changes_nothing() {
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["x"]);
    let before = std::fs::read(&p).unwrap();
    // A well-formed recipient of a plugin nobody installed.
    let hrp = bech32::Hrp::parse("age1nosuchplugin").unwrap();
    let r = bech32::encode::<bech32::Bech32>(hrp, &[7u8; 32]).unwrap();
    let e = v.add_recipient(&r, "x").unwrap_err();
    assert!(
        matches!(&e, VaultError::PluginMissing { name } if name == "nosuchplugin"),
        "{e:?}"
    );
    let e2 = v.add_recipient("age1-not-a-key", "x").unwrap_err();
    assert!(matches!(e2, VaultError::InvalidRecipient { .. }), "{e2:?}");
    assert!(!e.to_string().contains('\n'));
    assert_eq!(std::fs::read(&p).unwrap(), before);
    assert_eq!(v.slots().len(), 1);
}
