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
