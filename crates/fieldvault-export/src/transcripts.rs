//! REFI-QDA of whole redacted transcripts, for coding in MAXQDA, NVivo,
//! ATLAS.ti or QualCoder (`export --format qdpx --transcripts`).
//!
//! A quote export carries only what was excerpted; a researcher who codes
//! in an analysis program needs every transcript whole, so that codes can
//! go anywhere. [`render_transcripts`] writes every source it is given
//! (the caller hands over only transcripts whose speakers' consent allows
//! analysis, already redacted and leak-checked), every case with its
//! variables, each case linked (`SourceRef`) to the transcripts its person
//! speaks in, and the excerpts that already exist as coded
//! `PlainTextSelection`s (one `Coding` per tag, the note as description,
//! a `SelectionRef` from each speaker's case). The layout is otherwise the
//! quote export's (see docs/export-formats.md); every GUID is keyed with the export's
//! [`LinkKey`], so `codings import` can match the sources back by GUID when
//! the caller keeps the key in the vault, and by content when it cannot.

use std::collections::HashMap;

use crate::qdpx::{render_project, Whole};
use crate::{Case, ExportError, LinkKey, Publication, Quote, Source};

/// The transcripts to code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodingSet {
    /// `Project@name`, e.g. "fieldvault transcripts for coding".
    pub title: String,
    /// RFC 3339 UTC time of the export, from the caller.
    pub created: String,
    pub sources: Vec<CodingSource>,
    /// Every person speaking in the sources, by pseudonym.
    pub cases: Vec<Case>,
}

/// One redacted transcript (or its translation, with `translation_of`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodingSource {
    /// The whole redacted text (LF line endings), its id and name.
    pub source: Source,
    /// The [`Case`] ids of the persons speaking in it.
    pub speakers: Vec<String>,
    /// Excerpts that already exist in this transcript.
    pub excerpts: Vec<CodingExcerpt>,
}

/// An existing excerpt, written as a coded selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodingExcerpt {
    /// The vault's excerpt id (never written; its selection GUID and name
    /// are keyed from it).
    pub excerpt_id: String,
    /// Character offsets into the source text, end exclusive.
    pub start: usize,
    pub end: usize,
    pub tags: Vec<String>,
    pub note: Option<String>,
    /// The [`Case`] ids of the persons speaking in the excerpt.
    pub speakers: Vec<String>,
}

/// Renders `set` as a `.qdpx` archive. Deterministic for one `key`; nothing
/// is written anywhere.
pub fn render_transcripts(set: &CodingSet, key: &LinkKey) -> Result<Vec<u8>, ExportError> {
    let mut quotes = Vec::new();
    for cs in &set.sources {
        for e in &cs.excerpts {
            if e.tags.iter().any(|t| t.trim().is_empty()) {
                return Err(ExportError::EmptyTag {
                    excerpt: e.excerpt_id.clone(),
                });
            }
            quotes.push(Quote {
                excerpt_id: e.excerpt_id.clone(),
                source_id: cs.source.id.clone(),
                tags: e.tags.clone(),
                note: e.note.clone(),
                language: cs.source.language.clone(),
                source_start: e.start,
                source_end: e.end,
                ..Quote::default()
            });
        }
    }
    let publication = Publication {
        title: set.title.clone(),
        created: set.created.clone(),
        quotes,
        sources: set.sources.iter().map(|s| s.source.clone()).collect(),
        cases: set.cases.clone(),
    };
    crate::validate_common(&publication)?;
    let mut whole = Whole {
        enabled: true,
        ..Whole::default()
    };
    let mut case_sources: HashMap<&str, Vec<&str>> = HashMap::new();
    for cs in &set.sources {
        for speaker in &cs.speakers {
            case_sources
                .entry(speaker.as_str())
                .or_default()
                .push(cs.source.id.as_str());
        }
        for e in &cs.excerpts {
            whole.selection_cases.insert(
                e.excerpt_id.as_str(),
                e.speakers.iter().map(String::as_str).collect(),
            );
        }
    }
    whole.case_sources = case_sources;
    render_project(&publication, key, &whole)
}
