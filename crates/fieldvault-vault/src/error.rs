//! Errors of the sealed store.
//!
//! Rules for every variant (keep them when adding one):
//! - `Display` is ONE line, in words a careful non-programmer understands,
//!   and says what is wrong, not how the code noticed.
//! - An error never carries plaintext content of the vault: no row, no
//!   passphrase, no identity, no decrypted byte. Paths, slot ids, public
//!   recipients (`age1...`) and numbers are fine.
//! - Underlying library errors are reduced to a category (`io::ErrorKind`,
//!   a SQLite result code) before they are shown, because their messages may
//!   quote data (SQLite's constraint messages name values in some versions).
//! - The variant is the contract for callers (exit codes, tests); the text may
//!   be reworded.

use std::io;
use std::path::{Path, PathBuf};

/// Everything that can go wrong with a vault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// An empty passphrase was given.
    #[error("the passphrase is empty")]
    EmptyPassphrase,

    /// The passphrase did not open the passphrase key slot.
    #[error("wrong passphrase, or the vault's key slots were altered")]
    WrongPassphrase,

    /// None of the identities opened any recipient key slot.
    #[error("none of the keys in the identity file opens this vault, or the vault's key slots were altered")]
    WrongIdentity,

    /// A passphrase was given but the vault has no passphrase slot.
    #[error("this vault has no passphrase key slot: open it with an identity file")]
    NoPassphraseSlot,

    /// The key slots opened, but the header checksum (MAC) does not match.
    #[error("the vault header was altered: its checksum does not match the vault key")]
    HeaderTampered,

    /// The file is truncated, or bytes changed in a way found before unlocking.
    #[error("the vault file {} is truncated or damaged", .path.display())]
    Damaged { path: PathBuf },

    /// The file was written by a newer fieldvault.
    #[error("this vault was made by a newer fieldvault (format {found}; this version reads {supported})")]
    NewerFormat { found: u64, supported: u32 },

    /// The file is not a fieldvault vault at all.
    #[error("{} is not a fieldvault vault", .path.display())]
    NotAVault { path: PathBuf },

    /// The vault's key slots were erased by `destroy`.
    #[error("the vault at {} was destroyed: its keys were erased and it can never be opened again", .path.display())]
    Destroyed { path: PathBuf },

    /// Another process holds the writer lock.
    #[error("the vault is in use by another fieldvault process")]
    InUse,

    /// `create` (or a backup) would overwrite an existing file.
    #[error("a file already exists at {}", .path.display())]
    AlreadyExists { path: PathBuf },

    /// The vault file is larger than any vault fieldvault writes.
    #[error("{} is too large to be a fieldvault vault (more than {max_gib} GiB)", .path.display())]
    TooLarge { path: PathBuf, max_gib: u64 },

    /// The key file beside the vault, which the passphrase slot needs, is
    /// not there.
    #[error("the key file {} is missing: the passphrase opens the vault only together with it (copy it along with the vault, or open the vault with a teammate's key)", .path.display())]
    KeyFileMissing { path: PathBuf },

    /// The key file was erased (`destroy`, travel mode) or belongs to
    /// another vault.
    #[error("the key file {} was erased or belongs to another vault: the passphrase can no longer open this vault (a teammate's key still can)", .path.display())]
    KeyFileErased { path: PathBuf },

    /// The header asks for a key derivation far costlier than the
    /// defaults, which only the vault's owner can vouch for (the
    /// parameters are authenticated only after deriving).
    #[error("this vault's key-derivation settings cost {factor} times the default (more than {max}): if you chose them, open it again trusting them (--trust-kdf-params)")]
    KdfUntrusted { factor: u64, max: u64 },

    /// `travel start` without another way to open the vault.
    #[error("travel mode needs another key slot (a teammate's key or a hardware key left at home): add one with `key add` first")]
    TravelNeedsAnotherKey,

    /// `travel start` twice.
    #[error("the vault is already in travel mode")]
    AlreadyTravelling,

    /// `travel end` on a vault not in travel mode.
    #[error("the vault is not in travel mode")]
    NotTravelling,

    /// Nothing at the vault path.
    #[error("no vault at {}", .path.display())]
    NotFound { path: PathBuf },

    /// A file system operation failed.
    #[error("cannot {action} {}: {}", .path.display(), describe_io(.kind))]
    Io {
        action: &'static str,
        path: PathBuf,
        kind: io::ErrorKind,
    },

    /// Key derivation parameters outside the accepted range (from a header
    /// or from the caller).
    #[error("unsafe key-derivation settings: {what} is {value}, allowed {min} to {max}")]
    KdfOutOfRange {
        what: &'static str,
        value: u64,
        min: u64,
        max: u64,
    },

    /// The vault was opened with [`crate::Access::Read`].
    #[error("the vault was opened read-only, so changes cannot be saved")]
    ReadOnly,

    /// A recipient string is neither an age X25519 public key nor an age
    /// plugin recipient.
    #[error("not a valid age recipient (expected age1... or a plugin recipient such as age1yubikey1...): {recipient}")]
    InvalidRecipient { recipient: String },

    /// The `age-plugin-<name>` binary a recipient or identity needs is not
    /// on PATH.
    #[error("the age plugin age-plugin-{name} is not installed (it must be on PATH)")]
    PluginMissing { name: String },

    /// The recipient already has a key slot.
    #[error("this public key already has key slot {id}")]
    DuplicateRecipient { id: String },

    /// An identity file has no usable `AGE-SECRET-KEY-1...` or
    /// `AGE-PLUGIN-...` line.
    #[error("{} is not an age identity file (expected a line AGE-SECRET-KEY-1... or AGE-PLUGIN-...)", .path.display())]
    InvalidIdentityFile { path: PathBuf },

    /// No key slot with this id.
    #[error("no key slot with id {id}")]
    NoSuchSlot { id: String },

    /// Removing the slot would leave no way to open the vault.
    #[error("cannot remove key slot {id}: it is the last key that opens the vault")]
    LastSlot { id: String },

    /// Too many key slots.
    #[error("too many key slots (at most {max})")]
    TooManySlots { max: usize },

    /// A label contains characters that are not allowed.
    #[error("a key slot label must be one line of at most 200 characters")]
    InvalidLabel,

    /// No attachment with this id (or the id is malformed).
    #[error("no attachment with id {id}")]
    AttachmentNotFound { id: String },

    /// The attachment file does not decrypt with the vault key.
    #[error("attachment {id} is damaged or does not belong to this vault")]
    AttachmentDamaged { id: String },

    /// `PRAGMA integrity_check` reported problems.
    #[error(
        "the vault's database is damaged ({problems} problem(s) found by the integrity check)"
    )]
    IntegrityCheckFailed { problems: usize },

    /// The in-memory database failed.
    #[error("the vault's database failed (SQLite error {code})")]
    Database { code: i32 },

    /// A SQLite safety setting did not take effect.
    #[error("SQLite refused a safety setting ({setting}); refusing to open the vault")]
    UnsafeSqlite { setting: &'static str },

    /// `Vault::rekey` was called without a passphrase on a vault that has
    /// a passphrase key slot (the slot must be rewrapped with it).
    #[error("this vault has a passphrase key slot: changing the vault key needs the passphrase")]
    PassphraseRequired,

    /// The vault file on disk no longer matches the key this session
    /// unlocked: another process changed the vault key (`rekey`), or the
    /// file was replaced or altered. Open the vault again.
    #[error("the vault file no longer matches the key it was opened with (the vault key was changed, or the file was replaced or altered): open it again")]
    KeyChanged,

    /// Encryption itself failed (should not happen).
    #[error("encryption failed unexpectedly")]
    Encryption,
}

/// The kind of `err`, with Windows' "file in use by another program"
/// errors (which the standard library leaves uncategorised) as
/// `ResourceBusy`, so that the message can say what to do.
pub(crate) fn io_kind(err: &io::Error) -> io::ErrorKind {
    /// ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION.
    const WINDOWS_IN_USE: [i32; 2] = [32, 33];
    if cfg!(windows)
        && err
            .raw_os_error()
            .is_some_and(|c| WINDOWS_IN_USE.contains(&c))
    {
        io::ErrorKind::ResourceBusy
    } else {
        err.kind()
    }
}

fn describe_io(kind: &io::ErrorKind) -> &'static str {
    match kind {
        io::ErrorKind::NotFound => "it does not exist",
        io::ErrorKind::PermissionDenied => "permission denied",
        io::ErrorKind::AlreadyExists => "it already exists",
        io::ErrorKind::StorageFull => "the disk is full",
        io::ErrorKind::ReadOnlyFilesystem => "the disk is read-only",
        io::ErrorKind::IsADirectory => "it is a folder",
        io::ErrorKind::NotADirectory => "a part of the path is not a folder",
        io::ErrorKind::UnexpectedEof => "the file ended too early",
        io::ErrorKind::Interrupted => "the operation was interrupted",
        io::ErrorKind::OutOfMemory => "out of memory",
        io::ErrorKind::QuotaExceeded => "the disk quota is exceeded",
        io::ErrorKind::FileTooLarge => "the file is too large",
        io::ErrorKind::CrossesDevices => "it is on another disk",
        io::ErrorKind::InvalidFilename => {
            "the name cannot be used here (Windows refuses < > : \" | ? * and names such as CON or NUL)"
        }
        io::ErrorKind::ResourceBusy => {
            "another program has it open (an antivirus scanner or a sync client such as OneDrive?); try again in a moment"
        }
        _ => "input/output error",
    }
}

impl VaultError {
    pub(crate) fn io(action: &'static str, path: &Path, err: &io::Error) -> Self {
        VaultError::Io {
            action,
            path: path.to_path_buf(),
            kind: io_kind(err),
        }
    }

    pub(crate) fn damaged(path: &Path) -> Self {
        VaultError::Damaged {
            path: path.to_path_buf(),
        }
    }

    /// A short stable name for the variant (for `--json` output and tests).
    pub fn code(&self) -> &'static str {
        match self {
            VaultError::EmptyPassphrase => "empty-passphrase",
            VaultError::WrongPassphrase => "wrong-passphrase",
            VaultError::WrongIdentity => "wrong-identity",
            VaultError::NoPassphraseSlot => "no-passphrase-slot",
            VaultError::HeaderTampered => "header-tampered",
            VaultError::Damaged { .. } => "damaged",
            VaultError::NewerFormat { .. } => "newer-format",
            VaultError::NotAVault { .. } => "not-a-vault",
            VaultError::Destroyed { .. } => "destroyed",
            VaultError::InUse => "in-use",
            VaultError::AlreadyExists { .. } => "already-exists",
            VaultError::NotFound { .. } => "not-found",
            VaultError::KeyFileMissing { .. } => "key-file-missing",
            VaultError::KeyFileErased { .. } => "key-file-erased",
            VaultError::KdfUntrusted { .. } => "kdf-untrusted",
            VaultError::TravelNeedsAnotherKey => "travel-needs-another-key",
            VaultError::AlreadyTravelling => "already-travelling",
            VaultError::NotTravelling => "not-travelling",
            VaultError::TooLarge { .. } => "too-large",
            VaultError::Io { .. } => "io",
            VaultError::KdfOutOfRange { .. } => "kdf-out-of-range",
            VaultError::ReadOnly => "read-only",
            VaultError::InvalidRecipient { .. } => "invalid-recipient",
            VaultError::PluginMissing { .. } => "plugin-missing",
            VaultError::DuplicateRecipient { .. } => "duplicate-recipient",
            VaultError::InvalidIdentityFile { .. } => "invalid-identity-file",
            VaultError::NoSuchSlot { .. } => "no-such-slot",
            VaultError::LastSlot { .. } => "last-slot",
            VaultError::TooManySlots { .. } => "too-many-slots",
            VaultError::InvalidLabel => "invalid-label",
            VaultError::AttachmentNotFound { .. } => "attachment-not-found",
            VaultError::AttachmentDamaged { .. } => "attachment-damaged",
            VaultError::IntegrityCheckFailed { .. } => "integrity-check-failed",
            VaultError::Database { .. } => "database",
            VaultError::UnsafeSqlite { .. } => "unsafe-sqlite",
            VaultError::PassphraseRequired => "passphrase-required",
            VaultError::KeyChanged => "key-changed",
            VaultError::Encryption => "encryption",
        }
    }
}

impl From<rusqlite::Error> for VaultError {
    fn from(e: rusqlite::Error) -> Self {
        // Only the numeric code: SQLite messages can quote data.
        let code = match &e {
            rusqlite::Error::SqliteFailure(f, _) => f.extended_code,
            _ => -1,
        };
        VaultError::Database { code }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The errors a file that cannot be read gives, worded for a person and
    /// on one line. Injected here, because a chmod does not stop root (CI
    /// runs as root); `tests/store/bad_input.rs` opens a real unreadable path.
    #[test]
    fn an_unreadable_file_is_named_with_its_cause() {
        let path = Path::new("study.fieldvault");
        for (kind, cause) in [
            (io::ErrorKind::PermissionDenied, "permission denied"),
            (
                io::ErrorKind::NotADirectory,
                "a part of the path is not a folder",
            ),
            (io::ErrorKind::IsADirectory, "it is a folder"),
            (io::ErrorKind::Other, "input/output error"),
        ] {
            let e = VaultError::io("read", path, &io::Error::from(kind));
            assert_eq!(
                e.to_string(),
                format!("cannot read study.fieldvault: {cause}")
            );
            assert_eq!(e.code(), "io");
        }
    }

    /// Windows' "in use by another program" (ERROR_SHARING_VIOLATION)
    /// says what to do; the same number elsewhere is another error.
    #[test]
    fn a_file_in_use_on_windows_says_so() {
        let e = VaultError::io("replace", Path::new("v"), &io::Error::from_raw_os_error(32));
        assert_eq!(
            e.to_string().contains("another program has it open"),
            cfg!(windows),
            "{e}"
        );
    }

    #[test]
    fn a_name_windows_refuses_says_why() {
        let e = VaultError::io(
            "write",
            Path::new("a|b"),
            &io::Error::from(io::ErrorKind::InvalidFilename),
        );
        assert!(
            e.to_string().contains("the name cannot be used here"),
            "{e}"
        );
    }
}
