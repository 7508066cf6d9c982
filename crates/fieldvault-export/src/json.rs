//! JSON: `{"title", "created", "format_version": 1, "quotes": [...]}`,
//! pretty-printed UTF-8 with a final newline. Schema in docs/export-formats.md.
//! `excerpt_id` and `transcript_id` are per-export tokens, never vault ids.

use serde::Serialize;

use crate::link::{written_ids, LinkKey};
use crate::{distinct_tags, ExportError, Publication, Quote, JSON_FORMAT_VERSION};

#[derive(Serialize)]
struct Document<'a> {
    title: &'a str,
    created: &'a str,
    format_version: u32,
    quotes: Vec<JsonQuote<'a>>,
}

#[derive(Serialize)]
struct Lines {
    first: u32,
    last: u32,
}

#[derive(Serialize)]
struct JsonQuote<'a> {
    excerpt_id: String,
    transcript_id: String,
    lines: Lines,
    interview_date: &'a str,
    pseudonym: Option<&'a str>,
    descriptor: Option<&'a str>,
    attribution: &'a str,
    tags: Vec<&'a str>,
    language: &'a str,
    language_name: &'a str,
    translation: Option<&'a str>,
    original: &'a str,
    note: Option<&'a str>,
}

impl<'a> JsonQuote<'a> {
    /// `ids` are the per-export (excerpt, transcript) tokens of `q`.
    fn new(q: &'a Quote, ids: (String, String)) -> Self {
        JsonQuote {
            excerpt_id: ids.0,
            transcript_id: ids.1,
            lines: Lines {
                first: q.lines.0,
                last: q.lines.1,
            },
            interview_date: &q.interview_date,
            pseudonym: q.pseudonym.as_deref(),
            descriptor: q.descriptor.as_deref(),
            attribution: &q.attribution,
            tags: distinct_tags(q),
            language: &q.language,
            language_name: &q.language_name,
            translation: q.translation.as_deref(),
            original: &q.original,
            note: q.note.as_deref(),
        }
    }
}

pub(crate) fn render(p: &Publication, key: &LinkKey) -> Result<Vec<u8>, ExportError> {
    let ids = written_ids(p, key)?;
    let doc = Document {
        title: &p.title,
        created: &p.created,
        format_version: JSON_FORMAT_VERSION,
        quotes: p
            .quotes
            .iter()
            .zip(ids)
            .map(|(q, ids)| JsonQuote::new(q, ids))
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&doc).map_err(|e| ExportError::Assemble {
        format: "JSON",
        detail: e.to_string(),
    })?;
    out.push(b'\n');
    Ok(out)
}
