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
//! * a surname ending no ordinary word has (-енко), alone.
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
use crate::skeleton::{Folder, Mode};
use crate::tokenize::{Caps, Lowered, Word};

const SURNAME_CORES: &[&str] = &[
    "ов", "ев", "ёв", "ин", "ын", "ск", "цк", "ov", "ev", "in", "yn", "sk",
];
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
    let mut figure = vec![false; n];
    let mut registered = vec![false; n];
    for h in hits {
        let fl = lex.flags_of(&h.form);
        if fl & flags::GIVEN != 0 && h.first == h.last && !h.stop && !h.surname {
            given[h.first] = true;
            given_bare[h.first] |= h.bare;
        }
        if fl & flags::FIGURE != 0 {
            figure[h.first] = true;
            figure[h.last] = true;
        }
        if fl & flags::REGISTERED != 0 {
            registered[h.first] = true;
        }
    }
    let mut folder = Folder::new();
    let lower = |k: usize| lowered.get(text, words, k);
    let adjacent = |a: usize, b: usize| -> bool {
        matches!(gap(text, words[a].end, words[b].start), " " | "\u{a0}")
    };
    let name_like = |k: usize| given[k] || registered[k];
    for i in 0..n {
        let w = &words[i];
        if !w.caps.capitalised() || w.digits {
            continue;
        }
        let l: &str = lower(i);
        if lex.stop.contains(l)
            || lex.common_caps.contains(l)
            || lex.titles.contains(l)
            || lex.honorifics.contains(l)
        {
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
        let upper = w.caps == Caps::Upper;
        let shaped = |k: usize| surname_shape(lower(k)) || patronymic_shape(lower(k));
        let mut hit = false;
        if given[i] {
            // At the start of a sentence a capital proves nothing: only the
            // plain name counts, and not one that is also an ordinary word
            // (Вера, Бақыт). In capitals (headings, codes), only next to a
            // capitalised surname or patronymic (ИВАНОВ ИВАН ИВАНОВИЧ).
            let mut homograph = || {
                if !l.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
                    return ENGLISH_HOMOGRAPHS.contains(&l);
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
                given_bare[i] && !homograph()
            } else {
                true
            };
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
        }
        if !hit && !upper && (title_before || honorific_after) && !w.initial {
            hit = true;
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
        if hit {
            let p = if contextual {
                prio::SURNAME_IN_CONTEXT
            } else {
                prio::UNREGISTERED
            };
            out.push(Cand {
                start: w.start,
                end: w.end,
                prio: p,
                act: Act::Unregistered,
                alt: u32::MAX,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
