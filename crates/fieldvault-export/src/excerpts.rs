//! Cutting sources down to the quoted excerpts.

use std::collections::HashMap;

use crate::{ExportError, Publication, Source};

/// Put between two excerpts of the same transcript (and before/after them
/// when text was left out at the start/end) by [`excerpts_only`].
pub const OMISSION: &str = "[…]";

/// A copy of `publication` in which every source holds only the text its
/// quotes cover, so that a REFI-QDA export carries the excerpts and nothing
/// else of the transcripts (DESIGN §5: only excerpts leave the vault).
///
/// For each source some quote points into, the quoted character ranges are
/// sorted and merged where they overlap or touch; the new text is those
/// ranges in order, separated by a blank line, [`OMISSION`] and a blank line
/// (also in front of the first and after the last range when text was left
/// out there). Every quote's `source_start`/`source_end` is moved to the new
/// text, so it still cuts out exactly the same characters. Sources no quote
/// points into, including translations, are dropped; cases and everything
/// else are unchanged. Fails on bad offsets and duplicate source ids as
/// [`crate::render`] does; a quote whose source is missing is left as it is
/// (rendering it as QDPX then fails with the usual message).
pub fn excerpts_only(publication: &Publication) -> Result<Publication, ExportError> {
    let mut out = publication.clone();
    let mut sources: Vec<Source> = Vec::new();
    // (source id, old start) -> new start, per quoted range.
    let mut moved: HashMap<(&str, usize, usize), usize> = HashMap::new();
    for source in &publication.sources {
        let quotes: Vec<_> = publication
            .quotes
            .iter()
            .filter(|q| q.source_id == source.id)
            .collect();
        if sources.iter().any(|s| s.id == source.id) {
            return Err(ExportError::DuplicateId {
                kind: "source",
                id: source.id.clone(),
            });
        }
        if quotes.is_empty() {
            continue;
        }
        // Byte offset of every character boundary, end included.
        let bounds: Vec<usize> = source
            .text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(source.text.len()))
            .collect();
        let len = bounds.len().saturating_sub(1);
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for q in &quotes {
            if q.source_start >= q.source_end || q.source_end > len {
                return Err(ExportError::BadOffsets {
                    excerpt: q.excerpt_id.clone(),
                    source_id: q.source_id.clone(),
                    start: q.source_start,
                    end: q.source_end,
                    len,
                });
            }
            ranges.push((q.source_start, q.source_end));
        }
        ranges.sort_unstable();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for (start, end) in ranges {
            match spans.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => spans.push((start, end)),
            }
        }
        let separator = format!("\n\n{OMISSION}\n\n");
        let mut text = String::new();
        let mut chars = 0usize;
        let mut span_starts: Vec<(usize, usize, usize)> = Vec::new();
        for (i, &(start, end)) in spans.iter().enumerate() {
            if i > 0 || start > 0 {
                let lead = if i == 0 {
                    format!("{OMISSION}\n\n")
                } else {
                    separator.clone()
                };
                chars += lead.chars().count();
                text.push_str(&lead);
            }
            let piece = bounds
                .get(start)
                .zip(bounds.get(end))
                .and_then(|(&a, &b)| source.text.get(a..b))
                .unwrap_or_default();
            span_starts.push((start, end, chars));
            chars += end - start;
            text.push_str(piece);
        }
        if spans.last().is_some_and(|&(_, end)| end < len) {
            text.push_str(&format!("\n\n{OMISSION}"));
        }
        for q in &quotes {
            if let Some(&(span_start, _, new_start)) = span_starts
                .iter()
                .find(|(s, e, _)| *s <= q.source_start && q.source_end <= *e)
            {
                moved.insert(
                    (q.source_id.as_str(), q.source_start, q.source_end),
                    new_start + (q.source_start - span_start),
                );
            }
        }
        sources.push(Source {
            text,
            translation_of: None,
            ..source.clone()
        });
    }
    for q in &mut out.quotes {
        let key = (q.source_id.as_str(), q.source_start, q.source_end);
        if let Some(&start) = moved.get(&key) {
            let width = q.source_end - q.source_start;
            q.source_start = start;
            q.source_end = start + width;
        }
    }
    out.sources = sources;
    Ok(out)
}
