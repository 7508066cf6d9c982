//! Reading coded REFI-QDA projects back, for `codings import`.
//!
//! A researcher codes fieldvault's redacted transcripts in MAXQDA, NVivo,
//! ATLAS.ti or QualCoder and exports the project as `.qdpx`. [`read_qdpx`]
//! opens that archive, refuses anything that is not a REFI-QDA project
//! (not a zip, no `project.qde`, not valid against the schema, a source
//! without text, a coding of an undefined code), and returns every text
//! source with its plain text and its coded selections.
//!
//! Tools differ in what a position counts, so positions are normalised per
//! source: a position may count Unicode code points (QualCoder, the
//! standard) or UTF-16 code units (tools written in .NET or Qt), in a text
//! whose line endings are LF or CRLF (MAXQDA on Windows; QualCoder's
//! "MAXQDA line endings" option writes CRLF files but counts positions
//! without the CRs). For each source the reader tries the four readings and
//! keeps the one under which, in this order of weight, the most selection
//! names match the text they cover (QualCoder names a selection by its
//! text), the most selections land on character boundaries inside the text,
//! and the most selections start and end between words rather than inside
//! one; a tie goes to code points without CRs (the standard), or to UTF-16
//! for a project whose origin is NVivo or ATLAS.ti. The caller always gets character
//! (code point) offsets into the LF-only text, and is told which reading
//! was used. A selection that fits no reading is reported in
//! [`CodedProject::skipped`], never dropped silently.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use crate::refi_schema::{self, Element, SchemaProblem};
use crate::shown;

/// The largest `project.qde` or source text read from an archive (a zip
/// bomb stops here instead of filling memory).
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

/// What [`read_qdpx`] found in a coded project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedProject {
    /// `Project@name`.
    pub name: String,
    /// `Project@origin`: the program that wrote the file, when it says.
    pub origin: Option<String>,
    /// Every code of the code book, parents before children.
    pub codes: Vec<CodeInfo>,
    /// Every text source, in document order.
    pub sources: Vec<CodedSource>,
    /// What the reader could not turn into a coded selection, with why.
    pub skipped: Vec<Skipped>,
}

/// One code of the code book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeInfo {
    pub guid: String,
    /// The code's name with its parents', joined by `/`:
    /// `state pressure/police`.
    pub path: String,
    /// `isCodable`: false for a category that only groups codes.
    pub codable: bool,
}

/// One text source with its coded selections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedSource {
    pub guid: String,
    /// `TextSource@name` (empty when the tool gave none).
    pub name: String,
    /// The plain text, byte-order mark removed, every CRLF and lone CR
    /// turned into LF.
    pub text: String,
    /// `plainTextPath` as written, when the text came from a file.
    pub path: Option<String>,
    /// How the tool's positions were read.
    pub positions: PositionBasis,
    /// The coded selections, in document order.
    pub selections: Vec<CodedSelection>,
}

/// What a tool's `startPosition`/`endPosition` counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PositionBasis {
    pub units: PositionUnits,
    /// Whether the carriage return of each CRLF was counted as a position.
    pub carriage_returns_counted: bool,
}

/// The unit of a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PositionUnits {
    /// Unicode code points (characters), as the standard and QualCoder.
    CodePoints,
    /// UTF-16 code units: a character outside the Basic Multilingual Plane
    /// (an emoji) counts twice.
    Utf16,
}

/// One selection, in characters of the source's LF-only text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedSelection {
    pub guid: String,
    /// `PlainTextSelection@name`, when given (QualCoder: the covered text).
    pub name: Option<String>,
    /// Character offsets into [`CodedSource::text`], end exclusive.
    pub start: usize,
    pub end: usize,
    /// The paths ([`CodeInfo::path`]) of the codes it is coded with, each
    /// once, in the file's order. Empty for a selection that only carries a
    /// memo.
    pub codes: Vec<String>,
    /// The selection's description and the notes attached to it or to its
    /// codings, separated by blank lines.
    pub memo: Option<String>,
}

/// Something in the project that is not a coded text selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The GUID of the element concerned.
    pub guid: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A picture, PDF, audio or video source (the element name).
    NotATextSource(String),
    /// A `Coding` of a whole source (not of a selection) in this source.
    WholeSourceCoding { source: String },
    /// The selection's positions fit no reading of its source's text.
    OutOfRange {
        source: String,
        start: i64,
        end: i64,
    },
    /// The selection covers no character.
    Empty { source: String },
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::NotATextSource(kind) => write!(f, "a {} is not a text source", shown(kind)),
            SkipReason::WholeSourceCoding { source } => {
                write!(
                    f,
                    "codes the whole of source {}, not a selection",
                    shown(source)
                )
            }
            SkipReason::OutOfRange { source, start, end } => write!(
                f,
                "positions {start} to {end} do not fit the text of source {}",
                shown(source)
            ),
            SkipReason::Empty { source } => {
                write!(f, "covers no character of source {}", shown(source))
            }
        }
    }
}

/// Why a `.qdpx` could not be read. One line each; the file is named by
/// its parts and GUIDs, never by its text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("the file is not a REFI-QDA project: it is not a zip archive (.qdpx)")]
    NotZip,
    #[error("the archive holds no project.qde, so it is not a REFI-QDA project (.qdpx)")]
    NoProject,
    #[error("{} in the archive is larger than {} MiB; refusing to unpack it", shown(.entry), MAX_ENTRY_BYTES / (1024 * 1024))]
    TooLarge { entry: String },
    #[error("{} in the archive could not be unpacked (the archive is damaged)", shown(.entry))]
    Damaged { entry: String },
    #[error("project.qde is not UTF-8 text")]
    ProjectNotUtf8,
    #[error("project.qde is not well-formed XML ({})", shown(.0))]
    NotXml(String),
    #[error("project.qde does not follow the REFI-QDA schema at {}: {}", shown(.place), shown(.detail))]
    Invalid { place: String, detail: String },
    #[error("source {} has no text: its plainTextPath names no file in the archive and it holds no PlainTextContent", shown(.source_guid))]
    SourceTextMissing { source_guid: String },
    #[error("the text of source {} is neither UTF-8 nor UTF-16 with a byte-order mark", shown(.source_guid))]
    SourceNotText { source_guid: String },
    #[error("selection {} is coded with code {}, which the code book does not define", shown(.selection), shown(.code))]
    UnknownCode { selection: String, code: String },
    #[error("two {kind}s share the GUID {}; the project is ambiguous", shown(.guid))]
    DuplicateGuid { kind: &'static str, guid: String },
}

impl From<SchemaProblem> for ReadError {
    fn from(p: SchemaProblem) -> Self {
        match p {
            SchemaProblem::NotXml(d) => ReadError::NotXml(d),
            SchemaProblem::Invalid { place, detail } => ReadError::Invalid { place, detail },
        }
    }
}

/// Reads a coded REFI-QDA project from the bytes of a `.qdpx` archive.
/// Nothing is written anywhere.
pub fn read_qdpx(bytes: &[u8]) -> Result<CodedProject, ReadError> {
    let mut archive = Archive::open(bytes)?;
    let project = archive.project()?;
    let xml = std::str::from_utf8(&project).map_err(|_| ReadError::ProjectNotUtf8)?;
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let root = refi_schema::parse(xml)?;
    refi_schema::validate(&root)?;
    read_project(&root, &mut archive)
}

/// Checks `project.qde` text against the REFI-QDA schema, as
/// [`read_qdpx`] does before reading; for callers that have the XML alone
/// (and for checking fieldvault's own exports).
pub fn validate_project_xml(xml: &str) -> Result<(), ReadError> {
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let root = refi_schema::parse(xml)?;
    refi_schema::validate(&root)?;
    Ok(())
}

struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Entry names, as stored.
    names: Vec<String>,
}

impl<'a> Archive<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, ReadError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError::NotZip)?;
        let names = zip.file_names().map(str::to_string).collect();
        Ok(Archive { zip, names })
    }

    /// `project.qde` at the root, or inside a single top-level folder (an
    /// archive made by zipping the project folder itself).
    fn project(&mut self) -> Result<Vec<u8>, ReadError> {
        let at_root = self
            .names
            .iter()
            .find(|n| n.eq_ignore_ascii_case("project.qde"))
            .cloned();
        let nested: Vec<String> = self
            .names
            .iter()
            .filter(|n| {
                n.rsplit('/')
                    .next()
                    .is_some_and(|f| f.eq_ignore_ascii_case("project.qde"))
                    && n.matches('/').count() == 1
            })
            .cloned()
            .collect();
        let name = match (at_root, nested.as_slice()) {
            (Some(n), _) => n,
            (None, [only]) => only.clone(),
            _ => return Err(ReadError::NoProject),
        };
        self.read(&name)
    }

    fn read(&mut self, name: &str) -> Result<Vec<u8>, ReadError> {
        let damaged = || ReadError::Damaged {
            entry: name.to_string(),
        };
        let file = self.zip.by_name(name).map_err(|_| damaged())?;
        let mut data = Vec::new();
        file.take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut data)
            .map_err(|_| damaged())?;
        if data.len() as u64 > MAX_ENTRY_BYTES {
            return Err(ReadError::TooLarge {
                entry: name.to_string(),
            });
        }
        Ok(data)
    }

    /// The archive entry a `plainTextPath` (or a note's path) refers to:
    /// `internal://X` is `sources/X` (any letter case of the folder), then
    /// `X` itself, then any entry whose file name is X's; `relative://`
    /// and `absolute://` paths are looked up by file name, since an
    /// archive cannot hold absolute paths. Finally, an entry named after
    /// the source's GUID, for a tool that changed the path.
    fn find(&self, path: &str, guid: &str) -> Option<String> {
        let rest = ["internal://", "relative://", "absolute://", "file://"]
            .iter()
            .find_map(|scheme| {
                path.get(..scheme.len())
                    .filter(|p| p.eq_ignore_ascii_case(scheme))
                    .map(|_| &path[scheme.len()..])
            })
            .unwrap_or(path)
            .trim_start_matches('/')
            .replace('\\', "/");
        let file_name = rest.rsplit('/').next().unwrap_or(&rest).to_string();
        let lower = |s: &str| s.to_lowercase();
        let candidates = [format!("sources/{rest}"), rest.clone()];
        for c in &candidates {
            if let Some(n) = self.names.iter().find(|n| lower(n) == lower(c)) {
                return Some(n.clone());
            }
        }
        let by_file_name = |wanted: &str| -> Option<String> {
            let mut hits: Vec<&String> = self
                .names
                .iter()
                .filter(|n| {
                    !n.ends_with('/')
                        && n.rsplit('/')
                            .next()
                            .is_some_and(|f| lower(f) == lower(wanted))
                })
                .collect();
            hits.sort_by_key(|n| !lower(n).starts_with("sources/"));
            hits.first().map(|n| n.to_string())
        };
        if !file_name.is_empty() {
            if let Some(n) = by_file_name(&file_name) {
                return Some(n);
            }
        }
        by_file_name(&format!("{guid}.txt"))
    }
}

/// Decodes a source text file: UTF-8 (a byte-order mark is dropped), or
/// UTF-16 when it starts with a UTF-16 byte-order mark.
fn decode_text(data: &[u8]) -> Option<String> {
    let utf16 = |bytes: &[u8], little: bool| -> Option<String> {
        if !bytes.len().is_multiple_of(2) {
            return None;
        }
        let units = bytes.chunks_exact(2).map(|c| match c {
            [a, b] if little => u16::from_le_bytes([*a, *b]),
            [a, b] => u16::from_be_bytes([*a, *b]),
            _ => 0,
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok()
    };
    match data {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).ok(),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        _ => String::from_utf8(data.to_vec()).ok(),
    }
}

fn read_project(root: &Element, archive: &mut Archive<'_>) -> Result<CodedProject, ReadError> {
    let origin = root.attr("origin").map(str::to_string);
    let mut codes = Vec::new();
    let mut code_paths: HashMap<String, String> = HashMap::new();
    if let Some(book) = root.child("CodeBook").and_then(|b| b.child("Codes")) {
        for code in book.children_named("Code") {
            walk_codes(code, "", &mut codes, &mut code_paths)?;
        }
    }

    let mut notes: HashMap<String, &Element> = HashMap::new();
    if let Some(ns) = root.child("Notes") {
        for n in ns.children_named("Note") {
            if let Some(g) = n.attr("guid") {
                notes.insert(guid_key(g), n);
            }
        }
    }

    let mut sources = Vec::new();
    let mut skipped = Vec::new();
    let mut seen_sources = HashSet::new();
    let prefer_utf16 = origin.as_deref().is_some_and(|o| {
        let o = o.to_lowercase();
        o.contains("nvivo") || o.contains("atlas")
    });
    if let Some(list) = root.child("Sources") {
        for el in &list.children {
            let guid = el.attr("guid").unwrap_or_default().to_string();
            if el.name != "TextSource" {
                skipped.push(Skipped {
                    guid,
                    reason: SkipReason::NotATextSource(el.name.clone()),
                });
                continue;
            }
            if !seen_sources.insert(guid_key(&guid)) {
                return Err(ReadError::DuplicateGuid {
                    kind: "source",
                    guid,
                });
            }
            let source = read_source(el, archive, &notes, &code_paths, prefer_utf16, &mut skipped)?;
            sources.push(source);
        }
    }
    Ok(CodedProject {
        name: root.attr("name").unwrap_or_default().to_string(),
        origin,
        codes,
        sources,
        skipped,
    })
}

/// GUIDs compare without braces and letter case (`{ABC…}` = `abc…`).
fn guid_key(g: &str) -> String {
    g.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

fn walk_codes(
    code: &Element,
    parent: &str,
    out: &mut Vec<CodeInfo>,
    paths: &mut HashMap<String, String>,
) -> Result<(), ReadError> {
    let guid = code.attr("guid").unwrap_or_default().to_string();
    let name = code.attr("name").unwrap_or_default().trim();
    let name = if name.is_empty() {
        "unnamed code"
    } else {
        name
    };
    let path = if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}/{name}")
    };
    if paths.insert(guid_key(&guid), path.clone()).is_some() {
        return Err(ReadError::DuplicateGuid { kind: "code", guid });
    }
    out.push(CodeInfo {
        guid,
        path: path.clone(),
        codable: matches!(code.attr("isCodable").map(str::trim), Some("true" | "1")),
    });
    for child in code.children_named("Code") {
        walk_codes(child, &path, out, paths)?;
    }
    Ok(())
}

/// The text of a source or note: the file its `plainTextPath` names, or
/// its `PlainTextContent`.
fn text_of(
    el: &Element,
    archive: &mut Archive<'_>,
) -> Result<Option<(String, Option<String>)>, ReadError> {
    let guid = el.attr("guid").unwrap_or_default();
    if let Some(path) = el.attr("plainTextPath").filter(|p| !p.trim().is_empty()) {
        if let Some(entry) = archive
            .find(path.trim(), guid_key(guid).as_str())
            .or_else(|| {
                // GUID file names keep the tool's letter case.
                archive.find(path.trim(), guid)
            })
        {
            let data = archive.read(&entry)?;
            let text = decode_text(&data).ok_or_else(|| ReadError::SourceNotText {
                source_guid: guid.to_string(),
            })?;
            return Ok(Some((text, Some(path.to_string()))));
        }
    }
    Ok(el.child("PlainTextContent").map(|c| (c.text.clone(), None)))
}

fn read_source(
    el: &Element,
    archive: &mut Archive<'_>,
    notes: &HashMap<String, &Element>,
    code_paths: &HashMap<String, String>,
    prefer_utf16: bool,
    skipped: &mut Vec<Skipped>,
) -> Result<CodedSource, ReadError> {
    let guid = el.attr("guid").unwrap_or_default().to_string();
    let Some((raw, path)) = text_of(el, archive)? else {
        return Err(ReadError::SourceTextMissing { source_guid: guid });
    };
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(&raw).to_string();
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    for coding in el.children_named("Coding") {
        skipped.push(Skipped {
            guid: coding.attr("guid").unwrap_or_default().to_string(),
            reason: SkipReason::WholeSourceCoding {
                source: guid.clone(),
            },
        });
    }

    struct Raw<'e> {
        el: &'e Element,
        start: i64,
        end: i64,
    }
    let mut raws = Vec::new();
    for sel in el.children_named("PlainTextSelection") {
        // The schema guarantees integers; out-of-range ones fit no reading.
        let pos = |k: &str| -> i64 {
            sel.attr(k)
                .and_then(|v| v.trim().trim_start_matches('+').parse().ok())
                .unwrap_or(-1)
        };
        raws.push(Raw {
            el: sel,
            start: pos("startPosition"),
            end: pos("endPosition"),
        });
    }

    let readings = Readings::new(&raw);
    let mut order = [
        PositionBasis {
            units: PositionUnits::CodePoints,
            carriage_returns_counted: false,
        },
        PositionBasis {
            units: PositionUnits::Utf16,
            carriage_returns_counted: false,
        },
        PositionBasis {
            units: PositionUnits::CodePoints,
            carriage_returns_counted: true,
        },
        PositionBasis {
            units: PositionUnits::Utf16,
            carriage_returns_counted: true,
        },
    ];
    if prefer_utf16 {
        order.swap(0, 1);
        order.swap(2, 3);
    }
    let chars: Vec<char> = text.chars().collect();
    let span_text =
        |s: usize, e: usize| -> String { chars.get(s..e).unwrap_or_default().iter().collect() };
    // A coder selects words: a reading under which selections start and end
    // between words is more likely right than one that cuts words apart.
    let cuts_no_word = |s: usize, e: usize| -> bool {
        let word = |i: usize| chars.get(i).is_some_and(|c| c.is_alphanumeric());
        let clean = |i: usize| i == 0 || !word(i - 1) || !word(i);
        clean(s) && clean(e)
    };
    let mut best: Option<((usize, usize, usize, usize), PositionBasis)> = None;
    for (rank, basis) in order.iter().enumerate() {
        let (mut fits, mut named, mut whole_words) = (0usize, 0usize, 0usize);
        for r in &raws {
            if let (Some(s), Some(e)) = (readings.map(*basis, r.start), readings.map(*basis, r.end))
            {
                if s < e {
                    fits += 1;
                    if r.el
                        .attr("name")
                        .is_some_and(|n| name_matches(n, &span_text(s, e)))
                    {
                        named += 1;
                    }
                    if cuts_no_word(s, e) {
                        whole_words += 1;
                    }
                }
            }
        }
        let score = (named, fits, whole_words, order.len() - rank);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, *basis));
        }
    }
    let basis = best.map(|(_, b)| b).unwrap_or(PositionBasis {
        units: PositionUnits::CodePoints,
        carriage_returns_counted: false,
    });

    let mut selections = Vec::new();
    let mut seen = HashSet::new();
    for r in &raws {
        let sel_guid = r.el.attr("guid").unwrap_or_default().to_string();
        if !seen.insert(guid_key(&sel_guid)) {
            return Err(ReadError::DuplicateGuid {
                kind: "selection",
                guid: sel_guid,
            });
        }
        let (Some(start), Some(end)) = (readings.map(basis, r.start), readings.map(basis, r.end))
        else {
            skipped.push(Skipped {
                guid: sel_guid,
                reason: SkipReason::OutOfRange {
                    source: guid.clone(),
                    start: r.start,
                    end: r.end,
                },
            });
            continue;
        };
        if start >= end {
            skipped.push(Skipped {
                guid: sel_guid,
                reason: SkipReason::Empty {
                    source: guid.clone(),
                },
            });
            continue;
        }
        let mut codes: Vec<String> = Vec::new();
        let mut memo_parts: Vec<String> = Vec::new();
        if let Some(d) = r.el.child("Description") {
            push_memo(&mut memo_parts, &d.text);
        }
        let mut note_refs: Vec<&str> =
            r.el.children_named("NoteRef")
                .filter_map(|n| n.attr("targetGUID"))
                .collect();
        for coding in r.el.children_named("Coding") {
            let target = coding
                .child("CodeRef")
                .and_then(|c| c.attr("targetGUID"))
                .unwrap_or_default();
            let Some(path) = code_paths.get(&guid_key(target)) else {
                return Err(ReadError::UnknownCode {
                    selection: sel_guid,
                    code: target.to_string(),
                });
            };
            if !codes.contains(path) {
                codes.push(path.clone());
            }
            note_refs.extend(
                coding
                    .children_named("NoteRef")
                    .filter_map(|n| n.attr("targetGUID")),
            );
        }
        for target in note_refs {
            if let Some(note) = notes.get(&guid_key(target)) {
                if let Some((text, _)) = text_of(note, archive)? {
                    push_memo(&mut memo_parts, &text);
                } else if let Some(d) = note.child("Description") {
                    push_memo(&mut memo_parts, &d.text);
                }
            }
        }
        selections.push(CodedSelection {
            guid: sel_guid,
            name: r.el.attr("name").map(str::to_string),
            start,
            end,
            codes,
            memo: (!memo_parts.is_empty()).then(|| memo_parts.join("\n\n")),
        });
    }
    Ok(CodedSource {
        guid,
        name: el.attr("name").unwrap_or_default().to_string(),
        text,
        path,
        positions: basis,
        selections,
    })
}

fn push_memo(parts: &mut Vec<String>, text: &str) {
    let t = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let t = t.trim();
    if !t.is_empty() && !parts.iter().any(|p| p == t) {
        parts.push(t.to_string());
    }
}

/// Whether a selection's name is (the start of) the text it covers, white
/// space compared loosely and a trailing ellipsis ignored.
fn name_matches(name: &str, covered: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = squash(name);
    let name = name
        .trim_end_matches('…')
        .trim_end_matches("...")
        .trim_end();
    !name.is_empty() && squash(covered).starts_with(name)
}

/// The four ways of reading a position in one source text, as tables from
/// a tool's position to a character offset in the LF-only text (`None`
/// inside a UTF-16 surrogate pair).
struct Readings {
    /// `NONE` marks a position inside a surrogate pair; u32 keeps four
    /// tables of a long transcript small (texts are capped at 64 MiB).
    tables: [Vec<u32>; 4],
}

const NONE: u32 = u32::MAX;

impl Readings {
    fn index(basis: PositionBasis) -> usize {
        match (basis.units, basis.carriage_returns_counted) {
            (PositionUnits::CodePoints, false) => 0,
            (PositionUnits::Utf16, false) => 1,
            (PositionUnits::CodePoints, true) => 2,
            (PositionUnits::Utf16, true) => 3,
        }
    }

    fn new(raw: &str) -> Self {
        let mut tables: [Vec<u32>; 4] = Default::default();
        let mut at = [0usize; 4];
        let mut lf = 0usize;
        let mut chars = raw.chars().peekable();
        let record = |tables: &mut [Vec<u32>; 4], at: &[usize; 4], lf: usize| {
            let lf = u32::try_from(lf).unwrap_or(NONE);
            for (t, &pos) in tables.iter_mut().zip(at.iter()) {
                if t.len() <= pos {
                    t.resize(pos + 1, NONE);
                }
                if let Some(slot) = t.get_mut(pos) {
                    if *slot == NONE {
                        *slot = lf;
                    }
                }
            }
        };
        while let Some(c) = chars.next() {
            record(&mut tables, &at, lf);
            let crlf = c == '\r' && chars.peek() == Some(&'\n');
            let u16s = c.len_utf16();
            // LF readings skip the CR of a CRLF; CRLF readings count it, and
            // a position between CR and LF means the line end itself.
            if !crlf {
                at[0] += 1;
                at[1] += u16s;
            }
            at[2] += 1;
            at[3] += u16s;
            if !crlf {
                lf += 1;
            }
        }
        record(&mut tables, &at, lf);
        Readings { tables }
    }

    fn map(&self, basis: PositionBasis, pos: i64) -> Option<usize> {
        let pos = usize::try_from(pos).ok()?;
        self.tables
            .get(Self::index(basis))
            .and_then(|t| t.get(pos))
            .copied()
            .filter(|v| *v != NONE)
            .and_then(|v| usize::try_from(v).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basis(units: PositionUnits, crs: bool) -> PositionBasis {
        PositionBasis {
            units,
            carriage_returns_counted: crs,
        }
    }

    #[test]
    fn readings_map_every_convention_onto_lf_characters() {
        // "a😀\r\nб": LF text "a😀\nб" has characters a=0 😀=1 \n=2 б=3.
        let r = Readings::new("a\u{1F600}\r\nб");
        let cp = basis(PositionUnits::CodePoints, false);
        let u16 = basis(PositionUnits::Utf16, false);
        let cp_cr = basis(PositionUnits::CodePoints, true);
        let u16_cr = basis(PositionUnits::Utf16, true);
        assert_eq!(r.map(cp, 3), Some(3));
        assert_eq!(r.map(cp, 4), Some(4));
        assert_eq!(r.map(cp, 5), None);
        assert_eq!(r.map(u16, 2), None, "inside the surrogate pair");
        assert_eq!(r.map(u16, 4), Some(3));
        assert_eq!(r.map(cp_cr, 4), Some(3));
        assert_eq!(r.map(cp_cr, 3), Some(2), "between CR and LF");
        assert_eq!(r.map(u16_cr, 5), Some(3));
        assert_eq!(r.map(u16_cr, 6), Some(4));
        assert_eq!(r.map(cp, -1), None);
    }

    #[test]
    fn names_match_loosely() {
        assert!(name_matches("We  fight\nfor", "We fight for rights"));
        assert!(name_matches("We fight…", "We fight for rights"));
        assert!(!name_matches("", "x"));
        assert!(!name_matches("rights", "We fight for rights"));
    }

    #[test]
    fn text_files_decode_from_utf8_and_utf16() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc").as_deref(), Some("abc"));
        assert_eq!(
            decode_text(&[0xFF, 0xFE, b'a', 0, 0x31, 0x04]).as_deref(),
            Some("aб")
        );
        assert_eq!(decode_text(&[0xFE, 0xFF, 0, b'a']).as_deref(), Some("a"));
        assert_eq!(decode_text(b"\xFF\xFF"), None);
    }
}
