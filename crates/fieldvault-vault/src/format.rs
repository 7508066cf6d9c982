//! The on-disk header: a strict, line-oriented text block in front of the
//! age payload. Pure parsing and printing, no cryptography (see docs/format.md).
//!
//! Parsing is canonical: every line is re-printed from its parsed fields and
//! must be byte-for-byte what was read, so two different byte strings never
//! parse to the same header.

use std::path::Path;

use crate::error::VaultError;
use crate::kdf::{self, KdfParams};

pub(crate) const MAGIC: &str = "fieldvault-vault";
/// Version 2 added the key file line (see docs/format.md); version 1
/// headers are still read, and written as version 2 at the next write.
pub(crate) const FORMAT_VERSION: u32 = 2;
/// The oldest version this library reads.
pub(crate) const OLDEST_VERSION: u32 = 1;
pub(crate) const DESTROYED_LINE: &str = "fieldvault-vault destroyed";
pub(crate) const MAX_HEADER_LEN: usize = 1 << 20;
pub(crate) const MAX_SLOTS: usize = 32;
pub(crate) const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
pub(crate) const ARMOR_END: &str = "-----END AGE ENCRYPTED FILE-----";
const MAX_ARMOR_LINES: usize = 256;

/// What a key slot is opened with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotKind {
    /// Opened with the passphrase (Argon2id).
    Passphrase,
    /// Opened with an age identity (a teammate's key).
    Recipient,
}

impl SlotKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SlotKind::Passphrase => "passphrase",
            SlotKind::Recipient => "recipient",
        }
    }

    fn parse(s: &str) -> Option<SlotKind> {
        match s {
            "passphrase" => Some(SlotKind::Passphrase),
            "recipient" => Some(SlotKind::Recipient),
            _ => None,
        }
    }
}

/// One key slot as stored: id, kind and the armored age file that holds the
/// master identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawSlot {
    pub id: String,
    pub kind: SlotKind,
    /// The armored age file, BEGIN to END line, each line ending in '\n'
    /// (or, as read from a vault written on Windows before 0.2, in "\r\n";
    /// normalised to '\n' before the header is written again).
    pub armor: String,
}

/// Which key file, and which of its two areas, the passphrase slot needs
/// (see `keyfile.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KeyFileRef {
    /// 32 lowercase hex digits, also written in the key file's head.
    pub id: String,
    /// 0 or 1.
    pub area: u8,
    /// 16 lowercase hex digits: a hash of the area's secret, to tell a
    /// wrong passphrase from an erased or foreign key file.
    pub check: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    /// The format version of the first line (as read; new headers and
    /// every write use [`FORMAT_VERSION`]).
    pub version: u32,
    pub kdf: KdfParams,
    pub salt: String,
    /// The key file the passphrase slot depends on (version 2; None in
    /// version 1, and after `travel start`).
    pub keyfile: Option<KeyFileRef>,
    pub slots: Vec<RawSlot>,
    /// Armored age file (to the master recipient) with the JSON slot details.
    pub slot_info: String,
    pub payload_len: u64,
    pub payload_sha256: [u8; 32],
}

/// A parsed file head.
pub(crate) struct Parsed {
    pub header: Header,
    /// Bytes covered by the MAC: from offset 0 to the end of the payload line.
    pub mac_covered: usize,
    pub mac: [u8; 32],
    /// Total header length: the payload starts here.
    pub header_len: usize,
}

impl Header {
    /// Prepares a header read from disk for being written again: the
    /// current format version, and CRLF armor (read from a vault written
    /// on Windows before 0.2) turned into LF. Only after the MAC was
    /// verified over the bytes as read.
    pub fn prepare_for_writing(&mut self) {
        self.version = FORMAT_VERSION;
        for slot in &mut self.slots {
            slot.armor = normalize_line_endings(&slot.armor);
        }
        self.slot_info = normalize_line_endings(&self.slot_info);
    }

    fn kdf_line(&self) -> String {
        format!(
            "kdf: argon2id v=19 m={} t={} p={} salt={}\n",
            self.kdf.memory_kib(),
            self.kdf.iterations,
            self.kdf.parallelism,
            self.salt
        )
    }

    /// Every byte the MAC covers.
    pub fn body(&self) -> Vec<u8> {
        let mut s = String::with_capacity(1024 + 600 * self.slots.len());
        s.push_str(&format!("{MAGIC} v{}\n", self.version));
        s.push_str(&self.kdf_line());
        if let Some(k) = &self.keyfile {
            s.push_str(&format!(
                "keyfile: id={} area={} check={}\n",
                k.id, k.area, k.check
            ));
        }
        for slot in &self.slots {
            s.push_str(&format!("slot: {} {}\n", slot.id, slot.kind.as_str()));
            s.push_str(&slot.armor);
        }
        s.push_str("slot-info:\n");
        s.push_str(&self.slot_info);
        s.push_str(&format!(
            "payload: {} sha256={}\n",
            self.payload_len,
            hex::encode(self.payload_sha256)
        ));
        s.into_bytes()
    }

    /// The whole header: body then the MAC line.
    pub fn to_bytes(&self, mac: &[u8; 32]) -> Vec<u8> {
        let mut b = self.body();
        b.extend_from_slice(format!("mac: hmac-sha256={}\n", hex::encode(mac)).as_bytes());
        b
    }
}

/// A cursor over the header's lines.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lines<'a> {
    /// The next line without its '\n'; None at EOF or if the line is not
    /// terminated, too long, or not printable ASCII.
    fn next(&mut self) -> Option<&'a str> {
        let rest = self.bytes.get(self.pos..)?;
        let limit = rest.len().min(512);
        let nl = rest[..limit].iter().position(|&b| b == b'\n')?;
        let line = &rest[..nl];
        if !line.iter().all(|&b| (0x20..0x7f).contains(&b)) {
            return None;
        }
        self.pos += nl + 1;
        std::str::from_utf8(line).ok()
    }

    /// Like [`Lines::next`], for a line inside an armored age file: a
    /// trailing '\r' is allowed and reported (the age crate armors with
    /// CRLF on Windows, so vaults written there by fieldvault before 0.2
    /// carry CRLF armor).
    fn next_armor_line(&mut self) -> Option<(&'a str, bool)> {
        let rest = self.bytes.get(self.pos..)?;
        let limit = rest.len().min(512);
        let nl = rest[..limit].iter().position(|&b| b == b'\n')?;
        let (line, crlf) = match rest[..nl].strip_suffix(b"\r") {
            Some(l) => (l, true),
            None => (&rest[..nl], false),
        };
        if !line.iter().all(|&b| (0x20..0x7f).contains(&b)) {
            return None;
        }
        self.pos += nl + 1;
        Some((std::str::from_utf8(line).ok()?, crlf))
    }
}

/// `armor` with every CRLF line ending turned into LF: what fieldvault
/// writes on every platform, so a vault is the same bytes everywhere.
pub(crate) fn normalize_line_endings(armor: &str) -> String {
    armor.replace("\r\n", "\n")
}

/// How the first line reads.
pub(crate) enum Magic {
    Version(u32),
    Destroyed,
}

/// Reads and classifies the first line. `bytes` is the start of the file.
pub(crate) fn read_magic(bytes: &[u8], path: &Path) -> Result<(Magic, usize), VaultError> {
    let magic = MAGIC.as_bytes();
    let n = bytes.len().min(magic.len());
    if bytes[..n] != magic[..n] {
        return Err(VaultError::NotAVault {
            path: path.to_path_buf(),
        });
    }
    let mut lines = Lines { bytes, pos: 0 };
    let first = lines.next().ok_or_else(|| VaultError::damaged(path))?;
    if first == DESTROYED_LINE {
        return Ok((Magic::Destroyed, lines.pos));
    }
    let v = first
        .strip_prefix(MAGIC)
        .and_then(|r| r.strip_prefix(" v"))
        .ok_or_else(|| VaultError::damaged(path))?;
    let version: u64 = parse_canonical(v).ok_or_else(|| VaultError::damaged(path))?;
    if version > u64::from(FORMAT_VERSION) {
        return Err(VaultError::NewerFormat {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    if version < u64::from(OLDEST_VERSION) {
        return Err(VaultError::damaged(path));
    }
    Ok((Magic::Version(version as u32), lines.pos))
}

/// Decimal without sign, leading zeros or spaces.
fn parse_canonical<T: std::str::FromStr + ToString>(s: &str) -> Option<T> {
    let v: T = s.parse().ok()?;
    (v.to_string() == s).then_some(v)
}

fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || s.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let v = hex::decode(s).ok()?;
    v.try_into().ok()
}

/// One armored age file, kept byte for byte as read (so that the header
/// re-prints canonically and its MAC verifies). Its lines end all in LF
/// or all in CRLF (see [`Lines::next_armor_line`]); mixed endings are
/// refused.
fn read_armor(lines: &mut Lines<'_>) -> Option<String> {
    let mut s = String::new();
    let (first, crlf) = lines.next_armor_line()?;
    if first != ARMOR_BEGIN {
        return None;
    }
    let eol = if crlf { "\r\n" } else { "\n" };
    s.push_str(ARMOR_BEGIN);
    s.push_str(eol);
    for _ in 0..MAX_ARMOR_LINES {
        let (l, this_crlf) = lines.next_armor_line()?;
        if this_crlf != crlf {
            return None;
        }
        s.push_str(l);
        s.push_str(eol);
        if l == ARMOR_END {
            return Some(s);
        }
        if l.len() > 64
            || !l
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
        {
            return None;
        }
    }
    None
}

/// Parses the header of a vault file whose first bytes are `bytes` (the
/// whole file, or at least the header). Destroyed files give
/// `VaultError::Destroyed`.
pub(crate) fn parse(bytes: &[u8], path: &Path) -> Result<Parsed, VaultError> {
    let damaged = || VaultError::damaged(path);
    let (magic, pos) = read_magic(bytes, path)?;
    let version = match magic {
        Magic::Version(v) => v,
        Magic::Destroyed => {
            return Err(VaultError::Destroyed {
                path: path.to_path_buf(),
            })
        }
    };
    let window = &bytes[..bytes.len().min(MAX_HEADER_LEN)];
    let mut lines = Lines { bytes: window, pos };

    // kdf line
    let kdf_line = lines.next().ok_or_else(damaged)?;
    let (kdf, salt) = parse_kdf(kdf_line).ok_or_else(damaged)?;

    // keyfile line (version 2, optional)
    let mut line = lines.next().ok_or_else(damaged)?;
    let mut keyfile = None;
    if let Some(rest) = line.strip_prefix("keyfile: ") {
        if version < 2 {
            return Err(damaged());
        }
        keyfile = Some(parse_keyfile(rest).ok_or_else(damaged)?);
        line = lines.next().ok_or_else(damaged)?;
    }

    // slots
    let mut slots: Vec<RawSlot> = Vec::new();
    let slot_info = loop {
        if line == "slot-info:" {
            break read_armor(&mut lines).ok_or_else(damaged)?;
        }
        let rest = line.strip_prefix("slot: ").ok_or_else(damaged)?;
        let (id, kind) = rest.split_once(' ').ok_or_else(damaged)?;
        let kind = SlotKind::parse(kind).ok_or_else(damaged)?;
        let n: u32 = parse_canonical(id).ok_or_else(damaged)?;
        if n == 0 || n > 9999 || slots.iter().any(|s| s.id == id) || slots.len() >= MAX_SLOTS {
            return Err(damaged());
        }
        if kind == SlotKind::Passphrase && slots.iter().any(|s| s.kind == SlotKind::Passphrase) {
            return Err(damaged());
        }
        let armor = read_armor(&mut lines).ok_or_else(damaged)?;
        slots.push(RawSlot {
            id: id.to_string(),
            kind,
            armor,
        });
        line = lines.next().ok_or_else(damaged)?;
    };
    if slots.is_empty() {
        return Err(damaged());
    }

    // payload line
    let line = lines.next().ok_or_else(damaged)?;
    let rest = line.strip_prefix("payload: ").ok_or_else(damaged)?;
    let (len, sha) = rest.split_once(" sha256=").ok_or_else(damaged)?;
    let payload_len: u64 = parse_canonical(len).ok_or_else(damaged)?;
    let payload_sha256 = parse_hex32(sha).ok_or_else(damaged)?;
    let mac_covered = lines.pos;

    // mac line
    let line = lines.next().ok_or_else(damaged)?;
    let mac = line
        .strip_prefix("mac: hmac-sha256=")
        .and_then(parse_hex32)
        .ok_or_else(damaged)?;
    let header_len = lines.pos;

    let header = Header {
        version,
        kdf,
        salt,
        keyfile,
        slots,
        slot_info,
        payload_len,
        payload_sha256,
    };
    // Canonical form check: re-printing gives the same bytes.
    if header.to_bytes(&mac) != bytes[..header_len] {
        return Err(damaged());
    }
    Ok(Parsed {
        header,
        mac_covered,
        mac,
        header_len,
    })
}

/// `id=<32 hex> area=<0|1> check=<16 hex>`.
fn parse_keyfile(rest: &str) -> Option<KeyFileRef> {
    let mut parts = rest.split(' ');
    let id = parts.next()?.strip_prefix("id=")?;
    let area = parts.next()?.strip_prefix("area=")?;
    let check = parts.next()?.strip_prefix("check=")?;
    if parts.next().is_some() {
        return None;
    }
    let lower_hex = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let area = match area {
        "0" => 0,
        "1" => 1,
        _ => return None,
    };
    (lower_hex(id, 32) && lower_hex(check, 16)).then(|| KeyFileRef {
        id: id.to_string(),
        area,
        check: check.to_string(),
    })
}

fn parse_kdf(line: &str) -> Option<(KdfParams, String)> {
    let rest = line.strip_prefix("kdf: argon2id v=19 ")?;
    let mut m = None;
    let mut t = None;
    let mut p = None;
    let mut salt = None;
    for (i, part) in rest.split(' ').enumerate() {
        let (k, v) = part.split_once('=')?;
        match (i, k) {
            (0, "m") => m = Some(parse_canonical::<u64>(v)?),
            (1, "t") => t = Some(parse_canonical::<u64>(v)?),
            (2, "p") => p = Some(parse_canonical::<u64>(v)?),
            (3, "salt") => salt = Some(v.to_string()),
            _ => return None,
        }
    }
    let (m, t, p, salt) = (m?, t?, p?, salt?);
    if m % 1024 != 0 {
        return None;
    }
    let clamp = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
    if salt.is_empty()
        || !salt
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    Some((
        KdfParams {
            memory_mib: clamp(m / 1024),
            iterations: clamp(t),
            parallelism: clamp(p),
        },
        salt,
    ))
}

/// Checks the KDF parameters and salt of a parsed header against the caps.
pub(crate) fn check_kdf(header: &Header) -> Result<(), VaultError> {
    header.kdf.check()?;
    kdf::check_salt(header.salt.as_bytes())
}

/// The byte length of the header that `destroy` must overwrite, found even
/// in a damaged header: the parsed length, else up to the payload's age
/// magic line, else the first line plus everything up to MAX_HEADER_LEN.
pub(crate) fn header_extent(bytes: &[u8]) -> usize {
    let window = &bytes[..bytes.len().min(MAX_HEADER_LEN)];
    if let Ok(p) = parse(bytes, Path::new("")) {
        return p.header_len;
    }
    let needle = b"\nage-encryption.org/v1\n";
    if let Some(i) = window.windows(needle.len()).position(|w| w == needle) {
        return i + 1;
    }
    window.len()
}
