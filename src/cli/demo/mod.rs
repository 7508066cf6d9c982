//! `fieldvault demo`: the whole pipeline on built-in fictional interviews,
//! in a fresh vault in a temporary folder. It opens the vault as `init`
//! does and drives the same command handlers as the command line, so what it
//! shows is what the tool does.
//!
//! The four interviews were written for the project (Russian and Kazakh
//! with English translations). Everyone in them is invented, and the
//! consents differ on purpose: one person refused quoting, one withdrew,
//! one asked to be named, one agreed to a pseudonym. Before exporting, the
//! script answers the review's open questions (`review list`, then
//! `review resolve`), as a researcher would on the review screen.

use super::args::Cli;
use super::report::Report;
use super::session::Session;
use anyhow::{bail, Context, Result};
use clap::Parser;
use fieldvault_vault::{KdfParams, Passphrase};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const FILES: &[(&str, &str)] = &[
    ("01.ru.txt", include_str!("data/01.ru.txt")),
    ("01.en.txt", include_str!("data/01.en.txt")),
    ("02.kk.txt", include_str!("data/02.kk.txt")),
    ("02.en.txt", include_str!("data/02.en.txt")),
    ("03.ru.txt", include_str!("data/03.ru.txt")),
    ("03.en.txt", include_str!("data/03.en.txt")),
    ("04.ru.txt", include_str!("data/04.ru.txt")),
    ("04.en.txt", include_str!("data/04.en.txt")),
];

/// The demo's script: one command per line, `$N` is the id printed by the
/// N-th `person add` (1-based), `$DIR` the demo folder.
const SCRIPT: &str = r#"
person add --name "Есенова Асель Маратовна" --alias "Ася" --descriptor "independent journalist" --phone "+7 701 555 12 34" --email asel.yessenova@mail.kz --handle @asel_writes --attr city=Karaganda --attr sector=media
person add --name "Қасымов Бауыржан Серікұлы" --alias "Baurzhan Kassymov" --descriptor "trade-union organiser in an oil town" --phone "+7 702 318 44 90" --attr sector=labour
person add --name "Шевченко Ольга Викторовна" --alias "Оля" --descriptor "lawyer defending protesters" --handle @olga_advokat --attr city=Karaganda --attr sector=law
person add --name "Тоқтаров Мейрамбек" --alias "Meirambek Toktarov" --descriptor "founder of a public legal-aid initiative" --phone "+7 777 120 45 63" --attr sector=law
term add "Открытый двор" --kind org --replacement "a residents' initiative"
term add "Бесқұдық" --kind place --replacement "a village"
term add "Қарабатан-Мұнай" --kind org --replacement "an oil company"
term allow Токаев
term allow Tokayev
consent record $1 --date 2022-03-10 --method written --recording yes --quotes yes --attribution pseudonym
consent record $2 --date 2022-04-05 --method verbal-recorded --recording yes --quotes no --attribution anonymous --note "may be described, never quoted"
consent record $3 --date 2022-02-01 --method verbal-recorded --recording yes --quotes yes --attribution pseudonym
consent record $4 --date 2022-05-20 --method electronic --recording yes --quotes yes --attribution named
transcript import $DIR/01.ru.txt --person $1 --date 2022-03-10 --lang ru --translation $DIR/01.en.txt
transcript import $DIR/02.kk.txt --person $2 --date 2022-04-05 --lang kk --translation $DIR/02.en.txt
transcript import $DIR/03.ru.txt --person $3 --date 2022-02-01 --lang ru --translation $DIR/03.en.txt
transcript import $DIR/04.ru.txt --person $4 --date 2022-05-20 --lang ru --translation $DIR/04.en.txt
excerpt add 1 --lines 4-6 --tag pressure --note "courtyard estimate story"
excerpt add 1 --lines 8 --tag security
excerpt add 2 --lines 6 --tag pressure
excerpt add 3 --lines 4 --tag courts
excerpt add 3 --lines 6 --tag pressure
excerpt add 4 --lines 6 --tag pressure
excerpt add 4 --lines 8 --tag courts
review list
review resolve 1:6:o243 person --descriptor "newspaper editor"
review list
consent withdraw $3 --date 2022-06-15
export --format md --out $DIR/quotes.md --allow-named $4 --reason "asked to be named as a public advocate (consent of 2022-05-20)"
export --format csv --out $DIR/quotes.csv --allow-named $4 --reason "asked to be named as a public advocate (consent of 2022-05-20)"
export --format json --out $DIR/quotes.json --allow-named $4 --reason "asked to be named as a public advocate (consent of 2022-05-20)"
export --format docx --out $DIR/quotes.docx --allow-named $4 --reason "asked to be named as a public advocate (consent of 2022-05-20)"
export --format qdpx --out $DIR/quotes.qdpx --allow-named $4 --reason "asked to be named as a public advocate (consent of 2022-05-20)"
audit verify
"#;

/// Runs one script line. `$DIR` and `$N` are replaced after the line is
/// split into words, so that a folder with spaces or backslashes (Windows)
/// stays one word, exactly as given.
fn run_line(s: &mut Session, line: &str, dir: &Path, person_ids: &[String]) -> Result<Report> {
    let words: Vec<String> = super::shell::split_words(line)
        .context("demo script: unbalanced quotes")?
        .into_iter()
        .map(|w| {
            let mut w = w.replace("$DIR", &dir.display().to_string());
            for (i, id) in person_ids.iter().enumerate().rev() {
                w = w.replace(&format!("${}", i + 1), id);
            }
            w
        })
        .collect();
    let cli = Cli::try_parse_from(std::iter::once("fieldvault".to_string()).chain(words))
        .map_err(|e| anyhow::anyhow!("demo script: {e}"))?;
    super::dispatch(&cli.command, s)
}

/// Runs the demo; `keep` keeps the vault and exports in a new folder.
pub fn run(keep: Option<&Path>, kdf: KdfParams) -> Result<Report> {
    let (_tmp, dir): (Option<tempfile::TempDir>, PathBuf) = match keep {
        Some(d) => {
            if d.exists() {
                bail!("{} already exists; give --keep a new folder", d.display());
            }
            std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
            (None, d.to_path_buf())
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("fieldvault-demo-")
                .tempdir()
                .context("cannot create a temporary folder")?;
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    };
    for (name, text) in FILES {
        std::fs::write(dir.join(name), text)
            .with_context(|| format!("cannot write the demo interview {name}"))?;
    }
    let vault_path = dir.join("demo.vault");
    let secret: String = {
        use rand::Rng;
        rand::thread_rng()
            .sample_iter(&rand::distributions::Alphanumeric)
            .take(24)
            .map(char::from)
            .collect()
    };
    let pass = Passphrase::new(secret.clone())?;
    let started = std::time::Instant::now();
    let mut s = Session::create(&vault_path, pass, kdf, &[])?;
    let unlock_time = started.elapsed();

    let mut notes = vec![format!(
        "demo: created {} (Argon2id {} MiB, {} passes, {:.1} s) in {}",
        vault_path.display(),
        kdf.memory_mib,
        kdf.iterations,
        unlock_time.as_secs_f64(),
        dir.display()
    )];
    let mut person_ids: Vec<String> = Vec::new();
    let mut export_report: Option<Value> = None;
    for raw in SCRIPT.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let r = run_line(&mut s, raw, &dir, &person_ids).with_context(|| {
            format!(
                "demo step `{}` failed",
                raw.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
            )
        })?;
        if raw.starts_with("person add") {
            person_ids.push(r.json["id"].to_string());
        }
        if raw.starts_with("export --format md") {
            export_report = Some(r.json.clone());
        }
        notes.push(format!(
            "demo: {}",
            r.human.lines().next().unwrap_or("").trim()
        ));
        notes.extend(r.notes.iter().map(|n| format!("demo:   {n}")));
    }
    let markdown =
        std::fs::read_to_string(dir.join("quotes.md")).context("the demo export is missing")?;
    let er = export_report.unwrap_or(Value::Null);
    let mut human = markdown;
    human.push_str("\n---\n");
    human.push_str(&format!(
        "What was left out and why: {}\n",
        er["left_out"]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|x| {
                        format!(
                            "excerpt {} ({}): {}",
                            x["excerpt"],
                            x["pseudonym"].as_str().unwrap_or(""),
                            x["why"].as_str().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    ));
    human.push_str(
        "All five formats (md, csv, json, docx, qdpx) were written, leak-checked and audited",
    );
    match keep {
        Some(d) => human.push_str(&format!(" in {}.\nThe demo vault's passphrase is {secret}\n", d.display())),
        None => human.push_str("; the temporary folder is deleted now. Run `fieldvault demo --keep DIR` to keep them.\n"),
    }
    Ok(Report::verbatim(
        human,
        json!({ "markdown_export": er, "folder": keep.map(|d| d.display().to_string()) }),
    )
    .notes(notes))
}
