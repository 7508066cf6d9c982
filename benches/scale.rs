//! Research-records scale: import time, vault size, open/commit time and
//! search latency for vaults of 10, 100 and 1,000 transcripts of ~10,000
//! words each (deterministic generated Russian/Kazakh text).
//!
//! Run: `cargo bench --bench scale` (FIELDVAULT_BENCH_MAX=100 for a quick run).
//! Key derivation is excluded (tiny Argon2 parameters): it is measured in
//! the vault crate's own benchmark.

use fieldvault::records::{self, persons, transcripts};
use fieldvault_vault::{Access, KdfParams, Passphrase, Unlock, Vault};
use std::time::Instant;

const WORDS: &[&str] = &[
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
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn transcript(rng: &mut Rng, words: usize) -> Vec<transcripts::NewTurn> {
    let mut turns = Vec::new();
    let mut left = words;
    let mut i = 0;
    while left > 0 {
        let n = (40 + rng.next() % 120) as usize;
        let n = n.min(left);
        left -= n;
        let text: Vec<&str> = (0..n)
            .map(|_| WORDS[(rng.next() % WORDS.len() as u64) as usize])
            .collect();
        let speaker = if i % 2 == 0 {
            "Интервьюер"
        } else {
            "Респондент"
        };
        turns.push(transcripts::NewTurn {
            speaker: speaker.into(),
            text: text.join(" "),
            ..Default::default()
        });
        i += 1;
    }
    turns
}

fn main() {
    let max: usize = std::env::var("FIELDVAULT_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let kdf = KdfParams {
        memory_mib: 8,
        iterations: 1,
        parallelism: 1,
    };
    println!("| transcripts | words | text MB | import s | import MB/s | vault MB | commit s | open s (tiny KDF) | search ms, common words (p50 / max of 20) | search ms, rare / absent word |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for &n in [10usize, 100, 1000].iter().filter(|&&n| n <= max) {
        let path = dir.path().join(format!("bench-{n}.vault"));
        let pass = Passphrase::new("bench passphrase".into()).unwrap();
        let mut vault = Vault::create(&path, &pass, kdf).unwrap();
        records::schema::migrate(vault.connection()).unwrap();
        let p = persons::add(
            vault.connection(),
            &persons::NewPerson {
                name: "Дина Ким".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let mut rng = Rng(0x9E3779B97F4A7C15);
        let mut bytes = 0usize;
        let t0 = Instant::now();
        {
            let tx = vault.connection().unchecked_transaction().unwrap();
            for i in 0..n {
                let mut turns = transcript(&mut rng, 10_000);
                if i == n / 2 {
                    turns[0].text.push_str(" уникальноеслово");
                }
                bytes += turns
                    .iter()
                    .map(|t| t.speaker.len() + t.text.len())
                    .sum::<usize>();
                transcripts::insert(
                    &tx,
                    &transcripts::NewTranscript {
                        persons: vec![p.id],
                        date: "2021-05-20".into(),
                        lang: "ru".into(),
                        interviewer: None,
                        source_name: format!("{i}.txt"),
                        source_sha256: format!("{i:064}"),
                        source_format: "plain text".into(),
                        translation_lang: None,
                        translation_name: None,
                        speakers: vec![],
                        interviewer_labels: vec![],
                        metadata: vec![],
                        turns,
                    },
                )
                .unwrap();
            }
            tx.commit().unwrap();
        }
        let import = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        vault.commit().unwrap();
        let commit = t1.elapsed().as_secs_f64();
        drop(vault);
        let size = std::fs::metadata(&path).unwrap().len() as f64 / 1e6;
        // Open includes the (tiny, 8 MiB) KDF; the vault crate bench separates it.
        let unlock = Unlock::Passphrase(Passphrase::new("bench passphrase".into()).unwrap());
        let t2 = Instant::now();
        let vault = Vault::open(&path, &unlock, Access::Read).unwrap();
        let open = t2.elapsed().as_secs_f64();
        let mut lat = Vec::new();
        for q in WORDS.iter().take(20) {
            let t = Instant::now();
            let hits = transcripts::search(vault.connection(), q, 50).unwrap();
            lat.push(t.elapsed().as_secs_f64() * 1e3);
            assert!(!hits.is_empty());
        }
        // One word that occurs once (inserted below) and one that never does.
        let rare = |q: &str| {
            let t = Instant::now();
            let n = transcripts::search(vault.connection(), q, 50)
                .unwrap()
                .len();
            (t.elapsed().as_secs_f64() * 1e3, n)
        };
        let (rare_ms, rare_hits) = rare("уникальноеслово");
        assert_eq!(rare_hits, 1);
        let (absent_ms, absent_hits) = rare("отсутствующееслово");
        assert_eq!(absent_hits, 0);
        lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let mb = bytes as f64 / 1e6;
        println!(
            "| {n} | {} | {mb:.1} | {import:.2} | {:.1} | {size:.1} | {commit:.2} | {open:.2} | {:.2} / {:.2} | {rare_ms:.2} / {absent_ms:.2} |",
            n * 10_000,
            mb / import,
            lat[lat.len() / 2],
            lat[lat.len() - 1]
        );
        drop(vault);
        let _ = std::fs::remove_file(&path);
    }
}
