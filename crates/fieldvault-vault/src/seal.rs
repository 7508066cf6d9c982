//! age wrapping: key slots, the slot-info block, payloads, the header MAC.

use std::io::{Read, Write};
use std::iter;

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::VaultError;
use crate::format::Header;
use crate::kdf;
use crate::secret::{identity_from_bytes, MasterKey, Passphrase};

/// Encrypts `plaintext` to `recipients` as an armored age file.
pub(crate) fn seal_armored(
    recipients: &[&dyn age::Recipient],
    plaintext: &[u8],
) -> Result<String, VaultError> {
    let enc = age::Encryptor::with_recipients(recipients.iter().copied())
        .map_err(|_| VaultError::Encryption)?;
    let mut out = Vec::with_capacity(plaintext.len() * 2 + 512);
    let fail = |_| VaultError::Encryption;
    let armor = ArmoredWriter::wrap_output(&mut out, Format::AsciiArmor).map_err(fail)?;
    let mut w = enc.wrap_output(armor).map_err(fail)?;
    w.write_all(plaintext).map_err(fail)?;
    w.finish().map_err(fail)?.finish().map_err(fail)?;
    // The age crate armors with CRLF on Windows: fieldvault writes LF on
    // every platform so that a vault is the same bytes everywhere.
    let s = String::from_utf8(out).map_err(|_| VaultError::Encryption)?;
    let mut s = crate::format::normalize_line_endings(&s);
    if !s.ends_with('\n') {
        s.push('\n');
    }
    Ok(s)
}

/// Decrypts an armored age file with any of `identities`; None if none
/// matches or the file is damaged. At most `limit` bytes of plaintext.
pub(crate) fn open_armored(
    armor: &str,
    identities: &[&dyn age::Identity],
    limit: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    let dec = age::Decryptor::new(ArmoredReader::new(armor.as_bytes())).ok()?;
    let r = dec.decrypt(identities.iter().copied()).ok()?;
    // Capacity fixed up front: the buffer never reallocates, so no copy
    // of the plaintext is left behind in freed memory.
    let mut buf = Zeroizing::new(Vec::with_capacity(limit + 1));
    r.take(limit as u64 + 1).read_to_end(&mut buf).ok()?;
    if buf.len() > limit {
        return None;
    }
    Some(buf)
}

/// Argon2id over the passphrase with the header's salt and parameters
/// (caps checked first): the slow step of unlocking.
pub(crate) fn derive_passphrase_key(
    passphrase: &Passphrase,
    header: &Header,
) -> Result<Zeroizing<[u8; 32]>, VaultError> {
    kdf::derive(passphrase, header.salt.as_bytes(), header.kdf)
}

const KEYFILE_BINDING: &[u8] = b"fieldvault-vault v2 passphrase slot";

/// The identity of the passphrase slot. Format 1: the Argon2id output
/// itself. Format 2: HMAC-SHA256 keyed with the Argon2id output over a
/// label and the key file's secret, so the slot opens only with both the
/// passphrase and the key file (see docs/crypto.md).
pub(crate) fn passphrase_slot_identity(
    derived: &[u8; 32],
    keyfile_secret: Option<&crate::keyfile::Secret>,
) -> age::x25519::Identity {
    match keyfile_secret {
        None => identity_from_bytes(derived),
        Some(secret) => {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(derived).expect("any key length");
            mac.update(KEYFILE_BINDING);
            mac.update(secret.as_slice());
            let bound = Zeroizing::new(<[u8; 32]>::from(mac.finalize().into_bytes()));
            identity_from_bytes(&bound)
        }
    }
}

/// Wraps the master key into a slot for `recipient`.
pub(crate) fn wrap_master(
    key: &MasterKey,
    recipient: &dyn age::Recipient,
) -> Result<String, VaultError> {
    seal_armored(&[recipient], &key.slot_plaintext())
}

/// Opens a slot with `identities`.
pub(crate) fn unwrap_master(armor: &str, identities: &[&dyn age::Identity]) -> Option<MasterKey> {
    let pt = open_armored(armor, identities, 256)?;
    MasterKey::from_slot_plaintext(&pt)
}

pub(crate) fn header_mac(key: &MasterKey, body: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.mac_key()).expect("any key length");
    mac.update(body);
    mac.finalize().into_bytes().into()
}

pub(crate) fn verify_mac(key: &MasterKey, body: &[u8], tag: &[u8; 32]) -> bool {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.mac_key()).expect("any key length");
    mac.update(body);
    mac.verify_slice(tag).is_ok()
}

/// Exact plaintext length of a binary age file with X25519/scrypt stanzas,
/// computed from its length: header up to the `--- MAC` line, 16-byte
/// nonce, then chunks of 64 KiB plaintext + 16-byte tag.
pub(crate) fn age_plaintext_len(file: &[u8]) -> Option<usize> {
    let scan = &file[..file.len().min(1 << 16)];
    let start = scan.windows(5).position(|w| w == b"\n--- ")? + 1;
    let end = start + scan[start..].iter().position(|&b| b == b'\n')? + 1;
    let rest = file.len().checked_sub(end)?.checked_sub(16)?;
    const CHUNK: usize = 64 * 1024 + 16;
    if rest < 16 {
        return None;
    }
    let chunks = rest.div_ceil(CHUNK);
    rest.checked_sub(16 * chunks)
}

/// Encrypts `plaintext` (binary age) to the vault's master recipient.
pub(crate) fn encrypt_binary(
    recipients: &[&dyn age::Recipient],
    plaintext: &[u8],
) -> Result<Vec<u8>, VaultError> {
    let enc = age::Encryptor::with_recipients(recipients.iter().copied())
        .map_err(|_| VaultError::Encryption)?;
    let chunks = plaintext.len() / (64 * 1024) + 1;
    let mut out = Vec::with_capacity(plaintext.len() + 16 * chunks + 1024);
    let fail = |_| VaultError::Encryption;
    let mut w = enc.wrap_output(&mut out).map_err(fail)?;
    w.write_all(plaintext).map_err(fail)?;
    w.finish().map_err(fail)?;
    Ok(out)
}

/// Streams a binary age file to another age file for other recipients
/// without holding the whole plaintext (64 KiB at a time, wiped).
pub(crate) fn reencrypt(
    file: &[u8],
    identity: &dyn age::Identity,
    encryptor: age::Encryptor,
) -> Option<Vec<u8>> {
    let dec = age::Decryptor::new_buffered(file).ok()?;
    let mut r = dec.decrypt(iter::once(identity)).ok()?;
    let mut out = Vec::with_capacity(file.len() + 4096);
    let mut w = encryptor.wrap_output(&mut out).ok()?;
    let mut buf = Zeroizing::new(vec![0u8; 64 * 1024]);
    loop {
        let n = r.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        w.write_all(&buf[..n]).ok()?;
    }
    w.finish().ok()?;
    Some(out)
}

/// Bytes the encrypting thread hands to the writing thread at a time.
const PIPE_CHUNK: usize = 1 << 20;

/// A `Write` that batches ciphertext and sends it to the writer thread.
struct Pipe {
    buf: Vec<u8>,
    tx: std::sync::mpsc::SyncSender<Vec<u8>>,
}

impl Pipe {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.buf, Vec::with_capacity(PIPE_CHUNK + 70_000));
        self.tx
            .send(full)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl Write for Pipe {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= PIPE_CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Length of a binary age file's header plus its 16-byte nonce, found in
/// the first bytes of the file.
fn age_prefix_len(first: &[u8]) -> Option<u64> {
    let start = first.windows(5).position(|w| w == b"\n--- ")? + 1;
    let end = start + first[start..].iter().position(|&b| b == b'\n')? + 1;
    let len = end as u64 + 16;
    (first.len() as u64 >= len).then_some(len)
}

/// Writes a whole vault file into `file`: the payload (`plaintext`
/// encrypted to the master recipient) is encrypted on this thread and
/// hashed and written on a second one, starting after a gap exactly the
/// size of the header; then the header (with the payload's length, hash
/// and the MAC) fills the gap. Returns the header as written.
///
/// The payload length is predicted from the age header and the plaintext
/// length (64 KiB chunks + 16-byte tags) and checked after writing.
pub(crate) fn write_vault_streaming(
    file: &mut std::fs::File,
    template: &Header,
    key: &MasterKey,
    plaintext: &[u8],
    path: &std::path::Path,
) -> Result<Header, VaultError> {
    write_vault_from(
        file,
        template,
        key,
        plaintext.len() as u64,
        &mut |w| w.write_all(plaintext),
        path,
    )
}

/// Like [`write_vault_streaming`], with the plaintext (exactly
/// `plain_len` bytes) produced by `source`, which writes it into the
/// encryptor it is given (on the calling thread). Re-keying uses this to
/// stream the old payload's plaintext from its decryptor into the new
/// encryption, 64 KiB at a time, without holding the whole plaintext.
pub(crate) fn write_vault_from(
    file: &mut std::fs::File,
    template: &Header,
    key: &MasterKey,
    plain_len: u64,
    source: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    path: &std::path::Path,
) -> Result<Header, VaultError> {
    use std::io::{Seek, SeekFrom};
    let recipient = key.recipient();
    let enc = age::Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient))
        .map_err(|_| VaultError::Encryption)?;
    let chunks = plain_len.div_ceil(64 * 1024).max(1);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    let io_err = |e: &std::io::Error| VaultError::io("write a temporary file beside", path, e);

    let (enc_result, writer_result) = std::thread::scope(|s| {
        let writer = s.spawn(|| -> std::io::Result<(u64, u64, [u8; 32], usize)> {
            let mut hasher = Sha256::new();
            let mut written = 0u64;
            let mut predicted = None;
            let mut header_len = 0usize;
            for buf in rx {
                if predicted.is_none() {
                    let prefix = age_prefix_len(&buf)
                        .ok_or_else(|| std::io::Error::other("age header not found"))?;
                    let p = prefix + plain_len + 16 * chunks;
                    let mut h = template.clone();
                    h.payload_len = p;
                    header_len = h.to_bytes(&[0; 32]).len();
                    file.seek(SeekFrom::Start(header_len as u64))?;
                    predicted = Some(p);
                }
                hasher.update(&buf);
                file.write_all(&buf)?;
                written += buf.len() as u64;
            }
            Ok((
                written,
                predicted.unwrap_or(u64::MAX),
                hasher.finalize().into(),
                header_len,
            ))
        });
        let mut pipe = Pipe {
            buf: Vec::with_capacity(PIPE_CHUNK + 70_000),
            tx,
        };
        let enc_result = (|| -> std::io::Result<()> {
            let mut w = enc.wrap_output(&mut pipe)?;
            source(&mut w)?;
            w.finish()?;
            pipe.send()
        })();
        drop(pipe); // closes the channel: the writer finishes
        (enc_result, writer.join())
    });
    let (written, predicted, hash, header_len) = match writer_result {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return Err(io_err(&e)),
        Err(_) => return Err(VaultError::Encryption),
    };
    enc_result.map_err(|e| io_err(&e))?;
    if written != predicted {
        return Err(VaultError::Encryption);
    }
    let mut header = template.clone();
    header.payload_len = written;
    header.payload_sha256 = hash;
    let mac = header_mac(key, &header.body());
    let head = header.to_bytes(&mac);
    if head.len() != header_len {
        return Err(VaultError::Encryption);
    }
    file.seek(SeekFrom::Start(0)).map_err(|e| io_err(&e))?;
    file.write_all(&head).map_err(|e| io_err(&e))?;
    Ok(header)
}
