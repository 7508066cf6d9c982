//! The spellings of a registered term: adjectival and Russian stems of its
//! words, generic company words in both scripts, the distinctive head
//! alone, legal forms dropped, camel case split.

use rustc_hash::{FxHashMap, FxHashSet};

use super::builder::{ends_in_i_vowel, Builder};
use super::model::{Kind, Role};
use super::source::is_capitalised;
use crate::gazetteer;
use crate::morph::{ru, Class, Final};
use crate::nicknames;
use crate::skeleton::{Folder, Mode};

/// One token of a registered term: adjectives lose their ending before the
/// Russian endings are added (Чист-ый → Чист-ого).
pub(super) fn term_token(b: &mut Builder, unit: u32, pos: u8, tok: &str, cap: bool) {
    let reg = b.reg(tok);
    let v = b.folder.fold(tok, Mode::Vowel);
    b.stem(
        unit,
        pos,
        &v,
        Class::full(&v),
        Kind::Name,
        Role::Other,
        cap,
        reg,
    );
    // The skeleton reads нг as ң, but a written г is a voiced stop and
    // Kazakh suffixes follow it as one: Майнинг-тің, Холдинг-ке.
    if ends_in_ng(tok) {
        b.stem(
            unit,
            pos,
            &v,
            Class::Full(Final::Voiceless),
            Kind::Name,
            Role::Other,
            cap,
            reg,
        );
    }
    if let Some((stem, _)) = ru::strip_suffix(tok, ru::ADJ_ENDINGS, 3) {
        let sv = b.folder.fold(stem, Mode::Vowel);
        b.stem(
            unit,
            pos,
            &sv,
            Class::RuAdj,
            Kind::Name,
            Role::Other,
            cap,
            reg,
        );
    }
    let mut rs = nicknames::ru_stem(&v).to_vec();
    // After и the vowel letters я/е/ю are a vowel of their own, not the
    // softness of a consonant: Росси-я, Ази-я decline on the и (России,
    // Азией), unlike Над-я (Наде). Without it the stem "Рос-" would take
    // "Rosa", and "Аз-" + "-их" would be the nickname "Азик".
    if ends_in_i_vowel(tok) && v.len() >= 2 && rs.len() < v.len() - 1 {
        rs = v[..v.len() - 1].to_vec();
    }
    if rs != v {
        b.stem(
            unit,
            pos,
            &rs,
            Class::RuAdj,
            Kind::Name,
            Role::Other,
            cap,
            reg,
        );
    }
}

/// A term token and, when it is a generic company word (Майнинг) after
/// the name's first word, its other spellings (Mining) at the same
/// position.
pub(super) fn term_token_spellings(b: &mut Builder, unit: u32, pos: u8, tok: &str, cap: bool) {
    term_token(b, unit, pos, tok, cap);
    if pos == 0 {
        return;
    }
    if let Some(line) = generic_spellings(&mut b.folder, tok) {
        for alt in line {
            if *alt != tok {
                term_token(b, unit, pos, alt, cap);
            }
        }
    }
}

/// The spellings of a generic company word ([`gazetteer::GENERIC_TERM_WORDS`])
/// when `tok` is one of them.
pub(super) fn generic_spellings(folder: &mut Folder, tok: &str) -> Option<&'static [&'static str]> {
    /// The lines, and the line of each spelling's vowel skeleton.
    type Index = (Vec<Vec<&'static str>>, FxHashMap<Vec<u8>, usize>);
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    let (lines, index) = INDEX.get_or_init(|| {
        let mut f = Folder::new();
        let lines: Vec<Vec<&'static str>> =
            gazetteer::lines(gazetteer::GENERIC_TERM_WORDS).collect();
        let mut index = FxHashMap::default();
        for (i, l) in lines.iter().enumerate() {
            for sp in l {
                index.insert(f.fold(sp, Mode::Vowel), i);
            }
        }
        (lines, index)
    });
    let v = folder.fold(tok, Mode::Vowel);
    index.get(&v).map(|&i| lines[i].as_slice())
}

/// Whether the words before a term's generic words can name it alone:
/// capitalised, at most two words, four letters or more, and not an
/// ordinary word that many company names start with (Батыс "west", Жаңа
/// "new", Алтын "gold").
pub(super) fn distinctive_head(folder: &mut Folder, head: &[&str]) -> bool {
    static COMMON: std::sync::OnceLock<FxHashSet<Vec<u8>>> = std::sync::OnceLock::new();
    let common = COMMON.get_or_init(|| {
        let mut f = Folder::new();
        gazetteer::words(gazetteer::COMMON_TERM_HEADS)
            .chain(gazetteer::words(gazetteer::STOPWORDS))
            .map(|w| f.fold(w, Mode::Vowel))
            .collect()
    });
    !head.is_empty()
        && head.len() <= 2
        && head.iter().all(|t| is_capitalised(t))
        && head
            .iter()
            .map(|t| t.chars().filter(|c| c.is_alphabetic()).count())
            .sum::<usize>()
            >= 4
        && !head
            .iter()
            .any(|t| common.contains(&folder.fold(t, Mode::Vowel)))
}

/// Legal forms written before or after a company's name (ТОО, LLP), in
/// capitals (АҚ is a joint-stock company, Ақ is "white").
const LEGAL_FORMS: &[&str] = &[
    "ТОО", "АО", "АҚ", "ЖШС", "ИП", "ЖК", "ОО", "ОФ", "ҚҚ", "ҚБ", "ООО", "ЗАО", "ОАО", "ПАО",
    "РОО", "ОЮЛ", "ЧУ", "LLP", "LLC", "JSC", "TOO", "AO", "NGO", "Ltd", "Inc", "GmbH",
];

/// A term's words without a legal form at either end (empty when nothing
/// else is left).
pub(super) fn without_legal_form<'a>(toks: &[&'a str]) -> Vec<&'a str> {
    let legal = |t: &str| LEGAL_FORMS.contains(&t);
    let start = toks.iter().take_while(|t| legal(t)).count();
    let end = toks.len() - toks[start..].iter().rev().take_while(|t| legal(t)).count();
    toks[start..end].to_vec()
}

/// Splits a camel-case token ("БатысБурСервис") into its words; other
/// tokens come back whole. Every part has two letters or more.
pub(super) fn camel_split(tok: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut prev_lower = false;
    for (i, c) in tok.char_indices() {
        if c.is_uppercase() && prev_lower && tok[start..i].chars().count() >= 2 {
            parts.push(&tok[start..i]);
            start = i;
        }
        prev_lower = c.is_lowercase();
    }
    parts.push(&tok[start..]);
    if parts.len() > 1 && parts.last().is_some_and(|p| p.chars().count() < 2) {
        return vec![tok];
    }
    parts
}

/// Whether a word ends in нг / ng (Майнинг, Holding).
fn ends_in_ng(tok: &str) -> bool {
    let l: Vec<char> = tok
        .chars()
        .rev()
        .take(2)
        .flat_map(char::to_lowercase)
        .collect();
    matches!(l.as_slice(), ['г', 'н'] | ['g', 'n'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_forms_and_camel_case() {
        assert_eq!(
            without_legal_form(&["ТОО", "Көк", "Тас"]),
            vec!["Көк", "Тас"]
        );
        assert_eq!(without_legal_form(&["Ақ", "Тас", "LLP"]), vec!["Ақ", "Тас"]);
        assert!(without_legal_form(&["ТОО"]).is_empty());
        assert_eq!(camel_split("ТалдыСуТрейд"), vec!["Талды", "Су", "Трейд"]);
        assert_eq!(camel_split("KazTAG"), vec!["Kaz", "TAG"]);
        assert_eq!(camel_split("Ерлан"), vec!["Ерлан"]);
        assert_eq!(camel_split("iPhone"), vec!["iPhone"]);
    }
}
