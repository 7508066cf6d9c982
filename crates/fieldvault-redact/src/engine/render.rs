//! Rendering: what an accepted candidate is replaced with and the reason
//! recorded for it.

use crate::candidate::Act;
use crate::lexicon::{pattern_token, Lexicon, AMBIGUOUS_TOKEN, NAME_TOKEN};
use crate::{MatchForm, Reason};

/// How many candidates an ambiguous replacement's reason names.
const AMBIGUOUS_NAMED: usize = 8;

/// The reason recorded for an action (None for keeps).
pub(crate) fn reason(lex: &Lexicon, act: &Act) -> Option<Reason> {
    Some(match act {
        Act::Keep => return None,
        Act::Person { person, form } => Reason::Person {
            key: lex.persons[*person as usize].key.clone(),
            form: *form,
        },
        Act::Term { term } => Reason::Term {
            key: lex.terms[*term as usize].key.clone(),
        },
        Act::Pattern(k) => Reason::Pattern(*k),
        Act::Contact { person, .. } => Reason::Person {
            key: lex.persons[*person as usize].key.clone(),
            form: MatchForm::Contact,
        },
        Act::Unregistered => Reason::UnregisteredName,
        Act::Ambiguous { group } => {
            // At most a handful named: a common given name may be shared
            // by hundreds of registered persons.
            let all = lex.group_persons(*group);
            let ps = &all[..all.len().min(AMBIGUOUS_NAMED)];
            Reason::Ambiguous {
                keys: ps
                    .iter()
                    .map(|&p| lex.persons[p as usize].key.clone())
                    .collect(),
                pseudonyms: ps
                    .iter()
                    .map(|&p| lex.persons[p as usize].replacement.clone())
                    .collect(),
            }
        }
    })
}

pub(super) fn replacement_of<'a>(lex: &'a Lexicon, act: &Act) -> &'a str {
    match act {
        Act::Keep => "",
        Act::Person { person, .. } => &lex.persons[*person as usize].replacement,
        Act::Term { term } => &lex.terms[*term as usize].replacement,
        Act::Pattern(k) | Act::Contact { kind: k, .. } => pattern_token(*k),
        Act::Unregistered => NAME_TOKEN,
        Act::Ambiguous { .. } => AMBIGUOUS_TOKEN,
    }
}

/// Two replacements for the same entity separated only by spaces become one
/// ("Айгерим Болатовна" → one "[Respondent 1]").
pub(super) fn mergeable(lex: &Lexicon, a: &Act, b: &Act) -> bool {
    match (a, b) {
        (Act::Person { person: x, .. }, Act::Person { person: y, .. }) => x == y,
        (Act::Unregistered, Act::Unregistered) => true,
        (Act::Term { term: x }, Act::Term { term: y }) => {
            x == y || lex.terms[*x as usize].replacement == lex.terms[*y as usize].replacement
        }
        _ => false,
    }
}
