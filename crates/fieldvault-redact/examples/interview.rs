//! Writes the benchmark's interview text and a matching vault script, for
//! timing the `fieldvault redact` command (a development aid):
//!
//!     cargo run --release -p fieldvault-redact --example interview -- DIR MB PERSONS
//!
//! DIR receives `interview.txt` (about MB megabytes) and `persons.jsonl`
//! (one registered person per line: name, aliases, phones, emails,
//! handles), `terms.jsonl` and `allow.txt`. Delete DIR afterwards.

#[path = "../benches/throughput.rs"]
#[allow(dead_code)]
mod bench;

use bench::interview;
use std::io::Write;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.first().map_or("interview-bench", String::as_str));
    let mb: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("interview.txt"), interview::text(mb * 1_000_000))?;
    let mut rng = bench::Rng(0x5EED_F1E1_D5AF_E000);
    let src = interview::source_with(n, bench::source(&bench::persons(n, &mut rng)));
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("persons.jsonl"))?);
    for p in &src.persons {
        writeln!(
            f,
            "{}",
            serde_json::json!({"name": p.name, "aliases": p.aliases, "phones": p.phones, "emails": p.emails, "handles": p.handles})
        )?;
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("terms.jsonl"))?);
    for t in &src.terms {
        writeln!(
            f,
            "{}",
            serde_json::json!({"text": t.text, "kind": t.kind.as_str()})
        )?;
    }
    std::fs::write(dir.join("allow.txt"), src.allow.join("\n"))?;
    println!(
        "{}: {} persons, {} terms",
        dir.display(),
        src.persons.len(),
        src.terms.len()
    );
    Ok(())
}
