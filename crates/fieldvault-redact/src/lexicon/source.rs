//! What the lexicon is built from: the vault's registered persons, terms
//! and allow-list, and the text helpers that read them the way the text
//! tokenizer reads a transcript.

use serde::{Deserialize, Serialize};

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

pub(super) fn is_capitalised(token: &str) -> bool {
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
    fn phone_keys() {
        assert_eq!(phone_key("+7 701 482 19 37"), "7014821937");
        assert_eq!(phone_key("87014821937"), "7014821937");
        assert_eq!(phone_key("255-44-11"), "2554411");
    }
}
