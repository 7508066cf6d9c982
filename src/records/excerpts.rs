//! Excerpts: spans of turns chosen for analysis or publication, with tags
//! (codes) and notes. The translation span is the same turns, because
//! translations are aligned turn by turn at import.

use super::{now_rfc3339, persons::safe_echo, transcripts, RecordsError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Excerpt {
    pub id: i64,
    pub transcript: i64,
    pub first_line: u32,
    pub last_line: u32,
    pub tags: Vec<String>,
    pub note: Option<String>,
    pub created: String,
}

/// Which turns an excerpt covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Lines(u32, u32),
    All,
}

/// Parses "A-B" or "A" (1-based, inclusive).
pub fn parse_lines(s: &str) -> Result<Span> {
    let bad =
        || RecordsError::Invalid("--lines takes a range like 3-7 (or a single line like 5)".into());
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (
            a.trim().parse::<u32>().map_err(|_| bad())?,
            b.trim().parse::<u32>().map_err(|_| bad())?,
        ),
        None => {
            let a = s.trim().parse::<u32>().map_err(|_| bad())?;
            (a, a)
        }
    };
    if a == 0 || b < a {
        return Err(bad());
    }
    Ok(Span::Lines(a, b))
}

fn check_tag(t: &str) -> Result<String> {
    let t = t.trim();
    if t.is_empty() || t.chars().count() > 60 || t.chars().any(|c| c.is_control()) {
        return Err(RecordsError::Invalid("a tag is 1-60 characters".into()));
    }
    Ok(t.to_string())
}

fn bounds(conn: &Connection, transcript: i64, span: Span) -> Result<(u32, u32)> {
    let len = transcripts::info(conn, transcript)?.turns;
    match span {
        Span::All => Ok((1, len)),
        Span::Lines(a, b) if b <= len => Ok((a, b)),
        Span::Lines(a, b) => Err(RecordsError::LineRange {
            transcript,
            first: a,
            last: b,
            len,
        }),
    }
}

pub fn add(
    conn: &Connection,
    transcript: i64,
    span: Span,
    tags: &[String],
    note: Option<&str>,
) -> Result<Excerpt> {
    let (a, b) = bounds(conn, transcript, span)?;
    conn.execute(
        "INSERT INTO excerpt(transcript_id, first_line, last_line, note, created) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![transcript, a, b, note.map(str::trim).filter(|n| !n.is_empty()), now_rfc3339()],
    )?;
    let id = conn.last_insert_rowid();
    for t in tags {
        conn.execute(
            "INSERT OR IGNORE INTO excerpt_tag(excerpt_id, tag) VALUES (?1, ?2)",
            params![id, check_tag(t)?],
        )?;
    }
    get(conn, id)
}

pub fn resolve(conn: &Connection, key: &str) -> Result<i64> {
    let id = key
        .trim()
        .parse::<i64>()
        .map_err(|_| RecordsError::UnknownExcerpt(safe_echo(key)))?;
    let found: Option<i64> = conn
        .query_row("SELECT id FROM excerpt WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    found.ok_or_else(|| RecordsError::UnknownExcerpt(id.to_string()))
}

pub fn get(conn: &Connection, id: i64) -> Result<Excerpt> {
    let tags = conn
        .prepare("SELECT tag FROM excerpt_tag WHERE excerpt_id = ?1 ORDER BY tag")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    conn.query_row(
        "SELECT transcript_id, first_line, last_line, note, created FROM excerpt WHERE id = ?1",
        [id],
        |r| {
            Ok(Excerpt {
                id,
                transcript: r.get(0)?,
                first_line: r.get(1)?,
                last_line: r.get(2)?,
                tags: tags.clone(),
                note: r.get(3)?,
                created: r.get(4)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| RecordsError::UnknownExcerpt(id.to_string()))
}

/// Excerpts carrying any of `tags` (all when empty), by id.
pub fn list(conn: &Connection, tags: &[String]) -> Result<Vec<Excerpt>> {
    let ids = conn
        .prepare("SELECT id FROM excerpt ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    let all = ids
        .into_iter()
        .map(|id| get(conn, id))
        .collect::<Result<Vec<_>>>()?;
    Ok(all
        .into_iter()
        .filter(|e| tags.is_empty() || e.tags.iter().any(|t| tags.contains(t)))
        .collect())
}

/// Every tag in use, for checking `--tag` arguments.
pub fn all_tags(conn: &Connection) -> Result<Vec<String>> {
    let tags = conn
        .prepare("SELECT DISTINCT tag FROM excerpt_tag ORDER BY tag")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(tags)
}

#[derive(Debug, Clone, Default)]
pub struct ExcerptEdit {
    pub span: Option<Span>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    pub note: Option<String>,
}

pub fn edit(conn: &Connection, id: i64, e: &ExcerptEdit) -> Result<Excerpt> {
    let cur = get(conn, id)?;
    if let Some(span) = e.span {
        let (a, b) = bounds(conn, cur.transcript, span)?;
        conn.execute(
            "UPDATE excerpt SET first_line = ?1, last_line = ?2 WHERE id = ?3",
            params![a, b, id],
        )?;
    }
    for t in &e.remove_tags {
        conn.execute(
            "DELETE FROM excerpt_tag WHERE excerpt_id = ?1 AND tag = ?2",
            params![id, t.trim()],
        )?;
    }
    for t in &e.add_tags {
        conn.execute(
            "INSERT OR IGNORE INTO excerpt_tag(excerpt_id, tag) VALUES (?1, ?2)",
            params![id, check_tag(t)?],
        )?;
    }
    if let Some(n) = &e.note {
        conn.execute(
            "UPDATE excerpt SET note = ?1 WHERE id = ?2",
            params![Some(n.trim()).filter(|n| !n.is_empty()), id],
        )?;
    }
    get(conn, id)
}

pub fn remove(conn: &Connection, id: i64) -> Result<Excerpt> {
    let e = get(conn, id)?;
    conn.execute("DELETE FROM excerpt_tag WHERE excerpt_id = ?1", [id])?;
    conn.execute("DELETE FROM excerpt WHERE id = ?1", [id])?;
    Ok(e)
}

/// How many excerpts transcript `transcript` has.
pub fn count_in(conn: &Connection, transcript: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM excerpt WHERE transcript_id = ?1",
        [transcript],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Connection, i64) {
        let conn = crate::records::in_memory().unwrap();
        let p = crate::records::persons::add(
            &conn,
            &crate::records::persons::NewPerson {
                name: "A B".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let t = transcripts::NewTranscript {
            persons: vec![p.id],
            date: "2021-01-01".into(),
            lang: "ru".into(),
            interviewer: None,
            source_name: "x.txt".into(),
            source_sha256: "00".into(),
            source_format: "plain text".into(),
            translation_lang: None,
            translation_name: None,
            speakers: vec![],
            metadata: vec![],
            interviewer_labels: vec![],
            turns: (1..=5)
                .map(|i| transcripts::NewTurn {
                    speaker: "S".into(),
                    text: format!("turn {i}"),
                    ..Default::default()
                })
                .collect(),
        };
        let id = transcripts::insert(&conn, &t).unwrap();
        (conn, id)
    }

    #[test]
    fn ranges_tags_edit_remove() {
        let (conn, t) = setup();
        assert_eq!(parse_lines("2-4").unwrap(), Span::Lines(2, 4));
        assert_eq!(parse_lines("3").unwrap(), Span::Lines(3, 3));
        assert!(
            parse_lines("4-2").is_err()
                && parse_lines("0-1").is_err()
                && parse_lines("a-b").is_err()
        );
        let e = add(
            &conn,
            t,
            Span::Lines(2, 4),
            &["fear".into(), "police".into()],
            Some("n"),
        )
        .unwrap();
        assert_eq!((e.first_line, e.last_line), (2, 4));
        assert!(matches!(
            add(&conn, t, Span::Lines(4, 9), &[], None),
            Err(RecordsError::LineRange { len: 5, .. })
        ));
        let all = add(&conn, t, Span::All, &[], None).unwrap();
        assert_eq!((all.first_line, all.last_line), (1, 5));
        assert_eq!(list(&conn, &["police".into()]).unwrap().len(), 1);
        let e2 = edit(
            &conn,
            e.id,
            &ExcerptEdit {
                remove_tags: vec!["fear".into()],
                span: Some(Span::Lines(1, 1)),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!((e2.tags.len(), e2.first_line), (1, 1));
        remove(&conn, e.id).unwrap();
        assert!(matches!(
            get(&conn, e.id),
            Err(RecordsError::UnknownExcerpt(_))
        ));
        assert_eq!(all_tags(&conn).unwrap(), Vec::<String>::new());
    }
}
