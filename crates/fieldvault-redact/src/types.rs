//! The crate's public data types: how a span was found ([`MatchForm`],
//! [`PatternKind`], [`Reason`]), what redaction returns ([`Redacted`],
//! [`Replacement`]), the leak check's and the suspect list's findings
//! ([`Leak`], [`Suspect`]) and the options ([`RedactOptions`]).
//!
//! WHY a leaf module of their own: every stage of the pipeline reports in
//! these types, and none of them depends on any stage, so keeping them
//! apart from the crate root keeps the module graph free of cycles.

use serde::Serialize;

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
    /// A name part several registered persons share, with nothing in the
    /// text to say which one is meant: replaced by a neutral placeholder.
    Ambiguous {
        /// The candidates' keys.
        keys: Vec<String>,
        /// The candidates' pseudonyms (their replacements).
        pseudonyms: Vec<String>,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Person { key, form } => write!(f, "person {key} ({form})"),
            Reason::Term { key } => write!(f, "term {key}"),
            Reason::Pattern(k) => write!(f, "{k}"),
            Reason::UnregisteredName => f.write_str("unregistered name"),
            Reason::Ambiguous { pseudonyms, .. } => {
                write!(f, "one of {}", pseudonyms.join(", "))
            }
        }
    }
}

/// One replacement made by [`redact`](crate::redact).
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

/// The result of [`redact`](crate::redact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redacted {
    /// The redacted text.
    pub text: String,
    /// Every replacement, in input order.
    pub replacements: Vec<Replacement>,
}

/// Switches for [`redact`](crate::redact).
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

/// A surviving identifier found by [`leak_check`](crate::leak_check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leak {
    /// Byte offset in the checked text.
    pub start: usize,
    /// Byte offset just past the identifier.
    pub end: usize,
    /// What it is.
    pub reason: Reason,
}

/// A capitalised word that matched nothing, reported by [`suspects`](crate::suspects).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suspect {
    /// Byte offset in the text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// The word.
    pub word: String,
}
