//! Batch-import manifests: CSV (documented default) and JSON.

use fieldvault_import::*;

fn entry(
    file: &str,
    translation: Option<&str>,
    persons: &[&str],
    date: &str,
    lang: &str,
) -> ManifestEntry {
    ManifestEntry {
        file: file.into(),
        translation: translation.map(Into::into),
        persons: persons.iter().map(|p| (*p).into()).collect(),
        date: date.into(),
        lang: lang.into(),
    }
}

#[test]
fn csv_manifest() {
    let csv = "\u{FEFF}file,translation,persons,date,lang\n\
               # a comment line\n\
               01.txt,01.en.txt,p1,2021-03-14,ru\n\
               \n\
               \"интервью 3.docx\",,Respondent 5;p7,2021-05-20,kk\n\
               06.vtt,, p3 ,2021-08-19,en\n";
    assert_eq!(
        read_manifest(csv.as_bytes()).unwrap(),
        [
            entry("01.txt", Some("01.en.txt"), &["p1"], "2021-03-14", "ru"),
            entry(
                "интервью 3.docx",
                None,
                &["Respondent 5", "p7"],
                "2021-05-20",
                "kk"
            ),
            entry("06.vtt", None, &["p3"], "2021-08-19", "en"),
        ]
    );
}

#[test]
fn csv_columns_in_any_order_semicolons_and_no_translation_column() {
    let csv = "Lang;Date;Persons;File\nru;2021-03-14;\"p1,p2\";a.txt\n";
    assert_eq!(
        read_manifest(csv.as_bytes()).unwrap(),
        [entry("a.txt", None, &["p1", "p2"], "2021-03-14", "ru")]
    );
    // Windows-1251 from a Russian spreadsheet.
    let (bytes, _, _) = encoding_rs::WINDOWS_1251
        .encode("file,persons,date,lang\nинтервью.txt,Респондент 1,2021-03-14,ru\n");
    assert_eq!(read_manifest(&bytes).unwrap()[0].file, "интервью.txt");
}

#[test]
fn json_manifest_like_the_corpus() {
    let json = r#"{"transcripts": [
        {"file": "01.txt", "translation": "01.en.txt", "persons": ["p1"], "date": "2021-03-14", "lang": "ru"},
        {"file": "06.txt", "translation": null, "persons": ["p3", "p4"], "date": "2021-08-19", "lang": "en"}
    ]}"#;
    assert_eq!(
        read_manifest(json.as_bytes()).unwrap(),
        [
            entry("01.txt", Some("01.en.txt"), &["p1"], "2021-03-14", "ru"),
            entry("06.txt", None, &["p3", "p4"], "2021-08-19", "en"),
        ]
    );
    let bare = r#"[{"file": "a.srt", "persons": "p1; p2", "date": "2020-02-29", "lang": "kk-KZ"}]"#;
    assert_eq!(
        read_manifest(bare.as_bytes()).unwrap(),
        [entry("a.srt", None, &["p1", "p2"], "2020-02-29", "kk-KZ")]
    );
}

#[test]
fn manifest_errors_name_the_line_and_quote_nothing() {
    let canary = "Канарейкин";
    let cases: &[(&str, &str)] = &[
        ("file,translation,persons,date,lang\nКанарейкин.txt,,p1,14.03.2021,ru\n", "manifest line 2: the date"),
        ("file,translation,persons,date,lang\nКанарейкин.txt,,p1,2021-02-30,ru\n", "manifest line 2: the date"),
        ("file,translation,persons,date,lang\nКанарейкин.txt,,,2021-03-14,ru\n", "manifest line 2: no persons"),
        ("file,translation,persons,date,lang\na.txt,,p1,2021-03-14,ru\nКанарейкин.txt,,p1,2021-03-14,Russian\n", "manifest line 3: the language"),
        ("file,translation,persons,date,lang\n,,Канарейкин,2021-03-14,ru\n", "manifest line 2: the file name is missing"),
        ("file,translation,persons,date,lang\nКанарейкин,,p1,2021-03-14,ru,extra\n", "manifest line 2: this row has 6 fields but the header has 5"),
        ("file,persons,when,lang\nКанарейкин.txt,p1,2021-03-14,ru\n", "unknown column 3"),
        ("file,translation,persons,lang\nКанарейкин.txt,,p1,ru\n", "no 'date' column"),
        ("file,translation,persons,date,lang\n", "lists no transcripts"),
        ("", "the manifest is empty"),
        ("{\"transcripts\": [{\"file\": \"Канарейкин\"", "not valid JSON"),
        ("[{\"file\": \"Канарейкин.txt\", \"persons\": [\"p1\"], \"date\": \"2021-03-14\", \"lang\": 7}]", "manifest entry 1: 'lang' must be a string"),
        ("[{\"file\": \"Канарейкин.txt\", \"persons\": [1], \"date\": \"2021-03-14\", \"lang\": \"ru\"}]", "manifest entry 1: 'persons' must be a list"),
    ];
    for (input, expected) in cases {
        let e = read_manifest(input.as_bytes()).unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains(expected), "{input:?}: {shown}");
        assert!(!shown.contains(canary), "{shown}");
    }
}
