//! The research workflow at scale, as a researcher sees it: the release
//! binary driven as a process on vaults of 10, 100 and 1,000 interview
//! transcripts of ~10,000 words with 10,000 registered persons (each with a
//! name, an alias, a phone, a descriptor, a city and a consent record), and
//! 1,000 excerpts.
//!
//! The vaults are built through the library (fast, deterministic generated
//! Russian / Kazakh / English interview-like text with registered and
//! unregistered names, phone numbers and places); every measured command then
//! runs `target/release/fieldvault` as a separate process, so each figure
//! includes process start, unlock, decryption of the whole vault, the schema
//! check and (for commands that change the vault) the atomic commit.
//! Key derivation is excluded: the vaults use Argon2id with 8 MiB and one
//! iteration (`init --kdf-memory-mib 8 --kdf-iterations 1`); the cost of the
//! default parameters is measured by the vault crate's own bench and added
//! on top in docs/performance.md.
//!
//! Run: `cargo bench --bench workflow`. Knobs (environment):
//! - `FIELDVAULT_BENCH_MAX` (1000): the largest vault, in transcripts;
//! - `FIELDVAULT_BENCH_WORDS` (10000): words per transcript;
//! - `FIELDVAULT_BENCH_PERSONS` (10000): registered persons;
//! - `FIELDVAULT_BENCH_EXCERPTS` (1000): excerpts exported;
//! - `FIELDVAULT_BENCH_RUNS` (5): runs of each quick command (the median is shown);
//! - `FIELDVAULT_BENCH_PERSON_AXIS` (1): also measure 10 / 1,000 / 10,000 persons at 100 transcripts;
//! - `FIELDVAULT_BENCH_ONLY` (unset): a comma-separated list of command labels to run;
//! - `FIELDVAULT_BENCH_BIN` (unset): another fieldvault binary to measure
//!   (an older build, for before/after figures);
//! - `FIELDVAULT_BENCH_SCHEMA` (unset): `8` writes the vaults as schema 8
//!   did (for a `FIELDVAULT_BENCH_BIN` built before schema 9);
//! - `FIELDVAULT_BENCH_KEEP` (unset): a folder to keep the largest vault in
//!   (e.g. for `hyperfine`); everything else lives in a temporary folder that
//!   is deleted at the end.
//!
//! A quick run: `FIELDVAULT_BENCH_MAX=100 FIELDVAULT_BENCH_WORDS=2000 FIELDVAULT_BENCH_PERSONS=1000 FIELDVAULT_BENCH_PERSON_AXIS=0 cargo bench --bench workflow`.

use fieldvault::records::{self, consent, excerpts, persons, transcripts};
use fieldvault_vault::{Access, KdfParams, Passphrase, Unlock, Vault};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const PASS: &str = "bench passphrase for the workflow";

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const FIRST_RU: &[&str] = &[
    "Арман",
    "Ерлан",
    "Бахыт",
    "Данияр",
    "Тимур",
    "Руслан",
    "Марат",
    "Нурлан",
    "Серик",
    "Асхат",
    "Айгуль",
    "Жанар",
    "Асель",
    "Динара",
    "Гульнара",
    "Мадина",
    "Сауле",
    "Алия",
    "Карина",
    "Жанна",
];
const FIRST_EN: &[&str] = &[
    "Arman", "Yerlan", "Bakhyt", "Daniyar", "Timur", "Aigul", "Zhanar", "Assel", "Dinara", "Madina",
];
const STEMS: &[&str] = &[
    "Сапар",
    "Мурат",
    "Тулеген",
    "Жаксыбек",
    "Омар",
    "Касым",
    "Есим",
    "Абиль",
    "Байжан",
    "Нурпеис",
    "Исмаил",
    "Кайрат",
    "Дауле",
    "Жумабай",
    "Серикбай",
    "Талгат",
    "Ахмет",
    "Болат",
    "Ержан",
    "Габит",
    "Кенес",
    "Мухтар",
    "Рахим",
    "Шакир",
    "Ыбырай",
];
const STEM_TAIL: &[&str] = &[
    "", "ба", "ке", "жан", "тай", "бек", "кул", "мен", "гали", "хан", "бай", "тас", "али", "ше",
    "нур", "сен", "тау", "ай",
];
const SURNAME_M: &[&str] = &["ов", "ев", "ин"];
const SURNAME_F: &[&str] = &["ова", "ева", "ина"];
const DESCRIPTORS: &[&str] = &[
    "independent activist",
    "representative of a CSO pursuing political activities",
    "journalist",
    "human-rights lawyer",
    "volunteer of a local initiative",
    "schoolteacher",
];
const CITIES: &[&str] = &[
    "Алматы",
    "Астана",
    "Шымкент",
    "Караганда",
    "Актобе",
    "Павлодар",
];

const WORDS_RU: &[&str] = &[
    "мы",
    "начали",
    "чистить",
    "арыки",
    "в",
    "районе",
    "потом",
    "фонд",
    "предложил",
    "оформить",
    "регистрация",
    "полгода",
    "нервов",
    "грант",
    "отчётность",
    "участковый",
    "пришёл",
    "домой",
    "беседа",
    "акимат",
    "активисты",
    "суд",
    "штраф",
    "митинг",
    "закон",
    "слежка",
    "подписка",
    "аккаунты",
    "волонтёр",
    "пенсионеры",
    "и",
    "что",
    "это",
    "было",
    "когда",
    "нас",
    "не",
    "знали",
    "сказали",
    "нельзя",
    "говорить",
    "люди",
    "боялись",
    "писать",
    "в",
    "чат",
    "ночью",
];
const WORDS_KK: &[&str] = &[
    "ауылда",
    "жұмыс",
    "жоқ",
    "жастар",
    "кетіп",
    "жатыр",
    "су",
    "мәселесі",
    "құбыр",
    "ақша",
    "бөлінген",
    "мектеп",
    "балалар",
    "телефон",
    "сигнал",
    "іздейтін",
    "біз",
    "сол",
    "кезде",
    "әкімдік",
    "жиналыс",
    "өтті",
    "адамдар",
    "қорықты",
    "айтты",
    "болды",
    "және",
    "бірақ",
];
const WORDS_EN: &[&str] = &[
    "we",
    "started",
    "cleaning",
    "the",
    "canals",
    "in",
    "district",
    "then",
    "foundation",
    "offered",
    "to",
    "register",
    "grant",
    "reporting",
    "police",
    "officer",
    "came",
    "home",
    "talk",
    "court",
    "fine",
    "rally",
    "law",
    "surveillance",
    "accounts",
    "volunteer",
    "people",
    "were",
    "afraid",
    "write",
    "chat",
    "at",
    "night",
    "and",
    "it",
    "was",
    "not",
    "allowed",
];
/// Capitalised words nobody registered: the unregistered-name detector and
/// the review queue see them.
const UNREGISTERED: &[&str] = &["Кайсар", "Толкын", "Меруерт", "Нурбол", "Gulnaz", "Yerbol"];

/// One registered person, as the generator knows them.
struct GenPerson {
    first: String,
    surname: String,
    phone: String,
}

fn gen_persons(n: usize) -> Vec<GenPerson> {
    let mut rng = Rng(0xA076_1D64_78BD_642F);
    (0..n)
        .map(|i| {
            let female = i % 2 == 1;
            let first = if i % 7 == 3 {
                rng.pick(FIRST_EN).to_string()
            } else {
                let half = FIRST_RU.len() / 2;
                let k = rng.below(half);
                FIRST_RU[if female { half + k } else { k }].to_string()
            };
            // Stems × tails × endings: ~1,350 surnames, so namesakes occur
            // as they do in a real registry.
            let stem = format!(
                "{}{}",
                STEMS[i % STEMS.len()],
                STEM_TAIL[(i / STEMS.len()) % STEM_TAIL.len()]
            );
            let end = if female { SURNAME_F } else { SURNAME_M };
            let surname = format!("{stem}{}", end[(i / 450) % end.len()]);
            let phone = format!(
                "+7 70{} {:03} {:02} {:02}",
                i % 8,
                (i * 37) % 1000,
                (i / 7) % 100,
                i % 100
            );
            GenPerson {
                first,
                surname,
                phone,
            }
        })
        .collect()
}

/// Interview-like turns: interviewer and respondent alternate; the
/// respondent's own name, other registered persons, phones, places and
/// unregistered names appear at roughly the density of the public corpus
/// (a few per thousand words).
fn gen_turns(
    rng: &mut Rng,
    words: usize,
    lang: &str,
    me: &GenPerson,
    all: &[GenPerson],
) -> Vec<(String, String)> {
    let vocab = match lang {
        "kk" => WORDS_KK,
        "en" => WORDS_EN,
        _ => WORDS_RU,
    };
    let (interviewer, respondent) = match lang {
        "kk" => ("Сұхбаттасушы", "Респондент"),
        "en" => ("Interviewer", "Respondent"),
        _ => ("Интервьюер", "Респондент"),
    };
    let mut turns = Vec::new();
    let mut left = words;
    let mut i = 0;
    while left > 0 {
        let n = (40 + rng.below(120)).min(left);
        left -= n;
        let mut text = String::new();
        let mut sentence_start = true;
        for w in 0..n {
            if w > 0 {
                text.push(' ');
            }
            let roll = rng.below(1000);
            let word: String = match roll {
                0..=2 => me.first.clone(),
                3 => format!("{} {}", me.first, me.surname),
                4..=5 => {
                    let o = &all[rng.below(all.len())];
                    format!("{} {}", o.first, o.surname)
                }
                6 => rng.pick(CITIES).to_string(),
                7 => rng.pick(UNREGISTERED).to_string(),
                8 if rng.below(4) == 0 => me.phone.clone(),
                9 => format!("{}", 1990 + rng.below(35)),
                _ => {
                    let v = rng.pick(vocab);
                    if sentence_start {
                        let mut c = v.chars();
                        match c.next() {
                            Some(f) => f.to_uppercase().chain(c).collect(),
                            None => String::new(),
                        }
                    } else {
                        v.to_string()
                    }
                }
            };
            text.push_str(&word);
            sentence_start = rng.below(12) == 0;
            if sentence_start {
                text.push('.');
            }
        }
        text.push('.');
        let speaker = if i % 2 == 0 { interviewer } else { respondent };
        turns.push((speaker.to_string(), text));
        i += 1;
    }
    turns
}

fn lang_of(i: usize) -> &'static str {
    ["ru", "kk", "en", "ru"][i % 4]
}

/// A vault of `n` transcripts built through the library, committed.
struct Built {
    path: PathBuf,
    mb_text: f64,
    mb_vault: f64,
    build_s: f64,
    excerpts: usize,
}

/// A committed vault holding only the registry (persons, aliases, phones,
/// descriptors, cities, consent records): built once per registry size and
/// copied for each transcript count, since adding 10,000 persons one by one
/// (each checked against every other name) takes about a minute.
fn build_registry(dir: &Path, name: &str, people: &[GenPerson]) -> (PathBuf, Vec<i64>, f64) {
    let t0 = Instant::now();
    let path = dir.join(format!("{name}.vault"));
    let kdf = KdfParams {
        memory_mib: 8,
        iterations: 1,
        parallelism: 1,
    };
    let pass = Passphrase::new(PASS.into()).unwrap();
    let mut vault = Vault::create(&path, &pass, kdf).unwrap();
    let mut ids = Vec::with_capacity(people.len());
    {
        let conn = vault.connection();
        records::schema::migrate(conn).unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        for (i, p) in people.iter().enumerate() {
            let alias = format!("{}жан", p.first.trim_end_matches(['а', 'я']));
            let person = persons::add(
                &tx,
                &persons::NewPerson {
                    name: format!("{} {}", p.first, p.surname),
                    aliases: vec![alias],
                    descriptor: Some(DESCRIPTORS[i % DESCRIPTORS.len()].into()),
                    pseudonym: None,
                    contacts: vec![persons::Contact {
                        kind: persons::ContactKind::Phone,
                        value: p.phone.clone(),
                    }],
                    attributes: vec![("city".into(), CITIES[i % CITIES.len()].into())],
                },
            )
            .unwrap();
            // One in fifty refused quoting: the consent gate leaves them out.
            consent::record(
                &tx,
                person.id,
                &consent::NewConsent {
                    date: "2021-05-01".into(),
                    method: consent::Method::Written,
                    recording: true,
                    quotes: i % 50 != 49,
                    archive: true,
                    secondary_use: false,
                    attribution: if i % 10 == 9 {
                        consent::Attribution::Anonymous
                    } else {
                        consent::Attribution::Pseudonym
                    },
                    embargo_until: None,
                    restrictions: None,
                    note: None,
                },
                &[],
            )
            .unwrap();
            ids.push(person.id);
        }
        tx.commit().unwrap();
    }
    vault.commit().unwrap();
    (path, ids, t0.elapsed().as_secs_f64())
}

/// A copy of the registry vault with `n` transcripts and `n_excerpts`
/// excerpts added through the library, committed.
fn build_vault(
    dir: &Path,
    name: &str,
    registry: &(PathBuf, Vec<i64>, f64),
    n: usize,
    words: usize,
    people: &[GenPerson],
    n_excerpts: usize,
) -> Built {
    let t0 = Instant::now();
    let path = dir.join(format!("{name}.vault"));
    std::fs::copy(&registry.0, &path).unwrap();
    let key = fieldvault_vault::key_file_path(&registry.0);
    if key.exists() {
        std::fs::copy(&key, fieldvault_vault::key_file_path(&path)).unwrap();
    }
    let unlock = Unlock::Passphrase(Passphrase::new(PASS.into()).unwrap());
    let mut vault = Vault::open(&path, &unlock, Access::Write { wait: None }).unwrap();
    let ids = &registry.1;
    let mut bytes = 0usize;
    let mut made = 0usize;
    {
        let conn = vault.connection();
        let tx = conn.unchecked_transaction().unwrap();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let per = n_excerpts.div_ceil(n);
        for i in 0..n {
            let who = i % people.len();
            let lang = lang_of(i);
            let turns = gen_turns(&mut rng, words, lang, &people[who], people);
            bytes += turns
                .iter()
                .map(|(s, t)| s.len() + t.len() + 3)
                .sum::<usize>();
            let len = turns.len() as u32;
            let id = transcripts::insert(
                &tx,
                &transcripts::NewTranscript {
                    persons: vec![ids[who]],
                    date: format!("2021-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
                    lang: lang.into(),
                    interviewer: None,
                    source_name: format!("interview-{i:04}.txt"),
                    source_sha256: format!("{i:064}"),
                    source_format: "plain text".into(),
                    translation_lang: None,
                    translation_name: None,
                    speakers: vec![],
                    interviewer_labels: vec![],
                    metadata: vec![],
                    turns: turns
                        .into_iter()
                        .map(|(speaker, text)| transcripts::NewTurn {
                            speaker,
                            text,
                            ..Default::default()
                        })
                        .collect(),
                },
            )
            .unwrap();
            for k in 0..per {
                if made == n_excerpts {
                    break;
                }
                let a = 1 + (k as u32 * 3) % len.saturating_sub(2).max(1);
                let b = (a + 1 + (k as u32 % 2)).min(len);
                let tags = [
                    ["funding", "police", "fear", "water", "school"][made % 5].to_string(),
                    ["ru-corpus", "kk-corpus", "en-corpus"][made % 3].to_string(),
                ];
                excerpts::add(&tx, id, excerpts::Span::Lines(a, b), &tags, None).unwrap();
                made += 1;
            }
        }
        if std::env::var_os("FIELDVAULT_BENCH_BIN").is_some()
            && knob("FIELDVAULT_BENCH_SCHEMA", 0) == 8
        {
            // For a binary older than schema 9 (before/after figures): the
            // same vault as version 8 wrote it, without the lookup indexes.
            tx.execute_batch(
                "DROP INDEX consent_event_by_person; DROP INDEX consent_evidence_by_event;
                 DROP INDEX transcript_person_by_person; DROP INDEX transcript_metadata_by_transcript;
                 DROP INDEX excerpt_by_transcript; DROP INDEX export_item_by_person;
                 DROP INDEX export_disclosure_by_person; PRAGMA user_version = 8;",
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    vault.commit().unwrap();
    drop(vault);
    Built {
        mb_vault: std::fs::metadata(&path).unwrap().len() as f64 / 1e6,
        path,
        mb_text: bytes as f64 / 1e6,
        build_s: registry.2 + t0.elapsed().as_secs_f64(),
        excerpts: made,
    }
}

/// The text of interview `i` as a file a researcher would import.
fn write_import_folder(
    dir: &Path,
    n: usize,
    words: usize,
    people: &[GenPerson],
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for i in 0..n {
        let turns = gen_turns(&mut rng, words, "ru", &people[i % people.len()], people);
        let mut s = String::new();
        for (speaker, text) in turns {
            s.push_str(&speaker);
            s.push_str(": ");
            s.push_str(&text);
            s.push_str("\n\n");
        }
        std::fs::write(dir.join(format!("new-{i:04}.txt")), s)?;
    }
    Ok(())
}

/// CPU seconds (user + system) used so far by finished child processes.
fn children_cpu() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a rusage struct owned by this frame.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

/// Runs the binary once on `vault`; panics (with stderr) if it fails.
/// Returns (wall seconds, CPU seconds of the process): on a machine shared
/// with other work the CPU time is what the command costs, the wall time
/// what it took there.
fn run(vault: &Path, work: &Path, args: &[&str]) -> (f64, f64) {
    let bin = std::env::var_os("FIELDVAULT_BENCH_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_fieldvault").into());
    let cpu0 = children_cpu();
    let t = Instant::now();
    let out = Command::new(bin)
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env("FIELDVAULT_PASSPHRASE", PASS)
        .env("TMPDIR", work)
        .env_remove("FIELDVAULT_VAULT")
        .current_dir(work)
        .output()
        .expect("the release binary runs");
    let s = t.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "fieldvault {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    (s, children_cpu() - cpu0)
}

/// The median of `runs` runs (after one warm-up run), by wall time.
fn median(vault: &Path, work: &Path, args: &[&str], runs: usize) -> (f64, f64) {
    run(vault, work, args);
    let mut v: Vec<(f64, f64)> = (0..runs.max(1)).map(|_| run(vault, work, args)).collect();
    v.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
    v[v.len() / 2]
}

struct Measured {
    label: &'static str,
    /// (wall, CPU) seconds.
    seconds: (f64, f64),
}

fn wanted(label: &str) -> bool {
    match std::env::var("FIELDVAULT_BENCH_ONLY") {
        Ok(list) if !list.is_empty() => list.split(',').any(|l| l.trim() == label),
        _ => true,
    }
}

/// Every command of the table on one vault, in an order where the
/// commands that change the vault (export, deposit, import) come last.
fn measure(
    built: &Built,
    work: &Path,
    n: usize,
    words: usize,
    people: &[GenPerson],
    runs: usize,
) -> Vec<Measured> {
    let v = &built.path;
    let mut out = Vec::new();
    let mut quick = |label: &'static str, args: &[&str]| {
        if wanted(label) {
            out.push(Measured {
                label,
                seconds: median(v, work, args, runs),
            });
        }
    };
    let middle = (n / 2 + 1).to_string();
    quick("open (config show)", &["config", "show"]);
    quick("search, common word", &["transcript", "search", "грант"]);
    quick(
        "search, absent word",
        &["transcript", "search", "отсутствующееслово"],
    );
    quick("person list", &["person", "list"]);
    quick("person show", &["person", "show", "Respondent 1"]);
    quick("transcript list", &["transcript", "list"]);
    quick("transcript show", &["transcript", "show", &middle]);
    quick(
        "transcript show --redacted",
        &["transcript", "show", &middle, "--redacted"],
    );
    quick("excerpt list", &["excerpt", "list"]);
    let note = work.join("note.txt");
    std::fs::write(&note, "Арман Сапаров позвонил в 9 утра.\n").unwrap();
    quick("redact (one line)", &["redact", note.to_str().unwrap()]);
    let mut once = |label: &'static str, args: &[&str]| {
        if wanted(label) {
            out.push(Measured {
                label,
                seconds: run(v, work, args),
            });
        }
    };
    once("review list (every transcript)", &["review", "list"]);
    once(
        "person add",
        &[
            "person",
            "add",
            "--name",
            "Зарина Бенчмаркова",
            "--phone",
            "+7 777 000 11 22",
        ],
    );
    for f in ["md", "csv", "json", "docx", "qdpx"] {
        let file = work.join(format!("export.{f}"));
        let file = file.to_str().unwrap();
        let label: &'static str = match f {
            "md" => "export md",
            "csv" => "export csv",
            "json" => "export json",
            "docx" => "export docx",
            _ => "export qdpx",
        };
        once(
            label,
            &[
                "export",
                "--format",
                f,
                "--out",
                file,
                "--unreviewed",
                "--force",
            ],
        );
        let _ = std::fs::remove_file(file);
    }
    let zip = work.join("deposit.zip");
    once(
        "deposit",
        &[
            "deposit",
            "--out",
            zip.to_str().unwrap(),
            "--unreviewed",
            "--force",
        ],
    );
    let _ = std::fs::remove_file(&zip);
    if wanted("transcript import (folder)") {
        let folder = work.join("import");
        write_import_folder(&folder, n, words, people).unwrap();
        out.push(Measured {
            label: "transcript import (folder)",
            seconds: run(
                v,
                work,
                &[
                    "transcript",
                    "import",
                    folder.to_str().unwrap(),
                    "--person",
                    "Respondent 2",
                    "--date",
                    "2022-03-04",
                    "--lang",
                    "ru",
                ],
            ),
        });
        std::fs::remove_dir_all(&folder).unwrap();
    }
    out
}

fn print_table(title: &str, columns: &[String], rows: &[Vec<Measured>]) {
    println!("\n{title}\n");
    println!("| command | {} |", columns.join(" | "));
    println!("|---|{}", "---|".repeat(columns.len()));
    if rows.is_empty() {
        return;
    }
    for (i, m) in rows[0].iter().enumerate() {
        let cells: Vec<String> = rows
            .iter()
            .map(|r| format!("{:.3} / {:.3}", r[i].seconds.0, r[i].seconds.1))
            .collect();
        println!("| {} | {} |", m.label, cells.join(" | "));
    }
}

fn main() {
    let max = knob("FIELDVAULT_BENCH_MAX", 1000);
    let words = knob("FIELDVAULT_BENCH_WORDS", 10_000);
    let n_persons = knob("FIELDVAULT_BENCH_PERSONS", 10_000);
    let n_excerpts = knob("FIELDVAULT_BENCH_EXCERPTS", 1000);
    let runs = knob("FIELDVAULT_BENCH_RUNS", 5);
    let person_axis = knob("FIELDVAULT_BENCH_PERSON_AXIS", 1) == 1;
    let keep = std::env::var_os("FIELDVAULT_BENCH_KEEP").map(PathBuf::from);
    let dir = tempfile::tempdir().unwrap();
    let people = gen_persons(n_persons);
    let registry = build_registry(dir.path(), "registry", &people);

    let sizes: Vec<usize> = [10usize, 100, 1000]
        .into_iter()
        .filter(|&n| n <= max)
        .collect();
    let mut columns = Vec::new();
    let mut rows = Vec::new();
    println!("| transcripts | persons | excerpts | text MB | vault MB | build s (library) |");
    println!("|---|---|---|---|---|---|");
    for &n in &sizes {
        let built = build_vault(
            dir.path(),
            &format!("t{n}"),
            &registry,
            n,
            words,
            &people,
            n_excerpts,
        );
        println!(
            "| {n} | {n_persons} | {} | {:.1} | {:.1} | {:.1} |",
            built.excerpts, built.mb_text, built.mb_vault, built.build_s
        );
        let work = dir.path().join(format!("work-{n}"));
        std::fs::create_dir_all(&work).unwrap();
        rows.push(measure(&built, &work, n, words, &people, runs));
        columns.push(format!("{n} transcripts: wall / CPU s"));
        std::fs::remove_dir_all(&work).unwrap();
        if let (Some(k), true) = (&keep, n == *sizes.last().unwrap()) {
            std::fs::create_dir_all(k).unwrap();
            let to = k.join("bench.vault");
            std::fs::copy(&built.path, &to).unwrap();
            let key = fieldvault_vault::key_file_path(&built.path);
            if key.exists() {
                std::fs::copy(&key, fieldvault_vault::key_file_path(&to)).unwrap();
            }
        }
        let _ = std::fs::remove_file(&built.path);
    }
    print_table(
        &format!("Latency of each command, seconds ({n_persons} persons, tiny KDF)"),
        &columns,
        &rows,
    );

    if person_axis {
        let n = 100.min(max);
        let mut columns = Vec::new();
        let mut rows = Vec::new();
        for p in [10usize, 1000, 10_000] {
            let people = gen_persons(p);
            let registry = build_registry(dir.path(), &format!("registry-{p}"), &people);
            let built = build_vault(
                dir.path(),
                &format!("p{p}"),
                &registry,
                n,
                words,
                &people,
                n_excerpts,
            );
            let work = dir.path().join(format!("work-p{p}"));
            std::fs::create_dir_all(&work).unwrap();
            rows.push(measure(&built, &work, n, words, &people, runs));
            columns.push(format!("{p} persons: wall / CPU s"));
            std::fs::remove_dir_all(&work).unwrap();
            let _ = std::fs::remove_file(&built.path);
        }
        print_table(
            &format!("Latency by registered persons at {n} transcripts, seconds"),
            &columns,
            &rows,
        );
    }
}
