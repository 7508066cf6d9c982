//! fieldvault's publication writers.
//!
//! This crate turns an already consent-checked, redacted and leak-checked
//! [`Publication`] into bytes in one of five formats ([`Format`]): Markdown,
//! CSV, JSON, DOCX and REFI-QDA (`.qdpx`). It does no consent or redaction
//! work itself; it only writes what it is given, and it is careful to write
//! nothing more:
//!
//! * no format carries case ids or source ids (the vault's internal ids);
//! * cases no quote belongs to, and sources no quote points into, are left
//!   out (QDPX also keeps the translation of a source a quote points into);
//! * Markdown, CSV, JSON and DOCX carry only the excerpts, never the full
//!   transcripts.
//!
//! Nothing links two exports: every identifier written (REFI-QDA GUIDs,
//! the excerpt and transcript ids of CSV and JSON) is keyed with a
//! [`LinkKey`] drawn afresh for each export (see the `link` module).
//! Given the same key, every writer is deterministic: the same
//! [`Publication`] gives the same bytes (zip entries carry a fixed
//! 1980-01-01 timestamp). The formats are documented in `docs/export-formats.md` beside
//! this crate's `Cargo.toml`.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo
    )
)]

mod codings;
mod csv_out;
mod deposit;
mod docx;
mod excerpts;
mod json;
mod link;
mod markdown;
mod qdpx;
mod qdpx_read;
mod refi_schema;
mod text;
mod transcripts;
mod xml;
mod zipper;

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

pub use codings::{anchor, find_source, turns_covered, ExportedSource, MatchedBy, TurnSpan};
pub use csv_out::{COLUMNS as CSV_COLUMNS, UTF8_BOM};
pub use deposit::{
    methods_paragraph, render_deposit, AnonymisationLog, Deposit, DepositInterview, DepositPerson,
    DepositTranslation, CONSENT_COLUMNS, DATA_LIST_COLUMNS,
};
pub use excerpts::{excerpts_only, OMISSION};
pub use link::LinkKey;
pub use qdpx::DESCRIPTOR_VARIABLE;
pub use qdpx_read::{
    read_qdpx, validate_project_xml, CodeInfo, CodedProject, CodedSelection, CodedSource,
    PositionBasis, PositionUnits, ReadError, SkipReason, Skipped, MAX_ENTRY_BYTES,
};
pub use transcripts::{render_transcripts, CodingExcerpt, CodingSet, CodingSource};

/// The version number written into the JSON output (`format_version`).
pub const JSON_FORMAT_VERSION: u32 = 1;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Markdown, the "quote / attribution / original" layout.
    Markdown,
    /// CSV (RFC 4180), one row per quote, spreadsheet-formula safe.
    Csv,
    /// JSON, one object with a `quotes` array.
    Json,
    /// A Word document (Office Open XML).
    Docx,
    /// A REFI-QDA project exchange file for MAXQDA, NVivo, ATLAS.ti, QualCoder.
    Qdpx,
}

impl Format {
    /// Every format, in the order the CLI lists them.
    pub const ALL: [Format; 5] = [
        Format::Markdown,
        Format::Csv,
        Format::Json,
        Format::Docx,
        Format::Qdpx,
    ];

    /// The usual file extension, without the dot: `md`, `csv`, `json`,
    /// `docx`, `qdpx`. It is also the name [`FromStr`] accepts.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Docx => "docx",
            Format::Qdpx => "qdpx",
        }
    }

    /// The media (MIME) type of the output.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Qdpx => "application/zip",
        }
    }

    /// Whether the output carries each case's attributes (QDPX Variables)
    /// besides the descriptor, so the re-identification check must count
    /// them too.
    pub fn publishes_attributes(self) -> bool {
        matches!(self, Format::Qdpx)
    }

    /// Whether the output is a zip archive (DOCX, QDPX) rather than text.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Docx | Format::Qdpx)
    }

    /// A human name for messages: "Markdown", "CSV", "Word (DOCX)"...
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "Markdown",
            Format::Csv => "CSV",
            Format::Json => "JSON",
            Format::Docx => "Word (DOCX)",
            Format::Qdpx => "REFI-QDA (QDPX)",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = ExportError;

    /// Accepts `md`, `csv`, `json`, `docx`, `qdpx` (any letter case, an
    /// optional leading dot) and `markdown`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        let name = name.strip_prefix('.').unwrap_or(name).to_ascii_lowercase();
        match name.as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "docx" => Ok(Format::Docx),
            "qdpx" => Ok(Format::Qdpx),
            _ => Err(ExportError::UnknownFormat(s.to_string())),
        }
    }
}

/// A quote set ready to publish: consent-checked, redacted, leak-checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Publication {
    /// Title, e.g. "fieldvault quote set".
    pub title: String,
    /// RFC 3339 UTC time of the export, e.g. `2024-05-01T12:00:00Z`,
    /// supplied by the caller so that output is reproducible.
    pub created: String,
    /// The quotes, in the order they should appear.
    pub quotes: Vec<Quote>,
    /// Redacted full transcripts the quotes point into (used by QDPX only).
    pub sources: Vec<Source>,
    /// One per quoted person, by pseudonym (used by QDPX only; the other
    /// formats take pseudonym and descriptor from the quote).
    pub cases: Vec<Case>,
}

/// One excerpt, already consent-checked and redacted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quote {
    pub excerpt_id: String,
    pub transcript_id: String,
    /// The [`Source`] this excerpt was cut from (QDPX only; never written).
    pub source_id: String,
    /// The [`Case`] of the speaker; `None` when attribution is anonymous.
    /// Never written; QDPX uses it to link the case.
    pub case_id: Option<String>,
    /// The full attribution line, e.g. "Respondent 26, representative of a
    /// CSO pursuing political activities, interview quote".
    pub attribution: String,
    pub pseudonym: Option<String>,
    pub descriptor: Option<String>,
    pub tags: Vec<String>,
    pub note: Option<String>,
    /// ISO code of the original language: "ru", "kk", "en".
    pub language: String,
    /// English name of the original language: "Russian", "Kazakh".
    pub language_name: String,
    /// Redacted original text (turns joined with "\n").
    pub original: String,
    /// Redacted English translation, if any.
    pub translation: Option<String>,
    /// First and last turn number in the transcript.
    pub lines: (u32, u32),
    /// YYYY-MM-DD.
    pub interview_date: String,
    /// Character offsets (Unicode scalar values) of the excerpt within
    /// `Source.text`, end exclusive.
    pub source_start: usize,
    pub source_end: usize,
}

/// A redacted full transcript (QDPX only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    /// e.g. "Interview 3 (ru, 2021-05-20)".
    pub name: String,
    /// Redacted text, LF line endings only.
    pub text: String,
    pub language: String,
    /// A translation source points at its original's id.
    pub translation_of: Option<String>,
}

/// A quoted person, by pseudonym (QDPX only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Case {
    /// Internal id; never written (QDPX derives a GUID from it).
    pub id: String,
    pub pseudonym: String,
    pub descriptor: Option<String>,
    /// (name, value) pairs, e.g. ("region", "South").
    pub attributes: Vec<(String, String)>,
}

/// Why an export could not be written. Every message is one line, names
/// excerpts, sources and cases only by id, and never quotes their text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    #[error("unknown export format \"{}\": choose md, csv, json, docx or qdpx", shown(.0))]
    UnknownFormat(String),
    #[error("the export time \"{}\" is not a UTC time in the form 2024-05-01T12:00:00Z", shown(.0))]
    BadTimestamp(String),
    #[error("two {kind}s share the id \"{}\"; each may appear only once in an export", shown(.id))]
    DuplicateId { kind: &'static str, id: String },
    #[error("excerpt {} has an empty tag", shown(.excerpt))]
    EmptyTag { excerpt: String },
    #[error("a tag of excerpt {} contains \";\", which the CSV tags column uses to separate tags", shown(.excerpt))]
    SemicolonInTag { excerpt: String },
    #[error("{} contains the invisible control character U+{codepoint:04X}, which {format} files cannot hold; remove it and export again", shown(.place))]
    ControlCharacter {
        place: String,
        codepoint: u32,
        format: &'static str,
    },
    #[error("excerpt {} points into transcript source {}, which was not handed to the exporter", shown(.excerpt), shown(.source_id))]
    MissingSource { excerpt: String, source_id: String },
    #[error("excerpt {} belongs to case {}, which was not handed to the exporter", shown(.excerpt), shown(.case))]
    MissingCase { excerpt: String, case: String },
    #[error("excerpt {} claims characters {start} to {end} of source {}, which has {len} characters; the range must be non-empty and inside the source", shown(.excerpt), shown(.source_id))]
    BadOffsets {
        excerpt: String,
        source_id: String,
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("a deposit needs at least one interview; none was handed over")]
    EmptyDeposit,
    #[error("{} has the date \"{}\"; a deposit gives month and year only, as 2021-05", shown(.interview), shown(.month))]
    BadMonth { interview: String, month: String },
    #[error("transcript source {} names the speaker case {}, which was not handed to the exporter", shown(.source_id), shown(.case))]
    MissingSpeaker { source_id: String, case: String },
    #[error("source {} contains Windows line endings (carriage returns); sources must use plain line feeds so that quote positions line up", shown(.source_id))]
    CarriageReturn { source_id: String },
    #[error("case {} has two values for the attribute \"{}\"", shown(.case), shown(.name))]
    DuplicateAttribute { case: String, name: String },
    #[error("case {} has an attribute named \"{}\", which clashes with the built-in descriptor variable", shown(.case), shown(.name))]
    ReservedAttribute { case: String, name: String },
    #[error("the operating system gave no random numbers for the export's identifiers; nothing was written")]
    NoRandomness,
    #[error("could not assemble the {format} file: {}", shown(.detail))]
    Assemble {
        format: &'static str,
        detail: String,
    },
}

/// An id or name as shown in an error message: one line, no control or
/// bidirectional-override characters (they are written as `\u{..}`), at
/// most 80 characters.
fn shown(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 80 {
            out.push('…');
            break;
        }
        let invisible = c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
        if invisible {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Layout choices of the writers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Markdown and DOCX: one section per tag, so that a quote with several
    /// tags is printed under each of them. Off by default: a quote is
    /// printed once, under its first tag, with its other tags named, so
    /// that a reader counting quotes counts each once.
    pub by_tag: bool,
}

/// Render `publication` in `format` with the default layout and a fresh
/// random [`LinkKey`], so that no identifier in the output matches any
/// other export. Nothing is written anywhere; the caller writes the bytes.
pub fn render(format: Format, publication: &Publication) -> Result<Vec<u8>, ExportError> {
    render_with(
        format,
        publication,
        &RenderOptions::default(),
        &LinkKey::random()?,
    )
}

/// Render `publication` in `format` with `options`, keying every written
/// identifier with `key`. Deterministic: the same input and key give the
/// same bytes.
pub fn render_with(
    format: Format,
    publication: &Publication,
    options: &RenderOptions,
    key: &LinkKey,
) -> Result<Vec<u8>, ExportError> {
    validate_common(publication)?;
    match format {
        Format::Markdown => Ok(markdown::render(publication, options).into_bytes()),
        Format::Csv => csv_out::render(publication, key),
        Format::Json => json::render(publication, key),
        Format::Docx => docx::render(publication, options),
        Format::Qdpx => qdpx::render(publication, key),
    }
}

/// Checks every format needs: a well-formed timestamp, unique excerpt ids,
/// no empty tags.
fn validate_common(p: &Publication) -> Result<(), ExportError> {
    if !text::is_xsd_utc_datetime(&p.created) {
        return Err(ExportError::BadTimestamp(p.created.clone()));
    }
    let mut seen = HashSet::new();
    for q in &p.quotes {
        if !seen.insert(q.excerpt_id.as_str()) {
            return Err(ExportError::DuplicateId {
                kind: "excerpt",
                id: q.excerpt_id.clone(),
            });
        }
        if q.tags.iter().any(|t| t.trim().is_empty()) {
            return Err(ExportError::EmptyTag {
                excerpt: q.excerpt_id.clone(),
            });
        }
    }
    Ok(())
}

/// The distinct tags of a quote, in the quote's order.
pub(crate) fn distinct_tags(q: &Quote) -> Vec<&str> {
    let mut seen = HashSet::new();
    q.tags
        .iter()
        .map(String::as_str)
        .filter(|t| seen.insert(*t))
        .collect()
}

/// Every tag used in the publication, sorted (by Unicode code point) and
/// without duplicates.
pub(crate) fn all_tags(p: &Publication) -> Vec<&str> {
    let mut tags: Vec<&str> = p
        .quotes
        .iter()
        .flat_map(|q| q.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    tags
}

/// The heading under which quotes are listed when they have no tag.
pub(crate) const UNTAGGED: &str = "Untagged";

/// The sections of the Markdown and DOCX layouts: one per tag, sorted by
/// Unicode code point, then [`UNTAGGED`] for quotes without tags (a tag
/// literally named "Untagged" is merged into it). By default a quote is
/// listed once, under its first tag (in the quote's own order); with
/// `by_tag` it is listed under every tag it carries. Quotes keep input order
/// within a section; sections without quotes are left out.
pub(crate) fn sections(p: &Publication, by_tag: bool) -> Vec<(&str, Vec<&Quote>)> {
    let belongs = |q: &Quote, tag: &str| -> bool {
        if by_tag {
            q.tags.iter().any(|t| t == tag)
        } else {
            q.tags.first().is_some_and(|t| t == tag)
        }
    };
    let mut out: Vec<(&str, Vec<&Quote>)> = all_tags(p)
        .into_iter()
        .filter(|tag| *tag != UNTAGGED)
        .map(|tag| {
            let quotes = p.quotes.iter().filter(|q| belongs(q, tag)).collect();
            (tag, quotes)
        })
        .filter(|(_, quotes): &(&str, Vec<&Quote>)| !quotes.is_empty())
        .collect();
    let untagged: Vec<&Quote> = p
        .quotes
        .iter()
        .filter(|q| q.tags.is_empty() || belongs(q, UNTAGGED))
        .collect();
    if !untagged.is_empty() {
        out.push((UNTAGGED, untagged));
    }
    out
}

/// The tags of `q` other than the section `heading` it is listed under, in
/// the quote's order: what the "Also tagged" line names.
pub(crate) fn other_tags<'a>(q: &'a Quote, heading: &str) -> Vec<&'a str> {
    distinct_tags(q)
        .into_iter()
        .filter(|t| *t != heading && !(heading == UNTAGGED && *t == UNTAGGED))
        .collect()
}

/// Whether the language code names English ("en", "en-GB", ...).
pub(crate) fn is_english(code: &str) -> bool {
    let c = code.trim().to_ascii_lowercase();
    c == "en" || c.starts_with("en-") || c.starts_with("en_")
}

/// "Russian", or the code if no name was given, or "the original language".
pub(crate) fn language_label(q: &Quote) -> &str {
    if !q.language_name.trim().is_empty() {
        q.language_name.trim()
    } else if !q.language.trim().is_empty() {
        q.language.trim()
    } else {
        "the original language"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.extension().parse::<Format>(), Ok(f));
            assert_eq!(f.to_string(), f.extension());
        }
        assert_eq!("Markdown".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!(".QDPX".parse::<Format>(), Ok(Format::Qdpx));
        assert!(matches!(
            "pdf".parse::<Format>(),
            Err(ExportError::UnknownFormat(_))
        ));
    }

    #[test]
    fn errors_are_one_line() {
        let e = ExportError::BadOffsets {
            excerpt: "E1".into(),
            source_id: "S1".into(),
            start: 3,
            end: 90,
            len: 40,
        };
        assert!(!e.to_string().contains('\n'));
    }

    #[test]
    fn ids_in_messages_are_one_line_and_visible() {
        let e = ExportError::MissingCase {
            excerpt: "E\n1\u{1b}[31m\u{202e}".into(),
            case: "x".repeat(200),
        };
        let msg = e.to_string();
        assert!(msg.contains("E\\u{a}1\\u{1b}[31m\\u{202e}"), "{msg}");
        assert!(!msg.chars().any(char::is_control));
        assert!(msg.contains('…'));
        assert!(msg.len() < 250);
    }

    #[test]
    fn bad_timestamp_is_refused() {
        let p = Publication {
            title: "t".into(),
            created: "yesterday".into(),
            ..Default::default()
        };
        for f in Format::ALL {
            assert!(matches!(render(f, &p), Err(ExportError::BadTimestamp(_))));
        }
    }
}
