//! Property tests: no input makes a reader panic, and rendering valid turns
//! to each text format and reading them back gives the same turns.

mod common;

use common::*;
use fieldvault_import::*;
use proptest::prelude::*;

const EXTENSIONS: &[&str] = &[
    "a.txt", "a.md", "a.vtt", "a.srt", "a.sbv", "a.docx", "noext",
];

/// Characters that exercise the parsers' special cases.
fn tricky_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "([a-zA-Zа-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІ0-9 :\\-\\*#>\\[\\]()<>&;.,!?_/\\\\{}\"«»\n\t\r]|WEBVTT|NOTE|-->|00:00:0[0-9][.,][0-9]{3}|\\*\\*|<v |</v>|&amp;|\n\n){0,120}",
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for name in EXTENSIONS {
            let _ = read_transcript(name, &bytes);
        }
        let _ = decode_text(&bytes);
        let _ = read_manifest(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(s in tricky_text()) {
        for name in EXTENSIONS {
            let _ = read_transcript(name, s.as_bytes());
        }
        for prefix in ["WEBVTT\n\n", "1\n00:00:01,000 --> 00:00:02,000\n", "---\n", "**A:** x\n"] {
            let text = format!("{prefix}{s}");
            for name in EXTENSIONS {
                let _ = read_transcript(name, text.as_bytes());
            }
        }
        let _ = read_manifest(format!("file,translation,persons,date,lang\n{s}").as_bytes());
        let _ = read_manifest(format!("{{\"transcripts\":[{s}]}}").as_bytes());
    }

    #[test]
    fn successful_reads_are_well_formed(s in tricky_text(), ext in 0..EXTENSIONS.len()) {
        if let Ok(t) = read_transcript(EXTENSIONS[ext], s.as_bytes()) {
            prop_assert!(!t.turns.is_empty());
            for turn in &t.turns {
                prop_assert!(!turn.text.trim().is_empty());
                prop_assert!(turn.speaker.chars().count() <= 40);
            }
        }
    }

    #[test]
    fn arbitrary_docx_parts_never_panic(xml in tricky_text(), body in tricky_text()) {
        let _ = read_transcript("a.docx", &zip_parts(&[("word/document.xml", xml.as_bytes())]));
        let _ = read_transcript("a.docx", &docx(&body));
        let _ = read_transcript("a.docx", &docx(&p(&body)));
        let _ = read_transcript("a.docx", &docx_with(&p(&body), Some(&xml)));
    }

    #[test]
    fn corrupted_docx_never_panics(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let good = docx(&[p("Интервьюер: Сәлем"), p_bold("Респондент:", " Да"), table(&[&["A", "b"]])].concat());
        let mut bad = good.clone();
        for (i, b) in &flips {
            let at = i.index(bad.len());
            bad[at] = *b;
        }
        let _ = read_transcript("a.docx", &bad);
        let _ = read_transcript("a.docx", &good[..cut.index(good.len())]);
    }
}

fn word(
    first: &'static str,
    rest: &'static str,
    len: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    (
        proptest::sample::select(first.chars().collect::<Vec<_>>()),
        proptest::collection::vec(
            proptest::sample::select(rest.chars().collect::<Vec<_>>()),
            len,
        ),
    )
        .prop_map(|(f, r)| std::iter::once(f).chain(r).collect())
}

const UPPER: &str = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯӘҒҚҢӨҰҮҺІABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіabcdefghijklmnopqrstuvwxyz";
const TEXT_CHARS: &str = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯӘҒҚҢӨҰҮҺІabcxyzABCXYZ0123456789.,!?:;—«»()'\"-*#&_/%+=";

fn speaker() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(word(UPPER, LOWER, 1..9), 1..4).prop_map(|w| w.join(" ")),
        (word(UPPER, LOWER, 2..9), 1..99u32).prop_map(|(w, n)| format!("{w} {n}")),
    ]
    .prop_filter("labels are at most 40 characters", |s| {
        s.chars().count() <= 40
    })
}

fn text(extra: &'static str) -> impl Strategy<Value = String> {
    let chars: Vec<char> = TEXT_CHARS.chars().chain(extra.chars()).collect();
    proptest::collection::vec(
        proptest::collection::vec(proptest::sample::select(chars), 1..10)
            .prop_map(|c| c.into_iter().collect::<String>()),
        1..12,
    )
    .prop_map(|w| w.join(" "))
}

/// Turns whose consecutive speakers differ (captions merge same-speaker
/// cues), and in which every speaker talks at least twice: a cast of
/// speakers, which is what makes a file be read by speaker.
fn turns(extra: &'static str) -> impl Strategy<Value = Vec<Turn>> {
    one_round(extra)
        .prop_map(|first| {
            let mut out = first.clone();
            for t in first {
                if out.last().is_some_and(|l| l.speaker == t.speaker) {
                    continue;
                }
                out.push(t);
            }
            out
        })
        .prop_filter("at least two turns", |t| t.len() >= 2)
}

fn one_round(extra: &'static str) -> impl Strategy<Value = Vec<Turn>> {
    (
        proptest::collection::vec(speaker(), 2..5),
        proptest::collection::vec((any::<prop::sample::Index>(), text(extra)), 1..20),
    )
        .prop_map(|(pool, picks)| {
            let mut pool = pool;
            pool.sort();
            pool.dedup();
            let mut out: Vec<Turn> = Vec::new();
            for (pick, text) in picks {
                let mut s = pool[pick.index(pool.len())].clone();
                if out.last().is_some_and(|t: &Turn| t.speaker == s) {
                    if pool.len() == 1 {
                        continue;
                    }
                    let i = pool.iter().position(|p| *p == s).unwrap_or(0);
                    s = pool[(i + 1) % pool.len()].clone();
                }
                out.push(Turn {
                    speaker: s,
                    text,
                    start: None,
                });
            }
            out
        })
}

fn round_trip(turns: &[Turn], format: SourceFormat, name: &str) -> Result<(), TestCaseError> {
    let rendered = render_transcript(turns, format).unwrap();
    let back = read_transcript(name, rendered.as_bytes())
        .map_err(|e| TestCaseError::fail(format!("{format}: {e}\n{rendered}")))?;
    prop_assert_eq!(back.format, format);
    let got: Vec<(&str, &str)> = back
        .turns
        .iter()
        .map(|t| (t.speaker.as_str(), t.text.as_str()))
        .collect();
    let want: Vec<(&str, &str)> = turns
        .iter()
        .map(|t| (t.speaker.as_str(), t.text.as_str()))
        .collect();
    prop_assert_eq!(got, want, "{}:\n{}", format, rendered);
    for (i, t) in back.turns.iter().enumerate() {
        let expected = matches!(
            format,
            SourceFormat::WebVtt | SourceFormat::Srt | SourceFormat::Sbv
        )
        .then(|| {
            let s = i as u64 * 5;
            format!("00:{:02}:{:02}.000", s / 60, s % 60)
        });
        prop_assert_eq!(&t.start, &expected);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn plain_text_round_trip(t in turns("<>")) {
        round_trip(&t, SourceFormat::PlainText, "a.txt")?;
    }

    #[test]
    fn markdown_round_trip(t in turns("<>")) {
        round_trip(&t, SourceFormat::Markdown, "a.md")?;
    }

    #[test]
    fn webvtt_round_trip(t in turns("<>")) {
        round_trip(&t, SourceFormat::WebVtt, "a.vtt")?;
    }

    #[test]
    fn srt_round_trip(t in turns("")) {
        round_trip(&t, SourceFormat::Srt, "a.srt")?;
    }

    #[test]
    fn sbv_round_trip(t in turns("")) {
        round_trip(&t, SourceFormat::Sbv, "a.sbv")?;
    }

    #[test]
    fn docx_round_trip(t in turns("<>")) {
        // Half the turns as "Speaker: text" paragraphs, half as bold leading runs.
        let body: String = t
            .iter()
            .enumerate()
            .map(|(i, turn)| {
                if i % 2 == 0 {
                    p(&format!("{}: {}", turn.speaker, turn.text))
                } else {
                    p_bold(&format!("{}:", turn.speaker), &format!(" {}", turn.text))
                }
            })
            .collect();
        let back = read_transcript("a.docx", &docx(&body)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.turns, t);
    }

    #[test]
    fn decode_round_trip(s in "[ -~а-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІ«»—…\n\t]{1,200}") {
        prop_assume!(!s.trim().is_empty());
        let utf16le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(s.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(s.encode_utf16().flat_map(|u| u.to_be_bytes())).collect();
        let bom8: Vec<u8> = b"\xEF\xBB\xBF".iter().copied().chain(s.bytes()).collect();
        for (bytes, enc) in [
            (s.as_bytes().to_vec(), TextEncoding::Utf8),
            (bom8, TextEncoding::Utf8Bom),
            (utf16le, TextEncoding::Utf16Le),
            (utf16be, TextEncoding::Utf16Be),
        ] {
            prop_assert_eq!(decode_text(&bytes), Ok((s.clone(), enc)));
        }
    }

    #[test]
    fn cyrillic_code_pages_are_never_confused(
        words in proptest::collection::vec(word("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", 2..9), 1..30),
        koi8 in any::<bool>(),
    ) {
        // Random letters are not Russian; the case pattern alone must
        // decide, and a short text may be refused but never misread.
        let s = format!("Респондент: {}.", words.join(", "));
        let (page, enc) = if koi8 {
            (encoding_rs::KOI8_R, TextEncoding::Koi8R)
        } else {
            (encoding_rs::WINDOWS_1251, TextEncoding::Windows1251)
        };
        let (bytes, _, _) = page.encode(&s);
        match decode_text(&bytes) {
            Ok(got) => prop_assert_eq!(got, (s, enc)),
            Err(e) => prop_assert_eq!(e, ImportError::AmbiguousCyrillic),
        }
    }

    #[test]
    fn utf32_round_trip(s in "[ -~а-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІ«»—…😀\n\t]{1,100}") {
        prop_assume!(!s.trim().is_empty());
        let le: Vec<u8> = [0xFF, 0xFE, 0, 0].into_iter().chain(s.chars().flat_map(|c| (c as u32).to_le_bytes())).collect();
        let be: Vec<u8> = [0, 0, 0xFE, 0xFF].into_iter().chain(s.chars().flat_map(|c| (c as u32).to_be_bytes())).collect();
        prop_assert_eq!(decode_text(&le), Ok((s.clone(), TextEncoding::Utf32Le)));
        prop_assert_eq!(decode_text(&be), Ok((s, TextEncoding::Utf32Be)));
    }
}
