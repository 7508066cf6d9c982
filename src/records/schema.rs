//! The database schema and its migrations.
//!
//! `PRAGMA user_version` holds the schema version. Migrations only ever run
//! forward, each inside the caller's transaction, so a vault is either at the
//! old version or the new one. A vault whose version is newer than this
//! binary knows is refused rather than guessed at.

use super::{RecordsError, Result};
use rusqlite::Connection;

/// Each entry migrates from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first schema.
    r#"
    CREATE TABLE setting (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    -- A person row is never deleted: after a purge it keeps only its id and
    -- pseudonym, so that the pseudonym stays reserved forever.
    CREATE TABLE person (
        id          INTEGER PRIMARY KEY,
        pseudonym   TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name        TEXT,
        descriptor  TEXT,
        created     TEXT NOT NULL,
        purged      TEXT
    );
    -- Every pseudonym ever given, so that none is ever given to anyone else
    -- (after an edit or a purge old publications still point at one person).
    CREATE TABLE pseudonym_used (
        pseudonym TEXT PRIMARY KEY COLLATE NOCASE,
        person_id INTEGER NOT NULL REFERENCES person(id),
        assigned  TEXT NOT NULL
    );
    CREATE TABLE person_alias (
        person_id INTEGER NOT NULL REFERENCES person(id),
        alias     TEXT NOT NULL,
        PRIMARY KEY (person_id, alias)
    );
    CREATE TABLE person_contact (
        person_id INTEGER NOT NULL REFERENCES person(id),
        kind      TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'handle')),
        value     TEXT NOT NULL,
        PRIMARY KEY (person_id, kind, value)
    );
    CREATE TABLE person_attribute (
        person_id INTEGER NOT NULL REFERENCES person(id),
        name      TEXT NOT NULL,
        value     TEXT NOT NULL,
        PRIMARY KEY (person_id, name)
    );

    -- Append-only consent history; the current consent is derived.
    CREATE TABLE consent_event (
        id            INTEGER PRIMARY KEY,
        person_id     INTEGER NOT NULL REFERENCES person(id),
        kind          TEXT NOT NULL CHECK (kind IN ('grant', 'withdrawal')),
        date          TEXT NOT NULL,
        method        TEXT,
        recording     INTEGER,
        quotes        INTEGER,
        attribution   TEXT,
        embargo_until TEXT,
        restrictions  TEXT,
        note          TEXT,
        recorded_at   TEXT NOT NULL
    );
    CREATE TABLE consent_evidence (
        event_id      INTEGER NOT NULL REFERENCES consent_event(id),
        attachment_id TEXT NOT NULL,
        file_name     TEXT NOT NULL,
        sha256        TEXT NOT NULL,
        size          INTEGER NOT NULL
    );

    CREATE TABLE term (
        id          INTEGER PRIMARY KEY,
        text        TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('org', 'place', 'person', 'other', 'allow')),
        replacement TEXT,
        created     TEXT NOT NULL,
        UNIQUE (text, kind)
    );

    CREATE TABLE transcript (
        id                INTEGER PRIMARY KEY,
        date              TEXT NOT NULL,
        lang              TEXT NOT NULL,
        interviewer       TEXT,
        source_name       TEXT NOT NULL,
        source_sha256     TEXT NOT NULL,
        source_format     TEXT NOT NULL,
        translation_lang  TEXT,
        translation_name  TEXT,
        imported          TEXT NOT NULL
    );
    CREATE TABLE transcript_person (
        transcript_id INTEGER NOT NULL REFERENCES transcript(id),
        person_id     INTEGER NOT NULL REFERENCES person(id),
        PRIMARY KEY (transcript_id, person_id)
    );
    -- In a group interview: which registered person speaks under which label.
    CREATE TABLE transcript_speaker (
        transcript_id INTEGER NOT NULL REFERENCES transcript(id),
        label         TEXT NOT NULL,
        person_id     INTEGER NOT NULL REFERENCES person(id),
        PRIMARY KEY (transcript_id, label)
    );
    -- One row per speaker turn; `line` is the turn number researchers cite.
    CREATE TABLE turn (
        id            INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcript(id),
        line          INTEGER NOT NULL,
        speaker       TEXT NOT NULL,
        text          TEXT NOT NULL,
        translation   TEXT,
        translation_speaker TEXT,
        start         TEXT,
        UNIQUE (transcript_id, line)
    );
    CREATE VIRTUAL TABLE turn_fts USING fts5(
        text, translation,
        content = 'turn', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 0'
    );
    INSERT INTO turn_fts(turn_fts, rank) VALUES ('secure-delete', 1);
    CREATE TRIGGER turn_ai AFTER INSERT ON turn BEGIN
        INSERT INTO turn_fts(rowid, text, translation) VALUES (new.id, new.text, new.translation);
    END;
    CREATE TRIGGER turn_ad AFTER DELETE ON turn BEGIN
        INSERT INTO turn_fts(turn_fts, rowid, text, translation) VALUES ('delete', old.id, old.text, old.translation);
    END;
    CREATE TRIGGER turn_au AFTER UPDATE ON turn BEGIN
        INSERT INTO turn_fts(turn_fts, rowid, text, translation) VALUES ('delete', old.id, old.text, old.translation);
        INSERT INTO turn_fts(rowid, text, translation) VALUES (new.id, new.text, new.translation);
    END;

    CREATE TABLE excerpt (
        id            INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcript(id),
        first_line    INTEGER NOT NULL,
        last_line     INTEGER NOT NULL,
        note          TEXT,
        created       TEXT NOT NULL
    );
    CREATE TABLE excerpt_tag (
        excerpt_id INTEGER NOT NULL REFERENCES excerpt(id),
        tag        TEXT NOT NULL,
        PRIMARY KEY (excerpt_id, tag)
    );

    -- What left the vault, so a withdrawal can name what to retract.
    CREATE TABLE export_log (
        id        INTEGER PRIMARY KEY,
        created   TEXT NOT NULL,
        format    TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256    TEXT NOT NULL
    );
    CREATE TABLE export_item (
        export_id  INTEGER NOT NULL REFERENCES export_log(id),
        excerpt_id INTEGER NOT NULL,
        person_id  INTEGER NOT NULL
    );

    CREATE TABLE audit (
        seq    INTEGER PRIMARY KEY,
        at     TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev   TEXT NOT NULL,
        hash   TEXT NOT NULL
    );
    "#,
    // 1 -> 2: interview metadata written in the source file (a DOCX table of
    // Date / Place / Interviewer rows), kept beside the transcript instead of
    // being read as turns.
    r#"
    CREATE TABLE transcript_metadata (
        transcript_id INTEGER NOT NULL REFERENCES transcript(id),
        kind          TEXT NOT NULL,
        label         TEXT NOT NULL,
        value         TEXT NOT NULL
    );
    "#,
    // 2 -> 3: group interviews name the interviewer's labels, so that every
    // label of a mapped transcript is accounted for.
    r#"
    CREATE TABLE transcript_interviewer (
        transcript_id INTEGER NOT NULL REFERENCES transcript(id),
        label         TEXT NOT NULL,
        PRIMARY KEY (transcript_id, label)
    );
    -- A purged person's own turn in a transcript kept for the others.
    ALTER TABLE turn ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
    "#,
    // 3 -> 4: review decisions (records/decisions.rs).
    super::decisions::SCHEMA,
    // 4 -> 5: consent by purpose. Grants gain archiving and secondary use
    // (NULL in older records, read as not given); a withdrawal may name the
    // one scope it withdraws (NULL withdraws everything, as before).
    r#"
    ALTER TABLE consent_event ADD COLUMN archive INTEGER;
    ALTER TABLE consent_event ADD COLUMN secondary_use INTEGER;
    ALTER TABLE consent_event ADD COLUMN scope TEXT
        CHECK (scope IS NULL OR scope IN ('quotes', 'archive', 'secondary-use'));
    "#,
    // 5 -> 6: what each export revealed about each pseudonym (descriptor,
    // attributes, interview dates, languages), so that the re-identification
    // check can combine every output, not only the one being written.
    r#"
    CREATE TABLE export_disclosure (
        export_id INTEGER NOT NULL REFERENCES export_log(id),
        person_id INTEGER NOT NULL REFERENCES person(id),
        field     TEXT NOT NULL,
        value     TEXT NOT NULL,
        PRIMARY KEY (export_id, person_id, field, value)
    );
    "#,
    // 6 -> 7: the sources of each `export --transcripts`, as written (the
    // GUID its link key gave them, the redacted text and where each turn
    // lies in it), so that `codings import` can map coded selections back.
    r#"
    CREATE TABLE coding_source (
        export_id     INTEGER NOT NULL REFERENCES export_log(id),
        transcript_id INTEGER NOT NULL,
        translation   INTEGER NOT NULL,
        guid          TEXT NOT NULL,
        text          TEXT NOT NULL,
        turns         TEXT NOT NULL,
        PRIMARY KEY (export_id, guid)
    );
    "#,
    // 7 -> 8: temporary export files being written, so that the next open
    // removes one an interrupted export left behind (it holds plaintext).
    r#"
    CREATE TABLE pending_output (
        path    TEXT PRIMARY KEY,
        started TEXT NOT NULL
    );
    "#,
    // 8 -> 9: indexes for the lookups by person and by transcript that
    // every export, deposit and consent check makes once per person or per
    // excerpt; without them each lookup reads the whole table, which at
    // 10,000 persons made the consent gate alone take seconds. Every query
    // on these tables has its own ORDER BY, so no output changes order.
    r#"
    CREATE INDEX consent_event_by_person ON consent_event(person_id);
    CREATE INDEX consent_evidence_by_event ON consent_evidence(event_id);
    CREATE INDEX transcript_person_by_person ON transcript_person(person_id);
    CREATE INDEX transcript_metadata_by_transcript ON transcript_metadata(transcript_id);
    CREATE INDEX excerpt_by_transcript ON excerpt(transcript_id);
    CREATE INDEX export_item_by_person ON export_item(person_id, export_id);
    CREATE INDEX export_disclosure_by_person ON export_disclosure(person_id);
    "#,
];

/// The schema version this binary writes.
pub const CURRENT: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`CURRENT`], or refuses a newer one.
pub fn migrate(conn: &Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > CURRENT {
        return Err(RecordsError::NewerSchema {
            found,
            known: CURRENT,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        conn.execute_batch(&format!(
            "SAVEPOINT migrate; {sql}; PRAGMA user_version = {}; RELEASE migrate;",
            i + 1
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_fresh_database_and_is_idempotent() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn).unwrap();
        migrate(&conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, CURRENT);
    }

    #[test]
    fn consent_recorded_before_purposes_reads_as_not_given_for_the_new_scopes() {
        use crate::records::consent::{self, CurrentConsent, Purpose, Refusal};
        let conn = Connection::open_in_memory().unwrap();
        // A vault written by the first schema, with one grant in it.
        conn.execute_batch(&format!("{}; PRAGMA user_version = 1;", MIGRATIONS[0]))
            .unwrap();
        conn.execute_batch(
            "INSERT INTO person(id, pseudonym, name, created) VALUES (1, 'Respondent 1', 'Арман', '2021-01-01T00:00:00Z');
             INSERT INTO consent_event(person_id, kind, date, method, recording, quotes, attribution, recorded_at)
             VALUES (1, 'grant', '2021-05-01', 'written', 1, 1, 'pseudonym', '2021-05-01T00:00:00Z');",
        )
        .unwrap();
        migrate(&conn).unwrap();
        let CurrentConsent::Granted(r) = consent::current(&conn, 1).unwrap() else {
            panic!("the old grant is still in force");
        };
        assert!(r.quotes && r.recording && !r.archive && !r.secondary_use);
        let today = crate::records::today();
        let c = consent::current(&conn, 1).unwrap();
        assert!(c.allows(Purpose::Quoting, today).is_ok());
        assert!(c.allows(Purpose::Analysis, today).is_ok());
        assert_eq!(
            c.allows(Purpose::Archiving, today).unwrap_err(),
            Refusal::ArchiveRefused
        );
    }

    #[test]
    fn a_version_8_vault_gains_the_lookup_indexes_and_keeps_its_records() {
        let conn = Connection::open_in_memory().unwrap();
        let v8: String = MIGRATIONS[..8].join(";\n");
        conn.execute_batch(&format!("{v8}; PRAGMA user_version = 8;"))
            .unwrap();
        conn.execute_batch(
            "INSERT INTO person(id, pseudonym, name, created) VALUES (1, 'Respondent 1', 'Арман', '2021-01-01T00:00:00Z');
             INSERT INTO consent_event(person_id, kind, date, method, recording, quotes, attribution, recorded_at, archive)
             VALUES (1, 'grant', '2021-05-01', 'written', 1, 1, 'pseudonym', '2021-05-01T00:00:00Z', 1);",
        )
        .unwrap();
        migrate(&conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, CURRENT);
        // The consent lookup by person now uses its index, not a scan.
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id FROM consent_event WHERE person_id = 1",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("consent_event_by_person"), "{plan}");
        let c = crate::records::consent::current(&conn, 1).unwrap();
        assert!(c
            .allows(
                crate::records::consent::Purpose::Archiving,
                crate::records::today()
            )
            .is_ok());
    }

    #[test]
    fn refuses_a_newer_schema() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
        assert!(matches!(
            migrate(&conn),
            Err(RecordsError::NewerSchema { found: 99, .. })
        ));
    }
}
