//! Identifiers that link nothing across exports.
//!
//! An identifier that two exports share tells a reader that the two files
//! hold the same interview, quote or person: a quote published once under a
//! pseudonym and later anonymously would be tied back to the pseudonym by
//! its GUID alone. So every identifier an export writes (REFI-QDA GUIDs,
//! the excerpt and transcript ids of CSV and JSON, selection names) is
//! computed with HMAC-SHA-256 under a [`LinkKey`] drawn afresh for each
//! export. Within one export the same vault id always gives the same
//! identifier (a case's `SelectionRef` finds its selection); across exports
//! nothing matches, and without the key nobody can tell which vault id an
//! identifier stands for. A caller that wants to look identifiers up later
//! keeps the key inside the vault, never beside the export.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::ExportError;

/// Domain separation: a GUID and a short token for the same (kind, id)
/// are unrelated, and so are fieldvault's values and anyone else's.
const GUID_DOMAIN: &[u8] = b"fieldvault-export/link/guid/v2";
const TOKEN_DOMAIN: &[u8] = b"fieldvault-export/link/token/v2";

/// The per-export secret that keys every identifier of one export.
///
/// Held in a zeroizing buffer: with the key, an export's identifiers can be
/// matched to vault ids.
pub struct LinkKey {
    secret: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(..)")
    }
}

impl LinkKey {
    /// A fresh key from the operating system's random number generator; the
    /// key [`crate::render`] uses for every export.
    pub fn random() -> Result<Self, ExportError> {
        let mut secret = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng
            .try_fill_bytes(secret.as_mut())
            .map_err(|_| ExportError::NoRandomness)?;
        Ok(LinkKey { secret })
    }

    /// A key from bytes the caller keeps, to render the same export again
    /// byte for byte (tests, or re-creating a recorded export).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        LinkKey {
            secret: Zeroizing::new(bytes),
        }
    }

    /// The key's bytes, for a caller that records it inside the vault.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.secret
    }

    fn mac(&self, domain: &[u8], kind: &str, id: &str) -> [u8; 32] {
        // HMAC accepts keys of any length; 32 bytes cannot fail.
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(self.secret.as_ref()) {
            Ok(m) => m,
            Err(_) => return [0u8; 32],
        };
        mac.update(domain);
        mac.update(&[0]);
        // Lengths keep ("ab", "c") and ("a", "bc") apart.
        mac.update(&(kind.len() as u64).to_be_bytes());
        mac.update(kind.as_bytes());
        mac.update(&(id.len() as u64).to_be_bytes());
        mac.update(id.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// A UUID-shaped GUID (upper-case hex, RFC 9562 version 8, variant 10)
    /// for the vault object `id` of type `kind` ("source", "case", "code",
    /// ...). `kind` keeps a code named "x" and a source with id "x" apart.
    pub fn guid(&self, kind: &str, id: &str) -> String {
        let digest = self.mac(GUID_DOMAIN, kind, id);
        let mut b = [0u8; 16];
        for (dst, src) in b.iter_mut().zip(digest.iter()) {
            *dst = *src;
        }
        b[6] = (b[6] & 0x0f) | 0x80;
        b[8] = (b[8] & 0x3f) | 0x80;
        let mut out = String::with_capacity(36);
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push_str(&format!("{byte:02X}"));
        }
        out
    }

    /// A short identifier `<prefix>-<12 hex digits>` (48 bits) for the vault
    /// object `id` of type `kind`, for columns people read ("quote-3f9a...").
    pub fn token(&self, prefix: &str, kind: &str, id: &str) -> String {
        let digest = self.mac(TOKEN_DOMAIN, kind, id);
        let mut out = String::with_capacity(prefix.len() + 13);
        out.push_str(prefix);
        out.push('-');
        for byte in digest.iter().take(6) {
            out.push_str(&format!("{byte:02x}"));
        }
        out
    }
}

/// The written ids of every quote of a publication, in quote order:
/// (excerpt id, transcript id). An excerpt id becomes `quote-…`, or
/// `anonymous-…` for a quote without a pseudonym; an empty transcript id
/// (the caller withholds it, as for anonymous quotes) stays empty,
/// any other becomes `interview-…`. Refuses the (astronomically unlikely)
/// case of two excerpts drawing the same token rather than merge them.
pub(crate) fn written_ids(
    p: &crate::Publication,
    key: &LinkKey,
) -> Result<Vec<(String, String)>, ExportError> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(p.quotes.len());
    for q in &p.quotes {
        let prefix = if q.pseudonym.is_some() {
            "quote"
        } else {
            "anonymous"
        };
        let excerpt = key.token(prefix, "excerpt", &q.excerpt_id);
        if !seen.insert(excerpt.clone()) {
            return Err(ExportError::Assemble {
                format: "export",
                detail: "two excerpts drew the same identifier by chance; export again".into(),
            });
        }
        let transcript = if q.transcript_id.is_empty() {
            String::new()
        } else {
            key.token("interview", "transcript", &q.transcript_id)
        };
        out.push((excerpt, transcript));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_keyed_stable_shaped_and_distinct() {
        let key = LinkKey::from_bytes([1; 32]);
        let a = key.guid("case", "P1");
        assert_eq!(a, key.guid("case", "P1"));
        assert_ne!(a, key.guid("source", "P1"));
        assert_ne!(a, key.guid("case", "P2"));
        assert_ne!(key.guid("ab", "c"), key.guid("a", "bc"));
        assert_ne!(a, LinkKey::from_bytes([2; 32]).guid("case", "P1"));
        assert_eq!(a.len(), 36);
        for (i, c) in a.chars().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                assert_eq!(c, '-');
            } else {
                assert!(c.is_ascii_hexdigit() && !c.is_ascii_lowercase(), "{a}");
            }
        }
        assert_eq!(a.chars().nth(14), Some('8'));
        assert!(matches!(a.chars().nth(19), Some('8' | '9' | 'A' | 'B')));
    }

    #[test]
    fn random_keys_differ_and_tokens_are_short() {
        let a = LinkKey::random().unwrap();
        let b = LinkKey::random().unwrap();
        assert_ne!(a.as_bytes(), b.as_bytes());
        let t = a.token("quote", "excerpt", "12");
        assert_eq!(t.len(), "quote-".len() + 12);
        assert!(t.starts_with("quote-"));
        assert_ne!(t, b.token("quote", "excerpt", "12"));
        assert_ne!(t, a.token("quote", "excerpt", "13"));
        assert_eq!(format!("{a:?}"), "LinkKey(..)");
    }
}
