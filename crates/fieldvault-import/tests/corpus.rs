//! The public evaluation corpus (shared/eval/public beside the repository,
//! or FIELDVAULT_CORPUS): every transcript imports with one turn per line,
//! the expected turn counts hold, and every translation aligns. Skipped,
//! with a note, when the corpus is absent.

use std::path::PathBuf;

use fieldvault_import::*;

fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("FIELDVAULT_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/public"),
    };
    if dir.join("transcripts").is_dir() {
        Some(dir)
    } else {
        eprintln!("corpus not found at {}; skipping", dir.display());
        None
    }
}

const EXPECTED: &[(&str, usize)] = &[
    ("01.txt", 25),
    ("01.en.txt", 25),
    ("02.txt", 24),
    ("02.en.txt", 24),
    ("03.txt", 25),
    ("03.en.txt", 25),
    ("04.txt", 23),
    ("04.en.txt", 23),
    ("05.txt", 24),
    ("05.en.txt", 24),
    ("06.txt", 23),
];

fn read(dir: &std::path::Path, name: &str) -> Transcript {
    let bytes = std::fs::read(dir.join("transcripts").join(name)).unwrap();
    let t = read_transcript(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(t.format, SourceFormat::PlainText, "{name}");
    assert_eq!(t.encoding, Some(TextEncoding::Utf8), "{name}");
    assert!(t.warnings.is_empty(), "{name}: {:?}", t.warnings);
    // One turn per non-empty line, each with the line's label.
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(t.turns.len(), lines.len(), "{name}");
    for (turn, line) in t.turns.iter().zip(&lines) {
        let (label, rest) = line.split_once(": ").unwrap();
        assert_eq!(turn.speaker, label, "{name}");
        assert_eq!(turn.text, rest.trim(), "{name}");
    }
    t
}

#[test]
fn public_transcripts_have_the_expected_turns() {
    let Some(dir) = corpus() else { return };
    for (name, turns) in EXPECTED {
        if !dir.join("transcripts").join(name).exists() {
            continue;
        }
        let t = read(&dir, name);
        assert_eq!(t.turns.len(), *turns, "{name}");
        let speakers: std::collections::BTreeSet<&str> =
            t.turns.iter().map(|t| t.speaker.as_str()).collect();
        assert_eq!(speakers.len(), 2, "{name}: {speakers:?}");
    }
}

#[test]
fn every_transcript_in_the_manifest_imports_and_aligns() {
    let Some(dir) = corpus() else { return };
    let Ok(manifest) = std::fs::read(dir.join("manifest.json")) else {
        eprintln!("no manifest.json; skipping");
        return;
    };
    let entries = read_manifest(&manifest).unwrap();
    assert!(!entries.is_empty());
    let mut translations = 0;
    for e in &entries {
        let original = read(&dir, &e.file);
        assert!(["ru", "kk", "en"].contains(&e.lang.as_str()));
        if let Some(tr) = &e.translation {
            let translation = read(&dir, tr);
            let aligned = align_translation(&original, &translation)
                .unwrap_or_else(|err| panic!("{tr}: {err}"));
            assert_eq!(aligned.len(), original.turns.len());
            assert!(aligned.iter().all(Option::is_some));
            translations += 1;
        }
    }
    // Every file in the folder is covered by the manifest.
    let listed: usize = entries.len() + translations;
    let on_disk = std::fs::read_dir(dir.join("transcripts")).unwrap().count();
    assert_eq!(listed, on_disk);
}

#[test]
fn misaligned_corpus_translation_is_refused() {
    let Some(dir) = corpus() else { return };
    if !dir.join("transcripts/01.txt").exists() || !dir.join("transcripts/02.en.txt").exists() {
        return;
    }
    let original = read(&dir, "01.txt"); // 25 turns
    let other = read(&dir, "02.en.txt"); // 24 turns
    assert_eq!(
        align_translation(&original, &other).unwrap_err(),
        ImportError::TurnCountMismatch {
            original: 25,
            translation: 24
        }
    );
}
