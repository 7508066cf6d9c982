//! age wrapping: key slots, the slot-info block, payloads, the header MAC.

use std::io::{Read, Write};
use std::iter;

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use hmac::{Hmac, Mac};
use sha2::Sha256;
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
    let mut s = String::from_utf8(out).map_err(|_| VaultError::Encryption)?;
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

/// The identity derived from the passphrase with the header's salt and
/// parameters (caps checked first).
pub(crate) fn passphrase_identity(
    passphrase: &Passphrase,
    header: &Header,
) -> Result<age::x25519::Identity, VaultError> {
    let k = kdf::derive(passphrase, header.salt.as_bytes(), header.kdf)?;
    Ok(identity_from_bytes(&k))
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
