//! False-alarm rate of the independent leak check: redacts a labelled
//! corpus (the public evaluation corpus's format, and/or the news-dev JSON)
//! and runs the independent check over the outputs. A finding on a word
//! of a registered person's mention that redaction missed is a caught leak;
//! any other finding is a false alarm that would block an export.
//!
//!     cargo run --release -p fieldvault-redact --example leak_alarms -- [--corpus DIR] [--news FILE] [--list]

use std::path::Path;

use fieldvault_redact::{
    independent_check, redact, Lexicon, LexiconSource, PersonSource, RedactOptions,
};
use serde_json::Value;

#[path = "eval_corpus.rs"]
#[allow(dead_code)]
mod eval;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let list = args.iter().any(|a| a == "--list");
    if let Some(c) = arg("--corpus") {
        corpus(Path::new(&c), list);
    }
    if let Some(n) = arg("--news") {
        news(Path::new(&n), list);
    }
}

fn words(t: &str) -> usize {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

fn corpus(dir: &Path, list: bool) {
    let lex = Lexicon::build(&eval::source(dir));
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let (mut docs, mut alarmed, mut alarms, mut nwords) = (0, 0, 0, 0);
    for t in manifest["transcripts"].as_array().into_iter().flatten() {
        for k in ["file", "translation"] {
            let Some(f) = t[k].as_str() else { continue };
            let text = std::fs::read_to_string(dir.join("transcripts").join(f)).unwrap();
            let r = redact(&lex, &text, &RedactOptions::default());
            let found = independent_check(&lex, &r.text);
            docs += 1;
            nwords += words(&r.text);
            alarms += found.len();
            alarmed += !found.is_empty() as usize;
            if list {
                for l in &found {
                    println!("ALARM\t{f}\t{}\t{}", &r.text[l.start..l.end], l.reason);
                }
            }
        }
    }
    println!(
        "corpus {}: {alarms} findings in {alarmed}/{docs} documents ({nwords} words, {:.4}% of words)",
        dir.display(),
        100.0 * alarms as f64 / nwords.max(1) as f64
    );
}

fn news(file: &Path, list: bool) {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let (mut docs, mut alarmed, mut caught, mut false_alarms, mut nwords, mut leaky) =
        (0, 0, 0, 0, 0, 0);
    for d in v["docs"].as_array().into_iter().flatten() {
        let text = d["text"].as_str().unwrap_or_default();
        let persons = d["persons"].as_array().cloned().unwrap_or_default();
        let src = LexiconSource {
            persons: persons
                .iter()
                .enumerate()
                .map(|(i, p)| PersonSource {
                    key: format!("p{i}"),
                    replacement: format!("[Respondent {}]", i + 1),
                    name: p["name"].as_str().unwrap_or_default().to_string(),
                    aliases: p["aliases"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a.as_str().map(str::to_string))
                        .collect(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        let lex = Lexicon::build(&src);
        let r = redact(&lex, text, &RedactOptions::default());
        // Person-mention tokens (char offsets) that survived redaction, in
        // output byte offsets.
        let chars: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let toks = d["tokens"].as_array().cloned().unwrap_or_default();
        let mut survivors: Vec<(usize, usize)> = Vec::new();
        for m in d["mentions"].as_array().into_iter().flatten() {
            for ti in m["tokens"].as_array().into_iter().flatten() {
                let t = &toks[ti.as_u64().unwrap_or(0) as usize];
                let (a, b) = (
                    chars[t[0].as_u64().unwrap_or(0) as usize],
                    chars[t[1].as_u64().unwrap_or(0) as usize],
                );
                if !text[a..b].chars().any(char::is_alphanumeric) {
                    continue;
                }
                if !r.replacements.iter().any(|x| x.start <= a && b <= x.end) {
                    survivors.push((a, b));
                }
            }
        }
        // Map input offsets of survivors to output offsets.
        let to_out = |pos: usize| {
            let mut shift: isize = 0;
            for x in &r.replacements {
                if x.end <= pos {
                    shift += x.replacement.len() as isize - (x.end - x.start) as isize;
                }
            }
            (pos as isize + shift) as usize
        };
        let surv_out: Vec<(usize, usize)> = survivors
            .iter()
            .map(|&(a, b)| (to_out(a), to_out(b)))
            .collect();
        let found = independent_check(&lex, &r.text);
        docs += 1;
        nwords += words(&r.text);
        leaky += !survivors.is_empty() as usize;
        alarmed += !found.is_empty() as usize;
        for l in &found {
            let real = surv_out.iter().any(|&(a, b)| a < l.end && l.start < b);
            if real {
                caught += 1;
            } else {
                false_alarms += 1;
            }
            if list {
                println!(
                    "{}\t{}\t{}\t{}",
                    if real { "CAUGHT" } else { "FALSE" },
                    d["id"].as_str().unwrap_or_default(),
                    &r.text[l.start..l.end],
                    l.reason
                );
            }
        }
        if list {
            for &(a, b) in &surv_out {
                if !found.iter().any(|l| a < l.end && l.start < b) {
                    println!(
                        "UNSEEN\t{}\t{}",
                        d["id"].as_str().unwrap_or_default(),
                        &r.text[a..b]
                    );
                }
            }
        }
    }
    println!(
        "news {}: {caught} caught leaks, {false_alarms} false alarms ({:.4}% of {nwords} words), {alarmed}/{docs} documents alarmed, {leaky} with a real leak",
        file.display(),
        100.0 * false_alarms as f64 / nwords.max(1) as f64
    );
}
