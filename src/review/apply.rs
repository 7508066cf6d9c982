//! Redaction with the researcher's decisions applied: the one function
//! every output path (`redact`, `transcript show --redacted`, exports, the
//! review screen) calls, so that an answer given once holds everywhere.
//!
//! Authority order (DESIGN.md section 4): a decision outranks the engine,
//! but only where it is about a question. "Keep" undoes a replacement of the
//! unregistered-name detector, never one of a registered person, term or
//! pattern (the leak check would refuse the export anyway); "redact" adds a
//! replacement over a word nothing else took.

use crate::records::decisions::{self, Action, Decision, Field};
use crate::records::Result;
use fieldvault_redact::{redact, Lexicon, Reason, RedactOptions, Redacted};
use rusqlite::Connection;

/// Why a span is replaced in the final text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The engine's own reason.
    Engine(Reason),
    /// The researcher's per-occurrence decision (its id).
    Decision(i64),
}

/// One replaced span of the final text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
    pub why: Why,
}

/// A text redacted with decisions applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// Replacements over the input, in text order.
    pub spans: Vec<Span>,
    /// Decisions that kept a word the detector had replaced: (start, end, id).
    pub kept: Vec<(usize, usize, i64)>,
}

/// Redacts `text` with the engine, then applies `decisions` (about this
/// exact text).
pub fn apply(lex: &Lexicon, text: &str, decisions: &[Decision]) -> Applied {
    apply_redacted(
        text,
        redact(lex, text, &RedactOptions::default()),
        decisions,
    )
}

/// [`apply`] to the engine's redaction `red` of `text`, done elsewhere (on
/// several threads, or a piece of a stream at a time).
pub fn apply_redacted(text: &str, red: Redacted, decisions: &[Decision]) -> Applied {
    let mut spans: Vec<Span> = red
        .replacements
        .into_iter()
        .map(|r| Span {
            start: r.start,
            end: r.end,
            replacement: r.replacement,
            why: Why::Engine(r.reason),
        })
        .collect();
    let mut kept = Vec::new();
    for d in decisions {
        let (s, e) = (d.start, d.end());
        let overlaps = |x: &Span| x.start < e && s < x.end;
        match d.action {
            Action::Keep => {
                let before = spans.len();
                spans.retain(|x| !(overlaps(x) && x.why == Why::Engine(Reason::UnregisteredName)));
                if spans.len() != before {
                    kept.push((s, e, d.id));
                }
            }
            Action::Redact => {
                if !spans.iter().any(overlaps) {
                    spans.push(Span {
                        start: s,
                        end: e,
                        replacement: d.replacement_text().to_string(),
                        why: Why::Decision(d.id),
                    });
                }
            }
        }
    }
    spans.sort_by_key(|x| x.start);
    Applied {
        text: render(text, &spans),
        spans,
        kept,
    }
}

/// `text` with `spans` (sorted, not overlapping) replaced.
pub fn render(text: &str, spans: &[Span]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        if s.start < at {
            continue;
        }
        out.push_str(&text[at..s.start]);
        out.push_str(&s.replacement);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// One field of one stored turn, redacted with its decisions.
pub fn turn_field(
    conn: &Connection,
    lex: &Lexicon,
    transcript: i64,
    line: u32,
    field: Field,
    text: &str,
) -> Result<Applied> {
    let ds = decisions::for_turn(conn, transcript, line, field, text)?;
    Ok(apply(lex, text, &ds))
}

/// A free text (a file given to `redact`), line by line: a line that is the
/// text of a reviewed turn gets that turn's decisions; a line that starts
/// with a speaker label ("Респондент: ...") is looked up without it too.
pub fn free_text(conn: &Connection, lex: &Lexicon, text: &str) -> Result<Applied> {
    let mut all = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let ds = line_decisions(conn, line)?;
        for mut d in ds {
            d.start += at;
            all.push(d);
        }
        at += line.len();
    }
    Ok(apply(lex, text, &all))
}

/// The decisions about one line of a free text (with or without its line
/// break), offsets within the line: see [`free_text`].
pub fn line_decisions(conn: &Connection, line: &str) -> Result<Vec<Decision>> {
    let body = line.trim_end_matches(['\n', '\r']);
    let mut ds = decisions::for_free_text(conn, body)?;
    if ds.is_empty() {
        if let Some((label, rest)) = body.split_once(": ") {
            if label.chars().count() <= 40 {
                let off = label.len() + 2;
                ds = decisions::for_free_text(conn, rest)?;
                for d in &mut ds {
                    d.start += off;
                }
            }
        }
    }
    Ok(ds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fieldvault_redact::{LexiconSource, PersonSource};

    fn decision(start: usize, word: &str, action: Action) -> Decision {
        Decision {
            id: 1,
            transcript: 1,
            line: 1,
            field: Field::Original,
            start,
            word: word.into(),
            action,
            replacement: None,
        }
    }

    #[test]
    fn redact_adds_and_keep_removes_only_detector_spans() {
        let lex = Lexicon::build(&LexiconSource {
            persons: vec![PersonSource {
                key: "1".into(),
                replacement: "[Respondent 1]".into(),
                name: "Dina Kim".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let text = "Dina works with Zorbek at Quillon.";
        let out = apply(&lex, text, &[decision(26, "Quillon", Action::Redact)]);
        assert!(out.text.contains("[redacted]"), "{}", out.text);
        assert!(!out.text.contains("Quillon"));
        // Keep on a registered person's name changes nothing.
        let out = apply(&lex, text, &[decision(0, "Dina", Action::Keep)]);
        assert!(!out.text.contains("Dina"), "{}", out.text);
    }

    #[test]
    fn render_replaces_spans_in_order() {
        let spans = vec![Span {
            start: 2,
            end: 5,
            replacement: "[x]".into(),
            why: Why::Decision(1),
        }];
        assert_eq!(render("a bcd e", &spans), "a [x] e");
    }
}
