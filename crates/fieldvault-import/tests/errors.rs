//! Every bad input gets its own clear error, and no error (nor warning)
//! carries any of the file's words: each input holds the canary words below.

mod common;

use common::*;
use fieldvault_import::*;

/// Words planted in every bad input; none may reach an error message.
const CANARIES: &[&str] = &["Канарейкин", "канарейка", "Qzxcanary", "Сыбызғы"];

fn err(name: &str, bytes: &[u8]) -> ImportError {
    match read_transcript(name, bytes) {
        Ok(t) => panic!("{name}: expected an error, got {t:?}"),
        Err(e) => e,
    }
}

#[track_caller]
fn assert_clean(e: &ImportError) {
    let shown = format!("{e} / {e:?}");
    for c in CANARIES {
        assert!(!shown.contains(c), "error leaks file content: {shown}");
    }
    assert!(!e.to_string().contains('\n'), "one line: {e}");
}

#[test]
fn empty_and_whitespace_only() {
    for name in ["a.txt", "a.md", "a.vtt", "a.srt", "a.docx", "a"] {
        let e = err(name, b"");
        assert_eq!(e, ImportError::Empty);
        assert_eq!(e.to_string(), "the file is empty");
    }
    for bytes in [&b" \n\t\r\n  "[..], b"\xEF\xBB\xBF \n", b"\xFF\xFE \0\n\0"] {
        assert_eq!(err("a.txt", bytes), ImportError::WhitespaceOnly);
    }
    assert_eq!(err("a.txt", b"\xEF\xBB\xBF"), ImportError::Empty);
}

#[test]
fn binary_files() {
    let mut nul = "Канарейкин: Qzxcanary".as_bytes().to_vec();
    nul.extend_from_slice(&[0, 0, 0, 1, 2, 3, 0xFF, 0x00, 0x10]);
    let e = err("a.txt", &nul);
    assert_eq!(e, ImportError::Binary);
    assert_eq!(
        e.to_string(),
        "this looks like a binary file, not a transcript; fieldvault reads transcripts saved as \
         .txt, .md, .vtt, .srt, .sbv or .docx"
    );
    assert_clean(&e);
    let ctrl = "Канарейкин: да\u{1}\u{2}\u{3} Qzxcanary".as_bytes();
    assert_eq!(err("a.srt", ctrl), ImportError::Binary);
    // An executable-looking blob under every extension.
    let elf: Vec<u8> = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"
        .iter()
        .copied()
        .chain((0..=255u8).cycle().take(2048))
        .collect();
    for name in ["a.txt", "a.md", "a.vtt", "a.srt"] {
        assert_eq!(err(name, &elf), ImportError::Binary, "{name}");
    }
}

#[test]
fn invalid_utf8_after_a_utf8_bom_names_the_byte() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("Канарейкин: ".as_bytes()); // 20 + 2 bytes
    let offset = bytes.len();
    bytes.push(0xC3); // not followed by a continuation byte
    bytes.extend_from_slice(b"( Qzxcanary");
    let e = err("a.txt", &bytes);
    assert_eq!(e, ImportError::InvalidUtf8 { offset });
    assert_eq!(
        e.to_string(),
        format!(
            "the file says it is UTF-8 but byte {offset} is not valid UTF-8; open it in a text \
             editor and save it again as UTF-8"
        )
    );
    assert_clean(&e);
    assert_eq!(
        decode_text(&bytes),
        Err(ImportError::InvalidUtf8 { offset })
    );
}

#[test]
fn broken_utf16_after_a_bom() {
    // Odd length.
    let mut odd = vec![0xFF, 0xFE];
    odd.extend("Канарейкин".encode_utf16().flat_map(|u| u.to_le_bytes()));
    odd.push(b'x');
    let e = err("a.txt", &odd);
    assert_eq!(
        e,
        ImportError::InvalidUtf16 {
            offset: odd.len() - 1
        }
    );
    assert_clean(&e);
    // An unpaired surrogate after two characters.
    let mut lone = vec![0xFE, 0xFF, 0x04, 0x1A, 0x04, 0x30, 0xD8, 0x00, 0x00, 0x41];
    lone.extend("Qzxcanary".encode_utf16().flat_map(|u| u.to_be_bytes()));
    assert_eq!(err("a.txt", &lone), ImportError::InvalidUtf16 { offset: 6 });
}

#[test]
fn not_utf8_and_no_code_page_makes_sense() {
    // Bytes undefined in Windows-1252 inside Latin text.
    let mut odd = b"Qzxcanary: some text ".to_vec();
    odd.extend_from_slice(&[0x81, 0x8D, b'a', 0x90]);
    let e = err("a.txt", &odd);
    assert_eq!(e, ImportError::UnknownEncoding { offset: 21 });
    assert!(e.to_string().contains("save it as UTF-8"), "{e}");
    assert!(e.to_string().contains("KOI8-R"), "{e}");
    assert_clean(&e);
    // Polish in Windows-1250: its letters are symbols in Windows-1252.
    let (polish, _, _) =
        encoding_rs::WINDOWS_1250.encode("Qzxcanary: byłem tam, ale nie było nikogo");
    let e = err("a.txt", &polish);
    assert!(matches!(e, ImportError::UnknownEncoding { .. }), "{e:?}");
    assert_clean(&e);
}

#[test]
fn cyrillic_too_short_to_tell_the_code_page_is_refused() {
    let (caps, _, _) = encoding_rs::KOI8_R.encode("ДА.");
    let e = err("a.txt", &caps);
    assert_eq!(e, ImportError::AmbiguousCyrillic);
    assert!(e.to_string().contains("Windows-1251 and as KOI8-R"), "{e}");
    assert!(e.to_string().contains("save it as UTF-8"), "{e}");
}

#[test]
fn broken_utf32_after_a_bom() {
    let mut bytes = b"\xFF\xFE\x00\x00".to_vec();
    bytes.extend("Qzxcanary".chars().flat_map(|c| (c as u32).to_le_bytes()));
    bytes.extend_from_slice(&[0x00, 0x00, 0x11, 0x00]); // beyond U+10FFFF
    let e = err("a.txt", &bytes);
    assert_eq!(e, ImportError::InvalidUtf32 { offset: 40 });
    assert!(e.to_string().contains("UTF-32"), "{e}");
    assert_clean(&e);
}

#[test]
fn malformed_cue_timestamps() {
    let vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nКанарейкин: да\n\n2\n00:00:0x.000 --> 00:00:03.000\nQzxcanary\n";
    let e = err("a.vtt", vtt.as_bytes());
    assert_eq!(
        e,
        ImportError::BadTimestamp {
            format: SourceFormat::WebVtt,
            cue: 2,
            line: 8
        }
    );
    assert!(e.to_string().starts_with("cue 2 has a malformed timestamp"));
    assert_clean(&e);
    let srt = "1\n00:00:01,000 --> 00:00:02,000\nКанарейкин: да\n\n2\n00:99:01,000 --> 00:00:03,000\nQzxcanary\n";
    let e = err("a.srt", srt.as_bytes());
    assert_eq!(
        e,
        ImportError::BadTimestamp {
            format: SourceFormat::Srt,
            cue: 2,
            line: 6
        }
    );
    assert_clean(&e);
    let first = "WEBVTT\n\nканарейка --> 00:00:03.000\nQzxcanary\n";
    assert_eq!(
        err("a.vtt", first.as_bytes()),
        ImportError::BadTimestamp {
            format: SourceFormat::WebVtt,
            cue: 1,
            line: 3
        }
    );
}

#[test]
fn caption_files_that_are_not_captions() {
    let text = "Канарейкин: просто текст, Qzxcanary\n";
    let e = err("a.vtt", text.as_bytes());
    assert_eq!(e, ImportError::NotWebVtt);
    assert_clean(&e);
    let e = err("a.srt", text.as_bytes());
    assert_eq!(e, ImportError::NotSrt);
    assert_clean(&e);
    let orphan = "WEBVTT\n\nКанарейкин сказал\n\n00:00:01.000 --> 00:00:02.000\nA: да\n";
    let e = err("a.vtt", orphan.as_bytes());
    assert_eq!(
        e,
        ImportError::TextOutsideCue {
            format: SourceFormat::WebVtt,
            line: 3
        }
    );
    assert_clean(&e);
}

#[test]
fn nothing_to_import() {
    let md = "# Канарейкин\n\n## Qzxcanary\n\n---\n";
    assert_eq!(err("a.md", md.as_bytes()), ImportError::NoTurns);
    let vtt = "WEBVTT\n\nNOTE Канарейкин\n\nSTYLE\n::cue {}\n";
    assert_eq!(err("a.vtt", vtt.as_bytes()), ImportError::NoTurns);
    let empty_cues = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i></i>\n";
    assert_eq!(err("a.vtt", empty_cues.as_bytes()), ImportError::NoTurns);
    let d = docx(&[p(""), p("   ")].concat());
    assert_eq!(err("a.docx", &d), ImportError::NoTurns);
}

#[test]
fn docx_that_is_not_a_zip() {
    let e = err("interview.docx", "Канарейкин: текст Qzxcanary".as_bytes());
    assert_eq!(e, ImportError::DocxNotZip);
    assert_eq!(
        e.to_string(),
        "this .docx is not a valid Word document (not a zip archive)"
    );
    assert_clean(&e);
}

#[test]
fn docx_damaged_or_not_word() {
    // A zip without the main document part.
    let z = zip_parts(&[("notes/Канарейкин.txt", "Qzxcanary".as_bytes())]);
    let e = err("a.docx", &z);
    assert!(matches!(e, ImportError::DocxInvalid { .. }), "{e:?}");
    assert_clean(&e);
    // An OpenDocument text.
    let odt = zip_parts(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<x/>"),
    ]);
    assert!(matches!(
        err("a.docx", &odt),
        ImportError::UnsupportedDocument { .. }
    ));
    // A truncated zip.
    let good = docx(&p("Канарейкин: Qzxcanary"));
    let e = err("a.docx", &good[..good.len() / 2]);
    assert!(matches!(e, ImportError::DocxInvalid { .. }), "{e:?}");
    assert_clean(&e);
    // Broken XML.
    let bad = zip_parts(&[(
        "word/document.xml",
        "<w:document><w:body><w:p><w:r><w:t>Канарейкин Qzxcanary</w:t></w:p></w:body></w:document>"
            .as_bytes(),
    )]);
    let e = err("a.docx", &bad);
    assert!(matches!(e, ImportError::DocxBadXml { .. }), "{e:?}");
    assert_clean(&e);
    // Invalid UTF-8 inside the XML.
    let bad = zip_parts(&[(
        "word/document.xml",
        b"<w:document><w:t>\xFF\xFE</w:t></w:document>",
    )]);
    assert!(matches!(
        err("a.docx", &bad),
        ImportError::DocxBadXml { .. }
    ));
}

#[test]
fn docx_zip_bomb_limits() {
    // Too many entries.
    let names: Vec<String> = (0..=DOCX_MAX_ENTRIES).map(|i| format!("f{i}")).collect();
    let parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let e = err("a.docx", &zip_parts(&parts));
    assert_eq!(
        e,
        ImportError::DocxTooManyEntries {
            count: DOCX_MAX_ENTRIES + 1,
            limit: DOCX_MAX_ENTRIES
        }
    );
    // A document part that unpacks past the limit (compresses to ~100 KiB).
    let huge = vec![b' '; DOCX_MAX_PART_BYTES as usize + 10];
    let bomb = zip_parts(&[("word/document.xml", &huge)]);
    assert!(bomb.len() < 1024 * 1024);
    let e = err("a.docx", &bomb);
    assert_eq!(e, ImportError::DocxTooLarge { limit_mib: 64 });
    assert!(e.to_string().contains("zip bomb"));
}

#[test]
fn foreign_documents_are_named() {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend_from_slice("Канарейкин".as_bytes());
    let e = err("a.txt", &pdf);
    assert!(e.to_string().contains("a PDF document"), "{e}");
    assert_clean(&e);
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend_from_slice("Qzxcanary".as_bytes());
    let e = err("protected.docx", &ole);
    assert!(e.to_string().contains("password-protected"), "{e}");
    assert_clean(&e);
    let e = err("a.rtf", b"{\\rtf1\\ansi Qzxcanary}");
    assert!(e.to_string().contains("RTF"));
    assert_clean(&e);
}

fn numbered(speakers: (&str, &str), n: usize) -> Transcript {
    let text: String = (0..n)
        .map(|i| {
            let s = if i % 2 == 0 { speakers.0 } else { speakers.1 };
            format!("{s}: Канарейкин реплика {i}\n")
        })
        .collect();
    read_transcript("t.txt", text.as_bytes()).unwrap()
}

#[test]
fn translation_turn_count_mismatch() {
    let original = numbered(("Интервьюер", "Респондент"), 25);
    let translation = numbered(("Interviewer", "Respondent"), 24);
    let e = align_translation(&original, &translation).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the translation has 24 turns but the original has 25"
    );
    assert_clean(&e);
}

#[test]
fn translation_out_of_step() {
    let original = read_transcript(
        "o.txt",
        "Интервьюер: Канарейкин\nРеспондент: а\nИнтервьюер: б\nРеспондент: в\n".as_bytes(),
    )
    .unwrap();
    let translation = read_transcript(
        "t.txt",
        "Interviewer: a\nRespondent: b\nRespondent: c\nInterviewer: d\n".as_bytes(),
    )
    .unwrap();
    let e = align_translation(&original, &translation).unwrap_err();
    assert_eq!(e, ImportError::SpeakerMismatch { turn: 3 });
    assert_clean(&e);
}

#[test]
fn warnings_carry_no_content() {
    let md = "---\nКанарейкин: 1\n---\n# Канарейкин\n**Интервьюер:** а\n**Интервьюер:** б\n**Респондент:** в\n**Респондент:** г\n**Qzxcanary:** д\nИнтервьюер:\n";
    let t = read_transcript("a.txt", md.as_bytes()).unwrap();
    assert!(t.warnings.len() >= 3, "{:?}", t.warnings);
    for w in &t.warnings {
        for c in CANARIES.iter().chain(&["Интервьюер", "Респондент"]) {
            assert!(!w.contains(c), "warning leaks content: {w}");
        }
    }
}
