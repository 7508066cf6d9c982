//! Reading coded REFI-QDA projects back (`codings import`): projects made
//! the way MAXQDA, NVivo and QualCoder write them, fieldvault's own export,
//! and every kind of file the reader must refuse. The Rust schema check is
//! compared with xmllint (when installed) on valid files and on broken ones.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use fieldvault_export::{
    anchor, find_source, read_qdpx, turns_covered, validate_project_xml, CodedProject,
    ExportedSource, Format, MatchedBy, PositionBasis, PositionUnits, ReadError, SkipReason,
    TurnSpan,
};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// The redacted transcript every fixture codes.
fn source_text() -> String {
    std::fs::read_to_string(data("refi/source.txt")).unwrap()
}

const Q1: &str = "Мы боремся за права людей 😀 уже десять лет.";
const Q2: &str =
    "А как с финансированием?\nRespondent 26: Денег нет, гранты закрыли после 2022 года.";
const Q3: &str = "Денег нет";

/// Zips a fixture folder as the tools do, optionally replacing files.
fn zip_fixture(dir: &str, replace: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let root = data(&format!("refi/{dir}"));
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    files.sort();
    for (name, bytes) in replace {
        match files.iter_mut().find(|(n, _)| n == name) {
            Some(f) => f.1 = bytes.clone(),
            None => files.push((name.to_string(), bytes.clone())),
        }
    }
    zip_entries(&files)
}

fn zip_entries(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn covered(project: &CodedProject, source: usize, selection: usize) -> String {
    let s = &project.sources[source];
    let sel = &s.selections[selection];
    s.text
        .chars()
        .skip(sel.start)
        .take(sel.end - sel.start)
        .collect()
}

#[test]
fn maxqda_project_with_crlf_counted_positions_and_note_memos() {
    let p = read_qdpx(&zip_fixture("maxqda", &[])).unwrap();
    assert_eq!(p.origin.as_deref(), Some("MAXQDA 2022 (Release 22.8.0)"));
    assert_eq!(p.sources.len(), 1);
    let s = &p.sources[0];
    assert_eq!(s.guid, "6F3A1C2E-9B4D-8E7F-A1B2-C3D4E5F60718");
    assert_eq!(s.text, source_text(), "CRLF became LF");
    assert_eq!(
        s.positions,
        PositionBasis {
            units: PositionUnits::CodePoints,
            carriage_returns_counted: true
        }
    );
    assert_eq!(covered(&p, 0, 0), Q1);
    assert_eq!(covered(&p, 0, 1), Q2, "a selection over two turns");
    assert_eq!(covered(&p, 0, 2), Q3);
    assert_eq!(s.selections[0].codes, ["activism"]);
    assert_eq!(
        s.selections[1].codes,
        ["state pressure/funding cuts", "state pressure"]
    );
    assert_eq!(
        s.selections[0].memo.as_deref(),
        Some("Long-term commitment; compare with interview 3.")
    );
    assert_eq!(s.selections[2].memo, None);
    let paths: Vec<&str> = p.codes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        ["state pressure", "state pressure/funding cuts", "activism"]
    );
    assert!(p.skipped.is_empty(), "{:?}", p.skipped);
}

#[test]
fn nvivo_project_with_utf16_positions_a_changed_path_and_skipped_parts() {
    let p = read_qdpx(&zip_fixture("nvivo", &[])).unwrap();
    let s = &p.sources[0];
    assert_eq!(s.name, "Interview one (coded)", "renamed by the tool");
    assert_eq!(s.guid, "{6f3a1c2e-9b4d-8e7f-a1b2-c3d4e5f60718}");
    assert_eq!(s.text, source_text(), "byte-order mark dropped");
    assert_eq!(s.path.as_deref(), Some("internal://Interview one.txt"));
    assert_eq!(s.positions.units, PositionUnits::Utf16);
    assert!(!s.positions.carriage_returns_counted);
    assert_eq!(covered(&p, 0, 0), Q1);
    assert_eq!(covered(&p, 0, 1), Q2);
    assert_eq!(covered(&p, 0, 2), Q3);
    assert_eq!(s.selections[0].codes, ["Themes/activism"]);
    assert_eq!(s.selections[1].codes, ["Themes/money/grants"]);
    assert_eq!(
        s.selections[0].memo.as_deref(),
        Some("Strong statement of purpose.")
    );
    assert_eq!(
        s.selections[1].memo.as_deref(),
        Some("Grants stopped in 2022 (check the date with the report).")
    );
    assert!(!p.codes[0].codable, "a category");
    let reasons: Vec<&SkipReason> = p.skipped.iter().map(|s| &s.reason).collect();
    assert!(
        reasons.contains(&&SkipReason::NotATextSource("PictureSource".into())),
        "{reasons:?}"
    );
    assert!(reasons
        .iter()
        .any(|r| matches!(r, SkipReason::WholeSourceCoding { .. })));
}

#[test]
fn qualcoder_project_as_its_exporter_writes_it() {
    let p = read_qdpx(&zip_fixture("qualcoder", &[])).unwrap();
    assert_eq!(p.origin.as_deref(), Some("QualCoder 3.6"));
    let s = &p.sources[0];
    // QualCoder gives every source a new GUID on export: the caller matches
    // by content, so the text must come back exactly.
    assert_eq!(s.guid, "0c5e8d7a-4b3f-4e2a-9c1d-7f6e5d4c3b2a");
    assert_eq!(s.text, source_text());
    assert_eq!(
        s.positions,
        PositionBasis {
            units: PositionUnits::CodePoints,
            carriage_returns_counted: false
        }
    );
    for (i, q) in [Q1, Q2, Q3].iter().enumerate() {
        assert_eq!(&covered(&p, 0, i), q);
        assert_eq!(s.selections[i].name.as_deref(), Some(*q));
    }
    assert_eq!(s.selections[0].codes, ["activism"]);
    assert_eq!(s.selections[1].codes, ["Money/grants"]);
    assert_eq!(
        s.selections[1].memo.as_deref(),
        Some("Asked and answered across two turns")
    );
}

#[test]
fn qualcoder_with_maxqda_line_endings_keeps_lf_positions() {
    // QualCoder's "MAXQDA line endings" option writes the text with CRLF
    // but leaves the positions as they were (counted without CRs).
    let crlf = format!("\u{feff}{}", source_text().replace('\n', "\r\n")).into_bytes();
    let p = read_qdpx(&zip_fixture(
        "qualcoder",
        &[("sources/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d.txt", crlf)],
    ))
    .unwrap();
    assert!(!p.sources[0].positions.carriage_returns_counted);
    assert_eq!(covered(&p, 0, 0), Q1);
    assert_eq!(covered(&p, 0, 1), Q2);
    assert_eq!(covered(&p, 0, 2), Q3);
}

#[test]
fn fieldvaults_own_export_reads_back_exactly() {
    let pub_ = publication();
    let p = read_qdpx(&render_keyed(Format::Qdpx, &pub_).unwrap()).unwrap();
    let mut seen = 0;
    for s in &p.sources {
        for sel in &s.selections {
            let text: String = s
                .text
                .chars()
                .skip(sel.start)
                .take(sel.end - sel.start)
                .collect();
            let q = pub_
                .quotes
                .iter()
                .find(|q| sel.name.as_deref() == Some(written_excerpt_id(q).as_str()))
                .unwrap();
            assert_eq!(text, q.original);
            let mut tags = q.tags.clone();
            tags.dedup();
            assert_eq!(sel.codes, tags);
            seen += 1;
        }
    }
    assert_eq!(seen, pub_.quotes.len());
}

#[test]
fn refuses_what_is_not_a_refi_qda_project() {
    assert_eq!(read_qdpx(b"plain text, not a zip"), Err(ReadError::NotZip));
    let no_project = zip_entries(&[("sources/a.txt".into(), b"x".to_vec())]);
    assert_eq!(read_qdpx(&no_project), Err(ReadError::NoProject));
    let qde = std::fs::read_to_string(data("refi/qualcoder/project.qde")).unwrap();
    let broken = qde.replacen("startPosition=\"83\"", "startPosition=\"eighty\"", 1);
    let err = read_qdpx(&zip_fixture(
        "qualcoder",
        &[("project.qde", broken.into_bytes())],
    ))
    .unwrap_err();
    assert!(matches!(err, ReadError::Invalid { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("TextSource[1]/PlainTextSelection[1]"),
        "{err}"
    );
    let not_xml = zip_fixture("qualcoder", &[("project.qde", b"<Project".to_vec())]);
    assert!(matches!(read_qdpx(&not_xml), Err(ReadError::NotXml(_))));

    // A source whose text file is gone.
    let missing = zip_entries(&[(
        "project.qde".into(),
        std::fs::read(data("refi/maxqda/project.qde")).unwrap(),
    )]);
    assert!(matches!(
        read_qdpx(&missing),
        Err(ReadError::SourceTextMissing { .. })
    ));
    // A coding of a code the code book does not define.
    let dangling = qde.replacen(
        "<CodeRef targetGUID=\"7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d\" />",
        "<CodeRef targetGUID=\"00000000-0000-4000-8000-000000000000\" />",
        1,
    );
    assert!(matches!(
        read_qdpx(&zip_fixture(
            "qualcoder",
            &[("project.qde", dangling.into_bytes())]
        )),
        Err(ReadError::UnknownCode { .. })
    ));
    // Text that is not UTF-8.
    let latin1 = zip_fixture(
        "qualcoder",
        &[(
            "sources/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d.txt",
            vec![0xC0, 0x41, 0xFF],
        )],
    );
    assert!(matches!(
        read_qdpx(&latin1),
        Err(ReadError::SourceNotText { .. })
    ));
    // Every message is one line and quotes no text of the file.
    for e in [
        ReadError::NotZip,
        read_qdpx(&missing).unwrap_err(),
        read_qdpx(&not_xml).unwrap_err(),
    ] {
        let m = e.to_string();
        assert!(!m.contains('\n') && !m.contains("Мы"), "{m}");
    }
}

#[test]
fn selections_that_fit_no_reading_are_reported_not_dropped() {
    let qde = std::fs::read_to_string(data("refi/qualcoder/project.qde")).unwrap();
    let beyond = qde.replacen("endPosition=\"189\"", "endPosition=\"100000\"", 1);
    let p = read_qdpx(&zip_fixture(
        "qualcoder",
        &[("project.qde", beyond.into_bytes())],
    ))
    .unwrap();
    assert_eq!(p.sources[0].selections.len(), 2);
    assert_eq!(p.skipped.len(), 1);
    assert_eq!(p.skipped[0].guid, "0e1f2a3b-4c5d-4e6f-9a7b-8c9d0e1f2a3b");
    assert!(matches!(
        p.skipped[0].reason,
        SkipReason::OutOfRange { end: 100000, .. }
    ));
}

// ------------------------------------- back onto fieldvault's transcripts

/// Our exported sources: the one every fixture codes (with the GUID our
/// export gave it) and an unrelated one.
fn ours() -> Vec<ExportedSource> {
    vec![
        ExportedSource {
            guid: "11111111-2222-4333-8444-555555555555".into(),
            text: "Interviewer: Другое интервью.\nRespondent 3: Совсем другое.\n".into(),
        },
        ExportedSource {
            guid: "6F3A1C2E-9B4D-8E7F-A1B2-C3D4E5F60718".into(),
            text: source_text(),
        },
    ]
}

/// The turns of `source.txt`: the text after each "Speaker: " label.
fn turn_spans(text: &str) -> Vec<TurnSpan> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for (i, line) in text.lines().enumerate() {
        let label = line
            .find(": ")
            .map(|b| line[..b + 2].chars().count())
            .unwrap_or(0);
        let len = line.chars().count();
        out.push(TurnSpan {
            line: i as u32 + 1,
            start: at + label,
            end: at + len,
        });
        at += len + 1;
    }
    out
}

#[test]
fn coded_sources_are_found_by_guid_or_content_and_map_onto_turns() {
    let ours = ours();
    for (dir, how) in [
        ("maxqda", MatchedBy::Guid),
        ("nvivo", MatchedBy::Guid),
        ("qualcoder", MatchedBy::SameText),
    ] {
        let p = read_qdpx(&zip_fixture(dir, &[])).unwrap();
        assert_eq!(find_source(&p.sources[0], &ours), Some((1, how)), "{dir}");
        let turns = turn_spans(&ours[1].text);
        let ranges: Vec<_> = p.sources[0]
            .selections
            .iter()
            .map(|s| {
                let (a, b) = anchor(&p.sources[0].text, &ours[1].text, s.start, s.end).unwrap();
                turns_covered(&turns, a, b).unwrap()
            })
            .collect();
        assert_eq!(
            ranges,
            [(2, 2, true), (3, 4, true), (4, 4, false)],
            "{dir}: a whole turn, a selection over two turns, part of a turn"
        );
    }
    // A tool that changed the text (a header line) and the GUID: found by
    // its selections, re-anchored in ours.
    let mut p = read_qdpx(&zip_fixture("qualcoder", &[])).unwrap();
    let s = &mut p.sources[0];
    let shift = "Transcript exported from QualCoder\n\n".chars().count();
    s.text = format!("Transcript exported from QualCoder\n\n{}", s.text);
    for sel in &mut s.selections {
        sel.start += shift;
        sel.end += shift;
    }
    assert_eq!(find_source(s, &ours), Some((1, MatchedBy::Selections)));
    let sel = &s.selections[0];
    let (a, b) = anchor(&s.text, &ours[1].text, sel.start, sel.end).unwrap();
    assert_eq!(sel.start - shift, a);
    assert_eq!(sel.end - shift, b);
    // A source of a vault that does not hold it matches nothing.
    s.text = "Something else entirely.".into();
    for sel in &mut s.selections {
        sel.start = 0;
        sel.end = 9;
    }
    assert_eq!(find_source(s, &ours), None);
}

// ------------------------------------------------- the schema, two ways

fn has_xmllint() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn xmllint_accepts(qde: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("project.qde");
    std::fs::write(&path, qde).unwrap();
    Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(data("Project.xsd"))
        .arg(&path)
        .output()
        .unwrap()
        .status
        .success()
}

/// Valid documents and broken variants of them (each breaks one rule of
/// the schema), with what the schema says.
fn schema_cases() -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for dir in ["maxqda", "nvivo", "qualcoder"] {
        let qde = std::fs::read_to_string(data(&format!("refi/{dir}/project.qde"))).unwrap();
        out.push((format!("{dir} as is"), qde.clone(), true));
    }
    let own = unzip(&render_keyed(Format::Qdpx, &publication()).unwrap());
    out.push((
        "fieldvault's export".into(),
        entry(&own, "project.qde").to_string(),
        true,
    ));
    let base = std::fs::read_to_string(data("refi/qualcoder/project.qde")).unwrap();
    let mutations: &[(&str, &str, &str)] = &[
        ("no project name", "name=\"fieldvault_coding\" ", ""),
        ("bad GUID", "guid=\"1d2c3b4a-5f6e-4d7c-8b9a-0a1b2c3d4e5f\"", "guid=\"1d2c3b4a\""),
        ("braced GUID", "guid=\"1d2c3b4a-5f6e-4d7c-8b9a-0a1b2c3d4e5f\"", "guid=\"{1d2c3b4a-5f6e-4d7c-8b9a-0a1b2c3d4e5f}\""),
        ("unknown attribute", "<User guid", "<User colour=\"red\" guid"),
        ("unknown element", "</Users>", "<Extra/></Users>"),
        ("wrong namespace", "xmlns=\"urn:QDA-XML:project:1.0\"", "xmlns=\"urn:QDA-XML:project:2.0\""),
        ("order", "</CodeBook>\n<Variables>", "</CodeBook>\n<Users><User guid=\"1d2c3b4a-5f6e-4d7c-8b9a-0a1b2c3d4e5f\"/></Users>\n<Variables>"),
        ("boolean", "isCodable=\"false\"", "isCodable=\"no\""),
        ("colour", "color=\"#F781F3\"", "color=\"pink\""),
        ("short colour", "color=\"#F781F3\"", "color=\"#F78\""),
        ("integer", "startPosition=\"83\"", "startPosition=\"8.3\""),
        ("signed integer", "startPosition=\"83\"", "startPosition=\"+83\""),
        ("date", "creationDateTime=\"2024-08-02T11:00:00Z\"", "creationDateTime=\"2023-02-29T11:00:00Z\""),
        ("no zone", "creationDateTime=\"2024-08-02T11:00:00Z\"", "creationDateTime=\"2024-08-02T11:00:00\""),
        ("fraction", "creationDateTime=\"2024-08-02T11:00:00Z\"", "creationDateTime=\"2024-08-02T11:00:00.25+05:00\""),
        ("variable type", "typeOfVariable=\"Text\"", "typeOfVariable=\"String\""),
        ("coding without CodeRef", "<CodeRef targetGUID=\"7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d\" />", ""),
        ("element in a description", "<Description>Funding from foreign donors</Description>", "<Description>Funding <b>from</b></Description>"),
        ("text in an empty element", "<User guid=\"1d2c3b4a-5f6e-4d7c-8b9a-0a1b2c3d4e5f\" name=\"default\" />", "<User guid=\"1d2c3b4a-5f6e-4d7c-8b9a-0a1b2c3d4e5f\" name=\"default\">x</User>"),
        ("empty Users", "<User guid=\"1d2c3b4a-5f6e-4d7c-8b9a-0a1b2c3d4e5f\" name=\"default\" />", ""),
        ("two descriptions", "<Description />\n<VariableValue>", "<Description /><Description />\n<VariableValue>"),
        ("two values", "<TextValue>representative of a CSO</TextValue>", "<TextValue>a</TextValue><TextValue>b</TextValue>"),
        ("integer value", "<TextValue>representative of a CSO</TextValue>", "<IntegerValue>12</IntegerValue>"),
        ("bad integer value", "<TextValue>representative of a CSO</TextValue>", "<IntegerValue>twelve</IntegerValue>"),
        ("date value", "<TextValue>representative of a CSO</TextValue>", "<DateValue>2024-02-30</DateValue>"),
        ("no value", "<TextValue>representative of a CSO</TextValue>", ""),
        ("xsi attribute", "<Project ", "<Project xsi:schemaLocation=\"urn:QDA-XML:project:1.0 Project.xsd\" "),
    ];
    for (what, from, to) in mutations {
        assert!(base.contains(from), "{what}: {from}");
        let doc = base.replacen(from, to, 1);
        // The expected verdicts, as the schema reads.
        let valid = matches!(
            *what,
            "braced GUID"
                | "short colour"
                | "signed integer"
                | "no zone"
                | "fraction"
                | "integer value"
                | "no value"
                | "xsi attribute"
        );
        out.push((what.to_string(), doc, valid));
    }
    out
}

#[test]
fn the_rust_schema_check_agrees_with_the_schema() {
    let xmllint = has_xmllint();
    if !xmllint {
        eprintln!("note: xmllint is not installed; checking against the expected verdicts only");
    }
    for (what, doc, valid) in schema_cases() {
        let rust = validate_project_xml(&doc);
        assert_eq!(rust.is_ok(), valid, "{what}: {rust:?}");
        if xmllint {
            assert_eq!(xmllint_accepts(&doc), valid, "xmllint disagrees on {what}");
        }
    }
}
