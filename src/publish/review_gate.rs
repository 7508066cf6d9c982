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
use fieldvault_redact::Lexicon;
use rusqlite::Connection;
use std::collections::BTreeMap;

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
    open_counts_in_transcripts_with(conn, &lexicon::build(conn, &[])?, ids)
}

/// [`open_counts_in_transcripts`] with the vault's full lexicon given (the
/// caller has built it already: at 10,000 persons a build takes seconds).
pub fn open_counts_in_transcripts_with(
    conn: &Connection,
    lex: &Lexicon,
    ids: &[i64],
) -> Result<Vec<(i64, usize)>, RecordsError> {
    let names = questions::name_parts(conn)?;
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let n = questions::review_with(conn, lex, &names, id)?
            .questions()
            .count();
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
    check_transcripts_with(conn, &lexicon::build(conn, &[])?, ids, unreviewed, strict)
}

/// [`check_transcripts`] with the vault's full lexicon given.
pub fn check_transcripts_with(
    conn: &Connection,
    lex: &Lexicon,
    ids: &[i64],
    unreviewed: bool,
    strict: bool,
) -> Result<Vec<(i64, usize)>, GateError> {
    let open = open_counts_in_transcripts_with(conn, lex, ids)?;
    if !open.is_empty() && (strict || !unreviewed) {
        return Err(GateError::OpenTranscripts(open));
    }
    Ok(open)
}

/// (excerpt id, number of open questions) for every excerpt in `ids` that
/// has any, in id order.
pub fn open_counts(conn: &Connection, ids: &[i64]) -> Result<Vec<(i64, usize)>, RecordsError> {
    let lex = lexicon::build(conn, &[])?;
    Ok(open_counts_with(conn, &lex, ids)?.0)
}

/// The turns of excerpts as the review gate redacted them (with the
/// decisions applied): (transcript, line) -> (original, translation).
pub type ReviewedText = BTreeMap<(i64, u32), (String, Option<String>)>;

/// [`open_counts`] with the vault's full lexicon given, also returning the
/// redacted text of every turn the excerpts cover, so that an export with
/// the same lexicon writes it without redacting those turns a second time.
pub fn open_counts_with(
    conn: &Connection,
    lex: &Lexicon,
    ids: &[i64],
) -> Result<(Vec<(i64, usize)>, ReviewedText), RecordsError> {
    let names = questions::name_parts(conn)?;
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut spans: BTreeMap<i64, Vec<(i64, u32, u32)>> = BTreeMap::new();
    for id in ids {
        let e = excerpts::get(conn, id)?;
        spans
            .entry(e.transcript)
            .or_default()
            .push((id, e.first_line, e.last_line));
    }
    let mut out = Vec::new();
    let mut text = ReviewedText::new();
    for (transcript, excerpts) in spans {
        let r = questions::review_with(conn, lex, &names, transcript)?;
        for &(id, first, last) in &excerpts {
            let n = r
                .questions()
                .filter(|q| (first..=last).contains(&q.line))
                .count();
            if n > 0 {
                out.push((id, n));
            }
        }
        for t in r.turns {
            let line = t.turn.line;
            if excerpts.iter().any(|&(_, a, b)| (a..=b).contains(&line)) {
                text.insert(
                    (transcript, line),
                    (t.original.text, t.translation.map(|a| a.text)),
                );
            }
        }
    }
    out.sort_unstable();
    Ok((out, text))
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
