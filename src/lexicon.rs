//! Builds the redaction engine's lexicon from the vault's registry: every
//! active person's name, aliases and contacts, every sensitive term, and the
//! allow-list. Purged persons contribute nothing: their real-name data is gone.

use crate::records::{persons, terms, terms::TermKind, Result};
use fieldvault_redact::{Lexicon, LexiconSource, PersonSource, TermSource};
use rusqlite::Connection;

/// The bracketed token a person's identifiers become in redacted text.
pub fn person_replacement(pseudonym: &str) -> String {
    format!("[{pseudonym}]")
}

/// The lexicon source for the whole vault, leaving out the name forms of
/// `named` persons (who asked to be named and whose naming the researcher
/// confirmed for one export): their contacts are still redacted.
pub fn source(conn: &Connection, named: &[i64]) -> Result<LexiconSource> {
    let mut src = LexiconSource {
        persons: Vec::new(),
        terms: Vec::new(),
        allow: Vec::new(),
    };
    for p in persons::list(conn)? {
        let Some(name) = p.name.clone() else { continue };
        let contacts = |k: persons::ContactKind| {
            p.contacts
                .iter()
                .filter(|c| c.kind == k)
                .map(|c| c.value.clone())
                .collect::<Vec<_>>()
        };
        let is_named = named.contains(&p.id);
        src.persons.push(PersonSource {
            key: p.id.to_string(),
            replacement: person_replacement(&p.pseudonym),
            name: if is_named { String::new() } else { name },
            aliases: if is_named {
                Vec::new()
            } else {
                p.aliases.clone()
            },
            phones: contacts(persons::ContactKind::Phone),
            emails: contacts(persons::ContactKind::Email),
            handles: contacts(persons::ContactKind::Handle),
        });
    }
    for t in terms::list(conn)? {
        let kind = match t.kind {
            TermKind::Allow => {
                src.allow.push(t.text);
                continue;
            }
            TermKind::Org => fieldvault_redact::TermKind::Org,
            TermKind::Place => fieldvault_redact::TermKind::Place,
            TermKind::Person => fieldvault_redact::TermKind::Person,
            TermKind::Other => fieldvault_redact::TermKind::Other,
        };
        src.terms.push(TermSource {
            key: format!("term {}", t.id),
            replacement: t
                .replacement
                .clone()
                .unwrap_or_else(|| t.kind.default_replacement().to_string()),
            text: t.text,
            kind,
        });
    }
    Ok(src)
}

pub fn build(conn: &Connection, named: &[i64]) -> Result<Lexicon> {
    Ok(Lexicon::build(&source(conn, named)?))
}
