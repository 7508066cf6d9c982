//! Morphology as sets of skeleton suffixes.
//!
//! WHY skeleton suffix sets: the matcher finds a registered stem as a prefix
//! of a word's skeleton and then asks one question, "is the rest an ending
//! this kind of stem can take?". Russian endings ([`ru`]) and Kazakh suffix
//! chains ([`kk`]) are written once in Cyrillic, folded with the same
//! [`crate::skeleton`] function as the text, and stored per [`Class`]. Latin
//! spellings of the same endings (Erlanğa, Saparovoy, Seiıtqaliūly) fold onto
//! the same skeletons, so transliterated inflected forms need no extra rules.

pub(crate) mod kk;
pub(crate) mod ru;

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::skeleton::{loose_of, Folder, Mode};

/// What kind of stem a suffix set belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub(crate) enum Class {
    /// A full word form: Russian endings, Kazakh chains, English "'s".
    All = 0,
    /// A Russian stem without its final vowel (Дин-, Надежд-): Russian endings.
    Ru = 1,
    /// A family stem (Сапар-, Тлеуба-): -ов/-ев/-ин + endings, -ұлы/-қызы + chains.
    Family = 2,
    /// A father's name (Сейткали-, Петр-): -ович/-овна + endings, -ұлы/-қызы + chains.
    Patronymic = 3,
}

/// Number of classes.
pub(crate) const CLASSES: usize = 4;

/// One class's suffixes in both skeleton modes.
pub(crate) struct SuffixSet {
    loose: HashSet<Box<[u8]>>,
    vowel: HashSet<Box<[u8]>>,
    max_loose: usize,
    max_vowel: usize,
}

impl SuffixSet {
    fn new(words: &[String]) -> Self {
        let mut f = Folder::new();
        let mut loose = HashSet::new();
        let mut vowel = HashSet::new();
        for w in words {
            let v = f.fold(w, Mode::Vowel);
            loose.insert(loose_of(&v).into_boxed_slice());
            vowel.insert(v.into_boxed_slice());
        }
        let max_loose = loose.iter().map(|s| s.len()).max().unwrap_or(0);
        let max_vowel = vowel.iter().map(|s| s.len()).max().unwrap_or(0);
        SuffixSet {
            loose,
            vowel,
            max_loose,
            max_vowel,
        }
    }

    /// Whether `rest` (what follows a stem ending in `last` in a word's
    /// skeleton) is one of these suffixes. Because skeletons collapse doubled
    /// symbols, a suffix that begins with the stem's last symbol shows up
    /// without it (Ерлан+нан → "erlanan"): that case is accepted too.
    pub(crate) fn accepts(&self, mode: Mode, last: Option<u8>, rest: &[u8]) -> bool {
        let (set, max) = match mode {
            Mode::Loose => (&self.loose, self.max_loose),
            Mode::Vowel => (&self.vowel, self.max_vowel),
        };
        if rest.len() > max {
            return false;
        }
        if set.contains(rest) {
            return true;
        }
        if let Some(l) = last {
            if rest.first() != Some(&l) && rest.len() < max {
                let mut buf = [0u8; 32];
                if rest.len() < buf.len() {
                    buf[0] = l;
                    buf[1..=rest.len()].copy_from_slice(rest);
                    return set.contains(&buf[..=rest.len()]);
                }
            }
        }
        false
    }

    /// Number of distinct loose suffixes.
    pub(crate) fn len(&self) -> usize {
        self.loose.len()
    }
}

/// All suffix sets, built once per process.
pub(crate) struct Morph {
    sets: Vec<SuffixSet>,
}

impl Morph {
    /// The shared instance.
    pub(crate) fn get() -> &'static Morph {
        static M: OnceLock<Morph> = OnceLock::new();
        M.get_or_init(Morph::build)
    }

    /// The suffix set of `class`.
    pub(crate) fn set(&self, class: Class) -> &SuffixSet {
        &self.sets[class as usize]
    }

    fn build() -> Morph {
        let own = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let en = own(&["'s", "s"]);
        let ru = own(ru::ENDINGS);
        let kk = kk::chains();
        let cat = |a: &[String], b: &[String]| {
            let mut v = Vec::with_capacity(a.len() * b.len());
            for x in a {
                for y in b {
                    v.push(format!("{x}{y}"));
                }
            }
            v
        };
        let union = |parts: &[&[String]]| {
            parts
                .iter()
                .flat_map(|p| p.iter().cloned())
                .collect::<Vec<_>>()
        };

        let all = union(&[&ru, &kk, &en]);
        let ru_only = ru.clone();
        let kk_en = union(&[&kk, &en]);
        let a = vec!["а".to_string()];
        let after_family = union(&[&ru, &kk, &en, &cat(&a, &kk_en)]);
        let kk_pat = own(kk::PATRONYMIC);
        let family = union(&[&cat(&own(ru::FAMILY), &after_family), &cat(&kk_pat, &kk_en)]);
        let patronymic = union(&[
            &cat(&own(ru::PATRONYMIC_M), &ru),
            &cat(&own(ru::PATRONYMIC_F), &ru),
            &cat(&kk_pat, &kk_en),
        ]);
        let sets = vec![
            SuffixSet::new(&all),
            SuffixSet::new(&ru_only),
            SuffixSet::new(&family),
            SuffixSet::new(&patronymic),
        ];
        debug_assert_eq!(sets.len(), CLASSES);
        Morph { sets }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skeleton::fold;

    fn accepts(class: Class, stem: &str, word: &str) -> bool {
        let m = Morph::get();
        let s = fold(stem, Mode::Loose);
        let w = fold(word, Mode::Loose);
        w.starts_with(&s)
            && m.set(class)
                .accepts(Mode::Loose, s.last().copied(), &w[s.len()..])
    }

    #[test]
    fn russian_declension_of_names() {
        for w in ["Ерлана", "Ерлану", "Ерланом", "Ерлане"] {
            assert!(accepts(Class::All, "Ерлан", w), "{w}");
        }
        for w in ["Дины", "Дине", "Дину", "Диной", "Диною"] {
            assert!(accepts(Class::Ru, "Дин", w), "{w}");
        }
        for w in [
            "Сапаровой",
            "Сапаровым",
            "Сапарову",
            "Сапаровых",
            "Сапаров",
            "Saparovoy",
        ] {
            assert!(accepts(Class::Family, "Сапар", w), "{w}");
        }
    }

    #[test]
    fn kazakh_suffix_chains() {
        for w in [
            "Ерланға",
            "Ерланның",
            "Ерланды",
            "Ерланмен",
            "Ерланнан",
            "Ерландарының",
            "Erlanğa",
        ] {
            assert!(accepts(Class::All, "Ерлан", w), "{w}");
        }
        for w in ["Айгерімнің", "Айгерімге", "Aigerımnıñ"] {
            assert!(accepts(Class::All, "Айгерим", w), "{w}");
        }
        assert!(accepts(Class::Family, "Тлеуба", "Тілеубаевтың"));
        assert!(accepts(Class::Family, "Абдрахман", "Әбдірахманқызы"));
        assert!(accepts(Class::Family, "Абдрахман", "Äbdırahmanqyzy"));
    }

    #[test]
    fn patronymics_across_languages() {
        for w in [
            "Сейткалиевич",
            "Сейткалиевича",
            "Сейітқалиұлы",
            "Seiıtqaliūly",
            "Seitkalievich",
            "Сейткалиевна",
        ] {
            assert!(accepts(Class::Patronymic, "Сейткали", w), "{w}");
        }
        for w in [
            "Кайратович",
            "Kairatovich",
            "Qairatūly",
            "Қайратұлы",
            "Қайратұлына",
        ] {
            assert!(accepts(Class::Patronymic, "Қайрат", w), "{w}");
        }
        for w in ["Петровна", "Петровне", "Петровной", "Petrovna"] {
            assert!(accepts(Class::Patronymic, "Петр", w), "{w}");
        }
    }

    #[test]
    fn non_endings_are_rejected() {
        assert!(!accepts(Class::All, "Ким", "KIMEP"));
        assert!(!accepts(Class::All, "Ерлан", "Ерланбек"));
        assert!(!accepts(Class::Ru, "Дин", "Динамит"));
    }
}
