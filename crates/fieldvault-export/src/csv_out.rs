//! CSV: one row per quote (RFC 4180 quoting, CRLF rows, UTF-8 with a
//! byte-order mark so that Excel shows Cyrillic and Kazakh text correctly;
//! csv libraries, pandas, readr and LibreOffice skip the mark).
//!
//! `excerpt_id` and `transcript_id` are per-export tokens (see the `link`
//! module), never the vault's ids.
//!
//! `lines` is "first–last" with an en dash (U+2013), e.g. "2–3": with a
//! hyphen Excel would turn "2-3" into the date 3 February.
//!
//! Spreadsheet formula injection: a cell that starts with `=`, `+`, `-`,
//! `@`, a tab or a carriage return is written with a single quote (`'`) in
//! front, so Excel, LibreOffice and Google Sheets show it as text instead of
//! running it as a formula. So that this stays reversible, a cell that
//! already starts with `'` gets one more in front too: a program that wants
//! the exact text strips exactly one leading `'` from every cell that starts
//! with one (see docs/export-formats.md).

use crate::link::{written_ids, LinkKey};
use crate::{distinct_tags, ExportError, Publication};

/// Written first, so that Excel reads the file as UTF-8.
pub const UTF8_BOM: &str = "\u{feff}";

/// The header row, in order.
pub const COLUMNS: [&str; 12] = [
    "excerpt_id",
    "transcript_id",
    "lines",
    "interview_date",
    "pseudonym",
    "descriptor",
    "attribution",
    "tags",
    "language",
    "translation",
    "original",
    "note",
];

pub(crate) fn render(p: &Publication, key: &LinkKey) -> Result<Vec<u8>, ExportError> {
    let ids = written_ids(p, key)?;
    for q in &p.quotes {
        if q.tags.iter().any(|t| t.contains(';')) {
            return Err(ExportError::SemicolonInTag {
                excerpt: q.excerpt_id.clone(),
            });
        }
    }
    let fail = |e: &dyn std::fmt::Display| ExportError::Assemble {
        format: "CSV",
        detail: e.to_string(),
    };
    let mut out = UTF8_BOM.as_bytes().to_vec();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(&mut out);
    w.write_record(COLUMNS).map_err(|e| fail(&e))?;
    for (q, (excerpt_id, transcript_id)) in p.quotes.iter().zip(ids) {
        let row = [
            excerpt_id,
            transcript_id,
            format!("{}\u{2013}{}", q.lines.0, q.lines.1),
            q.interview_date.clone(),
            q.pseudonym.clone().unwrap_or_default(),
            q.descriptor.clone().unwrap_or_default(),
            q.attribution.clone(),
            distinct_tags(q).join(";"),
            q.language.clone(),
            q.translation.clone().unwrap_or_default(),
            q.original.clone(),
            q.note.clone().unwrap_or_default(),
        ];
        w.write_record(row.iter().map(|cell| defuse(cell)))
            .map_err(|e| fail(&e))?;
    }
    w.flush().map_err(|e| fail(&e))?;
    drop(w);
    Ok(out)
}

/// A cell a spreadsheet will not run as a formula: `'` in front of cells
/// starting with `=`, `+`, `-`, `@`, tab or carriage return, and (to keep
/// the rule reversible) in front of cells starting with `'`.
pub(crate) fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defuses_formula_starts_only() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("+1"), "'+1");
        assert_eq!(defuse("-1"), "'-1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("\rx"), "'\rx");
        assert_eq!(defuse("a=b"), "a=b");
        assert_eq!(defuse(""), "");
        assert_eq!(defuse("'=x"), "''=x");
        assert_eq!(defuse("'quoted'"), "''quoted'");
    }
}
