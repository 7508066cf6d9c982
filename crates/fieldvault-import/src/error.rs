//! The one error type of the crate.
//!
//! Every message is one line a non-programmer can act on. Transcripts are
//! secret, so no message ever contains anything taken from the file: no
//! quoted lines, no names, no speaker labels, no file names from a manifest.
//! Positions (line, cue, paragraph, byte) and counts are the only specifics.

/// Why a transcript, translation or manifest could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// Zero bytes.
    #[error("the file is empty")]
    Empty,
    /// Only spaces, tabs and line breaks.
    #[error("the file is empty (it has only spaces and blank lines)")]
    WhitespaceOnly,
    /// NUL bytes that are not UTF-16, or control bytes that never occur in text.
    #[error(
        "this looks like a binary file, not a transcript; fieldvault reads transcripts saved as \
         .txt, .md, .vtt, .srt, .sbv or .docx"
    )]
    Binary,
    /// A UTF-8 byte order mark, then bytes that are not UTF-8.
    /// `offset` counts bytes from the start of the file, starting at 0.
    #[error(
        "the file says it is UTF-8 but byte {offset} is not valid UTF-8; open it in a text \
         editor and save it again as UTF-8"
    )]
    InvalidUtf8 {
        /// Byte offset from the start of the file (0-based).
        offset: usize,
    },
    /// A UTF-16 byte order mark, then an odd byte count or a broken surrogate pair.
    #[error(
        "the file says it is UTF-16 but the bytes at {offset} are not valid UTF-16; open it in \
         a text editor and save it again as UTF-8"
    )]
    InvalidUtf16 {
        /// Byte offset from the start of the file (0-based).
        offset: usize,
    },
    /// A UTF-32 byte order mark, then a length that is not a multiple of 4 or a
    /// value that is not a character.
    #[error(
        "the file says it is UTF-32 but the bytes at {offset} are not valid UTF-32; open it in \
         a text editor and save it again as UTF-8"
    )]
    InvalidUtf32 {
        /// Byte offset from the start of the file (0-based).
        offset: usize,
    },
    /// Not UTF-8, no byte order mark, and not recognisable text in
    /// Windows-1251, KOI8-R or Windows-1252 either.
    #[error(
        "the file is not UTF-8 (byte {offset} is not valid UTF-8) and does not look like \
         Windows-1251 or KOI8-R Cyrillic or Windows-1252 Western text; save it as UTF-8 and \
         try again"
    )]
    UnknownEncoding {
        /// Byte offset of the first invalid UTF-8 byte (0-based).
        offset: usize,
    },
    /// Cyrillic text in a single-byte code page whose letters make equal
    /// sense in Windows-1251 and in KOI8-R (too short to tell).
    #[error(
        "the file is not UTF-8, and its Cyrillic letters read equally well as Windows-1251 and \
         as KOI8-R, so fieldvault will not guess; save it as UTF-8 and try again"
    )]
    AmbiguousCyrillic,
    /// A well-known document type we do not read.
    #[error("this is {what}, not a transcript; {advice}")]
    UnsupportedDocument {
        /// "a PDF document", "an old Word .doc file or a password-protected document", ...
        what: &'static str,
        /// What the researcher can do about it.
        advice: &'static str,
    },
    /// Nothing that could become a turn.
    #[error(
        "the file has no transcript text in it (no speaker turns were found); check that it is \
         the transcript and not an empty template"
    )]
    NoTurns,
    /// A `.vtt` file without the WEBVTT signature and without caption cues.
    #[error("this is not a WebVTT caption file: it does not start with WEBVTT and has no cues")]
    NotWebVtt,
    /// A `.srt` file without any subtitle cue.
    #[error("this is not an SRT subtitle file: it has no numbered cues with '-->' timings")]
    NotSrt,
    /// A `.sbv` file without any SBV timing line.
    #[error(
        "this is not a YouTube .sbv caption file: it has no '0:00:01.000,0:00:04.000' timing lines"
    )]
    NotSbv,
    /// A cue timing line that does not parse.
    #[error(
        "cue {cue} has a malformed timestamp (line {line} of this {format} file); correct that \
         timing line or export the captions again"
    )]
    BadTimestamp {
        /// The caption format the file was read as.
        format: crate::SourceFormat,
        /// 1-based position of the cue in the file.
        cue: usize,
        /// 1-based line number of the timing line.
        line: usize,
    },
    /// Caption text before any cue timing.
    #[error(
        "line {line} of this {format} file is caption text outside any cue (there is no timing \
         line before it); add a timing line before it or delete it"
    )]
    TextOutsideCue {
        /// The caption format the file was read as.
        format: crate::SourceFormat,
        /// 1-based line number.
        line: usize,
    },
    /// A .docx (by name) whose bytes are not a zip archive.
    #[error("this .docx is not a valid Word document (not a zip archive)")]
    DocxNotZip,
    /// A zip archive that cannot be read, or has no main document part.
    #[error(
        "this .docx is not a valid Word document ({reason}); open it in Word or LibreOffice and \
         save it again as .docx"
    )]
    DocxInvalid {
        /// Short technical reason without any content.
        reason: &'static str,
    },
    /// The zip has more entries than any real Word document.
    #[error("this .docx has too many parts ({count}, the limit is {limit}); it may be a zip bomb")]
    DocxTooManyEntries {
        /// Entries in the archive.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The document part unpacks to more than the limit.
    #[error("this .docx unpacks to more than {limit_mib} MiB of text; it may be a zip bomb")]
    DocxTooLarge {
        /// The limit in MiB.
        limit_mib: usize,
    },
    /// Encrypted zip entries.
    #[error("this .docx is password-protected; remove the password in Word and save it again")]
    DocxEncrypted,
    /// The XML of the document is broken.
    #[error(
        "this .docx is not a valid Word document (its text is damaged near byte {position}); \
         open it in Word or LibreOffice and save it again as .docx"
    )]
    DocxBadXml {
        /// Byte position inside word/document.xml.
        position: u64,
    },
    /// Translation and original turn counts differ.
    #[error("the translation has {translation} turns but the original has {original}")]
    TurnCountMismatch {
        /// Turns in the original.
        original: usize,
        /// Turns in the translation.
        translation: usize,
    },
    /// Counts agree but the speaker changes do not.
    #[error(
        "turn {turn} of the translation is by a different speaker than turn {turn} of the \
         original; the translation is out of step from there"
    )]
    SpeakerMismatch {
        /// 1-based turn number.
        turn: usize,
    },
    /// A manifest problem.
    #[error("manifest line {line}: {problem}")]
    Manifest {
        /// 1-based line (for JSON: 1-based entry number, see `entry`).
        line: usize,
        /// What is wrong, without quoting the manifest.
        problem: String,
    },
    /// A manifest problem in a JSON manifest.
    #[error("manifest entry {entry}: {problem}")]
    ManifestEntry {
        /// 1-based entry number.
        entry: usize,
        /// What is wrong, without quoting the manifest.
        problem: String,
    },
    /// A manifest that cannot be read at all.
    #[error("the manifest cannot be read: {problem}")]
    ManifestFormat {
        /// What is wrong, without quoting the manifest.
        problem: String,
    },
}
