//! Markdown, CSV, JSON and DOCX render and parse back; every format is
//! deterministic; bad input is refused with a one-line message.

mod common;

use common::*;
use fieldvault_export::{
    render, render_with, ExportError, Format, Publication, Quote, RenderOptions,
};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fn text(format: Format, p: &Publication) -> String {
    String::from_utf8(render_keyed(format, p).expect("renders")).expect("UTF-8 output")
}

fn text_by_tag(format: Format, p: &Publication) -> String {
    let options = RenderOptions { by_tag: true };
    let bytes = render_with(format, p, &options, &key()).expect("renders");
    String::from_utf8(bytes).expect("UTF-8 output")
}

/// A section's quotes, each with the other tags its "Also tagged" line names.
type Section<'a> = (String, Vec<(&'a Quote, Vec<String>)>);

/// The expected sections: sorted tags, then "Untagged". A quote sits under
/// its first tag only, or under each of its tags `by_tag`.
fn expected_sections(p: &Publication, by_tag: bool) -> Vec<Section<'_>> {
    let mut tags: Vec<&str> = p
        .quotes
        .iter()
        .flat_map(|q| q.tags.iter().map(String::as_str))
        .collect();
    tags.sort();
    tags.dedup();
    let others = |q: &Quote, heading: &str| -> Vec<String> {
        q.tags.iter().filter(|t| *t != heading).cloned().collect()
    };
    let mut out: Vec<Section<'_>> = tags
        .iter()
        .map(|t| {
            (
                t.to_string(),
                p.quotes
                    .iter()
                    .filter(|q| {
                        if by_tag {
                            q.tags.iter().any(|x| x == t)
                        } else {
                            q.tags.first().is_some_and(|x| x == t)
                        }
                    })
                    .map(|q| (q, others(q, t)))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, quotes)| !quotes.is_empty())
        .collect();
    let untagged: Vec<(&Quote, Vec<String>)> = p
        .quotes
        .iter()
        .filter(|q| q.tags.is_empty())
        .map(|q| (q, vec![]))
        .collect();
    if !untagged.is_empty() {
        out.push(("Untagged".to_string(), untagged));
    }
    out
}

// ---------------------------------------------------------------- Markdown

/// What a Markdown reader sees: headings, block quotes and other paragraphs,
/// in document order. Fails on any other construct (links, HTML, lists,
/// emphasis, code, tables, math, ...).
#[derive(Debug, PartialEq)]
enum Block {
    Heading(u8, String),
    Quote(String),
    Para(String),
    Rule,
}

fn markdown_blocks(md: &str) -> Vec<Block> {
    let options =
        Options::all() - Options::ENABLE_SMART_PUNCTUATION - Options::ENABLE_OLD_FOOTNOTES;
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut in_quote = false;
    let mut quote_text = String::new();
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Start(Tag::Heading { .. }) | Event::Start(Tag::Paragraph) => current.clear(),
            Event::End(TagEnd::Heading(level)) => {
                blocks.push(Block::Heading(level as u8, std::mem::take(&mut current)))
            }
            Event::End(TagEnd::Paragraph) => {
                let para = std::mem::take(&mut current);
                if in_quote {
                    if !quote_text.is_empty() {
                        quote_text.push_str("\n\n");
                    }
                    quote_text.push_str(&para);
                } else {
                    blocks.push(Block::Para(para));
                }
            }
            Event::Start(Tag::BlockQuote(None)) => {
                assert!(!in_quote, "nested block quote in:\n{md}");
                in_quote = true;
                quote_text.clear();
            }
            Event::End(TagEnd::BlockQuote(None)) => {
                in_quote = false;
                blocks.push(Block::Quote(std::mem::take(&mut quote_text)));
            }
            Event::Text(t) => current.push_str(&t),
            Event::HardBreak => current.push('\n'),
            Event::Rule => blocks.push(Block::Rule),
            Event::SoftBreak => panic!("soft break (lost line break) in:\n{md}"),
            other => panic!("quote text turned into Markdown syntax: {other:?} in:\n{md}"),
        }
    }
    blocks
}

/// How a block quote reads back: lines trimmed, runs of blank lines as one.
fn as_markdown_reads(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim).collect();
    let mut out: Vec<&str> = Vec::new();
    for l in lines {
        if l.is_empty() && out.last().is_none_or(|p| p.is_empty()) {
            continue;
        }
        out.push(l);
    }
    while out.last() == Some(&"") {
        out.pop();
    }
    out.join("\n")
}

fn expected_markdown_blocks(p: &Publication, by_tag: bool) -> Vec<Block> {
    let mut expected = vec![
        Block::Heading(1, TITLE.to_string()),
        Block::Para(format!("Exported {CREATED} · 4 quotes")),
    ];
    for (heading, quotes) in expected_sections(p, by_tag) {
        expected.push(Block::Heading(2, heading));
        for (i, (q, others)) in quotes.into_iter().enumerate() {
            if i > 0 {
                expected.push(Block::Rule);
            }
            let shown = q.translation.as_deref().unwrap_or(&q.original);
            expected.push(Block::Quote(as_markdown_reads(shown)));
            expected.push(Block::Para(format!("— {}", q.attribution)));
            if q.translation.is_some() {
                expected.push(Block::Para(format!("Original in {}:", q.language_name)));
                expected.push(Block::Quote(as_markdown_reads(&q.original)));
            } else if q.language != "en" {
                expected.push(Block::Para(format!(
                    "(Original in {}, not translated.)",
                    q.language_name
                )));
            }
            if !others.is_empty() {
                expected.push(Block::Para(format!("Also tagged: {}", others.join(", "))));
            }
        }
    }
    expected
}

#[test]
fn markdown_has_the_familiar_layout_and_escapes_everything() {
    let p = publication();
    let md = text(Format::Markdown, &p);
    assert_eq!(
        markdown_blocks(&md),
        expected_markdown_blocks(&p, false),
        "Markdown was:\n{md}"
    );
    // A quote with two tags is printed once, under its first tag, and names
    // the other; the count in the header matches what a reader counts.
    let sections = expected_sections(&p, false);
    assert_eq!(sections[0].0, "funding");
    assert_eq!(sections[0].1.len(), 1);
    assert_eq!(md.matches("— an interlocutor, interview quote").count(), 1);
    assert_eq!(md.matches("\n— ").count(), p.quotes.len());
    assert!(md.contains("Also tagged: state pressure"), "{md}");

    assert_absent(&md, NEVER, "Markdown");
    assert_absent(&md, TRANSCRIPT_ONLY, "Markdown");
    // Notes, dates and ids are not for papers.
    assert_absent(
        &md,
        &[NOTE_1, NOTE_EN, "2021-05-20", "E-ru-1", "T-ru"],
        "Markdown",
    );
}

#[test]
fn markdown_by_tag_lists_a_quote_under_each_of_its_tags() {
    let p = publication();
    let md = text_by_tag(Format::Markdown, &p);
    assert_eq!(
        markdown_blocks(&md),
        expected_markdown_blocks(&p, true),
        "Markdown was:\n{md}"
    );
    assert_eq!(md.matches("— an interlocutor, interview quote").count(), 2);
    assert_eq!(expected_sections(&p, true)[0].1.len(), 2);
}

#[test]
fn markdown_escapes_only_what_would_change_the_rendering() {
    let mut p = publication();
    let plain = "[Respondent 2] said: it's 50% - maybe (a) & b, a * b, snake_case.\n\
                 -Да, [an independent NGO] в 10:30, e-mail @ noon; 3 < 4.";
    p.quotes[0].translation = Some(plain.to_string());
    let md = text(Format::Markdown, &p);
    let blocks = markdown_blocks(&md);
    assert!(blocks.contains(&Block::Quote(plain.to_string())), "{md}");
    let line = md.lines().find(|l| l.contains("Respondent 2")).unwrap();
    // Only the hard line break at the end: no escapes in ordinary text.
    assert_eq!(line.matches('\\').count(), 1, "{line}");
    assert!(md.contains("> [Respondent 2] said: it's 50% - maybe (a) & b"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..Default::default()
    })]
    /// Whatever punctuation a quote holds, and however few backslashes the
    /// writer uses, a Markdown reader shows exactly the text.
    #[test]
    fn any_quote_text_reads_back_literally(
        text in "[ a1_*~^$`<>&#\\[\\]()!@{}|:.=+\\-/;whIv9Д%'\"\t\n]{1,40}"
    ) {
        let mut p = publication();
        p.quotes[0].translation = Some(text.clone());
        p.quotes[0].attribution = text.clone();
        let md = text_by_tag(Format::Markdown, &p);
        let blocks = markdown_blocks(&md);
        let shown = as_markdown_reads(&text);
        if !shown.is_empty() {
            proptest::prop_assert!(blocks.contains(&Block::Quote(shown.clone())), "{:?} in\n{}", shown, md);
        }
    }
}

#[test]
fn markdown_escaping_survives_hostile_titles_tags_and_attributions() {
    let mut p = publication();
    p.title = "# Title [link](http://x.org) <b>bold</b>\n## not a heading".into();
    p.quotes[0].tags = vec!["1. tag".into(), "- tag <i>".into(), "## tag {#id}".into()];
    p.quotes[0].attribution = "*Respondent* [26](http://x) <em>\n# heading".into();
    p.quotes[0].language_name = "Rus_sian*".into();
    let md = text_by_tag(Format::Markdown, &p);
    let blocks = markdown_blocks(&md);
    let headings: Vec<&Block> = blocks
        .iter()
        .filter(|b| matches!(b, Block::Heading(..)))
        .collect();
    assert_eq!(
        headings[0],
        &Block::Heading(
            1,
            "# Title [link](http://x.org) <b>bold</b> ## not a heading".into()
        )
    );
    for tag in ["1. tag", "- tag <i>", "## tag {#id}"] {
        assert!(
            blocks.contains(&Block::Heading(2, tag.into())),
            "{tag} in {md}"
        );
    }
    assert!(blocks.contains(&Block::Para(
        "— *Respondent* [26](http://x) <em> # heading".into()
    )));
    assert!(blocks.contains(&Block::Para("Original in Rus_sian*:".into())));
}

// --------------------------------------------------------------------- CSV

const CSV_COLUMNS: [&str; 12] = [
    "excerpt_id",
    "transcript_id",
    "lines",
    "interview_date",
    "pseudonym",
    "descriptor",
    "attribution",
    "tags",
    "language",
    "translation",
    "original",
    "note",
];

/// The documented way back from a defused cell to the exact text.
fn undefuse(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

fn expected_csv_row(q: &Quote) -> Vec<String> {
    vec![
        written_excerpt_id(q),
        written_transcript_id(q),
        format!("{}\u{2013}{}", q.lines.0, q.lines.1),
        q.interview_date.clone(),
        q.pseudonym.clone().unwrap_or_default(),
        q.descriptor.clone().unwrap_or_default(),
        q.attribution.clone(),
        q.tags.join(";"),
        q.language.clone(),
        q.translation.clone().unwrap_or_default(),
        q.original.clone(),
        q.note.clone().unwrap_or_default(),
    ]
}

#[test]
fn csv_round_trips_and_defuses_formulas() {
    let p = publication();
    let bytes = render_keyed(Format::Csv, &p).unwrap();
    let raw = String::from_utf8(bytes.clone()).unwrap();
    assert!(raw.starts_with('\u{feff}'), "a byte-order mark for Excel");
    assert!(
        raw.contains(",2\u{2013}3,"),
        "lines as first–last with an en dash"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes.as_slice());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers, CSV_COLUMNS);
    assert_eq!(fieldvault_export::CSV_COLUMNS, CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), p.quotes.len());
    for (row, q) in rows.iter().zip(&p.quotes) {
        let expected = expected_csv_row(q);
        assert_eq!(row.len(), expected.len());
        for ((cell, want), column) in row.iter().zip(&expected).zip(CSV_COLUMNS) {
            assert_eq!(undefuse(cell), want, "{} / {column}", q.excerpt_id);
            let dangerous = matches!(
                want.chars().next(),
                Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'')
            );
            if dangerous {
                assert_eq!(cell, format!("'{want}"), "{} / {column}", q.excerpt_id);
            } else {
                assert_eq!(cell, want, "{} / {column}", q.excerpt_id);
            }
            assert!(
                !matches!(
                    cell.chars().next(),
                    Some('=' | '+' | '-' | '@' | '\t' | '\r')
                ),
                "{} / {column} starts a formula: {cell:?}",
                q.excerpt_id
            );
        }
    }
    // The fixture really exercises the rule.
    assert!(rows[3][10].starts_with("'=СУММ"));
    assert!(rows[2][10].starts_with("'-We"));
    assert!(rows[2][11].starts_with("'=cmd"));
    assert_absent(&raw, NEVER, "CSV");
    assert_absent(&raw, TRANSCRIPT_ONLY, "CSV");
}

#[test]
fn csv_refuses_tags_with_the_separator() {
    let mut p = publication();
    p.quotes[1].tags = vec!["a;b".into()];
    let err = render(Format::Csv, &p).unwrap_err();
    assert!(matches!(err, ExportError::SemicolonInTag { ref excerpt } if excerpt == "E-kk-1"));
}

// -------------------------------------------------------------------- JSON

#[test]
fn json_round_trips_with_the_documented_schema() {
    let p = publication();
    let raw = text(Format::Json, &p);
    let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let top: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut top_sorted = top.clone();
    top_sorted.sort();
    assert_eq!(top_sorted, ["created", "format_version", "quotes", "title"]);
    assert_eq!(v["title"], TITLE);
    assert_eq!(v["created"], CREATED);
    assert_eq!(v["format_version"], 1);
    let quotes = v["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), p.quotes.len());
    let mut keys_expected = vec![
        "attribution",
        "descriptor",
        "excerpt_id",
        "interview_date",
        "language",
        "language_name",
        "lines",
        "note",
        "original",
        "pseudonym",
        "tags",
        "transcript_id",
        "translation",
    ];
    keys_expected.sort();
    let opt = |s: &Option<String>| match s {
        Some(s) => serde_json::Value::String(s.clone()),
        None => serde_json::Value::Null,
    };
    for (j, q) in quotes.iter().zip(&p.quotes) {
        let mut keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys, keys_expected,
            "no other fields (no case or source ids)"
        );
        assert_eq!(j["excerpt_id"], written_excerpt_id(q).as_str());
        assert_eq!(j["transcript_id"], written_transcript_id(q).as_str());
        assert_eq!(j["lines"]["first"], q.lines.0);
        assert_eq!(j["lines"]["last"], q.lines.1);
        assert_eq!(j["interview_date"], q.interview_date.as_str());
        assert_eq!(j["pseudonym"], opt(&q.pseudonym));
        assert_eq!(j["descriptor"], opt(&q.descriptor));
        assert_eq!(j["attribution"], q.attribution.as_str());
        assert_eq!(j["tags"], serde_json::json!(q.tags));
        assert_eq!(j["language"], q.language.as_str());
        assert_eq!(j["language_name"], q.language_name.as_str());
        assert_eq!(j["translation"], opt(&q.translation));
        assert_eq!(j["original"], q.original.as_str());
        assert_eq!(j["note"], opt(&q.note));
    }
    assert_absent(&raw, NEVER, "JSON");
    assert_absent(&raw, TRANSCRIPT_ONLY, "JSON");
}

// -------------------------------------------------------------------- DOCX

const DOCX_PARTS: [&str; 8] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/styles.xml",
    "word/footer1.xml",
    "word/_rels/document.xml.rels",
    "docProps/core.xml",
    "docProps/app.xml",
];

/// (style, text) of every paragraph; `w:br` reads as "\n", `w:tab` as "\t".
fn docx_paragraphs(document: &El) -> Vec<(String, String)> {
    fn run_text(e: &El, out: &mut String) {
        for c in e.elements() {
            match c.name.as_str() {
                "w:t" => out.push_str(&c.text()),
                "w:br" => out.push('\n'),
                "w:tab" => out.push('\t'),
                "w:rPr" | "w:pPr" => {}
                _ => run_text(c, out),
            }
        }
    }
    document
        .descendants("w:p")
        .into_iter()
        .map(|p| {
            let style = p
                .child("w:pPr")
                .and_then(|pr| pr.child("w:pStyle"))
                .map(|s| s.req("w:val").to_string())
                .unwrap_or_else(|| "Normal".into());
            let mut text = String::new();
            run_text(p, &mut text);
            (style, text)
        })
        .collect()
}

#[test]
fn docx_is_a_word_package_with_styled_quotes() {
    let p = publication();
    let bytes = render(Format::Docx, &p).unwrap();
    let entries = unzip(&bytes);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, DOCX_PARTS);
    for (name, data) in &entries {
        let xml = std::str::from_utf8(data).unwrap();
        parse_xml(xml); // well-formed
        assert_absent(xml, NEVER, name);
        assert_absent(xml, TRANSCRIPT_ONLY, name);
        assert_absent(xml, &[NOTE_1, "2021-05-20", "T-ru"], name);
    }

    let types = parse_xml(entry(&entries, "[Content_Types].xml"));
    let overrides: Vec<&str> = types
        .children_named("Override")
        .iter()
        .map(|o| o.req("PartName"))
        .collect();
    for part in [
        "/word/document.xml",
        "/word/styles.xml",
        "/docProps/core.xml",
        "/docProps/app.xml",
    ] {
        assert!(overrides.contains(&part), "{part}");
    }
    let rels = parse_xml(entry(&entries, "_rels/.rels"));
    assert!(rels
        .children_named("Relationship")
        .iter()
        .any(|r| r.req("Target") == "word/document.xml"
            && r.req("Type").ends_with("/officeDocument")));
    let doc_rels = parse_xml(entry(&entries, "word/_rels/document.xml.rels"));
    assert_eq!(
        doc_rels.children_named("Relationship")[0].req("Target"),
        "styles.xml"
    );

    let core = parse_xml(entry(&entries, "docProps/core.xml"));
    assert_eq!(core.child("dc:title").unwrap().text(), TITLE);
    assert_eq!(core.child("dcterms:created").unwrap().text(), CREATED);
    assert!(core.child("dc:creator").is_none(), "no author in the file");

    let styles = parse_xml(entry(&entries, "word/styles.xml"));
    let quote_style = styles
        .children_named("w:style")
        .into_iter()
        .find(|s| s.req("w:styleId") == "Quote")
        .expect("a Quote style");
    let rpr = quote_style.child("w:rPr").unwrap();
    assert!(rpr.child("w:i").is_some(), "Quote is italic");
    let ind = quote_style.child("w:pPr").unwrap().child("w:ind").unwrap();
    assert!(
        ind.req("w:left").parse::<u32>().unwrap() > 0,
        "Quote is indented"
    );
    let style_ids: Vec<&str> = styles
        .children_named("w:style")
        .iter()
        .map(|s| s.req("w:styleId"))
        .collect();

    let document = parse_xml(entry(&entries, "word/document.xml"));
    let paragraphs = docx_paragraphs(&document);
    for (style, _) in &paragraphs {
        assert!(
            style_ids.contains(&style.as_str()),
            "style {style} is defined"
        );
    }
    let mut expected = vec![
        ("Title".to_string(), TITLE.to_string()),
        (
            "Subtitle".to_string(),
            format!("Exported {CREATED} · 4 quotes"),
        ),
    ];
    for (heading, quotes) in expected_sections(&p, false) {
        expected.push(("Heading1".into(), heading));
        for (q, others) in quotes {
            let shown = q.translation.as_deref().unwrap_or(&q.original);
            expected.push(("Quote".into(), shown.to_string()));
            expected.push(("Attribution".into(), format!("— {}", q.attribution)));
            if q.translation.is_some() {
                expected.push((
                    "OriginalLabel".into(),
                    format!("Original in {}:", q.language_name),
                ));
                expected.push(("OriginalText".into(), q.original.clone()));
            } else if q.language != "en" {
                expected.push((
                    "OriginalLabel".into(),
                    format!("(Original in {}, not translated.)", q.language_name),
                ));
            }
            if !others.is_empty() {
                expected.push((
                    "AlsoTagged".into(),
                    format!("Also tagged: {}", others.join(", ")),
                ));
            }
        }
    }
    assert_eq!(paragraphs, expected);
    // A quote's paragraphs stay together across page breaks: each keeps with
    // the next, up to the quote's last one; headings are styled keep-next.
    let keeps: Vec<(String, bool)> = document
        .descendants("w:p")
        .into_iter()
        .map(|p| {
            let ppr = p.child("w:pPr").unwrap();
            let style = ppr.child("w:pStyle").unwrap().req("w:val").to_string();
            (style, ppr.child("w:keepNext").is_some())
        })
        .collect();
    for pair in keeps.windows(2) {
        let [(style, keep), (next, _)] = pair else {
            unreachable!()
        };
        let quote_continues = matches!(
            next.as_str(),
            "Attribution" | "OriginalLabel" | "OriginalText" | "AlsoTagged"
        );
        assert_eq!(*keep, quote_continues, "{style} before {next}");
    }
    assert!(keeps.iter().any(|(s, keep)| s == "OriginalLabel" && *keep));
    // Pages are numbered: the section's footer holds PAGE and NUMPAGES.
    let sect = document.descendants("w:sectPr")[0];
    let footer_ref = sect.child("w:footerReference").expect("a footer");
    let rid = footer_ref.req("r:id");
    assert!(doc_rels
        .children_named("Relationship")
        .iter()
        .any(|r| r.req("Id") == rid
            && r.req("Target") == "footer1.xml"
            && r.req("Type").ends_with("/footer")));
    assert!(overrides.contains(&"/word/footer1.xml"));
    let footer = parse_xml(entry(&entries, "word/footer1.xml"));
    let instructions: Vec<String> = footer
        .descendants("w:instrText")
        .iter()
        .map(|i| i.text().trim().to_string())
        .collect();
    assert_eq!(instructions, ["PAGE", "NUMPAGES"]);
    // Every quote's text appears exactly, line breaks included.
    for q in &p.quotes {
        assert!(paragraphs.iter().any(|(_, t)| t == &q.original));
        if let Some(t) = &q.translation {
            assert!(paragraphs.iter().any(|(_, x)| x == t));
        }
    }
    assert!(
        entry(&entries, "word/document.xml").contains("<w:br/>"),
        "line breaks are w:br"
    );
}

/// LibreOffice's command (`soffice`, or `libreoffice` on some systems).
fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|cmd| {
        std::process::Command::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Converts `docx` with LibreOffice headless into `to` ("pdf", "odt", ...)
/// in `dir`, with a private user profile so parallel runs do not collide.
fn libreoffice_convert(cmd: &str, dir: &std::path::Path, docx: &std::path::Path, to: &str) {
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    let out = std::process::Command::new(cmd)
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            to,
            "--outdir",
        ])
        .arg(dir)
        .arg(docx)
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn docx_opens_in_libreoffice_with_page_numbers_and_kept_labels() {
    let Some(cmd) = soffice() else {
        eprintln!("note: LibreOffice is not installed (apt-get install libreoffice-writer-nogui); skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quotes.docx");
    std::fs::write(&path, render(Format::Docx, &publication()).unwrap()).unwrap();
    libreoffice_convert(cmd, dir.path(), &path, "pdf");
    let pdf = std::fs::read(dir.path().join("quotes.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "LibreOffice wrote a PDF");
    libreoffice_convert(cmd, dir.path(), &path, "odt");
    let odt = std::fs::File::open(dir.path().join("quotes.odt")).unwrap();
    let mut odt = zip::ZipArchive::new(odt).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut odt.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let content = &part("content.xml");
    let styles = &part("styles.xml");
    // LibreOffice read the footer's fields as page number and page count.
    assert!(styles.contains("<text:page-number"), "PAGE field: {styles}");
    assert!(styles.contains("<text:page-count"), "NUMPAGES field");
    // ... and the keep-with-next of the quote's paragraphs.
    assert!(
        content.contains("fo:keep-with-next=\"always\"")
            || styles.contains("fo:keep-with-next=\"always\""),
        "keep with next"
    );
    for q in &publication().quotes {
        // ODF writes runs of spaces as <text:s/>: compare trimmed lines.
        for line in q.original.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let escaped = line
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&apos;");
            assert!(
                content.contains(line) || content.contains(&escaped),
                "{line:?} in LibreOffice's document"
            );
        }
    }
}

// ------------------------------------------------------------- every format

#[test]
fn every_format_is_deterministic_for_one_link_key() {
    let p = publication();
    for format in Format::ALL {
        let a = render_keyed(format, &p).unwrap();
        let b = render_keyed(format, &p.clone()).unwrap();
        assert!(!a.is_empty());
        assert!(a == b, "{format} differs between two renders");
        // Markdown and DOCX hold no identifiers, so no key changes them.
        if matches!(format, Format::Markdown | Format::Docx) {
            assert!(a == render(format, &p).unwrap(), "{format}");
        }
    }
}

#[test]
fn every_format_renders_an_empty_publication() {
    let p = Publication {
        title: TITLE.into(),
        created: CREATED.into(),
        ..Default::default()
    };
    for format in Format::ALL {
        assert!(!render(format, &p).unwrap().is_empty(), "{format}");
    }
    assert!(text(Format::Markdown, &p).contains("No quotes."));
    let csv = text(Format::Csv, &p);
    assert_eq!(
        csv,
        format!("\u{feff}{}\r\n", CSV_COLUMNS.join(",")),
        "header only"
    );
}

#[test]
fn bad_input_is_refused_with_one_line_messages() {
    let base = publication();
    let mut dup = base.clone();
    dup.quotes[1].excerpt_id = "E-ru-1".into();
    let mut empty_tag = base.clone();
    empty_tag.quotes[0].tags.push("  ".into());
    let mut bad_time = base.clone();
    bad_time.created = "2024-05-01 12:00".into();
    for format in Format::ALL {
        for (p, check) in [
            (&dup, "share the id"),
            (&empty_tag, "empty tag"),
            (&bad_time, "not a UTC time"),
        ] {
            let err = render(format, p).unwrap_err().to_string();
            assert!(err.contains(check), "{format}: {err}");
            assert!(!err.contains('\n'), "{format}: one line: {err}");
        }
    }
    // XML formats refuse characters XML cannot hold, naming the excerpt
    // but never quoting its text.
    let mut control = base.clone();
    control.quotes[2].attribution.push('\u{1}');
    for format in [Format::Docx, Format::Qdpx] {
        let Err(err) = render(format, &control) else {
            panic!("{format} accepted a control character");
        };
        assert!(
            matches!(err, ExportError::ControlCharacter { ref place, codepoint: 1, .. } if place == "excerpt E-en-1"),
            "{format}: {err}"
        );
        assert!(!err.to_string().contains("interlocutor"));
    }
    // The text formats carry it (JSON escapes it).
    let json = text(Format::Json, &control);
    assert!(json.contains("\\u0001"));
}

#[test]
fn format_names_parse() {
    for (name, format) in [
        ("md", Format::Markdown),
        ("csv", Format::Csv),
        ("json", Format::Json),
        ("docx", Format::Docx),
        ("qdpx", Format::Qdpx),
    ] {
        assert_eq!(name.parse::<Format>().unwrap(), format);
        assert_eq!(format.extension(), name);
    }
    let err = "pdf".parse::<Format>().unwrap_err().to_string();
    assert!(err.contains("md, csv, json, docx or qdpx"), "{err}");
}
