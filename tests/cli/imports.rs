//! Issue 12, item 2, through the binary: a folder import says what it
//! skipped and why, unlabelled lines joined to a speaker are named by line,
//! `--no-speakers` imports turns without speakers, a DOCX metadata table
//! becomes transcript metadata, legacy encodings import, and a refused file
//! names its format and the cue and line, changing nothing.

use crate::common::*;
use std::io::Write;

fn import_fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/fieldvault-import/tests/fixtures")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs `transcript import` with --json; returns (JSON, stderr).
fn import(e: &Env, args: &[&str]) -> (serde_json::Value, String) {
    let out = e
        .cmd()
        .args(["--json", "transcript", "import"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "import failed: {stderr}");
    (serde_json::from_slice(&out.stdout).unwrap(), stderr)
}

#[test]
fn folder_import_names_skipped_files_and_joined_lines() {
    let e = Env::new();
    let id = e.person(&["--name", "Гульнара Ескендирова"]);
    std::fs::create_dir(e.path("in/batch")).unwrap();
    e.write(
        "in/batch/01.txt",
        import_fixture("stray_unlabelled_line.txt"),
    );
    e.write("in/batch/02.srt", import_fixture("episode_es.srt"));
    e.write("in/batch/03.odt", b"PK\x03\x04 not really");
    e.write("in/batch/scan.pdf", b"%PDF-1.7");
    e.write(
        "in/batch/README.md",
        "# Interviews of spring 2021\n\nSee notes.\n",
    );
    let (v, stderr) = import(
        &e,
        &[
            e.path("in/batch").to_str().unwrap(),
            "--person",
            &id,
            "--date",
            "2021-04-02",
            "--lang",
            "ru",
        ],
    );
    assert_eq!(v["transcripts"].as_array().unwrap().len(), 2, "{v}");
    let skipped: Vec<(&str, &str)> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["file"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert_eq!(skipped[0].0, "03.odt");
    assert!(skipped[0].1.contains("OpenDocument") && skipped[0].1.contains(".docx"));
    assert_eq!(skipped[1].0, "README.md");
    assert!(skipped[1].1.contains("README or notes file"));
    assert_eq!(skipped[2].0, "scan.pdf");
    assert!(skipped[2].1.contains("PDF"));
    // The same on stderr for people, with the joined line by number.
    assert!(
        stderr.contains("skipped 03.odt: an OpenDocument text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped README.md: looks like a README"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: 01.txt: 1 unlabelled line(s) were added to the turn of the speaker before them (line 5)"),
        "{stderr}"
    );
    // The subtitle file kept its twelve cues, with no speaker invented.
    assert!(
        stderr.contains("warning: 02.srt: read without speakers"),
        "{stderr}"
    );
    let shown = e.json(&["transcript", "show", "2"]);
    let turns = shown["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 12);
    assert!(turns.iter().all(|t| t["speaker"] == ""));
    // The stray line stays with the turn it was joined to, where the warning said.
    let shown = e.json(&["transcript", "show", "1"]);
    assert_eq!(shown["turns"][3]["speaker"], "Респондент");
    assert!(shown["turns"][3]["text"]
        .as_str()
        .unwrap()
        .ends_with("А вы тогда уже работали в газете?"));
}

#[test]
fn no_speakers_and_legacy_encodings() {
    let e = Env::new();
    let id = e.person(&["--name", "Тимур Ахметов"]);
    let labelled = e.write("in/koi8.txt", import_fixture("interview_koi8r.txt"));
    let args = |extra: &[&str]| {
        let mut a = vec![
            labelled.to_str().unwrap().to_owned(),
            "--person".into(),
            id.clone(),
            "--date".into(),
            "2020-11-05".into(),
            "--lang".into(),
            "ru".into(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    // --no-speakers cannot go with --speaker.
    let mut bad = vec!["transcript", "import"];
    let both = args(&["--no-speakers", "--speaker", "Респондент=1"]);
    bad.extend(both.iter().map(String::as_str));
    let err = e.fail(&bad);
    assert!(
        err.contains("--no-speakers") || err.contains("--speaker"),
        "{err}"
    );

    let a = args(&["--no-speakers"]);
    let (v, stderr) = import(&e, &a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(v["turns"], 6);
    assert!(stderr.contains("KOI8-R"), "{stderr}");
    let shown = e.json(&["transcript", "show", "1"]);
    let first = &shown["turns"][0];
    assert_eq!(first["speaker"], "");
    assert_eq!(
        first["text"],
        "Интервьюер: Расскажите, как вы попали в правозащитный центр."
    );

    let cp1252 = e.write("in/notes.txt", import_fixture("interview_cp1252.txt"));
    let (_, stderr) = import(
        &e,
        &[
            cp1252.to_str().unwrap(),
            "--person",
            &id,
            "--date",
            "2020-11-06",
            "--lang",
            "en",
        ],
    );
    assert!(stderr.contains("Windows-1252"), "{stderr}");
    let shown = e.json(&["transcript", "show", "2"]);
    assert_eq!(shown["turns"][1]["speaker"], "Respondent");
    assert!(shown["turns"][1]["text"]
        .as_str()
        .unwrap()
        .contains("Saint-Étienne"));
}

#[test]
fn docx_metadata_table_becomes_transcript_metadata() {
    let e = Env::new();
    let id = e.person(&["--name", "Ержан Тулегенов"]);
    let p = e.path("in/interview.docx");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).unwrap();
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
        z.start_file("word/document.xml", o).unwrap();
        let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
        let row = |a: &str, b: &str| format!("<w:tr>{}{}</w:tr>", cell(a), cell(b));
        let para = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
        let body = format!(
            "<w:tbl>{}{}{}</w:tbl>{}{}{}{}",
            row("Дата", "03.06.2022"),
            row("Место", "Тараз, кафе у рынка"),
            row("Интервьюер", "М. Омарова"),
            para("Интервьюер: Можно начинать запись?"),
            para("Респондент: Да, только без фамилий."),
            para("Интервьюер: Конечно."),
            para("Респондент: Тогда начнём."),
        );
        write!(z, r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).unwrap();
        z.finish().unwrap();
    }
    let (v, stderr) = import(
        &e,
        &[
            p.to_str().unwrap(),
            "--person",
            &id,
            "--date",
            "2022-06-04",
            "--lang",
            "ru",
        ],
    );
    assert_eq!(v["turns"], 4, "{v}");
    assert!(
        stderr.contains("read table 1 at the top as interview metadata"),
        "{stderr}"
    );
    assert!(
        stderr.contains("gives the interview date 2022-06-03, not 2022-06-04"),
        "{stderr}"
    );
    let shown = e.json(&["transcript", "show", "1"]);
    let info = &shown["transcript"];
    assert_eq!(info["interviewer"], "М. Омарова");
    assert_eq!(info["date"], "2022-06-04");
    let meta = info["metadata"].as_array().unwrap();
    assert_eq!(meta.len(), 3);
    assert_eq!(meta[1]["kind"], "place");
    assert_eq!(meta[1]["value"], "Тараз, кафе у рынка");
    assert_eq!(shown["turns"][0]["text"], "Можно начинать запись?");
    // A registered place is redacted in the metadata too.
    e.ok(&["term", "add", "Тараз", "--kind", "place"]);
    let shown = e.ok(&["transcript", "show", "1", "--redacted"]);
    assert!(!shown.contains("Тараз"), "{shown}");
    assert!(shown.contains("Место: "), "{shown}");
}

#[test]
fn a_refused_caption_file_names_format_cue_and_line_and_changes_nothing() {
    let e = Env::new();
    let id = e.person(&["--name", "Айдана Нурланова"]);
    let before = e.vault_bytes();
    let sbv = e.write(
        "in/captions.sbv",
        "0:00:01.000,0:00:04.000\nInterviewer: Thanks for coming.\n\n0:00:0x.000,0:00:08.000\nRespondent: Sure.\n",
    );
    let err = e.fail(&[
        "transcript",
        "import",
        sbv.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2023-01-09",
        "--lang",
        "en",
    ]);
    assert!(
        err.contains("cue 2 has a malformed timestamp (line 4 of this SBV"),
        "{err}"
    );
    assert!(err.contains("export the captions again"), "{err}");
    assert!(!err.contains("Thanks") && !err.contains("Sure"), "{err}");
    assert_eq!(e.vault_bytes(), before);
}
