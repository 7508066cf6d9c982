//! Russian inflection, as endings written in Cyrillic and folded into
//! skeletons by [`crate::morph`].
//!
//! WHY one generous set instead of exact paradigms: a registered name's
//! paradigm is often unknowable (is "Жанар" declined? is "Ким" male?), and a
//! surname's family can appear in either gender ("Тілеубаевтың анасы", the
//! mother of Tleubaev). Over-generating a few endings costs nothing in
//! practice, because a match also needs the registered stem and (for names)
//! a capital letter; under-generating leaks a person.

/// Noun endings (all cases, both numbers, all genders) that a given name or
/// a patronymic takes: not the adjectival ones, so that "Полный", "Данные"
/// are not forms of Полина, Даня.
pub(crate) const NOUN_ENDINGS: &[&str] = &[
    "",
    "а",
    "я",
    "у",
    "ю",
    "е",
    "ы",
    "и",
    "ой",
    "ей",
    "ою",
    "ею",
    "ом",
    "ем",
    "ём",
    "ам",
    "ям",
    "ами",
    "ями",
    "ах",
    "ях",
    "ь",
    "ью",
    "ья",
    "ье",
    "ьи",
    "ий",
    // Possessive adjectives of names in -ин: Надин муж, Динина мама. Not
    // the -ов/-ев ones (Ерланов дом, archaic) nor the genitive plural in
    // -ов/-ев: those are the surnames built on the name (Азатов, Нурланов,
    // Сергеев), other people.
    "ин",
    "ина",
    "ину",
    "ино",
    "иной",
    "иного",
    "иному",
    "ины",
    "иных",
    "иным",
];

/// Noun and adjective endings (all cases, both numbers, all genders) that a
/// surname stem or a term word can take. The empty ending is the
/// stem itself. Applied to stems with the final vowel removed (Дин-а, Надежд-а)
/// and to consonant-final full forms (Ерлан-ом).
pub(crate) const ENDINGS: &[&str] = &[
    "", "а", "я", "у", "ю", "е", "ы", "и", "ой", "ей", "ою", "ею", "ом", "ем", "ём", "ам", "ям",
    "ами", "ями", "ах", "ях", "ов", "ев", "ым", "им", "ыми", "ими", "ых", "их", "ого", "его",
    "ому", "ему", "ая", "яя", "ую", "юю", "ое", "ее", "ые", "ие", "ий", "ый", "ь", "ью", "ья",
    "ье", "ьи",
];

/// Masculine patronymic formants, after the father's name stem.
pub(crate) const PATRONYMIC_M: &[&str] = &["ович", "евич", "ич", "ьевич"];
/// Feminine patronymic formants (the final -а is part of [`ENDINGS`]).
pub(crate) const PATRONYMIC_F: &[&str] = &["овн", "евн", "ичн", "иничн", "ьевн"];

/// Endings of surnames that keep their form or decline like nouns
/// (Коваленко, Бойко, Ковальчук, Марчук, Мкртчян, Гелашвили): a token
/// ending so is a surname, never a given name to make nicknames from.
pub(crate) const INDECLINABLE_SURNAME_SUFFIXES: &[&str] = &[
    "енко",
    "ейко",
    "чук",
    "щук",
    "юк",
    "ян",
    "янц",
    "швили",
    "дзе",
    "enko",
    "eyko",
    "chuk",
    "yuk",
    "yan",
    "shvili",
    "dze",
];

/// Endings that mark a registered token as a surname of the -ов/-ин type, and
/// the family stem they leave when removed (longest first).
pub(crate) const SURNAME_SUFFIXES: &[&str] = &[
    "ова", "ева", "ёва", "ина", "ына", "ов", "ев", "ёв", "ин", "ын", "ova", "eva", "yeva", "ina",
    "yna", "ov", "ev", "yev", "in", "yn",
];

/// Adjectival surname endings (-ский/-цкий/-ская/-ой) and their stems.
pub(crate) const ADJ_SURNAME_SUFFIXES: &[&str] = &[
    "ский", "цкий", "ская", "цкая", "ской", "цкой", "skiy", "skii", "sky", "ski", "skaya", "skaia",
    "tskiy", "tsky",
];

/// Endings that mark a registered token as a Russian patronymic.
pub(crate) const PATRONYMIC_SUFFIXES: &[&str] = &[
    "ьевич",
    "ьевна",
    "евич",
    "ович",
    "евна",
    "овна",
    "инична",
    "ична",
    "yevich",
    "ievich",
    "evich",
    "ovich",
    "yevna",
    "ievna",
    "evna",
    "ovna",
    "ichna",
];

/// Adjective endings stripped from a term word before adding [`ENDINGS`]
/// (Чист-ый, Серебрян-ый, Чист-ая).
pub(crate) const ADJ_ENDINGS: &[&str] = &[
    "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "yi", "yy", "iy", "ii", "aya",
];

/// Returns `word` without the longest matching suffix from `list`, if the
/// rest keeps at least `min_rest` characters. Case-insensitive.
pub(crate) fn strip_suffix<'a>(
    word: &'a str,
    list: &'static [&'static str],
    min_rest: usize,
) -> Option<(&'a str, &'static str)> {
    let lower = word.to_lowercase();
    // Lower-casing changes byte lengths only for exotic letters; bail out
    // then rather than cut at the wrong place.
    if lower.len() != word.len() {
        return None;
    }
    let mut best: Option<(&'a str, &'static str)> = None;
    for &suf in list {
        if !lower.ends_with(suf) {
            continue;
        }
        let cut = word.len() - suf.len();
        if !word.is_char_boundary(cut) {
            continue;
        }
        let rest = &word[..cut];
        if rest.chars().count() >= min_rest && best.is_none_or(|(_, b)| suf.len() > b.len()) {
            best = Some((rest, suf));
        }
    }
    best
}

/// Whether `word` (lower case) is another word built on a registered name
/// that ends in a consonant (lower case), not one of its case forms: the
/// name followed by и and a vowel letter (Чех → Чехия, Чехию, Чехии; Дан →
/// Дания). No Russian case ending of a consonant-final noun starts so, and
/// no Kazakh suffix does; the skeleton drops the и, which is why "Чехия"
/// and the non-word "Чехя" look alike there and the letters must decide.
pub(crate) fn derived_with_i_vowel(registered: &str, word: &str) -> bool {
    let Some(last) = registered.chars().last() else {
        return false;
    };
    if !('а'..='я').contains(&last) || "аеёиоуыэюяйь".contains(last) {
        return false;
    }
    let Some(rest) = word.strip_prefix(registered) else {
        return false;
    };
    let mut r = rest.chars();
    r.next() == Some('и') && r.next().is_some_and(|c| "яюиеёй".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_built_on_a_name_is_not_its_case_form() {
        for w in ["чехия", "чехию", "чехии", "чехией"] {
            assert!(derived_with_i_vowel("чех", w), "{w}");
        }
        assert!(derived_with_i_vowel("дан", "дания"));
        for w in ["чеха", "чеху", "чехом", "чехе", "чехи"] {
            assert!(!derived_with_i_vowel("чех", w), "{w}");
        }
        // A name in -ия declines on its own и.
        assert!(!derived_with_i_vowel("мария", "марии"));
        assert!(!derived_with_i_vowel("алия", "алией"));
    }

    #[test]
    fn strips_the_longest_surname_suffix() {
        assert_eq!(
            strip_suffix("Сапарова", SURNAME_SUFFIXES, 2),
            Some(("Сапар", "ова"))
        );
        assert_eq!(
            strip_suffix("Тлеубаев", SURNAME_SUFFIXES, 2),
            Some(("Тлеуба", "ев"))
        );
        assert_eq!(
            strip_suffix("Tleubayev", SURNAME_SUFFIXES, 2),
            Some(("Tleuba", "yev"))
        );
        assert_eq!(strip_suffix("Ким", SURNAME_SUFFIXES, 2), None);
    }

    #[test]
    fn recognises_patronymics() {
        assert_eq!(
            strip_suffix("Сейткалиевич", PATRONYMIC_SUFFIXES, 2),
            Some(("Сейткали", "евич"))
        );
        assert_eq!(
            strip_suffix("Петровна", PATRONYMIC_SUFFIXES, 2),
            Some(("Петр", "овна"))
        );
        assert_eq!(
            strip_suffix("Ильинична", PATRONYMIC_SUFFIXES, 2),
            Some(("Иль", "инична"))
        );
        assert!(strip_suffix("Дина", PATRONYMIC_SUFFIXES, 2).is_none());
    }
}
