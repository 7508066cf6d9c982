//! What a command prints: human text on stdout (or one JSON object with
//! --json), and notes (warnings, progress, what was left out) on stderr.

use serde_json::Value;

#[derive(Debug, Default)]
pub struct Report {
    /// Printed verbatim on stdout without --json (include the final newline).
    pub human: String,
    /// Printed as one line of JSON on stdout with --json.
    pub json: Value,
    /// Printed on stderr in both modes, one line each.
    pub notes: Vec<String>,
}

impl Report {
    pub fn new(human: impl Into<String>, json: Value) -> Report {
        let mut human = human.into();
        if !human.is_empty() && !human.ends_with('\n') {
            human.push('\n');
        }
        Report {
            human,
            json,
            notes: Vec::new(),
        }
    }

    /// Text printed exactly as given (the redacted text of `redact`).
    pub fn verbatim(human: String, json: Value) -> Report {
        Report {
            human,
            json,
            notes: Vec::new(),
        }
    }

    pub fn note(mut self, n: impl Into<String>) -> Report {
        self.notes.push(n.into());
        self
    }

    pub fn notes(mut self, ns: impl IntoIterator<Item = String>) -> Report {
        self.notes.extend(ns);
        self
    }

    pub fn print(&self, json: bool) {
        use std::io::Write;
        let mut err = std::io::stderr().lock();
        for n in &self.notes {
            let _ = writeln!(err, "{n}");
        }
        let mut out = std::io::stdout().lock();
        if json {
            let _ = writeln!(out, "{}", self.json);
        } else {
            let _ = out.write_all(self.human.as_bytes());
        }
        let _ = out.flush();
    }
}

/// A simple left-aligned table for listings.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}
