//! The compiled lexicon: stems in a trie, grouped by the entries that share
//! them, and what each entry belongs to.

use std::collections::{HashMap, HashSet};

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashSet;

use crate::independent::Independent;
use crate::morph::Class;
use crate::trie::Trie;
use crate::PatternKind;

/// Who a stem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Owner {
    /// A registered person (index into persons).
    Person(u32),
    /// A registered term (index into terms).
    Term(u32),
    /// A user allow-list entry.
    Allow,
    /// A built-in public figure.
    Figure,
    /// A built-in city, region or country.
    Place,
    /// A built-in common given name (for unregistered persons).
    Given,
}

/// The part a token plays in a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Given,
    Surname,
    Patronymic,
    Other,
}

/// How a form was derived, which becomes the reported [`crate::MatchForm`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The registered token itself (exact, inflected or transliterated).
    Name,
    /// A diminutive or nickname nobody typed.
    Nickname,
    /// A patronymic built from a registered one.
    Patronymic,
}

/// A sequence of tokens that together form one entry (a multi-word term, a
/// full public name), or a single token.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Unit {
    pub owner: Owner,
    pub len: u8,
    pub prio: u8,
    pub keep: bool,
}

/// One stem with its suffix class and matching rules. Every entry that has
/// the same stem shares one `Form` (a hundred persons called Ерлан put one
/// stem in the trie, checked once per word, with a hundred entries).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Form {
    pub class: Class,
    pub kind: Kind,
    pub role: Role,
    /// The word must be capitalised (or all caps).
    pub cap: bool,
    /// The stem ends in an i-class vowel or glide (Сейткали-, Нұрали):
    /// i-class symbols right after it in a word are its own, not a
    /// suffix's.
    pub ends_i: bool,
    /// Index into [`Lexicon::strict`] when the stem is so short (or so
    /// generated) that its vowels must match too; `u32::MAX` otherwise.
    pub strict: u32,
    /// Index into [`Lexicon::groups`]: the entries sharing this stem.
    pub group: u32,
}

/// One entry of a stem group: which unit, which token of it, which
/// registered token it came from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub unit: u32,
    pub pos: u8,
    /// Index into [`Lexicon::regs`].
    pub reg: u32,
}

/// Bits of [`Lexicon::group_flags`].
pub(crate) mod flags {
    /// Some entry is a non-final token of a multi-word unit.
    pub const CONTINUES: u8 = 1;
    /// A built-in common given name.
    pub const GIVEN: u8 = 2;
    /// A public figure's or allow-listed single word.
    pub const FIGURE: u8 = 4;
    /// A registered person or term.
    pub const REGISTERED: u8 = 8;
    /// A built-in given name that is also an ordinary word (Вера, Арман).
    pub const HOMOGRAPH: u8 = 16;
    /// A registered place (its derived words are written in lower case).
    pub const PLACE_TERM: u8 = 32;
}

/// Priorities: higher wins an overlap; equal priorities go to the longer span.
pub(crate) mod prio {
    pub const CONTACT: u8 = 110;
    pub const PATTERN: u8 = 100;
    pub const ALLOW: u8 = 90;
    pub const PUBLIC_SEQUENCE: u8 = 80;
    pub const REGISTERED: u8 = 70;
    pub const PLACE: u8 = 65;
    pub const FIGURE: u8 = 60;
    pub const NICKNAME: u8 = 55;
    pub const DICT_NICKNAME: u8 = 68;
    pub const SURNAME_IN_CONTEXT: u8 = 62;
    /// The distinctive words of a multi-word term alone ("Көкжал" of
    /// "Көкжал Майнинг"): below cities and public figures.
    pub const TERM_HEAD: u8 = 58;
    pub const UNREGISTERED: u8 = 40;
}

#[derive(Debug, Clone)]
pub(crate) struct PersonInfo {
    pub key: String,
    pub replacement: String,
}

#[derive(Debug, Clone)]
pub(crate) struct TermInfo {
    pub key: String,
    pub replacement: String,
}

/// The compiled lexicon: immutable, `Send + Sync`, cheap to share.
pub struct Lexicon {
    pub(crate) trie: Trie<Form>,
    /// Entries per stem group: `entries[groups[g].0 .. groups[g].1]`,
    /// ordered keep and multi-word entries first, persons last (highest
    /// priority first).
    pub(crate) groups: Vec<(u32, u32)>,
    pub(crate) entries: Vec<Entry>,
    /// Per stem group, what kinds of entries it holds ([`flags`]).
    pub(crate) group_flags: Vec<u8>,
    /// Per stem group, how many leading entries belong to multi-word units.
    pub(crate) group_multi: Vec<u32>,
    /// Per stem group, the distinct registered persons with an entry in it
    /// (ascending), for telling shared name parts apart.
    pub(crate) group_person_list: Vec<Box<[u32]>>,
    pub(crate) units: Vec<Unit>,
    pub(crate) strict: Vec<Box<[u8]>>,
    /// (lower-cased registered token, its loose skeleton)
    pub(crate) regs: Vec<(Box<str>, Box<[u8]>)>,
    pub(crate) persons: Vec<PersonInfo>,
    pub(crate) terms: Vec<TermInfo>,
    /// last 10 digits (or all, if fewer) -> person
    pub(crate) phones: HashMap<String, u32>,
    /// lower-cased e-mail -> person
    pub(crate) emails: HashMap<String, u32>,
    /// lower-cased handle without "@" -> person
    pub(crate) handles: HashMap<String, u32>,
    /// Literal search for registered e-mails and handles anywhere.
    pub(crate) contact_ac: Option<AhoCorasick>,
    pub(crate) contact_owner: Vec<(u32, PatternKind)>,
    pub(crate) stop: FxHashSet<String>,
    pub(crate) titles: FxHashSet<String>,
    pub(crate) honorifics: FxHashSet<String>,
    pub(crate) common_caps: FxHashSet<String>,
    pub(crate) homographs: FxHashSet<Box<[u8]>>,
    /// Per registered token ([`Lexicon::regs`]): whether it is itself a
    /// frequent or capitalised common word in some spelling, vowels
    /// included ("Islam" for Ислам). Such a token is matched even where the
    /// word reads as the common one, since the lists guard only against
    /// the unregistered-name detector.
    pub(crate) reg_common: Vec<bool>,
    /// Every replacement string the engine may write (for leak masking).
    pub(crate) replacements: HashSet<String>,
    /// Whether any entry may start with a lower-case word.
    pub(crate) lowercase_first: bool,
    /// First two letters (lower case, Kazakh letters read the Russian way)
    /// of registered single-word places, for words derived from them.
    pub(crate) place_prefixes: Vec<[char; 2]>,
    /// The second detector of the leak check, built apart from the matcher.
    pub(crate) independent: Independent,
    /// Mutation tests: the matcher ignores every inflected form.
    #[cfg(test)]
    pub(crate) mutation_no_inflection: bool,
    pub(super) variants: usize,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("persons", &self.persons.len())
            .field("terms", &self.terms.len())
            .field("forms", &self.trie.form_count())
            .field("variants", &self.variants)
            .finish()
    }
}

/// Replacement tokens of the patterns.
pub(crate) fn pattern_token(kind: PatternKind) -> &'static str {
    match kind {
        PatternKind::Phone => "[phone]",
        PatternKind::Email => "[email]",
        PatternKind::Url => "[url]",
        PatternKind::Handle => "[handle]",
        PatternKind::Iin => "[IIN]",
        PatternKind::Iban => "[IBAN]",
        PatternKind::Card => "[card]",
        PatternKind::Address => "[address]",
    }
}

/// Replacement of unregistered likely names.
pub(crate) const NAME_TOKEN: &str = "[name]";

/// Replacement of a name part several registered persons share when the
/// text does not say which one is meant.
pub(crate) const AMBIGUOUS_TOKEN: &str = "[person]";

impl Lexicon {
    /// How many surface variants the lexicon recognises, counted as stems
    /// times the endings their class allows (in skeleton space, so one
    /// count covers all scripts and spellings).
    pub fn len_variants(&self) -> usize {
        self.variants
    }

    /// Number of registered persons.
    pub fn persons(&self) -> usize {
        self.persons.len()
    }

    /// Number of distinct stems in the trie (each with its suffix class).
    pub fn stems(&self) -> usize {
        self.trie.form_count()
    }

    /// Whether a lower-case word may be derived from a registered place
    /// (its first two letters are a place's).
    #[inline]
    pub(crate) fn may_derive_from_place(&self, word: &str) -> bool {
        !self.place_prefixes.is_empty()
            && prefix2(word).is_some_and(|p| self.place_prefixes.contains(&p))
    }

    /// Whether registered token `reg` is itself a frequent or capitalised
    /// common word in some spelling (Islam / Ислам, May / Май): then the
    /// common reading never excuses a match, the registered one wins.
    pub(crate) fn reg_is_common(&self, reg: u32) -> bool {
        self.reg_common.get(reg as usize).copied().unwrap_or(false)
    }

    /// The flags of a stem group.
    pub(crate) fn flags_of(&self, f: &Form) -> u8 {
        self.group_flags[f.group as usize]
    }

    /// The entries sharing a stem group.
    pub(crate) fn entries_of(&self, f: &Form) -> &[Entry] {
        self.group_entries(f.group)
    }

    /// The entries of stem group `g`.
    pub(crate) fn group_entries(&self, g: u32) -> &[Entry] {
        match self.groups.get(g as usize) {
            Some(&(s, e)) => &self.entries[s as usize..e as usize],
            None => &[],
        }
    }

    /// The entries of stem group `g` that belong to multi-word units (they
    /// come first in the group; persons sharing the stem follow).
    pub(crate) fn group_multi_entries(&self, g: u32) -> &[Entry] {
        let all = self.group_entries(g);
        let n = self.group_multi.get(g as usize).copied().unwrap_or(0) as usize;
        &all[..n.min(all.len())]
    }

    /// The distinct registered persons with an entry in stem group `g`,
    /// ascending.
    pub(crate) fn group_persons(&self, g: u32) -> &[u32] {
        self.group_person_list
            .get(g as usize)
            .map_or(&[], |ps| &ps[..])
    }

    /// Whether stem group `g` holds an entry of person `p`.
    pub(crate) fn group_has_person(&self, g: u32, p: u32) -> bool {
        self.group_entries(g)
            .iter()
            .any(|e| self.units[e.unit as usize].owner == Owner::Person(p))
    }
}

/// The first two letters of a word, lower-cased, Kazakh letters read the
/// Russian way (Көк- and Кок- alike).
pub(super) fn prefix2(word: &str) -> Option<[char; 2]> {
    let mut it = word
        .chars()
        .map(|c| match c.to_lowercase().next().unwrap_or(c) {
            'ә' => 'а',
            'ө' => 'о',
            'ү' | 'ұ' => 'у',
            'қ' => 'к',
            'ғ' => 'г',
            'ң' => 'н',
            'һ' => 'х',
            'і' => 'и',
            'ё' => 'е',
            c => c,
        });
    Some([it.next()?, it.next()?])
}
