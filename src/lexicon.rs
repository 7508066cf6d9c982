//! Builds the redaction engine's lexicon from the vault's registry: every
//! active person's name, aliases and contacts, every sensitive term, and the
//! allow-list. Purged persons contribute nothing: their real-name data is gone.

use crate::records::{persons, terms, terms::TermClass, Result};
use fieldvault_redact::{Lexicon, LexiconSource, PersonSource, TermSource};
use rusqlite::Connection;

/// The bracketed token a person's identifiers become in redacted text.
pub fn person_replacement(pseudonym: &str) -> String {
    format!("[{pseudonym}]")
}

/// The lexicon source for the whole vault. For `named` persons (who asked
/// to be named and whose naming the researcher confirmed for one export) the
/// name and aliases become allowed words instead, so that their own quotes
/// keep their name; their contacts are still redacted. Use such a lexicon
/// only for the named persons' own quotes.
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
        if is_named {
            // Each word on its own too, so that every inflected form stays.
            for n in std::iter::once(&name).chain(&p.aliases) {
                src.allow.push(n.clone());
                src.allow.extend(
                    n.split_whitespace()
                        .filter(|w| w.chars().count() > 1)
                        .map(str::to_string),
                );
            }
        }
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
            TermClass::Allowed => {
                // A registered person always wins over an allowed word (one
                // allowed before the person was registered, say).
                if terms::person_with_name_part(conn, &t.text)?.is_none() {
                    src.allow.push(t.text);
                }
                continue;
            }
            TermClass::Sensitive(kind) => kind,
        };
        src.terms.push(TermSource {
            key: format!("term {}", t.id),
            replacement: t
                .replacement
                .clone()
                .unwrap_or_else(|| kind.default_replacement().to_string()),
            text: t.text,
            kind,
        });
    }
    Ok(src)
}

pub fn build(conn: &Connection, named: &[i64]) -> Result<Lexicon> {
    Ok(Lexicon::build(&source(conn, named)?))
}

/// A scrubber for `purge::apply`: replaces the person's identifiers (every
/// form the redaction engine knows) with their bracketed pseudonym, and
/// leaves everything else in the text as it is.
pub fn person_scrubber(
    conn: &Connection,
    person: i64,
) -> Result<impl Fn(&str) -> Option<(String, usize)>> {
    let key = person.to_string();
    let mut src = source(conn, &[])?;
    src.persons.retain(|p| p.key == key);
    src.terms.clear();
    let lex = Lexicon::build(&src);
    Ok(move |text: &str| {
        let red =
            fieldvault_redact::redact(&lex, text, &fieldvault_redact::RedactOptions::default());
        let mut out = text.to_string();
        let mut n = 0;
        for r in red.replacements.iter().rev() {
            if matches!(&r.reason, fieldvault_redact::Reason::Person { key: k, .. } if *k == key) {
                out.replace_range(r.start..r.end, &r.replacement);
                n += 1;
            }
        }
        (n > 0).then_some((out, n))
    })
}
