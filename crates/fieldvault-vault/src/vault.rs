//! The open vault: create, open, commit, key slots, backup, attachments,
//! destroy.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::iter;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::VaultError;
use crate::format::{self, Header, Magic, RawSlot, SlotKind, MAX_SLOTS};
use crate::fsutil::{self, Existing, LockGuard};
use crate::hardening::harden_process;
use crate::kdf::{self, KdfParams};
use crate::seal;
use crate::secret::{IdentityFile, MasterKey, Passphrase};

mod rekey;
pub use rekey::RekeyInfo;

/// How to unlock a vault.
#[derive(Debug)]
pub enum Unlock {
    /// With the passphrase (opens the passphrase key slot).
    Passphrase(Passphrase),
    /// With an age identity file (opens a recipient key slot).
    Identity(IdentityFile),
}

/// Read-only, or with the exclusive writer lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No lock is taken; `commit` and every change fail with `ReadOnly`.
    Read,
    /// Takes the writer lock on `<vault>.lock` before reading the vault.
    /// `wait: None` fails at once with `InUse`; `Some(d)` polls up to `d`.
    Write { wait: Option<Duration> },
}

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

/// A key slot as far as the plaintext header tells (no label, no key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeaderSlot {
    pub id: String,
    pub kind: SlotKind,
}

/// What can be read from a vault without unlocking it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeaderInfo {
    pub format_version: u32,
    pub kdf: KdfParams,
    pub slots: Vec<HeaderSlot>,
    pub header_size: u64,
    pub payload_size: u64,
    pub file_size: u64,
}

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

#[derive(Serialize, Deserialize)]
struct InfoDoc {
    slots: Vec<InfoEntry>,
}

#[derive(Serialize, Deserialize)]
struct InfoEntry {
    id: String,
    label: String,
    created: String,
    recipient: Option<String>,
}

const INFO_LIMIT: usize = 64 * 1024;
const LABEL_MAX: usize = 200;

/// An open (unlocked) vault.
///
/// Holds the in-memory SQLite connection, the unwrapped master key
/// (mlocked, zeroized on drop), the parsed header and, for write access,
/// the writer lock (released on drop).
pub struct Vault {
    // Field order = drop order: the database goes first, the lock last.
    conn: Connection,
    key: MasterKey,
    header: Header,
    info: Vec<SlotInfo>,
    path: PathBuf,
    writable: bool,
    _lock: Option<LockGuard>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("writable", &self.writable)
            .finish_non_exhaustive()
    }
}

fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

fn read_vault_file(path: &Path) -> Result<Vec<u8>, VaultError> {
    match fs::read(path) {
        Ok(b) => Ok(b),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(VaultError::NotFound {
            path: path.to_path_buf(),
        }),
        Err(e) if e.kind() == io::ErrorKind::IsADirectory => Err(VaultError::NotAVault {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(VaultError::io("read", path, &e)),
    }
}

fn check_exists(path: &Path) -> Result<(), VaultError> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(VaultError::NotAVault {
            path: path.to_path_buf(),
        }),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(VaultError::NotFound {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(VaultError::io("read", path, &e)),
    }
}

fn refuse_existing(path: &Path) -> Result<(), VaultError> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(VaultError::AlreadyExists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Parses and verifies everything that can be checked without a key:
/// structure, length, payload hash. Returns the parsed header.
fn check_unlocked_parts(bytes: &[u8], path: &Path) -> Result<format::Parsed, VaultError> {
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
fn verify_with_key(
    bytes: &[u8],
    parsed: &format::Parsed,
    key: &MasterKey,
    path: &Path,
) -> Result<Vec<SlotInfo>, VaultError> {
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
    Ok(out)
}

/// For a session re-reading its vault: a MAC that no longer verifies with
/// the key it unlocked means the file was re-keyed, replaced or altered.
fn stale(e: VaultError) -> VaultError {
    match e {
        VaultError::HeaderTampered => VaultError::KeyChanged,
        other => other,
    }
}

fn unwrap_with(unlock: &Unlock, header: &Header) -> Result<MasterKey, VaultError> {
    match unlock {
        Unlock::Passphrase(p) => {
            let slot = header
                .slots
                .iter()
                .find(|s| s.kind == SlotKind::Passphrase)
                .ok_or(VaultError::NoPassphraseSlot)?;
            format::check_kdf(header)?;
            let id = seal::passphrase_identity(p, header)?;
            seal::unwrap_master(&slot.armor, &[&id]).ok_or(VaultError::WrongPassphrase)
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
                .ok_or(VaultError::WrongIdentity)
        }
    }
}

/// Builds the in-memory connection from a decrypted stream of `size` bytes.
fn load_database(reader: &mut dyn Read, size: usize) -> Result<Connection, VaultError> {
    let mut conn = Connection::open_in_memory()?;
    if size > 0 {
        conn.deserialize_read_exact(rusqlite::MAIN_DB, &mut *reader, size, false)
            .map_err(|_| VaultError::Encryption)?;
    }
    configure(&conn)?;
    Ok(conn)
}

/// temp_store=MEMORY, secure_delete=ON, in-memory journal; verified.
fn configure(conn: &Connection) -> Result<(), VaultError> {
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

fn decrypt_payload(key: &MasterKey, payload: &[u8], path: &Path) -> Result<Connection, VaultError> {
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

/// The armored slot-info block for `info`, encrypted to `key`.
fn seal_info(info: &[SlotInfo], key: &MasterKey) -> Result<String, VaultError> {
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

fn check_label(label: &str) -> Result<(), VaultError> {
    if label.chars().count() > LABEL_MAX || label.chars().any(|c| c.is_control()) {
        return Err(VaultError::InvalidLabel);
    }
    Ok(())
}

fn next_slot_id(slots: &[RawSlot]) -> String {
    let max = slots
        .iter()
        .filter_map(|s| s.id.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    (max + 1).to_string()
}

fn empty_database_image() -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let mut c = Connection::open_in_memory()?;
    // Writing the header materializes page 1, so the image is never empty.
    c.execute_batch(
        "PRAGMA user_version = 0; BEGIN IMMEDIATE; CREATE TABLE _x(a); DROP TABLE _x; COMMIT;",
    )?;
    let data = c.serialize(rusqlite::MAIN_DB)?;
    Ok(Zeroizing::new(data.to_vec()))
}

impl Vault {
    /// Creates a new vault at `path` holding an empty database, protected by
    /// `passphrase` with `kdf` parameters, and returns it open for writing
    /// (holding the writer lock). Refuses an existing file.
    pub fn create(
        path: &Path,
        passphrase: &Passphrase,
        kdf: KdfParams,
    ) -> Result<Vault, VaultError> {
        harden_process();
        kdf.check()?;
        refuse_existing(path)?;
        let dir = fsutil::parent_dir(path);
        if !dir.is_dir() {
            return Err(VaultError::io(
                "create the vault in",
                &dir,
                &io::Error::from(io::ErrorKind::NotFound),
            ));
        }
        let lock = fsutil::acquire_lock(path, None)?;
        refuse_existing(path)?;

        let key = MasterKey::generate();
        let salt = kdf::new_salt();
        let mut header = Header {
            kdf,
            salt,
            slots: Vec::new(),
            slot_info: String::new(),
            payload_len: 0,
            payload_sha256: [0; 32],
        };
        let pid = seal::passphrase_identity(passphrase, &header)?;
        header.slots.push(RawSlot {
            id: "1".into(),
            kind: SlotKind::Passphrase,
            armor: seal::wrap_master(&key, &pid.to_public())?,
        });
        let info = vec![SlotInfo {
            id: "1".into(),
            kind: SlotKind::Passphrase,
            recipient: None,
            label: "passphrase".into(),
            created: now_rfc3339(),
        }];
        let image = empty_database_image()?;
        let conn = load_database(&mut &image[..], image.len())?;
        let mut vault = Vault {
            conn,
            key,
            header,
            info,
            path: path.to_path_buf(),
            writable: true,
            _lock: Some(lock),
        };
        vault.reseal_info()?;
        vault.save(Existing::Refuse)?;
        Ok(vault)
    }

    /// Opens the vault at `path`: derives the key (passphrase) or uses the
    /// identity, unwraps the master key, verifies the header MAC and the
    /// payload hash, decrypts the database into memory. With
    /// `Access::Write` the writer lock is taken before the file is read,
    /// temp files left by an interrupted commit are removed, and the
    /// attachment swap of an interrupted [`Vault::rekey`] is finished (or
    /// its uncommitted leftovers removed).
    ///
    /// Never writes to the vault file.
    pub fn open(path: &Path, unlock: &Unlock, access: Access) -> Result<Vault, VaultError> {
        harden_process();
        check_exists(path)?;
        let lock = match access {
            Access::Read => None,
            Access::Write { wait } => Some(fsutil::acquire_lock(path, wait)?),
        };
        let bytes = read_vault_file(path)?;
        let parsed = check_unlocked_parts(&bytes, path)?;
        let key = unwrap_with(unlock, &parsed.header)?;
        let info = verify_with_key(&bytes, &parsed, &key, path)?;
        let conn = decrypt_payload(&key, &bytes[parsed.header_len..], path)?;
        let mut header = parsed.header;
        header.normalize_line_endings();
        if lock.is_some() {
            fsutil::remove_stray_temp_files(path);
            let adir = attachment_dir(path);
            if adir.is_dir() {
                remove_attachment_temps(&adir);
                // Finish the attachment swap of a re-key that was
                // interrupted after its new vault file was written, or
                // remove what a re-key interrupted before that left.
                // Best effort: readers cope with either state.
                let _ = rekey::complete_swap(&adir, &key, false);
            }
        }
        Ok(Vault {
            conn,
            key,
            header,
            info,
            path: path.to_path_buf(),
            writable: lock.is_some(),
            _lock: lock,
        })
    }

    /// Re-reads the vault file with the already unwrapped key (no key
    /// derivation), replacing the in-memory database: uncommitted changes
    /// are dropped. Useful for a long-lived read-only session.
    ///
    /// Fails with `KeyChanged` if another process changed the vault key
    /// ([`Vault::rekey`]) since this session unlocked it: open it again.
    pub fn reload(&mut self) -> Result<(), VaultError> {
        let bytes = read_vault_file(&self.path)?;
        let parsed = check_unlocked_parts(&bytes, &self.path)?;
        let info = verify_with_key(&bytes, &parsed, &self.key, &self.path).map_err(stale)?;
        let conn = decrypt_payload(&self.key, &bytes[parsed.header_len..], &self.path)?;
        self.conn = conn;
        self.header = parsed.header;
        self.header.normalize_line_endings();
        self.info = info;
        Ok(())
    }

    /// The in-memory database.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The in-memory database, mutably (transactions).
    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The vault file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the vault was opened with the writer lock.
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// The Argon2id parameters of the passphrase slot.
    pub fn kdf_params(&self) -> KdfParams {
        self.header.kdf
    }

    /// The key slots, with their (encrypted-at-rest) labels and recipients.
    pub fn slots(&self) -> Vec<SlotInfo> {
        self.info.clone()
    }

    fn require_write(&self) -> Result<(), VaultError> {
        if self.writable {
            Ok(())
        } else {
            Err(VaultError::ReadOnly)
        }
    }

    fn reseal_info(&mut self) -> Result<(), VaultError> {
        self.header.slot_info = seal_info(&self.info, &self.key)?;
        Ok(())
    }

    /// Writes header + `payload` atomically. With `Existing::Replace` the
    /// current file must still be a live vault (not destroyed meanwhile).
    fn write_file(&mut self, payload: &[u8], existing: Existing) -> Result<(), VaultError> {
        let mut header = self.header.clone();
        header.payload_len = payload.len() as u64;
        header.payload_sha256 = Sha256::digest(payload).into();
        let mac = seal::header_mac(&self.key, &header.body());
        let head = header.to_bytes(&mac);
        let path = self.path.clone();
        let check = move || -> Result<(), VaultError> {
            if existing == Existing::Replace {
                ensure_live(&path)?;
            }
            Ok(())
        };
        fsutil::write_atomic(&self.path, &[&head, payload], existing, &check)?;
        self.header = header;
        Ok(())
    }

    /// Serializes the database, encrypts it to the master key and replaces
    /// the vault file atomically (temp file in the same folder, fsync,
    /// rename, fsync of the folder). A crash at any point leaves the old or
    /// the new vault. Fails with `ReadOnly` without the writer lock, and
    /// with `Destroyed` if the file was destroyed meanwhile.
    pub fn commit(&mut self) -> Result<(), VaultError> {
        self.require_write()?;
        self.save(Existing::Replace)
    }

    /// Writes the whole vault file (header + freshly encrypted payload).
    /// The serialized image is SQLite's own buffer (no copy for an
    /// in-memory database); encryption, hashing and writing overlap.
    fn save(&mut self, existing: Existing) -> Result<(), VaultError> {
        let Vault {
            conn,
            key,
            header,
            path,
            ..
        } = self;
        let data = conn.serialize(rusqlite::MAIN_DB)?;
        let mut written = None;
        let check_path = path.clone();
        let result = fsutil::write_atomic_with(
            path,
            existing,
            &mut |f| {
                written = Some(seal::write_vault_streaming(
                    f,
                    header,
                    key,
                    &data,
                    &check_path,
                )?);
                Ok(())
            },
            &|| {
                if existing == Existing::Replace {
                    ensure_live(&check_path)?;
                }
                Ok(())
            },
        );
        if let Err(e) = result {
            // A destroy that removed our temp file mid-commit: say so.
            if existing == Existing::Replace {
                if let Err(d @ VaultError::Destroyed { .. }) = ensure_live(&check_path) {
                    return Err(d);
                }
            }
            return Err(e);
        }
        drop(data);
        *header = written.expect("written on success");
        Ok(())
    }

    /// Rewrites the header only (slots changed), keeping the payload bytes
    /// on disk exactly as they are.
    fn rewrite_header(&mut self) -> Result<(), VaultError> {
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
                let mut parsed = Vec::new();
                for s in list {
                    let r = age::x25519::Recipient::from_str(s.trim()).map_err(|_| {
                        VaultError::InvalidRecipient {
                            recipient: s.chars().take(100).collect(),
                        }
                    })?;
                    parsed.push(r);
                }
                let names = parsed.iter().map(|r| r.to_string()).collect();
                let enc = age::Encryptor::with_recipients(
                    parsed.iter().map(|r| r as &dyn age::Recipient),
                )
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

    /// Runs `PRAGMA integrity_check` on the in-memory database.
    pub fn integrity_check(&self) -> Result<(), VaultError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        if rows.len() == 1 && rows[0] == "ok" {
            Ok(())
        } else {
            Err(VaultError::IntegrityCheckFailed {
                problems: rows.len(),
            })
        }
    }

    /// The folder holding this vault's attachments: `<vault>.attachments/`.
    pub fn attachment_dir(&self) -> PathBuf {
        attachment_dir(&self.path)
    }

    /// Stores `bytes` as a separate age file (binary, to the vault's master
    /// key) in the attachment folder, named by a new random id, which is
    /// returned. Written atomically. Needs write access.
    pub fn put_attachment(&self, bytes: &[u8]) -> Result<String, VaultError> {
        self.require_write()?;
        let dir = self.attachment_dir();
        if !dir.is_dir() {
            fsutil::create_private_dir(&dir)
                .map_err(|e| VaultError::io("create the attachment folder", &dir, &e))?;
            let parent = fsutil::parent_dir(&self.path);
            fsutil::fsync_dir(&parent).map_err(|e| VaultError::io("flush", &parent, &e))?;
        }
        let mut b = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
        let id = hex::encode(b);
        let r = self.key.recipient();
        let file = seal::encrypt_binary(&[&r], bytes)?;
        fsutil::write_atomic(
            &attachment_path(&dir, &id),
            &[&file],
            Existing::Refuse,
            &|| Ok(()),
        )?;
        Ok(id)
    }

    /// Decrypts an attachment.
    ///
    /// Reads `<id>.age`; if that file does not decrypt with this vault's
    /// key, `<id>.age.new` (a re-key interrupted after its new vault file
    /// was written leaves the attachment there until the next writer open
    /// moves it; see CRYPTO.md, "Changing the vault key"), then
    /// `<id>.age` once more (a re-key may have moved it meanwhile).
    /// Fails with `KeyChanged` if the vault was re-keyed by another
    /// process since this session unlocked it.
    pub fn get_attachment(&self, id: &str) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let (canon, staged) = self.existing_attachment(id)?;
        let ident = self.key.identity();
        let mut found = false;
        let mut other_key = false;
        for path in [&canon, &staged, &canon] {
            match read_attachment(path, &ident) {
                Ok(data) => return Ok(data),
                Err(AttachmentRead::Missing) => {}
                Err(AttachmentRead::OtherKey) => (found, other_key) = (true, true),
                Err(AttachmentRead::Damaged) => found = true,
                Err(AttachmentRead::Io(e)) => return Err(VaultError::io("read", path, &e)),
            }
        }
        if !found {
            return Err(VaultError::AttachmentNotFound { id: id.to_string() });
        }
        if other_key && !self.key_matches_file() {
            return Err(VaultError::KeyChanged);
        }
        Err(VaultError::AttachmentDamaged { id: id.to_string() })
    }

    /// Overwrites an attachment file with zeroes (fsync), then deletes it
    /// (and a `<id>.age.new` left by an interrupted re-key, the same way).
    /// Needs write access. (On SSDs and copy-on-write file systems the
    /// overwrite may land elsewhere; the file was ciphertext anyway.)
    pub fn remove_attachment(&self, id: &str) -> Result<(), VaultError> {
        self.require_write()?;
        let (canon, staged) = self.existing_attachment(id)?;
        for path in [&staged, &canon] {
            if fs::symlink_metadata(path).is_ok() {
                overwrite_file(path).map_err(|e| VaultError::io("overwrite", path, &e))?;
                fs::remove_file(path).map_err(|e| VaultError::io("delete", path, &e))?;
            }
        }
        let dir = self.attachment_dir();
        fsutil::fsync_dir(&dir).map_err(|e| VaultError::io("flush", &dir, &e))?;
        Ok(())
    }

    /// The paths `<id>.age` and `<id>.age.new` of an attachment of which
    /// at least one exists; `AttachmentNotFound` for a malformed id.
    fn existing_attachment(&self, id: &str) -> Result<(PathBuf, PathBuf), VaultError> {
        let not_found = || VaultError::AttachmentNotFound {
            id: id.chars().take(40).collect(),
        };
        if !is_attachment_id(id) {
            return Err(not_found());
        }
        let dir = self.attachment_dir();
        let canon = attachment_path(&dir, id);
        let staged = rekey::staged_path(&dir, id);
        if !canon.is_file() && !staged.is_file() {
            return Err(not_found());
        }
        Ok((canon, staged))
    }

    /// Whether the header of the vault file on disk verifies with this
    /// session's key (true too if it cannot be read or parsed: then the
    /// problem is not a changed key).
    fn key_matches_file(&self) -> bool {
        let Ok((head, _)) = read_head(&self.path) else {
            return true;
        };
        let Ok(parsed) = format::parse(&head, &self.path) else {
            return true;
        };
        seal::verify_mac(&self.key, &head[..parsed.mac_covered], &parsed.mac)
    }
}

/// 32 lowercase hex digits.
fn is_attachment_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Why an attachment file did not decrypt.
enum AttachmentRead {
    /// No such file.
    Missing,
    /// A well-formed age file for another key.
    OtherKey,
    /// Not a whole age file, or it fails authentication.
    Damaged,
    /// Reading failed.
    Io(io::Error),
}

/// Reads and decrypts one attachment file with `ident`.
fn read_attachment(
    path: &Path,
    ident: &age::x25519::Identity,
) -> Result<Zeroizing<Vec<u8>>, AttachmentRead> {
    let file = match fs::read(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(AttachmentRead::Missing),
        Err(e) => return Err(AttachmentRead::Io(e)),
    };
    let size = seal::age_plaintext_len(&file).ok_or(AttachmentRead::Damaged)?;
    let dec = age::Decryptor::new_buffered(&file[..]).map_err(|_| AttachmentRead::Damaged)?;
    let mut r = dec
        .decrypt(iter::once(ident as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => AttachmentRead::OtherKey,
            _ => AttachmentRead::Damaged,
        })?;
    let mut out = Zeroizing::new(vec![0u8; size]);
    r.read_exact(&mut out)
        .map_err(|_| AttachmentRead::Damaged)?;
    let mut probe = [0u8; 1];
    match r.read(&mut probe) {
        Ok(0) => Ok(out),
        _ => Err(AttachmentRead::Damaged),
    }
}

fn attachment_dir(vault: &Path) -> PathBuf {
    let mut s = vault.as_os_str().to_owned();
    s.push(".attachments");
    PathBuf::from(s)
}

fn attachment_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.age"))
}

fn remove_attachment_temps(dir: &Path) {
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            let name = e.file_name();
            let n = name.to_string_lossy();
            if n.starts_with('.') && n.contains(".age.tmp-") {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

fn overwrite_file(path: &Path) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).open(path)?;
    let len = f.metadata()?.len();
    let zeros = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        f.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    f.sync_all()
}

/// Fails with `Destroyed` if the file at `path` was destroyed, `NotFound`
/// if it disappeared.
fn ensure_live(path: &Path) -> Result<(), VaultError> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(VaultError::NotFound {
                path: path.to_path_buf(),
            })
        }
        Err(e) => return Err(VaultError::io("read", path, &e)),
    };
    let mut head = [0u8; 64];
    let n = read_up_to(&mut f, &mut head).map_err(|e| VaultError::io("read", path, &e))?;
    match format::read_magic(&head[..n], path) {
        Ok((Magic::Destroyed, _)) => Err(VaultError::Destroyed {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

fn read_up_to(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn read_head(path: &Path) -> Result<(Vec<u8>, u64), VaultError> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(VaultError::NotFound {
                path: path.to_path_buf(),
            })
        }
        Err(e) => return Err(VaultError::io("read", path, &e)),
    };
    let meta = f.metadata().map_err(|e| VaultError::io("read", path, &e))?;
    if meta.is_dir() {
        return Err(VaultError::NotAVault {
            path: path.to_path_buf(),
        });
    }
    let mut head = vec![0u8; (meta.len() as usize).min(format::MAX_HEADER_LEN)];
    let n = read_up_to(&mut f, &mut head).map_err(|e| VaultError::io("read", path, &e))?;
    head.truncate(n);
    Ok((head, meta.len()))
}

/// What can be read without the passphrase: format version, KDF
/// parameters, slot ids and kinds, sizes. Nothing about the content.
pub fn header_info(path: &Path) -> Result<HeaderInfo, VaultError> {
    let (head, file_size) = read_head(path)?;
    let parsed = format::parse(&head, path)?;
    Ok(HeaderInfo {
        format_version: format::FORMAT_VERSION,
        kdf: parsed.header.kdf,
        slots: parsed
            .header
            .slots
            .iter()
            .map(|s| HeaderSlot {
                id: s.id.clone(),
                kind: s.kind,
            })
            .collect(),
        header_size: parsed.header_len as u64,
        payload_size: parsed.header.payload_len,
        file_size,
    })
}

/// The panic button: overwrites every key slot (the whole header) in place
/// and fsyncs, so nothing can open the vault again, not even with the
/// passphrase. Takes no lock and never waits. Fast whatever the size (only
/// the header, a few KiB, is written). Temp files left by an interrupted
/// commit are destroyed the same way and deleted. A vault being edited in
/// another process cannot be saved over the destroyed file (its commit
/// fails with `Destroyed`). Destroying a destroyed vault is a no-op.
///
/// Refuses (and leaves alone) a file that is not a fieldvault vault.
pub fn destroy(path: &Path) -> Result<(), VaultError> {
    let (head, _) = read_head(path)?;
    match format::read_magic(&head, path) {
        Ok(_) | Err(VaultError::NewerFormat { .. }) | Err(VaultError::Damaged { .. }) => {}
        Err(e) => return Err(e),
    }
    let dir = fsutil::parent_dir(path);
    // A writer in another process may be between its "not destroyed"
    // check and its rename: repeat until the file reads destroyed and no
    // temp file (a possible next version) is left.
    for _ in 0..20 {
        let (head, _) = read_head(path)?;
        if !matches!(format::read_magic(&head, path), Ok((Magic::Destroyed, _))) {
            destroy_in_place(path, &head).map_err(|e| VaultError::io("overwrite", path, &e))?;
        }
        let temps = fsutil::stray_temp_files(path);
        for tmp in &temps {
            if let Ok((h, _)) = read_head(tmp) {
                if format::read_magic(&h, tmp).is_ok() {
                    let _ = destroy_in_place(tmp, &h);
                }
            }
            let _ = fs::remove_file(tmp);
        }
        let _ = fsutil::fsync_dir(&dir);
        let (head, _) = read_head(path)?;
        if temps.is_empty() && matches!(format::read_magic(&head, path), Ok((Magic::Destroyed, _)))
        {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Err(VaultError::InUse)
}

fn destroy_in_place(path: &Path, head: &[u8]) -> io::Result<()> {
    let extent = format::header_extent(head).max(format::DESTROYED_LINE.len() + 1);
    let mut block = Vec::with_capacity(extent);
    block.extend_from_slice(format::DESTROYED_LINE.as_bytes());
    block.push(b'\n');
    while block.len() < extent {
        let col = block.len() % 65;
        block.push(if col == 64 || block.len() + 1 == extent {
            b'\n'
        } else {
            b'#'
        });
    }
    let mut f = OpenOptions::new().write(true).open(path)?;
    f.seek(SeekFrom::Start(0))?;
    f.write_all(&block)?;
    f.sync_all()
}
