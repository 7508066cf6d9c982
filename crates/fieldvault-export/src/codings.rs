//! Mapping coded selections back onto fieldvault's transcripts, for
//! `codings import`: which of our sources a coded source is, where a
//! selection lies in our text, and which turns it covers.
//!
//! Tools keep our text but not always our identifiers: QualCoder gives every
//! source a new GUID on export, and any tool lets the researcher rename a
//! source. So a source is found by GUID first and by content second; and
//! when a tool changed the text itself (a header added, a line ending
//! trimmed), a selection is re-anchored by finding the text it covers in
//! ours, nearest to where it was. Pure functions over plain data; the
//! caller owns the records.

use crate::CodedSource;

/// One of the vault's sources as it was exported: the GUID the export gave
/// it (from the export's link key) and the exact LF-only text written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedSource {
    pub guid: String,
    pub text: String,
}

/// How a coded source was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    /// The tool kept the GUID fieldvault wrote.
    Guid,
    /// The tool's text is ours (apart from a byte-order mark, line endings
    /// and white space at the end).
    SameText,
    /// The tool's text differs, but more than half of its selections'
    /// texts are found in ours.
    Selections,
}

/// The index in `ours` of the source `coded` is, and how it was found; None
/// when no source of ours fits (the caller reports the source and its
/// selections as unmatched).
pub fn find_source(coded: &CodedSource, ours: &[ExportedSource]) -> Option<(usize, MatchedBy)> {
    let key = |g: &str| {
        g.trim()
            .trim_start_matches('{')
            .trim_end_matches('}')
            .to_ascii_lowercase()
    };
    if let Some(i) = ours.iter().position(|o| key(&o.guid) == key(&coded.guid)) {
        return Some((i, MatchedBy::Guid));
    }
    let theirs = comparable(&coded.text);
    let same: Vec<usize> = ours
        .iter()
        .enumerate()
        .filter(|(_, o)| comparable(&o.text) == theirs)
        .map(|(i, _)| i)
        .collect();
    if let [only] = same.as_slice() {
        return Some((*only, MatchedBy::SameText));
    }
    if same.len() > 1 {
        // Two identical transcripts: the content cannot tell them apart.
        return None;
    }
    let pieces: Vec<String> = coded
        .selections
        .iter()
        .map(|s| char_slice(&coded.text, s.start, s.end))
        .filter(|p| p.trim().chars().count() >= 3)
        .collect();
    if pieces.is_empty() {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    let mut tie = false;
    for (i, o) in ours.iter().enumerate() {
        let found = pieces
            .iter()
            .filter(|p| o.text.contains(p.as_str()))
            .count();
        match best {
            Some((_, n)) if found == n => tie = true,
            Some((_, n)) if found < n => {}
            _ => {
                best = Some((i, found));
                tie = false;
            }
        }
    }
    match best {
        Some((i, n)) if !tie && n * 2 > pieces.len() => Some((i, MatchedBy::Selections)),
        _ => None,
    }
}

/// Text as compared between tools: no byte-order mark, LF line endings,
/// no white space at the end of lines or of the text.
fn comparable(s: &str) -> String {
    let s = s
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_string()
}

fn char_slice(s: &str, start: usize, end: usize) -> String {
    s.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// Where the selection `start..end` (characters of `theirs`) lies in
/// `ours`: the same offsets when the texts agree up to the selection's end
/// and cover the same characters, otherwise the occurrence of the covered
/// text in `ours` nearest to `start`. None when the covered text is not in
/// `ours` at all.
pub fn anchor(theirs: &str, ours: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    if start >= end {
        return None;
    }
    let piece = char_slice(theirs, start, end);
    if piece.chars().count() != end - start {
        return None;
    }
    if char_slice(ours, start, end) == piece {
        return Some((start, end));
    }
    let width = end - start;
    let mut best: Option<usize> = None;
    let mut from = 0usize;
    while let Some(found) = ours.get(from..).and_then(|rest| rest.find(piece.as_str())) {
        let byte = from + found;
        let at = ours.get(..byte).map(|p| p.chars().count()).unwrap_or(0);
        if best.is_none_or(|b| at.abs_diff(start) < b.abs_diff(start)) {
            best = Some(at);
        }
        from = byte + piece.chars().next().map_or(1, char::len_utf8);
    }
    best.map(|at| (at, at + width))
}

/// One turn of an exported source: its line number and the characters its
/// text occupies (a speaker label before it may lie outside the span).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnSpan {
    pub line: u32,
    pub start: usize,
    pub end: usize,
}

/// The turns a selection covers, as (first line, last line, whether it
/// covers every one of them completely). A selection across a turn
/// boundary covers both turns; one that touches only speaker labels, gaps
/// or line breaks covers none (None).
pub fn turns_covered(turns: &[TurnSpan], start: usize, end: usize) -> Option<(u32, u32, bool)> {
    let hit: Vec<&TurnSpan> = turns
        .iter()
        .filter(|t| t.start < end && start < t.end)
        .collect();
    let (first, last) = (hit.first()?, hit.last()?);
    let whole = hit.iter().all(|t| start <= t.start && t.end <= end);
    Some((first.line, last.line, whole))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_move_with_changed_text() {
        let ours = "A: один\nB: два три\n";
        assert_eq!(anchor(ours, ours, 11, 14), Some((11, 14)));
        let theirs = "Title\n\nA: один\nB: два три";
        let start = theirs[..theirs.find("два").unwrap()].chars().count();
        assert_eq!(anchor(theirs, ours, start, start + 3), Some((11, 14)));
        assert_eq!(anchor(theirs, ours, 0, 5), None, "not in ours");
        assert_eq!(anchor(ours, ours, 3, 3), None);
        assert_eq!(anchor(ours, ours, 3, 999), None);
        // The nearest of several occurrences.
        let ours = "да да да";
        assert_eq!(anchor("xxxx да да да", ours, 8, 10), Some((6, 8)));
    }

    #[test]
    fn turns_cover_whole_and_partial_ranges() {
        let turns = [
            TurnSpan {
                line: 1,
                start: 3,
                end: 10,
            },
            TurnSpan {
                line: 2,
                start: 14,
                end: 30,
            },
            TurnSpan {
                line: 3,
                start: 34,
                end: 40,
            },
        ];
        assert_eq!(turns_covered(&turns, 3, 10), Some((1, 1, true)));
        assert_eq!(turns_covered(&turns, 5, 20), Some((1, 2, false)));
        assert_eq!(turns_covered(&turns, 0, 45), Some((1, 3, true)));
        assert_eq!(turns_covered(&turns, 10, 14), None, "only a label");
    }
}
