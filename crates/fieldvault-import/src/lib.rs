//! Transcript readers for fieldvault.
//!
//! [`read_transcript`] turns the bytes of a transcript file into speaker
//! [`Turn`]s. It reads plain text and Markdown ("Speaker: text" turns),
//! WebVTT, SRT and YouTube SBV captions, and Word .docx documents, in UTF-8
//! (with or without BOM), UTF-16 (LE/BE, with or without BOM), UTF-32 (with
//! a BOM), Windows-1251, KOI8-R and Windows-1252. Speaker mode is decided
//! from the whole file, never from one line ([`read_transcript_with`]). The
//! format is chosen by the file's extension and confirmed by its content: a
//! `.txt` holding WebVTT is read as WebVTT (with a warning), a `.docx` that
//! is not a zip archive is an error.
//!
//! Errors and warnings never contain anything from the file: transcripts are
//! secret, and error messages end up in terminals, logs and bug reports.
//! Nothing here panics, whatever the input (property-tested).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cues;
mod decode;
mod docx;
mod error;
mod folder;
mod label;
mod manifest;
mod mode;
mod text;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use docx::{MAX_ENTRIES as DOCX_MAX_ENTRIES, MAX_PART_BYTES as DOCX_MAX_PART_BYTES};
pub use error::ImportError;
pub use folder::{folder_entry, FolderEntry, SkipReason, EXTENSIONS};
pub use manifest::{read_manifest, ManifestEntry};
pub use mode::{ReadOptions, SpeakerLabels};

/// The kind of file a transcript came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// "Speaker: text" lines.
    PlainText,
    /// "Speaker: text" lines with Markdown structure.
    Markdown,
    /// WebVTT captions (Zoom, Teams, Meet, transcription services).
    WebVtt,
    /// SubRip subtitles.
    Srt,
    /// YouTube's SubViewer captions (`.sbv`).
    Sbv,
    /// A Word document.
    Docx,
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceFormat::PlainText => "plain text",
            SourceFormat::Markdown => "Markdown",
            SourceFormat::WebVtt => "WebVTT",
            SourceFormat::Srt => "SRT",
            SourceFormat::Sbv => "SBV (YouTube captions)",
            SourceFormat::Docx => "DOCX",
        })
    }
}

/// The character encoding a text file was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16 little-endian (Word's "Unicode text"), with or without BOM.
    Utf16Le,
    /// UTF-16 big-endian, with or without BOM.
    Utf16Be,
    /// UTF-32 little-endian, with a byte-order mark.
    Utf32Le,
    /// UTF-32 big-endian, with a byte-order mark.
    Utf32Be,
    /// The Windows Cyrillic code page.
    Windows1251,
    /// The Unix/Russian Cyrillic code page KOI8-R.
    Koi8R,
    /// The Windows Western European code page (a superset of ISO 8859-1).
    Windows1252,
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16 little-endian",
            TextEncoding::Utf16Be => "UTF-16 big-endian",
            TextEncoding::Utf32Le => "UTF-32 little-endian",
            TextEncoding::Utf32Be => "UTF-32 big-endian",
            TextEncoding::Windows1251 => "Windows-1251",
            TextEncoding::Koi8R => "KOI8-R",
            TextEncoding::Windows1252 => "Windows-1252",
        })
    }
}

/// One speaker turn.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Turn {
    /// The speaker label as written ("Интервьюер", "Speaker 1"); empty when
    /// the file has no speaker labels.
    pub speaker: String,
    /// The words, NFC-normalised, never empty. Lines inside a turn are
    /// joined with `\n` (plain text, DOCX, Markdown paragraphs) or a space
    /// (captions, Markdown soft-wrapped lines).
    pub text: String,
    /// Start time `HH:MM:SS.mmm`: the first cue's for captions, or a
    /// timestamp written with the label in text files.
    pub start: Option<String>,
}

/// A transcript read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    /// The turns, in order; never empty.
    pub turns: Vec<Turn>,
    /// The format the file was read as.
    pub format: SourceFormat,
    /// The character encoding (`None` for DOCX).
    pub encoding: Option<TextEncoding>,
    /// Things the researcher should know (skipped headings, a misnamed file,
    /// no speaker labels). Never contain any of the file's content.
    pub warnings: Vec<String>,
    /// Interview metadata written in the file rather than as turns (today:
    /// a Date / Place / Interviewer table at the top of a Word document).
    #[serde(default)]
    pub metadata: Vec<MetadataField>,
}

/// What a metadata entry of a transcript file is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetadataKind {
    /// When the interview took place, as written ("14.03.2021").
    Date,
    /// Where it took place. Can identify people: redact before publishing.
    Place,
    /// Who interviewed.
    Interviewer,
    /// Who was interviewed (a name or a code). Secret like the transcript.
    Interviewee,
    /// The language of the interview, as written.
    Language,
    /// How long it lasted, as written.
    Duration,
    /// Any other row of the metadata table (project, topic, ...).
    Other,
}

/// One entry of interview metadata read from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataField {
    /// What it is about.
    pub kind: MetadataKind,
    /// The label as written in the file ("Дата", "Place").
    pub label: String,
    /// The value as written.
    pub value: String,
}

impl Transcript {
    /// The first metadata value of this kind, if the file has one.
    pub fn metadata_value(&self, kind: MetadataKind) -> Option<&str> {
        self.metadata
            .iter()
            .find(|m| m.kind == kind)
            .map(|m| m.value.as_str())
    }
}

/// Decode a text file: a BOM (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides;
/// without one, NUL bytes in a UTF-16 pattern mean UTF-16, otherwise strict
/// UTF-8, then Windows-1251, KOI8-R or Windows-1252 only when the bytes make
/// sense in exactly one of them (Cyrillic that reads equally well in 1251
/// and KOI8-R is refused as [`ImportError::AmbiguousCyrillic`]). Line ends become `\n` (also for CR, VT, FF, NEL, U+2028/9) and the
/// text is NFC-normalised. An empty or whitespace-only file, a binary file,
/// and invalid UTF-8 after a UTF-8 BOM are errors.
pub fn decode_text(bytes: &[u8]) -> Result<(String, TextEncoding), ImportError> {
    decode::decode(bytes)
}

/// The format a file name's extension asks for, if it is one we read.
pub fn format_from_extension(file_name: &str) -> Option<SourceFormat> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let (_, ext) = base.rsplit_once('.')?;
    match ext.to_ascii_lowercase().as_str() {
        "txt" | "text" => Some(SourceFormat::PlainText),
        "md" | "markdown" => Some(SourceFormat::Markdown),
        "vtt" | "webvtt" => Some(SourceFormat::WebVtt),
        "srt" => Some(SourceFormat::Srt),
        "sbv" => Some(SourceFormat::Sbv),
        "docx" => Some(SourceFormat::Docx),
        _ => None,
    }
}

/// Read a transcript. `file_name` is only used for its extension (and
/// never appears in an error); the content decides when the two disagree.
/// Speaker labels are detected from the whole file (see
/// [`read_transcript_with`]).
pub fn read_transcript(file_name: &str, bytes: &[u8]) -> Result<Transcript, ImportError> {
    read_transcript_with(file_name, bytes, ReadOptions::default())
}

/// Read a transcript with options. With [`SpeakerLabels::Detect`] a file
/// is read by speaker only when its labels look like a cast of speakers:
/// at least two labelled units, most of them by labels that recur (or a
/// short exchange in which two thirds of the units are labelled and some
/// label recurs or there are at most two), and at least one unit in ten
/// labelled. One `Digo: «...»` line in a subtitle file or one `Important:`
/// paragraph in notes leaves the file without speakers, with a warning.
/// With [`SpeakerLabels::Ignore`] labels are never read.
pub fn read_transcript_with(
    file_name: &str,
    bytes: &[u8],
    options: ReadOptions,
) -> Result<Transcript, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    let named = format_from_extension(file_name);
    if let Some(e) = known_foreign_document(bytes) {
        return Err(e);
    }
    let mut warnings = Vec::new();
    if named == Some(SourceFormat::Docx) || docx::is_zip(bytes) {
        let (turns, w, metadata) = docx::read(bytes, options)?;
        if let Some(n) = named.filter(|n| *n != SourceFormat::Docx) {
            warnings.push(misnamed(n, SourceFormat::Docx));
        }
        warnings.extend(w);
        let mut t = finish(turns, SourceFormat::Docx, None, warnings)?;
        t.metadata = metadata;
        return Ok(t);
    }
    let (text, encoding) = decode_text(bytes)?;
    if let Some(w) = decode::legacy_encoding_note(encoding) {
        warnings.push(w);
    }
    let content = if cues::is_webvtt(&text) {
        Some(SourceFormat::WebVtt)
    } else if cues::is_srt(&text) {
        Some(SourceFormat::Srt)
    } else if cues::is_sbv(&text) {
        Some(SourceFormat::Sbv)
    } else {
        None
    };
    let format = match (named, content) {
        (Some(n), Some(c)) => {
            if n != c {
                warnings.push(misnamed(n, c));
            }
            c
        }
        (None, Some(c)) => c,
        (Some(SourceFormat::WebVtt), None) => {
            if !cues::has_timing_lines(&text) {
                return Err(ImportError::NotWebVtt);
            }
            warnings
                .push("the file has no WEBVTT line at the top; read it as WebVTT anyway".into());
            SourceFormat::WebVtt
        }
        (Some(SourceFormat::Srt), None) => {
            if !cues::has_timing_lines(&text) {
                return Err(ImportError::NotSrt);
            }
            SourceFormat::Srt
        }
        (Some(SourceFormat::Sbv), None) => {
            if !cues::has_sbv_timing_lines(&text) {
                return Err(ImportError::NotSbv);
            }
            SourceFormat::Sbv
        }
        (Some(SourceFormat::Markdown), None) => SourceFormat::Markdown,
        (_, None) => {
            if looks_like_markdown(&text) {
                if named == Some(SourceFormat::PlainText) {
                    warnings.push(misnamed(SourceFormat::PlainText, SourceFormat::Markdown));
                }
                SourceFormat::Markdown
            } else {
                SourceFormat::PlainText
            }
        }
    };
    let (turns, w) = match format {
        SourceFormat::WebVtt => cues::parse(&text, cues::Flavour::Vtt, options)?,
        SourceFormat::Srt => cues::parse(&text, cues::Flavour::Srt, options)?,
        SourceFormat::Sbv => cues::parse(&text, cues::Flavour::Sbv, options)?,
        SourceFormat::Markdown => text::parse(&text, true, options)?,
        _ => text::parse(&text, false, options)?,
    };
    warnings.extend(w);
    finish(turns, format, Some(encoding), warnings)
}

fn finish(
    turns: Vec<Turn>,
    format: SourceFormat,
    encoding: Option<TextEncoding>,
    warnings: Vec<String>,
) -> Result<Transcript, ImportError> {
    if turns.is_empty() {
        return Err(ImportError::NoTurns);
    }
    Ok(Transcript {
        turns,
        format,
        encoding,
        warnings,
        metadata: Vec::new(),
    })
}

fn misnamed(named: SourceFormat, actual: SourceFormat) -> String {
    format!("the file is named as {named} but its content is {actual}; read it as {actual}")
}

/// PDFs, old Word files and RTF are common mistakes: say what they are.
fn known_foreign_document(bytes: &[u8]) -> Option<ImportError> {
    if bytes.starts_with(b"%PDF") {
        Some(ImportError::UnsupportedDocument {
            what: "a PDF document",
            advice: "export the transcript from its source as .docx or plain text",
        })
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(ImportError::UnsupportedDocument {
            what: "an old Word .doc file or a password-protected document",
            advice: "open it in Word, remove any password and save it as .docx",
        })
    } else if bytes.starts_with(b"{\\rtf") {
        Some(ImportError::UnsupportedDocument {
            what: "an RTF document",
            advice: "open it and save it as .docx or plain text",
        })
    } else {
        None
    }
}

/// Front matter or a heading at the top of a text file.
fn looks_like_markdown(text: &str) -> bool {
    let mut lines = text
        .split('\n')
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty());
    match lines.next() {
        Some("---") | Some("+++") => true,
        Some(first) => {
            let hashes = first.bytes().take_while(|&b| b == b'#').count();
            (1..=6).contains(&hashes) && first[hashes..].starts_with(' ')
        }
        None => false,
    }
}

/// Pair each turn of the original with the translation's turn of the same
/// number. The counts must agree (otherwise [`ImportError::TurnCountMismatch`]
/// names both), and when both have speaker labels the speaker changes must
/// agree too: a translation speaker stands for exactly one original speaker
/// ([`ImportError::SpeakerMismatch`] names the first turn out of step).
/// The result has one entry per original turn; every entry is `Some` today
/// (`None` is reserved for turns left untranslated by a partial alignment).
pub fn align_translation(
    original: &Transcript,
    translation: &Transcript,
) -> Result<Vec<Option<String>>, ImportError> {
    let (o, t) = (&original.turns, &translation.turns);
    if o.len() != t.len() {
        return Err(ImportError::TurnCountMismatch {
            original: o.len(),
            translation: t.len(),
        });
    }
    let labelled = |ts: &[Turn]| ts.iter().any(|t| !t.speaker.is_empty());
    if labelled(o) && labelled(t) {
        let mut forward = std::collections::HashMap::new();
        let mut backward = std::collections::HashMap::new();
        for (i, (a, b)) in o.iter().zip(t).enumerate() {
            let f = forward
                .entry(a.speaker.as_str())
                .or_insert(b.speaker.as_str());
            let r = backward
                .entry(b.speaker.as_str())
                .or_insert(a.speaker.as_str());
            if *f != b.speaker || *r != a.speaker {
                return Err(ImportError::SpeakerMismatch { turn: i + 1 });
            }
        }
    }
    Ok(t.iter().map(|turn| Some(turn.text.clone())).collect())
}

/// Explicit, position-based alignment for when the researcher accepts that
/// the counts differ: original turn `i` gets translation turn `i`; original
/// turns past the end of the translation get `None`; translation turns past
/// the end of the original are appended (on new lines) to the last original
/// turn's translation, so no translated text is lost. Never fails.
pub fn align_translation_by_position(
    original: &Transcript,
    translation: &Transcript,
) -> Vec<Option<String>> {
    let n = original.turns.len();
    let mut out: Vec<Option<String>> = (0..n)
        .map(|i| translation.turns.get(i).map(|t| t.text.clone()))
        .collect();
    if let Some(last) = out.last_mut() {
        for extra in translation.turns.iter().skip(n) {
            let s = last.get_or_insert_with(String::new);
            if !s.is_empty() {
                s.push('\n');
            }
            s.push_str(&extra.text);
        }
    }
    out
}

/// Write turns in one of the text formats (the inverse of
/// [`read_transcript`] for turns with single-line text whose consecutive
/// speakers differ). `None` for DOCX. Caption times come from `start`, or
/// are made up five seconds apart.
pub fn render_transcript(turns: &[Turn], format: SourceFormat) -> Option<String> {
    let mut out = String::new();
    match format {
        SourceFormat::Docx => return None,
        SourceFormat::PlainText => {
            for t in turns {
                if t.speaker.is_empty() {
                    out.push_str(&format!("{}\n\n", t.text));
                } else {
                    out.push_str(&format!("{}: {}\n", t.speaker, t.text));
                }
            }
        }
        SourceFormat::Markdown => {
            for t in turns {
                if t.speaker.is_empty() {
                    out.push_str(&format!("{}\n\n", t.text));
                } else {
                    out.push_str(&format!("**{}:** {}\n\n", t.speaker, t.text));
                }
            }
        }
        SourceFormat::Sbv => {
            let mut clock = 0u64;
            for t in turns {
                let start = t
                    .start
                    .as_deref()
                    .and_then(label::timestamp_ms)
                    .unwrap_or(clock);
                clock = start + 5_000;
                let sbv_time = |ms: u64| {
                    let s = label::ms_to_timestamp(ms);
                    s.strip_prefix('0').unwrap_or(&s).to_owned()
                };
                let text = t.text.replace('\n', " ");
                let body = if t.speaker.is_empty() {
                    text
                } else {
                    format!("{}: {}", t.speaker, text)
                };
                out.push_str(&format!(
                    "{},{}\n{body}\n\n",
                    sbv_time(start),
                    sbv_time(start + 4_000)
                ));
            }
        }
        SourceFormat::WebVtt | SourceFormat::Srt => {
            let vtt = format == SourceFormat::WebVtt;
            if vtt {
                out.push_str("WEBVTT\n\n");
            }
            let mut clock = 0u64;
            for (i, t) in turns.iter().enumerate() {
                let start = t
                    .start
                    .as_deref()
                    .and_then(label::timestamp_ms)
                    .unwrap_or(clock);
                let end = start + 4_000;
                clock = start + 5_000;
                let (mut a, mut b) = (label::ms_to_timestamp(start), label::ms_to_timestamp(end));
                let text = t.text.replace('\n', " ");
                if vtt {
                    let text = text
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;");
                    let body = if t.speaker.is_empty() {
                        text
                    } else {
                        format!("<v {}>{}", t.speaker, text)
                    };
                    out.push_str(&format!("{}\n{a} --> {b}\n{body}\n\n", i + 1));
                } else {
                    a = a.replace('.', ",");
                    b = b.replace('.', ",");
                    let body = if t.speaker.is_empty() {
                        text
                    } else {
                        format!("{}: {}", t.speaker, text)
                    };
                    out.push_str(&format!("{}\n{a} --> {b}\n{body}\n\n", i + 1));
                }
            }
        }
    }
    Some(out)
}
