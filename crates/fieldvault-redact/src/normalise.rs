//! Normalisation before matching: a look-alike spelling is the same name.
//!
//! Text (and every registered identifier) passes through three steps before
//! anything is matched, with a map from each byte of the normalised text
//! back to the original, so that replacements cover the original spans:
//!
//! 1. compatibility forms become their plain letters and digits (Unicode
//!    NFKC, applied to the blocks that hold them: full-width forms,
//!    ligatures, mathematical and letter-like alphanumerics, enclosed
//!    alphanumerics): `+７ ７０１` is `+7 701`, `Ｓａｐａｒｏｖａ` is
//!    `Saparova`;
//! 2. invisible characters (zero-width spaces and joiners, soft hyphens,
//!    BOMs, bidirectional controls) are dropped, combining marks are
//!    composed where a precomposed letter exists (и + ˘ = й) and dropped
//!    otherwise (a stress mark: Сапа́рова);
//! 3. inside a word that mixes Latin, Cyrillic and Greek letters, the
//!    letters of the other scripts that look like a letter of the word's
//!    own script become that letter (Unicode TS #39 calls them
//!    confusables): `Сaparova` with a Cyrillic С is `Saparova`, `Сaпарову`
//!    with a Latin a is `Сапарову`, `Sapαrova` with a Greek α is
//!    `Saparova`. A word's own script is the one more of its letters belong
//!    to without a look-alike in the other (r and v in `Сaparova`).
//!
//! WHY these and not NFKC everywhere: NFKC also rewrites characters that
//! carry meaning in this text (№ becomes "No", superscript digits become
//! digits of a number, the no-break space an ordinary one), and plain
//! Russian, Kazakh and English text, the bulk of every input, needs none of
//! it: a byte scan ([`needed`]) leaves such text untouched and uncopied.

use unicode_normalization::char::{compose, decompose_compatible};

/// Whether a character is invisible in rendered text and may be used to
/// split a name without changing how it reads.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Characters whose compatibility decomposition is the plain letter or
/// digit a reader sees (see the module docs for the blocks left alone).
fn is_compat_form(c: char) -> bool {
    matches!(c as u32,
        0x2100..=0x214F   // letter-like symbols (ℂ, ℎ, K Kelvin)
        | 0x2460..=0x24FF // enclosed alphanumerics
        | 0x3000          // ideographic space
        | 0xFB00..=0xFB06 // Latin ligatures
        | 0xFF01..=0xFF5E // full-width ASCII
        | 0x1D400..=0x1D7FF // mathematical alphanumerics
        | 0x1F100..=0x1F1FF // enclosed alphanumeric supplement
    ) && c != '\u{2116}' // №: "No" would change the text's meaning
}

/// Script of a letter that has look-alikes in the other scripts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
}

fn script_of(c: char) -> Option<Script> {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' if c.is_alphabetic() => Some(Script::Latin),
        '\u{0400}'..='\u{052F}' if c.is_alphabetic() => Some(Script::Cyrillic),
        '\u{0370}'..='\u{03FF}' if c.is_alphabetic() => Some(Script::Greek),
        _ => None,
    }
}

/// Look-alike letters: (Latin, Cyrillic, Greek), `'\0'` where a script has
/// none. From the Latin/Cyrillic/Greek rows of Unicode's confusables.
const CONFUSABLES: &[(char, char, char)] = &[
    ('a', 'а', 'α'),
    ('c', 'с', '\0'),
    ('e', 'е', '\0'),
    ('h', 'һ', '\0'),
    ('i', 'і', 'ι'),
    ('j', 'ј', '\0'),
    ('k', 'к', 'κ'),
    ('o', 'о', 'ο'),
    ('p', 'р', 'ρ'),
    ('s', 'ѕ', '\0'),
    ('v', '\0', 'ν'),
    ('x', 'х', 'χ'),
    ('y', 'у', 'γ'),
    ('u', '\0', 'υ'),
    ('A', 'А', 'Α'),
    ('B', 'В', 'Β'),
    ('C', 'С', '\0'),
    ('E', 'Е', 'Ε'),
    ('H', 'Н', 'Η'),
    ('I', 'І', 'Ι'),
    ('J', 'Ј', '\0'),
    ('K', 'К', 'Κ'),
    ('M', 'М', 'Μ'),
    ('N', '\0', 'Ν'),
    ('O', 'О', 'Ο'),
    ('P', 'Р', 'Ρ'),
    ('S', 'Ѕ', '\0'),
    ('T', 'Т', 'Τ'),
    ('X', 'Х', 'Χ'),
    ('Y', 'У', 'Υ'),
    ('Z', '\0', 'Ζ'),
];

/// The row of `c` in [`CONFUSABLES`], if it has look-alikes.
fn confusable_row(c: char) -> Option<&'static (char, char, char)> {
    CONFUSABLES
        .iter()
        .find(|r| (r.0 == c || r.1 == c || r.2 == c) && c != '\0')
}

/// `c` written in `target`'s letters, when it has a look-alike there.
fn in_script(c: char, target: Script) -> char {
    let Some(row) = confusable_row(c) else {
        return c;
    };
    let t = match target {
        Script::Latin => row.0,
        Script::Cyrillic => row.1,
        Script::Greek => row.2,
    };
    if t == '\0' {
        c
    } else {
        t
    }
}

/// Whether `text` holds anything the normalisation would change: a byte
/// scan that lets plain single-script text through without a copy.
pub(crate) fn needed(text: &str) -> bool {
    let b = text.as_bytes();
    // Scripts seen in the current word: 1 Latin, 2 Cyrillic, 4 Greek.
    let mut word = 0u8;
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            if x.is_ascii_alphabetic() {
                word |= 1;
                if word > 1 && word.count_ones() > 1 {
                    return true;
                }
            } else if !x.is_ascii_digit() {
                word = 0;
            }
            i += 1;
            continue;
        }
        // Cyrillic U+0400..U+052F, two bytes (but not the combining
        // marks U+0483..U+0489): a letter, no decoding needed.
        if (0xD0..=0xD4).contains(&x)
            && i + 1 < b.len()
            && !(x == 0xD2 && (0x82..=0x89).contains(&b[i + 1]))
            && (x != 0xD4 || b[i + 1] < 0xB0)
        {
            word |= 2;
            if word != 2 {
                return true;
            }
            i += 2;
            continue;
        }
        let n = match x {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let c = text[i..].chars().next().unwrap_or(' ');
        i += n.min(b.len() - i).max(1);
        if is_invisible(c) || is_combining(c) || is_compat_form(c) {
            return true;
        }
        match script_of(c) {
            Some(Script::Latin) => word |= 1,
            Some(Script::Cyrillic) => word |= 2,
            Some(Script::Greek) => word |= 4,
            None if c.is_alphanumeric() => {}
            None => word = 0,
        }
        if word.count_ones() > 1 {
            return true;
        }
    }
    false
}

/// Normalises `text` into `out`, with `map[k]` the byte offset in `text`
/// of the character that normalised byte `k` comes from (`map` has one
/// more entry, `text.len()`, for the end).
///
/// A Latin word with Cyrillic letters in it may also be a transliteration
/// typed half in the other layout (`Сaparova` with a Cyrillic С, which
/// sounds s and looks like C): `alts` gets, for each such word, its start
/// in the normalised text and its reading by sound (`Saparova`), for the
/// matcher to try as well.
pub(crate) fn normalise_into(
    text: &str,
    out: &mut String,
    map: &mut Vec<u32>,
    alts: &mut Vec<(usize, String)>,
) {
    out.clear();
    map.clear();
    alts.clear();
    out.reserve(text.len());
    map.reserve(text.len() + 1);
    let push = |out: &mut String, map: &mut Vec<u32>, c: char, from: usize| {
        out.push(c);
        for _ in 0..c.len_utf8() {
            map.push(from as u32);
        }
    };
    // Steps 1 and 2, character by character.
    for (i, c) in text.char_indices() {
        if is_invisible(c) {
            continue;
        }
        if is_combining(c) {
            if let Some(prev) = out.chars().next_back() {
                if let Some(p) = compose(prev, c) {
                    let from = map[out.len() - prev.len_utf8()] as usize;
                    for _ in 0..prev.len_utf8() {
                        map.pop();
                    }
                    out.pop();
                    push(out, map, p, from);
                }
            }
            continue;
        }
        if is_compat_form(c) {
            let mut any = false;
            decompose_compatible(c, |d| {
                if !is_combining(d) {
                    push(out, map, d, i);
                    any = true;
                }
            });
            if !any {
                push(out, map, c, i);
            }
            continue;
        }
        push(out, map, c, i);
    }
    map.push(text.len() as u32);
    // Step 3, word by word: rewrite mixed-script words in place (the
    // look-alikes swapped have the same UTF-8 length or not, so the word
    // is rebuilt).
    if !has_mixed_word(out) {
        return;
    }
    let src = std::mem::take(out);
    let src_map = std::mem::take(map);
    out.reserve(src.len());
    map.reserve(src_map.len());
    let mut word_start: Option<usize> = None;
    let flush = |out: &mut String,
                 map: &mut Vec<u32>,
                 alts: &mut Vec<(usize, String)>,
                 w: &str,
                 at: usize| {
        let target = word_script(w);
        if target == Some(Script::Latin) {
            let mut by_sound = String::with_capacity(w.len());
            let mut differs = false;
            for c in w.chars() {
                match latin_sound(c) {
                    Some(l) => {
                        differs |= !l.starts_with(in_script(c, Script::Latin));
                        by_sound.push_str(l);
                    }
                    None => by_sound.push(in_script(c, Script::Latin)),
                }
            }
            if differs {
                alts.push((out.len(), by_sound));
            }
        }
        for (k, c) in w.char_indices() {
            let d = match target {
                Some(t) if script_of(c).is_some_and(|s| s != t) => in_script(c, t),
                _ => c,
            };
            out.push(d);
            for _ in 0..d.len_utf8() {
                map.push(src_map[at + k]);
            }
        }
    };
    for (i, c) in src.char_indices() {
        if c.is_alphanumeric() {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(s) = word_start.take() {
            flush(out, map, alts, &src[s..i], s);
        }
        out.push(c);
        for k in 0..c.len_utf8() {
            map.push(src_map[i + k]);
        }
    }
    if let Some(s) = word_start {
        flush(out, map, alts, &src[s..], s);
    }
    map.push(text.len() as u32);
}

/// How a Cyrillic letter with a Latin look-alike is transliterated.
fn latin_sound(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'в' => "v",
        'е' => "e",
        'к' => "k",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'х' => "kh",
        'і' => "i",
        'һ' => "h",
        'А' => "A",
        'В' => "V",
        'Е' => "E",
        'К' => "K",
        'М' => "M",
        'Н' => "N",
        'О' => "O",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'У' => "U",
        'Х' => "Kh",
        'І' => "I",
        _ => return None,
    })
}

fn has_mixed_word(s: &str) -> bool {
    let mut word = 0u8;
    for c in s.chars() {
        match script_of(c) {
            Some(Script::Latin) => word |= 1,
            Some(Script::Cyrillic) => word |= 2,
            Some(Script::Greek) => word |= 4,
            None if c.is_alphanumeric() => {}
            None => word = 0,
        }
        if word.count_ones() > 1 {
            return true;
        }
    }
    false
}

/// The script a mixed-script word is written in: the one with more letters
/// that have no look-alike in the others, then the one with more letters;
/// Greek only if nothing else. None for a single-script word.
fn word_script(w: &str) -> Option<Script> {
    let mut distinct = [0usize; 3];
    let mut all = [0usize; 3];
    for c in w.chars() {
        let Some(s) = script_of(c) else { continue };
        let k = s as usize;
        all[k] += 1;
        if confusable_row(c).is_none() {
            distinct[k] += 1;
        }
    }
    if all.iter().filter(|&&n| n > 0).count() < 2 {
        return None;
    }
    let (lat, cyr) = (Script::Latin as usize, Script::Cyrillic as usize);
    if all[lat] == 0 && all[cyr] == 0 {
        return None;
    }
    Some(match distinct[lat].cmp(&distinct[cyr]) {
        std::cmp::Ordering::Greater => Script::Latin,
        std::cmp::Ordering::Less => Script::Cyrillic,
        std::cmp::Ordering::Equal if all[lat] > all[cyr] => Script::Latin,
        std::cmp::Ordering::Equal => Script::Cyrillic,
    })
}

/// A string normalised on its own (registered names and contacts).
pub(crate) fn normalised(s: &str) -> String {
    if !needed(s) {
        return s.to_string();
    }
    let mut out = String::new();
    normalise_into(s, &mut out, &mut Vec::new(), &mut Vec::new());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> (String, Vec<u32>) {
        let mut out = String::new();
        let mut map = Vec::new();
        normalise_into(s, &mut out, &mut map, &mut Vec::new());
        (out, map)
    }

    #[test]
    fn plain_text_needs_nothing() {
        for t in [
            "Ерлан сказал: «Айгерім — Saparova», 2024 г., №5, +7 701 555 01 99.",
            "Kazakh and Russian words side by side: Алматы Almaty.",
            "",
        ] {
            assert!(!needed(t), "{t}");
            assert_eq!(norm(t).0, t);
        }
    }

    #[test]
    fn compatibility_forms_and_invisibles() {
        assert_eq!(norm("+７ ７０１ ５５５").0, "+7 701 555");
        assert_eq!(norm("Ｓａｐａｒｏｖａ").0, "Saparova");
        assert_eq!(norm("Ер\u{200b}лан Са\u{00ad}парова").0, "Ерлан Сапарова");
        assert_eq!(norm("Сапа\u{0301}рова").0, "Сапарова");
        assert_eq!(norm("Сеи\u{0306}т").0, "Сейт");
        assert_eq!(norm("дом №5").0, "дом №5");
    }

    #[test]
    fn mixed_script_words_take_their_own_script() {
        assert!(needed("I met \u{0421}aparova"));
        assert_eq!(norm("\u{0421}aparova").0, "Caparova");
        let mut alts = Vec::new();
        normalise_into(
            "Я, \u{0421}aparova",
            &mut String::new(),
            &mut Vec::new(),
            &mut alts,
        );
        assert_eq!(alts, vec![("Я, ".len(), "Saparova".to_string())]);
        assert_eq!(norm("S\u{0430}parova").0, "Saparova");
        assert_eq!(norm("С\u{0061}парову").0, "Сапарову");
        assert_eq!(norm("Sap\u{03b1}rova").0, "Saparova");
        assert_eq!(norm("Epлан").0, "Ерлан");
        assert_eq!(norm("Айгерiм").0, "Айгерім");
    }

    #[test]
    fn the_map_points_back_to_the_original() {
        let t = "a Ｓａ\u{200b}p b";
        let (n, map) = norm(t);
        assert_eq!(n, "a Sap b");
        assert_eq!(map.len(), n.len() + 1);
        let s = n.find('S').unwrap();
        let e = n.find(" b").unwrap();
        assert_eq!(&t[map[s] as usize..map[e] as usize], "Ｓａ\u{200b}p");
        assert_eq!(map[n.len()] as usize, t.len());
    }
}
