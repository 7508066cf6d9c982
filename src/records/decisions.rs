//! Review decisions: the researcher's answer for one occurrence of a word
//! ("keep it here", "redact it here"), kept as a record in the vault.
//!
//! WHY anchored to the text and not only to ids: a transcript removed and
//! imported again from the same file gets a new id, but the researcher's
//! answers still hold for the same words in the same turns. A decision
//! therefore names the transcript's source file (by hash), the turn's line,
//! which field (original or translation), a hash of that field's text, the
//! word and its byte offset. It applies to a turn only when all of them
//! match: an edited turn (another hash) loses its decisions and its
//! questions come back, which is the fail-closed way round.
//!
//! Project-wide answers (register a person, add an alias or a term, allow a
//! word) are not stored here: they are the registry itself.

use super::{now_rfc3339, RecordsError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Which text of a turn a decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Original,
    Translation,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Original => "original",
            Field::Translation => "translation",
        }
    }

    fn parse(s: &str) -> Field {
        if s == "translation" {
            Field::Translation
        } else {
            Field::Original
        }
    }
}

/// What to do with one occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Leave the word as written here (the detector's replacement is undone).
    Keep,
    /// Replace the word here, though nothing registered matches it.
    Redact,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Keep => "keep",
            Action::Redact => "redact",
        }
    }

    fn parse(s: &str) -> Action {
        if s == "keep" {
            Action::Keep
        } else {
            Action::Redact
        }
    }
}

/// What a per-occurrence redaction writes unless told otherwise.
pub const DEFAULT_REPLACEMENT: &str = "[redacted]";

/// One stored decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub id: i64,
    pub transcript: i64,
    pub line: u32,
    pub field: Field,
    /// Byte offset of the word in the field's text.
    pub start: usize,
    pub word: String,
    pub action: Action,
    pub replacement: Option<String>,
}

impl Decision {
    pub fn end(&self) -> usize {
        self.start + self.word.len()
    }

    /// What a `redact` decision writes.
    pub fn replacement_text(&self) -> &str {
        self.replacement.as_deref().unwrap_or(DEFAULT_REPLACEMENT)
    }
}

/// A new decision, anchored to one word of one turn.
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub transcript: i64,
    pub line: u32,
    pub field: Field,
    /// The field's whole text (hashed, not stored).
    pub text: &'a str,
    pub start: usize,
    pub word: &'a str,
    pub action: Action,
    pub replacement: Option<&'a str>,
}

/// The schema of this module (migration 1 -> 2).
pub const SCHEMA: &str = r#"
    CREATE TABLE decision (
        id            INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL,
        source_sha256 TEXT NOT NULL,
        line          INTEGER NOT NULL,
        field         TEXT NOT NULL CHECK (field IN ('original', 'translation')),
        text_sha256   TEXT NOT NULL,
        start         INTEGER NOT NULL,
        word          TEXT NOT NULL,
        action        TEXT NOT NULL CHECK (action IN ('keep', 'redact')),
        replacement   TEXT,
        created       TEXT NOT NULL,
        UNIQUE (source_sha256, line, field, text_sha256, start)
    );
"#;

fn text_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn source_hash(conn: &Connection, transcript: i64) -> Result<String> {
    conn.prepare("SELECT source_sha256 FROM transcript WHERE id = ?1")?
        .query_row([transcript], |r| r.get(0))
        .optional()?
        .ok_or_else(|| RecordsError::UnknownTranscript(transcript.to_string()))
}

/// Stores a decision (replacing an earlier one for the same word).
pub fn add(conn: &Connection, d: &NewDecision<'_>) -> Result<Decision> {
    if d.text.get(d.start..d.start + d.word.len()) != Some(d.word) {
        return Err(RecordsError::Invalid(
            "that word is not at that place of the turn any more; list the questions again".into(),
        ));
    }
    let replacement = match d.replacement.map(str::trim) {
        Some("") => return Err(RecordsError::Invalid("the replacement is empty".into())),
        Some(r) if r.chars().count() > 100 => {
            return Err(RecordsError::Invalid(
                "a replacement is at most 100 characters".into(),
            ))
        }
        Some(r) if d.action == Action::Redact => Some(if r.starts_with('[') {
            r.to_string()
        } else {
            format!("[{r}]")
        }),
        _ => None,
    };
    let source = source_hash(conn, d.transcript)?;
    let hash = text_hash(d.text);
    conn.execute(
        "INSERT INTO decision(transcript_id, source_sha256, line, field, text_sha256, start, word, action, replacement, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(source_sha256, line, field, text_sha256, start) DO UPDATE SET
           transcript_id = excluded.transcript_id, word = excluded.word, action = excluded.action,
           replacement = excluded.replacement, created = excluded.created",
        params![
            d.transcript,
            source,
            d.line,
            d.field.as_str(),
            hash,
            d.start as i64,
            d.word,
            d.action.as_str(),
            replacement,
            now_rfc3339()
        ],
    )?;
    let id: i64 = conn.query_row(
        "SELECT id FROM decision WHERE source_sha256 = ?1 AND line = ?2 AND field = ?3 AND text_sha256 = ?4 AND start = ?5",
        params![source, d.line, d.field.as_str(), hash, d.start as i64],
        |r| r.get(0),
    )?;
    get(conn, id)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Decision> {
    Ok(Decision {
        id: r.get(0)?,
        transcript: r.get(1)?,
        line: r.get(2)?,
        field: Field::parse(&r.get::<_, String>(3)?),
        start: r.get::<_, i64>(4)? as usize,
        word: r.get(5)?,
        action: Action::parse(&r.get::<_, String>(6)?),
        replacement: r.get(7)?,
    })
}

const COLUMNS: &str = "id, transcript_id, line, field, start, word, action, replacement";

pub fn get(conn: &Connection, id: i64) -> Result<Decision> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM decision WHERE id = ?1"),
        [id],
        row,
    )
    .optional()?
    .ok_or_else(|| RecordsError::Invalid(format!("no decision {id} in this vault")))
}

/// Removes a decision (undo); returns what it was.
pub fn remove(conn: &Connection, id: i64) -> Result<Decision> {
    let d = get(conn, id)?;
    conn.execute("DELETE FROM decision WHERE id = ?1", [id])?;
    Ok(d)
}

/// The decisions that hold for one field of one turn of `transcript`
/// (whose text is `text`), in text order.
pub fn for_turn(
    conn: &Connection,
    transcript: i64,
    line: u32,
    field: Field,
    text: &str,
) -> Result<Vec<Decision>> {
    let source = match source_hash(conn, transcript) {
        Ok(s) => s,
        Err(RecordsError::UnknownTranscript(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let hash = text_hash(text);
    let mut st = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM decision WHERE source_sha256 = ?1 AND line = ?2 AND field = ?3 AND text_sha256 = ?4 ORDER BY start"
    ))?;
    let rows = st
        .query_map(params![source, line, field.as_str(), hash], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Only decisions whose word is still where it was.
    Ok(rows
        .into_iter()
        .map(|mut d| {
            d.transcript = transcript;
            d
        })
        .filter(|d| text.get(d.start..d.end()) == Some(d.word.as_str()))
        .collect())
}

/// Every decision about the turns of one transcript, read in one query,
/// for a caller that asks [`for_turn`]'s question of each of its turns (the
/// review of a whole transcript does: one query and one hash per turn took
/// a good part of `review list` on a large vault).
#[derive(Debug, Default)]
pub struct TranscriptDecisions {
    transcript: i64,
    /// (line, field, hash of the field's text) -> decisions in text order.
    by_turn: std::collections::HashMap<(u32, Field, String), Vec<Decision>>,
}

impl TranscriptDecisions {
    /// What [`for_turn`] returns for this turn's field.
    pub fn for_turn(&self, line: u32, field: Field, text: &str) -> Vec<Decision> {
        if self.by_turn.is_empty() {
            return Vec::new();
        }
        let Some(ds) = self.by_turn.get(&(line, field, text_hash(text))) else {
            return Vec::new();
        };
        ds.iter()
            .filter(|d| text.get(d.start..d.end()) == Some(d.word.as_str()))
            .map(|d| Decision {
                transcript: self.transcript,
                ..d.clone()
            })
            .collect()
    }
}

/// The decisions of every turn of `transcript` (none for an unknown one).
pub fn for_transcript(conn: &Connection, transcript: i64) -> Result<TranscriptDecisions> {
    let source = match source_hash(conn, transcript) {
        Ok(s) => s,
        Err(RecordsError::UnknownTranscript(_)) => return Ok(TranscriptDecisions::default()),
        Err(e) => return Err(e),
    };
    let mut st = conn.prepare(&format!(
        "SELECT {COLUMNS}, text_sha256 FROM decision WHERE source_sha256 = ?1 ORDER BY line, field, text_sha256, start"
    ))?;
    let mut by_turn: std::collections::HashMap<(u32, Field, String), Vec<Decision>> =
        std::collections::HashMap::new();
    let mut rows = st.query([&source])?;
    while let Some(r) = rows.next()? {
        let d = row(r)?;
        let hash: String = r.get(8)?;
        by_turn.entry((d.line, d.field, hash)).or_default().push(d);
    }
    Ok(TranscriptDecisions {
        transcript,
        by_turn,
    })
}

/// The decisions that hold for a free text, found by the hash of each of
/// its lines (for `redact FILE` of a transcript's own text): (line index in
/// `lines`, decisions).
pub fn for_free_text(conn: &Connection, line_text: &str) -> Result<Vec<Decision>> {
    let hash = text_hash(line_text);
    let mut st = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM decision WHERE text_sha256 = ?1 ORDER BY start"
    ))?;
    let rows = st
        .query_map([hash], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut seen = std::collections::BTreeSet::new();
    Ok(rows
        .into_iter()
        .filter(|d| line_text.get(d.start..d.end()) == Some(d.word.as_str()))
        .filter(|d| seen.insert(d.start))
        .collect())
}

/// Every decision, newest last.
pub fn list(conn: &Connection) -> Result<Vec<Decision>> {
    let mut st = conn.prepare(&format!("SELECT {COLUMNS} FROM decision ORDER BY id"))?;
    let rows = st
        .query_map([], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// For a purge: removes the decisions about the purged person's own
/// transcripts and every decision whose word `names_person` recognises as
/// one of the person's identifiers. Returns how many were removed.
pub fn remove_for_purge(
    conn: &Connection,
    transcripts: &[i64],
    names_person: &dyn Fn(&str) -> bool,
) -> Result<usize> {
    let mut gone = 0;
    for d in list(conn)? {
        if transcripts.contains(&d.transcript) || names_person(&d.word) {
            conn.execute("DELETE FROM decision WHERE id = ?1", [d.id])?;
            gone += 1;
        }
    }
    Ok(gone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{in_memory, persons, transcripts};

    fn vault_with_transcript() -> (Connection, i64) {
        let conn = in_memory().unwrap();
        let p = persons::add(
            &conn,
            &persons::NewPerson {
                name: "Dina Kim".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let t = transcripts::insert(
            &conn,
            &transcripts::NewTranscript {
                persons: vec![p.id],
                date: "2021-05-01".into(),
                lang: "en".into(),
                interviewer: None,
                source_name: "a.txt".into(),
                source_sha256: "ab".repeat(32),
                source_format: "txt".into(),
                translation_lang: None,
                translation_name: None,
                turns: vec![transcripts::NewTurn {
                    speaker: "R".into(),
                    text: "I met Bolat at the office.".into(),
                    ..Default::default()
                }],
                speakers: vec![],
                interviewer_labels: vec![],
                metadata: vec![],
            },
        )
        .unwrap();
        (conn, t)
    }

    #[test]
    fn a_decision_holds_for_the_same_text_only() {
        let (conn, t) = vault_with_transcript();
        let text = "I met Bolat at the office.";
        add(
            &conn,
            &NewDecision {
                transcript: t,
                line: 1,
                field: Field::Original,
                text,
                start: 6,
                word: "Bolat",
                action: Action::Redact,
                replacement: None,
            },
        )
        .unwrap();
        assert_eq!(
            for_turn(&conn, t, 1, Field::Original, text).unwrap().len(),
            1
        );
        assert!(
            for_turn(&conn, t, 1, Field::Original, "I met Bolat at home.")
                .unwrap()
                .is_empty()
        );
        assert!(for_turn(&conn, t, 1, Field::Translation, text)
            .unwrap()
            .is_empty());
        assert_eq!(for_free_text(&conn, text).unwrap().len(), 1);
    }

    #[test]
    fn survives_a_reimport_of_the_same_file() {
        let (conn, t) = vault_with_transcript();
        let text = "I met Bolat at the office.";
        let d = NewDecision {
            transcript: t,
            line: 1,
            field: Field::Original,
            text,
            start: 6,
            word: "Bolat",
            action: Action::Keep,
            replacement: None,
        };
        add(&conn, &d).unwrap();
        let info = transcripts::info(&conn, t).unwrap();
        let turns = transcripts::turns(&conn, t, None).unwrap();
        transcripts::delete(&conn, t).unwrap();
        let t2 = transcripts::insert(
            &conn,
            &transcripts::NewTranscript {
                persons: info.persons,
                date: info.date,
                lang: info.lang,
                interviewer: None,
                source_name: info.source_name,
                source_sha256: info.source_sha256,
                source_format: info.source_format,
                translation_lang: None,
                translation_name: None,
                turns: turns
                    .into_iter()
                    .map(|x| transcripts::NewTurn {
                        speaker: x.speaker,
                        text: x.text,
                        ..Default::default()
                    })
                    .collect(),
                speakers: vec![],
                interviewer_labels: vec![],
                metadata: vec![],
            },
        )
        .unwrap();
        let found = for_turn(&conn, t2, 1, Field::Original, text).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].action, Action::Keep);
        assert_eq!(found[0].transcript, t2);
    }

    #[test]
    fn refuses_a_word_that_is_not_there_and_purge_removes_names() {
        let (conn, t) = vault_with_transcript();
        let text = "I met Bolat at the office.";
        let mut d = NewDecision {
            transcript: t,
            line: 1,
            field: Field::Original,
            text,
            start: 5,
            word: "Bolat",
            action: Action::Keep,
            replacement: None,
        };
        assert!(add(&conn, &d).is_err());
        d.start = 6;
        add(&conn, &d).unwrap();
        assert_eq!(remove_for_purge(&conn, &[], &|w| w == "Other").unwrap(), 0);
        assert_eq!(remove_for_purge(&conn, &[], &|w| w == "Bolat").unwrap(), 1);
        assert!(list(&conn).unwrap().is_empty());
    }
}
