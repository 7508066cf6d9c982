//! Key slots: the encrypted slot details (labels, recipients, dates), the
//! passphrase slot, teammates' recipient slots, removal. Every change
//! rewrites only the header; the payload bytes stay.

use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::file::read_vault_file;
use super::now_rfc3339;
use super::unlock::check_unlocked_parts;
use super::Vault;
use crate::error::VaultError;
use crate::format::{KeyFileRef, RawSlot, SlotKind, MAX_SLOTS};
use crate::fsutil::Existing;
use crate::kdf::{self, KdfParams};
use crate::keyfile;
use crate::seal;
use crate::secret::{MasterKey, Passphrase};

/// A key slot, with the details kept encrypted in the header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlotInfo {
    /// Short id ("1", "2", ...), unique within the vault.
    pub id: String,
    pub kind: SlotKind,
    /// The age public key (`age1...`) of a recipient slot.
    pub recipient: Option<String>,
    pub label: String,
    /// When the slot was written (RFC 3339, UTC).
    pub created: String,
}

#[derive(Serialize, Deserialize)]
pub(super) struct InfoDoc {
    pub(super) slots: Vec<InfoEntry>,
    /// Absent (not null) when not travelling, so the block of a vault
    /// that never travelled reads as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) travel_since: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct InfoEntry {
    pub(super) id: String,
    pub(super) label: String,
    pub(super) created: String,
    pub(super) recipient: Option<String>,
}

pub(super) const INFO_LIMIT: usize = 64 * 1024;

pub(super) const LABEL_MAX: usize = 200;

/// The armored slot-info block for `info` (and the travel-mode date),
/// encrypted to `key`.
pub(super) fn seal_info(
    info: &[SlotInfo],
    travel_since: Option<&str>,
    key: &MasterKey,
) -> Result<String, VaultError> {
    let doc = InfoDoc {
        slots: info
            .iter()
            .map(|s| InfoEntry {
                id: s.id.clone(),
                label: s.label.clone(),
                created: s.created.clone(),
                recipient: s.recipient.clone(),
            })
            .collect(),
        travel_since: travel_since.map(str::to_string),
    };
    let json = Zeroizing::new(serde_json::to_vec(&doc).map_err(|_| VaultError::Encryption)?);
    let r = key.recipient();
    seal::seal_armored(&[&r], &json)
}

pub(super) fn check_label(label: &str) -> Result<(), VaultError> {
    if label.chars().count() > LABEL_MAX || label.chars().any(|c| c.is_control()) {
        return Err(VaultError::InvalidLabel);
    }
    Ok(())
}

pub(super) fn next_slot_id(slots: &[RawSlot]) -> String {
    let max = slots
        .iter()
        .filter_map(|s| s.id.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    (max + 1).to_string()
}

impl Vault {
    /// The key slots, with their (encrypted-at-rest) labels and recipients.
    pub fn slots(&self) -> Vec<SlotInfo> {
        self.info.clone()
    }

    pub(super) fn reseal_info(&mut self) -> Result<(), VaultError> {
        self.header.slot_info = seal_info(&self.info, self.travel_since.as_deref(), &self.key)?;
        Ok(())
    }

    /// Rewrites the header only (slots changed), keeping the payload bytes
    /// on disk exactly as they are.
    pub(super) fn rewrite_header(&mut self) -> Result<(), VaultError> {
        let bytes = read_vault_file(&self.path)?;
        let parsed = check_unlocked_parts(&bytes, &self.path)?;
        if parsed.header.payload_sha256 != self.header.payload_sha256 {
            // Should not happen while we hold the lock.
            return Err(VaultError::damaged(&self.path));
        }
        let payload = bytes[parsed.header_len..].to_vec();
        drop(bytes);
        self.write_file(&payload, Existing::Replace)
    }

    /// Writes a fresh secret into the key-file area the header does not
    /// name (creating the key file if the vault has none yet) and returns
    /// the reference to it. Nothing depends on that area until a header
    /// naming it is written, so a crash in between loses nothing.
    pub(super) fn prepare_keyfile_area(&self) -> Result<(KeyFileRef, keyfile::Secret), VaultError> {
        let (id, area) = match &self.header.keyfile {
            Some(r) => (r.id.clone(), 1 - r.area),
            None => (keyfile::create_or_reuse(&self.path)?, 0),
        };
        let secret = keyfile::new_secret();
        keyfile::write_area(&self.path, &id, area, &secret)?;
        let check = keyfile::check_value(&secret);
        Ok((KeyFileRef { id, area, check }, secret))
    }

    /// A format-1 vault opened with its passphrase gets its key file at
    /// the first commit: the passphrase slot is rewrapped to the identity
    /// bound to a new key-file secret (the Argon2id output of the unlock
    /// was kept for this; no second derivation). The caller writes the
    /// header and restores it if that fails. Copies written before this
    /// commit still open with the passphrase alone (see SECURITY.md).
    pub(super) fn migrate_passphrase_slot(&mut self) -> Result<(), VaultError> {
        let Some(derived) = self.migration.as_ref() else {
            return Ok(());
        };
        let Some(i) = self
            .header
            .slots
            .iter()
            .position(|s| s.kind == SlotKind::Passphrase)
        else {
            return Ok(());
        };
        if self.header.keyfile.is_some() {
            return Ok(());
        }
        let (r, secret) = self.prepare_keyfile_area()?;
        let pid = seal::passphrase_slot_identity(derived, Some(&secret));
        self.header.slots[i].armor = seal::wrap_master(&self.key, &pid.to_public())?;
        self.header.keyfile = Some(r);
        Ok(())
    }

    /// Replaces the passphrase slot (or adds one) with one for `new`, with
    /// a fresh salt and `kdf` (default: the current parameters), bound to
    /// a fresh secret in the other area of the key file. Only the header is
    /// rewritten; the payload bytes stay as they are. Afterwards the old
    /// area is overwritten in place, so copies of the vault from before the
    /// change no longer open with the old passphrase either (best effort:
    /// if that overwrite fails, they do, as they did before the change).
    /// Ends travel mode.
    pub fn change_passphrase(
        &mut self,
        new: &Passphrase,
        kdf: Option<KdfParams>,
    ) -> Result<(), VaultError> {
        self.require_write()?;
        let params = kdf.unwrap_or(self.header.kdf);
        params.check()?;
        let old = (
            self.header.clone(),
            self.info.clone(),
            self.travel_since.clone(),
        );
        let old_area = self.header.keyfile.as_ref().map(|r| r.area);
        self.header.kdf = params;
        self.header.salt = kdf::new_salt();
        let result = (|| {
            // The slow derivation first: nothing is written before it.
            let derived = seal::derive_passphrase_key(new, &self.header)?;
            let (r, secret) = self.prepare_keyfile_area()?;
            let pid = seal::passphrase_slot_identity(&derived, Some(&secret));
            let armor = seal::wrap_master(&self.key, &pid.to_public())?;
            self.header.keyfile = Some(r);
            let now = now_rfc3339();
            if let Some(i) = self
                .header
                .slots
                .iter()
                .position(|s| s.kind == SlotKind::Passphrase)
            {
                self.header.slots[i].armor = armor;
                self.info[i].created = now;
            } else {
                if self.header.slots.len() >= MAX_SLOTS {
                    return Err(VaultError::TooManySlots { max: MAX_SLOTS });
                }
                let id = next_slot_id(&self.header.slots);
                self.header.slots.push(RawSlot {
                    id: id.clone(),
                    kind: SlotKind::Passphrase,
                    armor,
                });
                self.info.push(SlotInfo {
                    id,
                    kind: SlotKind::Passphrase,
                    recipient: None,
                    label: "passphrase".into(),
                    created: now,
                });
            }
            self.travel_since = None;
            self.reseal_info()?;
            self.rewrite_header()
        })();
        if result.is_err() {
            (self.header, self.info, self.travel_since) = old;
            return result;
        }
        self.migration = None;
        if let Some(area) = old_area {
            let _ = keyfile::wipe_areas(&self.path, Some(area));
        }
        Ok(())
    }

    /// Travel mode, for a border crossing where any passphrase can be
    /// demanded: removes the passphrase slot, then overwrites both areas
    /// of the key file in place, so that neither this vault nor any copy
    /// of it left on the disk opens with anything the traveller carries.
    /// Only the other key slots (a teammate's key, a hardware key left at
    /// home) open it until [`Vault::travel_end`]. Refused without such a
    /// slot (`TravelNeedsAnotherKey`) and when already travelling.
    pub fn travel_start(&mut self) -> Result<(), VaultError> {
        self.require_write()?;
        if self.travel_since.is_some() {
            return Err(VaultError::AlreadyTravelling);
        }
        if !self
            .header
            .slots
            .iter()
            .any(|s| s.kind == SlotKind::Recipient)
        {
            return Err(VaultError::TravelNeedsAnotherKey);
        }
        let old = (
            self.header.clone(),
            self.info.clone(),
            self.travel_since.clone(),
        );
        if let Some(i) = self
            .header
            .slots
            .iter()
            .position(|s| s.kind == SlotKind::Passphrase)
        {
            self.header.slots.remove(i);
            self.info.remove(i);
        }
        self.header.keyfile = None;
        self.travel_since = Some(now_rfc3339());
        let result = self.reseal_info().and_then(|()| self.rewrite_header());
        if result.is_err() {
            (self.header, self.info, self.travel_since) = old;
            return result;
        }
        self.migration = None;
        keyfile::wipe_areas(&self.path, None)
    }

    /// Ends travel mode: a new passphrase slot for `passphrase` (with
    /// `kdf`, default the current parameters), bound to a fresh key-file
    /// secret. The vault must have been opened with another key slot.
    pub fn travel_end(
        &mut self,
        passphrase: &Passphrase,
        kdf: Option<KdfParams>,
    ) -> Result<(), VaultError> {
        self.require_write()?;
        if self.travel_since.is_none() {
            return Err(VaultError::NotTravelling);
        }
        self.change_passphrase(passphrase, kdf)
    }

    /// When travel mode started (RFC 3339, UTC), while it lasts.
    pub fn travel_since(&self) -> Option<&str> {
        self.travel_since.as_deref()
    }

    /// The key file this vault's passphrase slot needs (`<vault>.key`), if
    /// it has one (not in format 1, not in travel mode).
    pub fn key_file(&self) -> Option<PathBuf> {
        self.header
            .keyfile
            .as_ref()
            .map(|_| keyfile::path(&self.path))
    }

    /// Adds a key slot for an age X25519 recipient (`age1...`): whoever
    /// holds the matching identity can open the vault with
    /// `Unlock::Identity`. Rewrites the header only.
    pub fn add_recipient(&mut self, recipient: &str, label: &str) -> Result<SlotInfo, VaultError> {
        self.require_write()?;
        check_label(label)?;
        let r = age::x25519::Recipient::from_str(recipient.trim()).map_err(|_| {
            VaultError::InvalidRecipient {
                recipient: recipient.chars().take(100).collect(),
            }
        })?;
        let canonical = r.to_string();
        if let Some(s) = self
            .info
            .iter()
            .find(|s| s.recipient.as_deref() == Some(canonical.as_str()))
        {
            return Err(VaultError::DuplicateRecipient { id: s.id.clone() });
        }
        if self.header.slots.len() >= MAX_SLOTS {
            return Err(VaultError::TooManySlots { max: MAX_SLOTS });
        }
        let old = (self.header.clone(), self.info.clone());
        let id = next_slot_id(&self.header.slots);
        let info = SlotInfo {
            id: id.clone(),
            kind: SlotKind::Recipient,
            recipient: Some(canonical),
            label: label.to_string(),
            created: now_rfc3339(),
        };
        let result = (|| {
            let armor = seal::wrap_master(&self.key, &r)?;
            self.header.slots.push(RawSlot {
                id,
                kind: SlotKind::Recipient,
                armor,
            });
            self.info.push(info.clone());
            self.reseal_info()?;
            self.rewrite_header()
        })();
        if result.is_err() {
            (self.header, self.info) = old;
        }
        result.map(|()| info)
    }

    /// Removes a key slot. Refuses to remove the last slot (every slot
    /// opens the vault on its own). Rewrites the header only.
    ///
    /// Note: whoever could open the slot before may have kept the master
    /// key; removal stops the slot from working, not a copy of the key.
    /// Follow it with [`Vault::rekey`] to make such a copy useless for the
    /// vault from then on.
    pub fn remove_slot(&mut self, id: &str) -> Result<(), VaultError> {
        self.require_write()?;
        let i = self
            .header
            .slots
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| VaultError::NoSuchSlot {
                id: id.chars().take(20).collect(),
            })?;
        if self.header.slots.len() == 1 {
            return Err(VaultError::LastSlot { id: id.to_string() });
        }
        let old = (self.header.clone(), self.info.clone());
        self.header.slots.remove(i);
        self.info.remove(i);
        let result = self.reseal_info().and_then(|()| self.rewrite_header());
        if result.is_err() {
            (self.header, self.info) = old;
        }
        result
    }
}
