//! The audit log: an append-only, hash-chained record of every change and
//! every export, kept inside the vault.
//!
//! Entry n stores `hash = SHA-256(prev || seq || at || action || detail)`
//! with `prev` the hash of entry n-1 (64 zeros for the first). The head hash
//! and count are also kept in a setting row, so removing the newest entries
//! is detected too, not only edits in the middle. Details hold ids and counts,
//! not interview text.
//!
//! A purge erases the details of the entries that concern the purged person
//! (their file names, reasons, key labels and hashes are about them). An
//! erased entry keeps its hash and its place in the chain, and the purge's
//! own entry lists every erased (seq, hash) under `audit_erased`: `verify`
//! accepts an erased entry only when a later, intact purge entry vouches for
//! exactly that hash, so erasing is never a way to hide an edit.

use super::{now_rfc3339, RecordsError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEAD_KEY: &str = "audit.head";
/// The detail of an erased entry (never valid JSON, so never a real detail).
const ERASED: &str = "";
/// The action whose entries vouch for erased entries.
pub const PURGE_ACTION: &str = "person purge";

/// Erases the details of the entries `seqs` (a purge); returns their
/// (seq, hash), which the caller must list under `audit_erased` in the
/// purge's own entry, in the same transaction.
pub fn erase_details(conn: &Connection, seqs: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::with_capacity(seqs.len());
    for seq in seqs {
        let hash: String =
            conn.query_row("SELECT hash FROM audit WHERE seq = ?1", [seq], |r| r.get(0))?;
        conn.execute(
            "UPDATE audit SET detail = ?1 WHERE seq = ?2",
            params![ERASED, seq],
        )?;
        out.push((*seq, hash));
    }
    Ok(out)
}

/// The (seq, hash) pairs that intact purge entries vouch for, each with the
/// seq of the entry that vouches.
fn vouched_erasures(conn: &Connection) -> Result<std::collections::BTreeMap<(i64, String), i64>> {
    let mut st =
        conn.prepare("SELECT seq, detail FROM audit WHERE action = ?1 AND detail <> ?2")?;
    let details = st
        .query_map(params![PURGE_ACTION, ERASED], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = std::collections::BTreeMap::new();
    for (by, d) in details {
        let v: serde_json::Value = serde_json::from_str(&d).unwrap_or_default();
        for pair in v
            .get("audit_erased")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(seq), Some(hash)) = (
                pair.get(0).and_then(serde_json::Value::as_i64),
                pair.get(1).and_then(serde_json::Value::as_str),
            ) {
                out.insert((seq, hash.to_string()), by);
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub action: String,
    pub detail: serde_json::Value,
    pub hash: String,
}

fn entry_hash(prev: &str, seq: i64, at: &str, action: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, action, detail] {
        // Length-prefix every field so no two different entries hash alike.
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one entry; call inside the same transaction as the change itself.
pub fn append(conn: &Connection, action: &str, detail: serde_json::Value) -> Result<AuditEntry> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = now_rfc3339();
    let detail_text = detail.to_string();
    let hash = entry_hash(&prev, seq, &at, action, &detail_text);
    conn.execute(
        "INSERT INTO audit(seq, at, action, detail, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![seq, at, action, detail_text, prev, hash],
    )?;
    conn.execute(
        "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![HEAD_KEY, format!("{seq}:{hash}")],
    )?;
    Ok(AuditEntry {
        seq,
        at,
        action: action.to_string(),
        detail,
        hash,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<AuditEntry>> {
    let mut st = conn.prepare("SELECT seq, at, action, detail, hash FROM audit ORDER BY seq")?;
    let rows = st.query_map([], |r| {
        let detail: String = r.get(3)?;
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            action: r.get(2)?,
            detail: if detail == ERASED {
                serde_json::json!({ "erased": "details removed at a purge" })
            } else {
                serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail))
            },
            hash: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Recomputes the chain; returns the number of entries, or the first entry
/// that does not fit.
pub fn verify(conn: &Connection) -> Result<i64> {
    let vouched = vouched_erasures(conn)?;
    let mut st =
        conn.prepare("SELECT seq, at, action, detail, prev, hash FROM audit ORDER BY seq")?;
    let mut rows = st.query([])?;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1;
    while let Some(r) = rows.next()? {
        let (seq, at, action, detail, prev, hash): (i64, String, String, String, String, String) = (
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        );
        let intact = if detail == ERASED {
            // Vouched for by a later purge entry, which is itself checked.
            vouched
                .get(&(seq, hash.clone()))
                .is_some_and(|by| *by > seq)
        } else {
            entry_hash(&prev, seq, &at, &action, &detail) == hash
        };
        if seq != expected_seq || prev != expected_prev || !intact {
            return Err(RecordsError::AuditBroken(expected_seq));
        }
        expected_prev = hash;
        expected_seq += 1;
    }
    let count = expected_seq - 1;
    let head: Option<String> = conn
        .query_row(
            "SELECT value FROM setting WHERE key = ?1",
            [HEAD_KEY],
            |r| r.get(0),
        )
        .optional()?;
    let expected_head = if count == 0 {
        None
    } else {
        Some(format!("{count}:{expected_prev}"))
    };
    if head != expected_head {
        return Err(RecordsError::AuditBroken(count + 1));
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn erased_details_verify_only_when_a_later_purge_vouches_for_them() {
        let conn = crate::records::in_memory().unwrap();
        for i in 0..4 {
            append(&conn, "test", json!({ "file": format!("aigerim-{i}.md") })).unwrap();
        }
        let erased = erase_details(&conn, &[2, 3]).unwrap();
        // Not vouched for yet: the chain does not verify.
        assert!(matches!(verify(&conn), Err(RecordsError::AuditBroken(2))));
        append(
            &conn,
            PURGE_ACTION,
            json!({ "person": 1, "audit_erased": erased }),
        )
        .unwrap();
        assert_eq!(verify(&conn).unwrap(), 5);
        let all = list(&conn).unwrap();
        assert!(!serde_json::to_string(&all).unwrap().contains("aigerim-2"));
        // Erasing an entry the purge did not vouch for is an edit.
        conn.execute("UPDATE audit SET detail = '' WHERE seq = 1", [])
            .unwrap();
        assert!(matches!(verify(&conn), Err(RecordsError::AuditBroken(1))));
    }

    #[test]
    fn chain_verifies_and_detects_edits_and_removals() {
        let conn = crate::records::in_memory().unwrap();
        for i in 0..5 {
            append(&conn, "test", json!({ "i": i })).unwrap();
        }
        assert_eq!(verify(&conn).unwrap(), 5);

        conn.execute("UPDATE audit SET detail = '{\"i\":9}' WHERE seq = 3", [])
            .unwrap();
        assert!(matches!(verify(&conn), Err(RecordsError::AuditBroken(3))));
        conn.execute("UPDATE audit SET detail = '{\"i\":2}' WHERE seq = 3", [])
            .unwrap();
        assert_eq!(verify(&conn).unwrap(), 5);

        conn.execute("DELETE FROM audit WHERE seq = 5", []).unwrap();
        assert!(matches!(verify(&conn), Err(RecordsError::AuditBroken(_))));
    }

    #[test]
    fn removing_a_middle_entry_is_detected() {
        let conn = crate::records::in_memory().unwrap();
        for i in 0..3 {
            append(&conn, "test", json!({ "i": i })).unwrap();
        }
        conn.execute("DELETE FROM audit WHERE seq = 2", []).unwrap();
        assert!(matches!(verify(&conn), Err(RecordsError::AuditBroken(2))));
    }
}
