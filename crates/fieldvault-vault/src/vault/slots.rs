//! Key slots: the encrypted slot details (labels, recipients, dates), the
//! passphrase slot, teammates' recipient slots, removal. Every change
//! rewrites only the header; the payload bytes stay.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::file::read_vault_file;
use super::now_rfc3339;
use super::unlock::check_unlocked_parts;
use super::Vault;
use crate::error::VaultError;
use crate::format::{RawSlot, SlotKind, MAX_SLOTS};
use crate::fsutil::Existing;
use crate::kdf::{self, KdfParams};
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

/// The armored slot-info block for `info`, encrypted to `key`.
pub(super) fn seal_info(info: &[SlotInfo], key: &MasterKey) -> Result<String, VaultError> {
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
        self.header.slot_info = seal_info(&self.info, &self.key)?;
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

    /// Replaces the passphrase slot (or adds one) with one for `new`, with
    /// a fresh salt and `kdf` (default: the current parameters). Only the
    /// header is rewritten; the payload bytes stay as they are.
    pub fn change_passphrase(
        &mut self,
        new: &Passphrase,
        kdf: Option<KdfParams>,
    ) -> Result<(), VaultError> {
        self.require_write()?;
        let params = kdf.unwrap_or(self.header.kdf);
        params.check()?;
        let old = (self.header.clone(), self.info.clone());
        self.header.kdf = params;
        self.header.salt = kdf::new_salt();
        let result = (|| {
            let pid = seal::passphrase_identity(new, &self.header)?;
            let armor = seal::wrap_master(&self.key, &pid.to_public())?;
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
            self.reseal_info()?;
            self.rewrite_header()
        })();
        if result.is_err() {
            (self.header, self.info) = old;
        }
        result
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
