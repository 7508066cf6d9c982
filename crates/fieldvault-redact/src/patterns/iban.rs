//! IBANs: two letters, two check digits and up to 30 alphanumerics, with or
//! without spaces every four characters. Kazakhstan IBANs (KZ) are exactly
//! 20 characters and accepted on shape; others need a valid mod-97 check.

use crate::candidate::{Act, Cand};
use crate::lexicon::prio;
use crate::tokenize::Word;
use crate::PatternKind;

/// ISO 7064 mod-97-10 over the rearranged IBAN.
pub(crate) fn mod97(iban: &[u8]) -> bool {
    if iban.len() < 5 {
        return false;
    }
    let mut r: u32 = 0;
    for &c in iban[4..].iter().chain(&iban[..4]) {
        let v = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'A'..=b'Z' => (c - b'A') as u32 + 10,
            _ => return false,
        };
        r = if v >= 10 {
            (r * 100 + v) % 97
        } else {
            (r * 10 + v) % 97
        };
    }
    r == 1
}

/// Finds IBANs in `text`.
pub(crate) fn scan(text: &str, words: &[Word], out: &mut Vec<Cand>) {
    // An IBAN starts a word ("KZ15", "KZ157225..."): visit word starts only.
    let b = text.as_bytes();
    let mut consumed = 0;
    for w in words {
        if w.start < consumed || w.end - w.start < 4 || !b[w.start].is_ascii_uppercase() {
            continue;
        }
        consumed = at(text, w.start, out);
    }
}

/// Tries an IBAN at byte `i`; returns where scanning may resume.
fn at(text: &str, i: usize, out: &mut Vec<Cand>) -> usize {
    let b = text.as_bytes();
    if !(b[i].is_ascii_uppercase()
        && b[i + 1].is_ascii_uppercase()
        && b[i + 2].is_ascii_digit()
        && b[i + 3].is_ascii_digit())
        || (i > 0 && prev_is_word(text, i))
    {
        return i + 1;
    }
    let kz = &b[i..i + 2] == b"KZ";
    let max = if kz { 20 } else { 34 };
    let mut chars: Vec<u8> = b[i..i + 4].to_vec();
    let mut ends: Vec<usize> = vec![i + 4; 4];
    let mut j = i + 4;
    while j < b.len() && chars.len() < max {
        if b[j].is_ascii_uppercase() || b[j].is_ascii_digit() {
            chars.push(b[j]);
            j += 1;
            ends.push(j);
        } else if b[j] == b' '
            && j + 1 < b.len()
            && (b[j + 1].is_ascii_digit() || b[j + 1].is_ascii_uppercase())
        {
            j += 1;
        } else {
            break;
        }
    }
    let mut found = None;
    if kz {
        if chars.len() == 20 && !next_is_word(text, ends[19]) {
            found = Some(ends[19]);
        }
    } else {
        for len in (15..=chars.len()).rev() {
            if !next_is_word(text, ends[len - 1]) && mod97(&chars[..len]) {
                found = Some(ends[len - 1]);
                break;
            }
        }
    }
    if let Some(end) = found {
        out.push(Cand::new(
            i,
            end,
            prio::PATTERN,
            Act::Pattern(PatternKind::Iban),
        ));
        end
    } else {
        i + 2
    }
}

fn prev_is_word(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric())
}

fn next_is_word(text: &str, i: usize) -> bool {
    text.get(i..)
        .and_then(|s| s.chars().next())
        .is_some_and(|c| c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(t: &str) -> Vec<&str> {
        let mut v = Vec::new();
        let mut ws = Vec::new();
        crate::tokenize::words(t, &mut ws);
        scan(t, &ws, &mut v);
        v.iter().map(|c| &t[c.start..c.end]).collect()
    }

    #[test]
    fn kz_with_and_without_spaces() {
        assert_eq!(
            find("счёт KZ15 7225 6594 9540 1824."),
            vec!["KZ15 7225 6594 9540 1824"]
        );
        assert_eq!(
            find("шот бар, KZ157225659495401824. Мен"),
            vec!["KZ157225659495401824"]
        );
    }

    #[test]
    fn other_countries_need_mod97() {
        assert_eq!(
            find("DE89 3704 0044 0532 0130 00"),
            vec!["DE89 3704 0044 0532 0130 00"]
        );
        assert!(find("DE88 3704 0044 0532 0130 00").is_empty());
        assert!(find("KZ15 7225").is_empty(), "too short");
        assert!(find("ISO9001 certified").is_empty());
    }
}
