//! Counts what the engine replaces in texts that should contain no
//! registered identifiers (translations of software messages, say): every
//! person or term match there is a false positive, and the unregistered-name
//! detector's hits are worth reading. A development aid:
//!
//!     cargo run --release -p fieldvault-redact --example negatives -- CORPUS FILE...

use std::collections::BTreeMap;

use fieldvault_redact::{redact, Lexicon, Reason, RedactOptions};

#[path = "eval_corpus.rs"]
#[allow(dead_code)]
mod eval;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lex = Lexicon::build(&eval::source(std::path::Path::new(&args[0])));
    for f in &args[1..] {
        let text = std::fs::read_to_string(f).expect("read");
        let t = std::time::Instant::now();
        let r = redact(&lex, &text, &RedactOptions::default());
        let dt = t.elapsed();
        let mut by: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for rep in &r.replacements {
            let cat = match &rep.reason {
                Reason::Person { form, .. } => format!("person/{form}"),
                Reason::Term { .. } => "term".into(),
                Reason::Pattern(k) => format!("{k}"),
                Reason::UnregisteredName => "unregistered".into(),
                Reason::Ambiguous { .. } => "ambiguous".into(),
            };
            *by.entry(cat)
                .or_default()
                .entry(text[rep.start..rep.end].to_string())
                .or_default() += 1;
        }
        println!(
            "== {f}: {} bytes, {:?}, {} replacements",
            text.len(),
            dt,
            r.replacements.len()
        );
        for (cat, words) in by {
            let total: usize = words.values().sum();
            let mut ws: Vec<_> = words.into_iter().collect();
            ws.sort_by_key(|w| std::cmp::Reverse(w.1));
            let sample: Vec<String> = ws
                .iter()
                .take(40)
                .map(|(w, n)| format!("{w}×{n}"))
                .collect();
            println!("  {cat}: {total}: {}", sample.join(", "));
        }
    }
}
