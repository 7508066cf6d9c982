//! The open vault: create, open, commit. Each other concern has a module
//! of its own: reading the file (`file`), unlocking (`unlock`), key slots
//! (`slots`), backups (`backup`), attachments (`attachments`), `destroy`
//! (`destroy`) and changing the vault key (`rekey`).

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::VaultError;
use crate::format::{Header, KeyFileRef, RawSlot, SlotKind, FORMAT_VERSION};
use crate::fsutil::{self, Existing, LockGuard};
use crate::hardening::harden_process;
use crate::kdf::{self, KdfParams};
use crate::keyfile;
use crate::seal;
use crate::secret::{MasterKey, Passphrase};

mod attachments;
mod backup;
mod destroy;
mod file;
mod rekey;
mod slots;
mod unlock;

use attachments::{
    attachment_dir, attachment_path, is_attachment_id, overwrite_file, remove_attachment_temps,
};
pub use backup::{BackupInfo, BackupTo};
pub use destroy::destroy;
use destroy::ensure_live;
use file::{check_exists, read_head, read_vault_file, refuse_existing};
pub use file::{header_info, HeaderInfo, HeaderSlot};
pub use rekey::RekeyInfo;
use slots::seal_info;
pub use slots::SlotInfo;
use unlock::{
    check_unlocked_parts, decrypt_payload, load_database, stale, unwrap_with, verify_with_key,
};
pub use unlock::{OpenSettings, Unlock};

/// Read-only, or with the exclusive writer lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No lock is taken; `commit` and every change fail with `ReadOnly`.
    Read,
    /// Takes the writer lock on `<vault>.lock` before reading the vault.
    /// `wait: None` fails at once with `InUse`; `Some(d)` polls up to `d`.
    Write { wait: Option<Duration> },
}

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
    /// When travel mode started (kept in the encrypted slot details).
    travel_since: Option<String>,
    /// A format-1 passphrase slot's Argon2id output, kept from the unlock
    /// until the next commit gives the slot its key file.
    migration: Option<Zeroizing<[u8; 32]>>,
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

/// The current time as RFC 3339 in UTC, whole seconds ("2026-12-01T21:06:15Z"):
/// when a key slot was written.
fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0);
    let now = now.unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| String::from("1970-01-01T00:00:00Z"))
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
            version: FORMAT_VERSION,
            kdf,
            salt,
            keyfile: None,
            slots: Vec::new(),
            slot_info: String::new(),
            payload_len: 0,
            payload_sha256: [0; 32],
        };
        // The slow derivation first; then the key file (written once,
        // later only overwritten in place), then the vault.
        let derived = seal::derive_passphrase_key(passphrase, &header)?;
        let keyfile_id = keyfile::create_or_reuse(path)?;
        let secret = keyfile::new_secret();
        keyfile::write_area(path, &keyfile_id, 0, &secret)?;
        header.keyfile = Some(KeyFileRef {
            id: keyfile_id,
            area: 0,
            check: keyfile::check_value(&secret),
        });
        let pid = seal::passphrase_slot_identity(&derived, Some(&secret));
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
            travel_since: None,
            migration: None,
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
    /// Never writes to the vault file. KDF parameters costing more than
    /// [`crate::UNTRUSTED_COST_FACTOR`] times the default are refused
    /// (`KdfUntrusted`); see [`Vault::open_with`].
    pub fn open(path: &Path, unlock: &Unlock, access: Access) -> Result<Vault, VaultError> {
        Vault::open_with(path, unlock, access, OpenSettings::default())
    }

    /// [`Vault::open`] with settings (trusting costly KDF parameters).
    pub fn open_with(
        path: &Path,
        unlock: &Unlock,
        access: Access,
        settings: OpenSettings,
    ) -> Result<Vault, VaultError> {
        harden_process();
        check_exists(path)?;
        let lock = match access {
            Access::Read => None,
            Access::Write { wait } => Some(fsutil::acquire_lock(path, wait)?),
        };
        let bytes = read_vault_file(path)?;
        let parsed = check_unlocked_parts(&bytes, path)?;
        let (key, derived) = unwrap_with(unlock, &parsed.header, path, settings)?;
        let details = verify_with_key(&bytes, &parsed, &key, path)?;
        let conn = decrypt_payload(&key, &bytes[parsed.header_len..], path)?;
        let mut header = parsed.header;
        header.prepare_for_writing();
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
            info: details.slots,
            travel_since: details.travel_since,
            migration: derived.filter(|_| lock.is_some()),
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
        let details = verify_with_key(&bytes, &parsed, &self.key, &self.path).map_err(stale)?;
        let conn = decrypt_payload(&self.key, &bytes[parsed.header_len..], &self.path)?;
        self.conn = conn;
        self.header = parsed.header;
        self.header.prepare_for_writing();
        self.info = details.slots;
        self.travel_since = details.travel_since;
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

    fn require_write(&self) -> Result<(), VaultError> {
        if self.writable {
            Ok(())
        } else {
            Err(VaultError::ReadOnly)
        }
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
        if self.migration.is_none() {
            return self.save(Existing::Replace);
        }
        let old = self.header.clone();
        let result = self
            .migrate_passphrase_slot()
            .and_then(|()| self.save(Existing::Replace));
        match result {
            Ok(()) => self.migration = None,
            Err(_) => self.header = old,
        }
        result
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
}
