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
        "2021-05-01",
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
