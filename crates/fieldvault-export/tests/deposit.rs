//! Archive deposit packages: the documented files, exact texts, logs that
//! add up, a methods paragraph made from the data, checksums that verify,
//! and refusals of what cannot be deposited.

mod common;

use common::*;
use fieldvault_export::{
    methods_paragraph, render_deposit, AnonymisationLog, Deposit, DepositInterview, DepositPerson,
    DepositTranslation, ExportError, CONSENT_COLUMNS, DATA_LIST_COLUMNS,
};
use sha2::{Digest, Sha256};

const RU: &str = "Interviewer: Расскажите о работе [an independent NGO].\nRespondent 26: Мы боремся за права. Звоните [phone].\n";
const EN: &str = "Interviewer: Tell me about the work of [an independent NGO].\nRespondent 26: We fight for rights. Call [phone].\n";
const KK: &str =
    "Сұхбаттасушы: Бастаңыз.\nRespondent 7: =Біз бірге жұмыс істейміз, [Respondent 26] да.\n";

fn deposit() -> Deposit {
    Deposit {
        title: "Civil society under pressure".into(),
        created: CREATED.into(),
        tool: "fieldvault 0.1.0".into(),
        leak_checked: true,
        interviews: vec![
            DepositInterview {
                pseudonyms: vec!["Respondent 26".into()],
                descriptors: vec!["representative of a CSO".into()],
                month: "2021-05".into(),
                language: "ru".into(),
                language_name: "Russian".into(),
                turns: 2,
                original: RU.into(),
                translation: Some(DepositTranslation {
                    language: "en".into(),
                    language_name: "English".into(),
                    text: EN.into(),
                }),
                log: AnonymisationLog {
                    replacements: vec![("organisation".into(), 2), ("phone".into(), 2)],
                    decisions: vec![("kept".into(), 1)],
                    rules: vec![
                        "registered terms and their forms".into(),
                        "Kazakhstan phone numbers".into(),
                    ],
                },
            },
            DepositInterview {
                pseudonyms: vec!["Respondent 7".into()],
                descriptors: vec!["journalist".into()],
                month: "2022-11".into(),
                language: "kk".into(),
                language_name: "Kazakh".into(),
                turns: 2,
                original: KK.into(),
                translation: None,
                log: AnonymisationLog {
                    replacements: vec![("person".into(), 1)],
                    decisions: vec![("redacted".into(), 2), ("allowed".into(), 1)],
                    rules: vec!["registered person names and their forms".into()],
                },
            },
        ],
        persons: vec![
            DepositPerson {
                pseudonym: "Respondent 26".into(),
                descriptor: Some("representative of a CSO".into()),
                consent_date: "2021-05-20".into(),
                method: "verbal-recorded".into(),
                scopes: vec![
                    ("recording".into(), true),
                    ("quotes".into(), true),
                    ("archive".into(), true),
                    ("secondary use".into(), false),
                ],
                attribution: "pseudonym".into(),
                embargo_until: None,
                withdrawals: vec![],
            },
            DepositPerson {
                pseudonym: "Respondent 7".into(),
                descriptor: Some("journalist".into()),
                consent_date: "2022-11-02".into(),
                method: "written".into(),
                scopes: vec![
                    ("recording".into(), true),
                    ("quotes".into(), false),
                    ("archive".into(), true),
                    ("secondary use".into(), true),
                ],
                attribution: "anonymous".into(),
                embargo_until: Some("2026-01-01".into()),
                withdrawals: vec![("quotes".into(), "2023-03-01".into())],
            },
        ],
    }
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn raw<'a>(entries: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &entries.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn the_package_holds_the_documented_files() {
    let entries = unzip(&render_deposit(&deposit()).unwrap());
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "README.txt",
            "methods.txt",
            "data_list.csv",
            "consent_summary.csv",
            "interviews/interview-01/original.txt",
            "interviews/interview-01/original.docx",
            "interviews/interview-01/translation-en.txt",
            "interviews/interview-01/translation-en.docx",
            "interviews/interview-01/anonymisation_log.txt",
            "interviews/interview-01/anonymisation_log.json",
            "interviews/interview-02/original.txt",
            "interviews/interview-02/original.docx",
            "interviews/interview-02/anonymisation_log.txt",
            "interviews/interview-02/anonymisation_log.json",
            "checksums.sha256",
        ]
    );
    assert_eq!(entry(&entries, "interviews/interview-01/original.txt"), RU);
    assert_eq!(
        entry(&entries, "interviews/interview-01/translation-en.txt"),
        EN
    );
    assert_eq!(entry(&entries, "interviews/interview-02/original.txt"), KK);

    // The Word copies hold the same lines as paragraphs.
    let docx = unzip(raw(&entries, "interviews/interview-02/original.docx"));
    let doc = parse_xml(entry(&docx, "word/document.xml"));
    let paragraphs: Vec<String> = doc
        .descendants("w:p")
        .iter()
        .map(|p| p.descendants("w:t").iter().map(|t| t.text()).collect())
        .collect();
    assert_eq!(paragraphs[0], "Interview 2");
    assert_eq!(
        paragraphs[1],
        "Respondent 7, November 2022; redacted transcript (Kazakh)"
    );
    assert_eq!(&paragraphs[2..], KK.lines().collect::<Vec<_>>().as_slice());
    assert!(entry(&docx, "word/document.xml").contains("w:val=\"kk-KZ\""));

    // Every checksum verifies.
    let sums = entry(&entries, "checksums.sha256");
    assert_eq!(sums.lines().count(), entries.len() - 1);
    for line in sums.lines() {
        let (hex, name) = line.split_once("  ").unwrap();
        let digest: String = Sha256::digest(raw(&entries, name))
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, digest, "{name}");
    }
}

#[test]
fn data_list_and_consent_summary_have_one_row_each() {
    let entries = unzip(&render_deposit(&deposit()).unwrap());
    let header = |name: &str| -> Vec<String> {
        let text = entry(&entries, name).trim_start_matches('\u{feff}');
        text.lines()
            .next()
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect()
    };
    assert_eq!(header("data_list.csv"), DATA_LIST_COLUMNS);
    assert_eq!(header("consent_summary.csv"), CONSENT_COLUMNS);
    let rows = csv_rows(raw(&entries, "data_list.csv"));
    assert_eq!(
        rows,
        [
            [
                "Interview 1",
                "Respondent 26",
                "representative of a CSO",
                "2021-05",
                "ru",
                "Russian",
                "2",
                &RU.split_whitespace().count().to_string(),
                "en",
                "interviews/interview-01"
            ],
            [
                "Interview 2",
                "Respondent 7",
                "journalist",
                "2022-11",
                "kk",
                "Kazakh",
                "2",
                &KK.split_whitespace().count().to_string(),
                "",
                "interviews/interview-02"
            ]
        ]
    );
    let consent = csv_rows(raw(&entries, "consent_summary.csv"));
    assert_eq!(
        consent[1],
        [
            "Respondent 7",
            "journalist",
            "2022-11-02",
            "written",
            "recording; archive; secondary use",
            "quotes",
            "anonymous",
            "embargo until 2026-01-01; quotes withdrawn 2023-03-01"
        ]
    );
    assert_eq!(consent[0][4], "recording; quotes; archive");
}

#[test]
fn logs_and_methods_paragraph_count_what_was_done() {
    let d = deposit();
    let entries = unzip(&render_deposit(&d).unwrap());
    let log: serde_json::Value = serde_json::from_slice(raw(
        &entries,
        "interviews/interview-01/anonymisation_log.json",
    ))
    .unwrap();
    assert_eq!(
        log["replacements"],
        serde_json::json!([["organisation", 2], ["phone", 2]])
    );
    assert_eq!(log["decisions"], serde_json::json!([["kept", 1]]));
    let text = entry(&entries, "interviews/interview-02/anonymisation_log.txt");
    assert!(text.contains("Replacements: 1\n  person: 1\n"), "{text}");
    assert!(
        text.contains("Review decisions: 3\n  redacted: 2\n  allowed: 1\n"),
        "{text}"
    );
    assert!(text.contains("  - registered person names and their forms\n"));

    let methods = methods_paragraph(&d);
    assert_eq!(entry(&entries, "methods.txt"), format!("{methods}\n"));
    assert!(entry(&entries, "README.txt").contains(&methods));
    for needle in [
        "2 interview transcripts (Russian, Kazakh)",
        "between May 2021 and November 2022",
        "2 interlocutors",
        "transcripts and their translations",
        "fieldvault 0.1.0",
        "5 replacements in total (organisation: 2, phone: 2, person: 1)",
        "4 decisions (kept: 1, redacted: 2, allowed: 1)",
        "Kazakhstan phone numbers",
        "independent second detector",
    ] {
        assert!(methods.contains(needle), "{needle:?} in {methods}");
    }
    assert!(!methods.contains('\n'));
    // Said only when true.
    let mut unchecked = d.clone();
    unchecked.leak_checked = false;
    for iv in &mut unchecked.interviews {
        iv.log.decisions.clear();
    }
    let m = methods_paragraph(&unchecked);
    assert!(
        !m.contains("second detector") && !m.contains("recorded"),
        "{m}"
    );
}

#[test]
fn deposits_are_deterministic() {
    assert_eq!(
        render_deposit(&deposit()).unwrap(),
        render_deposit(&deposit()).unwrap()
    );
}

#[test]
fn what_cannot_be_deposited_is_refused() {
    let mut d = deposit();
    d.interviews.clear();
    assert_eq!(render_deposit(&d), Err(ExportError::EmptyDeposit));
    let mut d = deposit();
    d.interviews[1].month = "2022-11-02".into();
    let err = render_deposit(&d).unwrap_err();
    assert!(matches!(err, ExportError::BadMonth { .. }), "{err}");
    assert!(err.to_string().contains("Interview 2"));
    let mut d = deposit();
    d.interviews[0].original = "a\r\nb".into();
    assert!(matches!(
        render_deposit(&d),
        Err(ExportError::CarriageReturn { .. })
    ));
    let mut d = deposit();
    d.interviews[0].translation.as_mut().unwrap().text = "bell\u{7}".into();
    assert!(matches!(
        render_deposit(&d),
        Err(ExportError::ControlCharacter { .. })
    ));
    let mut d = deposit();
    d.created = "2024-05-01".into();
    assert!(matches!(
        render_deposit(&d),
        Err(ExportError::BadTimestamp(_))
    ));
}

#[test]
fn the_word_copies_open_in_libreoffice() {
    let Some(cmd) = ["soffice", "libreoffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("note: LibreOffice is not installed; skipped");
        return;
    };
    let entries = unzip(&render_deposit(&deposit()).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("original.docx");
    std::fs::write(
        &path,
        raw(&entries, "interviews/interview-01/original.docx"),
    )
    .unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let out = std::process::Command::new(cmd)
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let txt = std::fs::read_to_string(dir.path().join("original.txt")).unwrap();
    for line in RU.lines() {
        assert!(txt.contains(line), "{line:?} in LibreOffice's text:\n{txt}");
    }
}
