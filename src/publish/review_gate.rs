//! The review gate: an export (or deposit) refuses while any excerpt it
//! would write has open review questions. Another workflow that writes
//! excerpts calls [`check`] with their ids, or [`open_counts`] to decide
//! itself (as `--unreviewed` does).
//!
//! The refusal names excerpt ids and counts only, never the words: the
//! message reaches terminals and screenshots.

use crate::lexicon;
use crate::records::{excerpts, RecordsError};
use crate::review::questions;
use rusqlite::Connection;
use std::collections::btree_map::{BTreeMap, Entry};

/// Why the gate refused.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    #[error("{}", refusal(.0))]
    Open(Vec<(i64, usize)>),
    /// Whole transcripts (a deposit, a QDPX for coding): (transcript, count).
    #[error("{}", refusal_transcripts(.0))]
    OpenTranscripts(Vec<(i64, usize)>),
    #[error(transparent)]
    Records(#[from] RecordsError),
}

fn refusal(open: &[(i64, usize)]) -> String {
    let total: usize = open.iter().map(|(_, n)| n).sum();
    let list = open
        .iter()
        .map(|(e, n)| format!("excerpt {e}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "refused: {total} open review question(s) in what this would write ({list}); nothing was written; answer them with `fieldvault review` (or `review list` and `review resolve`)"
    )
}

fn refusal_transcripts(open: &[(i64, usize)]) -> String {
    let total: usize = open.iter().map(|(_, n)| n).sum();
    let list = open
        .iter()
        .map(|(t, n)| format!("transcript {t}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "refused: {total} open review question(s) in the interviews this would write ({list}); nothing was written; answer them with `fieldvault review` (or `review list` and `review resolve`), or pass --unreviewed"
    )
}

/// (transcript id, number of open questions) for every whole transcript in
/// `ids` that has any, in id order.
pub fn open_counts_in_transcripts(
    conn: &Connection,
    ids: &[i64],
) -> Result<Vec<(i64, usize)>, RecordsError> {
    let lex = lexicon::build(conn, &[])?;
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let n = questions::review(conn, &lex, id)?.questions().count();
        if n > 0 {
            out.push((id, n));
        }
    }
    Ok(out)
}

/// The gate over whole transcripts: passes when none has an open question,
/// or when `unreviewed` is given without `strict` (the caller audits it).
pub fn check_transcripts(
    conn: &Connection,
    ids: &[i64],
    unreviewed: bool,
    strict: bool,
) -> Result<Vec<(i64, usize)>, GateError> {
    let open = open_counts_in_transcripts(conn, ids)?;
    if !open.is_empty() && (strict || !unreviewed) {
        return Err(GateError::OpenTranscripts(open));
    }
    Ok(open)
}

/// (excerpt id, number of open questions) for every excerpt in `ids` that
/// has any, in id order.
pub fn open_counts(conn: &Connection, ids: &[i64]) -> Result<Vec<(i64, usize)>, RecordsError> {
    let lex = lexicon::build(conn, &[])?;
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut reviewed: BTreeMap<i64, questions::Reviewed> = BTreeMap::new();
    let mut out = Vec::new();
    for id in ids {
        let e = excerpts::get(conn, id)?;
        let r = match reviewed.entry(e.transcript) {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => v.insert(questions::review(conn, &lex, e.transcript)?),
        };
        let n = r
            .questions()
            .filter(|q| (e.first_line..=e.last_line).contains(&q.line))
            .count();
        if n > 0 {
            out.push((id, n));
        }
    }
    Ok(out)
}

/// Passes when no excerpt in `ids` has an open question.
pub fn check(conn: &Connection, ids: &[i64]) -> Result<(), GateError> {
    let open = open_counts(conn, ids)?;
    if open.is_empty() {
        Ok(())
    } else {
        Err(GateError::Open(open))
    }
}
