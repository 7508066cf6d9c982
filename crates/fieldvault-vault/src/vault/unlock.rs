//! Unlocking: the checks that need no key (structure, sizes, payload
//! hash), unwrapping the master key from a key slot, verifying the header
//! MAC, decrypting the payload into an in-memory SQLite database set up
//! so that it never spills plaintext to disk.

use std::io::Read;
use std::iter;
use std::path::Path;

use rusqlite::Connection;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::slots::{InfoDoc, SlotInfo, INFO_LIMIT};
use crate::error::VaultError;
use crate::format::{self, Header, SlotKind};
use crate::keyfile;
use crate::seal;
use crate::secret::{IdentityFile, MasterKey, Passphrase};

/// How to unlock a vault.
#[derive(Debug)]
pub enum Unlock {
    /// With the passphrase (opens the passphrase key slot).
    Passphrase(Passphrase),
    /// With an age identity file (opens a recipient key slot).
    Identity(IdentityFile),
}

/// Settings for [`crate::Vault::open_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenSettings {
    /// Derive even with KDF parameters costing more than
    /// [`crate::UNTRUSTED_COST_FACTOR`] times the default (the owner made
    /// the vault so; the CLI's `--trust-kdf-params`). The fixed caps of
    /// [`crate::KdfParams::check`] hold either way.
    pub trust_kdf_params: bool,
}

/// What the encrypted slot-details block holds besides the slots.
pub(super) struct Details {
    pub(super) slots: Vec<SlotInfo>,
    /// When travel mode started (RFC 3339), while it lasts.
    pub(super) travel_since: Option<String>,
}

/// Parses and verifies everything that can be checked without a key:
/// structure, length, payload hash. Returns the parsed header.
pub(super) fn check_unlocked_parts(
    bytes: &[u8],
    path: &Path,
) -> Result<format::Parsed, VaultError> {
    let parsed = format::parse(bytes, path)?;
    let total = (parsed.header_len as u64).checked_add(parsed.header.payload_len);
    if total != Some(bytes.len() as u64) {
        return Err(VaultError::damaged(path));
    }
    let payload = &bytes[parsed.header_len..];
    if Sha256::digest(payload).as_slice() != parsed.header.payload_sha256 {
        return Err(VaultError::damaged(path));
    }
    Ok(parsed)
}

/// Verifies the MAC with `key` and opens the slot-info block.
pub(super) fn verify_with_key(
    bytes: &[u8],
    parsed: &format::Parsed,
    key: &MasterKey,
    path: &Path,
) -> Result<Details, VaultError> {
    if !seal::verify_mac(key, &bytes[..parsed.mac_covered], &parsed.mac) {
        return Err(VaultError::HeaderTampered);
    }
    let id = key.identity();
    let pt = seal::open_armored(&parsed.header.slot_info, &[&id], INFO_LIMIT)
        .ok_or_else(|| VaultError::damaged(path))?;
    let doc: InfoDoc = serde_json::from_slice(&pt).map_err(|_| VaultError::damaged(path))?;
    let slots = &parsed.header.slots;
    if doc.slots.len() != slots.len() {
        return Err(VaultError::damaged(path));
    }
    let mut out = Vec::with_capacity(slots.len());
    for (raw, e) in slots.iter().zip(doc.slots) {
        if raw.id != e.id {
            return Err(VaultError::damaged(path));
        }
        out.push(SlotInfo {
            id: e.id,
            kind: raw.kind,
            recipient: e.recipient,
            label: e.label,
            created: e.created,
        });
    }
    Ok(Details {
        slots: out,
        travel_since: doc.travel_since,
    })
}

/// For a session re-reading its vault: a MAC that no longer verifies with
/// the key it unlocked means the file was re-keyed, replaced or altered.
pub(super) fn stale(e: VaultError) -> VaultError {
    match e {
        VaultError::HeaderTampered => VaultError::KeyChanged,
        other => other,
    }
}

/// A master key unwrapped from a slot, and for a format-1 passphrase
/// slot (no key file yet) the Argon2id output, kept to give the slot its
/// key file at the next commit.
pub(super) type Unwrapped = (MasterKey, Option<Zeroizing<[u8; 32]>>);

/// Opens a key slot of `header` (the vault at `path`) with `unlock`. For
/// the passphrase: the caps and, unless trusted, the cost limit are
/// checked and the key file is read before the slow derivation.
pub(super) fn unwrap_with(
    unlock: &Unlock,
    header: &Header,
    path: &Path,
    settings: OpenSettings,
) -> Result<Unwrapped, VaultError> {
    match unlock {
        Unlock::Passphrase(p) => {
            let slot = header
                .slots
                .iter()
                .find(|s| s.kind == SlotKind::Passphrase)
                .ok_or(VaultError::NoPassphraseSlot)?;
            format::check_kdf(header)?;
            if !settings.trust_kdf_params {
                header.kdf.check_untrusted()?;
            }
            let secret = match &header.keyfile {
                Some(r) => Some(keyfile::read_secret(path, r)?),
                None => None,
            };
            let derived = seal::derive_passphrase_key(p, header)?;
            let id = seal::passphrase_slot_identity(&derived, secret.as_ref());
            let key =
                seal::unwrap_master(&slot.armor, &[&id]).ok_or(VaultError::WrongPassphrase)?;
            Ok((key, secret.is_none().then_some(derived)))
        }
        Unlock::Identity(f) => {
            let ids: Vec<&dyn age::Identity> = f
                .identities()
                .iter()
                .map(|i| i as &dyn age::Identity)
                .collect();
            header
                .slots
                .iter()
                .filter(|s| s.kind == SlotKind::Recipient)
                .find_map(|s| seal::unwrap_master(&s.armor, &ids))
                .map(|k| (k, None))
                .ok_or(VaultError::WrongIdentity)
        }
    }
}

/// Builds the in-memory connection from a decrypted stream of `size` bytes.
pub(super) fn load_database(reader: &mut dyn Read, size: usize) -> Result<Connection, VaultError> {
    let mut conn = Connection::open_in_memory()?;
    if size > 0 {
        conn.deserialize_read_exact(rusqlite::MAIN_DB, &mut *reader, size, false)
            .map_err(|_| VaultError::Encryption)?;
    }
    configure(&conn)?;
    Ok(conn)
}

/// temp_store=MEMORY, secure_delete=ON, in-memory journal; verified.
pub(super) fn configure(conn: &Connection) -> Result<(), VaultError> {
    conn.execute_batch("PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON;")?;
    let ts: i64 = conn.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
    if ts != 2 {
        return Err(VaultError::UnsafeSqlite {
            setting: "temp_store=MEMORY",
        });
    }
    let sd: i64 = conn.query_row("PRAGMA secure_delete", [], |r| r.get(0))?;
    if sd != 1 {
        return Err(VaultError::UnsafeSqlite {
            setting: "secure_delete=ON",
        });
    }
    let jm: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !jm.eq_ignore_ascii_case("memory") {
        let jm: String = conn.query_row("PRAGMA journal_mode=MEMORY", [], |r| r.get(0))?;
        if !jm.eq_ignore_ascii_case("memory") {
            return Err(VaultError::UnsafeSqlite {
                setting: "journal_mode=MEMORY",
            });
        }
    }
    Ok(())
}

pub(super) fn decrypt_payload(
    key: &MasterKey,
    payload: &[u8],
    path: &Path,
) -> Result<Connection, VaultError> {
    let damaged = || VaultError::damaged(path);
    let size = seal::age_plaintext_len(payload).ok_or_else(damaged)?;
    let dec = age::Decryptor::new_buffered(payload).map_err(|_| damaged())?;
    let id = key.identity();
    let mut r = dec
        .decrypt(iter::once(&id as &dyn age::Identity))
        .map_err(|_| damaged())?;
    let conn = load_database(&mut r, size).map_err(|e| match e {
        VaultError::Encryption => damaged(),
        other => other,
    })?;
    let mut probe = [0u8; 1];
    match r.read(&mut probe) {
        Ok(0) => Ok(conn),
        _ => Err(damaged()),
    }
}
