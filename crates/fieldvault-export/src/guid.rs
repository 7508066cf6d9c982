//! Deterministic GUIDs for REFI-QDA.

use sha2::{Digest, Sha256};

/// Namespace mixed into every GUID so fieldvault's GUIDs do not collide with
/// GUIDs other programs derive from the same ids.
const NAMESPACE: &str = "fieldvault-export/refi-qda/v1";

/// A deterministic, UUID-shaped GUID (upper-case hex, RFC 9562 version 8,
/// variant 10) from the first 16 bytes of
/// `SHA-256(namespace NUL kind NUL id)`. `kind` keeps, say, a code named
/// "x" and a source with id "x" apart. The same (kind, id) always gives the
/// same GUID, so an export is reproducible.
pub fn guid_for(kind: &str, id: &str) -> String {
    let mut h = Sha256::new();
    h.update(NAMESPACE.as_bytes());
    h.update([0u8]);
    h.update(kind.as_bytes());
    h.update([0u8]);
    h.update(id.as_bytes());
    let digest = h.finalize();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_shaped_and_distinct() {
        let a = guid_for("case", "P1");
        assert_eq!(a, guid_for("case", "P1"));
        assert_ne!(a, guid_for("source", "P1"));
        assert_ne!(a, guid_for("case", "P2"));
        assert_ne!(guid_for("ab", "c"), guid_for("a", "bc"));
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
}
