//! Answering a question: the same records whether the answer comes from
//! the screen or from `review resolve`. Every answer is one audited change;
//! the audit entry names the question id, the answer and the record ids,
//! never the word.

use super::questions::Question;
use crate::records::decisions::{self, Action, Field, NewDecision};
use crate::records::persons::{self, NewPerson, PersonEdit};
use crate::records::{audit, terms, transcripts, RecordsError, Result};
use fieldvault_redact::TermKind;
use rusqlite::Connection;
use serde_json::json;

/// The researcher's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Leave this occurrence as written.
    Keep,
    /// Replace this occurrence (with `[redacted]` or the given text).
    Redact { replacement: Option<String> },
    /// Never redact the word anywhere.
    Allow,
    /// A sensitive term.
    Term {
        kind: TermKind,
        replacement: Option<String>,
    },
    /// A new person (the name defaults to the word).
    Person {
        name: Option<String>,
        descriptor: Option<String>,
    },
    /// Another name of a registered person.
    Alias { person: i64 },
}

impl Answer {
    pub fn name(&self) -> &'static str {
        match self {
            Answer::Keep => "keep",
            Answer::Redact { .. } => "redact",
            Answer::Allow => "allow",
            Answer::Term { .. } => "term",
            Answer::Person { .. } => "person",
            Answer::Alias { .. } => "alias",
        }
    }
}

/// How to take an answer back (the screen's undo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    Decision(i64),
    Term(i64),
    Alias {
        person: i64,
        alias: String,
    },
    /// A registered person stays (a pseudonym is never given twice); the
    /// researcher edits or purges them instead.
    Person(i64),
}

/// What an answer did, in words without the word.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub summary: String,
    pub json: serde_json::Value,
    pub undo: Undo,
}

fn turn_text(conn: &Connection, q: &Question) -> Result<String> {
    let t = transcripts::turns(conn, q.transcript, Some((q.line, q.line)))?
        .into_iter()
        .next()
        .ok_or_else(|| RecordsError::UnknownTranscript(q.transcript.to_string()))?;
    Ok(match q.field {
        Field::Original => t.text,
        Field::Translation => t.translation.unwrap_or_default(),
    })
}

/// Stores `answer` for `q`; call inside one transaction (a commit).
pub fn resolve(conn: &Connection, q: &Question, answer: &Answer) -> Result<Resolved> {
    let word = q.word.trim();
    let (summary, record, undo) = match answer {
        Answer::Keep | Answer::Redact { .. } => {
            let text = turn_text(conn, q)?;
            let (action, replacement) = match answer {
                Answer::Redact { replacement } => (Action::Redact, replacement.as_deref()),
                _ => (Action::Keep, None),
            };
            let d = decisions::add(
                conn,
                &NewDecision {
                    transcript: q.transcript,
                    line: q.line,
                    field: q.field,
                    text: &text,
                    start: q.start,
                    word: &q.word,
                    action,
                    replacement,
                },
            )?;
            let what = if action == Action::Keep {
                "kept as written"
            } else {
                "redacted"
            };
            (
                format!(
                    "Question {}: {what} in this place (decision {}).",
                    q.id, d.id
                ),
                json!({ "decision": d.id }),
                Undo::Decision(d.id),
            )
        }
        Answer::Allow => {
            let t = terms::allow(conn, word)?;
            (
                format!("Question {}: allowed everywhere (term {}).", q.id, t.id),
                json!({ "term": t.id }),
                Undo::Term(t.id),
            )
        }
        Answer::Term { kind, replacement } => {
            let t = terms::add(conn, word, *kind, replacement.as_deref())?;
            (
                format!("Question {}: registered as a term (term {}).", q.id, t.id),
                json!({ "term": t.id }),
                Undo::Term(t.id),
            )
        }
        Answer::Person { name, descriptor } => {
            let name = name.as_deref().map(str::trim).filter(|n| !n.is_empty());
            let p = persons::add(
                conn,
                &NewPerson {
                    name: name.unwrap_or(word).to_string(),
                    descriptor: descriptor.clone().filter(|d| !d.trim().is_empty()),
                    ..Default::default()
                },
            )?;
            (
                format!(
                    "Question {}: registered as person {} ({}).",
                    q.id, p.id, p.pseudonym
                ),
                json!({ "person": p.id, "pseudonym": p.pseudonym }),
                Undo::Person(p.id),
            )
        }
        Answer::Alias { person } => {
            let p = persons::require_active(conn, *person)?;
            persons::edit(
                conn,
                p.id,
                &PersonEdit {
                    add_aliases: vec![word.to_string()],
                    ..Default::default()
                },
            )?;
            (
                format!(
                    "Question {}: added as another name of {}.",
                    q.id, p.pseudonym
                ),
                json!({ "person": p.id, "pseudonym": p.pseudonym }),
                Undo::Alias {
                    person: p.id,
                    alias: word.to_string(),
                },
            )
        }
    };
    audit::append(
        conn,
        "review resolve",
        json!({ "question": q.id, "kind": q.kind.as_str(), "answer": answer.name(), "record": record }),
    )?;
    let mut json = json!({ "question": q.id, "answer": answer.name() });
    if let (Some(o), Some(r)) = (json.as_object_mut(), record.as_object()) {
        o.extend(r.clone());
    }
    Ok(Resolved {
        summary,
        json,
        undo,
    })
}

/// Takes an answer back; call inside one transaction. Returns a message.
pub fn undo(conn: &Connection, u: &Undo) -> Result<String> {
    let msg = match u {
        Undo::Decision(id) => {
            decisions::remove(conn, *id)?;
            format!("Decision {id} taken back.")
        }
        Undo::Term(id) => {
            terms::remove(conn, *id)?;
            format!("Term {id} removed.")
        }
        Undo::Alias { person, alias } => {
            persons::edit(
                conn,
                *person,
                &PersonEdit {
                    remove_aliases: vec![alias.clone()],
                    ..Default::default()
                },
            )?;
            format!("Alias of person {person} removed.")
        }
        Undo::Person(id) => {
            return Err(RecordsError::Invalid(format!(
                "person {id} stays registered (a pseudonym is never given twice); use `person edit` or `person purge`"
            )))
        }
    };
    let what = match u {
        Undo::Decision(id) => json!({ "decision": id }),
        Undo::Term(id) => json!({ "term": id }),
        Undo::Alias { person, .. } => json!({ "alias_of": person }),
        Undo::Person(id) => json!({ "person": id }),
    };
    audit::append(conn, "review undo", what)?;
    Ok(msg)
}
