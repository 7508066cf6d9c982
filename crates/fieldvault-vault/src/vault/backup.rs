//! Backups: the last committed database as a standard age file, for
//! recovery with the age tools alone.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::file::{read_vault_file, refuse_existing};
use super::unlock::{check_unlocked_parts, stale, verify_with_key};
use super::Vault;
use crate::error::VaultError;
use crate::fsutil::{self, Existing};
use crate::keys::{AnyRecipient, Recipients};
use crate::seal;
use crate::secret::Passphrase;

/// Where a backup is encrypted to.
#[derive(Debug)]
pub enum BackupTo {
    /// age X25519 recipients (`age1...`).
    Recipients(Vec<String>),
    /// A passphrase, with age's own scrypt recipient (`age -d` asks for it).
    Passphrase(Passphrase),
}

/// What a backup wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub size: u64,
    /// The recipients it is encrypted to (empty for a passphrase backup).
    pub recipients: Vec<String>,
    pub passphrase: bool,
    /// SHA-256 of the backup file (hex), to compare copies.
    pub sha256: String,
}

impl Vault {
    /// Writes a standard age file of the database image (as last
    /// committed) to `out`, for age/rage to decrypt with the matching
    /// identity or passphrase; no fieldvault needed to recover. Refuses an
    /// existing `out`; atomic write (temp file, fsync, link, fsync folder).
    pub fn backup(&self, out: &Path, to: BackupTo) -> Result<BackupInfo, VaultError> {
        refuse_existing(out)?;
        let (encryptor, recipients, passphrase) = match &to {
            BackupTo::Recipients(list) => {
                if list.is_empty() {
                    return Err(VaultError::InvalidRecipient {
                        recipient: String::new(),
                    });
                }
                let parsed = list
                    .iter()
                    .map(|s| AnyRecipient::parse(s))
                    .collect::<Result<Vec<_>, _>>()?;
                let names = parsed.iter().map(AnyRecipient::canonical).collect();
                let recipients = Recipients::new(&parsed)?;
                let enc = age::Encryptor::with_recipients(recipients.as_dyn().into_iter())
                    .map_err(|_| VaultError::Encryption)?;
                (enc, names, false)
            }
            BackupTo::Passphrase(p) => (
                age::Encryptor::with_user_passphrase(p.to_age_secret()),
                Vec::new(),
                true,
            ),
        };
        let bytes = read_vault_file(&self.path)?;
        let parsed = check_unlocked_parts(&bytes, &self.path)?;
        verify_with_key(&bytes, &parsed, &self.key, &self.path).map_err(stale)?;
        let id = self.key.identity();
        let file = seal::reencrypt(&bytes[parsed.header_len..], &id, encryptor)
            .ok_or_else(|| VaultError::damaged(&self.path))?;
        drop(bytes);
        fsutil::write_atomic(out, &[&file], Existing::Refuse, &|| Ok(()))?;
        Ok(BackupInfo {
            path: out.to_path_buf(),
            size: file.len() as u64,
            recipients,
            passphrase,
            sha256: hex::encode(Sha256::digest(&file)),
        })
    }
}
