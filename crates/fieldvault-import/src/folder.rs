//! Which files of a folder are transcripts to import, and why the others
//! are skipped.
//!
//! A folder a researcher points at holds more than transcripts: a README,
//! field notes, the recording, a PDF of the consent form, Word's lock files.
//! Importing a README as an interview would put a document that was never
//! consented to under a person's name; skipping a `.odt` transcript
//! silently would lose an interview. So every file gets a verdict, and the
//! caller prints the skipped ones with the reason. A file named on the
//! command line is always read (the researcher chose it); these rules are
//! for folders only.

use std::fmt;

/// Every file name extension [`crate::format_from_extension`] recognises
/// (lower case, without the dot), so that callers looking for transcripts
/// in a folder pick up each format this crate reads.
pub const EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "vtt", "webvtt", "srt", "sbv", "docx",
];

/// File names (without extension, lower case) that are about a folder
/// rather than an interview.
const NOTES_NAMES: &[&str] = &[
    "readme",
    "read me",
    "read_me",
    "notes",
    "note",
    "todo",
    "license",
    "licence",
    "changelog",
    "contents",
    "index",
    "manifest",
    "заметки",
    "примечания",
    "прочитай",
    "прочти",
    "ескертпе",
    "ескертпелер",
];

/// What to do with one file found in a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderEntry {
    /// A transcript format: import it.
    Import,
    /// Not a transcript: skip it, and say why.
    Skip(SkipReason),
}

/// Why a file in a folder is not imported. Display says what the file is
/// and what to do, in one line without the file's name or content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// A dot file (`.DS_Store`, editor state).
    Hidden,
    /// Word's lock file (`~$interview.docx`), left while a document is open.
    WordLockFile,
    /// A README or notes file, which describes the folder.
    NotesFile,
    /// A document or media format that is not read.
    Unsupported {
        /// What the file is ("an OpenDocument text (.odt)").
        what: &'static str,
        /// What the researcher can do.
        advice: &'static str,
    },
    /// An extension that is not a transcript format.
    UnknownExtension,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Hidden => f.write_str("a hidden file"),
            SkipReason::WordLockFile => {
                f.write_str("a lock file Word leaves while a document is open, not a document")
            }
            SkipReason::NotesFile => f.write_str(
                "looks like a README or notes file, not an interview; name it on the command \
                 line to import it anyway",
            ),
            SkipReason::Unsupported { what, advice } => write!(f, "{what}; {advice}"),
            SkipReason::UnknownExtension => f.write_str(
                "not a transcript format fieldvault reads (.txt, .md, .vtt, .srt, .sbv, .docx)",
            ),
        }
    }
}

/// The verdict for a file found in a folder, from its name alone.
pub fn folder_entry(file_name: &str) -> FolderEntry {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    if base.starts_with('.') {
        return FolderEntry::Skip(SkipReason::Hidden);
    }
    if base.starts_with("~$") {
        return FolderEntry::Skip(SkipReason::WordLockFile);
    }
    let (stem, ext) = match base.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e.to_lowercase()),
        _ => (base, String::new()),
    };
    if !EXTENSIONS.contains(&ext.as_str()) {
        return FolderEntry::Skip(unsupported(&ext));
    }
    let stem = stem.to_lowercase();
    let stem = stem.split('.').next().unwrap_or(&stem).trim();
    if NOTES_NAMES.contains(&stem) {
        return FolderEntry::Skip(SkipReason::NotesFile);
    }
    FolderEntry::Import
}

fn unsupported(ext: &str) -> SkipReason {
    let (what, advice) = match ext {
        "odt" | "fodt" => (
            "an OpenDocument text (.odt)",
            "open it and save it as .docx, then import that",
        ),
        "pdf" => (
            "a PDF document",
            "export the transcript from its source as .docx or plain text",
        ),
        "doc" => (
            "an old Word .doc file",
            "open it in Word and save it as .docx",
        ),
        "rtf" => (
            "an RTF document",
            "open it and save it as .docx or plain text",
        ),
        "pages" => ("an Apple Pages document", "export it as .docx"),
        "mp3" | "m4a" | "wav" | "ogg" | "opus" | "flac" | "aac" | "wma" | "amr" => (
            "an audio recording, not a transcript",
            "import its transcript; keep consent audio with consent record --evidence",
        ),
        "mp4" | "mov" | "mkv" | "avi" | "webm" => (
            "a video, not a transcript",
            "import its captions (.vtt, .srt, .sbv) or transcript",
        ),
        "csv" | "json" | "xlsx" | "xls" | "ods" => (
            "a spreadsheet or data file, not a transcript",
            "a batch-import list goes with --manifest",
        ),
        "ass" | "ssa" | "ttml" | "dfxp" | "sub" => (
            "a caption format fieldvault does not read",
            "export the captions as .vtt or .srt",
        ),
        _ => return SkipReason::UnknownExtension,
    };
    SkipReason::Unsupported { what, advice }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_extension_is_read() {
        for ext in EXTENSIONS {
            assert!(
                crate::format_from_extension(&format!("a.{ext}")).is_some(),
                "{ext}"
            );
            assert_eq!(folder_entry(&format!("a.{ext}")), FolderEntry::Import);
        }
    }

    #[test]
    fn transcripts_are_imported_and_the_rest_says_why() {
        assert_eq!(folder_entry("01.txt"), FolderEntry::Import);
        assert_eq!(folder_entry("Интервью 3.DOCX"), FolderEntry::Import);
        assert_eq!(folder_entry("captions.sbv"), FolderEntry::Import);
        assert_eq!(
            folder_entry("README.md"),
            FolderEntry::Skip(SkipReason::NotesFile)
        );
        assert_eq!(
            folder_entry("notes.txt"),
            FolderEntry::Skip(SkipReason::NotesFile)
        );
        assert_eq!(
            folder_entry("Заметки.docx"),
            FolderEntry::Skip(SkipReason::NotesFile)
        );
        // A transcript whose name merely contains "notes" is a transcript.
        assert_eq!(folder_entry("field notes 12.txt"), FolderEntry::Import);
        assert_eq!(
            folder_entry(".DS_Store"),
            FolderEntry::Skip(SkipReason::Hidden)
        );
        assert_eq!(
            folder_entry("~$terview.docx"),
            FolderEntry::Skip(SkipReason::WordLockFile)
        );
        let FolderEntry::Skip(odt) = folder_entry("03.odt") else {
            panic!("odt imported")
        };
        assert!(odt.to_string().contains("OpenDocument"), "{odt}");
        assert!(odt.to_string().contains(".docx"), "{odt}");
        let FolderEntry::Skip(pdf) = folder_entry("consent.pdf") else {
            panic!("pdf imported")
        };
        assert!(pdf.to_string().starts_with("a PDF document;"), "{pdf}");
        assert_eq!(
            folder_entry("archive.7z"),
            FolderEntry::Skip(SkipReason::UnknownExtension)
        );
        assert_eq!(
            folder_entry("Makefile"),
            FolderEntry::Skip(SkipReason::UnknownExtension)
        );
    }
}
