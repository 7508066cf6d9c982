//! Candidate spans: what every generator (registered forms, contacts,
//! patterns, the unregistered-name detector) proposes over the text, before
//! overlap resolution picks the survivors.
//!
//! WHY a leaf module: the generators and the resolution all speak in these
//! types, and none of them should depend on another to do so.

use crate::lexicon::Form;
use crate::{MatchForm, PatternKind};

/// What a candidate span would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Act {
    /// Protect the span (city, public figure, allow-list).
    Keep,
    /// A registered person's name in some form.
    Person { person: u32, form: MatchForm },
    /// A registered term.
    Term { term: u32 },
    /// Personal data found by a pattern.
    Pattern(PatternKind),
    /// A registered person's phone, e-mail or handle.
    Contact { person: u32, kind: PatternKind },
    /// A likely name nobody registered.
    Unregistered,
    /// A name part several registered persons share, with nothing in the
    /// text to tell which one is meant: a neutral placeholder, never a
    /// guessed pseudonym. The stem group names the candidates.
    Ambiguous { group: u32 },
}

/// A candidate span over the input text.
#[derive(Clone, Debug)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub prio: u8,
    pub act: Act,
    /// For a person matched by a stem that other persons share: the stem
    /// group, to re-attribute the span to a neighbouring name's person.
    pub alt: u32,
}

impl Cand {
    /// A candidate that belongs to no shared stem group.
    pub(crate) fn new(start: usize, end: usize, prio: u8, act: Act) -> Cand {
        Cand {
            start,
            end,
            prio,
            act,
            alt: NO_GROUP,
        }
    }

    /// The same candidate, matched by a stem that stem group `group` shares
    /// among persons (see [`Cand::alt`]).
    pub(crate) fn in_group(self, group: u32) -> Cand {
        Cand { alt: group, ..self }
    }
}

/// [`Cand::alt`] of a candidate that belongs to no shared stem group.
pub(crate) const NO_GROUP: u32 = u32::MAX;

/// A stem match on one word (or on a hyphen-joined pair).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub first: usize,
    pub last: usize,
    pub start: usize,
    pub end: usize,
    pub form: Form,
    /// The word is the stem itself, uninflected.
    pub bare: bool,
    /// The word (lower-cased) is a frequent word.
    pub stop: bool,
    /// The word (lower-cased) is a capitalised common word (a month, a
    /// language, a service: "May" is not Майя, "August" not Август).
    pub common: bool,
    /// The word is a surname built on the stem (Маратов, Есенин on the
    /// given names Марат, Есен): another word, and maybe another person.
    pub surname: bool,
}
