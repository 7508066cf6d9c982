//! The research workflow beyond quotes (issue 13): consent by purpose,
//! disclosure across publications, and counts that add up (issue 12).

use crate::common::*;

fn interview(e: &Env, person: &str, n: usize) -> String {
    interview_on(e, person, n, "2021-05-01")
}

fn interview_on(e: &Env, person: &str, n: usize, date: &str) -> String {
    let t = e.write(
        &format!("in/{n}.txt"),
        format!(
            "Интервьюер: Как дела?\nРеспондент: Это ответ номер {n} про работу в организации.\n"
        ),
    );
    e.json(&[
        "transcript",
        "import",
        t.to_str().unwrap(),
        "--person",
        person,
        "--date",
        date,
        "--lang",
        "ru",
    ])["id"]
        .to_string()
}

#[test]
fn anonymous_quotes_are_counted_in_the_summary_the_json_and_the_audit() {
    let e = Env::new();
    let a = e.person(&["--name", "Арман Тлеубаев", "--descriptor", "activist"]);
    let b = e.person(&["--name", "Ерлан Жумабаев", "--descriptor", "activist"]);
    e.grant_consent(&a, "yes", "anonymous", None);
    e.grant_consent(&b, "yes", "anonymous", None);
    for (n, p) in [&a, &b].into_iter().enumerate() {
        let t = interview(&e, p, n);
        e.json(&["excerpt", "add", &t, "--lines", "2", "--tag", "work"]);
    }
    let out = e.path("out/q.md");
    let human = e.ok(&["export", "--format", "md", "--out", out.to_str().unwrap()]);
    assert!(human.contains("Exported 2 excerpt(s)"), "{human}");
    let out = e.path("out/q.json");
    let v = e.json(&["export", "--format", "json", "--out", out.to_str().unwrap()]);
    assert_eq!(v["excerpts"].as_array().unwrap().len(), 2, "{v}");
    let audit = e.json(&["audit", "show"]);
    for x in audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["action"] == "export")
    {
        assert_eq!(x["detail"]["excerpts"].as_array().unwrap().len(), 2, "{x}");
    }
}

#[test]
fn consent_scopes_are_recorded_shown_and_withdrawn_one_by_one() {
    let e = Env::new();
    let a = e.person(&["--name", "Арман Тлеубаев"]);
    let old = e.person(&["--name", "Ерлан Жумабаев"]);
    e.grant_consent(&a, "yes", "pseudonym", Some("yes"));
    e.grant_consent(&old, "yes", "pseudonym", None);
    let shown = e.ok(&["consent", "show", &a]);
    assert!(
        shown.contains("archive yes") && shown.contains("secondary use yes"),
        "{shown}"
    );
    // Not given unless asked for.
    let shown = e.ok(&["consent", "show", &old]);
    assert!(
        shown.contains("archive no") && shown.contains("secondary use no"),
        "{shown}"
    );
    let before = e.vault_bytes();
    let err = e.fail(&[
        "consent",
        "withdraw",
        &old,
        "--date",
        "2021-06-01",
        "--scope",
        "archive",
    ]);
    assert!(err.contains("nothing to withdraw"), "{err}");
    assert_eq!(
        before,
        e.vault_bytes(),
        "a refused withdrawal changes nothing"
    );
    let err = e.fail(&[
        "consent",
        "withdraw",
        &a,
        "--date",
        "2021-06-01",
        "--scope",
        "everything",
    ]);
    assert!(err.contains("--scope"), "{err}");

    let v = e.json(&[
        "consent",
        "withdraw",
        &a,
        "--date",
        "2021-06-01",
        "--scope",
        "archive",
    ]);
    assert_eq!(v["scope"], "archive");
    let shown = e.ok(&["consent", "show", &a]);
    assert!(shown.contains("archive withdrawn on 2021-06-01"), "{shown}");
    let v = e.json(&["consent", "show", &a]);
    assert_eq!(v["current"]["state"], "granted", "{v}");
    assert_eq!(v["current"]["withdrawn_scopes"]["archive"], "2021-06-01");

    // Quoting still passes after the archive scope is withdrawn, and stops
    // after the quotes scope is.
    let t = interview(&e, &a, 1);
    e.json(&["excerpt", "add", &t, "--lines", "2", "--tag", "work"]);
    let out = e.path("out/a.md");
    let v = e.json(&[
        "export",
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
        "--k",
        "1",
    ]);
    assert_eq!(v["excerpts"].as_array().unwrap().len(), 1, "{v}");
    e.ok(&[
        "consent",
        "withdraw",
        &a,
        "--date",
        "2021-07-01",
        "--scope",
        "quotes",
    ]);
    let out = e.path("out/b.md");
    let err = e.fail(&["export", "--format", "md", "--out", out.to_str().unwrap()]);
    assert!(err.contains("consent gate"), "{err}");
    assert!(!out.exists());
}

#[test]
fn two_exports_that_together_narrow_a_person_below_k_warn_on_the_second() {
    let e = Env::new();
    let names = [
        "Арман Тлеубаев",
        "Ерлан Жумабаев",
        "Дина Ким",
        "Бахыт Сейткалиев",
        "Жанар Абдрахманова",
    ];
    let ids: Vec<String> = names
        .iter()
        .map(|n| e.person(&["--name", n, "--descriptor", "activist"]))
        .collect();
    for id in &ids {
        e.grant_consent(id, "yes", "pseudonym", None);
    }
    // Respondent 1 was interviewed on both days; two others on each day.
    let days = [
        (0, "2021-05-01"),
        (0, "2021-06-10"),
        (1, "2021-05-01"),
        (2, "2021-05-01"),
        (3, "2021-06-10"),
        (4, "2021-06-10"),
    ];
    for (n, (who, day)) in days.iter().enumerate() {
        let t = interview_on(&e, &ids[*who], n, day);
        if *who == 0 {
            let tag = if n == 0 { "may" } else { "june" };
            e.json(&["excerpt", "add", &t, "--lines", "2", "--tag", tag]);
        }
    }
    let first = e.path("out/may.md");
    let v = e.json(&[
        "export",
        "--format",
        "md",
        "--out",
        first.to_str().unwrap(),
        "--tag",
        "may",
    ]);
    assert!(v["reident_warnings"].as_array().unwrap().is_empty(), "{v}");

    let strict = e.path("out/june-strict.md");
    let before = e.vault_bytes();
    let err = e.fail(&[
        "export",
        "--format",
        "md",
        "--out",
        strict.to_str().unwrap(),
        "--tag",
        "june",
        "--strict",
    ]);
    assert!(err.contains("fewer than 3"), "{err}");
    assert!(!strict.exists());
    assert_eq!(before, e.vault_bytes());

    let second = e.path("out/june.md");
    let out = e
        .cmd()
        .args([
            "export",
            "--format",
            "md",
            "--out",
            second.to_str().unwrap(),
            "--tag",
            "june",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let notes =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        notes.contains("together with export 1 (may.md)") && notes.contains("Respondent 1"),
        "{notes}"
    );
    // The cumulative disclosure, fact by fact, with the outputs behind it.
    let shown = e.ok(&["person", "exports", &ids[0]]);
    assert!(
        shown.contains("date: 2021-05-01  (export 1 (may.md))"),
        "{shown}"
    );
    assert!(
        shown.contains("date: 2021-06-10  (export 2 (june.md))"),
        "{shown}"
    );
    assert!(
        shown.contains("descriptor: activist  (export 1 (may.md), export 2 (june.md))"),
        "{shown}"
    );
    let v = e.json(&["person", "exports", &ids[0]]);
    assert_eq!(v["disclosed"].as_array().unwrap().len(), 4, "{v}");
}

const DEPOSIT_PEOPLE: &[(&str, &str)] = &[
    ("Сапарова Айгерим", "+7 705 318 27 74"),
    ("Жумабаев Ерлан", "+7 701 555 12 34"),
    ("Волкова Надежда", "+7 777 222 33 44"),
    ("Абдрахманова Жанар", "+7 702 111 22 33"),
    ("Тлеубаев Арман", "+7 708 999 88 77"),
];

/// Every registered identifier of the deposit study, in the forms the
/// interviews use.
const DEPOSIT_FORBIDDEN: &[&str] = &[
    "Сапарова",
    "Сапаровой",
    "Айгерим",
    "Жумабаев",
    "Ерлан",
    "Волкова",
    "Надежда",
    "Абдрахманова",
    "Жанар",
    "Тлеубаев",
    "Арман",
    "318 27 74",
    "555 12 34",
    "222 33 44",
    "111 22 33",
    "999 88 77",
];

fn zip_entries(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_string(), b)
        })
        .collect()
}

#[test]
fn a_deposit_holds_exactly_the_interviews_consented_for_archiving_and_leaks_nothing() {
    let e = Env::new();
    let mut ids = Vec::new();
    for (name, phone) in DEPOSIT_PEOPLE {
        ids.push(e.person(&["--name", name, "--phone", phone, "--descriptor", "activist"]));
    }
    // 0: archive yes; 1: archive no; 2: recorded without the new flags;
    // 3: archive given, then that scope withdrawn; 4: archive given, then everything withdrawn.
    e.grant_consent(&ids[0], "yes", "pseudonym", Some("yes"));
    e.grant_consent(&ids[1], "yes", "pseudonym", Some("no"));
    e.grant_consent(&ids[2], "yes", "pseudonym", None);
    e.grant_consent(&ids[3], "yes", "pseudonym", Some("yes"));
    e.grant_consent(&ids[4], "yes", "pseudonym", Some("yes"));
    e.ok(&[
        "consent",
        "withdraw",
        &ids[3],
        "--date",
        "2021-06-01",
        "--scope",
        "archive",
    ]);
    e.ok(&["consent", "withdraw", &ids[4], "--date", "2021-06-01"]);
    let empty = e.path("out/none.zip");
    let mut turns_of_first = Vec::new();
    // Respondent 1's interview comes last: before it, no interview may be deposited.
    for i in [1, 2, 3, 4, 0] {
        let id = &ids[i];
        let others = "Айгерим Сапарова и Ерлан Жумабаев, звонил Надежде Волковой, писал Жанар Абдрахмановой и Арману Тлеубаеву";
        let body = format!(
            "Интервьюер: Кто помогал?\nРеспондент: Интервью номер {i}: {others}, номер {}.\n",
            DEPOSIT_PEOPLE[(i + 1) % 5].1
        );
        if i == 0 {
            turns_of_first = vec![
                "Кто помогал?".to_string(),
                format!(
                    "Интервью номер {i}: {others}, номер {}.",
                    DEPOSIT_PEOPLE[1].1
                ),
            ];
        }
        let t = e.write(&format!("in/d{i}.txt"), body);
        e.json(&[
            "transcript",
            "import",
            t.to_str().unwrap(),
            "--person",
            id,
            "--date",
            "2021-05-14",
            "--lang",
            "ru",
        ]);
        if i == 1 {
            // Before any interview with archiving consent exists, a deposit is refused.
            let err = e.fail(&["deposit", "--out", empty.to_str().unwrap()]);
            assert!(err.contains("nothing to deposit"), "{err}");
            assert!(!empty.exists());
        }
    }
    let out = e.path("out/deposit.zip");
    let v = e.json(&["deposit", "--out", out.to_str().unwrap(), "--k", "1"]);
    assert_eq!(v["transcripts"], serde_json::json!([5]), "{v}");
    assert_eq!(v["persons"], serde_json::json!(["Respondent 1"]), "{v}");
    assert_eq!(v["left_out"].as_array().unwrap().len(), 4, "{v}");
    let entries = zip_entries(&out);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"interviews/interview-01/original.txt"),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.contains("interview-02")),
        "{names:?}"
    );
    for (name, bytes) in &entries {
        let text = if name.ends_with(".docx") {
            let p = e.write("tmp/x.docx", bytes);
            unzip_text(&p)
        } else {
            String::from_utf8_lossy(bytes).to_string()
        };
        for f in DEPOSIT_FORBIDDEN {
            assert!(!text.contains(f), "{name}: {f} survived");
        }
    }
    let original = String::from_utf8(
        entries
            .iter()
            .find(|(n, _)| n.ends_with("interview-01/original.txt"))
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(original.contains("Интервью номер 0"), "{original}");
    // The log's counts are what `redact --explain` finds in the same turns.
    let log: serde_json::Value = serde_json::from_slice(
        &entries
            .iter()
            .find(|(n, _)| n.ends_with("interview-01/anonymisation_log.json"))
            .unwrap()
            .1,
    )
    .unwrap();
    let logged: u64 = log["replacements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[1].as_u64().unwrap())
        .sum();
    let mut explained = 0;
    for (n, t) in turns_of_first.iter().enumerate() {
        let f = e.write(&format!("in/turn{n}.txt"), t);
        explained += e.json(&["redact", "--explain", f.to_str().unwrap()])["replacements"]
            .as_array()
            .unwrap()
            .len() as u64;
    }
    assert!(explained >= 6, "{explained}");
    assert_eq!(logged, explained, "{log}");
    assert_eq!(v["replacements"].as_u64().unwrap(), explained);
    // Audited with its SHA-256, and shown in `person exports`.
    let audit = e.json(&["audit", "show"]);
    let entry = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["action"] == "deposit")
        .unwrap()
        .clone();
    assert_eq!(entry["detail"]["sha256"], v["sha256"]);
    let shown = e.ok(&["person", "exports", &ids[0]]);
    assert!(
        shown.contains("deposit.zip") && shown.contains("whole interviews"),
        "{shown}"
    );
    assert!(shown.contains("month: 2021-05"), "{shown}");
    // An existing file is refused unless --force; nothing changes.
    let before = e.vault_bytes();
    let err = e.fail(&["deposit", "--out", out.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(before, e.vault_bytes());
    e.json(&[
        "deposit",
        "--out",
        out.to_str().unwrap(),
        "--force",
        "--k",
        "1",
    ]);
}
