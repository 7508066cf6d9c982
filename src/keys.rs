//! The key workflows: who can open the vault (key slots, the passphrase,
//! travel mode), replacing its master key, and backups.
//!
//! Each changes the vault file's header or the files beside it, which the
//! vault crate does atomically, and is recorded in the audit log by a commit
//! of the records. The order of the two differs on purpose:
//! - a key slot added or removed, a new passphrase, the end of travel mode
//!   and a backup are audited after the change succeeded (the audit log
//!   says what happened, not what was tried);
//! - a rotation commits the records first, because the new master key
//!   re-encrypts the committed database, and is audited after;
//! - the start of travel mode is audited before, in the last commit the
//!   passphrase can still open: the slot removal and the key-file erasure
//!   come right after and cannot be followed by a commit that a later
//!   `travel end` would not see.
//!
//! Asking for passphrases and confirmations is the caller's part; these
//! functions take what was given.
//!
//! Error rules: a [`KeysError`] names key slots by id and files by the
//! name the user typed; it never carries a secret.

use crate::commit::{CommitError, OpenVault};
use crate::records::{audit, RecordsError};
use fieldvault_vault::{
    BackupInfo, BackupTo, KdfParams, Passphrase, RekeyInfo, SlotInfo, SlotKind, VaultError,
};
use serde_json::json;
use std::path::Path;

/// Why a key change was refused or not recorded.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Records(#[from] RecordsError),
    #[error("{0}")]
    Commit(#[from] CommitError),
    #[error("the vault is already in travel mode; nothing was changed")]
    AlreadyTravelling,
    #[error("the vault is not in travel mode; nothing was changed")]
    NotTravelling,
    #[error("a file already exists at {0}; nothing was written")]
    BackupExists(String),
}

type Result<T, E = KeysError> = std::result::Result<T, E>;

fn audited(vault: &mut impl OpenVault, action: &str, detail: serde_json::Value) -> Result<()> {
    vault.commit(|tx| -> Result<()> {
        audit::append(tx, action, detail)?;
        Ok(())
    })
}

/// Adds a key slot for an age recipient (X25519 or a plugin's).
pub fn add_recipient(vault: &mut impl OpenVault, recipient: &str, label: &str) -> Result<SlotInfo> {
    let slot = vault.vault_mut().add_recipient(recipient, label)?;
    audited(
        vault,
        "key add",
        json!({ "slot": slot.id, "recipient": recipient, "label": label }),
    )?;
    Ok(slot)
}

/// Removes the key slot `id`.
pub fn remove_slot(vault: &mut impl OpenVault, id: &str) -> Result<()> {
    vault.vault_mut().remove_slot(id)?;
    audited(vault, "key remove", json!({ "slot": id }))
}

/// Whether the vault has a passphrase slot, which a rotation rewraps with
/// a passphrase the caller asks for.
pub fn has_passphrase_slot(vault: &impl OpenVault) -> bool {
    vault
        .vault()
        .slots()
        .iter()
        .any(|x| x.kind == SlotKind::Passphrase)
}

/// Replaces the vault's master key: every slot is rewrapped (the
/// passphrase slot with `passphrase`) and every evidence file re-encrypted.
pub fn rotate(vault: &mut impl OpenVault, passphrase: Option<&Passphrase>) -> Result<RekeyInfo> {
    // Commit first: rekey re-encrypts the committed database.
    vault.commit(|_| -> Result<()> { Ok(()) })?;
    let info = vault.vault_mut().rekey(passphrase)?;
    audited(
        vault,
        "key rotate",
        json!({ "slots": info.slots, "attachments": info.attachments }),
    )?;
    Ok(info)
}

/// Changes the passphrase (and, with `params`, the Argon2id cost).
pub fn change_passphrase(
    vault: &mut impl OpenVault,
    new: &Passphrase,
    params: Option<KdfParams>,
) -> Result<()> {
    vault.vault_mut().change_passphrase(new, params)?;
    audited(vault, "passwd", json!({}))
}

/// Checks that travel mode can start; returns how many other key slots
/// will still open the vault. Changes nothing.
pub fn travel_start_check(vault: &impl OpenVault) -> Result<usize> {
    if vault.vault().travel_since().is_some() {
        return Err(KeysError::AlreadyTravelling);
    }
    let others = vault
        .vault()
        .slots()
        .iter()
        .filter(|x| x.kind != SlotKind::Passphrase)
        .count();
    if others == 0 {
        // The vault crate refuses too; say it before anything is asked.
        return Err(VaultError::TravelNeedsAnotherKey.into());
    }
    Ok(others)
}

/// Starts travel mode: the passphrase slot is removed and the key file
/// erased. Returns how many other key slots still open the vault.
pub fn travel_start(vault: &mut impl OpenVault) -> Result<usize> {
    let others = travel_start_check(vault)?;
    audited(vault, "travel start", json!({ "other_slots": others }))?;
    vault.vault_mut().travel_start()?;
    Ok(others)
}

/// Checks that the vault is in travel mode. Changes nothing.
pub fn travel_end_check(vault: &impl OpenVault) -> Result<()> {
    if vault.vault().travel_since().is_none() {
        return Err(KeysError::NotTravelling);
    }
    Ok(())
}

/// Ends travel mode with a new passphrase slot.
pub fn travel_end(vault: &mut impl OpenVault, passphrase: &Passphrase) -> Result<()> {
    travel_end_check(vault)?;
    vault.vault_mut().travel_end(passphrase, None)?;
    audited(vault, "travel end", json!({}))
}

/// Writes a standard age-encrypted copy of the database to `out` (never
/// over an existing file).
pub fn backup(vault: &mut impl OpenVault, out: &Path, to: BackupTo) -> Result<BackupInfo> {
    if out.exists() {
        return Err(KeysError::BackupExists(out.display().to_string()));
    }
    let recipients = match &to {
        BackupTo::Recipients(r) => r.len(),
        _ => 0,
    };
    let info = vault.vault().backup(out, to)?;
    audited(
        vault,
        "backup",
        json!({ "file": out.file_name().map(|f| f.to_string_lossy().to_string()), "recipients": recipients }),
    )?;
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commit::testing::TestVault;
    use crate::commit::OpenRecords;

    fn actions(v: &TestVault) -> Vec<String> {
        audit::list(v.conn())
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }

    fn teammate() -> String {
        age::x25519::Identity::generate().to_public().to_string()
    }

    #[test]
    fn slot_changes_are_audited_after_they_succeed() {
        let mut v = TestVault::new();
        let slot = add_recipient(&mut v, &teammate(), "Aigerim").unwrap();
        remove_slot(&mut v, &slot.id).unwrap();
        assert_eq!(actions(&v), ["key add", "key remove"]);
        // A refused change is not in the audit log.
        assert!(remove_slot(&mut v, &slot.id).is_err());
        assert!(add_recipient(&mut v, "not a key", "x").is_err());
        assert_eq!(actions(&v), ["key add", "key remove"]);
    }

    #[test]
    fn travel_mode_needs_another_key_and_is_audited_before_it_starts() {
        let mut v = TestVault::new();
        assert!(matches!(
            travel_start(&mut v),
            Err(KeysError::Vault(VaultError::TravelNeedsAnotherKey))
        ));
        assert!(matches!(
            travel_end_check(&v),
            Err(KeysError::NotTravelling)
        ));
        add_recipient(&mut v, &teammate(), "home").unwrap();
        assert_eq!(travel_start(&mut v).unwrap(), 1);
        assert!(!has_passphrase_slot(&v));
        assert!(matches!(
            travel_start_check(&v),
            Err(KeysError::AlreadyTravelling)
        ));
        assert_eq!(actions(&v), ["key add", "travel start"]);
    }

    #[test]
    fn rotation_and_backup_are_audited() {
        let mut v = TestVault::new();
        let pass = Passphrase::new("another correct horse battery".into()).unwrap();
        assert!(has_passphrase_slot(&v));
        let info = rotate(&mut v, Some(&pass)).unwrap();
        assert_eq!(info.slots, 1);
        let out = v.dir.path().join("backup.age");
        backup(&mut v, &out, BackupTo::Recipients(vec![teammate()])).unwrap();
        assert!(matches!(
            backup(&mut v, &out, BackupTo::Recipients(vec![teammate()])),
            Err(KeysError::BackupExists(_))
        ));
        assert_eq!(actions(&v), ["key rotate", "backup"]);
    }
}
