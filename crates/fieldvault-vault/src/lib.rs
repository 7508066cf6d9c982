//! fieldvault's sealed store.
//!
//! One vault = one file: a small plaintext header (format version, Argon2id
//! parameters and salt, key slots, an encrypted slot-details block, payload
//! length and hash, a MAC) followed by a standard binary age file that holds
//! the serialized SQLite database. The master key is an age X25519
//! identity; each key slot is an armored age file holding that identity,
//! encrypted either to a recipient derived from Argon2id(passphrase) or to
//! a teammate's age public key. See docs/format.md (byte layout, recovery with
//! standard tools) and docs/crypto.md (construction, parameters, residual risks).
//!
//! While open, the database lives in an in-memory SQLite connection with
//! `temp_store=MEMORY` and `secure_delete=ON`; [`Vault::commit`] writes a
//! new file atomically. A separate `<vault>.lock` file serializes writers.
//!
//! Notes for callers:
//! - Call [`harden_process`] first thing in `main`, before any SQLite
//!   connection exists, so that SQLite's wiping allocator can be installed.
//! - Key slot changes ([`Vault::change_passphrase`], [`Vault::add_recipient`],
//!   [`Vault::remove_slot`]) rewrite the header on disk at once (the payload
//!   bytes stay); they need write access, like commits and attachment
//!   writes.
//! - [`Vault::rekey`] changes the master key (re-encrypts the committed
//!   database, the slot details and every attachment, rewraps every slot).
//!   Run it after [`Vault::remove_slot`] to revoke a teammate who may have
//!   kept the old key, and with a new passphrase when one leaked. Other
//!   sessions then get `KeyChanged` and must open the vault again.
//! - [`Vault::backup`] writes the last *committed* database (read back from
//!   the file and verified), not uncommitted in-memory changes.
//! - Recipients are age X25519 keys (`age1...`) or age plugin recipients
//!   (hardware keys: `age1yubikey1...`, `age1fido2-hmac1...`), whose
//!   `age-plugin-<name>` binary must be on PATH; identity files may hold
//!   `AGE-PLUGIN-...` lines. Plugins that ask for a PIN are refused (no
//!   prompts from the library). SSH keys are not supported.
//! - The passphrase slot needs the key file `<vault>.key` (format 2);
//!   [`destroy`], [`Vault::change_passphrase`] and [`Vault::travel_start`]
//!   overwrite it in place. See docs/crypto.md.
//! - The in-memory database can grow to 1 GiB (SQLite's memdb limit, or
//!   its size when opened if that is larger); past that, writes fail with
//!   SQLITE_FULL.
//!
//! ```no_run
//! use fieldvault_vault::{Access, KdfParams, Passphrase, Unlock, Vault};
//! # fn main() -> Result<(), fieldvault_vault::VaultError> {
//! let path = std::path::Path::new("study.fieldvault");
//! let pass = Passphrase::new("correct horse battery staple".to_string())?;
//! let mut v = Vault::create(path, &pass, KdfParams::default())?;
//! v.connection().execute_batch("CREATE TABLE note(body TEXT)")?;
//! v.commit()?;
//! drop(v);
//! let v = Vault::open(path, &Unlock::Passphrase(pass), Access::Read)?;
//! v.integrity_check()?;
//! # Ok(()) }
//! ```
#![deny(unsafe_code)]
#![warn(missing_debug_implementations)]

mod error;
mod format;
mod fsutil;
mod hardening;
mod kdf;
mod keyfile;
mod keys;
mod seal;
mod secret;
mod vault;

pub use error::VaultError;
pub use format::SlotKind;
pub use hardening::{
    harden_process, process_protection, sqlite_wipes_freed_memory, ProcessProtection,
    WipingAllocator,
};
pub use kdf::{
    KdfParams, ITERATIONS_RANGE, MAX_WORK, MEMORY_MIB_RANGE, PARALLELISM_RANGE, SALT_LEN_RANGE,
    UNTRUSTED_COST_FACTOR,
};
pub use secret::{IdentityFile, Passphrase};
pub use vault::{
    destroy, header_info, Access, BackupInfo, BackupTo, HeaderInfo, HeaderSlot, OpenSettings,
    RekeyInfo, SlotInfo, Unlock, Vault,
};

/// The on-disk format version this library writes and reads.
pub const FORMAT_VERSION: u32 = format::FORMAT_VERSION;

/// The key file of a vault: `<vault>.key` (see [`destroy`]).
pub fn key_file_path(vault: &std::path::Path) -> std::path::PathBuf {
    keyfile::path(vault)
}

pub use fsutil::{create_private_file, is_private};

/// The writer lock file of a vault: `<vault>.lock`.
pub fn lock_path(vault: &std::path::Path) -> std::path::PathBuf {
    fsutil::lock_path(vault)
}
