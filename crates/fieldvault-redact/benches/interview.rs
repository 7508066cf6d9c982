//! Interview-like text for the benchmarks: the labelled interview corpora
//! (the crate's synthetic ones, and the public evaluation corpus when it
//! lies beside the workspace) repeated to the size asked for, with their
//! own registered persons, terms and allow-list, plus generated persons up
//! to the lexicon size measured. So the name density, capitalised words,
//! numbers and pattern PII are those of real interview transcripts.
//!
//! Included by `benches/throughput.rs` and `examples/interview.rs`.

use std::path::{Path, PathBuf};

use fieldvault_redact::{LexiconSource, PersonSource, TermKind, TermSource};

/// The corpus folders found (each with persons.json, terms.json and
/// transcripts/).
pub fn corpora() -> Vec<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<PathBuf> = ["synthetic", "synthetic2", "synthetic3"]
        .iter()
        .map(|d| here.join("tests/data").join(d))
        .collect();
    let public = here.join("../../../shared/eval/public");
    if public.join("persons.json").exists() {
        out.push(public);
    }
    out.retain(|p| p.join("transcripts").is_dir());
    out
}

/// The corpora's transcripts (and translations) one after another, repeated
/// to about `bytes` bytes (whole transcripts, ending at a line break).
pub fn text(bytes: usize) -> String {
    let mut one = String::new();
    for c in corpora() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(c.join("transcripts"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            if let Ok(t) = std::fs::read_to_string(&f) {
                one.push_str(&t);
                if !one.ends_with('\n') {
                    one.push('\n');
                }
            }
        }
    }
    assert!(!one.is_empty(), "no interview corpus found");
    let mut out = String::with_capacity(bytes + one.len());
    while out.len() < bytes {
        out.push_str(&one);
    }
    out
}

fn strings(v: Option<&serde_json::Value>) -> Vec<String> {
    v.and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The corpora's own persons, terms and allow-list.
pub fn corpus_source() -> LexiconSource {
    let mut src = LexiconSource::default();
    for c in corpora() {
        let read = |f: &str| -> serde_json::Value {
            std::fs::read_to_string(c.join(f))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(serde_json::Value::Null)
        };
        for p in read("persons.json").as_array().into_iter().flatten() {
            let contacts = &p["contacts"];
            let one = |k: &str| contacts[k].as_str().map(String::from);
            let n = src.persons.len();
            src.persons.push(PersonSource {
                key: format!("c{n}"),
                replacement: format!("[Respondent {}]", n + 1),
                name: p["name"].as_str().unwrap_or_default().to_string(),
                aliases: strings(p.get("aliases")),
                phones: one("phone").into_iter().collect(),
                emails: one("email").into_iter().collect(),
                handles: ["telegram", "instagram", "handle"]
                    .iter()
                    .filter_map(|k| one(k))
                    .collect(),
            });
        }
        let terms = read("terms.json");
        for t in terms["sensitive"].as_array().into_iter().flatten() {
            let n = src.terms.len();
            src.terms.push(TermSource {
                key: format!("ct{n}"),
                text: t["text"].as_str().unwrap_or_default().to_string(),
                kind: TermKind::parse(t["kind"].as_str().unwrap_or("other"))
                    .unwrap_or(TermKind::Other),
                replacement: String::new(),
            });
        }
        src.allow.extend(strings(terms.get("allow")));
    }
    src
}

/// The corpora's own source with generated persons added up to `n` persons
/// in all (`extra` gives them, as [`crate::source`] makes them).
pub fn source_with(n: usize, extra: LexiconSource) -> LexiconSource {
    let mut src = corpus_source();
    let want = n.saturating_sub(src.persons.len());
    let base = src.persons.len();
    for (i, mut p) in extra.persons.into_iter().take(want).enumerate() {
        p.key = format!("g{i}");
        p.replacement = format!("[Respondent {}]", base + i + 1);
        src.persons.push(p);
    }
    src
}

/// Peak resident memory of this process so far, in MB (Linux).
pub fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
