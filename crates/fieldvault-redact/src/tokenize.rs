//! Word tokenizer.
//!
//! WHY hyphens separate words: "Нур-Султан" (the city) must never become
//! the person "Нурсултан", and "Ерлан-аға", "Yerlan-aga's", "Береке-Агро"
//! keep their parts visible to the matcher. Multi-word entries are matched
//! as token sequences instead. Apostrophes inside a word stay in it
//! (O'Brien, Kazakh Latin 2018 spellings), English "'s" included.

/// Letter case of a word, which decides whether it may be a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Caps {
    /// Starts with a lower-case letter.
    Lower,
    /// Starts with an upper-case letter, not all upper-case.
    Title,
    /// Two or more letters, all upper-case.
    Upper,
    /// Starts with a digit or has no cased letter.
    Other,
}

impl Caps {
    pub(crate) fn capitalised(self) -> bool {
        matches!(self, Caps::Title | Caps::Upper)
    }
}

/// One word of the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
    pub caps: Caps,
    /// First word of a sentence (or of a speaker turn, or after a colon).
    pub initial: bool,
    /// All characters are ASCII digits.
    pub digits: bool,
}

/// Invisible characters that may sit inside a word (zero-width space and
/// joiners, word joiner, soft hyphen, BOM): they neither end a word nor hide
/// a name ("Ер\u{200b}лан" is Ерлан).
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{00AD}' | '\u{FEFF}'
    )
}

pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '\u{02BB}' | '`')
}

pub(crate) fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

#[inline]
fn is_word_char(c: char) -> bool {
    kind(c) != Kind::None
}

/// What a character is, for the tokenizer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    None,
    Digit,
    Upper,
    Lower,
    /// A letter without case (CJK, Arabic, ...).
    Uncased,
    /// A combining mark inside a word.
    Mark,
}

const fn ascii_kind(b: u8) -> Kind {
    if b.is_ascii_uppercase() {
        Kind::Upper
    } else if b.is_ascii_lowercase() {
        Kind::Lower
    } else if b.is_ascii_digit() {
        Kind::Digit
    } else {
        Kind::None
    }
}

const fn cyrillic_kind(cp: u32) -> Kind {
    match cp {
        0x0400..=0x042F => Kind::Upper,
        0x0430..=0x045F => Kind::Lower,
        0x0482 => Kind::None,
        0x0483..=0x0489 => Kind::Mark,
        0x04C0 => Kind::Upper,
        0x04CF => Kind::Lower,
        0x04C1..=0x04CE => {
            if !cp.is_multiple_of(2) {
                Kind::Upper
            } else {
                Kind::Lower
            }
        }
        _ => {
            if cp.is_multiple_of(2) {
                Kind::Upper
            } else {
                Kind::Lower
            }
        }
    }
}

const ASCII_KIND: [Kind; 128] = {
    let mut t = [Kind::None; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = ascii_kind(i as u8);
        i += 1;
    }
    t
};

const CYRILLIC_KIND: [Kind; 256] = {
    let mut t = [Kind::None; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = cyrillic_kind(0x400 + i as u32);
        i += 1;
    }
    t
};

/// Classifies a character, with fast paths for ASCII and Cyrillic (the
/// texts this engine reads are mostly both).
#[inline]
fn kind(c: char) -> Kind {
    let cp = c as u32;
    if cp < 0x80 {
        return ASCII_KIND[cp as usize];
    }
    if (0x0400..=0x04FF).contains(&cp) {
        return CYRILLIC_KIND[(cp - 0x400) as usize];
    }
    if c.is_alphabetic() {
        if c.is_uppercase() {
            Kind::Upper
        } else if c.is_lowercase() {
            Kind::Lower
        } else {
            Kind::Uncased
        }
    } else if c.is_numeric() {
        Kind::Digit
    } else if is_mark(c) {
        Kind::Mark
    } else {
        Kind::None
    }
}

/// Characters after which the next word starts a sentence.
#[inline]
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | ':' | ';' | '\n' | '\r')
}

/// Characters that do not change whether the next word starts a sentence.
#[inline]
fn transparent(c: char) -> bool {
    c.is_whitespace() || "\"([—–-'‘*_¡¿‹\u{feff}".contains(c)
}

/// Opening quotes: quoted speech starts a sentence of its own.
#[inline]
fn opens_quote(c: char) -> bool {
    matches!(c, '«' | '“' | '„')
}

/// Splits `text` into words.
pub(crate) fn words(text: &str, out: &mut Vec<Word>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut initial = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII fast path for separators.
        if b < 0x80 && !b.is_ascii_alphanumeric() {
            let c = b as char;
            // A straight double quote after a space (or at the start) opens.
            let opening =
                c == '"' && (i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'(');
            if ends_sentence(c) || opening {
                initial = true;
            } else if !transparent(c) {
                initial = false;
            }
            i += 1;
            continue;
        }
        let Some((c, clen)) = decode(text, bytes, i) else {
            break;
        };
        if !is_word_char(c) {
            if ends_sentence(c) || opens_quote(c) {
                initial = true;
            } else if !transparent(c) {
                initial = false;
            }
            i += clen;
            continue;
        }
        // A word starts here.
        let start = i;
        let mut end = i;
        let mut first_cased: Option<bool> = None;
        let mut first_is_letter = false;
        let mut all_upper = true;
        let mut letters = 0usize;
        let mut digits = true;
        let mut j = i;
        while j < bytes.len() {
            let b0 = bytes[j];
            // Classify without decoding for ASCII and two-byte Cyrillic.
            let (k, len, ascii_digit, c) = if b0 < 0x80 {
                (ASCII_KIND[b0 as usize], 1, b0.is_ascii_digit(), b0 as char)
            } else if (0xD0..=0xD3).contains(&b0)
                && j + 1 < bytes.len()
                && bytes[j + 1] & 0xC0 == 0x80
            {
                let cp = (((b0 as u32) & 0x1F) << 6) | ((bytes[j + 1] as u32) & 0x3F);
                (CYRILLIC_KIND[(cp - 0x400) as usize], 2, false, ' ')
            } else {
                let Some((c, len)) = decode(text, bytes, j) else {
                    break;
                };
                (kind(c), len, false, c)
            };
            if k != Kind::None {
                if j == start {
                    first_is_letter = matches!(k, Kind::Upper | Kind::Lower | Kind::Uncased);
                }
                if k != Kind::Digit && k != Kind::Mark {
                    letters += 1;
                    if first_cased.is_none() && matches!(k, Kind::Upper | Kind::Lower) {
                        first_cased = Some(k == Kind::Upper);
                    }
                    if k == Kind::Lower {
                        all_upper = false;
                    }
                }
                if !ascii_digit {
                    digits = false;
                }
                j += len;
                end = j;
            } else if (is_apostrophe(c) || is_invisible(c)) && end == j {
                // Keep an apostrophe only between two word characters.
                let next = text[j + len..].chars().next();
                if next.is_some_and(is_word_char) {
                    j += len;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let caps = match first_cased {
            Some(true) if first_is_letter && all_upper && letters >= 2 => Caps::Upper,
            Some(true) if first_is_letter => Caps::Title,
            Some(false) if first_is_letter => Caps::Lower,
            _ => Caps::Other,
        };
        out.push(Word {
            start,
            end,
            caps,
            initial,
            digits,
        });
        initial = false;
        i = end.max(start + 1);
        // `end` is always a char boundary; guard the degenerate case.
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
}

/// Decodes the char at byte `i`, with a fast path for two-byte Cyrillic.
#[inline]
fn decode(text: &str, bytes: &[u8], i: usize) -> Option<(char, usize)> {
    let b0 = *bytes.get(i)?;
    if b0 < 0x80 {
        return Some((b0 as char, 1));
    }
    if (0xD0..=0xD3).contains(&b0) {
        if let Some(&b1) = bytes.get(i + 1) {
            if b1 & 0xC0 == 0x80 {
                let cp = ((b0 as u32 & 0x1F) << 6) | (b1 as u32 & 0x3F);
                if let Some(c) = char::from_u32(cp) {
                    return Some((c, 2));
                }
            }
        }
    }
    let c = text.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// Lower-cased words of one text, computed once: words that start in lower
/// case are taken as they are, the others are lower-cased into one buffer.
#[derive(Default)]
pub(crate) struct Lowered {
    buf: String,
    spans: Vec<(u32, u32)>,
}

impl Lowered {
    /// Lower-cases every word of `text` that is not already lower-case.
    pub(crate) fn rebuild(&mut self, text: &str, words: &[Word]) {
        let l = self;
        l.buf.clear();
        l.spans.clear();
        for w in words {
            if w.caps == Caps::Lower || w.digits {
                l.spans.push((u32::MAX, 0));
            } else {
                let s = l.buf.len() as u32;
                crate::fastcase::lower_into(&text[w.start..w.end], &mut l.buf);
                l.spans.push((s, l.buf.len() as u32));
            }
        }
    }

    /// The lower-cased word `i`.
    #[inline]
    pub(crate) fn get<'a>(&'a self, text: &'a str, words: &[Word], i: usize) -> &'a str {
        match self.spans.get(i) {
            Some(&(s, e)) if s != u32::MAX => &self.buf[s as usize..e as usize],
            _ => words.get(i).map(|w| &text[w.start..w.end]).unwrap_or(""),
        }
    }
}

/// The text between two words contains only what may join the parts of one
/// multi-word name: spaces (no line break) and at most one hyphen.
pub(crate) fn joins(gap: &str) -> bool {
    if gap.is_empty() || gap.len() > 8 {
        return false;
    }
    let mut hyphens = 0;
    for c in gap.chars() {
        match c {
            ' ' | '\u{a0}' | '\u{202f}' | '\t' => {}
            '-' | '‐' | '‑' | '–' => hyphens += 1,
            _ => return false,
        }
    }
    hyphens <= 1
}

fn is_initial_letter(c: char) -> bool {
    c.is_uppercase() && c.is_alphabetic()
}

/// "А. " / "Н.П. " / "N. P. " right before `start`: returns the new start.
pub(crate) fn initials_before(text: &str, start: usize) -> Option<usize> {
    let mut pos = start;
    let mut found = None;
    for _ in 0..3 {
        let before = &text[..pos];
        let trimmed = before
            .strip_suffix(' ')
            .or_else(|| before.strip_suffix('\u{a0}'))
            .unwrap_or(before);
        let Some(t2) = trimmed.strip_suffix('.') else {
            break;
        };
        let mut it = t2.char_indices().rev();
        let Some((li, lc)) = it.next() else { break };
        if !is_initial_letter(lc) {
            break;
        }
        if let Some((_, pc)) = it.next() {
            if pc.is_alphanumeric() {
                break;
            }
        }
        pos = li;
        found = Some(li);
    }
    found
}

/// " А.Б." / " A. B." right after `end`: returns the new end.
pub(crate) fn initials_after(text: &str, end: usize) -> Option<usize> {
    let mut pos = end;
    let mut found = None;
    for k in 0..3 {
        let rest = &text[pos..];
        let r = if k == 0 {
            match rest.strip_prefix(' ') {
                Some(r) => r,
                None => break,
            }
        } else {
            rest.strip_prefix(' ').unwrap_or(rest)
        };
        let mut it = r.chars();
        let Some(c) = it.next() else { break };
        if !is_initial_letter(c) || it.next() != Some('.') {
            break;
        }
        let after = &r[c.len_utf8() + 1..];
        if after
            .chars()
            .next()
            .is_some_and(|x| x.is_alphanumeric() && !x.is_uppercase())
        {
            break;
        }
        pos = text.len() - after.len();
        found = Some(pos);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials() {
        let t = "подпись «А. Сапарова» и Н.П. Волкова, N. P. Volkova";
        let s = t.find("Сапарова").unwrap();
        assert_eq!(&t[initials_before(t, s).unwrap()..s], "А. ");
        let s = t.find("Волкова").unwrap();
        assert_eq!(&t[initials_before(t, s).unwrap()..s], "Н.П. ");
        let s = t.find("Volkova").unwrap();
        assert_eq!(&t[initials_before(t, s).unwrap()..s], "N. P. ");
        let t = "Сапарова А.Б. пришла";
        let e = "Сапарова".len();
        assert_eq!(&t[e..initials_after(t, e).unwrap()], " А.Б.");
        assert!(initials_before("ул. Сапарова", "ул. ".len()).is_none());
        assert!(initials_after("Сапарова. А потом", "Сапарова".len()).is_none());
    }

    fn ws(text: &str) -> Vec<(String, Caps, bool)> {
        let mut v = Vec::new();
        words(text, &mut v);
        v.iter()
            .map(|w| (text[w.start..w.end].to_string(), w.caps, w.initial))
            .collect()
    }

    #[test]
    fn splits_on_hyphens_and_keeps_inner_apostrophes() {
        let w = ws("Нур-Султан, Yerlan-aga's O'Brien");
        let t: Vec<&str> = w.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(t, vec!["Нур", "Султан", "Yerlan", "aga's", "O'Brien"]);
    }

    #[test]
    fn caps_and_sentence_starts() {
        let w = ws("Респондент: Да. «Надежда» и КИМЕП, kimep 2019");
        assert_eq!(w[0].1, Caps::Title);
        assert!(w[0].2);
        assert!(w[1].2, "after a colon");
        assert!(w[2].2, "after a full stop and a quote");
        assert!(!w[3].2);
        assert_eq!(w[4].1, Caps::Upper);
        assert_eq!(w[5].1, Caps::Lower);
        assert_eq!(w[6].1, Caps::Other);
    }

    #[test]
    fn invisible_characters_stay_inside_words() {
        let w = ws("Ер\u{200b}лан и Сапа\u{00ad}рова");
        let t: Vec<&str> = w.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(t, vec!["Ер\u{200b}лан", "и", "Сапа\u{00ad}рова"]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in [
            "",
            "'",
            "a'",
            "'a",
            "\u{301}",
            "é\u{301}x",
            "ы'",
            "\u{feff}Ы",
        ] {
            let _ = ws(t);
        }
    }

    #[test]
    fn fast_cyrillic_classes_agree_with_unicode() {
        for cp in 0x0400u32..=0x04FF {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let k = kind(c);
            if c.is_alphabetic() {
                assert_eq!(k == Kind::Upper, c.is_uppercase(), "{c} {cp:x}");
                assert_eq!(k == Kind::Lower, c.is_lowercase(), "{c} {cp:x}");
            } else {
                assert!(matches!(k, Kind::None | Kind::Mark), "{c} {cp:x}");
            }
        }
    }

    #[test]
    fn joins_allows_space_and_one_hyphen() {
        assert!(joins(" "));
        assert!(joins("-"));
        assert!(joins(" - "));
        assert!(!joins(", "));
        assert!(!joins("\n"));
        assert!(!joins(""));
    }
}
