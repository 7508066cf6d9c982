//! Whole redacted transcripts for coding (`export --format qdpx
//! --transcripts`): every source whole, cases linked to the transcripts they
//! speak in, existing excerpts as codings; valid against the schema; read
//! back by the codings reader; nothing shared between two exports.

mod common;

use std::collections::BTreeSet;

use common::*;
use fieldvault_export::{
    read_qdpx, render_transcripts, validate_project_xml, Case, CodingExcerpt, CodingSet,
    CodingSource, ExportError, LinkKey, Source,
};

const RU: &str = "Interviewer: Расскажите о работе.\nRespondent 26: Мы боремся за права людей.\nInterviewer: А деньги?\nRespondent 26: Гранты закрыли.\n";
const RU_EN: &str = "Interviewer: Tell me about the work.\nRespondent 26: We fight for people's rights.\nInterviewer: And money?\nRespondent 26: The grants were closed.\n";
const KK: &str = "Сұхбаттасушы: Әңгімеңізді бастаңыз.\nRespondent 7: Біз бірге жұмыс істейміз.\n";

fn span(text: &str, piece: &str) -> (usize, usize) {
    let byte = text.find(piece).unwrap();
    let start = text[..byte].chars().count();
    (start, start + piece.chars().count())
}

fn set() -> CodingSet {
    let (a, b) = span(RU, "Мы боремся за права людей.");
    let (c, _) = span(RU, "А деньги?");
    let (_, d) = span(RU, "Гранты закрыли.");
    CodingSet {
        title: "fieldvault transcripts for coding".into(),
        created: CREATED.into(),
        sources: vec![
            CodingSource {
                source: Source {
                    id: "T1".into(),
                    name: "Interview 1 (ru, 2021-05)".into(),
                    text: RU.into(),
                    language: "ru".into(),
                    translation_of: None,
                },
                speakers: vec!["P26".into()],
                excerpts: vec![
                    CodingExcerpt {
                        excerpt_id: "12".into(),
                        start: a,
                        end: b,
                        tags: vec!["activism".into(), "rights".into()],
                        note: Some("core statement".into()),
                        speakers: vec!["P26".into()],
                    },
                    CodingExcerpt {
                        excerpt_id: "13".into(),
                        start: c,
                        end: d,
                        tags: vec!["funding/grants".into()],
                        note: None,
                        speakers: vec!["P26".into()],
                    },
                ],
            },
            CodingSource {
                source: Source {
                    id: "T1-en".into(),
                    name: "Interview 1, translation (en)".into(),
                    text: RU_EN.into(),
                    language: "en".into(),
                    translation_of: Some("T1".into()),
                },
                speakers: vec!["P26".into()],
                excerpts: vec![],
            },
            CodingSource {
                source: Source {
                    id: "T2".into(),
                    name: "Interview 2 (kk, 2022-03)".into(),
                    text: KK.into(),
                    language: "kk".into(),
                    translation_of: None,
                },
                speakers: vec!["P7".into()],
                excerpts: vec![],
            },
        ],
        cases: vec![
            Case {
                id: "P26".into(),
                pseudonym: "Respondent 26".into(),
                descriptor: Some("representative of a CSO".into()),
                attributes: vec![("region".into(), "South".into())],
            },
            Case {
                id: "P7".into(),
                pseudonym: "Respondent 7".into(),
                descriptor: Some("journalist".into()),
                attributes: vec![],
            },
        ],
    }
}

#[test]
fn every_transcript_goes_whole_with_cases_and_existing_excerpts_as_codings() {
    let bytes = render_transcripts(&set(), &key()).unwrap();
    let entries = unzip(&bytes);
    let qde = entry(&entries, "project.qde");
    validate_project_xml(qde).unwrap();
    let root = parse_xml(qde);
    let sources = root.descendants("TextSource");
    assert_eq!(
        sources.len(),
        3,
        "untouched transcripts and translations too"
    );
    for (s, want) in sources.iter().zip([RU, RU_EN, KK]) {
        let text = entry(&entries, &format!("Sources/{}.txt", s.req("guid")));
        assert_eq!(text, want, "whole, redacted text");
    }
    // Cases link to the transcripts their person speaks in.
    let cases = root.descendants("Case");
    assert_eq!(cases.len(), 2);
    let refs = |c: &El, what: &str| -> Vec<String> {
        c.children_named(what)
            .iter()
            .map(|r| r.req("targetGUID").to_string())
            .collect()
    };
    assert_eq!(
        refs(cases[0], "SourceRef"),
        [key().guid("source", "T1"), key().guid("source", "T1-en")]
    );
    assert_eq!(refs(cases[1], "SourceRef"), [key().guid("source", "T2")]);
    assert_eq!(
        refs(cases[0], "SelectionRef"),
        [key().guid("selection", "12"), key().guid("selection", "13")]
    );
    assert!(refs(cases[1], "SelectionRef").is_empty());
    // Variables: the descriptor and the attributes.
    let variables: Vec<&str> = root
        .descendants("Variable")
        .iter()
        .map(|v| v.req("name"))
        .collect();
    assert_eq!(variables, ["descriptor", "region"]);
    // The existing excerpts come back, with their tags as codes.
    let read = read_qdpx(&bytes).unwrap();
    assert_eq!(read.sources[0].text, RU);
    let sels = &read.sources[0].selections;
    assert_eq!(sels.len(), 2);
    let cut = |i: usize| -> String {
        RU.chars()
            .skip(sels[i].start)
            .take(sels[i].end - sels[i].start)
            .collect()
    };
    assert_eq!(cut(0), "Мы боремся за права людей.");
    assert_eq!(cut(1), "А деньги?\nRespondent 26: Гранты закрыли.");
    assert_eq!(sels[0].codes, ["activism", "rights"]);
    assert_eq!(sels[1].codes, ["funding/grants"]);
    assert_eq!(sels[0].memo.as_deref(), Some("Note: core statement"));
    assert!(sels[0].name.as_deref().unwrap().starts_with("excerpt-"));
    // No vault id appears.
    for (name, data) in &entries {
        let text = String::from_utf8_lossy(data);
        for id in ["\"T1\"", "\"P26\"", "\"12\"", "T1-en"] {
            assert!(!text.contains(id), "{name} holds {id}");
        }
    }
}

#[test]
fn two_transcript_exports_share_no_guid() {
    let guids = |bytes: &[u8]| -> BTreeSet<String> {
        let entries = unzip(bytes);
        let root = parse_xml(entry(&entries, "project.qde"));
        let mut out = BTreeSet::new();
        for name in [
            "TextSource",
            "Case",
            "Code",
            "Variable",
            "PlainTextSelection",
            "User",
        ] {
            for e in root.descendants(name) {
                out.insert(e.req("guid").to_string());
            }
        }
        out
    };
    let a = guids(&render_transcripts(&set(), &LinkKey::random().unwrap()).unwrap());
    let b = guids(&render_transcripts(&set(), &LinkKey::random().unwrap()).unwrap());
    assert!(a.len() > 8);
    assert!(a.is_disjoint(&b));
}

#[test]
fn the_transcripts_project_validates_with_xmllint() {
    let ok = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: xmllint is not installed; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("project.qde");
    let entries = unzip(&render_transcripts(&set(), &key()).unwrap());
    std::fs::write(&path, entry(&entries, "project.qde")).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/Project.xsd"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_transcript_sets_are_refused() {
    let mut s = set();
    s.sources[2].speakers = vec!["P99".into()];
    assert!(matches!(
        render_transcripts(&s, &key()),
        Err(ExportError::MissingSpeaker { .. })
    ));
    let mut s = set();
    s.sources[0].excerpts[0].end = 10_000;
    assert!(matches!(
        render_transcripts(&s, &key()),
        Err(ExportError::BadOffsets { .. })
    ));
    let mut s = set();
    s.sources[0].excerpts[1].speakers = vec!["P99".into()];
    assert!(matches!(
        render_transcripts(&s, &key()),
        Err(ExportError::MissingCase { .. })
    ));
    let mut s = set();
    s.sources[1].source.text = "a\r\nb".into();
    assert!(matches!(
        render_transcripts(&s, &key()),
        Err(ExportError::CarriageReturn { .. })
    ));
    let mut s = set();
    s.sources[0].excerpts[0].tags = vec![" ".into()];
    assert!(matches!(
        render_transcripts(&s, &key()),
        Err(ExportError::EmptyTag { .. })
    ));
    let mut s = set();
    s.created = "now".into();
    assert!(matches!(
        render_transcripts(&s, &key()),
        Err(ExportError::BadTimestamp(_))
    ));
}
