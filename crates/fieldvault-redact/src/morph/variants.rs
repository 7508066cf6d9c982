//! Spelling variants of foreign names written in Cyrillic.
//!
//! WHY: a foreign name has no one Russian spelling. Transliteration
//! conventions disagree on a handful of sounds, and newspapers, translators
//! and respondents each pick one: English /æ/ as э or а (Дэниэл / Даниэл),
//! German and French ö as ё, е or о (Бёнер / Бенер / Бонер), English long i
//! as ай or и (Саймон / Simon), English ow as оу or ов (Лоуенкрон /
//! Lowenkron), German tz as тц or ц (Хоровитц / Horowitz). The skeleton
//! already absorbs what is a matter of letters (е/ё/э, й/и, doubled
//! consonants); what is left are these sound choices, written here once as
//! rewrite rules over the registered spelling. Each variant is matched as
//! the registered name itself, in every script and inflection.
//!
//! Over-generation is bounded: each rule rewrites one place at a time, a
//! token yields at most [`MAX_VARIANTS`] spellings, and a variant only
//! matters where a capitalised word has exactly its skeleton.

/// At most this many variants per registered token.
pub(crate) const MAX_VARIANTS: usize = 8;

/// One transliteration choice: `from` may also be written `to` when the
/// letter before it (if `after_consonant`) is a consonant.
struct Rule {
    from: &'static str,
    to: &'static str,
    after_consonant: bool,
    /// Only in the first syllable (the stressed ö of Бёнер, Гёте), so that
    /// the -ев of Russian surnames is not rewritten.
    first_vowel_only: bool,
}

const RULES: &[Rule] = &[
    // English /æ/: Дэниэл / Даниэл, Мэри / Мари.
    Rule {
        from: "э",
        to: "а",
        after_consonant: true,
        first_vowel_only: false,
    },
    // ö: Бёнер / Бенер / Бонер, Гёте / Гете.
    Rule {
        from: "е",
        to: "о",
        after_consonant: true,
        first_vowel_only: true,
    },
    // English long i: Саймон / Simon, Брайан / Brian.
    Rule {
        from: "ай",
        to: "и",
        after_consonant: true,
        first_vowel_only: false,
    },
    // English ow: Лоуенкрон / Lowenkron, Браун / Brown.
    Rule {
        from: "оу",
        to: "ов",
        after_consonant: true,
        first_vowel_only: false,
    },
    Rule {
        from: "ау",
        to: "ов",
        after_consonant: true,
        first_vowel_only: false,
    },
    // German tz: Хоровитц / Хоровиц / Horowitz, Шварц / Шварц.
    Rule {
        from: "тц",
        to: "ц",
        after_consonant: false,
        first_vowel_only: false,
    },
];

fn is_vowel(c: char) -> bool {
    "аеёиоуыэюяәіөұүaeiouy".contains(c)
}

fn is_cyrillic_letter(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c) && c.is_alphabetic()
}

/// Other spellings of one registered token (not the token itself), in the
/// token's letter case at its first letter. Tokens of fewer than five
/// letters get none: a short name has too few letters to tell a variant
/// from another word (Вера / вора).
pub(crate) fn spelling_variants(token: &str) -> Vec<String> {
    let lower: Vec<char> = token.to_lowercase().chars().collect();
    let original: Vec<char> = token.chars().collect();
    if lower.len() != original.len()
        || lower.len() < 5
        || !lower.iter().all(|&c| is_cyrillic_letter(c))
    {
        return Vec::new();
    }
    let first_vowel = lower.iter().position(|&c| is_vowel(c));
    let mut out: Vec<String> = Vec::new();
    for rule in RULES {
        let from: Vec<char> = rule.from.chars().collect();
        let to: Vec<char> = rule.to.chars().collect();
        let mut i = 1;
        while i + from.len() <= lower.len() {
            if lower[i..i + from.len()] != from[..]
                || (rule.after_consonant && is_vowel(lower[i - 1]))
                || (rule.first_vowel_only && first_vowel != Some(i))
            {
                i += 1;
                continue;
            }
            let mut v: Vec<char> = original[..i].to_vec();
            v.extend(&to);
            v.extend(&original[i + from.len()..]);
            let s: String = v.into_iter().collect();
            if s != token && !out.contains(&s) {
                out.push(s);
            }
            if out.len() >= MAX_VARIANTS {
                return out;
            }
            i += from.len();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skeleton::{fold, Mode};

    fn spelled(registered: &str, written: &str) -> bool {
        let w = fold(written, Mode::Vowel);
        spelling_variants(registered)
            .iter()
            .any(|v| fold(v, Mode::Vowel) == w)
    }

    #[test]
    fn transliteration_choices_of_foreign_names() {
        assert!(spelled("Дэниэл", "Даниэл"));
        assert!(spelled("Бенер", "Бонер"));
        assert!(spelled("Саймон", "Simon"));
        assert!(spelled("Лоуенкрон", "Lowenkron"));
        assert!(spelled("Хоровитц", "Хоровиц"));
        assert!(spelled("Браун", "Brown"));
    }

    #[test]
    fn russian_formants_and_short_names_are_left_alone() {
        // The -ев of a surname is not the first syllable.
        assert!(!spelled("Тлеубаев", "Тлеубаов"));
        assert!(spelling_variants("Вера").is_empty());
        assert!(spelling_variants("Smith").is_empty());
        // The first letter is never rewritten (Эрик stays Эрик).
        assert!(!spelled("Эрика", "Арика"));
    }

    #[test]
    fn keeps_the_letter_case_and_a_bound() {
        assert_eq!(spelling_variants("Бенер"), vec!["Бонер".to_string()]);
        let many = spelling_variants("Бэлэмэнэрэсэтэ");
        assert!(many.len() <= MAX_VARIANTS);
    }
}
