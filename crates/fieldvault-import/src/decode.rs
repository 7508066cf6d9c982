//! Bytes to text: byte-order marks (UTF-8, UTF-16, UTF-32), UTF-16 without a
//! BOM, strict UTF-8, then the single-byte code pages researchers' files
//! really come in: Windows-1251 and KOI8-R for Cyrillic, Windows-1252 for
//! Western European text. A single-byte code page is used only when the
//! bytes make sense in it (see [`single_byte`]), and the choice is reported
//! as a warning with its reason; when two code pages make equal sense the
//! file is refused rather than guessed.

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
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE\x00\x00") {
        let s = utf32(rest, false).map_err(|at| ImportError::InvalidUtf32 { offset: 4 + at })?;
        (s, TextEncoding::Utf32Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\x00\x00\xFE\xFF") {
        let s = utf32(rest, true).map_err(|at| ImportError::InvalidUtf32 { offset: 4 + at })?;
        (s, TextEncoding::Utf32Be)
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
            Err(e) => single_byte(bytes, e.valid_up_to())?,
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

/// Decode UTF-32; on failure the byte offset (relative to `bytes`) of the bad unit.
fn utf32(bytes: &[u8], big_endian: bool) -> Result<String, usize> {
    let mut out = String::with_capacity(bytes.len() / 4);
    for (i, c) in bytes.chunks_exact(4).enumerate() {
        let quad = [c[0], c[1], c[2], c[3]];
        let v = if big_endian {
            u32::from_be_bytes(quad)
        } else {
            u32::from_le_bytes(quad)
        };
        out.push(char::from_u32(v).ok_or(i * 4)?);
    }
    if !bytes.len().is_multiple_of(4) {
        return Err(bytes.len() - bytes.len() % 4);
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

/// A warning saying which single-byte code page a file was read in, and why.
pub(crate) fn legacy_encoding_note(encoding: TextEncoding) -> Option<String> {
    let why = match encoding {
        TextEncoding::Windows1251 => {
            "Windows-1251 Cyrillic (its letters read as Russian text only in that code page)"
        }
        TextEncoding::Koi8R => {
            "KOI8-R Cyrillic (its letters read as Russian text only in that code page)"
        }
        TextEncoding::Windows1252 => {
            "Windows-1252 Western European (accented letters inside Latin words)"
        }
        _ => return None,
    };
    Some(format!(
        "the file is not UTF-8; it was read as {why}; check the text, and save it as UTF-8 if letters look wrong"
    ))
}

/// Decode text that is not UTF-8 and has no byte-order mark, in the one
/// single-byte code page it makes sense in.
///
/// How it decides:
/// 1. Cyrillic shape: most bytes above 0x7F are in 0xC0-0xFF (letters in
///    both Windows-1251 and KOI8-R, which only arrange them differently),
///    and they form words rather than a sprinkle of accents in Latin text.
/// 2. Windows-1251 or KOI8-R: the text is decoded both ways and each
///    reading is scored by how Russian its letters are: the mean log
///    frequency of its letters in Russian text, with a penalty for a
///    capital letter right after a small one inside a word ("оТВЕТ" is how
///    one code page looks in the other: they swap the cases). The better
///    reading wins only when the text has at least 12 Cyrillic letters and
///    the lead, times the square root of the number of letters, is at
///    least 2.5. On 200,000 random snippets of the public corpus (14-40
///    characters, in both code pages, in lower, upper and title case) no
///    wrong reading led by more than 1.9. Otherwise the file is refused as
///    ambiguous ([`ImportError::AmbiguousCyrillic`]) instead of guessed. A
///    byte that is undefined in Windows-1251 (0x98) rules that code page out.
/// 3. Otherwise Windows-1252 when the high bytes are accented letters
///    inside Latin words or typographic punctuation (curly quotes, dashes,
///    ellipsis), none is undefined in that code page, and no symbol byte
///    sits between two letters (which is how Central European or other
///    code pages look in Windows-1252).
/// 4. Otherwise [`ImportError::UnknownEncoding`] naming the first byte
///    that is not UTF-8.
fn single_byte(bytes: &[u8], offset: usize) -> Result<(String, TextEncoding), ImportError> {
    if cyrillic_shape(bytes) {
        let (w, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
        let (k, _) = encoding_rs::KOI8_R.decode_without_bom_handling(bytes);
        let (sw, letters) = russian_score(&w);
        let (sk, _) = russian_score(&k);
        let windows_possible = !bytes.contains(&0x98);
        let lead = (sw - sk) * (letters as f64).sqrt();
        let enough = letters >= MIN_CODE_PAGE_LETTERS;
        if windows_possible && enough && lead >= CODE_PAGE_MARGIN {
            return Ok((w.into_owned(), TextEncoding::Windows1251));
        }
        if (enough && -lead >= CODE_PAGE_MARGIN) || (!windows_possible && letters > 0) {
            return Ok((k.into_owned(), TextEncoding::Koi8R));
        }
        return Err(ImportError::AmbiguousCyrillic);
    }
    if looks_like_cp1252(bytes) {
        let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        return Ok((s.into_owned(), TextEncoding::Windows1252));
    }
    Err(ImportError::UnknownEncoding { offset })
}

/// See [`single_byte`], step 2.
const CODE_PAGE_MARGIN: f64 = 2.5;
/// See [`single_byte`], step 2.
const MIN_CODE_PAGE_LETTERS: usize = 12;

/// Most bytes above 0x7F are Cyrillic letters in Windows-1251 or KOI8-R
/// (0xC0-0xFF, and Ё/ё, Ў/ў, І/і, Є/є, Ї/ї where each code page keeps
/// them), and they are not a sprinkle of accented letters in Latin words
/// (as in a Windows-1252 file): either they are a good share of all
/// letters, or most of them stand in runs of three or more (whole words).
fn cyrillic_shape(bytes: &[u8]) -> bool {
    let (mut high, mut cyr, mut latin) = (0usize, 0usize, 0usize);
    let (mut run, mut in_runs) = (0usize, 0usize);
    for &b in bytes {
        let is_cyr = matches!(
            b,
            0xC0..=0xFF
                | 0xA8
                | 0xB8
                | 0xA1
                | 0xA2
                | 0xAA
                | 0xBA
                | 0xAF
                | 0xBF
                | 0xB2
                | 0xB3
                | 0xA3
        );
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
        && (cyr * 100 >= (cyr + latin) * 30 || in_runs * 100 >= cyr * 60)
}

/// Letter frequencies of Russian text, per mille, for а..я in alphabetical
/// order (U+0430..U+044F); ё is separate.
const RUSSIAN_FREQUENCY: [f64; 32] = [
    80.0,  // а
    16.0,  // б
    45.0,  // в
    17.0,  // г
    30.0,  // д
    85.0,  // е
    9.0,   // ж
    16.0,  // з
    74.0,  // и
    12.0,  // й
    35.0,  // к
    44.0,  // л
    32.0,  // м
    67.0,  // н
    110.0, // о
    28.0,  // п
    47.0,  // р
    55.0,  // с
    63.0,  // т
    26.0,  // у
    2.6,   // ф
    10.0,  // х
    5.0,   // ц
    14.0,  // ч
    7.0,   // ш
    4.0,   // щ
    0.4,   // ъ
    19.0,  // ы
    17.0,  // ь
    3.0,   // э
    6.0,   // ю
    20.0,  // я
];
/// ё, per mille.
const YO_FREQUENCY: f64 = 2.0;
/// Any other Cyrillic letter (і, ў, є, ...), per mille.
const OTHER_FREQUENCY: f64 = 0.5;

/// Mean log-likelihood per Cyrillic letter of `text` read as Russian, and
/// the number of Cyrillic letters. See [`single_byte`], step 2.
fn russian_score(text: &str) -> (f64, usize) {
    let total: f64 = RUSSIAN_FREQUENCY.iter().sum::<f64>() + YO_FREQUENCY;
    let log = |f: f64| (f / total).ln();
    let table: Vec<f64> = RUSSIAN_FREQUENCY.iter().map(|&f| log(f)).collect();
    let (yo, other) = (log(YO_FREQUENCY), log(OTHER_FREQUENCY));
    let capital_after_small = 0.02f64.ln();
    let (mut sum, mut letters, mut previous_small) = (0.0f64, 0usize, false);
    for c in text.chars() {
        // Letters of the Cyrillic block (U+0482-U+0489 are signs); the
        // general Unicode tables are avoided: this runs over whole files.
        let letter = matches!(c, '\u{400}'..='\u{481}' | '\u{48A}'..='\u{4FF}');
        if !letter {
            previous_small = false;
            continue;
        }
        let small = match c {
            'А'..='Я' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
            'Ё' => 'ё',
            c => c,
        };
        sum += match small {
            'а'..='я' => table[(small as u32 - 0x430) as usize],
            'ё' => yo,
            _ => other,
        };
        let upper = match c {
            '\u{400}'..='\u{42F}' => true,
            '\u{430}'..='\u{45F}' => false,
            c => c.is_uppercase(),
        };
        if upper && previous_small {
            sum += capital_after_small;
        }
        previous_small = !upper;
        letters += 1;
    }
    if letters == 0 {
        return (f64::NEG_INFINITY, 0);
    }
    (sum / letters as f64, letters)
}

/// Windows-1252: see [`single_byte`], step 3.
fn looks_like_cp1252(bytes: &[u8]) -> bool {
    let is_letter = |b: u8| {
        b.is_ascii_alphabetic()
            || matches!(
                b,
                0xC0..=0xFF | 0x8A | 0x8C | 0x8E | 0x9A | 0x9C | 0x9E | 0x9F | 0xAA | 0xBA
            ) && b != 0xD7
                && b != 0xF7
    };
    let (mut high_letters, mut ascii_letters, mut stray) = (0usize, 0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i + 1).copied();
        if b < 0x80 {
            ascii_letters += usize::from(b.is_ascii_alphabetic());
            continue;
        }
        if matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D) {
            return false;
        }
        let touches_letter = before.is_some_and(is_letter) || after.is_some_and(is_letter);
        if is_letter(b) {
            high_letters += 1;
            if !touches_letter {
                stray += 1;
            }
        } else if before.is_some_and(is_letter)
            && after.is_some_and(is_letter)
            && !matches!(b, 0x91 | 0x92 | 0x96 | 0x97 | 0xB7)
        {
            // A symbol inside a word: another code page's letter.
            return false;
        }
    }
    ascii_letters >= high_letters * 2 && stray * 10 <= high_letters
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
    fn cyrillic_code_pages_are_told_apart() {
        let text = "Респондент: Да, я согласна. Только имя потом уберите, пожалуйста.";
        for (page, expected) in [
            (encoding_rs::WINDOWS_1251, TextEncoding::Windows1251),
            (encoding_rs::KOI8_R, TextEncoding::Koi8R),
        ] {
            let (bytes, _, _) = page.encode(text);
            assert_eq!(single_byte(&bytes, 0).unwrap(), (text.to_owned(), expected));
            let caps = text.to_uppercase();
            let (bytes, _, _) = page.encode(&caps);
            assert_eq!(single_byte(&bytes, 0).unwrap(), (caps, expected));
        }
        // Three letters cannot tell the code pages apart: refuse, do not guess.
        let (short, _, _) = encoding_rs::WINDOWS_1251.encode("ДА.");
        assert_eq!(single_byte(&short, 0), Err(ImportError::AmbiguousCyrillic));
        // English with a few Russian names is still recognised.
        let mixed = "Interviewer: So you met Ерлан in Шымкент? Respondent: yes, at the training in Караганда";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(mixed);
        assert_eq!(single_byte(&bytes, 0).unwrap().1, TextEncoding::Windows1251);
    }

    #[test]
    fn western_text_is_windows_1252_and_noise_is_refused() {
        let (latin1, _, _) =
            encoding_rs::WINDOWS_1252.encode("Die Größe der Straße ist gut — „ja“");
        assert!(!cyrillic_shape(&latin1));
        assert_eq!(
            single_byte(&latin1, 0).unwrap().1,
            TextEncoding::Windows1252
        );
        let noise: Vec<u8> = (0x80..=0xFFu8).collect();
        assert!(single_byte(&noise, 0).is_err());
        // Polish in Windows-1250: "ł" (0xB3) is a symbol between letters in 1252.
        let (polish, _, _) = encoding_rs::WINDOWS_1250.encode("Byłem tam, ale nie było nikogo");
        assert_eq!(
            single_byte(&polish, 3),
            Err(ImportError::UnknownEncoding { offset: 3 })
        );
    }

    #[test]
    fn utf32_needs_whole_code_points() {
        let le: Vec<u8> = "Жоқ"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert_eq!(utf32(&le, false).unwrap(), "Жоқ");
        assert_eq!(utf32(&le[..5], false), Err(4));
        assert_eq!(utf32(&[0, 0, 0x11, 0], false), Err(0));
    }
}
