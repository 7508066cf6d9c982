//! Diminutives and nicknames nobody registered.
//!
//! WHY two sources: Russian hypocoristics are largely lexical (Александр →
//! Саша/Шура, Екатерина → Катя) and need a dictionary, while the affectionate
//! forms built on top of them, and most Kazakh short forms, follow rules
//! (Надя → Наденька/Надюша, Дина → Динка/Диночка, Ерлан → Ерик/Ереке,
//! Арман → Арманжан, Айгерим → Айгера). Rules run on the vowel skeleton
//! (see [`crate::skeleton`]), so one rule produces the Cyrillic and every
//! Latin spelling at once (Наденька = Nadenka, Диночка = Dinochka).
//!
//! Over-generation is cheap here: a generated form only matters when a
//! capitalised word in the text has exactly that skeleton, and cities,
//! public figures and common words outrank nickname matches in the engine.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::skeleton::{loose_of, Folder, Mode, I};

/// Groups of equivalent given names: a full form first, then its usual short
/// and affectionate forms. General knowledge of Russian and Kazakh naming,
/// not fitted to any corpus. Russian names first ([`RU_GROUPS`]), then
/// Kazakh ones ([`KK_GROUPS`]).
const RU_GROUPS: &str = "
Александр Александра Саша Шура Саня Санёк Сашенька Сашуля Шурик Сашка
Алексей Лёша Алёша Лёха Алёшка Лёшенька
Анастасия Настя Настенька Настюша Стася
Аркадий Аркаша
Анатолий Толя Толик Толян
Андрей Андрюша Андрюха Андрейка
Анна Аня Анюта Анечка Нюра Нюша Анька
Антон Тоша Антоша
Валентин Валентина Валя Валюша
Валерий Валерия Валера Лера
Василий Василиса Вася Васька Василёк
Вера Верочка Веруня Веруша
Виктор Витя Витёк Витюша Витька
Виктория Вика Викуся
Виталий Виталик Виталя
Владимир Володя Вова Вовка Вовочка Вовчик
Владислав Влад Владик
Вячеслав Слава Славик
Вадим Вадик Вадимка
Галина Галя Галочка
Геннадий Гена Геночка
Георгий Гоша Жора Гера
Григорий Гриша
Дарья Даша Дашенька Дашка
Денис Дениска
Дмитрий Дима Митя Димка Димочка Димон
Эдуард Эдик
Евгений Евгения Женя Женечка Женька Жека
Екатерина Катя Катюша Катенька Катька
Елена Лена Леночка Алёна Ленка
Елизавета Лиза Лизочка Лизонька
Иван Ваня Ванечка Ванюша Ванька
Игорь Игорёк
Илья Илюша
Ирина Ира Ирочка Иришка
Константин Костя Костик Костян
Леонид Лёня Лёнчик
Ксения Ксюша
Лариса Лара Лора
Лидия Лида Лидочка
Людмила Люда Люся Мила Людочка
Любовь Люба Любочка Любаша
Максим Макс Максимка
Маргарита Рита Риточка
Марина Мариночка Мариша
Мария Маша Машенька Маня Маруся Машка
Михаил Миша Мишка Мишаня
Надежда Надя Надюша Наденька Надюха Надечка
Наталья Наталия Наташа Ната Наташенька
Николай Коля Колька Николаша Колян
Нина Ниночка
Ольга Оля Оленька Олечка
Павел Паша Павлик
Пётр Петя Петенька Петруша
Роман Рома Ромка
Светлана Света Светочка Светик
Сергей Серёжа Серёга Серёжка
Софья София Соня Сонечка
Станислав Стас Стасик
Тамара Тома
Татьяна Таня Танюша Танечка
Тимофей Тимоша
Юлия Юля Юленька
Юрий Юра Юрочка
Ярослав Ярослава Яся
Яков Яша
";

/// Kazakh (and other Central Asian) names and their short forms.
const KK_GROUPS: &str = "
Нұрсұлтан Нурсултан Нұреке Нурик
Бауыржан Бауке Баур
Бақытжан Бакытжан Бахытжан Бақыт Баха Бака
Нұрлан Нурлан Нурик Нуреке
Асель Әсел Ася Аселька
Айгүл Айгуль Гуля Айгулька
Гүлнар Гульнар Гульнара Гуля
Гүлмира Гульмира Гуля
Айгерім Айгерим Әйгерім Айка Гера Айгеруша
Ерлан Ерик Ереке
Ержан Ержик
Данияр Даник Даня
Мадина Мади Мадишка
Динара Дина Диночка
Әлия Алия Аля
Мұхтар Мухтар Муха
Тимур Тима
Ақмарал Акмарал Марал
Азамат Азик
Мақсат Максат Макс
Талғат Талгат Талик
Руслан Русик
Қайрат Кайрат Кайра
Ерболат Ербол Ереке
Нұрболат Нурболат Нұрбол Нурбол
Дәурен Даурен Даука
Асқар Аскар Аскарчик
Әсем Асем Асемка
Қуаныш Куаныш Куаша
Сәуле Сауле Саулешка
Жанна Жаннка Жанночка
Ғалымжан Галымжан Ғалым Галым
Сұлтан Султан Сула
Абылай Абылайхан Абылайжан
";

/// Short-form and affectionate formants, in vowel-skeleton spelling, added
/// to the first closed syllable (Над-юша, Ер-ик, Дин-очка, Ер-еке).
const AFTER_P1: &[&str] = &[
    "ik", "ka", "ocka", "ecka", "enka", "onka", "uxa", "iuxa", "ula", "iula", "usa", "iusa",
    "uxka", "iuxka", "eke", "ke",
];
/// Formants added to the first two syllables (Айгер-а).
const AFTER_P2: &[&str] = &["a", "ka", "ik", "ocka", "ecka", "uxa", "iuxa", "ia"];
/// Formants added to the stem without its final vowel (Дин-ка, Арман-чик).
const AFTER_STEM: &[&str] = &[
    "ka", "ik", "cik", "ocka", "ecka", "enka", "onka", "uxka", "iuxka", "uxa", "iuxa", "ok", "ek",
    "ulia", "usia",
];
/// Formants added to the full name (Арман-жан, Айгерим-ка).
const AFTER_FULL: &[&str] = &["jan", "jon", "cik", "ka"];
/// Second elements of Kazakh compound names (Бақыт-жан, Нұр-бек) whose
/// removal leaves a usable short form.
const COMPOUND_TAILS: &[&str] = &["jan", "bek", "bai", "gul", "kan", "bol"];
/// First elements of Kazakh compound names that are short forms by
/// themselves (Гүл-мира, Гүл-нар → Гүл; Нұр-лан, Нұр-сұлтан → Нұр).
const COMPOUND_HEADS: &[&str] = &["gul", "nur"];

struct Dict {
    groups: Vec<Vec<Vec<u8>>>,
    /// How many of the groups (the first ones) are Russian names.
    russian: usize,
    /// vowel skeleton -> (group index, is head)
    index: HashMap<Vec<u8>, Vec<(usize, bool)>>,
}

fn dict() -> &'static Dict {
    static D: OnceLock<Dict> = OnceLock::new();
    D.get_or_init(|| {
        let mut f = Folder::new();
        let mut groups = Vec::new();
        let mut index: HashMap<Vec<u8>, Vec<(usize, bool)>> = HashMap::new();
        let mut russian = 0;
        for (k, line) in RU_GROUPS.lines().chain(KK_GROUPS.lines()).enumerate() {
            if k == RU_GROUPS.lines().count() {
                russian = groups.len();
            }
            let names: Vec<&str> = line.split_whitespace().collect();
            if names.is_empty() {
                continue;
            }
            let gi = groups.len();
            let mut g: Vec<Vec<u8>> = Vec::new();
            for (k, n) in names.iter().enumerate() {
                let v = f.fold(n, Mode::Vowel);
                // Heads: the full forms, i.e. the first member and those
                // spelled like it (Нұрсұлтан/Нурсултан) or built on it
                // (Александр/Александра, Евгений/Евгения).
                let head = k == 0 || {
                    let (a, b) = (loose_of(&v), loose_of(&g[0]));
                    a.len() >= 4 && b.len() >= 4 && (a.starts_with(&b) || b.starts_with(&a))
                };
                index.entry(v.clone()).or_default().push((gi, head));
                if !g.contains(&v) {
                    g.push(v);
                }
            }
            groups.push(g);
        }
        Dict {
            groups,
            russian,
            index,
        }
    })
}

/// Dictionary equivalents of a given name (vowel skeleton), excluding the
/// name itself. A name that heads a group brings the whole group; a name that
/// is only a short form (Саша, Гера) brings its groups' members only when it
/// belongs to at most two groups, so that an ambiguous short form does not
/// drag in unrelated full names.
///
/// The flag tells whether the name headed a group (a full form): callers use
/// it to ignore a short form's groups when the same person's full name
/// already found its own (Гера beside Айгерим must not bring in Георгий).
pub(crate) fn dictionary(name_v: &[u8]) -> (Vec<Vec<u8>>, bool) {
    let d = dict();
    let Some(hits) = d.index.get(name_v) else {
        return (Vec::new(), false);
    };
    let heads: Vec<usize> = hits.iter().filter(|(_, h)| *h).map(|(g, _)| *g).collect();
    let is_head = !heads.is_empty();
    let chosen: Vec<usize> = if is_head {
        heads
    } else if hits.len() <= 2 {
        hits.iter().map(|(g, _)| *g).collect()
    } else {
        Vec::new()
    };
    let mut out: Vec<Vec<u8>> = Vec::new();
    for g in chosen {
        for m in &d.groups[g] {
            if m.as_slice() != name_v && !out.contains(m) {
                out.push(m.clone());
            }
        }
    }
    (out, is_head)
}

/// Whether a name (vowel skeleton) belongs to a group of Russian names:
/// Kazakh pet forms are not made from those (Татьяна is not Тәке).
pub(crate) fn is_russian(name_v: &[u8]) -> bool {
    let d = dict();
    d.index
        .get(name_v)
        .is_some_and(|hits| hits.iter().any(|&(g, _)| g < d.russian))
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'o' | b'u' | I)
}

/// Scans one syllable starting at `from`: onset consonants, a nucleus, and
/// the first coda consonant. Returns the index just past that consonant.
/// A glide right after a vowel closes the syllable like a consonant: `i`
/// (the й of Айгерим) and `u` after a, e, o (the Kazakh у /w/ of Сәуле,
/// Дәурен, Бауыржан: Сәу-ке, Бау-ке).
fn closed_syllable(v: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < v.len() && !is_vowel(v[i]) {
        i += 1;
    }
    if i >= v.len() {
        return None;
    }
    let mut j = i + 1;
    while j < v.len()
        && is_vowel(v[j])
        && v[j] != I
        && !(v[j] == b'u' && matches!(v[j - 1], b'a' | b'e' | b'o'))
    {
        j += 1;
    }
    if j >= v.len() {
        return None;
    }
    Some(j + 1)
}

/// The stem a Russian ending attaches to: the name without its final vowel
/// (and a glide before it: Над-я, Мар-ия).
pub(crate) fn ru_stem(v: &[u8]) -> &[u8] {
    let mut end = v.len();
    if end > 0 && matches!(v[end - 1], b'a' | b'e' | b'o' | b'u') {
        end -= 1;
    }
    while end > 0 && v[end - 1] == I {
        end -= 1;
    }
    if loose_of(&v[..end]).len() < 2 {
        return v;
    }
    &v[..end]
}

/// The Russian stem of a short name in -а/-я whose stem is one consonant
/// after a vowel (Из-а, Ис-а, Ад-а, Ев-а), which [`ru_stem`] leaves whole so
/// that built-in given names do not turn into every two-letter syllable.
/// A registered name declines like any noun in -а (Изы, Изе, Изу, Изой;
/// Ису, Исой), so its stem is wanted; the matcher checks a stem this short
/// with its vowels (the vowel skeleton), never loosely.
pub(crate) fn short_ru_stem(v: &[u8]) -> Option<&[u8]> {
    if ru_stem(v).len() != v.len() || v.len() != 3 {
        return None;
    }
    let stem = &v[..2];
    (is_vowel(stem[0]) && !is_vowel(stem[1]) && matches!(v[2], b'a')).then_some(stem)
}

/// The Kazakh spelling of a name written the Russian way, when it differs:
/// я and ю after a consonant are the front vowels ә and ү (Ляззат →
/// Ләззат, Гюльмира → Гүльмира). Pet forms are made from it (Ләке,
/// Ләззатжан).
pub(crate) fn kazakh_spelling(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut prev_consonant = false;
    let mut changed = false;
    for (i, c) in name.char_indices() {
        let lc = c.to_lowercase().next().unwrap_or(c);
        let last = i + c.len_utf8() == name.len();
        let front = match lc {
            'я' if prev_consonant => Some('ә'),
            'ю' if prev_consonant => Some('ү'),
            _ => None,
        };
        // Not a final я: that is a Russian name (Таня, Надя).
        let front = front.filter(|_| !last);
        match front {
            Some(f) => {
                changed = true;
                if c.is_uppercase() {
                    out.extend(f.to_uppercase());
                } else {
                    out.push(f);
                }
            }
            None => out.push(c),
        }
        prev_consonant = ('\u{0400}'..='\u{04FF}').contains(&lc)
            && lc.is_alphabetic()
            && !"аеёиоуыэюяәіөұүьъй".contains(lc);
    }
    changed.then_some(out)
}

/// Rule-generated short and affectionate forms of a given name (vowel
/// skeleton in, vowel skeletons out; the name itself excluded).
pub(crate) fn rules(v: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut add = |base: &[u8], tail: &str| {
        let mut w = base.to_vec();
        w.extend_from_slice(tail.as_bytes());
        // Collapse runs so that the result is a proper skeleton.
        w.dedup();
        if w.as_slice() != v && loose_of(&w).len() >= 3 && !out.contains(&w) {
            out.push(w);
        }
    };
    let stem = ru_stem(v);
    if let Some(e1) = closed_syllable(v, 0) {
        let p1 = &v[..e1];
        if loose_of(p1).len() >= 2 {
            for t in AFTER_P1 {
                add(p1, t);
            }
        }
        // Russian-style short forms of vowel-final names: Зарина → Зара,
        // Галина → Галя, Полина → Поля (consonant-final Kazakh names do not
        // shorten this way: Жанар is not Жаңа).
        if loose_of(p1).len() >= 3 && v.last() == Some(&b'a') && p1.len() + 2 < v.len() {
            add(p1, "a");
            add(p1, "ia");
        }
        // Kazakh pet forms of a name whose first syllable is open: the
        // onset and the vowel, then -ке (Лә-ззат → Ләке, Дә-урен → Дәке,
        // Бә-қыт → Бәке, Тө-леген → Төке).
        if v.len() >= 4
            && !is_russian(v)
            && !is_vowel(v[0])
            && matches!(v[1], b'a' | b'o')
            && (!is_vowel(v[2]) || v[2] == b'u' || v[2] == I)
        {
            add(&v[..2], "ke");
        }
        // Kazakh pet forms in -ш on a truncated stem: the first closed
        // syllable, then a harmonic vowel and ш (Үм-іт → Үміш, Ақ-марал →
        // Ақаш, Мақ-пал → Мақаш, Кәм-шат → Кәмеш). In the skeleton ш is
        // `x`, ы/і the i-class, ә/а `a`.
        if !is_russian(v) && loose_of(p1).len() >= 2 && p1.len() < v.len() {
            for tail in ["ax", "ex", "ix"] {
                add(p1, tail);
            }
        }
        // Kazakh respectful forms also keep the next consonant of a
        // cluster: Ерлан → Ерлеке, Серік → Сереке is already P1.
        if e1 < v.len() && !is_vowel(v[e1]) {
            add(&v[..=e1], "eke");
        }
        if let Some(e2) = closed_syllable(v, e1) {
            let p2 = &v[..e2];
            if e2 + 1 < v.len() && p2 != stem {
                for t in AFTER_P2 {
                    add(p2, t);
                }
            }
        }
    }
    for t in AFTER_STEM {
        add(stem, t);
    }
    for t in AFTER_FULL {
        add(v, t);
    }
    for head in COMPOUND_HEADS {
        if v.starts_with(head.as_bytes()) && loose_of(&v[head.len()..]).len() >= 2 {
            add(head.as_bytes(), "");
        }
    }
    for tail in COMPOUND_TAILS {
        if let Some(base) = v.strip_suffix(tail.as_bytes()) {
            if loose_of(base).len() >= 3 {
                add(base, "");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skeleton::fold;

    fn has(forms: &[Vec<u8>], word: &str) -> bool {
        let w = fold(word, Mode::Vowel);
        forms.contains(&w)
    }

    #[test]
    fn rule_diminutives() {
        let r = rules(&fold("Надя", Mode::Vowel));
        for w in ["Наденька", "Надюша", "Nadenka", "Nadyusha"] {
            assert!(has(&r, w), "{w}");
        }
        let r = rules(&fold("Дина", Mode::Vowel));
        for w in ["Динка", "Диночка", "Dinka", "Dinochka"] {
            assert!(has(&r, w), "{w}");
        }
        assert!(has(&rules(&fold("Ерлан", Mode::Vowel)), "Ерик"));
        assert!(has(&rules(&fold("Ерлан", Mode::Vowel)), "Ереке"));
        assert!(has(&rules(&fold("Ерлан", Mode::Vowel)), "Ерлеке"));
        assert!(has(&rules(&fold("Арман", Mode::Vowel)), "Арманжан"));
        assert!(has(&rules(&fold("Айгерим", Mode::Vowel)), "Aigera"));
        assert!(has(&rules(&fold("Гера", Mode::Vowel)), "Герочка"));
        assert!(has(&rules(&fold("Бақытжан", Mode::Vowel)), "Бақыт"));
        assert!(has(&rules(&fold("Гүлнар", Mode::Vowel)), "Гүл"));
        assert!(has(&rules(&fold("Нұрлан", Mode::Vowel)), "Нұр"));
        assert!(has(&rules(&fold("Зарина", Mode::Vowel)), "Зара"));
        assert!(has(&rules(&fold("Галина", Mode::Vowel)), "Галя"));
        assert!(!has(&rules(&fold("Жанар", Mode::Vowel)), "Жана"));
        // A glide closes the first syllable: Дәу-ке, Тәу-ке, Бау-ке.
        assert!(has(&rules(&fold("Дәурен", Mode::Vowel)), "Дәуке"));
        assert!(has(&rules(&fold("Тәуекел", Mode::Vowel)), "Tauke"));
        assert!(has(&rules(&fold("Бауыржан", Mode::Vowel)), "Бауке"));
        // An open first syllable and -ке.
        assert!(has(&rules(&fold("Ләззат", Mode::Vowel)), "Ләке"));
        assert!(has(&rules(&fold("Дәурен", Mode::Vowel)), "Däke"));
        assert!(has(&rules(&fold("Бақыт", Mode::Vowel)), "Бәке"));
        assert!(!has(&rules(&fold("Ерлан", Mode::Vowel)), "Еке"));
        assert!(!has(&rules(&fold("Әлия", Mode::Vowel)), "Әке"));
        // Pet forms in -ш on the first closed syllable.
        assert!(has(&rules(&fold("Үміт", Mode::Vowel)), "Үміш"));
        assert!(has(&rules(&fold("Ақмарал", Mode::Vowel)), "Ақаш"));
        assert!(has(&rules(&fold("Мақпал", Mode::Vowel)), "Мақаш"));
        assert!(has(&rules(&fold("Кәмшат", Mode::Vowel)), "Кәмеш"));
        assert!(has(&rules(&fold("Үміт", Mode::Vowel)), "Umış"));
        assert!(!has(&rules(&fold("Наталья", Mode::Vowel)), "Наташ"));
        // Not from Russian names: Татьяна is not "Take".
        assert!(!has(&rules(&fold("Татьяна", Mode::Vowel)), "Take"));
        // Short vowel-initial names take -ик on their first syllable.
        assert!(has(&rules(&fold("Асет", Mode::Vowel)), "Асик"));
        assert!(has(&rules(&fold("Алмас", Mode::Vowel)), "Алик"));
    }

    #[test]
    fn dictionary_pairs() {
        let (d, head) = dictionary(&fold("Александра", Mode::Vowel));
        assert!(head && has(&d, "Саша") && has(&d, "Шура"));
        let (d, _) = dictionary(&fold("Надежда", Mode::Vowel));
        assert!(has(&d, "Надя") && has(&d, "Надюша"));
        // An ambiguous short form in many groups brings nothing.
        assert!(dictionary(&fold("Гуля", Mode::Vowel)).0.is_empty());
        let (d, head) = dictionary(&fold("Гера", Mode::Vowel));
        assert!(!head && has(&d, "Айгерим"));
    }

    #[test]
    fn kazakh_spelling_of_russian_front_vowels() {
        assert_eq!(kazakh_spelling("Ляззат").as_deref(), Some("Ләззат"));
        assert_eq!(kazakh_spelling("Гюльнара").as_deref(), Some("Гүльнара"));
        assert_eq!(kazakh_spelling("Мария"), None);
        assert_eq!(kazakh_spelling("Яна"), None);
        assert_eq!(kazakh_spelling("Таня"), None);
        assert_eq!(kazakh_spelling("Erlan"), None);
    }

    #[test]
    fn syllables() {
        let v = fold("Айгерим", Mode::Vowel);
        assert_eq!(closed_syllable(&v, 0), Some(2));
        assert_eq!(&v[..closed_syllable(&v, 2).unwrap()], b"aiger");
        assert_eq!(ru_stem(&fold("Надя", Mode::Vowel)), b"nad");
        assert_eq!(ru_stem(&fold("Ерлан", Mode::Vowel)), b"erlan");
        assert_eq!(short_ru_stem(&fold("Иза", Mode::Vowel)), Some(&b"iz"[..]));
        assert_eq!(short_ru_stem(&fold("Иса", Mode::Vowel)), Some(&b"is"[..]));
        assert_eq!(short_ru_stem(&fold("Дина", Mode::Vowel)), None);
        assert_eq!(short_ru_stem(&fold("Ия", Mode::Vowel)), None);
    }
}
