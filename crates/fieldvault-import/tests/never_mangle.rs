//! Issue 12, item 2: imports that never silently mangle. Each case is a
//! file as it really arrives (subtitles with one quoted "Digo:", field
//! notes with one "Important:", SDH and broadcast captions, YouTube .sbv,
//! Word documents with a stray or a metadata table, legacy encodings), and
//! what the researcher is told about it.

mod common;

use common::*;
use fieldvault_import::*;

fn pairs(t: &Transcript) -> Vec<(&str, &str)> {
    t.turns
        .iter()
        .map(|t| (t.speaker.as_str(), t.text.as_str()))
        .collect()
}

fn read(name: &str) -> Transcript {
    read_transcript(name, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn one_quoted_label_in_a_subtitle_file_does_not_make_a_dialogue() {
    let t = read("episode_es.srt");
    assert_eq!(t.format, SourceFormat::Srt);
    // Twelve cues, twelve turns, nobody collapsed into "Digo".
    assert_eq!(t.turns.len(), 12, "{:#?}", t.turns);
    assert!(t.turns.iter().all(|t| t.speaker.is_empty()));
    assert_eq!(
        t.turns[4].text,
        "Digo: \"Le doy cinco minutos más y luego salgo a buscarla\"."
    );
    assert_eq!(t.turns[4].start.as_deref(), Some("00:00:13.500"));
    assert_eq!(t.turns[2].text, "¿Sola? Con su hermano, creo.");
    assert_eq!(
        t.warnings,
        [
            "read without speakers: 1 of 12 cues carry a speaker label (cue 5), too few or too \
          varied to be the speakers of the file; each cue became a turn without a speaker and \
          the labels were kept as text"
        ]
    );
}

#[test]
fn notes_with_one_important_paragraph_import_without_speakers() {
    let t = read("field_notes.txt");
    assert_eq!(t.turns.len(), 5, "{:#?}", t.turns);
    assert!(t.turns.iter().all(|t| t.speaker.is_empty()));
    assert!(t.turns[2]
        .text
        .starts_with("Important: do not record names"));
    assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
    assert!(
        t.warnings[0].starts_with(
            "read without speakers: 1 line(s) look like 'Speaker: text' labels (line 7)"
        ),
        "{:?}",
        t.warnings
    );
}

#[test]
fn no_speakers_forces_turns_without_speakers() {
    let bytes = fixture("interview_ru.txt");
    let t = read_transcript_with("interview_ru.txt", &bytes, ReadOptions::no_speakers()).unwrap();
    assert!(t.turns.iter().all(|t| t.speaker.is_empty()));
    // One turn per paragraph, labels kept as text.
    assert!(t.turns[0].text.starts_with("Интервьюер: Запись идёт."));
    assert!(t.warnings[0].contains("not read"), "{:?}", t.warnings);
    for name in [
        "teams_voice.vtt",
        "zoom_prefix.vtt",
        "captions_ru.srt",
        "youtube.sbv",
    ] {
        let t = read_transcript_with(name, &fixture(name), ReadOptions::no_speakers()).unwrap();
        assert!(t.turns.iter().all(|t| t.speaker.is_empty()), "{name}");
        assert!(t.turns.len() > 2, "{name}");
    }
    let d = docx(
        &[
            p("Интервьюер: Сәлем"),
            p("Респондент: Сәлем"),
            p("Интервьюер: Иә"),
            p("Респондент: Жоқ"),
        ]
        .concat(),
    );
    let t = read_transcript_with("a.docx", &d, ReadOptions::no_speakers()).unwrap();
    assert_eq!(pairs(&t)[1], ("", "Респондент: Сәлем"));
}

#[test]
fn an_unlabelled_line_in_a_labelled_file_is_reported_by_line() {
    let t = read("stray_unlabelled_line.txt");
    assert_eq!(t.turns.len(), 6);
    assert_eq!(
        t.turns[3].text,
        "Человек десять, иногда больше.\nА вы тогда уже работали в газете?"
    );
    assert_eq!(
        t.warnings,
        [
            "1 unlabelled line(s) were added to the turn of the speaker before them (line 5); \
          check they are that speaker's words"
        ]
    );
    // Text before the first label is a turn of its own, named by line.
    let text = "Интервью 3, Алматы\n\nИнтервьюер: Начнём?\nРеспондент: Да.\nИнтервьюер: Хорошо.\nРеспондент: Спасибо.\n";
    let t = read_transcript("a.txt", text.as_bytes()).unwrap();
    assert_eq!(pairs(&t)[0], ("", "Интервью 3, Алматы"));
    assert_eq!(
        t.warnings,
        ["the text before the first speaker label (line 1) became a turn without a speaker"]
    );
}

#[test]
fn sdh_speaker_marks_and_sound_descriptions() {
    let t = read("sdh_en.srt");
    assert_eq!(
        pairs(&t),
        [
            ("", "[soft music]"),
            ("Interviewer", "Thank you for meeting me here."),
            (
                "Dana",
                "Of course. The door is closed, we can talk. [sighs] It started after the \
                 protest in March. [door slams]"
            ),
            ("Interviewer", "Were you afraid?"),
            ("Dana", "Every day. [Laughs]"),
        ]
    );
    assert!(t
        .warnings
        .iter()
        .any(|w| w.contains("cue 1 has no speaker")));
    assert!(
        t.warnings.iter().any(|w| w.contains("(cue 5)")),
        "{:?}",
        t.warnings
    );
}

#[test]
fn broadcast_marks_name_speakers_and_an_unnamed_change() {
    let t = read("broadcast.vtt");
    assert_eq!(
        pairs(&t),
        [
            (
                "REPORTER",
                "Good evening from the square, where people have gathered since noon."
            ),
            (
                "RESIDENT",
                "We only want clean water. Nobody listens to us."
            ),
            ("", "And the police?"),
            ("RESIDENT", "They stand over there and watch."),
            ("REPORTER", "We will follow this story."),
        ]
    );
    assert!(
        t.warnings
            .iter()
            .any(|w| w.contains("'>>') without a name (cue 4)")),
        "{:?}",
        t.warnings
    );
    assert!(
        t.warnings.iter().any(|w| w.contains("(cue 3)")),
        "{:?}",
        t.warnings
    );
}

#[test]
fn dialogue_dashes_with_names() {
    let srt = "1\n00:00:01,000 --> 00:00:03,000\n- Ana: ¿Vienes?\n- Bek: Sí.\n\n2\n00:00:03,000 --> 00:00:05,000\n-Ana: Vamos.\n-Bek: Vale.\n";
    let t = read_transcript("a.srt", srt.as_bytes()).unwrap();
    assert_eq!(
        pairs(&t),
        [
            ("Ana", "¿Vienes?"),
            ("Bek", "Sí."),
            ("Ana", "Vamos."),
            ("Bek", "Vale.")
        ]
    );
}

#[test]
fn youtube_sbv_timing_lines_never_end_up_in_turns() {
    let t = read("youtube.sbv");
    assert_eq!(t.format, SourceFormat::Sbv);
    assert_eq!(
        pairs(&t),
        [
            ("Interviewer", "Thanks for joining us today."),
            (
                "Respondent",
                "Happy to. I run a small legal-aid group in the city. It's five volunteers now."
            ),
            ("Interviewer", "How did it start?"),
            ("Respondent", "After the elections in 2022."),
        ]
    );
    let starts: Vec<&str> = t.turns.iter().filter_map(|t| t.start.as_deref()).collect();
    assert_eq!(
        starts,
        [
            "00:00:00.599",
            "00:00:04.160",
            "00:00:12.000",
            "00:00:15.500"
        ]
    );
    assert!(t.turns.iter().all(|t| !t.text.contains("0:00")));
    // Read by content whatever the name, and a bad timing line is named.
    assert_eq!(
        read_transcript("captions.txt", &fixture("youtube.sbv"))
            .unwrap()
            .format,
        SourceFormat::Sbv
    );
    let bad = "0:00:01.000,0:00:04.000\nA: да\n\n0:00:0x.000,0:00:05.000\nB: нет\n";
    let e = read_transcript("a.sbv", bad.as_bytes()).unwrap_err();
    assert_eq!(
        e,
        ImportError::BadTimestamp {
            format: SourceFormat::Sbv,
            cue: 2,
            line: 4
        }
    );
    assert_eq!(
        read_transcript("a.sbv", "просто текст".as_bytes()).unwrap_err(),
        ImportError::NotSbv
    );
}

#[test]
fn docx_stray_table_does_not_switch_to_table_mode() {
    let body = [
        p("Интервьюер: Расскажите о вашей организации."),
        p("Респондент: Мы помогаем семьям задержанных."),
        // A stray two-column table: the respondent's list of donations.
        table(&[&["Год", "Сумма"], &["2021", "120 000"], &["2022", "95 000"]]),
        p("Интервьюер: Откуда деньги?"),
        p("Респондент: Только частные пожертвования."),
    ]
    .concat();
    let t = read_transcript("a.docx", &docx(&body)).unwrap();
    assert_eq!(
        pairs(&t),
        [
            ("Интервьюер", "Расскажите о вашей организации."),
            (
                "Респондент",
                "Мы помогаем семьям задержанных.\nГод\tСумма\n2021\t120 000\n2022\t95 000"
            ),
            ("Интервьюер", "Откуда деньги?"),
            ("Респондент", "Только частные пожертвования."),
        ]
    );
    // The warning names the table rows as rows.
    assert_eq!(
        t.warnings,
        ["3 unlabelled paragraph(s) or row(s) were added to the turn of the speaker before them \
          (table 1 rows 1-3); check they are that speaker's words"]
    );
    // A stray table in a document without labels is text too.
    let body = [
        p("Заметки после встречи."),
        table(&[&["Кто", "Роль"], &["Координатор", "организует"]]),
        p("Следующая встреча через две недели."),
    ]
    .concat();
    let t = read_transcript("a.docx", &docx(&body)).unwrap();
    assert_eq!(t.turns.len(), 4);
    assert!(t.turns.iter().all(|t| t.speaker.is_empty()));
}

#[test]
fn docx_metadata_table_at_the_top_becomes_metadata() {
    let body = [
        table(&[
            &["Дата", "14.03.2021"],
            &["Место", "Шымкент, офис фонда"],
            &["Интервьюер", "А. Сапарова"],
        ]),
        p("Интервьюер: Начнём?"),
        p("Респондент: Да, давайте."),
        p("Интервьюер: Спасибо."),
        p("Респондент: Пожалуйста."),
    ]
    .concat();
    let t = read_transcript("a.docx", &docx(&body)).unwrap();
    assert_eq!(t.turns.len(), 4);
    assert_eq!(t.turns[0].text, "Начнём?");
    assert_eq!(t.metadata_value(MetadataKind::Date), Some("14.03.2021"));
    assert_eq!(
        t.metadata_value(MetadataKind::Place),
        Some("Шымкент, офис фонда")
    );
    assert_eq!(
        t.metadata_value(MetadataKind::Interviewer),
        Some("А. Сапарова")
    );
    assert_eq!(t.metadata[1].label, "Место");
    assert_eq!(
        t.warnings,
        ["read table 1 at the top as interview metadata (date, place, interviewer), not as turns"]
    );
    // English labels with colons, and an unknown row kept as "other".
    let body = [
        table(&[
            &["Date:", "2023-05-02"],
            &["Place:", "online"],
            &["Project", "Water rights"],
        ]),
        p("Interviewer: Shall we start?"),
        p("Respondent: Yes."),
    ]
    .concat();
    let t = read_transcript("a.docx", &docx(&body)).unwrap();
    assert_eq!(t.metadata.len(), 3);
    assert_eq!(t.metadata[2].kind, MetadataKind::Other);
    assert_eq!(
        pairs(&t),
        [("Interviewer", "Shall we start?"), ("Respondent", "Yes.")]
    );
    // A speaker table at the top whose speakers are "Интервьюер" and
    // "Респондент" stays a transcript.
    let body = table(&[
        &["Интервьюер", "Когда вас задержали?"],
        &["Респондент", "В марте."],
        &["Интервьюер", "Где?"],
        &["Респондент", "У здания суда."],
    ]);
    let t = read_transcript("a.docx", &docx(&body)).unwrap();
    assert!(t.metadata.is_empty());
    assert_eq!(t.turns.len(), 4);
    assert_eq!(pairs(&t)[3], ("Респондент", "У здания суда."));
}

#[test]
fn windows_1252_koi8r_and_utf32_files() {
    let t = read("interview_cp1252.txt");
    assert_eq!(t.encoding, Some(TextEncoding::Windows1252));
    assert_eq!(t.turns.len(), 6);
    assert_eq!(
        t.turns[3].text,
        "We run a “bureau d’accueil” for new arrivals: papers, housing, the préfecture."
    );
    assert!(t.warnings[0].contains("Windows-1252"), "{:?}", t.warnings);
    let t = read("interview_koi8r.txt");
    assert_eq!(t.encoding, Some(TextEncoding::Koi8R));
    assert_eq!(
        pairs(&t)[1],
        (
            "Респондент",
            "Меня позвала подруга, когда задержали её брата."
        )
    );
    assert!(t.warnings[0].contains("KOI8-R"), "{:?}", t.warnings);
    // The same text in Windows-1251 is read as Windows-1251.
    let t = read("interview_cp1251.txt");
    assert_eq!(t.encoding, Some(TextEncoding::Windows1251));
    let t = read("interview_utf32le.txt");
    assert_eq!(t.encoding, Some(TextEncoding::Utf32Le));
    assert_eq!(
        pairs(&t)[1],
        ("Респондент", "Иә, болады. Тек атымды жазбаңыз.")
    );
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
}

#[test]
fn folder_entries_say_why_they_are_skipped() {
    let verdicts: Vec<(&str, FolderEntry)> = [
        "01.txt",
        "02.docx",
        "03.odt",
        "consent scan.pdf",
        "README.md",
        "notes.txt",
        "~$02.docx",
        "youtube.sbv",
    ]
    .into_iter()
    .map(|n| (n, folder_entry(n)))
    .collect();
    let imported: Vec<&str> = verdicts
        .iter()
        .filter(|(_, v)| *v == FolderEntry::Import)
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(imported, ["01.txt", "02.docx", "youtube.sbv"]);
    for (name, v) in &verdicts {
        if let FolderEntry::Skip(why) = v {
            let why = why.to_string();
            assert!(!why.is_empty() && !why.contains(name), "{name}: {why}");
        }
    }
    assert!(EXTENSIONS.contains(&"sbv"));
    for ext in EXTENSIONS {
        assert!(
            format_from_extension(&format!("a.{ext}")).is_some(),
            "{ext}"
        );
    }
}
