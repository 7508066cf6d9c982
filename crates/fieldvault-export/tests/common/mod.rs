//! Shared fixture and helpers for the writer tests.
#![allow(dead_code)]

use std::io::{Cursor, Read};

use fieldvault_export::{
    render_with, Case, ExportError, Format, LinkKey, Publication, Quote, RenderOptions, Source,
};

/// The link key the tests render with, so that identifiers are predictable.
pub fn key() -> LinkKey {
    LinkKey::from_bytes([42; 32])
}

/// `render_with` the default layout and the tests' [`key`].
pub fn render_keyed(format: Format, p: &Publication) -> Result<Vec<u8>, ExportError> {
    render_with(format, p, &RenderOptions::default(), &key())
}

/// The excerpt id an export keyed with [`key`] writes for `q`.
pub fn written_excerpt_id(q: &Quote) -> String {
    let prefix = if q.pseudonym.is_some() {
        "quote"
    } else {
        "anonymous"
    };
    key().token(prefix, "excerpt", &q.excerpt_id)
}

/// The transcript id an export keyed with [`key`] writes for `q`.
pub fn written_transcript_id(q: &Quote) -> String {
    if q.transcript_id.is_empty() {
        String::new()
    } else {
        key().token("interview", "transcript", &q.transcript_id)
    }
}

pub const TITLE: &str = "fieldvault quote set";
pub const CREATED: &str = "2024-05-01T12:00:00Z";

/// Strings that must never appear in any output: internal case and source
/// ids, an unquoted case, an unreferenced source.
pub const NEVER: &[&str] = &["INTERNAL", "UNUSED-SOURCE", "UNQUOTED", "Respondent 99"];

/// Strings that only the QDPX (which ships the redacted transcripts) may
/// contain: the interviewer's turns around the quotes, case attributes.
pub const TRANSCRIPT_ONLY: &[&str] = &["INTERVIEWER-CONTEXT", "REGION-SOUTH", "REGION-NORTH"];

pub const RU_1: &str = "# Мы *боремся* за [права] <людей> & \"свободу\" 'слова'.\nНас = +много, - @всех, и мы не сдадимся.";
pub const RU_1_EN: &str = "# We *fight* for [rights] <people> & \"freedom\" of 'speech'.\nWe are = +many, - @all, and we will not give up.";
pub const KK_1: &str = "Біз қазақ тілінде сөйлейміз: ә ғ қ ң ө ұ ү і һ — @бәріміз \"бірге\" & <ашық>.\n+7 дегеннен басталатын нөмір [жасырылған].";
pub const KK_1_EN: &str = "We speak Kazakh: ә ғ қ ң ө ұ ү і һ — @all of us \"together\" & <open>.\nA number starting with +7 [redacted].";
pub const EN_1: &str = "-We were told: \"don't * talk\" & <stay> quiet.\n'Nobody' came = nothing changed; [REDACTED] left @ night.";
pub const RU_2: &str = "=СУММ(А1:А9) — так нам «считали» бюджет.\n- Никто не отвечал.\n1. Первое: давление.\n> цитата\n    отступ\n\n===\n<script>alert('x')</script> [ссылка](http://example.org) ![img](x.png) `код` | a | b |\n~~зачёркнуто~~ $x^2$ _курсив_ **жирный** \\конец\\\n---";

pub const NOTE_1: &str = "Said quietly; <check> & confirm = later";
pub const NOTE_EN: &str = "=cmd|' /C calc'!A0";

/// Builds a source text piece by piece and records character offsets.
struct Builder {
    text: String,
}

impl Builder {
    fn new() -> Self {
        Builder {
            text: String::new(),
        }
    }
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }
    /// Appends `s` and returns its (start, end) in characters.
    fn mark(&mut self, s: &str) -> (usize, usize) {
        let start = self.text.chars().count();
        self.text.push_str(s);
        (start, self.text.chars().count())
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Russian, Kazakh and English quotes, several tags, an anonymous quote, a
/// quote without translation, Markdown/CSV/XML metacharacters and line
/// breaks everywhere, plus a case and a source nothing refers to.
pub fn publication() -> Publication {
    let mut ru = Builder::new();
    ru.push("И: Расскажите, пожалуйста, о работе организации. INTERVIEWER-CONTEXT-RU\n");
    let ru1 = ru.mark(RU_1);
    ru.push("\nИ: Спасибо. Что было дальше?\n");
    let ru2 = ru.mark(RU_2);
    ru.push("\nИ: Понятно.\n");

    let mut ru_en = Builder::new();
    ru_en.push("I: Please tell me about the organisation's work. INTERVIEWER-CONTEXT-RU-EN\n");
    ru_en.push(RU_1_EN);
    ru_en.push("\nI: Thank you. What happened next?\n");

    let mut kk = Builder::new();
    kk.push("С: Әңгімеңізді бастаңыз, өтінемін. INTERVIEWER-CONTEXT-KK\n");
    let kk1 = kk.mark(KK_1);
    kk.push("\nС: Рақмет.\n");

    let mut en = Builder::new();
    en.push("Q: Tell me more. INTERVIEWER-CONTEXT-EN\n");
    let en1 = en.mark(EN_1);
    en.push("\nQ: Thanks.\n");

    let attribution_26 =
        "Respondent 26, representative of a CSO pursuing political activities, interview quote";
    Publication {
        title: TITLE.to_string(),
        created: CREATED.to_string(),
        quotes: vec![
            Quote {
                excerpt_id: "E-ru-1".into(),
                transcript_id: "T-ru".into(),
                source_id: "src-INTERNAL-ru".into(),
                case_id: Some("case-INTERNAL-26".into()),
                attribution: attribution_26.into(),
                pseudonym: Some("Respondent 26".into()),
                descriptor: Some("representative of a CSO pursuing political activities".into()),
                tags: strings(&["state pressure", "funding"]),
                note: Some(NOTE_1.into()),
                language: "ru".into(),
                language_name: "Russian".into(),
                original: RU_1.into(),
                translation: Some(RU_1_EN.into()),
                lines: (2, 3),
                interview_date: "2021-05-20".into(),
                source_start: ru1.0,
                source_end: ru1.1,
            },
            Quote {
                excerpt_id: "E-kk-1".into(),
                transcript_id: "T-kk".into(),
                source_id: "src-INTERNAL-kk".into(),
                case_id: Some("case-INTERNAL-7".into()),
                attribution:
                    "Respondent 7, journalist at a Kazakh-language outlet, interview quote".into(),
                pseudonym: Some("Respondent 7".into()),
                descriptor: Some("journalist at a Kazakh-language outlet".into()),
                tags: strings(&["language & identity"]),
                note: None,
                language: "kk".into(),
                language_name: "Kazakh".into(),
                original: KK_1.into(),
                translation: Some(KK_1_EN.into()),
                lines: (2, 3),
                interview_date: "2022-03-14".into(),
                source_start: kk1.0,
                source_end: kk1.1,
            },
            Quote {
                excerpt_id: "E-en-1".into(),
                transcript_id: "T-en".into(),
                source_id: "src-INTERNAL-en".into(),
                case_id: None,
                attribution: "an interlocutor, interview quote".into(),
                pseudonym: None,
                descriptor: None,
                tags: strings(&["funding", "state pressure"]),
                note: Some(NOTE_EN.into()),
                language: "en".into(),
                language_name: "English".into(),
                original: EN_1.into(),
                translation: None,
                lines: (2, 3),
                interview_date: "2022-09-01".into(),
                source_start: en1.0,
                source_end: en1.1,
            },
            Quote {
                excerpt_id: "E-ru-2".into(),
                transcript_id: "T-ru".into(),
                source_id: "src-INTERNAL-ru".into(),
                case_id: Some("case-INTERNAL-26".into()),
                attribution: attribution_26.into(),
                pseudonym: Some("Respondent 26".into()),
                descriptor: Some("representative of a CSO pursuing political activities".into()),
                tags: vec![],
                note: None,
                language: "ru".into(),
                language_name: "Russian".into(),
                original: RU_2.into(),
                translation: None,
                lines: (5, 14),
                interview_date: "2021-05-20".into(),
                source_start: ru2.0,
                source_end: ru2.1,
            },
        ],
        sources: vec![
            Source {
                id: "src-INTERNAL-ru".into(),
                name: "Interview 3 (ru, 2021-05-20)".into(),
                text: ru.text,
                language: "ru".into(),
                translation_of: None,
            },
            Source {
                id: "src-UNUSED-SOURCE-INTERNAL".into(),
                name: "Interview 99 UNUSED-SOURCE-NAME".into(),
                text: "UNUSED-SOURCE-TEXT: a transcript no quote points into.\n".into(),
                language: "ru".into(),
                translation_of: None,
            },
            Source {
                id: "src-INTERNAL-ru-en".into(),
                name: "Interview 3 (en translation)".into(),
                text: ru_en.text,
                language: "en".into(),
                translation_of: Some("src-INTERNAL-ru".into()),
            },
            Source {
                id: "src-INTERNAL-kk".into(),
                name: "Interview 5 (kk, 2022-03-14)".into(),
                text: kk.text,
                language: "kk".into(),
                translation_of: None,
            },
            Source {
                id: "src-INTERNAL-en".into(),
                name: "Interview 8 (en, 2022-09-01)".into(),
                text: en.text,
                language: "en".into(),
                translation_of: None,
            },
        ],
        cases: vec![
            Case {
                id: "case-INTERNAL-99".into(),
                pseudonym: "Respondent 99 UNQUOTED-CASE".into(),
                descriptor: Some("UNQUOTED-DESCRIPTOR".into()),
                attributes: vec![("UNQUOTED-ATTRIBUTE".into(), "UNQUOTED-VALUE".into())],
            },
            Case {
                id: "case-INTERNAL-26".into(),
                pseudonym: "Respondent 26".into(),
                descriptor: Some("representative of a CSO pursuing political activities".into()),
                attributes: vec![
                    ("region".into(), "REGION-SOUTH".into()),
                    ("sector".into(), "civil society & <rights> = \"yes\"".into()),
                ],
            },
            Case {
                id: "case-INTERNAL-7".into(),
                pseudonym: "Respondent 7".into(),
                descriptor: Some("journalist at a Kazakh-language outlet".into()),
                attributes: vec![("region".into(), "REGION-NORTH".into())],
            },
        ],
    }
}

/// The part of `s` between character offsets `start..end`.
pub fn char_slice(s: &str, start: usize, end: usize) -> String {
    s.chars().skip(start).take(end - start).collect()
}

/// Every entry of a zip archive: (name, bytes), in archive order; also
/// checks the fixed timestamp.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("zip entry");
        let modified = f.last_modified().expect("a timestamp");
        assert_eq!(
            (modified.year(), modified.month(), modified.day()),
            (1980, 1, 1),
            "zip entries carry a fixed timestamp"
        );
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("readable entry");
        out.push((f.name().to_string(), data));
    }
    out
}

pub fn entry<'a>(entries: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let (_, data) = entries
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("zip entry {name} missing"));
    std::str::from_utf8(data).expect("UTF-8 entry")
}

/// Asserts that none of `needles` occurs in `haystack`.
pub fn assert_absent(haystack: &str, needles: &[&str], what: &str) {
    for n in needles {
        assert!(!haystack.contains(n), "{what} leaks {n:?}");
    }
}

/// A parsed XML element.
#[derive(Debug, Clone)]
pub struct El {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone)]
pub enum Node {
    El(El),
    Text(String),
}

impl El {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn req(&self, key: &str) -> &str {
        self.attr(key)
            .unwrap_or_else(|| panic!("<{}> lacks {key}", self.name))
    }

    /// Child elements.
    pub fn elements(&self) -> Vec<&El> {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::El(e) => Some(e),
                Node::Text(_) => None,
            })
            .collect()
    }

    pub fn child_names(&self) -> Vec<&str> {
        self.elements().iter().map(|e| e.name.as_str()).collect()
    }

    pub fn children_named(&self, name: &str) -> Vec<&El> {
        self.elements()
            .into_iter()
            .filter(|e| e.name == name)
            .collect()
    }

    pub fn child(&self, name: &str) -> Option<&El> {
        self.elements().into_iter().find(|e| e.name == name)
    }

    /// Every descendant element (depth first, document order) named `name`.
    pub fn descendants(&self, name: &str) -> Vec<&El> {
        let mut out = Vec::new();
        fn walk<'a>(e: &'a El, name: &str, out: &mut Vec<&'a El>) {
            for c in e.elements() {
                if c.name == name {
                    out.push(c);
                }
                walk(c, name, out);
            }
        }
        walk(self, name, &mut out);
        out
    }

    /// Every descendant element.
    pub fn all(&self) -> Vec<&El> {
        let mut out = Vec::new();
        fn walk<'a>(e: &'a El, out: &mut Vec<&'a El>) {
            for c in e.elements() {
                out.push(c);
                walk(c, out);
            }
        }
        walk(self, &mut out);
        out
    }

    /// The concatenated text content.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            match c {
                Node::Text(t) => s.push_str(t),
                Node::El(e) => s.push_str(&e.text()),
            }
        }
        s
    }
}

/// Parses a whole XML document with quick-xml (fails on malformed XML).
pub fn parse_xml(doc: &str) -> El {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(doc);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<El> = Vec::new();
    let mut root: Option<El> = None;
    let element = |e: &quick_xml::events::BytesStart<'_>| El {
        name: String::from_utf8(e.name().as_ref().to_vec()).expect("UTF-8 name"),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).expect("UTF-8 key"),
                    a.unescape_value().expect("escaped value").into_owned(),
                )
            })
            .collect(),
        children: Vec::new(),
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let el = element(&e);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::El(el)),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack.pop().expect("balanced");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::El(el)),
                    None => {
                        assert!(root.is_none(), "one root element");
                        root = Some(el)
                    }
                }
            }
            Event::Text(t) => {
                let text = t.unescape().expect("escaped text").into_owned();
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Node::Text(text));
                } else {
                    assert!(text.trim().is_empty(), "text outside the root");
                }
            }
            Event::CData(c) => {
                let text = String::from_utf8(c.into_inner().to_vec()).expect("UTF-8");
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Node::Text(text));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    root.expect("a root element")
}
