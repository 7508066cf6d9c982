//! Kazakh suffix chains, as suffixes written in Cyrillic and folded into
//! skeletons by [`crate::morph`].
//!
//! Kazakh is agglutinative: a name takes plural, possessive and case suffixes
//! in that order (Ерлан-дар-ы-ның). Each suffix has allomorphs chosen by
//! vowel harmony (front/back) and by the last sound of the stem (voiced,
//! voiceless, nasal, vowel). In the loose skeleton ы/і disappear and қ/к,
//! ғ/г fold together, so most allomorphs coincide; the rest are listed here
//! and combined into every chain. Generating all allomorphs for every stem
//! instead of only the harmonic one is deliberate: transcribers do not always
//! follow harmony for foreign names (Динаға, Кимнің, Ерланды all occur).

/// Plural suffixes.
pub(crate) const PLURAL: &[&str] = &["", "лар", "лер", "дар", "дер", "тар", "тер"];

/// Possessive suffixes (my, your, his/her, our, your-polite).
pub(crate) const POSSESSIVE: &[&str] = &[
    "", "ым", "ім", "м", "ың", "ің", "ң", "ы", "і", "сы", "сі", "мыз", "міз", "ымыз", "іміз",
    "ңыз", "ңіз", "ыңыз", "іңіз",
];

/// Case suffixes and the most common derivational endings that attach to a
/// noun phrase (-дай "like", -ша "in the manner of", -дағы "located in",
/// -нікі "the one of", -сыз "without").
pub(crate) const CASE: &[&str] = &[
    "",
    "ға",
    "ге",
    "қа",
    "ке",
    "а",
    "е",
    "на",
    "не",
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    "ны",
    "ні",
    "ды",
    "ді",
    "ты",
    "ті",
    "н",
    "да",
    "де",
    "та",
    "те",
    "нда",
    "нде",
    "дан",
    "ден",
    "тан",
    "тен",
    "нан",
    "нен",
    "мен",
    "бен",
    "пен",
    "менен",
    "бенен",
    "пенен",
    "дай",
    "дей",
    "тай",
    "тей",
    "ша",
    "ше",
    "дағы",
    "дегі",
    "тағы",
    "тегі",
    "ндағы",
    "ндегі",
    "дікі",
    "тікі",
    "нікі",
    "сыз",
    "сіз",
];

/// Kazakh patronymic / family formants ("son of", "daughter of"), in the
/// spellings they take in Cyrillic; Latin uly/ūly/ulı/qyzy/kyzy fold onto
/// the same skeletons.
pub(crate) const PATRONYMIC: &[&str] = &["ұлы", "улы", "қызы", "кызы"];

/// Endings that mark a registered token as a Kazakh patronymic or
/// patronymic-style surname, longest first.
pub(crate) const PATRONYMIC_SUFFIXES: &[&str] = &[
    "ұлы", "улы", "уулу", "қызы", "кызы", "uly", "ūly", "ulı", "uli", "uuly", "qyzy", "kyzy",
    "qızı", "kizi", "qizi",
];

/// Every plural × possessive × case chain (without the inner space).
pub(crate) fn chains() -> Vec<String> {
    let mut out = Vec::with_capacity(PLURAL.len() * POSSESSIVE.len() * CASE.len());
    for p in PLURAL {
        for s in POSSESSIVE {
            for c in CASE {
                if c.contains(' ') {
                    continue;
                }
                out.push(format!("{p}{s}{c}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_cover_plural_possessive_case() {
        let c = chains();
        for want in ["ға", "дарының", "ымен", "ның", "", "лерімізге", "тікі"]
        {
            assert!(c.iter().any(|x| x == want), "{want}");
        }
    }
}
