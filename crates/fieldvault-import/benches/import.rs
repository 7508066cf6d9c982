//! Import throughput: a 10,000-word interview in every format.
//! `cargo bench -p fieldvault-import` (no extra dependencies: plain timing).

use std::io::Write;
use std::time::{Duration, Instant};

use fieldvault_import::{read_transcript, render_transcript, SourceFormat, Turn};

const WORDS: &[&str] = &[
    "мы",
    "начали",
    "чистить",
    "арыки",
    "в",
    "нашем",
    "районе",
    "Алматы",
    "потом",
    "фонд",
    "помог",
    "с",
    "регистрацией",
    "ауылда",
    "бәрі",
    "бір-бірін",
    "таниды",
    "грант",
    "отчёт",
    "полиция",
    "вызвали",
    "на",
    "беседу",
    "жұмыс",
    "жоқ",
    "жастар",
    "кетіп",
    "жатыр",
];

fn interview(words: usize) -> Vec<Turn> {
    let mut turns = Vec::new();
    let mut n = 0;
    let mut i = 0;
    while n < words {
        let len = if i % 2 == 0 { 15 } else { 85 };
        let text: Vec<&str> = (0..len).map(|k| WORDS[(n + k * 7) % WORDS.len()]).collect();
        n += len;
        turns.push(Turn {
            speaker: if i % 2 == 0 {
                "Интервьюер"
            } else {
                "Респондент"
            }
            .into(),
            text: format!("{}.", text.join(" ")),
            start: None,
        });
        i += 1;
    }
    turns
}

fn docx(turns: &[Turn]) -> Vec<u8> {
    let mut body = String::new();
    for t in turns {
        body.push_str(&format!(
            r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{}:</w:t></w:r><w:r><w:t xml:space="preserve"> {}</w:t></w:r></w:p>"#,
            t.speaker, t.text
        ));
    }
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("word/document.xml", opts).expect("zip");
    w.write_all(xml.as_bytes()).expect("zip");
    w.finish().expect("zip").into_inner()
}

fn time(name: &str, file: &str, bytes: &[u8], expect_turns: usize) {
    let runs = 30;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t0 = Instant::now();
            let t = read_transcript(file, bytes).expect("import");
            assert_eq!(t.turns.len(), expect_turns, "{name}");
            t0.elapsed()
        })
        .collect();
    times.sort();
    let median = times[runs / 2];
    let mib = bytes.len() as f64 / (1024.0 * 1024.0);
    println!(
        "{name:<10} {:>7.1} KiB  median {:>7.2} ms  {:>6.1} MiB/s  (1,000 such files: {:>5.1} s)",
        bytes.len() as f64 / 1024.0,
        median.as_secs_f64() * 1e3,
        mib / median.as_secs_f64(),
        median.as_secs_f64() * 1000.0
    );
}

fn main() {
    let turns = interview(10_000);
    let n = turns.len();
    println!("10,000-word interview, {n} turns");
    for (name, file, format) in [
        ("plain", "a.txt", SourceFormat::PlainText),
        ("markdown", "a.md", SourceFormat::Markdown),
        ("webvtt", "a.vtt", SourceFormat::WebVtt),
        ("srt", "a.srt", SourceFormat::Srt),
        ("sbv", "a.sbv", SourceFormat::Sbv),
    ] {
        let text = render_transcript(&turns, format).expect("text format");
        time(name, file, text.as_bytes(), n);
    }
    let plain = render_transcript(&turns, SourceFormat::PlainText).expect("text");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(plain.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    time("utf-16", "a.txt", &utf16, n);
    // Single-byte Cyrillic: both code pages are decoded and scored. The
    // Kazakh words of the sample are not in them, so this uses Russian only.
    let russian: String = plain
        .chars()
        .map(|c| match c {
            'ә' => 'а',
            'ғ' => 'г',
            'қ' => 'к',
            'ң' => 'н',
            'ө' => 'о',
            'ұ' | 'ү' => 'у',
            'һ' => 'х',
            'і' => 'и',
            c => c,
        })
        .collect();
    for (name, page) in [
        ("windows-1251", encoding_rs::WINDOWS_1251),
        ("koi8-r", encoding_rs::KOI8_R),
    ] {
        let (bytes, _, _) = page.encode(&russian);
        time(name, "a.txt", &bytes, n);
    }
    time("docx", "a.docx", &docx(&turns), n);
}
