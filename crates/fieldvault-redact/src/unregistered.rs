//! Likely names of people nobody registered: a colleague, a police officer,
//! a lawyer mentioned in passing.
//!
//! WHY these rules: third parties in an activist's story are often as
//! exposed as the activist, and the researcher cannot register everyone.
//! The signals, strongest first:
//!
//! * a common given name (built-in list, with inflection and all spellings):
//!   "Марат", "Людмилой", "Gülnar"; a given name that is also an ordinary word
//!   (Вера, Арман, Бақыт) only when it is not the first word of a sentence;
//! * a surname- or patronymic-shaped word (-ов/-ева/-ович/-овна/-ұлы)
//!   next to a given name, after initials, or after a title ("капитан
//!   Нуржанов", "Captain Nurzhanov");
//! * any capitalised word after a title or before a Kazakh honorific
//!   ("Болат ағай", "Bolat-ağai"); a surname-shaped one after a title set
//!   off by a comma ("Директор, Бондаренко, сказал");
//! * a surname ending no ordinary word has (-енко), alone;
//! * a capitalised word inside a sentence right before an -ов/-ев/-ин
//!   surname ("Асхат Нургалиев"): the given name the list lacks;
//! * a word before Kazakh "есімді" or "деген кісі", after "a man called",
//!   "по фамилии", "некий" ("Төлегенов деген кісі").
//!
//! A word proven a name by its context (next to a given name, a surname
//! after a title, before an honorific or a naming word) is a name in its
//! other forms elsewhere in the text too, sentence starts included
//! ("капитан Жакупов ... Жакупов был смущён", "Асхату дали десять
//! суток"). A given name's case form at a sentence start counts only when
//! the name stands inside a sentence elsewhere (Миша ... "Мишке говорю"):
//! many case forms are other words (Ширина, Любая). A given name before a
//! Western name particle (Жанна д'Арк, Леонардо да Винчи) is a foreign
//! figure's, and a case form followed by a possessive pronoun at a
//! sentence start ("Жене моей") is a kinship noun.
//!
//! A given name that is also an ordinary word is that word at a sentence
//! start only in its own script (Дәулет "wealth", but "Daulet runs my
//! email"), and a surname built on a given name (Есенин on Есен, Маратов on
//! Марат) is not that given name: it counts only in the contexts above.
//!
//! Cities, public figures and allow-listed words outrank these candidates in
//! the engine, and words next to a public figure's surname are left alone
//! (they are that figure's given name or patronymic).

use crate::engine::{initials_before, Act, Cand, Hit};
use crate::lexicon::{flags, prio, Lexicon};
use crate::morph::{Class, Final, Morph};
use crate::skeleton::{Folder, Mode};
use crate::tokenize::{Caps, Lowered, Word};
use rustc_hash::FxHashMap;

const SURNAME_CORES: &[&str] = &[
    "ов", "ев", "ёв", "ин", "ын", "ск", "цк", "ov", "ev", "in", "yn", "sk",
];
/// The surname formants that make a pair with an unknown word before them
/// ("Асхат Нургалиев"); not the adjectival -ск- of "Народная
/// Демократическая".
const PAIR_SURNAME_CORES: &[&str] = &["ов", "ев", "ёв", "ин", "ын"];
/// The same in Latin, at the very end of the word: English has many words
/// in -ine, -ini (Engine, Pizzini), none in -ov.
const PAIR_SURNAME_LATIN: &[&str] = &[
    "ov", "ev", "ova", "eva", "in", "ina", "yn", "yna", "ovs", "evs",
];
/// Russian adjective endings: "Южные Сандвичевы острова" is no name pair;
/// nor is a possessive in -ов/-ев before a noun ("Маршалловы Острова"),
/// though a Kazakh given name may end in -ын/-ин (Ерсайын).
const ADJECTIVE_ENDINGS: &[&str] = &[
    "ая", "яя", "ое", "ее", "ые", "ие", "ый", "ой", "ого", "его", "ому", "ему", "ых", "их", "ым",
];

/// Whether a (lower-case) word is a case form of a listed common word
/// ([`crate::gazetteer::COMMON_CAPS`], nominative): "Университета",
/// "Госдумы", "Совете" are forms of Университет, Госдума, Совет. The list
/// holds each word once; its paradigm is derived here (a noun or adjective
/// ending removed, and the nominative -а/-я/-ь/-о/-е or an adjective's
/// -ый/-ий/-ая put back), so a listed word protects every form of itself.
pub(crate) fn common_word_form(lex: &Lexicon, lower: &str) -> bool {
    if lex.common_caps.contains(lower) {
        return true;
    }
    if !lower
        .chars()
        .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
    {
        return false;
    }
    let mut key = String::with_capacity(lower.len() + 4);
    for &ending in crate::morph::ru::ENDINGS {
        let Some(stem) = lower.strip_suffix(ending) else {
            continue;
        };
        if ending.is_empty() || stem.chars().count() < 3 {
            continue;
        }
        for nominative in ["", "а", "я", "ь", "о", "е", "ый", "ий", "ой", "ая", "ое"]
        {
            key.clear();
            key.push_str(stem);
            key.push_str(nominative);
            if lex.common_caps.contains(key.as_str()) {
                return true;
            }
        }
    }
    false
}

/// Whether a capitalised word right after a title reads as something the
/// title governs, not as the name in apposition to it. A name beside a
/// title agrees with it in case ("директор Иванов", "директора Иванова");
/// an oblique adjective (-ого, -ому, -ых, -ым, -ую: "директор Российского
/// института", "сказал Русской службе") or a feminine genitive in -ы
/// ("депутат Госдумы", "спикер Рады") is the start of an institution's name
/// in the genitive or dative, which no given name or surname in agreement
/// with the title ends in. Not -ых/-их: those are surnames (Седых, Долгих).
fn governed_by_title(lower: &str) -> bool {
    if !lower
        .chars()
        .all(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
        || lower.chars().count() < 4
    {
        return false;
    }
    const OBLIQUE_ADJECTIVE: &[&str] = &["ого", "его", "ому", "ему", "ими", "ыми", "ую", "юю"];
    OBLIQUE_ADJECTIVE.iter().any(|e| lower.ends_with(e)) || lower.ends_with('ы')
}

/// Whether a (lower-case) word is an -ов/-ев/-ин surname in some form.
fn pair_surname(l: &str) -> bool {
    if l.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        return ends_with_core(l, PAIR_SURNAME_CORES, 3, 3);
    }
    let l = l.strip_suffix("'s").unwrap_or(l);
    PAIR_SURNAME_LATIN.iter().any(|e| {
        l.strip_suffix(e)
            .is_some_and(|stem| stem.chars().count() >= 3 && stem.chars().all(char::is_alphabetic))
    })
}
const SURNAME_WHOLE: &[&str] = &[
    "енко",
    "енка",
    "ук",
    "юк",
    "ян",
    "янц",
    "ұлы",
    "қызы",
    "улы",
    "кызы",
    "enko",
    "ко",
    "ko",
    "uk",
    "yuk",
    "yan",
    "uly",
    "ūly",
    "ulı",
    "kyzy",
    "qyzy",
    "shvili",
    "швили",
    "дзе",
    "dze",
];
const PATRONYMIC_CORES: &[&str] = &[
    "ович", "евич", "овн", "евн", "ичн", "ovich", "evich", "ovn", "evn", "ichn",
];
const ENDING_CHARS: &str = "ауеыоймхиюяaueyoimhj";

fn ends_with_core(lower: &str, cores: &[&str], max_ending: usize, min_stem: usize) -> bool {
    // Try endings of 0..=max_ending characters (all from ENDING_CHARS);
    // the rest must end with a core and keep `min_stem` characters before it.
    let mut cut = lower.len();
    for k in 0..=max_ending {
        let head = &lower[..cut];
        for c in cores {
            if let Some(stem) = head.strip_suffix(c) {
                if min_stem == 0 || stem.chars().nth(min_stem - 1).is_some() {
                    return true;
                }
            }
        }
        if k == max_ending {
            break;
        }
        match head.chars().next_back() {
            Some(ch) if ENDING_CHARS.contains(ch) => cut -= ch.len_utf8(),
            _ => break,
        }
    }
    false
}

/// Whether a word has the shape of a surname.
pub(crate) fn surname_shape(lower: &str) -> bool {
    ends_with_core(lower, SURNAME_CORES, 3, 3)
        || SURNAME_WHOLE
            .iter()
            .any(|s| lower.ends_with(s) && lower.chars().count() >= s.chars().count() + 3)
}

/// Surname endings distinctive enough to flag a capitalised word alone,
/// without a given name or a title beside it (Бондаренко, Bondarenko):
/// no Russian, Kazakh or English word ends so.
const DISTINCT_SURNAME: &[&str] = &["енко", "enko"];

/// Whether a word is a surname by its ending alone.
pub(crate) fn distinct_surname_shape(lower: &str) -> bool {
    DISTINCT_SURNAME.iter().any(|s| {
        lower
            .strip_suffix(s)
            .is_some_and(|stem| stem.chars().count() >= 3 && stem.chars().all(char::is_alphabetic))
    })
}

/// Latin spellings of given names that are also English words: at the
/// start of an English sentence they are that word. (A Kazakh or Russian
/// homograph, Дәулет "wealth", Вера "faith", is a word only in its own
/// script: "Daulet runs my email" is a name.)
const ENGLISH_HOMOGRAPHS: &[&str] = &["roman", "islam", "alma", "victoria", "mira", "dana"];

/// Whether a word has the shape of a patronymic.
pub(crate) fn patronymic_shape(lower: &str) -> bool {
    ends_with_core(lower, PATRONYMIC_CORES, 3, 2)
}

/// Elements Kazakh given names end with.
const NAME_ELEMENTS: &[&str] = &[
    "жан",
    "бек",
    "гүл",
    "гуль",
    "сұлу",
    "сулу",
    "нұр",
    "нур",
    "болат",
    "бол",
    "гүлім",
    "zhan",
    "bek",
    "sulu",
];

/// Whether a (lower-case) word is built like a Kazakh compound given name:
/// a name element after at least two letters, nothing after it.
pub(crate) fn name_shape(lower: &str) -> bool {
    NAME_ELEMENTS.iter().any(|e| {
        lower
            .strip_suffix(e)
            .is_some_and(|stem| stem.chars().count() >= 2 && stem.chars().all(char::is_alphabetic))
    })
}

/// Particles of Western family names (Жанна д'Арк, Леонардо да Винчи,
/// Ludwig van Beethoven): a given name before one belongs to a foreign,
/// usually historical, figure, not to a private person.
const NAME_PARTICLES: &[&str] = &[
    "де", "да", "ди", "дю", "ван", "фон", "дер", "дель", "ибн", "de", "da", "di", "du", "van",
    "von", "der", "del", "della", "ibn",
];

/// Whether word `k` is a name particle with a capitalised word after it, or
/// an elided one (д'Арк, d'Artagnan, O'Neil is not: the particle is
/// lower-case).
fn particle_name(text: &str, words: &[Word], lower: &str, k: usize) -> bool {
    let w = &words[k];
    let t = &text[w.start..w.end];
    let mut it = t.chars();
    if let (Some(p), Some(a), Some(c)) = (it.next(), it.next(), it.next()) {
        if matches!(p, 'д' | 'd' | 'л' | 'l')
            && crate::tokenize::is_apostrophe(a)
            && c.is_uppercase()
        {
            return true;
        }
    }
    NAME_PARTICLES.contains(&lower)
        && words.get(k + 1).is_some_and(|n| {
            n.caps.capitalised() && matches!(gap(text, w.end, n.start), " " | "\u{a0}")
        })
}

/// Words that introduce a name after them: "по фамилии Ким", "некий
/// Сапаров", "a man called Tölegenov".
const NAMING_BEFORE: &[&str] = &["некий", "некая", "некто", "некоего", "некоему", "некоей"];
/// Russian "по имени / по фамилии" (after "по").
const NAMING_BY: &[&str] = &["имени", "фамилии", "прозвищу"];
/// English "called / named" after a word for a person.
const NAMING_VERB_EN: &[&str] = &["called", "named"];
const PERSON_NOUNS_EN: &[&str] = &[
    "man",
    "woman",
    "guy",
    "person",
    "someone",
    "somebody",
    "officer",
    "boy",
    "girl",
    "lady",
    "fellow",
    "friend",
    "colleague",
    "official",
    "lawyer",
    "journalist",
    "student",
    "teacher",
    "doctor",
    "policeman",
    "investigator",
    "activist",
    "neighbour",
    "neighbor",
    "driver",
    "worker",
    "clerk",
    "judge",
    "chap",
];
/// Kazakh "named" after a name: "Асқар есімді жігіт".
const NAMING_AFTER: &[&str] = &["есімді", "есімдi"];
/// Kazakh "called" after a name, naming a person only when a word for a
/// person follows ("Төлегенов деген кісі", but "Арман деген сөз" is the
/// word арман).
const CALLED_AFTER: &[&str] = &["деген", "дейтін", "атты"];
/// Kazakh words for a person (stems; case suffixes may follow).
const PERSON_NOUNS_KK: &[&str] = &[
    "кісі",
    "адам",
    "жігіт",
    "әйел",
    "қыз",
    "бала",
    "азамат",
    "шал",
    "кемпір",
    "ағай",
    "апай",
    "аға",
    "апа",
    "мұғалім",
    "дәрігер",
    "фельдшер",
    "полицей",
    "тергеуші",
    "журналист",
    "блогер",
    "заңгер",
    "адвокат",
    "қызметкер",
    "кәсіпкер",
    "студент",
    "шенеунік",
    "бастық",
    "әкім",
    "депутат",
    "белсенді",
    "көрші",
    "дос",
    "құрбы",
    "жолдас",
    "бухгалтер",
    "жүргізуші",
    "әріптес",
    "жиен",
    "немере",
    "күйеу",
    "келін",
    "бастығ",
    "офицер",
    "капитан",
    "майор",
    "маман",
];

/// Russian possessive pronouns (oblique forms) written after a noun: "Жене
/// моей" is "to my wife", a kinship noun, not a name.
const POSTPOSED_POSSESSIVES: &[&str] = &[
    "моей",
    "моему",
    "моего",
    "моим",
    "моих",
    "мою",
    "твоей",
    "твоему",
    "твоего",
    "твоим",
    "твою",
    "нашей",
    "нашему",
    "нашего",
    "нашим",
    "нашу",
    "вашей",
    "вашему",
    "вашего",
    "вашим",
    "вашу",
    "своей",
    "своему",
    "своего",
    "своим",
    "свою",
];

/// Whether the word after `w` is a possessive pronoun in an oblique case,
/// separated by one space.
pub(crate) fn possessive_after(text: &str, words: &[Word], i: usize) -> bool {
    words.get(i + 1).is_some_and(|n| {
        matches!(gap(text, words[i].end, n.start), " " | "\u{a0}")
            && n.end - n.start <= 14
            && POSTPOSED_POSSESSIVES
                .contains(&crate::fastcase::lower(&text[n.start..n.end]).as_str())
    })
}

fn gap(text: &str, a: usize, b: usize) -> &str {
    text.get(a..b).unwrap_or("\n")
}

/// Adds an [`Act::Unregistered`] candidate for every likely private name.
pub(crate) fn detect(
    lex: &Lexicon,
    text: &str,
    words: &[Word],
    lowered: &Lowered,
    hits: &[Hit],
    out: &mut Vec<Cand>,
) {
    let n = words.len();
    let mut given = vec![false; n];
    let mut given_bare = vec![false; n];
    let mut homograph_form = vec![false; n];
    let mut plain_given = vec![false; n];
    let mut figure = vec![false; n];
    let mut registered = vec![false; n];
    for h in hits {
        let fl = lex.flags_of(&h.form);
        if fl & flags::GIVEN != 0 && h.first == h.last && !h.stop && !h.surname {
            given[h.first] = true;
            given_bare[h.first] |= h.bare;
            homograph_form[h.first] |= fl & flags::HOMOGRAPH != 0;
            plain_given[h.first] |= fl & flags::HOMOGRAPH == 0;
        }
        if fl & flags::FIGURE != 0 {
            figure[h.first] = true;
            figure[h.last] = true;
        }
        if fl & flags::REGISTERED != 0 {
            registered[h.first] = true;
        }
    }
    // A word is a homograph's form only when no other given name reads it
    // (Виктор is a form of Виктория's stem, and a name of its own).
    for (h, p) in homograph_form.iter_mut().zip(&plain_given) {
        *h &= !*p;
    }
    let mut folder = Folder::new();
    let lower = |k: usize| lowered.get(text, words, k);
    let adjacent = |a: usize, b: usize| -> bool {
        matches!(gap(text, words[a].end, words[b].start), " " | "\u{a0}")
    };
    let plain = |k: usize| -> bool {
        let l = lower(k);
        !(lex.stop.contains(l)
            || lex.common_caps.contains(l)
            || lex.titles.contains(l)
            || lex.honorifics.contains(l))
    };
    // "Асхат Нургалиев": a capitalised word inside a sentence right before
    // a capitalised -ов/-ев/-ин surname is the given name the list lacks.
    let mut pair_given = vec![false; n];
    for i in 0..n.saturating_sub(1) {
        let (w, q) = (&words[i], &words[i + 1]);
        if w.initial
            || w.digits
            || w.caps != Caps::Title
            || q.caps != Caps::Title
            || given[i]
            || registered[i]
            || figure[i + 1]
            || !adjacent(i, i + 1)
        {
            continue;
        }
        let (l, ql) = (lower(i), lower(i + 1));
        if pair_surname(ql)
            && plain(i)
            && plain(i + 1)
            && text[q.start..q.end]
                .chars()
                .skip(1)
                .all(|c| !c.is_uppercase())
            && !ADJECTIVE_ENDINGS.iter().any(|e| l.ends_with(e))
            && !ends_with_core(l, &["ов", "ев", "ёв", "ov", "ev"], 3, 3)
            && l.chars().count() >= 3
        {
            pair_given[i] = true;
        }
    }
    let name_like = |k: usize| given[k] || registered[k] || pair_given[k];
    // Words found in a context that proves a name (after a title, next to a
    // given name, before "деген"): their other forms anywhere in the text
    // are that name too ("капитан Жакупов ... Жакупов был смущён").
    let mut sources: Vec<(usize, u8)> = Vec::new();
    let mut attested: Option<Vec<Vec<u8>>> = None;
    let start_len = out.len();
    for i in 0..n {
        let w = &words[i];
        if !w.caps.capitalised() || w.digits {
            continue;
        }
        let l: &str = lower(i);
        if !plain(i) {
            continue;
        }
        let prev = i.checked_sub(1);
        let next = (i + 1 < n).then_some(i + 1);
        // Next to a public figure: part of the public name.
        if prev.is_some_and(|p| figure[p] && adjacent(p, i))
            || next.is_some_and(|q| figure[q] && adjacent(i, q))
        {
            continue;
        }
        let title_before = prev.is_some_and(|p| {
            lex.titles.contains(lower(p))
                && matches!(gap(text, words[p].end, w.start), " " | ". " | "\u{a0}")
        });
        // "Директор, Бондаренко, сказал": a title set off by a comma names
        // the person after it when that word is built like a surname.
        let title_apposed = prev.is_some_and(|p| {
            lex.titles.contains(lower(p)) && gap(text, words[p].end, w.start) == ", "
        });
        let honorific_after = next.is_some_and(|q| {
            lex.honorifics.contains(lower(q))
                && matches!(gap(text, w.end, words[q].start), " " | "-" | "\u{a0}")
        });
        let named = || {
            prev.is_some_and(|p| {
                adjacent(p, i)
                    && (NAMING_BEFORE.contains(&lower(p))
                        || (NAMING_BY.contains(&lower(p))
                            && p > 0
                            && lower(p - 1) == "по"
                            && adjacent(p - 1, p))
                        || (NAMING_VERB_EN.contains(&lower(p))
                            && p > 0
                            && PERSON_NOUNS_EN.contains(&lower(p - 1))
                            && adjacent(p - 1, p)))
            }) || next.is_some_and(|q| {
                adjacent(i, q)
                    && (NAMING_AFTER.contains(&lower(q))
                        || (CALLED_AFTER.contains(&lower(q))
                            && q + 1 < n
                            && adjacent(q, q + 1)
                            && PERSON_NOUNS_KK.iter().any(|p| lower(q + 1).starts_with(p))))
            })
        };
        let upper = w.caps == Caps::Upper;
        let shaped = |k: usize| surname_shape(lower(k)) || patronymic_shape(lower(k));
        let mut hit = false;
        let mut strong = false;
        if given[i] {
            // At the start of a sentence a capital proves nothing: not a
            // name that is also an ordinary word (Вера, Бақыт, Веры). In
            // capitals (headings, codes), only next to a capitalised
            // surname or patronymic (ИВАНОВ ИВАН ИВАНОВИЧ).
            let mut homograph = || {
                if !l.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
                    return ENGLISH_HOMOGRAPHS.contains(&l);
                }
                if homograph_form[i] {
                    return true;
                }
                let loose = folder.fold(l, Mode::Loose);
                let mut alt = loose.clone();
                alt.pop();
                alt.push(b'a');
                lex.homographs.contains(loose.as_slice()) || lex.homographs.contains(alt.as_slice())
            };
            hit = if upper {
                prev.is_some_and(|p| words[p].caps == Caps::Upper && adjacent(p, i) && shaped(p))
                    || next.is_some_and(|q| {
                        words[q].caps == Caps::Upper && adjacent(i, q) && shaped(q)
                    })
            } else if w.initial {
                // A case form at a sentence start only when the name is in
                // the text elsewhere, where its capital proves it ("Сын у
                // меня, Миша ... Мишке говорю"): many case forms are other
                // words (Ширина, Любая). Not a kinship noun with a
                // possessive after it ("Маме моей").
                !homograph()
                    && !possessive_after(text, words, i)
                    && (given_bare[i] || {
                        let names = attested.get_or_insert_with(|| {
                            attested_names(text, words, lowered, &given_bare, &homograph_form)
                        });
                        let v = folder.fold(l, Mode::Vowel);
                        names.iter().any(|n| same_name(n, &v))
                    })
            } else {
                true
            };
        }
        if pair_given[i] {
            hit = true;
            strong = true;
        }
        // A surname after a title or next to a given name is a private
        // person even when a public figure shares the surname ("следователь
        // Каримов"): such candidates outrank a lone public surname.
        let mut contextual = false;
        // The context is cheap to test, the shape less so: context first.
        let ok_caps =
            |k: usize| (words[k].caps == Caps::Upper) == upper && words[k].caps.capitalised();
        let by_name = prev.is_some_and(|p| name_like(p) && adjacent(p, i) && ok_caps(p))
            || next.is_some_and(|q| name_like(q) && adjacent(i, q) && ok_caps(q));
        if (by_name || title_before || title_apposed || initials_before(text, w.start).is_some())
            && (surname_shape(l) || patronymic_shape(l))
        {
            hit = true;
            contextual = true;
            strong = true;
        }
        // After a title; before an honorific or "деген", also at a
        // sentence start ("Күләш апа айтады"). A word after a title proves
        // less ("депутат Мажилиса"): its other forms are not looked for.
        if !hit && !upper {
            let named = named();
            if (title_before && !w.initial && !governed_by_title(l)) || honorific_after || named {
                hit = true;
                strong = honorific_after || named;
            }
        }
        // Kazakh compound given names carry their elements: Айжан, Нұрбек,
        // Назгүл, Нұрсұлу. A capitalised word (not at a sentence start)
        // built like one is most likely a name the list does not have.
        if !hit && !upper && !w.initial && name_shape(l) {
            hit = true;
        }
        // A surname ending no ordinary word has, anywhere in a sentence.
        if !hit && !upper && distinct_surname_shape(l) {
            hit = true;
        }
        // A case form of a listed common word (Университета, Совета) is
        // that word, whatever context made it look like a name; a given
        // name proven by the list stays a name.
        if hit && !given[i] && !pair_given[i] && common_word_form(lex, l) {
            continue;
        }
        // Жанна д'Арк, Леонардо да Винчи: a foreign figure's name.
        if hit && next.is_some_and(|q| adjacent(i, q) && particle_name(text, words, lower(q), q)) {
            continue;
        }
        if hit {
            let p = if contextual {
                prio::SURNAME_IN_CONTEXT
            } else {
                prio::UNREGISTERED
            };
            // A registered word's forms are the lexicon's business.
            if strong && !registered[i] {
                sources.push((i, p));
            }
            out.push(Cand {
                start: w.start,
                end: w.end,
                prio: p,
                act: Act::Unregistered,
                alt: u32::MAX,
            });
        }
    }
    if !sources.is_empty() {
        propagate(lex, text, words, lowered, &sources, start_len, out);
    }
}

/// Marks the other forms of the words in `sources` (proven names) wherever
/// they stand, sentence starts included: "Асхату", "Асхата" after "Асхат
/// Нургалиев", "Zhakupov was" after "Captain Zhakupov". A form is the
/// source (or the source without its final vowel, or the source being the
/// form's own such stem) plus an ending that a name takes. A surname
/// proven private by its context keeps outranking a public figure's
/// same surname ("капитан Жакупов ... Жакупов был смущён").
fn propagate(
    lex: &Lexicon,
    text: &str,
    words: &[Word],
    lowered: &Lowered,
    sources: &[(usize, u8)],
    found_from: usize,
    out: &mut Vec<Cand>,
) {
    let mut folder = Folder::new();
    let morph = Morph::get();
    let mut stems: FxHashMap<Vec<u8>, u8> = FxHashMap::default();
    let mut longest = 0;
    // Forms share their first letter with the source (in its script): the
    // cheap test before any folding.
    let mut firsts: Vec<char> = Vec::new();
    for &(i, p) in sources {
        let l = lowered.get(text, words, i);
        let v = folder.fold(l, Mode::Vowel);
        for st in name_stems(&v) {
            if crate::skeleton::loose_of(&st).len() < 4 {
                continue;
            }
            longest = longest.max(st.len());
            let e = stems.entry(st).or_insert(p);
            *e = (*e).max(p);
        }
        if let Some(c) = l.chars().next() {
            if !firsts.contains(&c) {
                firsts.push(c);
            }
        }
    }
    if stems.is_empty() {
        return;
    }
    // Candidates so far, in text order.
    let done: Vec<usize> = out[found_from..].iter().map(|c| c.start).collect();
    let mut v = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if !w.caps.capitalised() || w.digits {
            continue;
        }
        let l = lowered.get(text, words, k);
        if !l.chars().next().is_some_and(|c| firsts.contains(&c))
            || done.binary_search(&w.start).is_ok()
        {
            continue;
        }
        let l = l
            .strip_suffix("'s")
            .or_else(|| l.strip_suffix("\u{2019}s"))
            .unwrap_or(l);
        v.clear();
        folder.fold_into(l, Mode::Vowel, &mut v);
        // The longest source stem the word starts with, followed by an
        // ending a name takes.
        let form_of = (1..=v.len().min(longest)).rev().find_map(|n| {
            let st = &v[..n];
            let p = *stems.get(st)?;
            let last = st.last().copied();
            let rest = &v[n..];
            (rest.is_empty()
                || morph
                    .set(Class::Full(Final::of(st)))
                    .accepts(Mode::Vowel, last, rest)
                || morph.set(Class::Ru).accepts(Mode::Vowel, last, rest))
            .then_some(p)
        });
        let Some(p) = form_of else {
            continue;
        };
        let l = lowered.get(text, words, k);
        if lex.stop.contains(l)
            || lex.common_caps.contains(l)
            || lex.titles.contains(l)
            || lex.honorifics.contains(l)
        {
            continue;
        }
        out.push(Cand {
            start: w.start,
            end: w.end,
            prio: p,
            act: Act::Unregistered,
            alt: u32::MAX,
        });
    }
}

/// Vowel skeletons of the given names found in their base form inside
/// sentences (where a capital proves a name).
fn attested_names(
    text: &str,
    words: &[Word],
    lowered: &Lowered,
    given: &[bool],
    homograph_form: &[bool],
) -> Vec<Vec<u8>> {
    let mut folder = Folder::new();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if given[k] && !homograph_form[k] && !w.initial && w.caps == Caps::Title {
            let v = folder.fold(lowered.get(text, words, k), Mode::Vowel);
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// Whether two name forms (vowel skeletons) share their stem: three
/// symbols or more in common, and at most two more in the shorter one
/// (Миша / Мишке, Марат / Маратқа).
fn same_name(a: &[u8], b: &[u8]) -> bool {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    common >= 3 && common + 2 >= a.len().min(b.len())
}

/// Stems a name form may decline from: the form itself and the form
/// without its final vowel or case ending (Асхату → Асхат, Мадина → Мадин).
fn name_stems(v: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![v.to_vec()];
    let mut k = v.len();
    for _ in 0..2 {
        match v[..k].last() {
            Some(b'a' | b'e' | b'o' | b'u' | b'i' | b'm') if k > 3 => {
                k -= 1;
                out.push(v[..k].to_vec());
            }
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_forms_of_common_words_are_common() {
        let lex = Lexicon::build(&crate::LexiconSource::default());
        for w in [
            "университета",
            "университете",
            "совета",
            "госдумы",
            "госдуме",
            "горничной",
            "институту",
        ] {
            assert!(common_word_form(&lex, w), "{w}");
        }
        for w in ["иванова", "сапаровой", "советова", "думанов"] {
            assert!(!common_word_form(&lex, w), "{w}");
        }
    }

    #[test]
    fn what_a_title_governs_is_not_its_name() {
        for w in ["российского", "русской", "большому", "госдумы", "рады"]
        {
            // -ой is also a nominative surname (Толстой): only the clearly
            // oblique endings count.
            if w == "русской" {
                assert!(!governed_by_title(w));
                continue;
            }
            assert!(governed_by_title(w), "{w}");
        }
        for w in [
            "иванов",
            "иванова",
            "толстой",
            "седых",
            "долгих",
            "гелашвили",
            "smith",
        ] {
            assert!(!governed_by_title(w), "{w}");
        }
    }

    #[test]
    fn shapes() {
        for s in [
            "нуржанов",
            "nurzhanov",
            "иванова",
            "петровым",
            "достоевский",
            "шевченко",
            "байтұрсынұлы",
        ] {
            assert!(surname_shape(s), "{s}");
        }
        for s in ["ивановной", "ivanovna", "петрович", "сейткалиевича"]
        {
            assert!(patronymic_shape(s), "{s}");
        }
        for s in ["ов", "марат", "алматы", "сказал", "город"] {
            assert!(!surname_shape(s), "{s}");
        }
        for s in ["айжан", "нұрбек", "назгүл", "нұрсұлу", "aizhan"] {
            assert!(name_shape(s), "{s}");
        }
        for s in ["кравченко", "savchenko", "марченко"] {
            assert!(distinct_surname_shape(s), "{s}");
        }
        for s in ["енко", "коленко_", "маленький", "enkoder"] {
            assert!(!distinct_surname_shape(s), "{s}");
        }
        for s in ["жан", "бек", "узбек", "азербайджан_", "jan"] {
            assert!(!name_shape(s) || s == "узбек", "{s}");
        }
    }
}
