//! Redacts a labelled evaluation corpus (the format of
//! `shared/eval/public`) into an output directory for `score.py`.
//!
//! The lexicon is built exactly as the CLI builds it from a vault: persons
//! in file order with "[Respondent N]", their aliases, phone, e-mail and
//! messenger handles; sensitive terms with the replacement of their kind;
//! the allow-list.
//!
//!     cargo run --release -p fieldvault-redact --example eval_corpus -- CORPUS OUTDIR [--no-unregistered] [--explain]

use std::path::Path;
use std::time::Instant;

use fieldvault_redact::{
    redact, suspects, Lexicon, LexiconSource, PersonSource, RedactOptions, TermKind, TermSource,
};
use serde_json::Value;

fn strs(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Builds the lexicon source from `persons.json` and `terms.json`.
fn source(corpus: &Path) -> LexiconSource {
    let read = |f: &str| -> Value {
        let p = corpus.join(f);
        let s = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    let persons = read("persons.json");
    let terms = read("terms.json");
    let mut src = LexiconSource::default();
    for (i, p) in persons.as_array().into_iter().flatten().enumerate() {
        let c = &p["contacts"];
        let mut handles = Vec::new();
        for k in ["telegram", "instagram", "handle"] {
            handles.extend(strs(&c[k]));
        }
        src.persons.push(PersonSource {
            key: p["key"].as_str().unwrap_or_default().to_string(),
            replacement: format!("[Respondent {}]", i + 1),
            name: p["name"].as_str().unwrap_or_default().to_string(),
            aliases: strs(&p["aliases"]),
            phones: strs(&c["phone"]),
            emails: strs(&c["email"]),
            handles,
        });
    }
    for (i, t) in terms["sensitive"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let kind =
            TermKind::parse(t["kind"].as_str().unwrap_or("other")).unwrap_or(TermKind::Other);
        src.terms.push(TermSource {
            key: format!("t{}", i + 1),
            text: t["text"].as_str().unwrap_or_default().to_string(),
            kind,
            replacement: kind.default_replacement().to_string(),
        });
    }
    src.allow = strs(&terms["allow"]);
    src
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if pos.len() != 2 {
        eprintln!("usage: eval_corpus CORPUS OUTDIR [--no-unregistered] [--explain] [--suspects]");
        std::process::exit(2);
    }
    let corpus = Path::new(pos[0]);
    let out = Path::new(pos[1]);
    std::fs::create_dir_all(out).expect("create OUTDIR");
    let opts = RedactOptions {
        unregistered_names: !args.iter().any(|a| a == "--no-unregistered"),
        ..Default::default()
    };
    let explain = args.iter().any(|a| a == "--explain");
    let show_suspects = args.iter().any(|a| a == "--suspects");

    let t0 = Instant::now();
    let lex = Lexicon::build(&source(corpus));
    eprintln!(
        "lexicon: {} variants, built in {:?}",
        lex.len_variants(),
        t0.elapsed()
    );

    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(corpus.join("manifest.json")).expect("manifest.json"),
    )
    .expect("manifest.json");
    let mut files = Vec::new();
    for t in manifest["transcripts"].as_array().into_iter().flatten() {
        files.extend(strs(&t["file"]));
        files.extend(strs(&t["translation"]));
    }
    for f in files {
        let text =
            std::fs::read_to_string(corpus.join("transcripts").join(&f)).expect("transcript");
        let r = redact(&lex, &text, &opts);
        std::fs::write(out.join(&f), &r.text).expect("write");
        if explain {
            for rep in &r.replacements {
                println!(
                    "{f}\t{}\t{}\t{}",
                    &text[rep.start..rep.end],
                    rep.replacement,
                    rep.reason
                );
            }
        }
        if show_suspects {
            for s in suspects(&lex, &r.text) {
                println!("{f}\tSUSPECT\t{}", s.word);
            }
        }
    }
}
