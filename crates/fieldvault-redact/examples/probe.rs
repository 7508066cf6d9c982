//! Redacts one string with a small built-in lexicon (the public corpus's
//! registrations, if given as CORPUS) and prints every replacement and its
//! reason, then the suspects. A development aid:
//!
//!     cargo run -p fieldvault-redact --example probe -- "text" [CORPUS]

use fieldvault_redact::{leak_check, redact, suspects, Lexicon, LexiconSource, RedactOptions};

#[path = "eval_corpus.rs"]
#[allow(dead_code)]
mod eval;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = args.first().cloned().unwrap_or_default();
    let src = match args.get(1) {
        Some(c) => eval::source(std::path::Path::new(c)),
        None => LexiconSource::default(),
    };
    let lex = Lexicon::build(&src);
    let r = redact(&lex, &text, &RedactOptions::default());
    println!("{}", r.text);
    for rep in &r.replacements {
        println!(
            "  {:?} -> {} ({})",
            &text[rep.start..rep.end],
            rep.replacement,
            rep.reason
        );
    }
    for s in suspects(&lex, &text) {
        println!("  suspect {:?}", s.word);
    }
    for l in leak_check(&lex, &r.text) {
        println!("  LEAK {:?} ({})", &r.text[l.start..l.end], l.reason);
    }
}
