//! Changing the vault key: [`Vault::rekey`] replaces the master identity,
//! re-encrypts the payload, the slot details and every attachment to the
//! new one and rewraps every key slot, crash-safely. The procedure and its
//! crash analysis are in docs/crypto.md ("Changing the vault key"); the file
//! names in docs/format.md ("Files beside the vault").
//!
//! Attachments are separate files named by id, and the database (which
//! this crate does not read) refers to them by id, so a re-encrypted
//! attachment must end up under its old name. It is first written beside
//! it as `<id>.age.new`; only after the new vault file is durable is the
//! old `<id>.age` overwritten and replaced. Until then a reader takes
//! whichever of the two decrypts with the key of the vault file it opened.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::iter;
use std::path::{Path, PathBuf};

use serde::Serialize;
use zeroize::Zeroizing;

use super::{
    attachment_path, check_unlocked_parts, ensure_live, is_attachment_id, overwrite_file,
    read_head, read_vault_file, remove_attachment_temps, seal_info, verify_with_key, Vault,
};
use crate::error::VaultError;
use crate::format::{self, Header, RawSlot, SlotKind};
use crate::fsutil::{self, Existing};
use crate::kdf;
use crate::seal;
use crate::secret::{MasterKey, Passphrase};

/// Suffix of an attachment re-encrypted to a new vault key and not yet
/// moved over the old file: `<id>.age.new`.
const STAGED_SUFFIX: &str = ".age.new";

/// What [`Vault::rekey`] did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RekeyInfo {
    /// Key slots rewrapped to the new vault key (every slot of the vault).
    pub slots: usize,
    /// Attachment files re-encrypted to the new vault key.
    pub attachments: usize,
    /// Size in bytes of the re-encrypted payload (the committed database).
    pub payload_size: u64,
    /// Files left by an earlier, interrupted re-key that were finished
    /// (moved into place) or removed before this one started.
    pub leftovers: usize,
}

/// `<dir>/<id>.age.new`.
pub(super) fn staged_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}{STAGED_SUFFIX}"))
}

/// How an age file relates to a key.
enum Opens {
    /// Its header unwraps with the key.
    Yes,
    /// A well-formed age file for another key.
    OtherKey,
    /// Not a readable age header.
    Damaged,
}

/// Checks only the age header (one X25519 unwrap and the header MAC), not
/// the body.
fn opens_with(path: &Path, id: &age::x25519::Identity) -> io::Result<Opens> {
    let f = File::open(path)?;
    let classify = |e: age::DecryptError| match e {
        age::DecryptError::NoMatchingKeys => Ok(Opens::OtherKey),
        age::DecryptError::Io(e) if e.kind() != io::ErrorKind::UnexpectedEof => Err(e),
        _ => Ok(Opens::Damaged),
    };
    let dec = match age::Decryptor::new_buffered(BufReader::new(f)) {
        Ok(d) => d,
        Err(e) => return classify(e),
    };
    match dec.decrypt(iter::once(id as &dyn age::Identity)) {
        Ok(_) => Ok(Opens::Yes),
        Err(e) => classify(e),
    }
}

/// The ids of the staged (`<id>.age.new`) files in `dir`.
fn staged_ids(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir)? {
        let name = e?.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(id) = name.strip_suffix(STAGED_SUFFIX) {
            if is_attachment_id(id) {
                out.push(id.to_string());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The ids of the attachment files (`<id>.age`) in `dir`. Anything under
/// such a name that is not a regular file (a symlink, a folder) is
/// refused as a damaged attachment: it could not be re-encrypted, and
/// overwriting through a symlink would hit a file outside the folder.
fn attachment_ids(dir: &Path) -> Result<Vec<String>, VaultError> {
    let read_err = |e: io::Error| VaultError::io("read", dir, &e);
    let mut out = Vec::new();
    for e in fs::read_dir(dir).map_err(read_err)? {
        let e = e.map_err(read_err)?;
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(id) = name.strip_suffix(".age") {
            if is_attachment_id(id) {
                if !e.file_type().map_err(read_err)?.is_file() {
                    return Err(VaultError::AttachmentDamaged { id: id.to_string() });
                }
                out.push(id.to_string());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Finishes or cleans up what a re-key left in the attachment folder
/// `dir`, given the key of the vault file now on disk. For every
/// `<id>.age.new`:
/// - it opens with `key`: the re-key that wrote it was committed. The old
///   `<id>.age` (for the previous key) is overwritten with zeroes and
///   fsynced, then `<id>.age.new` is renamed over it;
/// - it is for another key: debris of a re-key that never committed (its
///   key is lost); deleted;
/// - damaged: left alone (readers report the attachment damaged).
///
/// The folder is fsynced at the end. Returns how many files were finished
/// or removed. `strict`: stop at the first error (a re-key about to start
/// must not run over an unfinished swap); otherwise keep going (writer
/// open, best effort).
pub(super) fn complete_swap(
    dir: &Path,
    key: &MasterKey,
    strict: bool,
) -> Result<usize, VaultError> {
    let ids = match staged_ids(dir) {
        Ok(ids) => ids,
        Err(e) if strict => return Err(VaultError::io("read", dir, &e)),
        Err(_) => return Ok(0),
    };
    if ids.is_empty() {
        return Ok(0);
    }
    let ident = key.identity();
    let mut done = 0;
    let mut first_error = None;
    for id in ids {
        let staged = staged_path(dir, &id);
        let canon = attachment_path(dir, &id);
        let step = || -> Result<bool, VaultError> {
            let read_err = |p: &Path| {
                let p = p.to_path_buf();
                move |e: io::Error| VaultError::io("read", &p, &e)
            };
            match opens_with(&staged, &ident).map_err(read_err(&staged))? {
                Opens::Yes => {
                    if fs::symlink_metadata(&canon).is_ok_and(|m| m.is_file()) {
                        if let Opens::Yes = opens_with(&canon, &ident).map_err(read_err(&canon))? {
                            // Both open with the current key: not a state
                            // a re-key leaves; readers take <id>.age.
                            return Ok(false);
                        }
                        overwrite_file(&canon)
                            .map_err(|e| VaultError::io("overwrite", &canon, &e))?;
                    }
                    fs::rename(&staged, &canon)
                        .map_err(|e| VaultError::io("replace", &canon, &e))?;
                    Ok(true)
                }
                Opens::OtherKey => {
                    fs::remove_file(&staged).map_err(|e| VaultError::io("delete", &staged, &e))?;
                    Ok(true)
                }
                Opens::Damaged => Err(VaultError::AttachmentDamaged { id: id.clone() }),
            }
        };
        match step() {
            Ok(true) => done += 1,
            Ok(false) => {}
            Err(e) if strict => {
                first_error = Some(e);
                break;
            }
            Err(_) => {}
        }
    }
    let synced = fsutil::fsync_dir(dir).map_err(|e| VaultError::io("flush", dir, &e));
    if let Some(e) = first_error {
        return Err(e);
    }
    if strict {
        synced?;
    }
    Ok(done)
}

/// Why re-encrypting one attachment failed.
enum Fail {
    /// The source does not decrypt (whole) with the old key.
    Damaged,
    /// Writing the new file failed.
    Io(io::Error),
}

/// Streams attachment `src` (old key) into a new 0600 file `tmp` (new
/// key), 64 KiB at a time through a wiped buffer; fsyncs it.
fn reencrypt_file(
    src: &Path,
    tmp: &Path,
    old: &age::x25519::Identity,
    new: &age::x25519::Recipient,
) -> Result<(), Fail> {
    let f = File::open(src).map_err(Fail::Io)?;
    let dec = age::Decryptor::new_buffered(BufReader::new(f)).map_err(|_| Fail::Damaged)?;
    let mut r = dec
        .decrypt(iter::once(old as &dyn age::Identity))
        .map_err(|_| Fail::Damaged)?;
    let out = fsutil::create_private_file(tmp).map_err(Fail::Io)?;
    let enc = age::Encryptor::with_recipients(iter::once(new as &dyn age::Recipient))
        .map_err(|_| Fail::Io(io::Error::other("age encryptor")))?;
    let mut w = enc
        .wrap_output(BufWriter::with_capacity(1 << 20, out))
        .map_err(Fail::Io)?;
    let mut buf = Zeroizing::new(vec![0u8; 64 * 1024]);
    loop {
        let n = r.read(&mut buf).map_err(|_| Fail::Damaged)?;
        if n == 0 {
            break;
        }
        w.write_all(&buf[..n]).map_err(Fail::Io)?;
    }
    let out = w
        .finish()
        .map_err(Fail::Io)?
        .into_inner()
        .map_err(|e| Fail::Io(e.into_error()))?;
    out.sync_all().map_err(Fail::Io)
}

/// Writes `<id>.age.new` (to `new`) for every `<id>.age` in `dir` (which
/// must decrypt with `old`), each through a temp file that is fsynced and
/// renamed, then fsyncs the folder. Every staged path is pushed to
/// `staged` as soon as it exists, so that the caller can remove them on
/// failure.
fn stage_attachments(
    dir: &Path,
    old: &MasterKey,
    new: &MasterKey,
    staged: &mut Vec<PathBuf>,
) -> Result<(), VaultError> {
    let ids = attachment_ids(dir)?;
    let old_id = old.identity();
    let new_r = new.recipient();
    for id in ids {
        let src = attachment_path(dir, &id);
        let dst = staged_path(dir, &id);
        let mut b = [0u8; 8];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
        // Named like put_attachment's temp files: a writer open removes it.
        let tmp = dir.join(format!(".{id}.age.tmp-{}", hex::encode(b)));
        let result = reencrypt_file(&src, &tmp, &old_id, &new_r);
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        match result {
            Ok(()) => {}
            Err(Fail::Damaged) => return Err(VaultError::AttachmentDamaged { id }),
            Err(Fail::Io(e)) => return Err(VaultError::io("write a temporary file in", dir, &e)),
        }
        staged.push(dst.clone());
        if let Err(e) = fs::rename(&tmp, &dst) {
            let _ = fs::remove_file(&tmp);
            return Err(VaultError::io("write", &dst, &e));
        }
    }
    fsutil::fsync_dir(dir).map_err(|e| VaultError::io("flush", dir, &e))
}

/// Whether the header of the file at `path` parses and its MAC verifies
/// with `key`.
fn file_is_keyed_with(path: &Path, key: &MasterKey) -> bool {
    let Ok((head, _)) = read_head(path) else {
        return false;
    };
    let Ok(parsed) = format::parse(&head, path) else {
        return false;
    };
    seal::verify_mac(key, &head[..parsed.mac_covered], &parsed.mac)
}

impl Vault {
    /// Changes the vault key (the master identity): generates a new one,
    /// re-encrypts the committed database, the slot details and every
    /// attachment file to it, rewraps every key slot (the passphrase slot
    /// with `passphrase` and a new random salt, each teammate's slot to the
    /// public key kept in the slot details), and recomputes the header
    /// MAC. Needs write access.
    ///
    /// Afterwards the previous master identity (held by a removed teammate,
    /// or recovered from an old copy of the file with the passphrase of
    /// the time) opens neither the vault file nor its attachments. It
    /// still opens copies taken before (see docs/crypto.md).
    ///
    /// `passphrase` is required if the vault has a passphrase slot
    /// (`PassphraseRequired` otherwise) and refused if it has none
    /// (`NoPassphraseSlot`; add one with [`Vault::change_passphrase`]).
    /// It becomes the passphrase of the rewrapped slot, so a new
    /// passphrase can be set at the same time: a caller should ask twice
    /// as for a passphrase change. The Argon2id parameters stay.
    ///
    /// Crash-safe: at every instant the vault file is the old one or the
    /// new one, and every attachment has a file that decrypts with the
    /// key of the vault file on disk (`<id>.age`, or `<id>.age.new` until
    /// the swap is finished; [`Vault::get_attachment`] tries both, and a
    /// writer open finishes an interrupted swap). Old attachment files are
    /// overwritten with zeroes only after the new vault file is durable.
    ///
    /// Uncommitted changes stay in memory (the payload written is the
    /// committed one); the next commit encrypts them to the new key. Other
    /// processes that have the vault open must open it again: their
    /// `reload` and attachment reads fail with `KeyChanged`.
    ///
    /// On error `self` matches the file on disk: either nothing changed
    /// (the old key stays; staged files are removed), or, if the error
    /// came after the new vault file was renamed into place, the new key
    /// is in use and the attachment swap is finished by the next writer
    /// open or re-key.
    pub fn rekey(&mut self, passphrase: Option<&Passphrase>) -> Result<RekeyInfo, VaultError> {
        self.require_write()?;
        let has_pass_slot = self
            .header
            .slots
            .iter()
            .any(|s| s.kind == SlotKind::Passphrase);
        let passphrase = match (has_pass_slot, passphrase) {
            (true, None) => return Err(VaultError::PassphraseRequired),
            (false, Some(_)) => return Err(VaultError::NoPassphraseSlot),
            (_, p) => p,
        };
        let path = self.path.clone();
        let damaged = || VaultError::damaged(&path);

        // Steps as numbered in docs/crypto.md ("Changing the vault key").
        // 0. The file on disk is the one this session unlocked.
        let bytes = read_vault_file(&self.path)?;
        let parsed = check_unlocked_parts(&bytes, &self.path)?;
        if parsed.header.payload_sha256 != self.header.payload_sha256 {
            return Err(damaged());
        }
        verify_with_key(&bytes, &parsed, &self.key, &self.path)?;
        let payload = &bytes[parsed.header_len..];
        let plain_len = seal::age_plaintext_len(payload).ok_or_else(damaged)? as u64;

        //    Finish (or clean up) an earlier interrupted re-key first.
        let adir = self.attachment_dir();
        let has_attachments = adir.is_dir();
        let leftovers = if has_attachments {
            remove_attachment_temps(&adir);
            complete_swap(&adir, &self.key, true)?
        } else {
            0
        };

        // 1. The new key and header. The slow part (Argon2id) comes
        //    before anything is written.
        let new_key = MasterKey::generate();
        let mut template = Header {
            version: format::FORMAT_VERSION,
            kdf: self.header.kdf,
            salt: kdf::new_salt(),
            keyfile: None,
            slots: Vec::with_capacity(self.header.slots.len()),
            slot_info: String::new(),
            payload_len: 0,
            payload_sha256: [0; 32],
        };
        if self.info.len() != self.header.slots.len() {
            return Err(damaged());
        }
        // The passphrase slot gets a fresh secret in the other key-file
        // area (the old one is overwritten once the new vault is durable).
        let old_area = self.header.keyfile.as_ref().map(|r| r.area);
        for (raw, info) in self.header.slots.iter().zip(&self.info) {
            let armor = match raw.kind {
                SlotKind::Passphrase => {
                    let p = passphrase.ok_or(VaultError::PassphraseRequired)?;
                    let derived = seal::derive_passphrase_key(p, &template)?;
                    let (r, secret) = self.prepare_keyfile_area()?;
                    template.keyfile = Some(r);
                    let pid = seal::passphrase_slot_identity(&derived, Some(&secret));
                    seal::wrap_master(&new_key, &pid.to_public())?
                }
                SlotKind::Recipient => {
                    let r = info
                        .recipient
                        .as_deref()
                        .and_then(|s| crate::keys::AnyRecipient::parse(s).ok())
                        .ok_or_else(damaged)?;
                    let recipients = crate::keys::Recipients::new(std::slice::from_ref(&r))?;
                    seal::wrap_master_to(&new_key, &recipients.as_dyn())?
                }
            };
            template.slots.push(RawSlot {
                id: raw.id.clone(),
                kind: raw.kind,
                armor,
            });
        }
        template.slot_info = seal_info(&self.info, self.travel_since.as_deref(), &new_key)?;

        // 2. Attachments: <id>.age.new beside each <id>.age, fsynced.
        let mut staged = Vec::new();
        let remove_staged = |staged: &[PathBuf]| {
            for p in staged {
                let _ = fs::remove_file(p);
            }
            let _ = fsutil::fsync_dir(&adir);
        };
        if has_attachments {
            if let Err(e) = stage_attachments(&adir, &self.key, &new_key, &mut staged) {
                remove_staged(&staged);
                return Err(e);
            }
        }

        // 3. The new vault file: temp file, fsync, rename, fsync folder.
        //    This rename is the commit point.
        let old_id = self.key.identity();
        let source_damaged = std::cell::Cell::new(false);
        let mut written = None;
        let result = fsutil::write_atomic_with(
            &self.path,
            Existing::Replace,
            &mut |f| {
                let dec = age::Decryptor::new_buffered(payload).map_err(|_| damaged())?;
                let mut r = dec
                    .decrypt(iter::once(&old_id as &dyn age::Identity))
                    .map_err(|_| damaged())?;
                let mut source = |w: &mut dyn Write| -> io::Result<()> {
                    let mut buf = Zeroizing::new(vec![0u8; 64 * 1024]);
                    let mut left = plain_len;
                    loop {
                        let n = r
                            .read(&mut buf[..])
                            .inspect_err(|_| source_damaged.set(true))?;
                        if n == 0 {
                            break;
                        }
                        left = left.checked_sub(n as u64).ok_or_else(|| {
                            source_damaged.set(true);
                            io::Error::other("payload longer than expected")
                        })?;
                        w.write_all(&buf[..n])?;
                    }
                    if left != 0 {
                        source_damaged.set(true);
                        return Err(io::Error::other("payload shorter than expected"));
                    }
                    Ok(())
                };
                written = Some(seal::write_vault_from(
                    f,
                    &template,
                    &new_key,
                    plain_len,
                    &mut source,
                    &path,
                )?);
                Ok(())
            },
            &|| ensure_live(&path),
        );
        if let Err(e) = result {
            let renamed = written
                .take()
                .filter(|_| file_is_keyed_with(&self.path, &new_key));
            if let Some(header) = renamed {
                // Renamed into place, but flushing the folder failed: the
                // new vault is in use, yet may not survive a power loss,
                // so the old attachment files stay until the next writer
                // open or re-key (readers take whichever decrypts).
                self.key = new_key;
                self.header = header;
                return Err(e);
            }
            remove_staged(&staged);
            if let Err(d @ VaultError::Destroyed { .. }) = ensure_live(&self.path) {
                return Err(d);
            }
            if source_damaged.get() {
                return Err(damaged());
            }
            return Err(e);
        }
        let header = written.expect("written on success");
        let payload_size = header.payload_len;
        drop(bytes);
        self.key = new_key; // the old key is wiped on drop
        self.header = header;
        self.migration = None;
        if let (Some(area), true) = (old_area, self.header.keyfile.is_some()) {
            // Best effort, as in `change_passphrase`.
            let _ = crate::keyfile::wipe_areas(&self.path, Some(area));
        }

        // 4. The new vault is durable: overwrite the old attachment files
        //    and move the new ones into place.
        if has_attachments {
            complete_swap(&adir, &self.key, true)?;
        }
        Ok(RekeyInfo {
            slots: self.header.slots.len(),
            attachments: staged.len(),
            payload_size,
            leftovers,
        })
    }
}
