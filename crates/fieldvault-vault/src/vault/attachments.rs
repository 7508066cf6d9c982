//! Attachments: separate age files next to the vault (consent audio,
//! scans), named by random ids, encrypted to the vault's master key.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::iter;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::file::read_head;
use super::rekey;
use super::Vault;
use crate::error::VaultError;
use crate::format::{self};
use crate::fsutil::{self, Existing};
use crate::seal;

impl Vault {
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
    /// moves it; see docs/crypto.md, "Changing the vault key"), then
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
    pub(super) fn existing_attachment(&self, id: &str) -> Result<(PathBuf, PathBuf), VaultError> {
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
    pub(super) fn key_matches_file(&self) -> bool {
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
pub(super) fn is_attachment_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Why an attachment file did not decrypt.
pub(super) enum AttachmentRead {
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
pub(super) fn read_attachment(
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

pub(super) fn attachment_dir(vault: &Path) -> PathBuf {
    let mut s = vault.as_os_str().to_owned();
    s.push(".attachments");
    PathBuf::from(s)
}

pub(super) fn attachment_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.age"))
}

/// Removes attachment temp files left by killed writes; returns them.
pub(super) fn remove_attachment_temps(dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            let name = e.file_name();
            let n = name.to_string_lossy();
            if n.starts_with('.') && n.contains(".age.tmp-") && fs::remove_file(e.path()).is_ok() {
                removed.push(e.path());
            }
        }
    }
    removed
}

pub(super) fn overwrite_file(path: &Path) -> io::Result<()> {
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
