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
pub(crate) mod variants;

use std::sync::OnceLock;

use crate::skeleton::{loose_of, Folder, Mode};
use kk::Sound;
use rustc_hash::FxHashSet;

/// How a stem ends (in the vowel skeleton), which decides the shape of the
/// Kazakh suffixes that follow it ([`kk::Sound`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Final {
    /// a, e, o
    Vowel,
    /// The i-class: a vowel (Алматы) or a glide (Абай).
    I,
    /// u: in Kazakh a final у (and ю = йу) is the glide /w/ or /uw/ and
    /// takes the consonant allomorphs of a sonorant (Айсулу-дың, Айсулу-ды,
    /// сайлау-дың), while a Russian or foreign final u is a vowel: both.
    Glide,
    /// m, n
    Nasal,
    /// l, r, j (ж), z
    Sonorant,
    /// k, p, s, t, f, c, x
    Voiceless,
    /// b, d, g, v: devoiced in Kazakh, but written either way.
    Voiced,
    /// Anything else (digits, other scripts).
    Other,
}

impl Final {
    /// Classifies the last symbol of a vowel skeleton.
    pub(crate) fn of(vstem: &[u8]) -> Final {
        match vstem.last() {
            Some(b'a' | b'e' | b'o') => Final::Vowel,
            Some(b'i') => Final::I,
            Some(b'u') => Final::Glide,
            Some(b'm' | b'n') => Final::Nasal,
            Some(b'l' | b'r' | b'j' | b'z') => Final::Sonorant,
            Some(b'b' | b'd' | b'g' | b'v') => Final::Voiced,
            Some(b'k' | b'p' | b's' | b't' | b'f' | b'c' | b'x') => Final::Voiceless,
            _ => Final::Other,
        }
    }

    fn sounds(self) -> &'static [Sound] {
        match self {
            Final::Vowel => &[Sound::Vowel],
            Final::I | Final::Glide => &[Sound::Vowel, Sound::Sonorant],
            Final::Nasal => &[Sound::Nasal],
            Final::Sonorant => &[Sound::Sonorant],
            Final::Voiceless => &[Sound::Voiceless],
            Final::Voiced => &[Sound::Voiceless, Sound::Sonorant],
            Final::Other => &[
                Sound::Vowel,
                Sound::Nasal,
                Sound::Sonorant,
                Sound::Voiceless,
            ],
        }
    }

    const ALL: [Final; 8] = [
        Final::Vowel,
        Final::I,
        Final::Glide,
        Final::Nasal,
        Final::Sonorant,
        Final::Voiceless,
        Final::Voiced,
        Final::Other,
    ];
}

/// What kind of stem a suffix set belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Class {
    /// A full word form: Russian endings and the Kazakh chains its final
    /// sound allows.
    Full(Final),
    /// A Russian stem without its final vowel (Дин-, Надежд-): noun endings.
    Ru,
    /// A stem that declines like an adjective or a noun (Чист-ый, Достоевск-ий,
    /// words of terms): all Russian endings.
    RuAdj,
    /// A family stem of an -ов/-ев surname (Сапар-, Тлеуба-): -ов/-ев +
    /// endings and chains, -ұлы/-қызы + chains. Not -ин: a surname declines
    /// within its own formant, and Есенин is not a form of Есенов.
    FamilyOv,
    /// A family stem of an -ин/-ын surname (Кали-, Есен-): -ин + endings
    /// and chains, -ұлы/-қызы + chains.
    FamilyIn,
    /// A father's name (Сейткали-, Петр-): -ович/-овна + endings, -ұлы/-қызы + chains.
    Patronymic,
}

impl Class {
    /// The full-form class of a stem (by its final sound).
    pub(crate) fn full(vstem: &[u8]) -> Class {
        Class::Full(Final::of(vstem))
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Class::Full(f) => f as usize,
            Class::Ru => 8,
            Class::FamilyOv => 9,
            Class::FamilyIn => 10,
            Class::Patronymic => 11,
            Class::RuAdj => 12,
        }
    }
}

/// Packs a short suffix into one integer: bytes in the low 15 bytes, the
/// length in the top byte. Suffix lookups are then one hash of a `u128`
/// and no byte comparison. Suffixes longer than 15 bytes do not exist in
/// the sets (checked when building).
#[inline]
fn pack(prefix: Option<u8>, rest: &[u8]) -> Option<u128> {
    let n = rest.len() + prefix.is_some() as usize;
    if n > 15 {
        return None;
    }
    let mut k: u128 = 0;
    let mut i = 0;
    if let Some(p) = prefix {
        k |= p as u128;
        i = 1;
    }
    for &b in rest {
        k |= (b as u128) << (8 * i);
        i += 1;
    }
    Some(k | ((n as u128) << 120))
}

/// One class's suffixes in both skeleton modes.
pub(crate) struct SuffixSet {
    loose: FxHashSet<u128>,
    vowel: FxHashSet<u128>,
    max_loose: usize,
    max_vowel: usize,
}

impl SuffixSet {
    fn new(words: &[String]) -> Self {
        let mut f = Folder::new();
        let mut loose = FxHashSet::default();
        let mut vowel = FxHashSet::default();
        let (mut max_loose, mut max_vowel) = (0, 0);
        for w in words {
            let v = f.fold(w, Mode::Vowel);
            let l = loose_of(&v);
            // Longer suffixes cannot be packed; none of the real ones is.
            if let (Some(pl), Some(pv)) = (pack(None, &l), pack(None, &v)) {
                max_loose = max_loose.max(l.len());
                max_vowel = max_vowel.max(v.len());
                loose.insert(pl);
                vowel.insert(pv);
            }
        }
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
    #[inline]
    pub(crate) fn accepts(&self, mode: Mode, last: Option<u8>, rest: &[u8]) -> bool {
        let (set, max) = match mode {
            Mode::Loose => (&self.loose, self.max_loose),
            Mode::Vowel => (&self.vowel, self.max_vowel),
        };
        if rest.len() > max {
            return false;
        }
        if pack(None, rest).is_some_and(|k| set.contains(&k)) {
            return true;
        }
        if rest.len() >= max {
            return false;
        }
        // "ng" folds to "n": after a stem ending in n, a suffix's initial g
        // is gone from the word's skeleton (Ерлан+ға → "erlana").
        if last == Some(b'n') && pack(Some(b'g'), rest).is_some_and(|k| set.contains(&k)) {
            return true;
        }
        // Doubled symbols collapse: a suffix that begins with the stem's
        // last symbol shows up without it (Ерлан+нан → "erlanan").
        // Only after a consonant: after a vowel, Kazakh suffixes start with a
        // consonant and Russian endings replace the vowel, so "Ира"+"ах"
        // collapsing to "Ирак" is not a form anyone writes.
        match last {
            Some(l)
                if rest.first() != Some(&l) && !matches!(l, b'a' | b'e' | b'o' | b'u' | b'i') =>
            {
                pack(Some(l), rest).is_some_and(|k| set.contains(&k))
            }
            _ => false,
        }
    }

    /// Number of distinct loose suffixes.
    pub(crate) fn len(&self) -> usize {
        self.loose.len()
    }
}

/// All suffix sets, built once per process.
pub(crate) struct Morph {
    sets: Vec<SuffixSet>,
    /// What may follow a registered stem in a scholarly Latin spelling
    /// (Kuznecova, Ibrajevoj, Baxytom): Russian endings, surname and
    /// patronymic formants with them, the English plural. Not Kazakh
    /// chains: Kazakh written in Latin uses its own letters (q, ğ, ñ).
    scholarly: SuffixSet,
    /// Russian adjective endings proper (-ий, -ая, -ие, -ого ...), after
    /// the -ск- of a place's adjective.
    adjective: SuffixSet,
}

impl Morph {
    /// The shared instance.
    pub(crate) fn get() -> &'static Morph {
        static M: OnceLock<Morph> = OnceLock::new();
        M.get_or_init(Morph::build)
    }

    /// Whether `rest` may follow a registered stem in a word spelled the
    /// scholarly way (see [`Morph::scholarly`]).
    pub(crate) fn scholarly_rest(&self, last: Option<u8>, rest: &[u8]) -> bool {
        self.scholarly.accepts(Mode::Loose, last, rest)
    }

    /// The suffix set of `class`.
    pub(crate) fn set(&self, class: Class) -> &SuffixSet {
        &self.sets[class.index()]
    }

    /// Whether `vrest`, what follows a stem ending in `last` in a word's
    /// vowel skeleton, is a derivational suffix ([`kk::DERIVATIONAL`])
    /// followed by nothing or by an inflection of the derived word
    /// (Азат|тық, Азат|тық|қа). A suffix that begins with the stem's last
    /// consonant shows up without it (Азат+тық → "azat" + "ik").
    pub(crate) fn derived(&self, last: Option<u8>, vrest: &[u8]) -> bool {
        kk::DERIVATIONAL.iter().any(|d| {
            let tail = match vrest.strip_prefix(*d) {
                Some(t) => Some(t),
                None => match (last, d.split_first()) {
                    (Some(l), Some((&d0, d1))) if d0 == l && vrest.first() != Some(&l) => {
                        vrest.strip_prefix(d1)
                    }
                    _ => None,
                },
            };
            tail.is_some_and(|t| {
                t.is_empty()
                    || self
                        .set(Class::full(d))
                        .accepts(Mode::Vowel, d.last().copied(), t)
            })
        })
    }

    /// Whether `vrest` makes a word derived from a place or organisation
    /// name that still names it: a Kazakh derivational suffix
    /// ([`Morph::derived`]: Көкқайнар-лық-тар) or a Russian adjective in
    /// -ск- (Көкқайнар-ский, Бесқайың-ская).
    pub(crate) fn derived_name_of_place(&self, last: Option<u8>, vrest: &[u8]) -> bool {
        // After a stem in -с the doubled с collapses (Жаңатас-ский).
        let adj = vrest.strip_prefix(b"sk").or_else(|| {
            (last == Some(b's'))
                .then(|| vrest.strip_prefix(b"k"))
                .flatten()
        });
        self.derived(last, vrest)
            || adj.is_some_and(|t| self.adjective.accepts(Mode::Vowel, Some(b'k'), t))
    }

    fn build() -> Morph {
        let own = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ru = own(ru::ENDINGS);
        let kk_of = |sounds: &[Sound]| {
            let mut v: Vec<String> = sounds.iter().flat_map(|s| kk::chains(*s)).collect();
            v.sort();
            v.dedup();
            v
        };
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

        let noun = own(ru::NOUN_ENDINGS);
        let mut sets: Vec<SuffixSet> = Vec::new();
        for f in Final::ALL {
            sets.push(SuffixSet::new(&union(&[&noun, &kk_of(f.sounds())])));
        }
        sets.push(SuffixSet::new(&noun));

        let kk_v = kk_of(&[Sound::Vowel]);
        let kk_t = kk_of(&[Sound::Voiceless, Sound::Sonorant]);
        let kk_n = kk_of(&[Sound::Nasal]);
        let kk_p3 = kk_of(&[Sound::Possessive3, Sound::Vowel]);
        let kk_pat = own(kk::PATRONYMIC);
        let a = vec!["а".to_string()];
        let ov = own(&["ов", "ев", "ёв"]);
        let in_ = own(&["ин", "ын"]);
        // English plural of a family name: "the Volkovs".
        let en = own(&["s"]);
        let family_ov = union(&[
            &cat(&ov, &union(&[&ru, &kk_t, &cat(&a, &kk_v), &en])),
            &cat(&kk_pat, &kk_p3),
        ]);
        sets.push(SuffixSet::new(&family_ov));
        let family_in = union(&[
            &cat(&in_, &union(&[&ru, &kk_n, &cat(&a, &kk_v), &en])),
            &cat(&kk_pat, &kk_p3),
        ]);
        sets.push(SuffixSet::new(&family_in));

        let patronymic = union(&[
            &cat(&own(ru::PATRONYMIC_M), &union(&[&noun, &kk_t])),
            &cat(&own(ru::PATRONYMIC_F), &noun),
            &cat(&own(&["овна", "евна", "ична"]), &kk_v),
            &cat(&kk_pat, &kk_p3),
        ]);
        sets.push(SuffixSet::new(&patronymic));
        sets.push(SuffixSet::new(&ru));
        let scholarly = SuffixSet::new(&union(&[
            &ru,
            &cat(&union(&[&ov, &in_]), &union(&[&ru, &en])),
            &cat(&own(ru::PATRONYMIC_M), &noun),
            &cat(&own(ru::PATRONYMIC_F), &noun),
            &en,
        ]));
        let adjective = SuffixSet::new(&own(&[
            "ий", "ый", "ой", "ая", "яя", "ое", "ее", "ие", "ые", "ого", "его", "ому", "ему", "ым",
            "им", "ыми", "ими", "ых", "их", "ую", "юю", "ом", "ем", "ою", "ею",
        ]));
        Morph {
            sets,
            scholarly,
            adjective,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skeleton::fold;

    fn accepts(class: Class, stem: &str, word: &str) -> bool {
        let m = Morph::get();
        let class = match class {
            Class::Full(_) => Class::full(&fold(stem, Mode::Vowel)),
            c => c,
        };
        let s = fold(stem, Mode::Loose);
        let w = fold(word, Mode::Loose);
        w.starts_with(&s)
            && m.set(class)
                .accepts(Mode::Loose, s.last().copied(), &w[s.len()..])
    }

    #[test]
    fn russian_declension_of_names() {
        for w in ["Ерлана", "Ерлану", "Ерланом", "Ерлане"] {
            assert!(accepts(Class::Full(Final::Other), "Ерлан", w), "{w}");
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
            assert!(accepts(Class::FamilyOv, "Сапар", w), "{w}");
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
            assert!(accepts(Class::Full(Final::Other), "Ерлан", w), "{w}");
        }
        for w in ["Айгерімнің", "Айгерімге", "Aigerımnıñ"] {
            assert!(accepts(Class::Full(Final::Other), "Айгерим", w), "{w}");
        }
        assert!(accepts(Class::FamilyOv, "Тлеуба", "Тілеубаевтың"));
        assert!(accepts(Class::FamilyOv, "Абдрахман", "Әбдірахманқызы"));
        assert!(accepts(Class::FamilyOv, "Абдрахман", "Äbdırahmanqyzy"));
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
    fn every_suffix_fits_the_packed_key() {
        // Suffixes past 15 bytes (a few five-morpheme Kazakh chains) are dropped.
        let m = Morph::get();
        for c in [
            Class::Ru,
            Class::FamilyOv,
            Class::Patronymic,
            Class::Full(Final::Other),
        ] {
            assert!(
                m.set(c).max_loose <= 15 && m.set(c).max_vowel <= 15,
                "{c:?}"
            );
        }
        assert!(accepts(Class::FamilyOv, "Тлеуба", "Тілеубаевтарының"));
    }

    #[test]
    fn a_final_u_is_a_glide_before_kazakh_suffixes() {
        for w in [
            "Нұрсұлудың",
            "Нұрсұлуды",
            "Нұрсұлуда",
            "Нұрсұлудан",
            "Нұрсұлуға",
            "Нұрсұлумен",
            "Нұрсұлуның",
            "Nūrsūludyñ",
        ] {
            assert!(accepts(Class::Full(Final::Other), "Нұрсұлу", w), "{w}");
        }
        assert_eq!(Final::of(&fold("Нұрсұлу", Mode::Vowel)), Final::Glide);
        assert_eq!(Final::of(&fold("Гүлжию", Mode::Vowel)), Final::Glide);
    }

    #[test]
    fn surname_formants_do_not_mix() {
        assert!(accepts(Class::FamilyOv, "Сапар", "Сапаровой"));
        assert!(!accepts(Class::FamilyOv, "Сапар", "Сапарин"));
        assert!(!accepts(Class::FamilyOv, "Сапар", "Сапарина"));
        assert!(accepts(Class::FamilyIn, "Мух", "Мухиным"));
        assert!(!accepts(Class::FamilyIn, "Мух", "Мухов"));
        // Both keep the Kazakh formants.
        assert!(accepts(Class::FamilyIn, "Мух", "Мұхұлы"));
        assert!(accepts(Class::FamilyOv, "Сапар", "Сапарұлы"));
    }

    #[test]
    fn derivational_suffixes_are_recognised_after_the_stem() {
        let m = Morph::get();
        let d = |stem: &str, word: &str| {
            let s = fold(stem, Mode::Vowel);
            let w = fold(word, Mode::Vowel);
            m.derived(s.last().copied(), &w[s.len()..])
        };
        assert!(d("Бостан", "Бостандық"));
        assert!(d("Бостан", "Бостандықтың"));
        assert!(d("Жомарт", "Жомарттық"));
        assert!(d("Жомарт", "Жомарттыққа"));
        assert!(d("Нұр", "Нұрлы"));
        assert!(d("Егін", "Егінші"));
        assert!(!d("Бостан", "Бостанға"));
        assert!(!d("Жомарт", "Жомартқа"));
        assert!(!d("Жомарт", "Жомарттың"));
    }

    #[test]
    fn non_endings_are_rejected() {
        assert!(!accepts(Class::Full(Final::Other), "Ким", "KIMEP"));
        assert!(!accepts(Class::Full(Final::Other), "Ерлан", "Ерланбек"));
        assert!(!accepts(Class::Ru, "Дин", "Динамит"));
        // Consonant allomorphs follow the stem: Ареке-ні, not Ареке-ті (Әрекет).
        assert!(!accepts(Class::Full(Final::Other), "Ареке", "Әрекет"));
        assert!(accepts(Class::Full(Final::Other), "Ареке", "Арекені"));
        assert!(!accepts(Class::Full(Final::Other), "Арман", "Армянская"));
    }
}
