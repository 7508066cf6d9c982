//! Whole transcripts out for coding, codings back in (issue 13 items 1-2):
//! hand-made projects after MAXQDA's and NVivo's conventions code the
//! exported sources (codes, nested codes, memos, a selection over two
//! turns, a renamed source, CRLF offsets), `codings import` turns them into
//! excerpts, and a Markdown export quotes them.

use crate::common::*;
use std::io::{Read, Write};

struct Exported {
    guid: String,
    text: String,
}

/// The one text source of an `export --transcripts` file with its text.
fn exported_source(path: &std::path::Path) -> Exported {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut qde = String::new();
    z.by_name("project.qde")
        .unwrap()
        .read_to_string(&mut qde)
        .unwrap();
    let at = qde.find("<TextSource guid=\"").unwrap() + "<TextSource guid=\"".len();
    let guid = qde[at..at + 36].to_string();
    let mut text = String::new();
    z.by_name(&format!("Sources/{guid}.txt"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    Exported { guid, text }
}

/// Character range of `needle` in `text`, counted as `count` counts.
fn span(text: &str, needle: &str, count: impl Fn(&str) -> usize) -> (usize, usize) {
    let b = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    let start = count(&text[..b]);
    (start, start + count(needle))
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A selection: guid, (start, end), code guids, memo.
type Sel<'a> = (&'a str, (usize, usize), Vec<&'a str>, Option<&'a str>);

/// A REFI-QDA project with one text source and the given selections.
fn project(source_guid: &str, name: &str, text: &[u8], sels: &[Sel<'_>]) -> Vec<u8> {
    let user = "00000000-0000-4000-8000-0000000000aa";
    let mut sx = String::new();
    for (guid, (a, b), codes, memo) in sels {
        sx += &format!(
            r#"<PlainTextSelection guid="{guid}" startPosition="{a}" endPosition="{b}" creatingUser="{user}">"#
        );
        if let Some(m) = memo {
            sx += &format!("<Description>{m}</Description>");
        }
        for (i, c) in codes.iter().enumerate() {
            sx += &format!(
                r#"<Coding guid="{}{i:02}" creatingUser="{user}"><CodeRef targetGUID="{c}"/></Coding>"#,
                &guid[..34]
            );
        }
        sx += "</PlainTextSelection>";
    }
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="coded" origin="MAXQDA 2022">
<Users><User guid="{user}" name="researcher"/></Users>
<CodeBook><Codes>
<Code guid="00000000-0000-4000-8000-000000000c01" name="state pressure" isCodable="true">
<Code guid="00000000-0000-4000-8000-000000000c02" name="police" isCodable="true"/>
</Code>
<Code guid="00000000-0000-4000-8000-000000000c03" name="work" isCodable="true"/>
</Codes></CodeBook>
<Sources>
<TextSource guid="{source_guid}" name="{name}" plainTextPath="internal://{source_guid}.txt">{sx}</TextSource>
</Sources>
</Project>"#
    );
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("project.qde", o).unwrap();
    z.write_all(qde.as_bytes()).unwrap();
    z.start_file(format!("Sources/{source_guid}.txt"), o)
        .unwrap();
    z.write_all(text).unwrap();
    z.finish().unwrap().into_inner()
}

const POLICE: &str = "00000000-0000-4000-8000-000000000c02";
const WORK: &str = "00000000-0000-4000-8000-000000000c03";

fn study() -> (Env, String) {
    let e = Env::new();
    let a = e.person(&["--name", "Арман Тлеубаев", "--descriptor", "activist"]);
    let b = e.person(&["--name", "Ерлан Жумабаев", "--descriptor", "lawyer"]);
    let c = e.person(&["--name", "Дина Ким", "--descriptor", "trainer"]);
    let consent = |id: &str, recording: &str| {
        e.ok(&[
            "consent",
            "record",
            id,
            "--date",
            "2021-05-01",
            "--method",
            "written",
            "--recording",
            recording,
            "--quotes",
            "yes",
            "--attribution",
            "pseudonym",
        ]);
    };
    consent(&a, "yes");
    consent(&b, "yes");
    consent(&c, "no");
    let t = e.write(
        "in/a.txt",
        "Интервьюер: Как дела?\nРеспондент: Арман работает в организации.\nИнтервьюер: Кто давил?\nРеспондент: Полиция 😀 приходила к Ерлану дважды.\n",
    );
    e.json(&[
        "transcript",
        "import",
        t.to_str().unwrap(),
        "--person",
        &a,
        "--date",
        "2021-05-01",
        "--lang",
        "ru",
    ]);
    let t = e.write(
        "in/c.txt",
        "Интервьюер: Привет.\nРеспондент: Это ответ Дины.\n",
    );
    e.json(&[
        "transcript",
        "import",
        t.to_str().unwrap(),
        "--person",
        &c,
        "--date",
        "2021-05-02",
        "--lang",
        "ru",
    ]);
    e.json(&["excerpt", "add", "1", "--lines", "2", "--tag", "work"]);
    // Respondent 2 (consent given, never interviewed) is only mentioned.
    assert!(!b.is_empty());
    (e, a)
}

#[test]
fn codings_made_on_exported_transcripts_come_back_as_excerpts() {
    let (e, _a) = study();
    let out = e.path("out/coding.qdpx");
    let v = e.json(&[
        "export",
        "--format",
        "qdpx",
        "--transcripts",
        "--out",
        out.to_str().unwrap(),
        "--k",
        "1",
    ]);
    // The interview of the person without recording consent stays out.
    assert_eq!(v["transcripts"], serde_json::json!([1]), "{v}");
    assert_eq!(v["excerpts"], 1);
    let src = exported_source(&out);
    assert!(
        !src.text.contains("Арман") && !src.text.contains("Ерлан"),
        "{}",
        src.text
    );
    assert!(src.text.contains("[Respondent 1]"), "{}", src.text);

    // MAXQDA style: our GUID kept; a selection over two turns coded with a
    // nested code and a memo, one on the excerpted turn (an update), one on
    // a speaker label only (unmatched).
    let t = &src.text;
    let (a, _) = span(t, "[Respondent 1] работает", chars);
    let (_, b) = span(t, "Кто давил?", chars);
    let (la, _) = span(t, "Интервьюер: Как", chars);
    let maxqda = project(
        &src.guid,
        "Interview 1 (ru, 2021-05-01)",
        t.as_bytes(),
        &[
            (
                "00000000-0000-4000-8000-000000005001",
                (a, b),
                vec![POLICE],
                Some("pressure starts at work"),
            ),
            (
                "00000000-0000-4000-8000-000000005002",
                span(t, "[Respondent 1] работает в организации.", chars),
                vec![WORK],
                Some("the NGO"),
            ),
            (
                "00000000-0000-4000-8000-000000005003",
                (la, la + 11),
                vec![WORK],
                None,
            ),
        ],
    );
    let f = e.write("in/maxqda.qdpx", &maxqda);
    let before = e.vault_bytes();
    let dry = e.json(&["codings", "import", f.to_str().unwrap(), "--dry-run"]);
    assert_eq!(before, e.vault_bytes(), "--dry-run changes nothing");
    assert_eq!(dry["unmatched_count"], 1, "{dry}");
    assert_eq!(
        dry["unmatched"][0]["selection"],
        "00000000-0000-4000-8000-000000005003"
    );
    assert_eq!(dry["mapped"].as_array().unwrap().len(), 2, "{dry}");
    let v = e.json(&["codings", "import", f.to_str().unwrap()]);
    assert_eq!(v["created"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["updated"], serde_json::json!([1]), "{v}");
    let x = e.json(&["excerpt", "list", "--tag", "state pressure/police"]);
    let list = x["excerpts"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{x}");
    assert_eq!(
        (
            list[0]["first_line"].as_u64(),
            list[0]["last_line"].as_u64()
        ),
        (Some(2), Some(3))
    );
    assert_eq!(list[0]["note"], "pressure starts at work");
    let one = e.json(&["excerpt", "show", "1"]);
    assert!(one.to_string().contains("the NGO"), "{one}");

    // NVivo style: the source renamed with a new GUID, CRLF line ends
    // counted in the positions; matched by content.
    let crlf = t.replace('\n', "\r\n");
    let nvivo = project(
        "11111111-2222-4333-8444-555555555555",
        "Renamed interview",
        crlf.as_bytes(),
        &[(
            "00000000-0000-4000-8000-000000006001",
            span(&crlf, "Полиция 😀 приходила", chars),
            vec![WORK],
            None,
        )],
    );
    let f = e.write("in/nvivo.qdpx", &nvivo);
    let v = e.json(&["codings", "import", f.to_str().unwrap()]);
    assert_eq!(v["created"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["sources"][0][1], "text", "{v}");
    let x = e.json(&["excerpt", "list", "--tag", "work"]);
    let lines: Vec<(u64, u64)> = x["excerpts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["first_line"].as_u64().unwrap(),
                e["last_line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        lines.contains(&(4, 4)) && lines.contains(&(2, 2)),
        "{lines:?}"
    );

    // A Markdown export of the imported codings.
    let md = e.path("out/pressure.md");
    e.ok(&[
        "export",
        "--format",
        "md",
        "--tag",
        "state pressure/police",
        "--out",
        md.to_str().unwrap(),
        "--k",
        "1",
    ]);
    let md = std::fs::read_to_string(md).unwrap();
    assert!(
        md.contains("Кто давил?") && md.contains("работает в организации"),
        "{md}"
    );
    assert!(!md.contains("Арман"), "{md}");
    let audit = e.json(&["audit", "show"]);
    let imports = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["action"] == "codings import")
        .count();
    assert_eq!(imports, 2);
}

#[test]
fn bad_coded_projects_are_refused_and_change_nothing() {
    let (e, _a) = study();
    let out = e.path("out/coding.qdpx");
    e.json(&[
        "export",
        "--format",
        "qdpx",
        "--transcripts",
        "--out",
        out.to_str().unwrap(),
        "--k",
        "1",
    ]);
    let before = e.vault_bytes();
    let not_zip = e.write("in/x.qdpx", "just text");
    assert!(e
        .fail(&["codings", "import", not_zip.to_str().unwrap()])
        .contains("not a zip"));
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"x").unwrap();
    let no_qde = e.write("in/y.qdpx", z.finish().unwrap().into_inner());
    assert!(e
        .fail(&["codings", "import", no_qde.to_str().unwrap()])
        .contains("project.qde"));
    let foreign = project(
        "99999999-2222-4333-8444-555555555555",
        "Someone else's interview",
        "Speaker: a text this vault never exported\n".as_bytes(),
        &[(
            "00000000-0000-4000-8000-000000007001",
            (9, 15),
            vec![WORK],
            None,
        )],
    );
    let f = e.write("in/foreign.qdpx", foreign);
    let err = e.fail(&["codings", "import", f.to_str().unwrap()]);
    assert!(err.contains("never exported"), "{err}");
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("project.qde", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(br#"<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><Bogus/></Project>"#)
        .unwrap();
    let invalid = e.write("in/z.qdpx", z.finish().unwrap().into_inner());
    let err = e.fail(&["codings", "import", invalid.to_str().unwrap()]);
    assert!(err.contains("schema"), "{err}");
    assert_eq!(before, e.vault_bytes());
    // An existing output file is refused unless --force.
    assert!(e
        .fail(&[
            "export",
            "--format",
            "qdpx",
            "--transcripts",
            "--out",
            out.to_str().unwrap()
        ])
        .contains("already exists"));
    assert!(e
        .fail(&[
            "export",
            "--format",
            "md",
            "--transcripts",
            "--out",
            e.path("out/x.md").to_str().unwrap()
        ])
        .contains("--format qdpx"));
}

/// A project after QualCoder's exporter: the source re-GUIDed with its text
/// under `sources/` by yet another GUID, selections named by their covered
/// text, a category code (not codable) over a codable child, a note source.
fn qualcoder_project(text: &str, sel: (usize, usize), covered: &str) -> Vec<u8> {
    let user = "1d2c3b4a-5f6e-4d7c-8b9a-0a1b2c3d4e5f";
    let file_guid = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    let (a, b) = sel;
    let qde = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="fieldvault_coding" origin="QualCoder 3.6" creatingUserGUID="{user}" creationDateTime="2024-08-03T14:20:11Z" xmlns="urn:QDA-XML:project:1.0">
<Users>
<User guid="{user}" name="default" />
</Users>
<CodeBook>
<Codes>
<Code guid="2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e" name="state" isCodable="false">
<Code guid="8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f" name="visits" isCodable="true" color="#81BEF7">
<Description>Police at the door</Description>
</Code>
</Code>
</Codes>
</CodeBook>
<Sources>
<TextSource plainTextPath="internal://{file_guid}.txt" creatingUser="{user}" creationDateTime="2024-08-01T10:00:00Z" guid="0c5e8d7a-4b3f-4e2a-9c1d-7f6e5d4c3b2a" name="Interview 1 (ru, 2021-05-01)">
<PlainTextSelection guid="8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1a" startPosition="{a}" endPosition="{b}" name="{covered}" creatingUser="{user}" creationDateTime="2024-08-02T11:05:00Z">
<Description>Asked and answered across two turns</Description>
<Coding guid="9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a" creatingUser="{user}" >
<CodeRef targetGUID="8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f" />
</Coding>
</PlainTextSelection>
</TextSource>
</Sources>
<Notes>
<Note guid="2a3b4c5d-6e7f-4a8b-9c9d-0e1f2a3b4c5d" creatingUser="{user}" creationDateTime="2024-08-03T14:00:00Z" name="Coding journal"  plainTextPath="internal://2a3b4c5d-6e7f-4a8b-9c9d-0e1f2a3b4c5d.txt" >
<Description /></Note>
</Notes>
</Project>"##
    );
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("project.qde", o).unwrap();
    z.write_all(qde.as_bytes()).unwrap();
    z.start_file(format!("sources/{file_guid}.txt"), o).unwrap();
    z.write_all(text.as_bytes()).unwrap();
    z.start_file("sources/2a3b4c5d-6e7f-4a8b-9c9d-0e1f2a3b4c5d.txt", o)
        .unwrap();
    z.write_all(b"journal").unwrap();
    z.finish().unwrap().into_inner()
}

#[test]
fn a_qualcoder_style_project_with_new_guids_and_a_category_code_maps_back() {
    let (e, _a) = study();
    let out = e.path("out/coding.qdpx");
    e.json(&[
        "export",
        "--format",
        "qdpx",
        "--transcripts",
        "--out",
        out.to_str().unwrap(),
        "--k",
        "1",
    ]);
    let src = exported_source(&out);
    let covered = "Кто давил?\nРеспондент: Полиция 😀 приходила";
    let sel = span(&src.text, covered, chars);
    let f = e.write(
        "in/qualcoder.qdpx",
        qualcoder_project(&src.text, sel, covered),
    );
    let v = e.json(&["codings", "import", f.to_str().unwrap()]);
    assert_eq!(v["created"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["unmatched_count"], 0, "{v}");
    let x = e.json(&["excerpt", "list", "--tag", "state/visits"]);
    let list = x["excerpts"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{x}");
    assert_eq!(
        (
            list[0]["first_line"].as_u64(),
            list[0]["last_line"].as_u64()
        ),
        (Some(3), Some(4))
    );
    assert_eq!(list[0]["note"], "Asked and answered across two turns");
}
