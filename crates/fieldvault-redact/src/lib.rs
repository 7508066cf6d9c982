//! fieldvault's redaction engine.
//!
//! A [`Lexicon`] is compiled once from the vault's registered persons,
//! sensitive terms and allow-list ([`LexiconSource`]); [`redact`] then
//! replaces every registered identifier in any form it takes in Russian,
//! Kazakh or English text, plus personal data found by patterns;
//! [`leak_check`] runs the same matcher over any output and reports what
//! survived; [`suspects`] lists capitalised words that match nothing, for a
//! human to register.
//!
//! How it works, module by module:
//!
//! * [`skeleton`]: text and lexicon fold into a phonetic skeleton where
//!   Ерлан/Yerlan/Erlan, Жұмабаев/Zhumabayev/Jumabaev and
//!   Тлеубаев/Тілеубаев/Tıleubaev coincide (and, read the scholarly way,
//!   Кузнецова/Kuznecova, Ибраева/Ibrajeva);
//! * `morph`: Russian endings and Kazakh suffix chains as skeleton suffix
//!   sets per kind of stem (name, family, patronymic);
//! * `nicknames`: dictionary and rule-made diminutives (Надя → Наденька,
//!   Ерлан → Ерик, Арман → Арманжан);
//! * `lexicon`, `trie`: stems in a byte trie, walked once per word;
//! * `gazetteer`: cities, public figures, given names and frequent words
//!   that must survive or that flag unregistered persons;
//! * `patterns`: phones, e-mails (also "собака"/"at" obfuscated), URLs,
//!   handles, IINs, IBANs, cards, street addresses;
//! * `engine`: candidates from all of the above, resolved by priority;
//! * `leak`, `suspects`, `unregistered`: the checks around it.
//!
//! Decisions worth knowing:
//!
//! * Matching is per word (hyphens separate words), and a match replaces
//!   the whole word, suffixes included ("Ерланға" → "[Respondent 2]"): no
//!   character-level offset map is needed, replacement offsets are word
//!   boundaries of the input, and no case ending is left to hint at the name.
//! * A match is a stem plus an inflection its kind of stem takes, checked
//!   in the loose skeleton and, for names, again with vowels: a
//!   derivational suffix makes another word (Азат / Азаттық "freedom"),
//!   and a surname declines within its own formant (Есенов is not Есенин,
//!   Ерлан is not Ерланов).
//! * A registered term is a name of an organisation or a place, and is
//!   mentioned the way names are: its distinctive words alone before
//!   generic business words ("Көкжал" of "Көкжал Майнинг"), those generic
//!   words in the other script (Майнинг / Mining), a camel-case name written
//!   apart, and derived words of a village (Көкқайнар-лық-тар, its people),
//!   which for a person's name would be other words.
//! * Overlaps are settled by priority: registered contacts, then patterns
//!   (so a public figure's avenue in a private address goes), the allow-list,
//!   full public names, registered persons and terms, built-in cities and
//!   public figures, nicknames, unregistered names.
//! * [`RedactOptions::default`] also replaces likely names of unregistered
//!   third parties with `[name]`: in these interviews colleagues, relatives
//!   and officers are as exposed as the respondent. Cities, public figures
//!   and allow-listed names outrank the detector; a person who asked to be
//!   named should be put on the allow-list so the detector leaves them too.
//!
//! Quality and speed are measured, not assumed: `tests/corpus.rs` scores the
//! public evaluation corpus and two synthetic ones with the scorer's rules,
//! `examples/eval_corpus.rs` writes outputs for `score.py`, and
//! `benches/throughput.rs` measures MB/s for 10 to 10,000 persons.
//!
//! The crate has no `unsafe` code and never panics on any input (see the
//! property tests).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod collisions;
mod engine;
mod fastcase;
mod fxhash;
mod gazetteer;
mod independent;
mod leak;
mod lexicon;
mod morph;
mod nicknames;
mod normalise;
mod patterns;
pub mod skeleton;
mod suspects;
mod tokenize;
mod trie;
mod unregistered;

use serde::Serialize;

pub use collisions::{builtin_collisions, collision_warning, Collision, CollisionKind};
pub use leak::{independent_check, leak_check};
pub use lexicon::{Lexicon, LexiconSource, PersonSource, TermKind, TermSource};
pub use suspects::suspects;

/// How a registered person's identifier was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchForm {
    /// Exactly as registered (any letter case).
    Exact,
    /// A case form or suffix chain of a registered name (Ерланом, Айгерімнің).
    Inflected,
    /// Another spelling or script of a registered name (Yerlan, Айгерім).
    Transliterated,
    /// A diminutive or nickname (Ерик, Наденька, Dinka, Арманжан).
    Nickname,
    /// Initials with a surname (А. Сапарова).
    Initials,
    /// A patronymic built from a registered one (Сейітқалиұлы, Кайратович).
    Patronymic,
    /// A registered phone, e-mail or handle.
    Contact,
    /// A look-alike spelling: confusable letters of another script,
    /// full-width or other compatibility forms, invisible characters.
    Lookalike,
    /// Found by the independent leak check only: a capitalised word that
    /// begins with a registered name part, or nearly does.
    Similar,
}

impl std::fmt::Display for MatchForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MatchForm::Exact => "exact",
            MatchForm::Inflected => "inflected",
            MatchForm::Transliterated => "transliterated",
            MatchForm::Nickname => "nickname",
            MatchForm::Initials => "initials",
            MatchForm::Patronymic => "patronymic",
            MatchForm::Contact => "contact",
            MatchForm::Lookalike => "lookalike",
            MatchForm::Similar => "similar",
        })
    }
}

/// What kind of personal data a pattern found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PatternKind {
    /// A phone number.
    Phone,
    /// An e-mail address (also obfuscated).
    Email,
    /// A URL or a personal domain.
    Url,
    /// A messenger handle (@name).
    Handle,
    /// A Kazakhstan IIN (or BIN).
    Iin,
    /// An IBAN.
    Iban,
    /// A payment card number.
    Card,
    /// A street address.
    Address,
}

impl std::fmt::Display for PatternKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PatternKind::Phone => "phone",
            PatternKind::Email => "email",
            PatternKind::Url => "url",
            PatternKind::Handle => "handle",
            PatternKind::Iin => "iin",
            PatternKind::Iban => "iban",
            PatternKind::Card => "card",
            PatternKind::Address => "address",
        })
    }
}

/// Why a span was replaced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Reason {
    /// A registered person, in the given form.
    Person {
        /// The person's key.
        key: String,
        /// How the identifier was found.
        form: MatchForm,
    },
    /// A registered term.
    Term {
        /// The term's key.
        key: String,
    },
    /// Personal data found by a pattern.
    Pattern(PatternKind),
    /// A likely name of a person nobody registered.
    UnregisteredName,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Person { key, form } => write!(f, "person {key} ({form})"),
            Reason::Term { key } => write!(f, "term {key}"),
            Reason::Pattern(k) => write!(f, "{k}"),
            Reason::UnregisteredName => f.write_str("unregistered name"),
        }
    }
}

/// One replacement made by [`redact`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replacement {
    /// Byte offset of the replaced span in the input.
    pub start: usize,
    /// Byte offset just past the replaced span in the input.
    pub end: usize,
    /// What was written instead.
    pub replacement: String,
    /// Why.
    pub reason: Reason,
}

/// The result of [`redact`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redacted {
    /// The redacted text.
    pub text: String,
    /// Every replacement, in input order.
    pub replacements: Vec<Replacement>,
}

/// Switches for [`redact`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedactOptions {
    /// Also replace likely names of persons nobody registered with `[name]`
    /// (common given names, surnames next to them or after a title). On by
    /// default: third parties in these interviews are exposed too.
    pub unregistered_names: bool,
    /// Run the personal-data patterns (phones, e-mails, ...). On by default.
    pub patterns: bool,
}

impl Default for RedactOptions {
    fn default() -> Self {
        RedactOptions {
            unregistered_names: true,
            patterns: true,
        }
    }
}

/// A surviving identifier found by [`leak_check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leak {
    /// Byte offset in the checked text.
    pub start: usize,
    /// Byte offset just past the identifier.
    pub end: usize,
    /// What it is.
    pub reason: Reason,
}

/// A capitalised word that matched nothing, reported by [`suspects`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suspect {
    /// Byte offset in the text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// The word.
    pub word: String,
}

/// Redacts `text`: every registered person, term and contact in any form,
/// and (per `opts`) personal data found by patterns and likely unregistered
/// names. Never panics; replacement offsets are char boundaries of `text`.
pub fn redact(lex: &Lexicon, text: &str, opts: &RedactOptions) -> Redacted {
    engine::redact(lex, text, opts)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lexicon_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<super::Lexicon>();
    }
}
