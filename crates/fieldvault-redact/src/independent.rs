//! The independent leak check: a second detector, built differently from
//! the matcher and used only to check its output.
//!
//! WHY a second detector: a check that runs the matcher again shares every
//! blind spot of the matcher, so it can never catch what redaction missed.
//! This one shares nothing with it but the normalisation of look-alike
//! characters: its own sound fold (a coarse Latin letter string, not the
//! matcher's skeleton), no morphology, no trie, no priorities, no
//! capitalisation rules beyond "a name is capitalised". A capitalised word
//! is a leak when its fold *begins* with the fold of a registered name part
//! of four letters or more (every Russian and Kazakh case form of a name
//! begins with the name or its stem), or does so within one edit for parts
//! of six letters or more (Тілеубаев / Тлеубаев, Сапарова / Сапаров). A
//! registered e-mail or handle anywhere, in any case, and a registered
//! phone's last seven digits inside any number are leaks too.
//!
//! What it does not report, so that exports are not blocked by noise: a
//! word that is, as a whole, a built-in city, public figure's name or
//! common word and not the registered part itself ("Алматы" beside a
//! registered Алма), and words the researcher allow-listed.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::fxhash::{FxHashMap, FxHashSet};
use crate::gazetteer;
use crate::lexicon::{phone_key, tokens, LexiconSource};

/// Registered name parts shorter than this (in letters) are not checked:
/// three-letter parts (Ким, Иса) begin too many ordinary words.
const MIN_LETTERS: usize = 4;
/// Parts at least this long (in letters) may differ by one edit.
const NEAR_LETTERS: usize = 6;
/// Digits of a registered phone's local number that must survive to leak.
const PHONE_DIGITS: usize = 7;

/// What the independent check found: byte span in the checked text and the
/// index of the registered person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Finding {
    pub start: usize,
    pub end: usize,
    pub person: u32,
    pub contact: bool,
}

/// A public figure's (given name, surname), folded.
type FigureName = (Box<[u8]>, Box<[u8]>);

/// The compiled independent check.
#[derive(Debug, Default)]
pub(crate) struct Independent {
    /// Folds of registered name parts -> person.
    exact: FxHashMap<Box<[u8]>, u32>,
    /// Distinct lengths of the folds in `exact`, ascending.
    lens: Vec<usize>,
    /// Folds of parts of [`NEAR_LETTERS`] or more, and each of them with one
    /// symbol deleted -> (person, the part's first symbol).
    near: FxHashMap<Box<[u8]>, (u32, u8)>,
    /// Folds of parts registered in lower case (a nickname like
    /// "tiphareth"): checked in words of any case.
    lower: FxHashSet<Box<[u8]>>,
    /// Distinct lengths of those parts' folds.
    near_lens: Vec<usize>,
    /// Folds of whole built-in words (cities, public figures, common words).
    known: FxHashSet<Box<[u8]>>,
    /// Folds of allow-listed words.
    allowed: FxHashSet<Box<[u8]>>,
    /// Public figures' full names as (given name, surname) folds, except
    /// those a registered person bears: "Нурсултан Назарбаев" beside a
    /// registered Нурсултан Омаров is the former president.
    figures: FxHashSet<FigureName>,
    contacts: Option<AhoCorasick>,
    contact_owner: Vec<u32>,
    /// Local numbers (last seven digits) of registered phones -> person.
    phones: Vec<(String, u32)>,
}

impl Independent {
    /// Compiles the check from what the researcher registered (already
    /// normalised).
    pub(crate) fn build(src: &LexiconSource) -> Independent {
        let mut c = Independent::default();
        let mut buf = Vec::new();
        let mut pats = Vec::new();
        let mut registered: Vec<FxHashSet<Box<[u8]>>> = Vec::new();
        for (pi, p) in src.persons.iter().enumerate() {
            let mut mine = FxHashSet::default();
            for t in std::iter::once(&p.name)
                .chain(&p.aliases)
                .flat_map(|n| tokens(n))
            {
                fold(t, &mut buf);
                mine.insert(buf.clone().into_boxed_slice());
            }
            registered.push(mine);
            let pi = pi as u32;
            // A lower-case word inside a longer alias is an honorific
            // ("Жанар апай"); a lower-case name on its own is a nickname.
            let names = std::iter::once(&p.name).chain(&p.aliases);
            let parts = names.flat_map(|n| {
                let t = tokens(n);
                let alone = t.len() == 1;
                t.into_iter()
                    .filter(move |t| alone || t.chars().next().is_some_and(char::is_uppercase))
            });
            for part in parts {
                let letters = part.chars().filter(|c| c.is_alphabetic()).count();
                if letters < MIN_LETTERS {
                    continue;
                }
                fold(part, &mut buf);
                if buf.len() < MIN_LETTERS {
                    continue;
                }
                if !part.chars().next().is_some_and(char::is_uppercase) {
                    c.lower.insert(buf.clone().into_boxed_slice());
                }
                c.exact.entry(buf.clone().into_boxed_slice()).or_insert(pi);
                if letters >= NEAR_LETTERS {
                    let first = buf[0];
                    c.near
                        .entry(buf.clone().into_boxed_slice())
                        .or_insert((pi, first));
                    for k in 0..buf.len() {
                        let mut d = buf.clone();
                        d.remove(k);
                        c.near.entry(d.into_boxed_slice()).or_insert((pi, first));
                    }
                    if !c.near_lens.contains(&buf.len()) {
                        c.near_lens.push(buf.len());
                    }
                }
                if !c.lens.contains(&buf.len()) {
                    c.lens.push(buf.len());
                }
            }
            for e in p.emails.iter().chain(&p.handles) {
                let e = e.trim().trim_start_matches('@').to_lowercase();
                if e.chars().count() >= 3 {
                    pats.push(e);
                    c.contact_owner.push(pi);
                }
            }
            for ph in &p.phones {
                let k = phone_key(ph);
                if k.len() >= PHONE_DIGITS {
                    c.phones.push((k[k.len() - PHONE_DIGITS..].to_string(), pi));
                }
            }
        }
        c.lens.sort_unstable();
        c.near_lens.sort_unstable();
        if !pats.is_empty() {
            c.contacts = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&pats)
                .ok();
        }
        let builtin = gazetteer::lines(gazetteer::PLACES)
            .chain(gazetteer::lines(gazetteer::FIGURES))
            .chain(gazetteer::lines(gazetteer::FIGURE_ALIASES))
            .flatten()
            .flat_map(tokens)
            .chain(gazetteer::words(gazetteer::COMMON_CAPS))
            .chain(gazetteer::words(gazetteer::STOPWORDS));
        for w in builtin {
            fold(w, &mut buf);
            c.known.insert(buf.clone().into_boxed_slice());
        }
        for line in gazetteer::lines(gazetteer::FIGURES) {
            for sp in line {
                let parts: Vec<&str> = sp.split_whitespace().collect();
                let (Some(sur), Some(given)) = (parts.first(), parts.get(1)) else {
                    continue;
                };
                fold(sur, &mut buf);
                let sur = buf.clone().into_boxed_slice();
                for g in tokens(given) {
                    fold(g, &mut buf);
                    let g = buf.clone().into_boxed_slice();
                    let theirs = registered
                        .iter()
                        .any(|r| r.contains(&sur) && (r.contains(&g) || r.len() == 1));
                    if !theirs {
                        c.figures.insert((g, sur.clone()));
                    }
                }
            }
        }
        for a in &src.allow {
            for w in tokens(a) {
                fold(w, &mut buf);
                c.allowed.insert(buf.clone().into_boxed_slice());
            }
        }
        c
    }

    /// Checks `text` (normalised, replacement tokens masked).
    pub(crate) fn check(&self, text: &str, out: &mut Vec<Finding>) {
        let mut buf = Vec::new();
        if !self.exact.is_empty() {
            let ws: Vec<(usize, usize)> = words(text).collect();
            let mut other = Vec::new();
            for (k, &(start, end)) in ws.iter().enumerate() {
                let w = &text[start..end];
                let capitalised = w.chars().next().is_some_and(char::is_uppercase);
                if !capitalised && self.lower.is_empty() {
                    continue;
                }
                fold(w, &mut buf);
                let Some(person) = self.word(&buf, capitalised) else {
                    continue;
                };
                // Part of a public figure's full name with the word before
                // or after it (only spaces between)?
                let beside = |j: usize| -> Option<(usize, usize)> {
                    let (a, b) = *ws.get(j)?;
                    let gap = if j < k {
                        &text[b..start]
                    } else {
                        &text[end..a]
                    };
                    gap.chars()
                        .all(|c| c == ' ' || c == '\u{a0}')
                        .then_some((a, b))
                };
                let mut figure = false;
                for (j, given_first) in [(k.wrapping_sub(1), true), (k + 1, false)] {
                    if let Some((a, b)) = beside(j) {
                        fold(&text[a..b], &mut other);
                        let (g, s) = if given_first {
                            (&other, &buf)
                        } else {
                            (&buf, &other)
                        };
                        figure |= self.is_figure(g, s) || self.is_figure(s, g);
                    }
                }
                if !figure {
                    out.push(Finding {
                        start,
                        end,
                        person,
                        contact: false,
                    });
                }
            }
        }
        if let Some(ac) = &self.contacts {
            for m in ac.find_iter(text) {
                out.push(Finding {
                    start: m.start(),
                    end: m.end(),
                    person: self.contact_owner[m.pattern().as_usize()],
                    contact: true,
                });
            }
        }
        if !self.phones.is_empty() {
            self.check_phones(text, out);
        }
        out.sort_by_key(|f| (f.start, f.end));
        out.dedup_by(|b, a| b.start < a.end);
    }

    /// The person whose name part the folded word `w` begins with, if any.
    /// What follows the part may be an ending or a chain of suffixes, not
    /// longer than the part itself (Велли is not in Великобритания).
    fn word(&self, w: &[u8], capitalised: bool) -> Option<u32> {
        if self.allowed.contains(w) {
            return None;
        }
        if !capitalised {
            return self
                .lens
                .iter()
                .take_while(|&&l| l <= w.len())
                .map(|&l| &w[..l])
                .find(|p| self.lower.contains(*p) && w.len() - p.len() <= p.len())
                .and_then(|p| self.exact.get(p).copied());
        }
        let known = self.known.contains(w);
        for &l in &self.lens {
            if l > w.len() {
                break;
            }
            if w.len() - l > l {
                continue;
            }
            if let Some(&p) = self.exact.get(&w[..l]) {
                if !known || l == w.len() {
                    return Some(p);
                }
            }
        }
        if known {
            return None;
        }
        let mut d = Vec::with_capacity(w.len());
        for &l in &self.near_lens {
            for pl in [l.saturating_sub(1), l, l + 1] {
                if pl < 3 || pl > w.len() || w.len() - pl > l {
                    continue;
                }
                let prefix = &w[..pl];
                // The first letter is never the one that differs: a
                // one-letter change there makes other words (Йоахим /
                // Таким).
                let hit = |&(p, first): &(u32, u8)| (first == prefix[0]).then_some(p);
                if let Some(p) = self.near.get(prefix).and_then(hit) {
                    return Some(p);
                }
                for k in 1..pl {
                    d.clear();
                    d.extend_from_slice(&prefix[..k]);
                    d.extend_from_slice(&prefix[k + 1..]);
                    if let Some(p) = self.near.get(d.as_slice()).and_then(hit) {
                        return Some(p);
                    }
                }
            }
        }
        None
    }

    /// Whether folded words `g` `s` are a public figure's given name and
    /// surname (the surname in any case form).
    fn is_figure(&self, g: &[u8], s: &[u8]) -> bool {
        !self.figures.is_empty()
            && (3..=s.len()).rev().any(|l| {
                s.len() - l <= 4 && self.figures.contains(&(Box::from(g), Box::from(&s[..l])))
            })
    }

    /// Numbers (digits with spaces, dashes, dots, brackets) that contain a
    /// registered phone's local number.
    fn check_phones(&self, text: &str, out: &mut Vec<Finding>) {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            let mut digits = String::new();
            let mut end = i;
            while i < b.len() && (b[i].is_ascii_digit() || b" -.()".contains(&b[i])) {
                if b[i].is_ascii_digit() {
                    digits.push(b[i] as char);
                    end = i + 1;
                }
                i += 1;
            }
            if digits.len() >= PHONE_DIGITS {
                if let Some(&(_, person)) = self.phones.iter().find(|(k, _)| digits.contains(k)) {
                    out.push(Finding {
                        start,
                        end,
                        person,
                        contact: true,
                    });
                }
            }
        }
    }
}

/// Byte spans of the alphanumeric runs of `text`.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut it = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = it.by_ref().find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(i, c)) = it.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            it.next();
        }
        Some((start, end))
    })
}

/// The check's own fold: lower-case letters read as a coarse Latin letter
/// string, the same for a name's Russian, Kazakh and Latin spellings
/// (Бақыт / Бахыт / Bakhyt / Baqyt = "bakit", Жанар / Zhanar / Janar =
/// "janar", Ерлан / Yerlan / Erlan = "erlan").
pub(crate) fn fold(word: &str, out: &mut Vec<u8>) {
    out.clear();
    let lower: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    let mut k = 0;
    while k < lower.len() {
        let c = lower[k];
        let next = lower.get(k + 1).copied();
        // Latin digraphs first.
        let two = match (c, next) {
            ('z', Some('h')) => Some("j"),
            ('k', Some('h')) => Some("k"),
            ('s', Some('h')) => Some("w"),
            ('c', Some('h')) => Some("c"),
            _ => None,
        };
        if let Some(s) = two {
            out.extend_from_slice(s.as_bytes());
            k += 2;
            continue;
        }
        let s: &str = match c {
            'а' | 'ә' | 'a' | 'ä' | 'á' | 'à' | 'â' | 'ā' => "a",
            'б' | 'b' => "b",
            'в' | 'v' => "v",
            'г' | 'ғ' | 'g' | 'ğ' => "g",
            'д' | 'd' => "d",
            'е' | 'ё' | 'э' | 'e' | 'é' | 'è' | 'ê' | 'ë' | 'ē' => "e",
            'ж' | 'j' => "j",
            'з' | 'z' => "z",
            'и' | 'і' | 'ы' | 'й' | 'i' | 'ı' | 'y' | 'í' | 'ī' | 'ï' => "i",
            'к' | 'қ' | 'х' | 'һ' | 'k' | 'q' | 'h' | 'c' => "k",
            'л' | 'l' => "l",
            'м' | 'm' => "m",
            'н' | 'ң' | 'n' | 'ñ' | 'ń' => "n",
            'о' | 'ө' | 'o' | 'ö' | 'ó' | 'ō' => "o",
            'п' | 'p' => "p",
            'р' | 'r' => "r",
            'с' | 's' => "s",
            'т' | 't' => "t",
            'у' | 'ұ' | 'ү' | 'u' | 'ū' | 'ü' | 'ú' | 'w' => "u",
            'ф' | 'f' => "f",
            'ц' => "ts",
            'ч' | 'ç' => "c",
            'ш' | 'щ' | 'ş' => "w",
            'ю' => "iu",
            'я' => "ia",
            'x' => "ks",
            d if d.is_ascii_digit() => "",
            _ => "",
        };
        out.extend_from_slice(s.as_bytes());
        k += 1;
    }
    // A glide before a vowel at the start or after a vowel is no letter of
    // its own (Yerlan / Ерлан, Zhumabayev / Жумабаев, Яна / Ana-like).
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'o' | b'u' | b'i');
    let mut j = 0;
    let mut prev: Option<u8> = None;
    for r in 0..out.len() {
        let b = out[r];
        let glide = b == b'i'
            && out.get(r + 1).is_some_and(|&n| vowel(n) && n != b'i')
            && prev.is_none_or(vowel);
        if glide || prev == Some(b) {
            continue;
        }
        out[j] = b;
        j += 1;
        prev = Some(b);
    }
    out.truncate(j);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PersonSource;

    fn f(w: &str) -> String {
        let mut b = Vec::new();
        fold(w, &mut b);
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn spellings_fold_together() {
        for group in [
            &["Бақыт", "Бахыт", "Bakhyt", "Baqyt"][..],
            &["Жанар", "Zhanar", "Janar"],
            &["Ерлан", "Yerlan", "Erlan"],
            &["Асель", "Әсел", "Assel"],
            &["Жумабаев", "Zhumabayev", "Jumabaev"],
            &["Дмитрий", "Dmitriy", "Dmitry"],
        ] {
            let f0 = f(group[0]);
            for w in group {
                assert_eq!(f(w), f0, "{w}");
            }
        }
    }

    fn check(names: &[&str], text: &str) -> Vec<Finding> {
        let src = LexiconSource {
            persons: names
                .iter()
                .map(|n| PersonSource {
                    name: n.to_string(),
                    phones: vec!["+7 701 555 01 99".into()],
                    handles: vec!["@gera_eco".into()],
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        let mut out = Vec::new();
        Independent::build(&src).check(text, &mut out);
        out
    }

    #[test]
    fn finds_forms_spellings_and_near_misses() {
        for t in [
            "Мы видели Ерланға.",
            "We saw Yerlan.",
            "Сапаровой нет.",
            "Тлеубаевтың үйі.",
            "Saparov came.",
            "Call 8 (701) 555-01-99.",
            "Write to GERA_ECO.",
        ] {
            assert_eq!(check(&["Ерлан Тілеубаев", "Сапарова"], t).len(), 1, "{t}");
        }
    }

    #[test]
    fn keeps_quiet_on_ordinary_text() {
        for t in [
            "В Алматы тепло.",
            "надежда на перемены",
            "Berlin is far.",
            "Таким образом, Великобритания.",
            "Call 8 701 444 01 98.",
        ] {
            assert!(
                check(&["Алма Ерланова", "Надежда", "Йоахим Велли"], t).is_empty(),
                "{t}"
            );
        }
        // A public figure's full name beside a namesake by given name.
        assert!(check(&["Нурсултан Омаров"], "Нурсултан Назарбаев ушёл.").is_empty());
        assert!(check(&["Мухтар Жакенов"], "Мұхтар Әуезовтің кітабы.").is_empty());
        assert_eq!(
            check(&["Назарбаев Нурсултан"], "Нурсултан Назарбаев ушёл.").len(),
            2
        );
        // A name registered in lower case is found in any case.
        assert_eq!(
            check(&["tiphareth"], "пишет tiphareth, и Tiphareth").len(),
            2
        );
        // The registered name itself is no built-in word, whatever the list.
        assert_eq!(check(&["Алматы"], "В Алматы тепло.").len(), 1);
    }
}
