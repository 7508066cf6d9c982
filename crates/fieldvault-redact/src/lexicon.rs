//! The lexicon: what the researcher registered, expanded into stems with
//! suffix classes, plus the built-in gazetteer, compiled once and shared.
//!
//! WHY expand to stems and not to surface forms: see [`crate::trie`]. Each
//! registered token becomes a handful of (stem, [`Class`]) pairs: the full
//! form with every ending, the Russian stem without its final vowel, a
//! surname's family stem (Сапар- → Сапаров/Сапаровой/Сапарқызы), a
//! patronymic's father stem (Сейткали- → Сейткалиевич/Сейітқалиұлы), and the
//! given names' diminutives ([`crate::nicknames`]).

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use crate::fxhash::{FxHashMap, FxHashSet};
use crate::gazetteer;
use crate::independent::Independent;
use crate::morph::{kk, ru, Class, Final, Morph};
use crate::nicknames;
use crate::normalise;
use crate::skeleton::{loose_of, Folder, Mode};
use crate::trie::{Trie, TrieBuilder};
use crate::PatternKind;

/// What a registered term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    /// An organisation, initiative or workplace.
    Org,
    /// A place: a village, a district.
    Place,
    /// A person registered as a term rather than as an interlocutor.
    Person,
    /// Anything else (an event, a project).
    Other,
}

impl TermKind {
    /// Every kind, in the order the command line lists them.
    pub const ALL: [TermKind; 4] = [
        TermKind::Org,
        TermKind::Place,
        TermKind::Person,
        TermKind::Other,
    ];

    /// The name [`TermKind::parse`] and the vault's records use.
    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Org => "org",
            TermKind::Place => "place",
            TermKind::Person => "person",
            TermKind::Other => "other",
        }
    }

    /// The replacement used when a term comes without one.
    pub fn default_replacement(self) -> &'static str {
        match self {
            TermKind::Org => "[organisation]",
            TermKind::Place => "[place]",
            TermKind::Person => "[person]",
            TermKind::Other => "[redacted]",
        }
    }

    /// Parses "org", "place", "person", "other".
    pub fn parse(s: &str) -> Option<TermKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "org" | "organisation" | "organization" => Some(TermKind::Org),
            "place" => Some(TermKind::Place),
            "person" => Some(TermKind::Person),
            "other" => Some(TermKind::Other),
            _ => None,
        }
    }
}

impl std::fmt::Display for TermKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TermKind::Org => "org",
            TermKind::Place => "place",
            TermKind::Person => "person",
            TermKind::Other => "other",
        })
    }
}

/// A registered interlocutor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSource {
    /// Stable key (the vault's person id).
    pub key: String,
    /// What replaces the person in text, e.g. "[Respondent 7]".
    pub replacement: String,
    /// The name as registered: "Сапарова Айгерим Болатовна" or "Дина Ким".
    pub name: String,
    /// Other names the researcher typed ("Гера", "Aigerim Saparova").
    pub aliases: Vec<String>,
    /// Phone numbers in any format.
    pub phones: Vec<String>,
    /// E-mail addresses.
    pub emails: Vec<String>,
    /// Messenger handles, with or without "@".
    pub handles: Vec<String>,
}

/// A registered sensitive term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermSource {
    /// Stable key.
    pub key: String,
    /// The term as registered ("Голос степи", "Жанабулак").
    pub text: String,
    /// What it is.
    pub kind: TermKind,
    /// What replaces it, e.g. `[organisation]`; empty means the kind's default.
    pub replacement: String,
}

/// Everything the lexicon is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LexiconSource {
    /// Registered persons.
    pub persons: Vec<PersonSource>,
    /// Registered sensitive terms.
    pub terms: Vec<TermSource>,
    /// Words never to redact (public figures).
    pub allow: Vec<String>,
}

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
    pub(crate) trie: Trie,
    /// Entries per stem group: `entries[groups[g].0 .. groups[g].1]`,
    /// ordered keep and multi-word entries first, persons last (highest
    /// priority first).
    pub(crate) groups: Vec<(u32, u32)>,
    pub(crate) entries: Vec<Entry>,
    /// Per stem group, what kinds of entries it holds ([`flags`]).
    pub(crate) group_flags: Vec<u8>,
    /// Per stem group, how many leading entries belong to multi-word units.
    pub(crate) group_multi: Vec<u32>,
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
    variants: usize,
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

/// Normalises a phone number to the digits that identify it: the last ten
/// (the national number in Kazakhstan and Russia), or all if fewer.
pub(crate) fn phone_key(digits: &str) -> String {
    let d: String = digits.chars().filter(|c| c.is_ascii_digit()).collect();
    if d.len() > 10 {
        d[d.len() - 10..].to_string()
    } else {
        d
    }
}

fn is_capitalised(token: &str) -> bool {
    token
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| c.is_uppercase())
}

/// Splits a name or term into tokens the way the text tokenizer does:
/// letters and digits, hyphens and spaces separate.
pub(crate) fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut prev_alnum = false;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let apostrophe_inside = crate::tokenize::is_apostrophe(c)
            && prev_alnum
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphanumeric());
        let word = c.is_alphanumeric() || crate::tokenize::is_mark(c) || apostrophe_inside;
        if word {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            out.push(&s[st..i]);
        }
        prev_alnum = c.is_alphanumeric();
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

/// What a token's shape says about its stem.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Base {
    /// No recognisable formant.
    None,
    /// A patronymic: the father's name (Сейткали-евич, Қайрат-ұлы).
    Father(String),
    /// An -ов/-ин surname: the family stem (Сапар-ова) and the class of
    /// its own formant (-ов/-ев or -ин/-ын).
    Family(String, Class),
    /// An adjectival surname: the stem before the ending (Достоевск-ий).
    Adjective(String),
}

/// Classifies one token of a registered name by its shape.
fn role_of(token: &str, n_tokens: usize) -> (Role, Base) {
    if let Some((father, _)) = ru::strip_suffix(token, ru::PATRONYMIC_SUFFIXES, 2) {
        return (Role::Patronymic, Base::Father(father.to_string()));
    }
    if let Some((father, _)) = ru::strip_suffix(token, kk::PATRONYMIC_SUFFIXES, 2) {
        let father = father.trim_end_matches(['-', '\u{2010}']);
        // In "Surname Given Patronymic" it is a patronymic; alone beside a
        // given name it is the family name (Ахмет Байтұрсынұлы).
        let role = if n_tokens >= 3 {
            Role::Patronymic
        } else {
            Role::Surname
        };
        return (role, Base::Father(father.to_string()));
    }
    if let Some((stem, suf)) = ru::strip_suffix(token, ru::ADJ_SURNAME_SUFFIXES, 2) {
        // Keep -ск-/-цк- in the stem: Достоевск-ий, Достоевск-ая.
        let keep = &token[stem.len()..stem.len() + suf.len()];
        let cut = keep
            .char_indices()
            .nth(2)
            .map(|(i, _)| i)
            .unwrap_or(keep.len());
        return (
            Role::Surname,
            Base::Adjective(format!("{stem}{}", &keep[..cut])),
        );
    }
    // Surnames that do not decline like -ов/-ин ones (Коваленко, Бойко,
    // Ковальчук, Мкртчян): no family stem, and no nicknames either.
    if ru::strip_suffix(token, ru::INDECLINABLE_SURNAME_SUFFIXES, 3).is_some() {
        return (Role::Surname, Base::None);
    }
    if let Some((fam, suf)) = ru::strip_suffix(token, ru::SURNAME_SUFFIXES, 3) {
        let class = if suf.contains(['в', 'v']) {
            Class::FamilyOv
        } else {
            Class::FamilyIn
        };
        return (Role::Surname, Base::Family(fam.to_string(), class));
    }
    (Role::Given, Base::None)
}

/// Key of a stem group: loose stem, strict vowel stem (or empty), class,
/// kind, role, capitalisation rule, final i-class.
type GroupKey = (Vec<u8>, Vec<u8>, u8, u8, u8, bool, bool);

struct Builder {
    trie: TrieBuilder,
    group_index: FxHashMap<GroupKey, u32>,
    group_entries: Vec<Vec<Entry>>,
    entry_seen: FxHashSet<(u32, u32, u8)>,
    units: Vec<Unit>,
    strict: Vec<Box<[u8]>>,
    regs: Vec<(Box<str>, Box<[u8]>)>,
    folder: Folder,
    given_set: HashSet<Box<[u8]>>,
    lowercase_first: bool,
    variants: usize,
    /// The unit of built-in given names that are also ordinary words.
    homograph_unit: u32,
    /// Units of registered places.
    place_units: FxHashSet<u32>,
    place_prefixes: Vec<[char; 2]>,
    /// Per registered person (and person term), the loose skeletons of
    /// every token of the name and aliases: a public figure whose full name
    /// is one of these protects nothing (see [`figure_is_registered`]).
    registered_names: Vec<FxHashSet<Box<[u8]>>>,
}

impl Builder {
    fn unit(&mut self, owner: Owner, len: usize, prio: u8, keep: bool) -> u32 {
        self.units.push(Unit {
            owner,
            len: len.min(255) as u8,
            prio,
            keep,
        });
        (self.units.len() - 1) as u32
    }

    fn reg(&mut self, token: &str) -> u32 {
        let loose = self.folder.fold(token, Mode::Loose).into_boxed_slice();
        self.regs
            .push((token.to_lowercase().into_boxed_str(), loose));
        (self.regs.len() - 1) as u32
    }

    /// Inserts one stem.
    #[allow(clippy::too_many_arguments)]
    fn stem(
        &mut self,
        unit: u32,
        pos: u8,
        vstem: &[u8],
        class: Class,
        kind: Kind,
        role: Role,
        cap: bool,
        reg: u32,
    ) {
        let loose = loose_of(vstem);
        if loose.is_empty() {
            return;
        }
        // Short stems, and every generated nickname, must match with their
        // vowels too: without them Дина is "дня" and Ереке+ик is "Ерекше".
        // Built-in given names and places too: they are known spellings, and
        // a loose match would take "Полный" for Полина, "Семён" for Семей.
        let strict_needed = loose.len() <= 3
            || kind == Kind::Nickname
            || matches!(self.units[unit as usize].owner, Owner::Given | Owner::Place);
        let ends_i = vstem.last() == Some(&crate::skeleton::I);
        let strict_key = if strict_needed {
            vstem.to_vec()
        } else {
            Vec::new()
        };
        let key: GroupKey = (
            loose.clone(),
            strict_key,
            class.index() as u8,
            kind as u8,
            role as u8,
            cap,
            ends_i,
        );
        let g = match self.group_index.get(&key) {
            Some(&g) => g,
            None => {
                let g = self.group_entries.len() as u32;
                self.group_index.insert(key, g);
                self.group_entries.push(Vec::new());
                let strict = if strict_needed {
                    self.strict.push(vstem.to_vec().into_boxed_slice());
                    (self.strict.len() - 1) as u32
                } else {
                    u32::MAX
                };
                self.variants += Morph::get().set(class).len();
                self.trie.insert(
                    &loose,
                    Form {
                        class,
                        kind,
                        role,
                        cap,
                        ends_i,
                        strict,
                        group: g,
                    },
                );
                g
            }
        };
        if !self.entry_seen.insert((g, unit, pos)) {
            return;
        }
        self.group_entries[g as usize].push(Entry { unit, pos, reg });
        if !cap && pos == 0 {
            self.lowercase_first = true;
        }
    }

    /// Full form with every ending, and the Russian stem without its final
    /// vowel.
    #[allow(clippy::too_many_arguments)]
    fn word(&mut self, unit: u32, pos: u8, v: &[u8], kind: Kind, role: Role, cap: bool, reg: u32) {
        self.stem(unit, pos, v, Class::full(v), kind, role, cap, reg);
        let rs = nicknames::ru_stem(v).to_vec();
        if rs.as_slice() != v {
            self.stem(unit, pos, &rs, Class::Ru, kind, role, cap, reg);
        }
    }

    /// The Russian stem of a name in -ия (Алия, Мария): it declines on the
    /// и (Алии, Алие, Марией), not on a soft consonant like Надя.
    #[allow(clippy::too_many_arguments)]
    fn i_stem(
        &mut self,
        unit: u32,
        pos: u8,
        v: &[u8],
        kind: Kind,
        role: Role,
        cap: bool,
        reg: u32,
    ) {
        if v.len() >= 3 && v.ends_with(&[crate::skeleton::I, b'a']) {
            let st = &v[..v.len() - 1];
            self.stem(unit, pos, st, Class::Ru, kind, role, cap, reg);
        }
    }

    /// A generated nickname: its full form, and its Russian stem only when
    /// that stem is long enough not to be a common syllable (Ар-, Ер-).
    fn nickname(&mut self, unit: u32, v: &[u8], cap: bool, reg: u32) {
        self.stem(
            unit,
            0,
            v,
            Class::full(v),
            Kind::Nickname,
            Role::Given,
            cap,
            reg,
        );
        let rs = nicknames::ru_stem(v).to_vec();
        // Kazakh pet forms in -ке (Ләке, Ереке) do not decline the Russian
        // way: their stem (Лак-, Ерек-) would only find other words.
        if rs.as_slice() != v && loose_of(&rs).len() >= 3 && !v.ends_with(b"ke") {
            self.stem(
                unit,
                0,
                &rs,
                Class::Ru,
                Kind::Nickname,
                Role::Given,
                cap,
                reg,
            );
        }
    }

    /// All forms of one token of a name (registered person, allow-list entry,
    /// public figure, term). `nick` adds diminutives for given names.
    #[allow(clippy::too_many_arguments)]
    fn name_token(
        &mut self,
        unit: u32,
        nick_unit: Option<(u32, u32)>,
        pos: u8,
        token: &str,
        n_tokens: usize,
        cap: bool,
        dict_ok: bool,
    ) -> bool {
        let reg = self.reg(token);
        let v = self.folder.fold(token, Mode::Vowel);
        let (mut role, mut base) = role_of(token, n_tokens);
        if role == Role::Surname && self.given_set.contains(&loose_of(&v).into_boxed_slice()) {
            role = Role::Given;
            base = Base::None;
        }
        let mut found_head = false;
        match base {
            Base::Father(father) => {
                let fv = self.folder.fold(&father, Mode::Vowel);
                self.stem(
                    unit,
                    pos,
                    &fv,
                    Class::Patronymic,
                    Kind::Patronymic,
                    role,
                    cap,
                    reg,
                );
                if role == Role::Surname {
                    // Russified, a -ұлы/-қызы surname takes -ов/-ев
                    // (Байтұрсынұлы / Байтурсынов).
                    self.stem(unit, pos, &fv, Class::FamilyOv, Kind::Name, role, cap, reg);
                }
                self.word(unit, pos, &v, Kind::Name, role, cap, reg);
            }
            Base::Family(fam, class) if role == Role::Surname => {
                let fv = self.folder.fold(&fam, Mode::Vowel);
                self.stem(unit, pos, &fv, class, Kind::Name, role, cap, reg);
                self.stem(
                    unit,
                    pos,
                    &fv,
                    Class::Patronymic,
                    Kind::Patronymic,
                    role,
                    cap,
                    reg,
                );
                self.word(unit, pos, &v, Kind::Name, role, cap, reg);
            }
            Base::Adjective(stem) if role == Role::Surname => {
                let sv = self.folder.fold(&stem, Mode::Vowel);
                self.stem(unit, pos, &sv, Class::RuAdj, Kind::Name, role, cap, reg);
                self.word(unit, pos, &v, Kind::Name, role, cap, reg);
            }
            _ => {
                self.word(unit, pos, &v, Kind::Name, role, cap, reg);
                if ends_in_i_vowel(token) {
                    self.i_stem(unit, pos, &v, Kind::Name, role, cap, reg);
                }
                if let Some((rule_unit, dict_unit)) = nick_unit.filter(|_| role != Role::Surname) {
                    let (members, head) = if dict_ok {
                        nicknames::dictionary(&v)
                    } else {
                        (Vec::new(), false)
                    };
                    found_head = head;
                    let mut ruled = nicknames::rules(&v);
                    if let Some(kz) = nicknames::kazakh_spelling(token) {
                        let kv = self.folder.fold(&kz, Mode::Vowel);
                        if kv != v {
                            ruled.extend(nicknames::rules(&kv));
                        }
                    }
                    for m in &members {
                        // Dictionary forms are known nicknames: they outrank
                        // places and public figures (Ася over "Asia").
                        self.nickname(dict_unit, m, cap, reg);
                        // Affectionate forms of the short forms (Надя →
                        // Наденька), not of forms that already are
                        // diminutives (Наденька → *Надена).
                        if loose_of(m).len() <= 5 {
                            ruled.extend(nicknames::rules(m));
                        }
                    }
                    for n in ruled {
                        self.nickname(rule_unit, &n, cap, reg);
                    }
                }
            }
        }
        found_head
    }
}

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
            for t in &name_tokens {
                // Initials ("Сапарова А.Б.") and numbers are not names: a
                // lone "А" would match every sentence starting with "А".
                if t.chars().all(|c| c.is_numeric())
                    || t.chars().filter(|c| c.is_alphabetic()).count() < 2
                {
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
            }
            for a in &p.aliases {
                let at = tokens(a);
                for t in &at {
                    // Lower-case words in an alias are honorifics ("Жанар апай").
                    if !is_capitalised(t) || t.chars().filter(|c| c.is_alphabetic()).count() < 2 {
                        continue;
                    }
                    later.push((t.to_string(), at.len()));
                }
            }
            for (t, n) in later {
                b.name_token(name_unit, Some(nick_unit), 0, &t, n, true, !any_head);
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
        }
        Lexicon {
            groups,
            entries,
            group_flags,
            group_multi,
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

    /// Whether stem group `g` holds an entry of person `p`.
    pub(crate) fn group_has_person(&self, g: u32, p: u32) -> bool {
        self.group_entries(g)
            .iter()
            .any(|e| self.units[e.unit as usize].owner == Owner::Person(p))
    }
}

/// `src` with every string normalised (see [`crate::normalise`]).
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

/// One token of a registered term: adjectives lose their ending before the
/// Russian endings are added (Чист-ый → Чист-ого).
fn term_token(b: &mut Builder, unit: u32, pos: u8, tok: &str, cap: bool) {
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
fn term_token_spellings(b: &mut Builder, unit: u32, pos: u8, tok: &str, cap: bool) {
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
fn generic_spellings(folder: &mut Folder, tok: &str) -> Option<&'static [&'static str]> {
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
fn distinctive_head(folder: &mut Folder, head: &[&str]) -> bool {
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

/// The first two letters of a word, lower-cased, Kazakh letters read the
/// Russian way (Көк- and Кок- alike).
fn prefix2(word: &str) -> Option<[char; 2]> {
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

/// Legal forms written before or after a company's name (ТОО, LLP), in
/// capitals (АҚ is a joint-stock company, Ақ is "white").
const LEGAL_FORMS: &[&str] = &[
    "ТОО", "АО", "АҚ", "ЖШС", "ИП", "ЖК", "ОО", "ОФ", "ҚҚ", "ҚБ", "ООО", "ЗАО", "ОАО", "ПАО",
    "РОО", "ОЮЛ", "ЧУ", "LLP", "LLC", "JSC", "TOO", "AO", "NGO", "Ltd", "Inc", "GmbH",
];

/// A term's words without a legal form at either end (empty when nothing
/// else is left).
fn without_legal_form<'a>(toks: &[&'a str]) -> Vec<&'a str> {
    let legal = |t: &str| LEGAL_FORMS.contains(&t);
    let start = toks.iter().take_while(|t| legal(t)).count();
    let end = toks.len() - toks[start..].iter().rev().take_while(|t| legal(t)).count();
    toks[start..end].to_vec()
}

/// Splits a camel-case token ("БатысБурСервис") into its words; other
/// tokens come back whole. Every part has two letters or more.
fn camel_split(tok: &str) -> Vec<&str> {
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

/// Whether a word ends in и/і followed by я, е or ю (Россия, Азия,
/// Russia, Rossiya).
fn ends_in_i_vowel(tok: &str) -> bool {
    let l: Vec<char> = tok
        .chars()
        .rev()
        .take(3)
        .flat_map(char::to_lowercase)
        .collect();
    match l.as_slice() {
        [v, i, ..] if matches!(v, 'я' | 'е' | 'ю') && matches!(i, 'и' | 'і') => true,
        ['a', 'i', ..] => true,
        ['a', 'y', 'i'] => true,
        _ => false,
    }
}

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
fn builtin(b: &mut Builder) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_on_hyphens_and_spaces() {
        assert_eq!(tokens("Береке-Агро"), vec!["Береке", "Агро"]);
        assert_eq!(tokens(" Голос  степи "), vec!["Голос", "степи"]);
        assert_eq!(tokens("O'Brien"), vec!["O'Brien"]);
        assert!(tokens("--").is_empty());
    }

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

    #[test]
    fn roles() {
        assert_eq!(role_of("Сапарова", 3).0, Role::Surname);
        assert_eq!(role_of("Болатовна", 3).0, Role::Patronymic);
        assert_eq!(role_of("Қайратұлы", 3).0, Role::Patronymic);
        assert_eq!(role_of("Байтұрсынұлы", 2).0, Role::Surname);
        assert_eq!(role_of("Дина", 2).0, Role::Given);
        assert_eq!(role_of("Ким", 2).0, Role::Given);
        assert_eq!(role_of("Бондаренко", 3).0, Role::Surname);
        assert_eq!(role_of("Savchenko", 2).0, Role::Surname);
        assert_eq!(role_of("Ковальчук", 2).0, Role::Surname);
    }

    #[test]
    fn phone_keys() {
        assert_eq!(phone_key("+7 701 482 19 37"), "7014821937");
        assert_eq!(phone_key("87014821937"), "7014821937");
        assert_eq!(phone_key("255-44-11"), "2554411");
    }

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
