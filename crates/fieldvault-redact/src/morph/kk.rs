//! Kazakh suffix chains, as suffixes written in Cyrillic and folded into
//! skeletons by [`crate::morph`].
//!
//! Kazakh is agglutinative: a name takes plural, possessive and case
//! suffixes in that order (Ерлан-дар-ы-ның). Each suffix has allomorphs:
//! vowel harmony picks front or back (ға/ге), and the last sound of what it
//! attaches to picks the initial consonant (Динаға, Ерланды, Жанарға,
//! Жаңабұлақта, Тілеубаевтың). Front/back harmony is folded away by the
//! skeleton, and transcribers do not always respect it for foreign names,
//! so both are generated; the consonant rule is followed, because it is
//! what keeps a name from swallowing ordinary words (Ареке + "т" is
//! "Әрекет", action; the real accusative of Ареке is Арекені).

/// What a stem or suffix ends in, which decides the next suffix's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Sound {
    /// A vowel: Дина-ға, Дина-ның, Дина-ны.
    Vowel,
    /// м, н, ң: Ерлан-ға, Ерлан-ның, Ерлан-ды, Ерлан-нан.
    Nasal,
    /// л, р, й, у, з, ж: Жанар-ға, Жанар-дың, Жанар-дан.
    Sonorant,
    /// A voiceless consonant (and final б, в, г, д, devoiced): Жаңабұлақ-та.
    Voiceless,
    /// After a third-person possessive (ұлы, қызы, -сы): the pronominal n
    /// (Қайратұлы-на, -ның, -н, -нда, -нан).
    Possessive3,
}

fn case(s: Sound) -> &'static [&'static str] {
    match s {
        Sound::Vowel => &[
            "ға",
            "ге",
            "ның",
            "нің",
            "ны",
            "ні",
            "да",
            "де",
            "дан",
            "ден",
            "мен",
            "менен",
            "дай",
            "дей",
            "ша",
            "ше",
            "дағы",
            "дегі",
            "нікі",
            "сыз",
            "сіз",
        ],
        Sound::Nasal => &[
            "ға",
            "ге",
            "а",
            "е",
            "ның",
            "нің",
            "ды",
            "ді",
            "да",
            "де",
            "нан",
            "нен",
            "мен",
            "менен",
            "дай",
            "дей",
            "ша",
            "ше",
            "дағы",
            "дегі",
            "дікі",
            "сыз",
            "сіз",
        ],
        Sound::Sonorant => &[
            "ға",
            "ге",
            "дың",
            "дің",
            "ды",
            "ді",
            "да",
            "де",
            "дан",
            "ден",
            "мен",
            "бен",
            "менен",
            "бенен",
            "дай",
            "дей",
            "ша",
            "ше",
            "дағы",
            "дегі",
            "дікі",
            "сыз",
            "сіз",
        ],
        Sound::Voiceless => &[
            "қа",
            "ке",
            "тың",
            "тің",
            "ты",
            "ті",
            "та",
            "те",
            "тан",
            "тен",
            "пен",
            "пенен",
            "тай",
            "тей",
            "ша",
            "ше",
            "тағы",
            "тегі",
            "тікі",
            "сыз",
            "сіз",
        ],
        Sound::Possessive3 => &[
            "на",
            "не",
            "ның",
            "нің",
            "н",
            "нда",
            "нде",
            "нан",
            "нен",
            "мен",
            "ндай",
            "ндей",
            "ндағы",
            "ндегі",
        ],
    }
}

/// Predicative personal endings, "I am / we are X" (Ерланмын,
/// алматылықпыз): in the slot of a case ending.
fn predicative(s: Sound) -> &'static [&'static str] {
    // First person only: "you are" (-сың) would read English -sing words
    // (Nursing) as Нұр-сың.
    match s {
        Sound::Vowel | Sound::Possessive3 => &["мын", "мін", "мыз", "міз"],
        Sound::Sonorant | Sound::Nasal => &["мын", "мін", "мыз", "міз", "бын", "бін", "быз", "біз"],
        Sound::Voiceless => &["пын", "пін", "пыз", "піз"],
    }
}

fn plural(s: Sound) -> &'static [&'static str] {
    match s {
        Sound::Vowel | Sound::Possessive3 => &["лар", "лер"],
        Sound::Nasal => &["дар", "дер"],
        Sound::Sonorant => &["лар", "лер", "дар", "дер"],
        Sound::Voiceless => &["тар", "тер"],
    }
}

fn possessive(s: Sound) -> &'static [(&'static str, Sound)] {
    match s {
        Sound::Vowel | Sound::Possessive3 => &[
            ("м", Sound::Nasal),
            ("ң", Sound::Nasal),
            ("сы", Sound::Possessive3),
            ("сі", Sound::Possessive3),
            ("мыз", Sound::Sonorant),
            ("міз", Sound::Sonorant),
            ("ңыз", Sound::Sonorant),
            ("ңіз", Sound::Sonorant),
        ],
        _ => &[
            ("ым", Sound::Nasal),
            ("ім", Sound::Nasal),
            ("ың", Sound::Nasal),
            ("ің", Sound::Nasal),
            ("ы", Sound::Possessive3),
            ("і", Sound::Possessive3),
            ("ымыз", Sound::Sonorant),
            ("іміз", Sound::Sonorant),
            ("ыңыз", Sound::Sonorant),
            ("іңіз", Sound::Sonorant),
        ],
    }
}

/// Every suffix chain (plural, possessive, case, each optional) that can
/// follow a stem ending in `start`, the empty chain included.
pub(crate) fn chains(start: Sound) -> Vec<String> {
    let mut out = vec![String::new()];
    let with_case = |prefix: &str, s: Sound, out: &mut Vec<String>| {
        out.push(prefix.to_string());
        for c in case(s).iter().chain(predicative(s)) {
            out.push(format!("{prefix}{c}"));
        }
    };
    for c in case(start).iter().chain(predicative(start)) {
        out.push((*c).to_string());
    }
    for p in plural(start) {
        with_case(p, Sound::Sonorant, &mut out);
        for (q, qs) in possessive(Sound::Sonorant) {
            with_case(&format!("{p}{q}"), *qs, &mut out);
        }
    }
    for (q, qs) in possessive(start) {
        with_case(q, *qs, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Derivational suffixes, in vowel skeleton: -лық/-лік/-дық/-дік/-тық/-тік
/// (abstract nouns: азат "free" → Азаттық "freedom", Radio Azattyq),
/// -шы/-ші/-шыл (agents: жаз → жазушы), -лы/-лі ("having": нұр → Нұрлы).
/// They make another word, not a form of the stem: a name followed by one
/// is not that name. Inflection (plural, possessive, case, and the
/// privative -сыз, which still names the person: Ерлансыз "without
/// Yerlan") is in the chains above, and wins when a rest reads both ways.
pub(crate) const DERIVATIONAL: &[&[u8]] = &[b"lik", b"dik", b"tik", b"xi", b"li"];

/// The derivational suffixes as written, Cyrillic (Kazakh and Russian
/// spelling) and Latin. Used where the skeleton cannot tell: Азат+ик
/// (a diminutive) and Азат+тық (another word) share one vowel skeleton,
/// only the letters differ.
const DERIVATIONAL_WRITTEN: &[&str] = &[
    "лық", "лік", "дық", "дік", "тық", "тік", "лык", "дык", "тык", "шы", "ші", "шыл", "шіл", "лы",
    "лі", "lyq", "lyk", "lıq", "lık", "liq", "lik", "dyq", "dyk", "dıq", "diq", "dik", "tyq",
    "tyk", "tıq", "tiq", "tik", "shy", "shı", "shi", "şy", "şı", "ly", "lı", "li",
];

/// Whether `lower` (a lower-cased word) is a word whose loose skeleton
/// starts with `base` followed, in writing, by a derivational suffix
/// (азаттық = азат + тық; not азатик = азат + ик).
pub(crate) fn derived_in_writing(
    lower: &str,
    base: &[u8],
    folder: &mut crate::skeleton::Folder,
    buf: &mut Vec<u8>,
) -> bool {
    lower.char_indices().skip(1).any(|(b, _)| {
        let tail = &lower[b..];
        DERIVATIONAL_WRITTEN.iter().any(|d| tail.starts_with(d)) && {
            buf.clear();
            folder.fold_into(&lower[..b], crate::skeleton::Mode::Loose, buf);
            buf.as_slice() == base
        }
    })
}

/// Kazakh patronymic / family formants ("son of", "daughter of"), in the
/// spellings they take in Cyrillic; Latin uly/ūly/ulı/qyzy/kyzy fold onto
/// the same skeletons. Each ends in a third-person possessive.
pub(crate) const PATRONYMIC: &[&str] = &["ұлы", "улы", "қызы", "кызы"];

/// Endings that mark a registered token as a Kazakh patronymic or
/// patronymic-style surname, longest first.
pub(crate) const PATRONYMIC_SUFFIXES: &[&str] = &[
    "ұлы", "улы", "уулу", "қызы", "кызы", "uly", "ūly", "ulı", "uli", "uuly", "qyzy", "kyzy",
    "qızı", "kizi", "qizi",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_follow_the_stem_final_sound() {
        let v = chains(Sound::Vowel);
        for want in ["ға", "ның", "мен", "сының", "лардың"] {
            assert!(v.iter().any(|x| x == want), "vowel {want}");
        }
        assert!(!v.iter().any(|x| x == "ты"), "Дина-ты is not Kazakh");
        let n = chains(Sound::Nasal);
        for want in ["ға", "ның", "ды", "нан", "дарының", "ымен"] {
            assert!(n.iter().any(|x| x == want), "nasal {want}");
        }
        assert!(n.iter().any(|x| x == "мын"), "Ерлан-мын");
        assert!(v.iter().any(|x| x == "мын"), "Дина-мын");
        let t = chains(Sound::Voiceless);
        for want in ["та", "тың", "қа", "пен", "тары"] {
            assert!(t.iter().any(|x| x == want), "voiceless {want}");
        }
        assert!(!t.iter().any(|x| x == "ға"));
        let p = chains(Sound::Possessive3);
        for want in ["на", "ның", "н", "нда"] {
            assert!(p.iter().any(|x| x == want), "possessive {want}");
        }
    }
}
