//! Interview transcripts: metadata, the persons interviewed, and the text as
//! numbered speaker turns with an optional translation aligned turn by turn.
//! Parsing files is the import crate's job; this module stores the result.

use super::{iso, now_rfc3339, parse_date, persons, RecordsError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// One speaker turn; `line` is the number researchers cite (1-based).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Turn {
    pub line: u32,
    pub speaker: String,
    pub text: String,
    pub translation: Option<String>,
    /// The speaker label as the translation writes it ("Respondent").
    pub translation_speaker: Option<String>,
    pub start: Option<String>,
}

/// One turn as an import supplies it.
#[derive(Debug, Clone, Default)]
pub struct NewTurn {
    pub speaker: String,
    pub text: String,
    pub start: Option<String>,
    pub translation: Option<String>,
    pub translation_speaker: Option<String>,
}

/// One row of interview metadata written in the source file (a DOCX table
/// of Date / Place / Interviewer rows): secret like the transcript.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MetadataRow {
    /// date, place, interviewer, interviewee, language, duration or other.
    pub kind: String,
    /// The label as written in the file ("Место").
    pub label: String,
    pub value: String,
}

/// What an import stores.
#[derive(Debug, Clone)]
pub struct NewTranscript {
    pub persons: Vec<i64>,
    pub date: String,
    pub lang: String,
    pub interviewer: Option<String>,
    pub source_name: String,
    pub source_sha256: String,
    pub source_format: String,
    pub translation_lang: Option<String>,
    pub translation_name: Option<String>,
    pub turns: Vec<NewTurn>,
    /// Group interviews: (speaker label as in the turns, person id).
    pub speakers: Vec<(String, i64)>,
    /// Metadata rows from the file, in file order.
    pub metadata: Vec<MetadataRow>,
    /// Group interviews: labels under which the interviewer speaks (their
    /// turns need nobody's consent).
    pub interviewer_labels: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TranscriptInfo {
    pub id: i64,
    pub date: String,
    pub lang: String,
    pub interviewer: Option<String>,
    pub persons: Vec<i64>,
    pub source_name: String,
    pub source_sha256: String,
    pub source_format: String,
    pub translation_lang: Option<String>,
    /// Speaker labels mapped to persons (group interviews); empty otherwise.
    pub speakers: Vec<(String, i64)>,
    /// Speaker labels mapped to the interviewer (group interviews).
    pub interviewer_labels: Vec<String>,
    pub turns: u32,
    pub imported: String,
    /// Metadata read from the source file (a DOCX metadata table).
    pub metadata: Vec<MetadataRow>,
}

/// Languages are stored as short lowercase codes (ISO 639-1 such as ru, kk,
/// en, or up to 8 letters for anything else).
pub fn check_lang(lang: &str) -> Result<String> {
    let l = lang.trim().to_lowercase();
    if (2..=8).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
        Ok(l)
    } else {
        Err(RecordsError::Invalid(
            "a language is a short code such as ru, kk or en".into(),
        ))
    }
}

pub fn insert(conn: &Connection, t: &NewTranscript) -> Result<i64> {
    let date = iso(parse_date(&t.date)?);
    let lang = check_lang(&t.lang)?;
    let translation_lang = t.translation_lang.as_deref().map(check_lang).transpose()?;
    if t.persons.is_empty() {
        return Err(RecordsError::Invalid(
            "a transcript needs at least one --person".into(),
        ));
    }
    if t.turns.is_empty() {
        return Err(RecordsError::Invalid("the transcript has no turns".into()));
    }
    for p in &t.persons {
        persons::require_active(conn, *p)?;
    }
    conn.execute(
        "INSERT INTO transcript(date, lang, interviewer, source_name, source_sha256, source_format, translation_lang, translation_name, imported)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            date,
            lang,
            t.interviewer,
            t.source_name,
            t.source_sha256,
            t.source_format,
            translation_lang,
            t.translation_name,
            now_rfc3339()
        ],
    )?;
    let id = conn.last_insert_rowid();
    for p in &t.persons {
        conn.execute(
            "INSERT OR IGNORE INTO transcript_person(transcript_id, person_id) VALUES (?1, ?2)",
            params![id, p],
        )?;
    }
    for (i, (label, person)) in t.speakers.iter().enumerate() {
        // Labels are compared as written in the turns; errors number them
        // instead of repeating them (a label may be a name).
        if !t.turns.iter().any(|turn| turn.speaker == *label) {
            return Err(RecordsError::Invalid(format!(
                "speaker label {} given with --speaker occurs in no turn",
                i + 1
            )));
        }
        if !t.persons.contains(person) {
            return Err(RecordsError::Invalid(format!(
                "speaker label {} is mapped to person {person}, who is not among the transcript's --person list",
                i + 1
            )));
        }
        conn.execute(
            "INSERT INTO transcript_speaker(transcript_id, label, person_id) VALUES (?1, ?2, ?3)",
            params![id, label, person],
        )
        .map_err(|_| RecordsError::Invalid(format!("speaker label {} is given twice", i + 1)))?;
    }
    for m in &t.metadata {
        conn.execute(
            "INSERT INTO transcript_metadata(transcript_id, kind, label, value) VALUES (?1, ?2, ?3, ?4)",
            params![id, m.kind, m.label, m.value],
        )?;
    }
    for (i, label) in t.interviewer_labels.iter().enumerate() {
        if !t.turns.iter().any(|turn| turn.speaker == *label) {
            return Err(RecordsError::Invalid(format!(
                "interviewer label {} given with --speaker occurs in no turn",
                i + 1
            )));
        }
        if t.speakers.iter().any(|(l, _)| l == label) {
            return Err(RecordsError::Invalid(format!(
                "interviewer label {} is also mapped to a person",
                i + 1
            )));
        }
        conn.execute(
            "INSERT INTO transcript_interviewer(transcript_id, label) VALUES (?1, ?2)",
            params![id, label],
        )
        .map_err(|_| {
            RecordsError::Invalid(format!("interviewer label {} is given twice", i + 1))
        })?;
    }
    let mut st = conn.prepare(
        "INSERT INTO turn(transcript_id, line, speaker, text, translation, translation_speaker, start) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, t) in t.turns.iter().enumerate() {
        st.execute(params![
            id,
            i as i64 + 1,
            t.speaker,
            t.text,
            t.translation,
            t.translation_speaker,
            t.start
        ])?;
    }
    Ok(id)
}

/// Finds a transcript by its numeric id.
pub fn resolve(conn: &Connection, key: &str) -> Result<i64> {
    let id = key
        .trim()
        .parse::<i64>()
        .map_err(|_| RecordsError::UnknownTranscript(persons::safe_echo(key)))?;
    let found: Option<i64> = conn
        .query_row("SELECT id FROM transcript WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    found.ok_or_else(|| RecordsError::UnknownTranscript(id.to_string()))
}

pub fn info(conn: &Connection, id: i64) -> Result<TranscriptInfo> {
    let persons = conn
        .prepare(
            "SELECT person_id FROM transcript_person WHERE transcript_id = ?1 ORDER BY person_id",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    let speakers = conn
        .prepare("SELECT label, person_id FROM transcript_speaker WHERE transcript_id = ?1 ORDER BY rowid")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<(String, i64)>, _>>()?;
    let interviewer_labels = conn
        .prepare(
            "SELECT label FROM transcript_interviewer WHERE transcript_id = ?1 ORDER BY rowid",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let turns: u32 = conn
        .prepare("SELECT COUNT(*) FROM turn WHERE transcript_id = ?1")?
        .query_row([id], |r| r.get(0))?;
    let metadata = conn
        .prepare("SELECT kind, label, value FROM transcript_metadata WHERE transcript_id = ?1 ORDER BY rowid")?
        .query_map([id], |r| {
            Ok(MetadataRow {
                kind: r.get(0)?,
                label: r.get(1)?,
                value: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    conn.prepare(
        "SELECT date, lang, interviewer, source_name, source_sha256, source_format, translation_lang, imported FROM transcript WHERE id = ?1",
    )?
    .query_row([id], |r| {
            Ok(TranscriptInfo {
                id,
                date: r.get(0)?,
                lang: r.get(1)?,
                interviewer: r.get(2)?,
                persons: persons.clone(),
                source_name: r.get(3)?,
                source_sha256: r.get(4)?,
                source_format: r.get(5)?,
                translation_lang: r.get(6)?,
                speakers: speakers.clone(),
                interviewer_labels: interviewer_labels.clone(),
                turns,
                imported: r.get(7)?,
                metadata: metadata.clone(),
            })
        },
    )
    .optional()?
    .ok_or_else(|| RecordsError::UnknownTranscript(id.to_string()))
}

/// Every transcript in id order, each exactly as [`info`] reads it. Six
/// queries in all rather than six per transcript (`transcript list`, the
/// review and the deposit read them all).
pub fn list(conn: &Connection) -> Result<Vec<TranscriptInfo>> {
    use std::collections::HashMap;
    let mut all = conn
        .prepare(
            "SELECT id, date, lang, interviewer, source_name, source_sha256, source_format, translation_lang, imported
             FROM transcript ORDER BY id",
        )?
        .query_map([], |r| {
            Ok(TranscriptInfo {
                id: r.get(0)?,
                date: r.get(1)?,
                lang: r.get(2)?,
                interviewer: r.get(3)?,
                persons: Vec::new(),
                source_name: r.get(4)?,
                source_sha256: r.get(5)?,
                source_format: r.get(6)?,
                translation_lang: r.get(7)?,
                speakers: Vec::new(),
                interviewer_labels: Vec::new(),
                turns: 0,
                imported: r.get(8)?,
                metadata: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let at: HashMap<i64, usize> = all.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    // Each detail in the order `info` reads it, grouped by transcript.
    let mut each =
        |sql: &str,
         f: &mut dyn FnMut(&mut TranscriptInfo, &rusqlite::Row<'_>) -> rusqlite::Result<()>|
         -> Result<()> {
            let mut st = conn.prepare(sql)?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(&i) = at.get(&r.get::<_, i64>(0)?) {
                    f(&mut all[i], r)?;
                }
            }
            Ok(())
        };
    each(
        "SELECT transcript_id, person_id FROM transcript_person ORDER BY transcript_id, person_id",
        &mut |t, r| {
            t.persons.push(r.get(1)?);
            Ok(())
        },
    )?;
    each(
        "SELECT transcript_id, label, person_id FROM transcript_speaker ORDER BY transcript_id, rowid",
        &mut |t, r| {
            t.speakers.push((r.get(1)?, r.get(2)?));
            Ok(())
        },
    )?;
    each(
        "SELECT transcript_id, label FROM transcript_interviewer ORDER BY transcript_id, rowid",
        &mut |t, r| {
            t.interviewer_labels.push(r.get(1)?);
            Ok(())
        },
    )?;
    each(
        "SELECT transcript_id, COUNT(*) FROM turn GROUP BY transcript_id",
        &mut |t, r| {
            t.turns = r.get(1)?;
            Ok(())
        },
    )?;
    each(
        "SELECT transcript_id, kind, label, value FROM transcript_metadata ORDER BY transcript_id, rowid",
        &mut |t, r| {
            t.metadata.push(MetadataRow {
                kind: r.get(1)?,
                label: r.get(2)?,
                value: r.get(3)?,
            });
            Ok(())
        },
    )?;
    Ok(all)
}

/// Turns `first..=last` (all turns when `None`).
pub fn turns(conn: &Connection, id: i64, range: Option<(u32, u32)>) -> Result<Vec<Turn>> {
    let (a, b) = range.unwrap_or((1, u32::MAX));
    let mut st = conn.prepare(
        "SELECT line, speaker, text, translation, translation_speaker, start FROM turn
         WHERE transcript_id = ?1 AND line BETWEEN ?2 AND ?3 ORDER BY line",
    )?;
    let rows = st
        .query_map(params![id, a, b], |r| {
            Ok(Turn {
                line: r.get(0)?,
                speaker: r.get(1)?,
                text: r.get(2)?,
                translation: r.get(3)?,
                translation_speaker: r.get(4)?,
                start: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Who speaks in turns `first..=last`: in a group interview with mapped
/// speaker labels, the persons behind the labels of those turns; otherwise
/// (or when only unmapped labels, such as the interviewer's, speak there,
/// or when one of the turns has no speaker at all, as text before the first
/// label or an unnamed `>>` change of speaker) every person of the
/// transcript, which is the safe assumption.
pub fn speakers_of(conn: &Connection, id: i64, first: u32, last: u32) -> Result<Vec<i64>> {
    let info = info(conn, id)?;
    if info.speakers.is_empty() {
        return Ok(info.persons);
    }
    let unknown: i64 = conn.query_row(
        "SELECT COUNT(*) FROM turn WHERE transcript_id = ?1 AND line BETWEEN ?2 AND ?3 AND speaker = ''",
        params![id, first, last],
        |r| r.get(0),
    )?;
    if unknown > 0 {
        return Ok(info.persons);
    }
    let mut who: Vec<i64> = conn
        .prepare(
            "SELECT DISTINCT s.person_id FROM turn t JOIN transcript_speaker s
             ON s.transcript_id = t.transcript_id AND s.label = t.speaker
             WHERE s.person_id IS NOT NULL AND t.transcript_id = ?1 AND t.line BETWEEN ?2 AND ?3 ORDER BY s.person_id",
        )?
        .query_map(params![id, first, last], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if who.is_empty() {
        who = info.persons;
    }
    Ok(who)
}

/// The turns among `first..=last` that must never be quoted, with why: a
/// turn removed when its speaker was purged, and, in a group interview
/// (one with mapped speaker labels), a turn whose speaker is not identified
/// (a label mapped to nobody, or no label at all), whose consent cannot be
/// checked. Interviews without a mapping have all the transcript's persons
/// as speakers, so only removed turns count there.
pub fn unquotable_turns(
    conn: &Connection,
    id: i64,
    first: u32,
    last: u32,
) -> Result<Vec<(u32, super::consent::Refusal)>> {
    use super::consent::Refusal;
    let info = info(conn, id)?;
    let mapped = !(info.speakers.is_empty() && info.interviewer_labels.is_empty());
    let rows: Vec<(u32, bool, bool)> = conn
        .prepare(
            "SELECT t.line, t.removed,
               EXISTS (SELECT 1 FROM transcript_speaker s WHERE s.transcript_id = t.transcript_id AND s.label = t.speaker)
               OR EXISTS (SELECT 1 FROM transcript_interviewer i WHERE i.transcript_id = t.transcript_id AND i.label = t.speaker)
             FROM turn t WHERE t.transcript_id = ?1 AND t.line BETWEEN ?2 AND ?3 ORDER BY t.line",
        )?
        .query_map(params![id, first, last], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(line, removed, identified)| {
            if removed {
                Some((line, Refusal::TurnRemoved))
            } else if mapped && !identified {
                Some((line, Refusal::UnidentifiedSpeaker))
            } else {
                None
            }
        })
        .collect())
}

/// Whether the same source file (by hash) was already imported.
pub fn find_by_hash(conn: &Connection, sha256: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM transcript WHERE source_sha256 = ?1",
            [sha256],
            |r| r.get(0),
        )
        .optional()?)
}

/// Removes a transcript with its turns, excerpts and tags (the FTS index is
/// kept in step by triggers, with FTS5 secure-delete on).
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM transcript_speaker WHERE transcript_id = ?1",
        [id],
    )?;
    conn.execute(
        "DELETE FROM transcript_metadata WHERE transcript_id = ?1",
        [id],
    )?;
    conn.execute(
        "DELETE FROM transcript_interviewer WHERE transcript_id = ?1",
        [id],
    )?;
    conn.execute("DELETE FROM excerpt_tag WHERE excerpt_id IN (SELECT id FROM excerpt WHERE transcript_id = ?1)", [id])?;
    conn.execute("DELETE FROM excerpt WHERE transcript_id = ?1", [id])?;
    conn.execute("DELETE FROM turn WHERE transcript_id = ?1", [id])?;
    conn.execute(
        "DELETE FROM transcript_person WHERE transcript_id = ?1",
        [id],
    )?;
    conn.execute("DELETE FROM transcript WHERE id = ?1", [id])?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub transcript: i64,
    pub line: u32,
    /// "original" or "translation"
    pub field: &'static str,
    pub text: String,
}

/// Full-text search over originals and translations. Every word of the query
/// must occur (as a word prefix, so "Ерлан" also finds "Ерланом"); matching
/// is case-insensitive for Cyrillic and Kazakh letters too.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.replace('"', "")))
        .collect();
    if words.is_empty() {
        return Err(RecordsError::Invalid(
            "the search needs at least one word".into(),
        ));
    }
    let expr = words.join(" ");
    let mut hits = Vec::new();
    // Turns are stored in transcript and line order, so rowid order lets
    // FTS5 stop at the limit instead of sorting every match.
    for (field, col) in [("original", "text"), ("translation", "translation")] {
        let sql = format!(
            "SELECT t.transcript_id, t.line, t.{col} FROM turn_fts f JOIN turn t ON t.id = f.rowid
             WHERE turn_fts MATCH ?1 ORDER BY f.rowid LIMIT ?2"
        );
        let q = format!("{{{col}}} : ({expr})");
        let mut st = conn.prepare(&sql)?;
        let rows = st.query_map(params![q, limit as i64], |r| {
            Ok(SearchHit {
                transcript: r.get(0)?,
                line: r.get(1)?,
                field,
                text: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            })
        })?;
        for h in rows {
            hits.push(h?);
        }
    }
    hits.sort_by_key(|h| (h.transcript, h.line, h.field));
    hits.truncate(limit);
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::persons::{add, NewPerson};

    #[test]
    fn a_turn_without_a_speaker_counts_every_person_of_a_group_interview() {
        let conn = crate::records::in_memory().unwrap();
        let person = |name: &str| {
            add(
                &conn,
                &NewPerson {
                    name: name.into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .id
        };
        let (a, b) = (person("Айгуль Сериковна"), person("Болат Маратович"));
        let turn = |speaker: &str| NewTurn {
            speaker: speaker.into(),
            text: "…".into(),
            ..Default::default()
        };
        let id = insert(
            &conn,
            &NewTranscript {
                persons: vec![a, b],
                date: "2022-02-02".into(),
                lang: "ru".into(),
                interviewer: None,
                source_name: "group.vtt".into(),
                source_sha256: "cd".into(),
                source_format: "WebVTT".into(),
                translation_lang: None,
                translation_name: None,
                // Turn 1 is text before the first label (or an unnamed `>>`).
                turns: vec![turn(""), turn("Участник 1"), turn("Участник 2")],
                speakers: vec![("Участник 1".into(), a), ("Участник 2".into(), b)],
                interviewer_labels: vec![],
                metadata: vec![],
            },
        )
        .unwrap();
        assert_eq!(speakers_of(&conn, id, 2, 2).unwrap(), [a]);
        assert_eq!(speakers_of(&conn, id, 1, 2).unwrap(), [a, b]);
        assert_eq!(speakers_of(&conn, id, 1, 1).unwrap(), [a, b]);
    }

    #[test]
    fn metadata_rows_are_stored_shown_and_deleted_with_the_transcript() {
        let conn = crate::records::in_memory().unwrap();
        let (_, id) = sample_with_metadata(&conn);
        let info = info(&conn, id).unwrap();
        assert_eq!(info.metadata.len(), 2);
        assert_eq!(info.metadata[1].label, "Место");
        delete(&conn, id).unwrap();
        let left: i64 = conn
            .query_row("SELECT COUNT(*) FROM transcript_metadata", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }

    fn sample_with_metadata(conn: &Connection) -> (i64, i64) {
        let p = add(
            conn,
            &NewPerson {
                name: "Дана Ким".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let id = insert(
            conn,
            &NewTranscript {
                persons: vec![p.id],
                date: "2021-03-14".into(),
                lang: "ru".into(),
                interviewer: Some("А. Сапарова".into()),
                source_name: "04.docx".into(),
                source_sha256: "ef".into(),
                source_format: "DOCX".into(),
                translation_lang: None,
                translation_name: None,
                turns: vec![NewTurn {
                    speaker: "Респондент".into(),
                    text: "Да.".into(),
                    ..Default::default()
                }],
                speakers: vec![],
                interviewer_labels: vec![],
                metadata: vec![
                    MetadataRow {
                        kind: "date".into(),
                        label: "Дата".into(),
                        value: "14.03.2021".into(),
                    },
                    MetadataRow {
                        kind: "place".into(),
                        label: "Место".into(),
                        value: "Шымкент".into(),
                    },
                ],
            },
        )
        .unwrap();
        (p.id, id)
    }

    pub(crate) fn sample(conn: &Connection) -> (i64, i64) {
        let p = add(
            conn,
            &NewPerson {
                name: "Жанар Абдрахманова".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let t = NewTranscript {
            persons: vec![p.id],
            date: "2021-05-20".into(),
            lang: "kk".into(),
            interviewer: None,
            source_name: "03.txt".into(),
            source_sha256: "ab".into(),
            source_format: "plain text".into(),
            translation_lang: Some("en".into()),
            translation_name: Some("03.en.txt".into()),
            speakers: vec![],
            metadata: vec![],
            interviewer_labels: vec![],
            turns: vec![
                NewTurn {
                    speaker: "Сұхбаттасушы".into(),
                    text: "Жазуды бастадым.".into(),
                    translation: Some("I started recording.".into()),
                    ..Default::default()
                },
                NewTurn {
                    speaker: "Респондент".into(),
                    text: "ӘКІМДІКТЕ біреу қорқытты, Ерланом.".into(),
                    translation: Some("Somebody at the akimat scared me.".into()),
                    ..Default::default()
                },
            ],
        };
        (p.id, insert(conn, &t).unwrap())
    }

    #[test]
    fn import_show_and_search_case_insensitively_in_kazakh() {
        let conn = crate::records::in_memory().unwrap();
        let (_, id) = sample(&conn);
        assert_eq!(info(&conn, id).unwrap().turns, 2);
        assert_eq!(turns(&conn, id, Some((2, 2))).unwrap()[0].line, 2);
        let hits = search(&conn, "әкімдікте", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].line, hits[0].field), (2, "original"));
        assert_eq!(
            search(&conn, "ерлан", 10).unwrap().len(),
            1,
            "prefix search finds inflected forms"
        );
        assert_eq!(search(&conn, "AKIMAT", 10).unwrap()[0].field, "translation");
        assert!(search(&conn, "\" * ()", 10).is_err());
        assert!(
            search(&conn, "\" OR *", 10).unwrap().is_empty(),
            "operators are searched as words"
        );
        assert!(search(&conn, "NEAR(x y)", 10).unwrap().is_empty());
    }

    #[test]
    fn delete_leaves_no_trace_in_the_index() {
        let conn = crate::records::in_memory().unwrap();
        let (_, id) = sample(&conn);
        delete(&conn, id).unwrap();
        assert!(search(&conn, "бастадым", 10).unwrap().is_empty());
        assert!(matches!(
            info(&conn, id),
            Err(RecordsError::UnknownTranscript(_))
        ));
    }
}
