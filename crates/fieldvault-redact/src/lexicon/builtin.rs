//! The built-in gazetteer compiled into the same trie: places, public
//! figures (unless a registered person bears the full name) and common
//! given names for the unregistered-name detector.

use std::collections::HashSet;

use super::builder::{ends_in_i_vowel, Builder};
use super::model::{prio, Kind, Owner, Role};
use super::source::{is_capitalised, tokens};
use super::terms::term_token;
use crate::gazetteer;
use crate::morph::Class;
use crate::nicknames;
use crate::skeleton::{loose_of, Mode};

/// Whether a registered person bears public figure's name `surname`
/// `given`: the registered name (with its aliases) contains both, or is
/// the surname alone (nothing tells the two apart, so fail closed). A
/// namesake by given name only (Нурсултан Сейтов beside Нурсултан
/// Назарбаев) or by surname only with a given name of their own does not
/// make the public figure's full name a registered one.
fn figure_is_registered(b: &mut Builder, surname: &str, given: Option<&str>) -> bool {
    if b.registered_names.is_empty() {
        return false;
    }
    let s = b.folder.fold(surname, Mode::Loose);
    let g: Vec<Vec<u8>> = given
        .map(|g| {
            tokens(g)
                .iter()
                .map(|t| b.folder.fold(t, Mode::Loose))
                .collect()
        })
        .unwrap_or_default();
    b.registered_names.iter().any(|parts| {
        parts.contains(s.as_slice())
            && (parts.len() == 1
                || (!g.is_empty() && g.iter().all(|x| parts.contains(x.as_slice()))))
    })
}

/// Compiles the gazetteer into the same trie.
pub(super) fn builtin(b: &mut Builder) {
    for spellings in gazetteer::lines(gazetteer::PLACES) {
        for sp in spellings {
            let toks = tokens(sp);
            if toks.is_empty() {
                continue;
            }
            let p = if toks.len() > 1 {
                prio::PUBLIC_SEQUENCE
            } else {
                prio::PLACE
            };
            let unit = b.unit(Owner::Place, toks.len(), p, true);
            for (k, t) in toks.iter().enumerate() {
                term_token(b, unit, k as u8, t, is_capitalised(t));
            }
        }
    }
    for spellings in gazetteer::lines(gazetteer::FIGURES) {
        for sp in spellings {
            let parts: Vec<&str> = sp.split_whitespace().collect();
            if parts.is_empty() {
                continue;
            }
            let surname = parts[0];
            let given = parts.get(1).copied();
            let patr = parts.get(2).copied();
            // A registered person with this full name is not the public
            // figure as far as redaction goes: the figure protects nothing.
            if figure_is_registered(b, surname, given) {
                continue;
            }
            // The surname alone.
            let u = b.unit(Owner::Figure, 1, prio::FIGURE, true);
            b.name_token(u, None, 0, surname, 3, true, false);
            let mut seqs: Vec<Vec<&str>> = Vec::new();
            if let Some(g) = given {
                seqs.push(vec![g, surname]);
                seqs.push(vec![surname, g]);
                if let Some(pt) = patr {
                    seqs.push(vec![g, pt, surname]);
                    seqs.push(vec![surname, g, pt]);
                    seqs.push(vec![g, pt]);
                }
            }
            for seq in seqs {
                let toks: Vec<&str> = seq.iter().flat_map(|s| tokens(s)).collect();
                let unit = b.unit(Owner::Figure, toks.len(), prio::PUBLIC_SEQUENCE, true);
                for (k, t) in toks.iter().enumerate() {
                    b.name_token(unit, None, k as u8, t, 3, is_capitalised(t), false);
                }
            }
        }
    }
    for spellings in gazetteer::lines(gazetteer::FIGURE_ALIASES) {
        for sp in spellings {
            let toks = tokens(sp);
            if toks.is_empty() {
                continue;
            }
            let p = if toks.len() > 1 {
                prio::PUBLIC_SEQUENCE
            } else {
                prio::FIGURE
            };
            let unit = b.unit(Owner::Figure, toks.len(), p, true);
            for (k, t) in toks.iter().enumerate() {
                term_token(b, unit, k as u8, t, is_capitalised(t));
            }
        }
    }
    // Common given names (and every dictionary form of them) for the
    // unregistered-name detector.
    // Names that are also ordinary words (Вера, Арман) get a unit of their
    // own, so that the detector can tell their forms (Веры, Арманға) apart.
    let unit = b.unit(Owner::Given, 1, prio::UNREGISTERED, false);
    let homograph_unit = b.unit(Owner::Given, 1, prio::UNREGISTERED, false);
    b.homograph_unit = homograph_unit;
    let homographs: HashSet<Vec<u8>> = gazetteer::words(gazetteer::HOMOGRAPH_NAMES)
        .map(|w| b.folder.fold(w, Mode::Loose))
        .collect();
    let mut seen: HashSet<Vec<u8>> = HashSet::new();
    let mut names: Vec<(Vec<u8>, bool)> = Vec::new();
    for g in gazetteer::words(gazetteer::GIVEN_NAMES) {
        let v = b.folder.fold(g, Mode::Vowel);
        let (members, _) = nicknames::dictionary(&v);
        let i_vowel = ends_in_i_vowel(g);
        for (k, m) in std::iter::once(v).chain(members).enumerate() {
            if seen.insert(m.clone()) {
                names.push((m, k == 0 && i_vowel));
            }
        }
    }
    let reg = b.reg("");
    for (v, i_vowel) in names {
        let unit = if homographs.contains(&loose_of(&v)) {
            homograph_unit
        } else {
            unit
        };
        b.word(unit, 0, &v, Kind::Name, Role::Given, true, reg);
        if i_vowel {
            b.i_stem(unit, 0, &v, Kind::Name, Role::Given, true, reg);
        }
        // Their patronymics too (Ивановной, Нурланұлы).
        b.stem(
            unit,
            0,
            &v,
            Class::Patronymic,
            Kind::Patronymic,
            Role::Patronymic,
            true,
            reg,
        );
    }
}
