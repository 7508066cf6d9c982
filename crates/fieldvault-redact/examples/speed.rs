//! Times the engine's phases on the benchmark's generated text (a
//! development aid): `cargo run --release -p fieldvault-redact --example speed -- [MB] [persons] [interview]`
//! (`interview`: the interview text of `benches/interview.rs` instead of the generated one).

#[path = "../benches/throughput.rs"]
#[allow(dead_code)]
mod bench;

use std::time::Instant;

use fieldvault_redact::{leak_check, redact, Lexicon, RedactOptions};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let mb = args.first().copied().unwrap_or(10);
    let n = args.get(1).copied().unwrap_or(10);
    let mut rng = bench::Rng(0x5EED_F1E1_D5AF_E000);
    let ps = bench::persons(n, &mut rng);
    let (text, src) = if std::env::args().any(|a| a == "interview") {
        (
            bench::interview::text(mb * 1_000_000),
            bench::interview::source_with(n, bench::source(&ps)),
        )
    } else {
        (
            bench::text(mb * 1_000_000, &ps, &mut rng),
            bench::source(&ps),
        )
    };
    let t = Instant::now();
    let lex = Lexicon::build(&src);
    println!("lexicon build: {:?}", t.elapsed());
    for (label, opts) in [
        ("full", RedactOptions::default()),
        (
            "no unregistered",
            RedactOptions {
                unregistered_names: false,
                patterns: true,
            },
        ),
        (
            "no patterns",
            RedactOptions {
                unregistered_names: true,
                patterns: false,
            },
        ),
        (
            "names only",
            RedactOptions {
                unregistered_names: false,
                patterns: false,
            },
        ),
    ] {
        let c = bench::cpu_ns();
        let t = Instant::now();
        let r = redact(&lex, &text, &opts);
        let d = t.elapsed();
        let cpu = c.and_then(|c| bench::cpu_ns().map(|e| (e - c) as f64 / 1e9));
        println!(
            "{label:>16}: {:6.1} MB/s wall, {:6.1} MB/s cpu ({} replacements)",
            text.len() as f64 / 1e6 / d.as_secs_f64(),
            cpu.map(|s| text.len() as f64 / 1e6 / s).unwrap_or(0.0),
            r.replacements.len()
        );
    }
    let t = Instant::now();
    let l = leak_check(&lex, &text);
    println!(
        "      leak_check: {:6.1} MB/s ({} leaks)",
        text.len() as f64 / 1e6 / t.elapsed().as_secs_f64(),
        l.len()
    );
}
