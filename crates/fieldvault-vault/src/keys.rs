//! Recipients and identities other than the passphrase: age X25519 keys
//! (`age1...`, `AGE-SECRET-KEY-1...`) and age plugins (`age1yubikey1...`,
//! `age1fido2-hmac1...`, `AGE-PLUGIN-...`), whose binaries
//! (`age-plugin-<name>`) are found on PATH as age itself finds them.
//!
//! A hardware key is a key slot like a teammate's: the plugin wraps the
//! master identity for the key, and unwraps it when the key is present.

use std::str::FromStr;

use age::secrecy::SecretString;

use crate::error::VaultError;

/// A parsed recipient of a key slot or a backup.
#[derive(Clone)]
pub(crate) enum AnyRecipient {
    X25519(age::x25519::Recipient),
    Plugin(age::plugin::Recipient),
}

impl AnyRecipient {
    /// Parses `s` (surrounding white space ignored); `InvalidRecipient`
    /// names the first 100 characters of what was given.
    pub(crate) fn parse(s: &str) -> Result<AnyRecipient, VaultError> {
        let t = s.trim();
        if let Ok(r) = age::x25519::Recipient::from_str(t) {
            return Ok(AnyRecipient::X25519(r));
        }
        match age::plugin::Recipient::from_str(t) {
            Ok(r) => Ok(AnyRecipient::Plugin(r)),
            Err(_) => Err(VaultError::InvalidRecipient {
                recipient: s.chars().take(100).collect(),
            }),
        }
    }

    /// The canonical string (what is stored in the slot details).
    pub(crate) fn canonical(&self) -> String {
        match self {
            AnyRecipient::X25519(r) => r.to_string(),
            AnyRecipient::Plugin(r) => r.to_string(),
        }
    }
}

/// Plugin callbacks without a terminal: messages (such as "touch your
/// key") go to standard error; requests for a PIN, a confirmation or a
/// string are declined, so a plugin that needs one fails closed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NoPrompts;

impl age::Callbacks for NoPrompts {
    fn display_message(&self, message: &str) {
        eprintln!("{}", message.lines().next().unwrap_or(""));
    }

    fn confirm(&self, _: &str, _: &str, _: Option<&str>) -> Option<bool> {
        None
    }

    fn request_public_string(&self, _: &str) -> Option<String> {
        None
    }

    fn request_passphrase(&self, _: &str) -> Option<SecretString> {
        None
    }
}

/// What age's recipient list for an encryption holds.
pub(crate) struct Recipients {
    x25519: Vec<age::x25519::Recipient>,
    plugins: Vec<age::plugin::RecipientPluginV1<NoPrompts>>,
}

impl Recipients {
    /// Starts the plugin of every plugin recipient (grouped by plugin):
    /// `PluginMissing` when its binary is not on PATH.
    pub(crate) fn new(list: &[AnyRecipient]) -> Result<Recipients, VaultError> {
        let mut x25519 = Vec::new();
        let mut by_plugin: Vec<(String, Vec<age::plugin::Recipient>)> = Vec::new();
        for r in list {
            match r {
                AnyRecipient::X25519(r) => x25519.push(r.clone()),
                AnyRecipient::Plugin(r) => {
                    let name = r.plugin().to_string();
                    match by_plugin.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, v)) => v.push(r.clone()),
                        None => by_plugin.push((name, vec![r.clone()])),
                    }
                }
            }
        }
        let mut plugins = Vec::new();
        for (name, rs) in by_plugin {
            let p = age::plugin::RecipientPluginV1::new(&name, &rs, &[], NoPrompts)
                .map_err(|_| VaultError::PluginMissing { name: name.clone() })?;
            plugins.push(p);
        }
        Ok(Recipients { x25519, plugins })
    }

    /// The list as age takes it.
    pub(crate) fn as_dyn(&self) -> Vec<&dyn age::Recipient> {
        let mut v: Vec<&dyn age::Recipient> = Vec::new();
        v.extend(self.x25519.iter().map(|r| r as &dyn age::Recipient));
        v.extend(self.plugins.iter().map(|r| r as &dyn age::Recipient));
        v
    }
}

/// Plugin identities of an identity file, ready for decryption (one
/// plugin process per plugin name, started when a slot is tried).
pub(crate) fn plugin_identities(
    list: &[age::plugin::Identity],
) -> Result<Vec<age::plugin::IdentityPluginV1<NoPrompts>>, VaultError> {
    let mut names: Vec<String> = Vec::new();
    for i in list {
        if !names.iter().any(|n| n == i.plugin()) {
            names.push(i.plugin().to_string());
        }
    }
    names
        .into_iter()
        .map(|name| {
            age::plugin::IdentityPluginV1::new(&name, list, NoPrompts)
                .map_err(|_| VaultError::PluginMissing { name })
        })
        .collect()
}
