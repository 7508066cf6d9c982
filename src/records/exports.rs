//! The export log: which file, when, with whose quotes. A withdrawal looks
//! here to tell the researcher which earlier publications to retract.

use super::{now_rfc3339, Result};
use rusqlite::{params, Connection};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ExportRecord {
    pub id: i64,
    pub created: String,
    pub format: String,
    pub file_name: String,
    pub sha256: String,
    pub excerpts: Vec<i64>,
}

/// Records one export: `items` are (excerpt id, person id) pairs.
pub fn log(
    conn: &Connection,
    format: &str,
    file_name: &str,
    sha256: &str,
    items: &[(i64, i64)],
) -> Result<i64> {
    conn.execute(
        "INSERT INTO export_log(created, format, file_name, sha256) VALUES (?1, ?2, ?3, ?4)",
        params![now_rfc3339(), format, file_name, sha256],
    )?;
    let id = conn.last_insert_rowid();
    for (e, p) in items {
        conn.execute(
            "INSERT INTO export_item(export_id, excerpt_id, person_id) VALUES (?1, ?2, ?3)",
            params![id, e, p],
        )?;
    }
    Ok(id)
}

/// One fact an output revealed about a pseudonym. `field` is `descriptor`,
/// `attribute:NAME`, `date` (an interview date, YYYY-MM-DD), `month` (a
/// deposit's YYYY-MM) or `language`; `value` is what was published.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Fact {
    pub field: String,
    pub value: String,
}

impl Fact {
    pub fn new(field: impl Into<String>, value: impl Into<String>) -> Fact {
        Fact {
            field: field.into(),
            value: value.into(),
        }
    }
}

/// Records what export `export` revealed: (person id, fact) pairs.
pub fn log_disclosure(conn: &Connection, export: i64, facts: &[(i64, Fact)]) -> Result<()> {
    for (p, f) in facts {
        conn.execute(
            "INSERT OR IGNORE INTO export_disclosure(export_id, person_id, field, value) VALUES (?1, ?2, ?3, ?4)",
            params![export, p, f.field, f.value],
        )?;
    }
    Ok(())
}

/// A fact about a person with every export that revealed it.
#[derive(Debug, Clone, Serialize)]
pub struct Disclosed {
    #[serde(flatten)]
    pub fact: Fact,
    /// (export id, file name), oldest first.
    pub exports: Vec<ExportRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ExportRef {
    pub id: i64,
    pub file_name: String,
    pub format: String,
}

impl std::fmt::Display for ExportRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "export {} ({})", self.id, self.file_name)
    }
}

/// Everything all earlier outputs together revealed about `person`.
pub fn disclosure_of(conn: &Connection, person: i64) -> Result<Vec<Disclosed>> {
    let mut st = conn.prepare(
        "SELECT d.field, d.value, l.id, l.file_name, l.format FROM export_disclosure d
         JOIN export_log l ON l.id = d.export_id WHERE d.person_id = ?1
         ORDER BY d.field, d.value, l.id",
    )?;
    let rows = st
        .query_map([person], |r| {
            Ok((
                Fact::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                ExportRef {
                    id: r.get(2)?,
                    file_name: r.get(3)?,
                    format: r.get(4)?,
                },
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out: Vec<Disclosed> = Vec::new();
    for (fact, e) in rows {
        match out.last_mut() {
            Some(d) if d.fact == fact => d.exports.push(e),
            _ => out.push(Disclosed {
                fact,
                exports: vec![e],
            }),
        }
    }
    Ok(out)
}

/// One source of an `export --transcripts`, as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingSource {
    pub export_id: i64,
    pub transcript_id: i64,
    /// Whether this is the transcript's translation (aligned turn by turn).
    pub translation: bool,
    pub guid: String,
    /// The exact redacted text written, LF line endings.
    pub text: String,
    /// (turn number, first character of its text, character after it).
    pub turns: Vec<(u32, usize, usize)>,
}

pub fn log_coding_sources(conn: &Connection, export: i64, sources: &[CodingSource]) -> Result<()> {
    for s in sources {
        let turns = serde_json::to_string(&s.turns)
            .map_err(|e| super::RecordsError::Database(e.to_string()))?;
        conn.execute(
            "INSERT INTO coding_source(export_id, transcript_id, translation, guid, text, turns) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![export, s.transcript_id, s.translation, s.guid, s.text, turns],
        )?;
    }
    Ok(())
}

/// Every source ever exported for coding, newest export first, so that a
/// project coded on the latest export is matched against it first.
pub fn coding_sources(conn: &Connection) -> Result<Vec<CodingSource>> {
    let mut st = conn.prepare(
        "SELECT export_id, transcript_id, translation, guid, text, turns FROM coding_source
         ORDER BY export_id DESC, transcript_id, translation",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(
            |(export_id, transcript_id, translation, guid, text, turns)| {
                Ok(CodingSource {
                    export_id,
                    transcript_id,
                    translation,
                    guid,
                    text,
                    turns: serde_json::from_str(&turns)
                        .map_err(|e| super::RecordsError::Database(e.to_string()))?,
                })
            },
        )
        .collect()
}

/// Every earlier export that contained quotes of `person`.
pub fn containing_person(conn: &Connection, person: i64) -> Result<Vec<ExportRecord>> {
    let mut st = conn.prepare(
        "SELECT DISTINCT l.id, l.created, l.format, l.file_name, l.sha256 FROM export_log l
         JOIN export_item i ON i.export_id = l.id WHERE i.person_id = ?1 ORDER BY l.id",
    )?;
    let rows = st
        .query_map([person], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })?
        .collect::<Result<Vec<(i64, String, String, String, String)>, _>>()?;
    let mut out = Vec::new();
    for (id, created, format, file_name, sha256) in rows {
        let excerpts = conn
            .prepare("SELECT DISTINCT excerpt_id FROM export_item WHERE export_id = ?1 AND person_id = ?2 ORDER BY excerpt_id")?
            .query_map(params![id, person], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        out.push(ExportRecord {
            id,
            created,
            format,
            file_name,
            sha256,
            excerpts,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disclosure_is_gathered_per_fact_across_exports() {
        let conn = crate::records::in_memory().unwrap();
        conn.execute_batch(
            "INSERT INTO person(id, pseudonym, created) VALUES (7, 'R7', 'x'), (8, 'R8', 'x')",
        )
        .unwrap();
        let a = log(&conn, "md", "a.md", "aa", &[(1, 7)]).unwrap();
        let b = log(&conn, "qdpx", "b.qdpx", "bb", &[(2, 7)]).unwrap();
        let d = Fact::new("descriptor", "activist");
        log_disclosure(
            &conn,
            a,
            &[(7, d.clone()), (7, Fact::new("date", "2021-05-01"))],
        )
        .unwrap();
        log_disclosure(
            &conn,
            b,
            &[(7, d.clone()), (7, Fact::new("attribute:city", "Almaty"))],
        )
        .unwrap();
        let all = disclosure_of(&conn, 7).unwrap();
        assert_eq!(all.len(), 3);
        let desc = all.iter().find(|x| x.fact == d).unwrap();
        assert_eq!(
            desc.exports.iter().map(|e| e.id).collect::<Vec<_>>(),
            vec![a, b]
        );
        assert!(disclosure_of(&conn, 8).unwrap().is_empty());
    }

    #[test]
    fn finds_exports_by_person() {
        let conn = crate::records::in_memory().unwrap();
        log(&conn, "md", "a.md", "aa", &[(1, 7), (2, 8)]).unwrap();
        log(&conn, "csv", "b.csv", "bb", &[(3, 8)]).unwrap();
        let r = containing_person(&conn, 8).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].excerpts, vec![2]);
        assert_eq!(containing_person(&conn, 7).unwrap().len(), 1);
        assert!(containing_person(&conn, 9).unwrap().is_empty());
    }
}
