//! Secret types: the passphrase, the vault's master key, identity files.
//! All of them zeroize their memory on drop; the master key is also
//! `mlock`ed (best effort) so it is not written to swap.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::{ExposeSecret, SecretString};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::error::VaultError;
use crate::hardening;

/// A passphrase typed by a person. Never empty; zeroized on drop; its
/// `Debug` shows nothing.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Wraps a passphrase. The string is taken over (and wiped on drop);
    /// it is used byte for byte (no trimming, no Unicode normalization).
    pub fn new(passphrase: String) -> Result<Passphrase, VaultError> {
        let p = Zeroizing::new(passphrase);
        if p.is_empty() {
            return Err(VaultError::EmptyPassphrase);
        }
        Ok(Passphrase(p))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    pub(crate) fn to_age_secret(&self) -> SecretString {
        SecretString::from(self.0.as_str().to_owned())
    }
}

impl PartialEq for Passphrase {
    /// Constant-time in the length of the shorter passphrase.
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.as_bytes(), other.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<hidden>)")
    }
}

/// The parsed contents of an age identity file (one or more
/// `AGE-SECRET-KEY-1...` lines; `#` comments and blank lines allowed).
pub struct IdentityFile {
    path: PathBuf,
    identities: Vec<age::x25519::Identity>,
    /// `AGE-PLUGIN-...` lines (hardware keys and other age plugins).
    plugins: Vec<age::plugin::Identity>,
}

impl IdentityFile {
    /// Reads and parses an age identity file (as written by `age-keygen`).
    pub fn read(path: &Path) -> Result<IdentityFile, VaultError> {
        let bytes = Zeroizing::new(
            std::fs::read(path).map_err(|e| VaultError::io("read the identity file", path, &e))?,
        );
        let text = std::str::from_utf8(&bytes).map_err(|_| VaultError::InvalidIdentityFile {
            path: path.to_path_buf(),
        })?;
        Self::parse(text, path)
    }

    /// Parses the text of an identity file; `source` is only used in errors.
    pub fn parse(text: &str, source: &Path) -> Result<IdentityFile, VaultError> {
        let bad = || VaultError::InvalidIdentityFile {
            path: source.to_path_buf(),
        };
        let mut identities = Vec::new();
        let mut plugins = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with("AGE-PLUGIN-") {
                plugins.push(age::plugin::Identity::from_str(line).map_err(|_| bad())?);
                continue;
            }
            let id = age::x25519::Identity::from_str(line).map_err(|_| bad())?;
            identities.push(id);
        }
        if identities.is_empty() && plugins.is_empty() {
            return Err(bad());
        }
        Ok(IdentityFile {
            path: source.to_path_buf(),
            identities,
            plugins,
        })
    }

    /// Where the identities were read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The public keys (`age1...`) of the X25519 identities in the file
    /// (a plugin identity's recipient is known only to its plugin).
    pub fn recipients(&self) -> Vec<String> {
        self.identities
            .iter()
            .map(|i| i.to_public().to_string())
            .collect()
    }

    pub(crate) fn identities(&self) -> &[age::x25519::Identity] {
        &self.identities
    }

    pub(crate) fn plugin_identities(&self) -> &[age::plugin::Identity] {
        &self.plugins
    }
}

impl fmt::Debug for IdentityFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityFile")
            .field("path", &self.path)
            .field("identities", &self.identities.len())
            .finish()
    }
}

const SECRET_HRP: &str = "age-secret-key-";

/// Encodes 32 secret bytes as an `AGE-SECRET-KEY-1...` string.
pub(crate) fn encode_identity(bytes: &[u8; 32]) -> Zeroizing<String> {
    let hrp = bech32::Hrp::parse(SECRET_HRP).expect("valid hrp");
    Zeroizing::new(bech32::encode_upper::<bech32::Bech32>(hrp, bytes).expect("32 bytes encode"))
}

/// Builds an age X25519 identity from 32 secret bytes (age has no
/// raw-bytes constructor: go through the bech32 string).
pub(crate) fn identity_from_bytes(bytes: &[u8; 32]) -> age::x25519::Identity {
    let s = encode_identity(bytes);
    age::x25519::Identity::from_str(&s).expect("a freshly encoded identity parses")
}

/// Extracts the 32 secret bytes of an age X25519 identity.
pub(crate) fn identity_to_bytes(id: &age::x25519::Identity) -> Option<Zeroizing<[u8; 32]>> {
    let s = id.to_string();
    let (hrp, mut data) = bech32::decode(s.expose_secret()).ok()?;
    let mut out = Zeroizing::new([0u8; 32]);
    let ok = hrp.as_str().eq_ignore_ascii_case(SECRET_HRP) && data.len() == 32;
    if ok {
        out.copy_from_slice(&data);
    }
    data.zeroize();
    ok.then_some(out)
}

/// The vault's master key: the secret of the master age X25519 identity
/// (32 bytes) and the header MAC key derived from it (32 bytes), in one
/// page-locked, zeroize-on-drop allocation.
pub(crate) struct MasterKey {
    bytes: Box<[u8; 64]>,
    locked: bool,
}

const MAC_KEY_LABEL: &[u8] = b"fieldvault-vault v1 header mac";

impl MasterKey {
    pub(crate) fn generate() -> MasterKey {
        let id = age::x25519::Identity::generate();
        let b = identity_to_bytes(&id).expect("generated identity encodes");
        MasterKey::from_secret(&b)
    }

    pub(crate) fn from_secret(secret: &[u8; 32]) -> MasterKey {
        let mut bytes = Box::new([0u8; 64]);
        let locked = hardening::lock_memory(bytes.as_ptr(), bytes.len());
        bytes[..32].copy_from_slice(secret);
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("any key length");
        mac.update(MAC_KEY_LABEL);
        let k = mac.finalize().into_bytes();
        bytes[32..].copy_from_slice(&k);
        MasterKey { bytes, locked }
    }

    /// Parses the plaintext of a key slot: one `AGE-SECRET-KEY-1...` line.
    pub(crate) fn from_slot_plaintext(text: &[u8]) -> Option<MasterKey> {
        let s = std::str::from_utf8(text).ok()?;
        let line = s.strip_suffix('\n').unwrap_or(s);
        let id = age::x25519::Identity::from_str(line).ok()?;
        let b = identity_to_bytes(&id)?;
        Some(MasterKey::from_secret(&b))
    }

    fn secret(&self) -> &[u8; 32] {
        self.bytes[..32].try_into().expect("32 bytes")
    }

    pub(crate) fn mac_key(&self) -> &[u8] {
        &self.bytes[32..]
    }

    /// The slot plaintext: the identity string and a newline, exactly what
    /// an age identity file holds.
    pub(crate) fn slot_plaintext(&self) -> Zeroizing<Vec<u8>> {
        let s = encode_identity(self.secret());
        let mut v = Zeroizing::new(Vec::with_capacity(s.len() + 1));
        v.extend_from_slice(s.as_bytes());
        v.push(b'\n');
        v
    }

    pub(crate) fn identity(&self) -> age::x25519::Identity {
        identity_from_bytes(self.secret())
    }

    pub(crate) fn recipient(&self) -> age::x25519::Recipient {
        self.identity().to_public()
    }
}

impl Drop for MasterKey {
    fn drop(&mut self) {
        self.bytes.zeroize();
        if self.locked {
            hardening::unlock_memory(self.bytes.as_ptr(), self.bytes.len());
        }
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<hidden>)")
    }
}

impl Clone for Passphrase {
    /// A second zeroizing copy (for a backup encrypted to the same passphrase).
    fn clone(&self) -> Self {
        Passphrase(self.0.clone())
    }
}
