//! `redact`: a text file or standard input through the vault's lexicon.

use super::args::RedactArgs;
use super::report::Report;
use super::session::Session;
use anyhow::{Context, Result};
use fieldvault_redact::{leak_check, redact, suspects, RedactOptions};
use serde_json::json;
use std::io::Read;

pub fn run(s: &Session, a: &RedactArgs) -> Result<Report> {
    let bytes = zeroize::Zeroizing::new(match &a.file {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?
        }
        _ => {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .context("cannot read standard input")?;
            b
        }
    });
    // UTF-8 input is redacted exactly as it is (no newline or Unicode
    // normalisation), so that everything but the replacements stays
    // byte-identical; other encodings are decoded first.
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t.to_string(),
        Err(_) => {
            fieldvault_import::decode_text(&bytes)
                .context("the input is not readable text")?
                .0
        }
    };
    let lex = crate::lexicon::build(s.conn(), &[])?;
    let red = redact(&lex, &text, &RedactOptions::default());
    let sus = if a.suspects {
        suspects(&lex, &red.text)
    } else {
        Vec::new()
    };
    let mut notes = Vec::new();
    if a.explain {
        for r in &red.replacements {
            notes.push(format!(
                "{}..{}  {:?} -> {}  ({})",
                r.start,
                r.end,
                &text[r.start..r.end],
                r.replacement,
                reason_text(&r.reason)
            ));
        }
        notes.push(format!("{} replacement(s)", red.replacements.len()));
    }
    // What the leak check (the matcher again, and the independent second
    // detector) still finds in the output: an export of it would refuse.
    let leaks = if a.explain {
        leak_check(&lex, &red.text)
    } else {
        Vec::new()
    };
    for l in &leaks {
        notes.push(format!(
            "leak: {}..{} of the output  {:?}  ({}): an export would refuse; register the form or allow the word",
            l.start,
            l.end,
            &red.text[l.start..l.end],
            reason_text(&l.reason)
        ));
    }
    if a.suspects {
        for x in &sus {
            notes.push(format!("suspect: {} (at {})", x.word, x.start));
        }
        notes.push(format!("{} suspect(s): unregistered capitalised words; register real people with `person add` or `term add`", sus.len()));
    }
    let replacements: Vec<serde_json::Value> = red
        .replacements
        .iter()
        .map(|r| json!({ "start": r.start, "end": r.end, "original": &text[r.start..r.end], "replacement": r.replacement, "reason": reason_text(&r.reason) }))
        .collect();
    let leaks: Vec<serde_json::Value> = leaks
        .iter()
        .map(|l| json!({ "start": l.start, "end": l.end, "reason": reason_text(&l.reason) }))
        .collect();
    let json = json!({ "text": red.text, "replacements": replacements, "leaks": leaks, "suspects": sus.iter().map(|x| json!({ "word": x.word, "start": x.start, "end": x.end })).collect::<Vec<_>>() });
    Ok(Report::verbatim(red.text, json).notes(notes))
}

fn reason_text(r: &fieldvault_redact::Reason) -> String {
    match r {
        fieldvault_redact::Reason::Person { key, form } => format!("person {key}, {form}"),
        fieldvault_redact::Reason::Term { key } => key.clone(),
        fieldvault_redact::Reason::Pattern(k) => format!("pattern: {k}"),
        fieldvault_redact::Reason::UnregisteredName => {
            "likely an unregistered person's name".into()
        }
    }
}
