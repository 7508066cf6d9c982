//! Redacts a text with persons given on the command line (a development
//! aid): `probe_names -- "text" "Name One" "Name Two" ...`.
use fieldvault_redact::{leak_check, redact, Lexicon, LexiconSource, PersonSource, RedactOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((text, names)) = args.split_first() else {
        eprintln!("usage: probe_names TEXT NAME...");
        std::process::exit(2);
    };
    let lex = Lexicon::build(&LexiconSource {
        persons: names
            .iter()
            .enumerate()
            .map(|(i, n)| PersonSource {
                key: format!("p{}", i + 1),
                replacement: format!("[Respondent {}]", i + 1),
                name: n.clone(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    });
    let r = redact(&lex, text, &RedactOptions::default());
    println!("{}", r.text);
    for rep in &r.replacements {
        println!(
            "  {:?} -> {} ({})",
            &text[rep.start..rep.end],
            rep.replacement,
            rep.reason
        );
    }
    for l in leak_check(&lex, &r.text) {
        println!("  LEAK {:?} ({})", &r.text[l.start..l.end], l.reason);
    }
}
