//! Compiling a [`Lexicon`] from a [`LexiconSource`]: registered persons,
//! terms and the allow-list, then the built-in gazetteer, then the stem
//! groups ordered and flagged for the matcher.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasickBuilder, MatchKind};
use rustc_hash::{FxHashMap, FxHashSet};

use super::builder::{role_of, Builder};
use super::builtin::builtin;
use super::model::prefix2;
use super::model::{
    flags, pattern_token, prio, Lexicon, Owner, PersonInfo, Role, TermInfo, AMBIGUOUS_TOKEN,
    NAME_TOKEN,
};
use super::source::{
    is_capitalised, phone_key, tokens, LexiconSource, PersonSource, TermKind, TermSource,
};
use super::terms::{
    camel_split, distinctive_head, generic_spellings, term_token, term_token_spellings,
    without_legal_form,
};
use crate::gazetteer;
use crate::independent::Independent;
use crate::morph::variants;
use crate::normalise;
use crate::skeleton::{Folder, Mode};
use crate::trie::TrieBuilder;
use crate::PatternKind;

impl Lexicon {
    /// Compiles a lexicon. Never fails: unusable entries (empty names,
    /// punctuation only) are skipped.
    pub fn build(src: &LexiconSource) -> Lexicon {
        // What the researcher typed goes through the same normalisation
        // as the text: a name typed with a Latin letter in it, a phone
        // with full-width digits, are matched as they read.
        let src = &normalised_source(src);
        let mut b = Builder {
            trie: TrieBuilder::new(),
            units: Vec::new(),
            strict: Vec::new(),
            regs: Vec::new(),
            folder: Folder::new(),
            group_index: FxHashMap::default(),
            group_entries: Vec::new(),
            entry_seen: FxHashSet::default(),
            given_set: HashSet::new(),
            lowercase_first: false,
            variants: 0,
            homograph_unit: u32::MAX,
            place_units: FxHashSet::default(),
            place_prefixes: Vec::new(),
            registered_names: Vec::new(),
        };
        for g in gazetteer::words(gazetteer::GIVEN_NAMES) {
            let l = b.folder.fold(g, Mode::Loose).into_boxed_slice();
            b.given_set.insert(l);
        }
        let mut replacements: HashSet<String> = HashSet::new();
        for k in [
            PatternKind::Phone,
            PatternKind::Email,
            PatternKind::Url,
            PatternKind::Handle,
            PatternKind::Iin,
            PatternKind::Iban,
            PatternKind::Card,
            PatternKind::Address,
        ] {
            replacements.insert(pattern_token(k).to_string());
        }
        replacements.insert(NAME_TOKEN.to_string());
        replacements.insert(AMBIGUOUS_TOKEN.to_string());

        // Registered persons.
        let mut persons = Vec::new();
        let mut phones = HashMap::new();
        let mut emails = HashMap::new();
        let mut handles = HashMap::new();
        for (pi, p) in src.persons.iter().enumerate() {
            let pi = pi as u32;
            let replacement = if p.replacement.trim().is_empty() {
                format!("[Respondent {}]", pi + 1)
            } else {
                p.replacement.clone()
            };
            replacements.insert(replacement.clone());
            persons.push(PersonInfo {
                key: p.key.clone(),
                replacement,
            });
            let name_unit = b.unit(Owner::Person(pi), 1, prio::REGISTERED, false);
            let nick_unit = (
                b.unit(Owner::Person(pi), 1, prio::NICKNAME, false),
                b.unit(Owner::Person(pi), 1, prio::DICT_NICKNAME, false),
            );
            let name_tokens = tokens(&p.name);
            let mut parts: FxHashSet<Box<[u8]>> = FxHashSet::default();
            for t in name_tokens
                .iter()
                .copied()
                .chain(p.aliases.iter().flat_map(|a| tokens(a)))
            {
                let l = b.folder.fold(t, Mode::Loose);
                if !l.is_empty() {
                    parts.insert(l.into_boxed_slice());
                }
            }
            b.registered_names.push(parts);
            // Given names first: a full name that heads a dictionary group
            // decides the person's nicknames; short aliases then only add
            // rule-made forms (Гера → Герочка, not Георгий).
            let mut any_head = false;
            let mut later: Vec<(String, usize)> = Vec::new();
            for (k, t) in name_tokens.iter().enumerate() {
                // Initials ("Сапарова А.Б.") and numbers are not names: a
                // lone "А" would match every sentence starting with "А".
                if t.chars().all(|c| c.is_numeric())
                    || t.chars().filter(|c| c.is_alphabetic()).count() < 2
                {
                    continue;
                }
                if !is_capitalised(t) {
                    lowercase_part(&mut b, pi, name_unit, &name_tokens, k);
                    continue;
                }
                any_head |= b.name_token(
                    name_unit,
                    Some(nick_unit),
                    0,
                    t,
                    name_tokens.len(),
                    true,
                    true,
                );
                spelling_variants(&mut b, name_unit, t, name_tokens.len());
            }
            for a in &p.aliases {
                let at = tokens(a);
                for (k, t) in at.iter().enumerate() {
                    if t.chars().filter(|c| c.is_alphabetic()).count() < 2 {
                        continue;
                    }
                    if !is_capitalised(t) {
                        lowercase_part(&mut b, pi, name_unit, &at, k);
                        continue;
                    }
                    later.push((t.to_string(), at.len()));
                }
            }
            for (t, n) in later {
                b.name_token(name_unit, Some(nick_unit), 0, &t, n, true, !any_head);
                spelling_variants(&mut b, name_unit, &t, n);
            }
            for ph in &p.phones {
                let k = phone_key(ph);
                if k.len() >= 5 {
                    phones.entry(k).or_insert(pi);
                }
            }
            for e in &p.emails {
                let e = e.trim().to_lowercase();
                if e.contains('@') {
                    emails.entry(e).or_insert(pi);
                }
            }
            for h in &p.handles {
                let h = h.trim().trim_start_matches('@').to_lowercase();
                if h.len() >= 2 {
                    handles.entry(h).or_insert(pi);
                }
            }
        }

        // Registered terms.
        let mut terms = Vec::new();
        for (ti, t) in src.terms.iter().enumerate() {
            let ti = ti as u32;
            let replacement = if t.replacement.trim().is_empty() {
                t.kind.default_replacement().to_string()
            } else {
                t.replacement.clone()
            };
            replacements.insert(replacement.clone());
            terms.push(TermInfo {
                key: t.key.clone(),
                replacement,
            });
            let toks = tokens(&t.text);
            if toks.is_empty() {
                continue;
            }
            let unit = b.unit(Owner::Term(ti), toks.len(), prio::REGISTERED, false);
            let nick = if t.kind == TermKind::Person && toks.len() == 1 {
                Some((
                    b.unit(Owner::Term(ti), 1, prio::NICKNAME, false),
                    b.unit(Owner::Term(ti), 1, prio::DICT_NICKNAME, false),
                ))
            } else {
                None
            };
            if t.kind == TermKind::Person {
                let parts = toks
                    .iter()
                    .map(|t| b.folder.fold(t, Mode::Loose).into_boxed_slice())
                    .filter(|l| !l.is_empty())
                    .collect();
                b.registered_names.push(parts);
                for (k, tok) in toks.iter().enumerate() {
                    let cap = is_capitalised(tok);
                    b.name_token(unit, nick, k as u8, tok, toks.len(), cap, true);
                }
                continue;
            }
            // "БатысБурСервис" is also written "Batys Bur Service": a
            // name run together in camel case matches as its words too.
            let split: Vec<&str> = toks.iter().flat_map(|t| camel_split(t)).collect();
            // "ТОО Көкжал Майнинг" is mostly written without its legal form.
            let bare = without_legal_form(&toks);
            let mut spellings = vec![(unit, toks.clone())];
            for alt in [split, bare] {
                if !alt.is_empty() && !spellings.iter().any(|(_, t)| *t == alt) {
                    let u = b.unit(Owner::Term(ti), alt.len(), prio::REGISTERED, false);
                    spellings.push((u, alt));
                }
            }
            for (unit, toks) in &spellings {
                if t.kind == TermKind::Place && toks.len() == 1 && is_capitalised(toks[0]) {
                    b.place_units.insert(*unit);
                    if let Some(p) = prefix2(toks[0]) {
                        if !b.place_prefixes.contains(&p) {
                            b.place_prefixes.push(p);
                        }
                    }
                }
                for (k, tok) in toks.iter().enumerate() {
                    term_token_spellings(&mut b, *unit, k as u8, tok, is_capitalised(tok));
                }
                // "Көкжал Майнинг" is also just "Көкжал": distinctive words
                // before generic ones name the organisation alone. They
                // yield to cities and public figures.
                let generic = toks
                    .iter()
                    .rev()
                    .take_while(|t| generic_spellings(&mut b.folder, t).is_some())
                    .count();
                let head = &toks[..toks.len() - generic];
                if generic > 0 && distinctive_head(&mut b.folder, head) {
                    let u = b.unit(Owner::Term(ti), head.len(), prio::TERM_HEAD, false);
                    for (k, tok) in head.iter().enumerate() {
                        term_token(&mut b, u, k as u8, tok, true);
                    }
                }
            }
        }

        // User allow-list: the whole entry, and each surname in it alone.
        for a in &src.allow {
            let toks = tokens(a);
            if toks.is_empty() {
                continue;
            }
            let unit = b.unit(Owner::Allow, toks.len(), prio::ALLOW, true);
            for (k, tok) in toks.iter().enumerate() {
                b.name_token(
                    unit,
                    None,
                    k as u8,
                    tok,
                    toks.len(),
                    is_capitalised(tok),
                    false,
                );
            }
            if toks.len() > 1 {
                for tok in &toks {
                    if role_of(tok, toks.len()).0 == Role::Surname {
                        let u = b.unit(Owner::Allow, 1, prio::ALLOW, true);
                        b.name_token(u, None, 0, tok, 1, is_capitalised(tok), false);
                    }
                }
            }
        }

        builtin(&mut b);

        let stop = gazetteer::words(gazetteer::STOPWORDS)
            .map(str::to_string)
            .collect();
        let titles = gazetteer::words(gazetteer::TITLES)
            .map(str::to_string)
            .collect();
        let honorifics = gazetteer::words(gazetteer::HONORIFICS)
            .map(str::to_string)
            .collect();
        let common_caps = gazetteer::words(gazetteer::COMMON_CAPS)
            .map(str::to_lowercase)
            .collect();
        let common_skeletons: FxHashSet<Vec<u8>> = gazetteer::words(gazetteer::STOPWORDS)
            .chain(gazetteer::words(gazetteer::COMMON_CAPS))
            .map(|w| b.folder.fold(w, Mode::Vowel))
            .filter(|l| !l.is_empty())
            .collect();
        let reg_common = (0..b.regs.len())
            .map(|i| {
                let v = b.folder.fold(&b.regs[i].0, Mode::Vowel);
                !v.is_empty() && common_skeletons.contains(&v)
            })
            .collect();
        let homographs = gazetteer::words(gazetteer::HOMOGRAPH_NAMES)
            .map(|w| b.folder.fold(w, Mode::Loose).into_boxed_slice())
            .collect();

        let mut pats: Vec<String> = Vec::new();
        let mut contact_owner = Vec::new();
        for (e, &p) in &emails {
            pats.push(e.clone());
            contact_owner.push((p, PatternKind::Email));
        }
        for (h, &p) in &handles {
            // Written without "@", only a handle that cannot be an ordinary
            // word is searched for (gera_eco, nadia.k, arman02); a handle
            // like "hope" is found after "@" or inside a URL only.
            if h.len() >= 3 && h.chars().any(|c| !c.is_alphabetic()) {
                pats.push(h.clone());
                contact_owner.push((p, PatternKind::Handle));
            }
        }
        let contact_ac = if pats.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&pats)
                .ok()
        };

        let mut groups = Vec::with_capacity(b.group_entries.len());
        let mut group_flags = Vec::with_capacity(b.group_entries.len());
        let mut group_multi = Vec::with_capacity(b.group_entries.len());
        let mut group_person_list = Vec::with_capacity(b.group_entries.len());
        let mut entries = Vec::new();
        for mut es in std::mem::take(&mut b.group_entries) {
            let mut fl = 0u8;
            for e in &es {
                let u = b.units[e.unit as usize];
                if (e.pos as usize) + 1 < u.len as usize {
                    fl |= flags::CONTINUES;
                }
                match u.owner {
                    Owner::Given if e.unit == b.homograph_unit => {
                        fl |= flags::GIVEN | flags::HOMOGRAPH
                    }
                    Owner::Given => fl |= flags::GIVEN,
                    Owner::Figure | Owner::Allow if u.len == 1 => fl |= flags::FIGURE,
                    Owner::Term(_) if b.place_units.contains(&e.unit) => {
                        fl |= flags::REGISTERED | flags::PLACE_TERM
                    }
                    Owner::Person(_) | Owner::Term(_) => fl |= flags::REGISTERED,
                    _ => {}
                }
            }
            group_flags.push(fl);
            // Multi-word entries first, then other single words, then
            // persons by priority.
            es.sort_by_key(|e| {
                let u = b.units[e.unit as usize];
                let person = matches!(u.owner, Owner::Person(_));
                (u.len == 1, person && u.len == 1, std::cmp::Reverse(u.prio))
            });
            let start = entries.len() as u32;
            let multi = es
                .iter()
                .filter(|e| b.units[e.unit as usize].len > 1)
                .count() as u32;
            entries.extend(es);
            groups.push((start, entries.len() as u32));
            group_multi.push(multi);
            let mut ps: Vec<u32> = entries[start as usize..]
                .iter()
                .filter_map(|e| match b.units[e.unit as usize].owner {
                    Owner::Person(p) => Some(p),
                    _ => None,
                })
                .collect();
            ps.sort_unstable();
            ps.dedup();
            group_person_list.push(ps.into_boxed_slice());
        }
        Lexicon {
            groups,
            entries,
            group_flags,
            group_multi,
            group_person_list,
            trie: b.trie.build(),
            units: b.units,
            strict: b.strict,
            regs: b.regs,
            persons,
            terms,
            phones,
            emails,
            handles,
            contact_ac,
            contact_owner,
            stop,
            titles,
            honorifics,
            common_caps,
            homographs,
            reg_common,
            replacements,
            lowercase_first: b.lowercase_first,
            place_prefixes: std::mem::take(&mut b.place_prefixes),
            independent: Independent::build(src),
            #[cfg(test)]
            mutation_no_inflection: false,
            variants: b.variants,
        }
    }
}

/// `src` with every string normalised (see [`crate::normalise`]).
/// Other spellings of a registered person's name token (Дэниэл /
/// Даниэл, Саймон / Simon: [`variants::spelling_variants`]), matched as
/// the name itself; nicknames come from the registered spelling only.
fn spelling_variants(b: &mut Builder, unit: u32, token: &str, n_tokens: usize) {
    for v in variants::spelling_variants(token) {
        b.name_token(unit, None, 0, &v, n_tokens, true, false);
    }
}

/// A lower-case token of a registered person's name or alias: a handle or
/// alias written so (zyalt, tiphareth), a particle or honorific (де Сталь,
/// ибн Эзра, аль-Хадж, Наурызбай қажы, Жанар апай).
///
/// WHY two treatments: a particle or honorific alone is an ordinary word
/// (Kazakh "де", Russian "да", "қажы" a pilgrim), so it is matched only
/// together with the name part beside it, as one span that covers the
/// hyphen of "аль-Хадж"; any other lower-case token is the name as the
/// researcher wrote it and is matched alone as well, in any letter case.
/// Very short tokens and frequent words are treated as particles.
fn lowercase_part(b: &mut Builder, person: u32, name_unit: u32, toks: &[&str], k: usize) {
    let t = toks[k];
    let lower = t.to_lowercase();
    let particle = gazetteer::is_name_particle(&lower)
        || gazetteer::words(gazetteer::HONORIFICS).any(|h| h == lower)
        || gazetteer::words(gazetteer::STOPWORDS).any(|w| w == lower)
        || t.chars().count() <= 3;
    if !particle {
        b.name_token(name_unit, None, 0, t, 1, false, false);
    }
    let pairs = [
        k.checked_sub(1).map(|j| (j, k)),
        (k + 1 < toks.len()).then_some((k, k + 1)),
    ];
    for (first, second) in pairs.into_iter().flatten() {
        let u = b.unit(Owner::Person(person), 2, prio::REGISTERED, false);
        for (pos, j) in [first, second].into_iter().enumerate() {
            let tok = toks[j];
            b.name_token(u, None, pos as u8, tok, 2, is_capitalised(tok), false);
        }
    }
}

fn normalised_source(src: &LexiconSource) -> LexiconSource {
    let n = |s: &String| normalise::normalised(s);
    let all = |v: &[String]| v.iter().map(n).collect();
    LexiconSource {
        persons: src
            .persons
            .iter()
            .map(|p| PersonSource {
                key: p.key.clone(),
                replacement: p.replacement.clone(),
                name: n(&p.name),
                aliases: all(&p.aliases),
                phones: all(&p.phones),
                emails: all(&p.emails),
                handles: all(&p.handles),
            })
            .collect(),
        terms: src
            .terms
            .iter()
            .map(|t| TermSource {
                text: n(&t.text),
                ..t.clone()
            })
            .collect(),
        allow: all(&src.allow),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_empty_and_odd_sources() {
        let l = Lexicon::build(&LexiconSource::default());
        assert!(l.len_variants() > 0);
        let src = LexiconSource {
            persons: vec![PersonSource {
                key: "x".into(),
                name: "  -- ".into(),
                ..Default::default()
            }],
            terms: vec![TermSource {
                key: "t".into(),
                text: "".into(),
                kind: TermKind::Org,
                replacement: "".into(),
            }],
            allow: vec!["".into(), "!!".into()],
        };
        let _ = Lexicon::build(&src);
    }
}
