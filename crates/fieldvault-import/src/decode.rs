//! Bytes to text: byte-order marks, UTF-16 without a BOM, strict UTF-8, and
//! Windows-1251 only when the bytes look like Cyrillic text in that code page.

use unicode_normalization::UnicodeNormalization;

use crate::{ImportError, TextEncoding};

/// Decode a text file. See [`crate::decode_text`].
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    let (raw, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        match std::str::from_utf8(rest) {
            Ok(s) => (s.to_owned(), TextEncoding::Utf8Bom),
            Err(e) => {
                return Err(ImportError::InvalidUtf8 {
                    offset: 3 + e.valid_up_to(),
                })
            }
        }
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let s = utf16(rest, false).map_err(|at| ImportError::InvalidUtf16 { offset: 2 + at })?;
        (s, TextEncoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let s = utf16(rest, true).map_err(|at| ImportError::InvalidUtf16 { offset: 2 + at })?;
        (s, TextEncoding::Utf16Be)
    } else if bytes.contains(&0) {
        match utf16_without_bom(bytes) {
            Some(big_endian) => {
                let s = utf16(bytes, big_endian).map_err(|_| ImportError::Binary)?;
                let enc = if big_endian {
                    TextEncoding::Utf16Be
                } else {
                    TextEncoding::Utf16Le
                };
                (s, enc)
            }
            None => return Err(ImportError::Binary),
        }
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_owned(), TextEncoding::Utf8),
            Err(e) => {
                if looks_like_cp1251(bytes) {
                    let (s, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
                    (s.into_owned(), TextEncoding::Windows1251)
                } else {
                    return Err(ImportError::UnknownEncoding {
                        offset: e.valid_up_to(),
                    });
                }
            }
        }
    };
    let text = normalise(&raw)?;
    if text.is_empty() {
        return Err(ImportError::Empty);
    }
    if text.trim().is_empty() {
        return Err(ImportError::WhitespaceOnly);
    }
    Ok((text, encoding))
}

/// Decode UTF-16; on failure the byte offset (relative to `bytes`) of the bad unit.
fn utf16(bytes: &[u8], big_endian: bool) -> Result<String, usize> {
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut offset = 0usize;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => {
                out.push(c);
                offset += c.len_utf16() * 2;
            }
            Err(_) => return Err(offset),
        }
    }
    if bytes.len() % 2 == 1 {
        return Err(bytes.len() - 1);
    }
    Ok(out)
}

/// `Some(big_endian)` when NUL bytes sit almost only on one side of the
/// byte pairs, the way UTF-16 text without a byte-order mark looks
/// (spaces and ASCII have a zero high byte).
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 2 || bytes.len() % 2 == 1 {
        return None;
    }
    let pairs = bytes.len() / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        if pair[0] == 0 {
            even += 1;
        }
        if pair[1] == 0 {
            odd += 1;
        }
    }
    // Both bytes zero is a real NUL character: binary.
    let both = bytes.chunks_exact(2).filter(|p| p == &[0, 0]).count();
    if both > 0 {
        return None;
    }
    let enough = |n: usize| n * 100 >= pairs * 5;
    if odd > 0 && even * 20 <= odd && enough(odd) {
        Some(false)
    } else if even > 0 && odd * 20 <= even && enough(even) {
        Some(true)
    } else {
        None
    }
}

/// Heuristic for Windows-1251: most bytes above 0x7F are Cyrillic letters
/// (0xC0..=0xFF, Ё/ё, І/і, Ў/ў, Є/є, Ї/ї) with plenty of lower case, and
/// they are not a sprinkle of accented letters in Latin words (as in a
/// Windows-1252 file): either Cyrillic letters are a good share of all
/// letters, or most of them stand in runs of three or more (whole words).
fn looks_like_cp1251(bytes: &[u8]) -> bool {
    let (mut high, mut cyr, mut lower, mut latin) = (0usize, 0usize, 0usize, 0usize);
    let (mut run, mut in_runs) = (0usize, 0usize);
    for &b in bytes {
        let is_cyr = match b {
            0x98 => return false, // the one undefined byte in Windows-1251
            0xE0..=0xFF | 0xB8 | 0xB3 | 0xBA | 0xBF | 0xA2 => {
                lower += 1;
                true
            }
            0xC0..=0xDF | 0xA8 | 0xB2 | 0xAA | 0xAF | 0xA1 => true,
            _ => false,
        };
        if b >= 0x80 {
            high += 1;
        } else if b.is_ascii_alphabetic() {
            latin += 1;
        }
        if is_cyr {
            cyr += 1;
            run += 1;
        } else {
            if run >= 3 {
                in_runs += run;
            }
            run = 0;
        }
    }
    if run >= 3 {
        in_runs += run;
    }
    cyr > 0
        && cyr * 100 >= high * 80
        && lower * 100 >= cyr * 30
        && (cyr * 100 >= (cyr + latin) * 30 || in_runs * 100 >= cyr * 60)
}

/// Line ends to LF, control characters checked, NFC.
fn normalise(raw: &str) -> Result<String, ImportError> {
    let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
    // A DOS end-of-file marker at the very end is harmless.
    let raw = raw.trim_end_matches('\u{1A}');
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push('\t'),
            c if is_bad_control(c) => return Err(ImportError::Binary),
            c => out.push(c),
        }
    }
    Ok(out.nfc().collect())
}

/// Control characters that never occur in a text file.
pub(crate) fn is_bad_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_guess_needs_a_parity_pattern() {
        let le: Vec<u8> = "Интервьюер: да, это так"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(utf16_without_bom(&le), Some(false));
        let be: Vec<u8> = "Respondent: yes"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(utf16_without_bom(&be), Some(true));
        assert_eq!(utf16_without_bom(b"ab\0\0cd"), None);
        assert_eq!(utf16_without_bom(b"a\0b\0c"), None);
    }

    #[test]
    fn cp1251_heuristic() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Респондент: Да, я согласна.");
        assert!(looks_like_cp1251(&bytes));
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode("Die Größe der Straße ist gut");
        assert!(!looks_like_cp1251(&latin1));
        let noise: Vec<u8> = (0x80..=0xFFu8).collect();
        assert!(!looks_like_cp1251(&noise));
        // English with a few Russian names is still recognised.
        let (mixed, _, _) = encoding_rs::WINDOWS_1251
            .encode("Interviewer: So you met Ерлан in Шымкент? Respondent: yes, at the training");
        assert!(looks_like_cp1251(&mixed));
    }
}
