//! The key file `<vault>.key`: key material that every copy of the vault
//! needs, together with the passphrase, and that `destroy` and travel mode
//! can erase for good.
//!
//! Why a separate file: every commit writes a new vault file and renames
//! it over the old one, so old copies of the vault (with the same
//! passphrase slot) stay in freed disk blocks, where forensic tools find
//! them. The key file is written once and afterwards only overwritten in
//! place, never renamed or replaced, so on a file system that overwrites
//! data in place (ext4, NTFS) there is one copy of it on the disk, and
//! overwriting it makes every old copy of the vault useless with the
//! passphrase. Copy-on-write file systems (APFS, btrfs, ZFS), snapshots
//! and SSD wear levelling may keep old blocks: SECURITY.md says so.
//!
//! Layout (`FILE_LEN` bytes, fixed):
//! - a 64-byte head: `fieldvault-keyfile v1\n`, `id: <32 hex>\n`, padding
//!   spaces and a final `\n`;
//! - two areas of [`STRIPES`] x 32 bytes. The vault header names the area
//!   in use; changing the passphrase writes the other one first, so a
//!   crash never leaves the vault without a working area.
//!
//! Each area holds a 32-byte secret split into anti-forensic stripes as
//! LUKS does (Clemens Fruhwirth's AF splitter): stripes 0..n-2 are random,
//! and the last is the secret XORed with the diffusion of the others. All
//! stripes are needed to recover the secret, so destroying any part of
//! the area (a few bytes that a disk remapped elsewhere survive, but not
//! the whole 128 kB) destroys it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::VaultError;
use crate::format::KeyFileRef;
use crate::fsutil;

/// Stripes per area, as LUKS1 (4000).
pub(crate) const STRIPES: usize = 4000;
const SECRET_LEN: usize = 32;
const AREA_LEN: usize = STRIPES * SECRET_LEN;
const HEAD_LEN: usize = 64;
/// The whole key file.
pub(crate) const FILE_LEN: usize = HEAD_LEN + 2 * AREA_LEN;
const MAGIC_LINE: &str = "fieldvault-keyfile v1\n";
const DESTROYED_LINE: &str = "fieldvault-keyfile destroyed\n";

/// The secret of one area.
pub(crate) type Secret = Zeroizing<[u8; SECRET_LEN]>;

/// `<vault>.key`, beside the vault.
pub(crate) fn path(vault: &Path) -> PathBuf {
    let mut s = vault.as_os_str().to_owned();
    s.push(".key");
    PathBuf::from(s)
}

/// A new random secret.
pub(crate) fn new_secret() -> Secret {
    let mut s = Zeroizing::new([0u8; SECRET_LEN]);
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, s.as_mut_slice());
    s
}

/// 16 hex digits of a hash of `secret`, stored in the vault header to
/// tell "wrong passphrase" from "the key file was erased or replaced".
/// (64 bits of a hash of a 256-bit random secret reveal nothing usable.)
pub(crate) fn check_value(secret: &Secret) -> String {
    let mut h = Sha256::new();
    h.update(b"fieldvault-keyfile v1 check");
    h.update(secret.as_slice());
    hex::encode(&h.finalize()[..8])
}

/// The diffusion function between stripes: SHA-256 of a 4-byte block
/// index (always 0: a stripe is one hash block) and the block.
fn diffuse(block: &[u8; SECRET_LEN]) -> [u8; SECRET_LEN] {
    let mut h = Sha256::new();
    h.update(0u32.to_be_bytes());
    h.update(block);
    h.finalize().into()
}

fn xor_into(acc: &mut [u8; SECRET_LEN], other: &[u8]) {
    for (a, b) in acc.iter_mut().zip(other) {
        *a ^= b;
    }
}

/// Splits `secret` into [`STRIPES`] stripes (one area).
fn af_split(secret: &Secret) -> Zeroizing<Vec<u8>> {
    let mut area = Zeroizing::new(vec![0u8; AREA_LEN]);
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut area[..AREA_LEN - SECRET_LEN]);
    let mut d = Zeroizing::new([0u8; SECRET_LEN]);
    for stripe in area[..AREA_LEN - SECRET_LEN].chunks_exact(SECRET_LEN) {
        xor_into(&mut d, stripe);
        *d = diffuse(&d);
    }
    xor_into(&mut d, secret.as_slice());
    area[AREA_LEN - SECRET_LEN..].copy_from_slice(d.as_slice());
    area
}

/// Recovers the secret from one area's stripes.
fn af_merge(area: &[u8]) -> Secret {
    let mut d = Zeroizing::new([0u8; SECRET_LEN]);
    for stripe in area[..AREA_LEN - SECRET_LEN].chunks_exact(SECRET_LEN) {
        xor_into(&mut d, stripe);
        *d = diffuse(&d);
    }
    xor_into(&mut d, &area[AREA_LEN - SECRET_LEN..]);
    d
}

fn head(id: &str) -> Vec<u8> {
    let mut h = format!("{MAGIC_LINE}id: {id}\n").into_bytes();
    h.resize(HEAD_LEN - 1, b' ');
    h.push(b'\n');
    h
}

/// The id in a key file head, if the head is a live key file's.
fn parse_head(bytes: &[u8]) -> Option<String> {
    let rest = bytes.strip_prefix(MAGIC_LINE.as_bytes())?;
    let rest = rest.strip_prefix(b"id: ")?;
    let id = std::str::from_utf8(rest.get(..32)?).ok()?;
    let ok = id
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (ok && rest.get(32) == Some(&b'\n')).then(|| id.to_string())
}

fn missing(vault: &Path) -> VaultError {
    VaultError::KeyFileMissing { path: path(vault) }
}

fn erased(vault: &Path) -> VaultError {
    VaultError::KeyFileErased { path: path(vault) }
}

/// Opens the key file for reading and writing in place: a regular file
/// of exactly [`FILE_LEN`] bytes (never through a symlink to elsewhere:
/// the check is on the link itself).
fn open_existing(vault: &Path, write: bool) -> Result<File, VaultError> {
    let kp = path(vault);
    let meta = match fs::symlink_metadata(&kp) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(missing(vault)),
        Err(e) => return Err(VaultError::io("read the key file", &kp, &e)),
    };
    if !meta.is_file() || meta.len() != FILE_LEN as u64 {
        return Err(erased(vault));
    }
    OpenOptions::new()
        .read(true)
        .write(write)
        .open(&kp)
        .map_err(|e| VaultError::io("open the key file", &kp, &e))
}

fn read_all(f: &mut File, kp: &Path) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let mut buf = Zeroizing::new(vec![0u8; FILE_LEN]);
    f.seek(SeekFrom::Start(0))
        .and_then(|_| f.read_exact(&mut buf))
        .map_err(|e| VaultError::io("read the key file", kp, &e))?;
    Ok(buf)
}

/// The id of the live key file beside `vault`, creating the file (or
/// resetting an erased or foreign one, which no vault can use any more)
/// if needed. A new file: 0600, head and random areas, fsynced, then the
/// folder. An existing one is rewritten in place, never replaced.
pub(crate) fn create_or_reuse(vault: &Path) -> Result<String, VaultError> {
    let kp = path(vault);
    match open_existing(vault, true) {
        Ok(mut f) => {
            let all = read_all(&mut f, &kp)?;
            if let Some(id) = parse_head(&all[..HEAD_LEN]) {
                return Ok(id);
            }
            let id = new_id();
            fill(&mut f, &id).map_err(|e| VaultError::io("write the key file", &kp, &e))?;
            Ok(id)
        }
        Err(VaultError::KeyFileMissing { .. }) => {
            let id = new_id();
            let mut f = fsutil::create_private_file(&kp)
                .map_err(|e| VaultError::io("create the key file", &kp, &e))?;
            let result = fill(&mut f, &id);
            if let Err(e) = result {
                drop(f);
                let _ = fs::remove_file(&kp);
                return Err(VaultError::io("write the key file", &kp, &e));
            }
            let dir = fsutil::parent_dir(vault);
            fsutil::fsync_dir(&dir).map_err(|e| VaultError::io("flush the folder", &dir, &e))?;
            Ok(id)
        }
        Err(VaultError::KeyFileErased { .. })
            if fs::symlink_metadata(&kp)
                .map(|m| m.is_file())
                .unwrap_or(false) =>
        {
            // Wrong size: an erased or foreign file; rewrite it in place.
            let mut f = OpenOptions::new()
                .write(true)
                .open(&kp)
                .map_err(|e| VaultError::io("open the key file", &kp, &e))?;
            let id = new_id();
            fill(&mut f, &id)
                .and_then(|()| f.set_len(FILE_LEN as u64))
                .and_then(|()| f.sync_all())
                .map_err(|e| VaultError::io("write the key file", &kp, &e))?;
            Ok(id)
        }
        Err(e) => Err(e),
    }
}

fn new_id() -> String {
    let mut b = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
    hex::encode(b)
}

/// Writes a head with `id` and two areas of random bytes from offset 0,
/// then fsyncs.
fn fill(f: &mut File, id: &str) -> io::Result<()> {
    f.seek(SeekFrom::Start(0))?;
    f.write_all(&head(id))?;
    let mut noise = vec![0u8; AREA_LEN];
    for _ in 0..2 {
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut noise);
        f.write_all(&noise)?;
    }
    f.sync_all()
}

/// Writes `secret`, split into stripes, over area `area` of the key file
/// with id `id`, in place, and fsyncs.
pub(crate) fn write_area(
    vault: &Path,
    id: &str,
    area: u8,
    secret: &Secret,
) -> Result<(), VaultError> {
    let kp = path(vault);
    let mut f = open_existing(vault, true)?;
    let all = read_all(&mut f, &kp)?;
    if parse_head(&all[..HEAD_LEN]).as_deref() != Some(id) {
        return Err(erased(vault));
    }
    let stripes = af_split(secret);
    f.seek(SeekFrom::Start(area_offset(area)))
        .and_then(|_| f.write_all(&stripes))
        .and_then(|()| f.sync_all())
        .map_err(|e| VaultError::io("write the key file", &kp, &e))
}

fn area_offset(area: u8) -> u64 {
    (HEAD_LEN + usize::from(area.min(1)) * AREA_LEN) as u64
}

/// The secret the header's `keyfile` line points to: `KeyFileMissing`
/// without the file, `KeyFileErased` if it was erased, belongs to another
/// vault, or its area does not match the header's check value.
pub(crate) fn read_secret(vault: &Path, r: &KeyFileRef) -> Result<Secret, VaultError> {
    let kp = path(vault);
    let mut f = open_existing(vault, false)?;
    let all = read_all(&mut f, &kp)?;
    if parse_head(&all[..HEAD_LEN]).as_deref() != Some(r.id.as_str()) {
        return Err(erased(vault));
    }
    let start = area_offset(r.area) as usize;
    let secret = af_merge(&all[start..start + AREA_LEN]);
    if check_value(&secret) != r.check {
        return Err(erased(vault));
    }
    Ok(secret)
}

/// Overwrites area `area` (or both, `None`) with random bytes in place
/// and fsyncs. A missing key file is fine (nothing to erase).
pub(crate) fn wipe_areas(vault: &Path, area: Option<u8>) -> Result<(), VaultError> {
    let kp = path(vault);
    let mut f = match open_existing(vault, true) {
        Ok(f) => f,
        Err(VaultError::KeyFileMissing { .. }) => return Ok(()),
        Err(e) => return Err(e),
    };
    let areas: &[u8] = match area {
        Some(0) => &[0],
        Some(_) => &[1],
        None => &[0, 1],
    };
    let mut noise = vec![0u8; AREA_LEN];
    for &a in areas {
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut noise);
        f.seek(SeekFrom::Start(area_offset(a)))
            .and_then(|_| f.write_all(&noise))
            .map_err(|e| VaultError::io("overwrite the key file", &kp, &e))?;
    }
    f.sync_all()
        .map_err(|e| VaultError::io("overwrite the key file", &kp, &e))
}

/// `destroy`: overwrites the whole key file in place (a "destroyed" line,
/// then random bytes to its end) and fsyncs. Returns whether there was
/// one. Only a regular file is written (never through a symlink).
pub(crate) fn destroy(vault: &Path) -> Result<bool, VaultError> {
    let kp = path(vault);
    let meta = match fs::symlink_metadata(&kp) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(VaultError::io("read the key file", &kp, &e)),
    };
    if !meta.is_file() {
        return Ok(false);
    }
    let io_err = |e: io::Error| VaultError::io("overwrite the key file", &kp, &e);
    let mut f = OpenOptions::new().write(true).open(&kp).map_err(io_err)?;
    let len = meta.len().max(FILE_LEN as u64);
    f.seek(SeekFrom::Start(0)).map_err(io_err)?;
    f.write_all(DESTROYED_LINE.as_bytes()).map_err(io_err)?;
    let mut left = len - DESTROYED_LINE.len() as u64;
    let mut noise = vec![0u8; 64 * 1024];
    while left > 0 {
        let n = left.min(noise.len() as u64) as usize;
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut noise[..n]);
        f.write_all(&noise[..n]).map_err(io_err)?;
        left -= n as u64;
    }
    f.sync_all().map_err(io_err)?;
    Ok(true)
}

/// Whether the key file beside `vault` reads as destroyed.
pub(crate) fn is_destroyed(vault: &Path) -> bool {
    let mut buf = [0u8; DESTROYED_LINE.len()];
    File::open(path(vault))
        .and_then(|mut f| f.read_exact(&mut buf))
        .map(|()| buf == DESTROYED_LINE.as_bytes())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_and_merge_round_trip() {
        let s = new_secret();
        let area = af_split(&s);
        assert_eq!(area.len(), AREA_LEN);
        assert_eq!(*af_merge(&area), *s);
    }

    #[test]
    fn any_changed_stripe_loses_the_secret() {
        let s = new_secret();
        let area = af_split(&s);
        for i in [0, 17 * SECRET_LEN + 3, AREA_LEN / 2, AREA_LEN - 1] {
            let mut bad = area.clone();
            bad[i] ^= 1;
            assert_ne!(*af_merge(&bad), *s, "flip at {i}");
        }
    }

    #[test]
    fn areas_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("v.fieldvault");
        let id = create_or_reuse(&vault).unwrap();
        assert_eq!(fs::metadata(path(&vault)).unwrap().len(), FILE_LEN as u64);
        assert_eq!(create_or_reuse(&vault).unwrap(), id);
        let s = new_secret();
        write_area(&vault, &id, 1, &s).unwrap();
        let r = KeyFileRef {
            id: id.clone(),
            area: 1,
            check: check_value(&s),
        };
        assert_eq!(*read_secret(&vault, &r).unwrap(), *s);
        let other = KeyFileRef {
            area: 0,
            ..r.clone()
        };
        assert!(matches!(
            read_secret(&vault, &other),
            Err(VaultError::KeyFileErased { .. })
        ));
        wipe_areas(&vault, Some(1)).unwrap();
        assert!(matches!(
            read_secret(&vault, &r),
            Err(VaultError::KeyFileErased { .. })
        ));
        write_area(&vault, &id, 1, &s).unwrap();
        assert!(destroy(&vault).unwrap());
        assert!(is_destroyed(&vault));
        assert!(matches!(
            read_secret(&vault, &r),
            Err(VaultError::KeyFileErased { .. })
        ));
        // An erased key file is reset in place (same inode) with a new id.
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(&fs::metadata(path(&vault)).unwrap());
        let id2 = create_or_reuse(&vault).unwrap();
        assert_ne!(id2, id);
        #[cfg(unix)]
        assert_eq!(
            std::os::unix::fs::MetadataExt::ino(&fs::metadata(path(&vault)).unwrap()),
            ino
        );
    }
}
