//! The research workflow beyond quotes (issue 13): consent by purpose,
//! disclosure across publications, and counts that add up (issue 12).

use crate::common::*;

/// `consent record` arguments for one person, with the two new scopes.
fn consent(e: &Env, id: &str, quotes: &str, attribution: &str, archive: Option<&str>) {
    let mut a = vec![
        "consent",
        "record",
        id,
        "--date",
        "2021-05-01",
        "--method",
        "written",
        "--recording",
        "yes",
        "--quotes",
        quotes,
        "--attribution",
        attribution,
    ];
    if let Some(x) = archive {
        a.extend(["--archive", x, "--secondary-use", x]);
    }
    e.ok(&a);
}

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
    consent(&e, &a, "yes", "anonymous", None);
    consent(&e, &b, "yes", "anonymous", None);
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
    consent(&e, &a, "yes", "pseudonym", Some("yes"));
    consent(&e, &old, "yes", "pseudonym", None);
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
        consent(&e, id, "yes", "pseudonym", None);
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
