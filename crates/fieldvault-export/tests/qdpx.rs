//! REFI-QDA (.qdpx): schema validity (xmllint when installed), structure
//! and element order without xmllint, character offsets, no leaks.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use fieldvault_export::{render, ExportError, Format, Publication, Quote};

const NS: &str = "urn:QDA-XML:project:1.0";

fn qdpx(p: &Publication) -> Vec<(String, Vec<u8>)> {
    unzip(&render_keyed(Format::Qdpx, p).expect("renders"))
}

fn project(entries: &[(String, Vec<u8>)]) -> El {
    parse_xml(entry(entries, "project.qde"))
}

fn schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/Project.xsd")
}

fn has_xmllint() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs xmllint against the REFI-QDA schema; Ok(()) or Err(its complaint).
fn xmllint(qde: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("project.qde");
    std::fs::write(&path, qde).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .arg(&path)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Publications that exercise the optional parts of the schema.
fn variants() -> Vec<(&'static str, Publication)> {
    let full = publication();
    let mut no_tags = full.clone();
    for q in &mut no_tags.quotes {
        q.tags.clear();
    }
    let mut anonymous = full.clone();
    for q in &mut anonymous.quotes {
        q.case_id = None;
    }
    let mut no_attributes = full.clone();
    for c in &mut no_attributes.cases {
        c.descriptor = None;
        c.attributes.clear();
    }
    let empty = Publication {
        title: TITLE.into(),
        created: CREATED.into(),
        ..Default::default()
    };
    let mut untitled = full.clone();
    untitled.title = String::new();
    vec![
        ("full", full),
        ("no tags", no_tags),
        ("all anonymous", anonymous),
        ("no variables", no_attributes),
        ("empty", empty),
        ("untitled", untitled),
    ]
}

#[test]
fn project_validates_against_the_refi_qda_schema() {
    if !has_xmllint() {
        eprintln!(
            "note: xmllint is not on PATH (apt-get install libxml2-utils); \
             schema validation skipped, the structural tests still run"
        );
        return;
    }
    for (what, p) in variants() {
        let entries = qdpx(&p);
        if let Err(e) = xmllint(entry(&entries, "project.qde")) {
            panic!("{what}: project.qde does not validate:\n{e}");
        }
    }
    // The validator really checks element order: swapping two sections
    // of a valid file must fail.
    let entries = qdpx(&publication());
    let qde = entry(&entries, "project.qde");
    let users_start = qde.find("<Users>").unwrap();
    let users_end = qde.find("</Users>").unwrap() + "</Users>".len();
    let users = &qde[users_start..users_end];
    let swapped =
        qde.replacen(users, "", 1)
            .replacen("</CodeBook>", &format!("</CodeBook>{users}"), 1);
    assert!(
        xmllint(&swapped).is_err(),
        "xmllint accepted misordered XML"
    );
}

/// The schema's sequences, as (parent, allowed children in order).
const ORDER: &[(&str, &[&str])] = &[
    (
        "Project",
        &[
            "Users",
            "CodeBook",
            "Variables",
            "Cases",
            "Sources",
            "Notes",
            "Links",
            "Sets",
            "Graphs",
            "Description",
            "NoteRef",
        ],
    ),
    ("Users", &["User"]),
    ("CodeBook", &["Codes"]),
    ("Codes", &["Code"]),
    ("Code", &["Description", "NoteRef", "Code"]),
    ("Variables", &["Variable"]),
    ("Variable", &["Description"]),
    ("Cases", &["Case"]),
    (
        "Case",
        &[
            "Description",
            "CodeRef",
            "VariableValue",
            "SourceRef",
            "SelectionRef",
        ],
    ),
    ("VariableValue", &["VariableRef", "TextValue"]),
    ("Sources", &["TextSource"]),
    (
        "TextSource",
        &[
            "Description",
            "PlainTextContent",
            "PlainTextSelection",
            "Coding",
            "NoteRef",
            "VariableValue",
        ],
    ),
    ("PlainTextSelection", &["Description", "Coding", "NoteRef"]),
    ("Coding", &["CodeRef", "NoteRef"]),
    ("User", &[]),
    ("VariableRef", &[]),
    ("SourceRef", &[]),
    ("SelectionRef", &[]),
    ("CodeRef", &[]),
    ("TextValue", &[]),
    ("Description", &[]),
];

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Checks element order against the schema's sequences, no unknown
/// elements, no text where only elements belong.
fn check_order(e: &El) {
    let (_, allowed) = ORDER
        .iter()
        .find(|(name, _)| *name == e.name)
        .unwrap_or_else(|| panic!("unexpected element <{}>", e.name));
    let mut position = 0;
    for child in e.elements() {
        let at = allowed
            .iter()
            .position(|a| *a == child.name)
            .unwrap_or_else(|| panic!("<{}> may not contain <{}>", e.name, child.name));
        assert!(
            at >= position,
            "<{}> out of order inside <{}>",
            child.name,
            e.name
        );
        position = at;
        check_order(child);
    }
    if !e.elements().is_empty() {
        for c in &e.children {
            if let Node::Text(t) = c {
                assert!(t.trim().is_empty(), "text inside <{}>", e.name);
            }
        }
    }
}

#[test]
fn project_structure_follows_the_schema_without_xmllint() {
    for (what, p) in variants() {
        let entries = qdpx(&p);
        let root = project(&entries);
        assert_eq!(root.name, "Project", "{what}");
        assert_eq!(root.attr("xmlns"), Some(NS), "{what}");
        assert!(!root.req("name").is_empty(), "{what}");
        assert_eq!(root.attr("creationDateTime"), Some(CREATED), "{what}");
        check_order(&root);
        // Sections that would be empty are left out (the schema requires
        // at least one child in each).
        for list in ["Users", "Codes", "Variables", "Cases", "Sources"] {
            for e in root.descendants(list) {
                assert!(!e.elements().is_empty(), "{what}: empty <{list}>");
            }
        }
        // Required attributes and GUID shapes; GUIDs unique; references
        // resolve to an element of the right kind.
        let mut guids: HashMap<&str, &str> = HashMap::new();
        for e in root.all() {
            if let Some(g) = e.attr("guid") {
                assert!(is_guid(g), "{what}: {g}");
                assert!(guids.insert(g, &e.name).is_none(), "{what}: duplicate {g}");
            }
        }
        for (reference, target) in [
            ("CodeRef", "Code"),
            ("VariableRef", "Variable"),
            ("SourceRef", "TextSource"),
            ("SelectionRef", "PlainTextSelection"),
        ] {
            for r in root.descendants(reference) {
                assert_eq!(
                    guids.get(r.req("targetGUID")),
                    Some(&target),
                    "{what}: dangling {reference}"
                );
            }
        }
        for e in root.all() {
            for user_attr in ["creatingUser", "creatingUserGUID"] {
                if let Some(u) = e.attr(user_attr) {
                    assert_eq!(guids.get(u), Some(&"User"), "{what}");
                }
            }
        }
        for c in root.descendants("Code") {
            c.req("name");
            assert_eq!(c.req("isCodable"), "true");
        }
        for v in root.descendants("Variable") {
            v.req("name");
            assert_eq!(v.req("typeOfVariable"), "Text");
        }
        for s in root.descendants("PlainTextSelection") {
            let start: usize = s.req("startPosition").parse().unwrap();
            let end: usize = s.req("endPosition").parse().unwrap();
            assert!(start < end, "{what}");
        }
    }
}

/// The quote whose written (keyed) excerpt id is `name`.
fn quote_by_name<'a>(p: &'a Publication, name: &str) -> &'a Quote {
    p.quotes
        .iter()
        .find(|q| written_excerpt_id(q) == name)
        .unwrap()
}

#[test]
fn selections_cut_exactly_the_quotes_out_of_the_sources_in_characters() {
    let p = publication();
    let entries = qdpx(&p);
    let root = project(&entries);
    let mut seen = HashSet::new();
    for source in root.descendants("TextSource") {
        let guid = source.req("guid");
        assert_eq!(
            source.req("plainTextPath"),
            format!("internal://{guid}.txt")
        );
        let text = entry(&entries, &format!("Sources/{guid}.txt"));
        assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
        assert!(!text.contains('\r'), "LF only");
        for sel in source.children_named("PlainTextSelection") {
            let q = quote_by_name(&p, sel.req("name"));
            assert_eq!(sel.req("guid"), key().guid("selection", &q.excerpt_id));
            let start: usize = sel.req("startPosition").parse().unwrap();
            let end: usize = sel.req("endPosition").parse().unwrap();
            assert_eq!(char_slice(text, start, end), q.original, "{}", q.excerpt_id);
            // Cyrillic and Kazakh letters before the quote make byte and
            // character offsets differ, so this really tests characters.
            if q.language != "en" {
                let prefix: String = text.chars().take(start).collect();
                assert_ne!(
                    prefix.len(),
                    start,
                    "{}: fixture needs non-ASCII",
                    q.excerpt_id
                );
            }
            // Codes are the quote's tags.
            let mut codes: Vec<&str> = sel
                .children_named("Coding")
                .iter()
                .map(|c| c.child("CodeRef").unwrap().req("targetGUID"))
                .map(|g| {
                    root.descendants("Code")
                        .into_iter()
                        .find(|c| c.req("guid") == g)
                        .unwrap()
                        .req("name")
                })
                .collect();
            codes.sort();
            let mut tags: Vec<&str> = q.tags.iter().map(String::as_str).collect();
            tags.sort();
            assert_eq!(codes, tags, "{}", q.excerpt_id);
            // The description carries attribution, translation and note.
            let description = sel.child("Description").map(El::text).unwrap_or_default();
            assert!(description.contains(&q.attribution));
            if let Some(t) = &q.translation {
                assert!(description.contains(t.as_str()), "{}", q.excerpt_id);
            }
            if let Some(n) = &q.note {
                assert!(description.contains(n.as_str()), "{}", q.excerpt_id);
            }
            seen.insert(q.excerpt_id.clone());
        }
    }
    assert_eq!(seen.len(), p.quotes.len(), "every quote is a selection");
    let kk = p.quotes.iter().find(|q| q.excerpt_id == "E-kk-1").unwrap();
    assert!(kk.original.contains("ә ғ қ ң ө ұ ү і"));
}

#[test]
fn codes_cases_variables_and_sources_map_the_publication() {
    let p = publication();
    let entries = qdpx(&p);
    let root = project(&entries);
    assert_eq!(root.req("name"), TITLE);
    assert_eq!(root.descendants("User").len(), 1);

    let codes: Vec<&str> = root
        .descendants("Code")
        .iter()
        .map(|c| c.req("name"))
        .collect();
    assert_eq!(codes, ["funding", "language & identity", "state pressure"]);
    for c in root.descendants("Code") {
        assert_eq!(c.req("guid"), key().guid("code", c.req("name")));
    }

    let variables: HashMap<&str, &str> = root
        .descendants("Variable")
        .iter()
        .map(|v| (v.req("guid"), v.req("name")))
        .collect();
    let mut names: Vec<&str> = variables.values().copied().collect();
    names.sort();
    assert_eq!(names, ["descriptor", "region", "sector"]);

    let sources: HashMap<&str, &str> = root
        .descendants("TextSource")
        .iter()
        .map(|s| (s.req("guid"), s.req("name")))
        .collect();
    // Quoted sources and the translation of a quoted source; not the
    // source nothing points into.
    let mut source_names: Vec<&str> = sources.values().copied().collect();
    source_names.sort();
    assert_eq!(
        source_names,
        [
            "Interview 3 (en translation)",
            "Interview 3 (ru, 2021-05-20)",
            "Interview 5 (kk, 2022-03-14)",
            "Interview 8 (en, 2022-09-01)",
        ]
    );
    let files: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(files[0], "project.qde");
    assert_eq!(files.len(), 1 + sources.len(), "one text file per source");

    // Cases: quoted persons only, by pseudonym.
    let cases = root.descendants("Case");
    let case_names: Vec<&str> = cases.iter().map(|c| c.req("name")).collect();
    assert_eq!(case_names, ["Respondent 26", "Respondent 7"]);
    for c in &cases {
        let fixture = p
            .cases
            .iter()
            .find(|f| f.pseudonym == c.req("name"))
            .unwrap();
        assert_eq!(c.req("guid"), key().guid("case", &fixture.id));
        let values: Vec<(&str, String)> = c
            .children_named("VariableValue")
            .iter()
            .map(|v| {
                let var = variables[v.child("VariableRef").unwrap().req("targetGUID")];
                (var, v.child("TextValue").unwrap().text())
            })
            .collect();
        let mut expected = vec![("descriptor", fixture.descriptor.clone().unwrap())];
        expected.extend(
            fixture
                .attributes
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone())),
        );
        assert_eq!(values, expected);
        let quotes: Vec<&Quote> = p
            .quotes
            .iter()
            .filter(|q| q.case_id.as_deref() == Some(fixture.id.as_str()))
            .collect();
        let mut refs: Vec<&str> = c
            .children_named("SourceRef")
            .iter()
            .map(|r| sources[r.req("targetGUID")])
            .collect();
        refs.sort();
        let mut quoted_in: Vec<&str> = quotes
            .iter()
            .map(|q| {
                let s = p.sources.iter().find(|s| s.id == q.source_id).unwrap();
                s.name.as_str()
            })
            .collect();
        quoted_in.sort();
        quoted_in.dedup();
        assert_eq!(refs, quoted_in);
        let selections: Vec<&str> = c
            .children_named("SelectionRef")
            .iter()
            .map(|r| r.req("targetGUID"))
            .collect();
        let expected: Vec<String> = quotes
            .iter()
            .map(|q| key().guid("selection", &q.excerpt_id))
            .collect();
        assert_eq!(selections, expected);
    }
}

#[test]
fn nothing_else_leaks_into_the_archive() {
    let entries = qdpx(&publication());
    for (name, data) in &entries {
        let text = std::str::from_utf8(data).unwrap();
        assert_absent(text, NEVER, name);
    }
    // The anonymous quote is not tied to any case.
    let root = project(&entries);
    let anonymous = key().guid("selection", "E-en-1");
    for c in root.descendants("Case") {
        for r in c.children_named("SelectionRef") {
            assert_ne!(r.req("targetGUID"), anonymous);
        }
    }
}

#[test]
fn bad_sources_and_cases_are_refused() {
    let base = publication();
    type Breakage = (&'static str, Box<dyn Fn(&mut Publication)>);
    let cases: Vec<Breakage> = vec![
        (
            "was not handed to the exporter",
            Box::new(|p| p.sources.retain(|s| s.id != "src-INTERNAL-kk")),
        ),
        (
            "was not handed to the exporter",
            Box::new(|p| p.cases.retain(|c| c.id != "case-INTERNAL-7")),
        ),
        (
            "inside the source",
            Box::new(|p| p.quotes[0].source_end = 10_000),
        ),
        (
            "must be non-empty",
            Box::new(|p| p.quotes[0].source_end = p.quotes[0].source_start),
        ),
        (
            "line endings",
            Box::new(|p| p.sources[0].text = p.sources[0].text.replace('\n', "\r\n")),
        ),
        (
            "share the id",
            Box::new(|p| {
                let dup = p.sources[0].clone();
                p.sources.push(dup)
            }),
        ),
        (
            "share the id",
            Box::new(|p| {
                let dup = p.cases[1].clone();
                p.cases.push(dup)
            }),
        ),
        (
            "two values",
            Box::new(|p| p.cases[1].attributes.push(("region".into(), "x".into()))),
        ),
        (
            "clashes",
            Box::new(|p| {
                p.cases[1]
                    .attributes
                    .push(("descriptor".into(), "x".into()))
            }),
        ),
        (
            "control character",
            Box::new(|p| p.sources[0].text.push('\u{7}')),
        ),
    ];
    for (expected, break_it) in cases {
        let mut p = base.clone();
        break_it(&mut p);
        let Err(err) = render(Format::Qdpx, &p) else {
            panic!("accepted input that should fail with {expected:?}");
        };
        let msg = err.to_string();
        assert!(msg.contains(expected), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
        assert!(!msg.contains("Мы"), "no quote text in messages: {msg}");
    }
    // Problems in a source nothing points into do not matter: it is not
    // written.
    let mut p = base.clone();
    p.sources[1].text.push_str("\r\n\u{7}");
    assert!(render(Format::Qdpx, &p).is_ok());
    let err = render(Format::Qdpx, &{
        let mut p = base.clone();
        p.quotes[0].source_end = 10_000;
        p
    })
    .err()
    .unwrap();
    assert!(matches!(err, ExportError::BadOffsets { ref excerpt, .. } if excerpt == "E-ru-1"));
}

#[test]
fn excerpts_only_ships_nothing_but_the_quotes() {
    let p = publication();
    let cut = fieldvault_export::excerpts_only(&p).unwrap();
    // Cut sources hold only quoted text and omission marks.
    assert_eq!(cut.sources.len(), 3, "quoted sources only, no translation");
    for s in &cut.sources {
        let mut rest = s.text.clone();
        for q in cut.quotes.iter().filter(|q| q.source_id == s.id) {
            assert_eq!(
                char_slice(&s.text, q.source_start, q.source_end),
                q.original
            );
            rest = rest.replace(&q.original, "");
        }
        let rest = rest.replace(fieldvault_export::OMISSION, "");
        assert!(rest.trim().is_empty(), "{}: left {rest:?}", s.id);
    }
    let entries = qdpx(&cut);
    for (name, data) in &entries {
        let text = std::str::from_utf8(data).unwrap();
        assert_absent(text, NEVER, name);
        assert_absent(text, &["INTERVIEWER-CONTEXT", "И: ", "С: ", "Q: "], name);
    }
    let root = project(&entries);
    for source in root.descendants("TextSource") {
        let text = entry(&entries, &format!("Sources/{}.txt", source.req("guid")));
        for sel in source.children_named("PlainTextSelection") {
            let q = quote_by_name(&cut, sel.req("name"));
            let start: usize = sel.req("startPosition").parse().unwrap();
            let end: usize = sel.req("endPosition").parse().unwrap();
            assert_eq!(char_slice(text, start, end), q.original);
        }
    }
    if has_xmllint() {
        xmllint(entry(&entries, "project.qde")).unwrap();
    }
    // Overlapping and touching quotes share one span.
    let mut overlap = p.clone();
    let mut extra = overlap.quotes[0].clone();
    extra.excerpt_id = "E-ru-1b".into();
    extra.source_start += 3;
    extra.source_end += 5;
    let src = overlap
        .sources
        .iter()
        .find(|s| s.id == extra.source_id)
        .unwrap();
    extra.original = char_slice(&src.text, extra.source_start, extra.source_end);
    overlap.quotes.push(extra);
    let cut = fieldvault_export::excerpts_only(&overlap).unwrap();
    for q in &cut.quotes {
        let s = cut.sources.iter().find(|s| s.id == q.source_id).unwrap();
        assert_eq!(
            char_slice(&s.text, q.source_start, q.source_end),
            q.original
        );
    }
    let mut bad = p.clone();
    bad.quotes[1].source_end = 100_000;
    assert!(matches!(
        fieldvault_export::excerpts_only(&bad),
        Err(ExportError::BadOffsets { .. })
    ));
}
