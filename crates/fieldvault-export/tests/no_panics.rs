//! Arbitrary input never panics any writer: it renders or it is refused;
//! whatever renders is well-formed, and QDPX output is schema-valid.

mod common;

use fieldvault_export::{render, Case, Format, Publication, Quote, Source};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Zәғқңөұүіһа-я#*\\[\\]<>&\"'=+@\\-\\n\\r\\t\\\\ ]{0,40}",
    ]
}

fn quote() -> impl Strategy<Value = Quote> {
    (
        (
            text(),
            text(),
            prop::option::of(text()),
            text(),
            prop::collection::vec(text(), 0..3),
        ),
        (
            text(),
            prop::option::of(text()),
            prop::option::of(text()),
            0usize..80,
            0usize..80,
        ),
        prop::sample::select(vec!["src-a", "src-b", "missing"]),
        prop::option::of(prop::sample::select(vec!["case-a", "case-b", "missing"])),
    )
        .prop_map(
            |(
                (id, original, translation, attribution, tags),
                (note_lang, note, pseudonym, a, b),
                source,
                case,
            )| Quote {
                excerpt_id: id,
                transcript_id: "T".into(),
                source_id: source.into(),
                case_id: case.map(str::to_string),
                attribution,
                pseudonym,
                descriptor: None,
                tags,
                note,
                language: note_lang,
                language_name: "Lang".into(),
                original,
                translation,
                lines: (1, 2),
                interview_date: "2021-01-01".into(),
                source_start: a.min(b),
                source_end: a.max(b),
            },
        )
}

fn publication() -> impl Strategy<Value = Publication> {
    (
        text(),
        prop::collection::vec(quote(), 0..4),
        text(),
        text(),
        prop::collection::vec((text(), text()), 0..3),
    )
        .prop_map(|(title, quotes, a, b, attributes)| Publication {
            title,
            created: "2024-05-01T12:00:00Z".into(),
            quotes,
            sources: vec![
                Source {
                    id: "src-a".into(),
                    name: "A".into(),
                    text: a,
                    language: "ru".into(),
                    translation_of: None,
                },
                Source {
                    id: "src-b".into(),
                    name: "B".into(),
                    text: b,
                    language: "kk".into(),
                    translation_of: Some("src-a".into()),
                },
            ],
            cases: vec![
                Case {
                    id: "case-a".into(),
                    pseudonym: "Respondent 1".into(),
                    descriptor: Some("d".into()),
                    attributes,
                },
                Case {
                    id: "case-b".into(),
                    pseudonym: "Respondent 2".into(),
                    descriptor: None,
                    attributes: vec![],
                },
            ],
        })
}

/// xmllint against the REFI-QDA schema, when installed.
fn validate(qde: &str) {
    use std::io::Write;
    // The reader's own schema check accepts everything the writer makes.
    if let Err(e) = fieldvault_export::validate_project_xml(qde) {
        panic!("the Rust schema check refused an export: {e}\n{qde}");
    }
    let Ok(mut child) = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/Project.xsd"))
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(qde.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{qde}",
        String::from_utf8_lossy(&out.stderr)
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]
    #[test]
    fn writers_never_panic(p in publication()) {
        for format in Format::ALL {
            match render(format, &p) {
                Ok(bytes) => {
                    prop_assert!(!bytes.is_empty());
                    if format.is_binary() {
                        for (name, data) in common::unzip(&bytes) {
                            if name.ends_with(".xml") || name.ends_with(".qde") || name.ends_with(".rels") {
                                common::parse_xml(std::str::from_utf8(&data).unwrap());
                            }
                            if name == "project.qde" {
                                validate(std::str::from_utf8(&data).unwrap());
                            }
                        }
                    }
                }
                Err(e) => prop_assert!(!e.to_string().contains('\n')),
            }
        }
        if let Ok(cut) = fieldvault_export::excerpts_only(&p) {
            let _ = render(Format::Qdpx, &cut);
        }
    }
}

/// Makes a generated publication acceptable to every writer: offsets
/// inside their source, existing sources and cases, unique ids, no
/// characters XML cannot hold, no empty or ";" tags.
fn repair(mut p: Publication) -> Publication {
    let clean = |s: &mut String| {
        *s = s
            .chars()
            .map(|c| {
                if c.is_control() && !matches!(c, '\n' | '\t')
                    || matches!(c, '\u{FFFE}' | '\u{FFFF}')
                {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    };
    clean(&mut p.title);
    for s in &mut p.sources {
        clean(&mut s.text);
        s.text.push_str("pad");
    }
    for c in &mut p.cases {
        for (k, v) in &mut c.attributes {
            clean(k);
            clean(v);
        }
        c.attributes.retain(|(k, _)| k != "descriptor");
        let mut seen = std::collections::HashSet::new();
        c.attributes.retain(|(k, _)| seen.insert(k.clone()));
    }
    let lens: Vec<usize> = p.sources.iter().map(|s| s.text.chars().count()).collect();
    for (i, q) in p.quotes.iter_mut().enumerate() {
        q.excerpt_id = format!(
            "E{i}-{}",
            q.excerpt_id
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        );
        for s in [
            &mut q.attribution,
            &mut q.original,
            &mut q.language,
            &mut q.language_name,
        ] {
            clean(s);
        }
        for s in [&mut q.translation, &mut q.note, &mut q.pseudonym]
            .into_iter()
            .flatten()
        {
            clean(s);
        }
        for t in &mut q.tags {
            clean(t);
            *t = t.replace(';', ",");
            if t.trim().is_empty() {
                t.push('x');
            }
        }
        let which = usize::from(q.source_id != "src-a");
        q.source_id = p.sources[which].id.clone();
        let len = lens[which];
        let start = q.source_start % len;
        let end = start + 1 + (q.source_end % (len - start));
        q.source_start = start;
        q.source_end = end.min(len);
        q.original = p.sources[which]
            .text
            .chars()
            .skip(start)
            .take(q.source_end - start)
            .collect();
        if q.case_id.as_deref() == Some("missing") {
            q.case_id = Some("case-b".into());
        }
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]
    #[test]
    fn valid_publications_render_in_every_format(p in publication().prop_map(repair)) {
        for format in Format::ALL {
            let bytes = common::render_keyed(format, &p).map_err(|e| TestCaseError::fail(format!("{format}: {e}")))?;
            if format == Format::Qdpx {
                let entries = common::unzip(&bytes);
                let qde = common::entry(&entries, "project.qde");
                validate(qde);
                let root = common::parse_xml(qde);
                for source in root.descendants("TextSource") {
                    let text = common::entry(&entries, &format!("Sources/{}.txt", source.req("guid")));
                    for sel in source.children_named("PlainTextSelection") {
                        let q = p.quotes.iter().find(|q| common::written_excerpt_id(q) == sel.req("name")).unwrap();
                        let start: usize = sel.req("startPosition").parse().unwrap();
                        let end: usize = sel.req("endPosition").parse().unwrap();
                        prop_assert_eq!(common::char_slice(text, start, end), q.original.clone());
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]
    /// Damaged archives and damaged project files are refused or read,
    /// never a panic.
    #[test]
    fn the_reader_never_panics_on_damaged_projects(
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in any::<usize>(),
    ) {
        let p = repair(common::publication());
        let bytes = common::render_keyed(Format::Qdpx, &p).unwrap();
        let mut damaged = bytes.clone();
        for (at, b) in &flips {
            let i = at % damaged.len();
            damaged[i] ^= b | 1;
        }
        let _ = fieldvault_export::read_qdpx(&damaged);
        let _ = fieldvault_export::read_qdpx(&bytes[..cut % bytes.len()]);
        // The XML itself, damaged: replace a few characters.
        let entries = common::unzip(&bytes);
        let mut qde: Vec<char> = common::entry(&entries, "project.qde").chars().collect();
        for (at, b) in &flips {
            let i = at % qde.len();
            let alphabet = b"<>&\"=/ 0x9-";
            qde[i] = char::from(alphabet[usize::from(*b) % alphabet.len()]);
        }
        let qde: String = qde.into_iter().collect();
        let _ = fieldvault_export::validate_project_xml(&qde);
    }
}
