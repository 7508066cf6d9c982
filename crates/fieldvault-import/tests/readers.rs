//! Each reader on realistic Russian and Kazakh samples.

mod common;

use common::*;
use fieldvault_import::*;

fn pairs(t: &Transcript) -> Vec<(&str, &str)> {
    t.turns
        .iter()
        .map(|t| (t.speaker.as_str(), t.text.as_str()))
        .collect()
}

#[test]
fn plain_text_russian_with_continuations_and_timestamps() {
    let t = read_transcript("interview_ru.txt", &fixture("interview_ru.txt")).unwrap();
    assert_eq!(t.format, SourceFormat::PlainText);
    assert_eq!(t.encoding, Some(TextEncoding::Utf8));
    assert_eq!(t.turns.len(), 6, "{:#?}", t.turns);
    let speakers: Vec<&str> = t.turns.iter().map(|t| t.speaker.as_str()).collect();
    assert_eq!(
        speakers,
        [
            "Интервьюер",
            "Респондент",
            "Интервьюер",
            "Респондент",
            "Интервьюер",
            "Респондент"
        ]
    );
    // "Сегодня в 10:30 мы" is not a speaker; the blank line is a paragraph in the same turn.
    assert_eq!(
        t.turns[3].text,
        "В 2016 году мы с соседями начали сами чистить арыки.\n\
         Сегодня в 10:30 мы снова выходим на субботник.\n\
         А потом к нам присоединились пенсионеры из соседнего дома."
    );
    assert_eq!(t.turns[4].start.as_deref(), Some("00:12:40.000"));
    assert_eq!(t.turns[4].text, "Как вы финансируетесь?");
    assert_eq!(t.turns[5].start.as_deref(), Some("00:13:05.000"));
    assert_eq!(t.turns[0].start, None);
    // The lines joined to the respondent's turn are named: the consent gate
    // attributes them to that speaker.
    assert_eq!(
        t.warnings,
        [
            "2 unlabelled line(s) were added to the turn of the speaker before them (lines 5, 7); \
          check they are that speaker's words"
        ]
    );
}

#[test]
fn markdown_kazakh_front_matter_headings_bold_quotes() {
    let t = read_transcript("interview_kk.md", &fixture("interview_kk.md")).unwrap();
    assert_eq!(t.format, SourceFormat::Markdown);
    assert_eq!(
        pairs(&t),
        [
            ("Сұхбаттасушы", "Жанар апай, жазуды бастадым. Келісесіз бе?"),
            (
                "Респондент",
                "Иә, келісемін. Тек атымды кітапқа жазбаңыз, ауылда бәрі бір-бірін таниды."
            ),
            ("Сұхбаттасушы", "Өзіңіз туралы айтып беріңізші."),
            ("Респондент", "Мен ауылда туып-өстім."),
            ("Сұхбаттасушы", "Рахмет."),
        ]
    );
    assert_eq!(t.warnings.len(), 2, "{:?}", t.warnings);
    assert!(t.warnings[0].contains("front matter"));
    assert!(t.warnings[1].contains("2 Markdown heading"));
    // No warning quotes the headings.
    assert!(t.warnings.iter().all(|w| !w.contains("Сұхбат")));
}

#[test]
fn txt_with_markdown_front_matter_is_read_as_markdown() {
    let text = "---\nid: 7\n---\n**Интервьюер:** Сәлем\n**Респондент:** Сәлем\n";
    let t = read_transcript("x.txt", text.as_bytes()).unwrap();
    assert_eq!(t.format, SourceFormat::Markdown);
    assert_eq!(t.turns.len(), 2);
    assert!(t.warnings.iter().any(|w| w.contains("named as plain text")));
}

#[test]
fn webvtt_teams_voice_tags_notes_styles_and_merging() {
    let t = read_transcript("meeting.vtt", &fixture("teams_voice.vtt")).unwrap();
    assert_eq!(t.format, SourceFormat::WebVtt);
    assert_eq!(
        pairs(&t),
        [
            ("Интервьюер", "Здравствуйте! Запись идёт, вы согласны?"),
            (
                "Респондент",
                "Да, согласна. Только имя & фамилию потом уберите."
            ),
            ("Интервьюер", "Конечно."),
            ("Респондент", "Сәлеметсіз бе, бәрі жақсы."),
        ]
    );
    let starts: Vec<Option<&str>> = t.turns.iter().map(|t| t.start.as_deref()).collect();
    assert_eq!(
        starts,
        [
            Some("00:00:01.000"),
            Some("00:00:04.500"),
            Some("00:00:10.000"),
            Some("00:00:12.500")
        ]
    );
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
}

#[test]
fn webvtt_zoom_speaker_prefixes() {
    let t = read_transcript("GMT20210314-zoom.vtt", &fixture("zoom_prefix.vtt")).unwrap();
    assert_eq!(
        pairs(&t),
        [
            (
                "Айгерим Сапарова",
                "Добрый день, всех слышно? Тогда начинаем."
            ),
            (
                "Ерлан Ж.",
                "Да, слышно хорошо. Продолжаю мысль: у нас всё в порядке."
            ),
        ]
    );
    assert_eq!(t.turns[1].start.as_deref(), Some("00:00:05.200"));
}

#[test]
fn srt_speaker_prefixes_tags_and_dialogue_dashes() {
    let t = read_transcript("captions.srt", &fixture("captions_ru.srt")).unwrap();
    assert_eq!(t.format, SourceFormat::Srt);
    assert_eq!(
        pairs(&t),
        [
            ("Интервьюер", "Расскажите о себе."),
            (
                "Респондент",
                "Я учительница, работаю в школе. пятнадцать лет."
            ),
            ("Интервьюер", "Спасибо."),
            ("Респондент", "Пожалуйста."),
        ]
    );
    assert_eq!(t.turns[1].start.as_deref(), Some("00:00:04.500"));
    assert_eq!(t.turns[3].start.as_deref(), Some("00:00:09.500"));
}

#[test]
fn windows_1251_file() {
    let t = read_transcript("old.txt", &fixture("interview_cp1251.txt")).unwrap();
    assert_eq!(t.encoding, Some(TextEncoding::Windows1251));
    assert_eq!(t.turns.len(), 4);
    assert_eq!(t.turns[1].speaker, "Респондент");
    assert!(t.turns[3].text.ends_with("Ёлки-палки!"));
}

#[test]
fn utf16le_with_bom_and_utf16be_without_bom() {
    let t = read_transcript("word-unicode.txt", &fixture("interview_utf16le.txt")).unwrap();
    assert_eq!(t.encoding, Some(TextEncoding::Utf16Le));
    assert_eq!(t.turns.len(), 4);
    assert_eq!(t.turns[0].speaker, "Сұхбаттасушы");
    assert_eq!(t.turns[0].text, "Арман, сәлем. Жазуды қосайын ба?");
    let b = read_transcript("x.txt", &fixture("interview_utf16be_nobom.txt")).unwrap();
    assert_eq!(b.encoding, Some(TextEncoding::Utf16Be));
    assert_eq!(b.turns, t.turns);
}

#[test]
fn decode_text_encodings_and_normalisation() {
    let (s, e) = decode_text("a\r\nb\rc\n".as_bytes()).unwrap();
    assert_eq!((s.as_str(), e), ("a\nb\nc\n", TextEncoding::Utf8));
    let (s, e) = decode_text(b"\xEF\xBB\xBFok").unwrap();
    assert_eq!((s.as_str(), e), ("ok", TextEncoding::Utf8Bom));
    // NFC: "й" written as и + combining breve.
    let (s, _) = decode_text("Респонденти\u{306}: да".as_bytes()).unwrap();
    assert_eq!(s, "Респондентй: да");
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain("Жоқ".encode_utf16().flat_map(|u| u.to_be_bytes()))
        .collect();
    assert_eq!(
        decode_text(&be).unwrap(),
        ("Жоқ".into(), TextEncoding::Utf16Be)
    );
    // A DOS end-of-file marker is tolerated.
    assert_eq!(decode_text(b"ok\x1a").unwrap().0, "ok");
}

#[test]
fn no_speaker_labels_become_unlabelled_paragraph_turns() {
    let text = "Первый абзац расшифровки.\nВторая строка абзаца.\n\nВторой абзац.\n";
    let t = read_transcript("notes.txt", text.as_bytes()).unwrap();
    assert_eq!(
        pairs(&t),
        [
            ("", "Первый абзац расшифровки.\nВторая строка абзаца."),
            ("", "Второй абзац.")
        ]
    );
    assert!(t.warnings[0].contains("no 'Speaker: text' labels"));
}

#[test]
fn label_on_its_own_line_rev_and_otter_styles() {
    let rev = "Speaker 1 (00:00:03):\nСәлеметсіз бе.\n\nSpeaker 2 (00:00:09):\nСәлем.\nҚалайсыз?\n";
    let t = read_transcript("rev.txt", rev.as_bytes()).unwrap();
    assert_eq!(
        pairs(&t),
        [
            ("Speaker 1", "Сәлеметсіз бе."),
            ("Speaker 2", "Сәлем.\nҚалайсыз?")
        ]
    );
    assert_eq!(t.turns[1].start.as_deref(), Some("00:00:09.000"));
    // The lines below a label alone on its line are its turn, not joins.
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    let otter = "Speaker 1  0:03\nДобрый день.\n\nSpeaker 2  0:09\nЗдравствуйте.\n";
    let t = read_transcript("otter.txt", otter.as_bytes()).unwrap();
    assert_eq!(
        pairs(&t),
        [
            ("Speaker 1", "Добрый день."),
            ("Speaker 2", "Здравствуйте.")
        ]
    );
}

#[test]
fn content_beats_extension() {
    let vtt = fixture("teams_voice.vtt");
    let t = read_transcript("export.txt", &vtt).unwrap();
    assert_eq!(t.format, SourceFormat::WebVtt);
    assert!(t.warnings[0].contains("named as plain text"));
    let srt = fixture("captions_ru.srt");
    let t = read_transcript("captions.vtt", &srt).unwrap();
    assert_eq!(t.format, SourceFormat::Srt);
    let t = read_transcript("no-extension", &srt).unwrap();
    assert_eq!(t.format, SourceFormat::Srt);
    assert!(t.warnings.is_empty());
    let d = docx(&p("Интервьюер: Сәлем"));
    let t = read_transcript("saved-wrong.txt", &d).unwrap();
    assert_eq!(t.format, SourceFormat::Docx);
    assert!(t.warnings[0].contains("DOCX"));
    // A VTT file without its WEBVTT line is still read, with a warning.
    let headless = "1\n00:00:01.000 --> 00:00:02.000\n<v A>Да</v>\n";
    let t = read_transcript("x.vtt", headless.as_bytes()).unwrap();
    assert_eq!(t.format, SourceFormat::Srt); // it has the SRT shape
    assert_eq!(
        format_from_extension("C:\\a.b\\INTERVIEW.DOCX"),
        Some(SourceFormat::Docx)
    );
    assert_eq!(format_from_extension("dir.v1/noext"), None);
}

#[test]
fn docx_prefixes_bold_runs_tabs_breaks_and_headings() {
    let body = [
        // A title by style id resolved through styles.xml (Russian Word uses ids like "1").
        r#"<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>Интервью № 3</w:t></w:r></w:p>"#.to_owned(),
        r#"<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Сұхбат</w:t></w:r></w:p>"#.to_owned(),
        "<w:p/>".to_owned(),
        p("Интервьюер: Надежда Петровна, спасибо, что согласились."),
        p_bold("Респондент:", " Нормально, деточка."),
        // Bold name without a colon, then a tab; bold speakers used twice count.
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Интервьюер</w:t></w:r><w:r><w:tab/><w:t>Как вы пришли</w:t><w:br/><w:t>к общественной работе?</w:t></w:r></w:p>"#
        .to_owned(),
        p_bold("Респондент", " В 2012 году."),
        // Not bold any more (w:val="0"), so the continuation stays in the turn.
        r#"<w:p><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>Мы пошли в акимат.</w:t></w:r></w:p>"#.to_owned(),
        // Emphasis followed by punctuation is not a speaker.
        p_bold("Нет", ", нас не пустили."),
        // Deleted tracked changes and field codes are ignored.
        r#"<w:p><w:r><w:t>Интервьюер: Понятно.</w:t></w:r><w:del><w:r><w:delText>секрет</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>"#.to_owned(),
    ]
    .concat();
    let styles = r#"<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="a"><w:name w:val="Normal"/></w:style>"#;
    let t = read_transcript("interview.docx", &docx_with(&body, Some(styles))).unwrap();
    assert_eq!(t.format, SourceFormat::Docx);
    assert_eq!(t.encoding, None);
    assert_eq!(
        pairs(&t),
        [
            ("Интервьюер", "Надежда Петровна, спасибо, что согласились."),
            ("Респондент", "Нормально, деточка."),
            ("Интервьюер", "Как вы пришли\nк общественной работе?"),
            (
                "Респондент",
                "В 2012 году.\nМы пошли в акимат.\nНет, нас не пустили."
            ),
            ("Интервьюер", "Понятно."),
        ]
    );
    assert_eq!(
        t.warnings,
        [
            "skipped 2 heading or title paragraph(s)",
            "2 unlabelled paragraph(s) or row(s) were added to the turn of the speaker before \
             them (paragraphs 5-6); check they are that speaker's words"
        ]
    );
}

#[test]
fn docx_table_of_speaker_rows() {
    let body = table(&[
        &["Время", "Спикер", "Текст"],
        &["00:00:01", "Сұхбаттасушы", "Сәлеметсіз бе?"],
        &["00:00:04", "Респондент:", "Сәлем. Жақсы."],
        &["", "", "Жалғасы."],
        &["00:00:09", "Сұхбаттасушы", "Рахмет."],
    ]);
    let t = read_transcript("export.docx", &docx(&body)).unwrap();
    assert_eq!(
        pairs(&t),
        [
            ("Сұхбаттасушы", "Сәлеметсіз бе?"),
            ("Респондент", "Сәлем. Жақсы.\nЖалғасы."),
            ("Сұхбаттасушы", "Рахмет."),
        ]
    );
    assert_eq!(t.turns[1].start.as_deref(), Some("00:00:04.000"));
    assert!(t.warnings.iter().any(|w| w.contains("header row")));
}

#[test]
fn docx_bold_name_on_its_own_paragraph() {
    let body = [
        p_bold("Введение", ""),
        p("Это вступление без говорящего."),
        p_bold("Айгерим Сапарова", ""),
        p("Добрый день."),
        p("Начнём."),
        p_bold("Ерлан Жумабаев", ""),
        p("Здравствуйте."),
        p_bold("Айгерим Сапарова", ""),
        p("Спасибо."),
        p_bold("Ерлан Жумабаев", ""),
        p("Пожалуйста."),
    ]
    .concat();
    let t = read_transcript("meet.docx", &docx(&body)).unwrap();
    assert_eq!(
        pairs(&t),
        [
            // Nothing comes before it, so a short bold line starts the first
            // turn (rather than refusing the file), with a warning.
            ("Введение", "Это вступление без говорящего."),
            ("Айгерим Сапарова", "Добрый день.\nНачнём."),
            ("Ерлан Жумабаев", "Здравствуйте."),
            ("Айгерим Сапарова", "Спасибо."),
            ("Ерлан Жумабаев", "Пожалуйста."),
        ]
    );
    assert_eq!(
        t.warnings,
        [
            "1 unlabelled paragraph(s) or row(s) were added to the turn of the speaker before \
             them (paragraph 5); check they are that speaker's words",
            "1 speaker label(s) occur only once (paragraph 1); check each is really a new speaker"
        ]
    );
    // Used once, in the middle of a turn: not a label, text kept as written.
    let body = [
        p("Интервьюер: Сәлем."),
        p_bold("Маңызды", ""),
        p("Респондент: Иә."),
    ]
    .concat();
    let t = read_transcript("x.docx", &docx(&body)).unwrap();
    assert_eq!(
        pairs(&t),
        [("Интервьюер", "Сәлем.\nМаңызды"), ("Респондент", "Иә.")]
    );
}

#[test]
fn docx_without_labels() {
    let body = [p("Бірінші абзац."), p("   "), p("Екінші абзац.")].concat();
    let t = read_transcript("notes.docx", &docx(&body)).unwrap();
    assert_eq!(pairs(&t), [("", "Бірінші абзац."), ("", "Екінші абзац.")]);
    assert_eq!(t.warnings.len(), 1);
}

#[test]
fn align_translation_pairs_turns() {
    let ru = read_transcript(
        "a.txt",
        "Интервьюер: Привет\nРеспондент: Да\nИнтервьюер: Ну?".as_bytes(),
    )
    .unwrap();
    let en = read_transcript(
        "a.en.txt",
        "Interviewer: Hi\nRespondent: Yes\nInterviewer: Well?".as_bytes(),
    )
    .unwrap();
    assert_eq!(
        align_translation(&ru, &en).unwrap(),
        [
            Some("Hi".to_owned()),
            Some("Yes".to_owned()),
            Some("Well?".to_owned())
        ]
    );
}

#[test]
fn align_by_position_is_explicit_and_lossless() {
    let o = read_transcript("o.txt", "A: 1\nB: 2\nA: 3".as_bytes()).unwrap();
    let short = read_transcript("s.txt", "X: one\nY: two".as_bytes()).unwrap();
    assert_eq!(
        align_translation_by_position(&o, &short),
        [Some("one".to_owned()), Some("two".to_owned()), None]
    );
    let long = read_transcript("l.txt", "X: one\nY: two\nX: three\nY: four".as_bytes()).unwrap();
    assert_eq!(
        align_translation_by_position(&o, &long),
        [
            Some("one".to_owned()),
            Some("two".to_owned()),
            Some("three\nfour".to_owned())
        ]
    );
}

#[test]
fn render_then_read_is_identity_on_a_sample() {
    let turns = vec![
        Turn {
            speaker: "Сұхбаттасушы".into(),
            text: "Сәлем & <қош> келдіңіз".into(),
            start: Some("00:00:01.000".into()),
        },
        Turn {
            speaker: "Респондент".into(),
            text: "Рахмет: бәрі жақсы.".into(),
            start: Some("00:00:06.000".into()),
        },
    ];
    for (name, format) in [
        ("a.vtt", SourceFormat::WebVtt),
        ("a.srt", SourceFormat::Srt),
    ] {
        let text = render_transcript(&turns, format).unwrap();
        let back = read_transcript(name, text.as_bytes()).unwrap();
        assert_eq!(back.turns, turns, "{format}");
    }
    assert_eq!(render_transcript(&turns, SourceFormat::Docx), None);
}

#[test]
fn display_names() {
    assert_eq!(SourceFormat::PlainText.to_string(), "plain text");
    assert_eq!(SourceFormat::WebVtt.to_string(), "WebVTT");
    assert_eq!(SourceFormat::Docx.to_string(), "DOCX");
    assert_eq!(TextEncoding::Windows1251.to_string(), "Windows-1251");
    assert_eq!(TextEncoding::Utf16Le.to_string(), "UTF-16 little-endian");
}
