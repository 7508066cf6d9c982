//! Reading the vault file: one place that opens it (and says "no vault
//! here" or "not a vault" in the same words everywhere), bounded reads of
//! its head, and what can be read without unlocking.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

use serde::Serialize;

use crate::error::VaultError;
use crate::format::{self, SlotKind};
use crate::kdf::KdfParams;

/// The most a vault file may be: the in-memory database is capped at
/// 1 GiB by SQLite (see the crate docs), so its encrypted image is never
/// near this. A larger file is refused before anything is read, so that a
/// crafted header cannot make fieldvault allocate without limit.
pub(super) const MAX_VAULT_LEN: u64 = 4 << 30;

/// Opens the file at `path` for reading, the one way every read of a vault
/// (or of a file that should be one) starts: `NotFound` if nothing is
/// there; `NotAVault` for anything but a regular file (a folder, a FIFO
/// that would block forever, a device such as `/dev/zero` that never
/// ends), checked before opening and again on the open file; `Io`
/// otherwise. Returns the file and its length.
pub(super) fn open_vault_file(path: &Path) -> Result<(File, u64), VaultError> {
    let not_a_vault = || VaultError::NotAVault {
        path: path.to_path_buf(),
    };
    let map = |e: io::Error| match e.kind() {
        io::ErrorKind::NotFound => VaultError::NotFound {
            path: path.to_path_buf(),
        },
        io::ErrorKind::IsADirectory => not_a_vault(),
        _ => VaultError::io("read", path, &e),
    };
    if !fs::metadata(path).map_err(map)?.is_file() {
        return Err(not_a_vault());
    }
    let mut options = OpenOptions::new();
    options.read(true);
    // Should the path be swapped for a FIFO after the check, the open
    // must still not block (no effect on a regular file).
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(map)?;
    let meta = file.metadata().map_err(map)?;
    if !meta.is_file() {
        return Err(not_a_vault());
    }
    Ok((file, meta.len()))
}

/// The whole vault file, read only after its header was parsed and the
/// sizes it declares match the file (so a damaged or crafted header costs
/// no more than reading the header), and never more than
/// [`MAX_VAULT_LEN`]. Header errors are those of [`format::parse`].
pub(super) fn read_vault_file(path: &Path) -> Result<Vec<u8>, VaultError> {
    let (mut file, len) = open_vault_file(path)?;
    if len > MAX_VAULT_LEN {
        return Err(VaultError::TooLarge {
            path: path.to_path_buf(),
            max_gib: MAX_VAULT_LEN >> 30,
        });
    }
    let mut bytes = vec![0u8; (len as usize).min(format::MAX_HEADER_LEN)];
    let n = read_up_to(&mut file, &mut bytes).map_err(|e| VaultError::io("read", path, &e))?;
    bytes.truncate(n);
    let parsed = format::parse(&bytes, path)?;
    let declared = (parsed.header_len as u64).checked_add(parsed.header.payload_len);
    if declared != Some(len) {
        return Err(VaultError::damaged(path));
    }
    // `len` was checked against the cap; one byte more tells a file that
    // grew meanwhile.
    bytes.reserve_exact(len as usize - bytes.len() + 1);
    (&mut file)
        .take(len - bytes.len() as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| VaultError::io("read", path, &e))?;
    if bytes.len() as u64 != len {
        return Err(VaultError::damaged(path));
    }
    Ok(bytes)
}

/// `NotFound` unless a regular file is at `path` (see [`open_vault_file`]).
pub(super) fn check_exists(path: &Path) -> Result<(), VaultError> {
    open_vault_file(path).map(|_| ())
}

pub(super) fn refuse_existing(path: &Path) -> Result<(), VaultError> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(VaultError::AlreadyExists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

pub(super) fn read_up_to(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The first `limit` bytes of the file at `path` (fewer if it is shorter)
/// and its length.
pub(super) fn read_prefix(path: &Path, limit: usize) -> Result<(Vec<u8>, u64), VaultError> {
    let (mut f, len) = open_vault_file(path)?;
    let mut head = vec![0u8; (len.min(limit as u64)) as usize];
    let n = read_up_to(&mut f, &mut head).map_err(|e| VaultError::io("read", path, &e))?;
    head.truncate(n);
    Ok((head, len))
}

/// The header part of the file at `path` (at most `MAX_HEADER_LEN`
/// bytes) and the file's length.
pub(super) fn read_head(path: &Path) -> Result<(Vec<u8>, u64), VaultError> {
    read_prefix(path, format::MAX_HEADER_LEN)
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

/// What can be read without the passphrase: format version, KDF
/// parameters, slot ids and kinds, sizes. Nothing about the content.
pub fn header_info(path: &Path) -> Result<HeaderInfo, VaultError> {
    let (head, file_size) = read_head(path)?;
    let parsed = format::parse(&head, path)?;
    Ok(HeaderInfo {
        format_version: parsed.header.version,
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
