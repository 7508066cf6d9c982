//! Purging a person after a withdrawal: their transcripts, excerpts,
//! consent evidence and every piece of real-name data are deleted, and their
//! mentions elsewhere in the vault are replaced by the pseudonym. The id,
//! the pseudonym and the consent history's dates and decisions stay: they
//! are the proof that the withdrawal was honoured.
//!
//! Every text column of the schema is in one of three lists here (scrubbed
//! everywhere, removed for the person, or exempt with a reason), and a test
//! checks the lists against the schema, so that a new free-text field
//! cannot survive a purge unnoticed.

use super::persons::get;
use super::{now_rfc3339, transcripts, RecordsError, Result};
use rusqlite::{params, Connection};
use serde::Serialize;

/// What a purge removed, for the confirmation message and the audit log.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PurgeReport {
    pub pseudonym: String,
    pub transcripts: Vec<i64>,
    pub excerpts: usize,
    /// Attachment ids the caller must delete from disk.
    pub attachments: Vec<String>,
    /// Mentions of the person replaced elsewhere in the vault.
    pub mentions_scrubbed: usize,
    /// Other transcripts in which mentions were replaced.
    pub transcripts_scrubbed: Vec<i64>,
    /// Group interviews kept for the other speakers, the person's own turns
    /// replaced by [`REMOVED_TURN`].
    pub transcripts_kept: Vec<i64>,
    /// The person's own turns replaced in transcripts that stay.
    pub turns_removed: usize,
    /// Audit entries whose details concerned the person, as (seq, hash):
    /// their details are erased, and the purge entry lists them so that
    /// `audit verify` can still check the chain.
    pub audit_erased: Vec<(i64, String)>,
}

/// What a purged person's own turn becomes in a transcript that stays for
/// the other speakers. Such turns are never exported.
pub const REMOVED_TURN: &str = "[turn removed: consent withdrawn]";

/// Everything a purge would remove, without removing it.
pub fn plan(conn: &Connection, id: i64) -> Result<PurgeReport> {
    let p = get(conn, id)?;
    if p.is_purged() {
        return Err(RecordsError::Purged {
            pseudonym: p.pseudonym,
        });
    }
    let all = conn
        .prepare("SELECT transcript_id FROM transcript_person WHERE person_id = ?1 ORDER BY transcript_id")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    // A group interview with mapped speaker labels stays for the others when
    // it has other persons; without a mapping nobody can tell whose turns
    // are whose, so the whole transcript goes.
    let (mut transcripts, mut transcripts_kept) = (Vec::new(), Vec::new());
    for t in all {
        let info = transcripts::info(conn, t)?;
        let others = info.persons.iter().any(|p| *p != id);
        let mapped = info.speakers.iter().any(|(_, p)| *p == id);
        if others && mapped {
            transcripts_kept.push(t);
        } else {
            transcripts.push(t);
        }
    }
    let mut excerpts = 0usize;
    for t in &transcripts {
        excerpts += conn.query_row(
            "SELECT COUNT(*) FROM excerpt WHERE transcript_id = ?1",
            [t],
            |r| r.get::<_, i64>(0),
        )? as usize;
    }
    let attachments = conn
        .prepare(
            "SELECT ce.attachment_id FROM consent_evidence ce JOIN consent_event e ON e.id = ce.event_id WHERE e.person_id = ?1",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(PurgeReport {
        pseudonym: p.pseudonym,
        transcripts,
        excerpts,
        attachments,
        transcripts_kept,
        ..Default::default()
    })
}

/// Rewrites one text so that it no longer mentions the purged person:
/// returns the new text and how many mentions it replaced, or `None` when
/// the text does not mention them. The caller builds it from the person's
/// lexicon before the name data is deleted.
pub type Scrubber<'a> = &'a dyn Fn(&str) -> Option<(String, usize)>;

/// Every text column where a person can be mentioned by somebody else:
/// (table, key column, text column). Each is rewritten with the scrubber.
/// The test `every_text_column_is_scrubbed_removed_or_exempt` fails when a
/// new text column is in none of the lists of this module.
const MENTION_COLUMNS: &[(&str, &str, &str)] = &[
    ("turn", "id", "text"),
    ("turn", "id", "translation"),
    ("turn", "id", "speaker"),
    ("turn", "id", "translation_speaker"),
    ("excerpt", "id", "note"),
    ("transcript", "id", "interviewer"),
    ("transcript", "id", "source_name"),
    ("transcript", "id", "translation_name"),
    ("transcript_speaker", "rowid", "label"),
    ("transcript_metadata", "rowid", "label"),
    ("transcript_metadata", "rowid", "value"),
    ("transcript_interviewer", "rowid", "label"),
    ("person", "id", "descriptor"),
    ("person_attribute", "rowid", "value"),
    ("consent_event", "id", "note"),
    ("consent_event", "id", "restrictions"),
    ("consent_evidence", "rowid", "file_name"),
    ("export_log", "id", "file_name"),
    ("excerpt_tag", "rowid", "tag"),
    ("export_disclosure", "rowid", "value"),
    ("coding_source", "rowid", "text"),
];

/// Text columns whose values of the purged person are deleted or set to
/// NULL by [`apply`] (for other persons they are their own data).
pub const REMOVED_COLUMNS: &[(&str, &str)] = &[
    ("person", "name"),
    ("person", "descriptor"),
    ("person_alias", "alias"),
    ("person_contact", "value"),
    ("person_attribute", "name"),
    ("person_attribute", "value"),
    ("consent_event", "restrictions"),
    ("consent_event", "note"),
    ("consent_evidence", "file_name"),
    ("decision", "word"),
    ("decision", "replacement"),
    ("export_disclosure", "field"),
    ("export_disclosure", "value"),
];

/// Text columns a purge leaves as they are, and why that is safe.
pub const EXEMPT_COLUMNS: &[(&str, &str, &str)] = &[
    ("setting", "key", "setting names are fixed by the code"),
    (
        "setting",
        "value",
        "settings are checked values (a prefix, numbers), not notes",
    ),
    (
        "person",
        "pseudonym",
        "kept on purpose: old publications still point at it",
    ),
    ("person", "created", "a timestamp"),
    ("person", "purged", "a timestamp"),
    (
        "pseudonym_used",
        "pseudonym",
        "kept on purpose: a pseudonym is never given again",
    ),
    ("pseudonym_used", "assigned", "a timestamp"),
    (
        "person_alias",
        "alias",
        "other persons' aliases are their own names",
    ),
    ("person_contact", "kind", "one of phone, email, handle"),
    (
        "person_attribute",
        "name",
        "attribute names are categories (city, org-type)",
    ),
    ("consent_event", "kind", "grant or withdrawal"),
    ("consent_event", "date", "a date"),
    ("consent_event", "method", "one of the consent methods"),
    (
        "consent_event",
        "attribution",
        "one of the attribution choices",
    ),
    ("consent_event", "embargo_until", "a date"),
    ("consent_event", "recorded_at", "a timestamp"),
    ("consent_event", "scope", "one of the withdrawable scopes"),
    ("consent_evidence", "attachment_id", "a random id"),
    ("consent_evidence", "sha256", "a hash"),
    (
        "term",
        "text",
        "a registered term is itself redacted everywhere",
    ),
    ("term", "kind", "one of the term kinds"),
    (
        "term",
        "replacement",
        "what a term becomes in redacted text",
    ),
    ("term", "created", "a timestamp"),
    ("transcript", "date", "a date"),
    ("transcript", "lang", "a language code"),
    ("transcript", "source_sha256", "a hash"),
    ("transcript", "source_format", "the name of a file format"),
    ("transcript", "translation_lang", "a language code"),
    ("transcript", "imported", "a timestamp"),
    (
        "transcript_metadata",
        "kind",
        "one of the metadata kinds (date, place, ...)",
    ),
    ("turn", "start", "a time code"),
    ("excerpt", "created", "a timestamp"),
    ("export_log", "created", "a timestamp"),
    ("export_log", "format", "an export format name"),
    ("export_log", "sha256", "a hash"),
    ("coding_source", "guid", "a random-keyed GUID"),
    (
        "coding_source",
        "turns",
        "turn numbers and character offsets",
    ),
    ("audit", "at", "a timestamp"),
    ("audit", "action", "a command name"),
    (
        "audit",
        "detail",
        "erased by audit::erase_details for every entry that concerns the person",
    ),
    ("pending_output", "path", "a temporary export file being written; the row goes when the export ends or at the next open"),
    ("pending_output", "started", "a timestamp"),
    ("audit", "prev", "a hash"),
    ("audit", "hash", "a hash"),
    (
        "decision",
        "word",
        "decisions whose word names the person are deleted; others name other words",
    ),
    (
        "decision",
        "replacement",
        "what the researcher chose to write instead of a word",
    ),
    ("decision", "source_sha256", "a hash"),
    ("decision", "text_sha256", "a hash"),
    ("decision", "field", "original or translation"),
    ("decision", "action", "keep or redact"),
    ("decision", "created", "a timestamp"),
];

/// Deletes the person's transcripts (with their excerpts), consent evidence
/// and every piece of real-name data, and replaces their mentions everywhere
/// else (other transcripts, speaker labels, notes, descriptors, file names)
/// with what `scrub` makes of them. Keeps the id, pseudonym and the consent
/// history's dates and decisions (the proof that the withdrawal was honoured).
pub fn apply(conn: &Connection, id: i64, scrub: Scrubber<'_>) -> Result<PurgeReport> {
    let mut plan = plan(conn, id)?;
    // Before anything is deleted: what the audit log says about the person.
    let erase = audit_entries_about(conn, id, &plan, scrub)?;
    for t in &plan.transcripts {
        transcripts::delete(conn, *t)?;
        conn.execute("DELETE FROM coding_source WHERE transcript_id = ?1", [t])?;
    }
    // Their own turns in group interviews that stay for the others, and in
    // any transcript where they speak under a label naming them.
    let mut own_turns: Vec<i64> = conn
        .prepare(
            "SELECT t.id FROM turn t JOIN transcript_speaker s
             ON s.transcript_id = t.transcript_id AND s.label = t.speaker WHERE s.person_id = ?1",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let labelled: Vec<(i64, String)> = conn
        .prepare("SELECT id, speaker FROM turn WHERE speaker <> ''")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    own_turns.extend(
        labelled
            .into_iter()
            .filter(|(_, label)| scrub(label).is_some())
            .map(|(t, _)| t),
    );
    own_turns.sort_unstable();
    own_turns.dedup();
    for t in &own_turns {
        conn.execute(
            "UPDATE turn SET text = ?1, translation = CASE WHEN translation IS NULL THEN NULL ELSE ?1 END, removed = 1 WHERE id = ?2",
            params![REMOVED_TURN, t],
        )?;
    }
    plan.turns_removed = own_turns.len();
    // Export file names are often named after the person: the exports that
    // held their quotes keep only their dates, formats and hashes.
    conn.execute(
        "UPDATE export_log SET file_name = ?1 WHERE id IN (SELECT export_id FROM export_item WHERE person_id = ?2)",
        params![REMOVED_FILE_NAME, id],
    )?;

    conn.execute(
        "DELETE FROM consent_evidence WHERE event_id IN (SELECT id FROM consent_event WHERE person_id = ?1)",
        [id],
    )?;
    conn.execute(
        "UPDATE consent_event SET restrictions = NULL, note = NULL WHERE person_id = ?1",
        [id],
    )?;
    conn.execute("DELETE FROM person_alias WHERE person_id = ?1", [id])?;
    conn.execute("DELETE FROM person_contact WHERE person_id = ?1", [id])?;
    conn.execute("DELETE FROM person_attribute WHERE person_id = ?1", [id])?;
    conn.execute("DELETE FROM export_disclosure WHERE person_id = ?1", [id])?;
    conn.execute(
        "UPDATE person SET name = NULL, descriptor = NULL, purged = ?1 WHERE id = ?2",
        params![now_rfc3339(), id],
    )?;
    let mut touched = std::collections::BTreeSet::new();
    for (table, key, column) in MENTION_COLUMNS {
        let rows: Vec<(i64, String)> = conn
            .prepare(&format!(
                "SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL"
            ))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (k, text) in rows {
            if let Some((new, n)) = scrub(&text) {
                conn.execute(
                    &format!("UPDATE {table} SET {column} = ?1 WHERE {key} = ?2"),
                    params![new, k],
                )?;
                plan.mentions_scrubbed += n;
                match *table {
                    "turn" => touched.insert(conn.query_row(
                        "SELECT transcript_id FROM turn WHERE id = ?1",
                        [k],
                        |r| r.get(0),
                    )?),
                    "transcript" => touched.insert(k),
                    _ => false,
                };
            }
        }
    }
    plan.transcripts_scrubbed = touched.into_iter().collect();
    plan.audit_erased = super::audit::erase_details(conn, &erase)?;
    // Review decisions hold the words they are about: those naming the
    // person, and every decision about the person's own transcripts, go.
    super::decisions::remove_for_purge(conn, &plan.transcripts, &|w| scrub(w).is_some())?;
    Ok(plan)
}

/// What an export's file name becomes when the export held a purged
/// person's quotes.
pub const REMOVED_FILE_NAME: &str = "[file name removed at a purge]";

fn excerpt_ids(conn: &Connection, transcripts: &[i64]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for t in transcripts {
        out.extend(
            conn.prepare("SELECT id FROM excerpt WHERE transcript_id = ?1")?
                .query_map([t], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?,
        );
    }
    Ok(out)
}

/// The audit entries that concern the person: they name them, one of their
/// transcripts, excerpts, evidence files or exports, or their details
/// mention them (a key label, a reason, a file name).
fn audit_entries_about(
    conn: &Connection,
    id: i64,
    plan: &PurgeReport,
    scrub: Scrubber<'_>,
) -> Result<Vec<i64>> {
    let excerpts = excerpt_ids(conn, &plan.transcripts)?;
    let exports: Vec<i64> = conn
        .prepare("SELECT DISTINCT export_id FROM export_item WHERE person_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for e in super::audit::list(conn)? {
        let d = &e.detail;
        // Another purge's entry vouches for what it erased: it holds ids,
        // pseudonyms and hashes only, and must stay intact.
        if e.action == super::audit::PURGE_ACTION {
            continue;
        }
        let num = |k: &str| d.get(k).and_then(serde_json::Value::as_i64);
        let is = |k: &str, set: &[i64]| num(k).is_some_and(|v| set.contains(&v));
        let about = num("person") == Some(id)
            || d.get("persons")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|a| a.iter().any(|v| v.as_i64() == Some(id)))
            || is("transcript", &plan.transcripts)
            || is("excerpt", &excerpts)
            || is("export", &exports)
            || d.get("attachment")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|a| plan.attachments.iter().any(|x| x == a))
            || scrub(&d.to_string()).is_some();
        if about {
            out.push(e.seq);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::persons::{add, edit, Contact, ContactKind, NewPerson, PersonEdit};
    use std::collections::BTreeSet;

    fn np(name: &str) -> NewPerson {
        NewPerson {
            name: name.into(),
            ..Default::default()
        }
    }

    /// (table, column) of every column declared TEXT, FTS5's own shadow
    /// tables aside (they index `turn` and follow it through triggers).
    fn text_columns(conn: &Connection) -> BTreeSet<(String, String)> {
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'turn_fts%' AND name NOT LIKE 'sqlite_%'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        let mut out = BTreeSet::new();
        for t in tables {
            let mut st = conn
                .prepare(&format!("SELECT name, type FROM pragma_table_info('{t}')"))
                .unwrap();
            let cols = st
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .unwrap();
            for c in cols {
                let (name, ty) = c.unwrap();
                if ty.eq_ignore_ascii_case("TEXT") {
                    out.insert((t.clone(), name));
                }
            }
        }
        out
    }

    #[test]
    fn every_text_column_is_scrubbed_removed_or_exempt() {
        let conn = crate::records::in_memory().unwrap();
        let schema = text_columns(&conn);
        let listed: BTreeSet<(String, String)> = MENTION_COLUMNS
            .iter()
            .map(|(t, _, c)| (t.to_string(), c.to_string()))
            .chain(
                REMOVED_COLUMNS
                    .iter()
                    .map(|(t, c)| (t.to_string(), c.to_string())),
            )
            .chain(
                EXEMPT_COLUMNS
                    .iter()
                    .map(|(t, c, _)| (t.to_string(), c.to_string())),
            )
            .collect();
        let unlisted: Vec<_> = schema.difference(&listed).collect();
        assert!(
            unlisted.is_empty(),
            "text columns a purge would leave untouched without a reason: {unlisted:?}; \
             add them to MENTION_COLUMNS (scrubbed), REMOVED_COLUMNS or EXEMPT_COLUMNS in records/purge.rs"
        );
        let stale: Vec<_> = listed.difference(&schema).collect();
        assert!(
            stale.is_empty(),
            "listed columns not in the schema: {stale:?}"
        );
        assert!(EXEMPT_COLUMNS.iter().all(|(_, _, why)| !why.is_empty()));
    }

    #[test]
    fn purge_removes_real_name_data_but_keeps_the_pseudonym() {
        let conn = crate::records::in_memory().unwrap();
        let p = add(
            &conn,
            &NewPerson {
                aliases: vec!["Гера".into()],
                contacts: vec![Contact {
                    kind: ContactKind::Phone,
                    value: "+7 701 482 19 37".into(),
                }],
                attributes: vec![("city".into(), "Almaty".into())],
                descriptor: Some("activist".into()),
                ..np("Сапарова Айгерим")
            },
        )
        .unwrap();
        apply(&conn, p.id, &|_| None).unwrap();
        let after = get(&conn, p.id).unwrap();
        assert!(
            after.name.is_none()
                && after.aliases.is_empty()
                && after.contacts.is_empty()
                && after.attributes.is_empty()
        );
        assert_eq!(after.pseudonym, "Respondent 1");
        assert!(matches!(
            edit(&conn, p.id, &PersonEdit::default()),
            Err(RecordsError::Purged { .. })
        ));
    }

    #[test]
    fn mentions_in_tags_and_notes_of_other_transcripts_are_scrubbed() {
        let conn = crate::records::in_memory().unwrap();
        let gone = add(&conn, &np("Сапарова Айгерим")).unwrap();
        let other = add(&conn, &np("Дина Ким")).unwrap();
        let t = transcripts::insert(
            &conn,
            &transcripts::NewTranscript {
                persons: vec![other.id],
                date: "2024-05-01".into(),
                lang: "ru".into(),
                source_name: "a.txt".into(),
                source_sha256: "00".into(),
                source_format: "plain text".into(),
                interviewer: None,
                translation_lang: None,
                translation_name: None,
                speakers: Vec::new(),
                metadata: Vec::new(),
                interviewer_labels: Vec::new(),
                turns: vec![transcripts::NewTurn {
                    speaker: "Дина".into(),
                    text: "Айгерим пришла.".into(),
                    ..Default::default()
                }],
            },
        )
        .unwrap();
        let e = crate::records::excerpts::add(
            &conn,
            t,
            crate::records::excerpts::Span::All,
            &["Айгерим".to_string()],
            Some("about Айгерим"),
        )
        .unwrap();
        let scrub = |s: &str| {
            s.contains("Айгерим")
                .then(|| (s.replace("Айгерим", "[Respondent 1]"), 1))
        };
        let report = apply(&conn, gone.id, &scrub).unwrap();
        assert_eq!(report.mentions_scrubbed, 3);
        let ex = crate::records::excerpts::get(&conn, e.id).unwrap();
        assert_eq!(ex.tags, vec!["[Respondent 1]".to_string()]);
        assert_eq!(ex.note.as_deref(), Some("about [Respondent 1]"));
    }
}
