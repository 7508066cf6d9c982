//! Lower-casing without the general Unicode table for the scripts this
//! engine mostly reads (ASCII, Cyrillic with Kazakh letters), falling back
//! to the standard library for everything else.
//!
//! WHY: `str::to_lowercase` binary-searches a table for every non-ASCII
//! character and allocates; the engine lower-cases thousands of words per
//! second of text (stop-word checks, street markers, match reports).

/// Lower-cases one character (the first char of its lower-case mapping).
#[inline]
pub(crate) fn lower_char(c: char) -> char {
    let cp = c as u32;
    if cp < 0x80 {
        return c.to_ascii_lowercase();
    }
    let l = match cp {
        0x0410..=0x042F => cp + 0x20,
        0x0400..=0x040F => cp + 0x50,
        0x0460..=0x0481 | 0x048A..=0x04BF | 0x04D0..=0x04FF if cp.is_multiple_of(2) => cp + 1,
        0x04C1..=0x04CE if cp % 2 == 1 => cp + 1,
        0x04C0 => 0x04CF,
        0x0430..=0x04FF => cp,
        _ => return c.to_lowercase().next().unwrap_or(c),
    };
    char::from_u32(l).unwrap_or(c)
}

/// Appends the lower-cased `s` to `out`.
pub(crate) fn lower_into(s: &str, out: &mut String) {
    for c in s.chars() {
        let cp = c as u32;
        if (0x0400..=0x04FF).contains(&cp) || cp < 0x80 {
            out.push(lower_char(c));
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The lower-cased `s`.
pub(crate) fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    lower_into(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_std_on_cyrillic_and_ascii() {
        for cp in (0u32..0x80).chain(0x0400..=0x04FF) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let std: String = c.to_lowercase().collect();
            assert_eq!(lower(&c.to_string()), std, "{c} {cp:x}");
        }
        assert_eq!(
            lower("ЕРЛАН Әбдірахманқызы Öskemen"),
            "ерлан әбдірахманқызы öskemen"
        );
    }
}
