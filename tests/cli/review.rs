//! Review before anything leaves: the export's review gate, `review list`
//! and `review resolve`, and the review screen driven in a real terminal.

use crate::common::{files_below, unzip_text, Env, PASS};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A vault with one consenting person and a transcript whose line 2 names
/// someone nobody registered.
fn study() -> Env {
    study_with_archiving(None)
}

/// [`study`], with the person's consent to archiving (`--archive`) given
/// or refused, or not asked (`None`).
fn study_with_archiving(archive: Option<&str>) -> Env {
    let e = Env::new();
    let id = e.person(&["--name", "Dina Kim", "--descriptor", "trainer"]);
    e.grant_consent(&id, "yes", "pseudonym", archive);
    let f = e.write(
        "in/a.txt",
        "Interviewer: Who helped you?\nRespondent: Dina Kim and then Quillonov helped, at Zorbekstan.\nInterviewer: Thank you.\n",
    );
    e.ok(&[
        "transcript",
        "import",
        f.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-01",
        "--lang",
        "en",
    ]);
    e
}

fn questions(e: &Env) -> Vec<Value> {
    e.json(&["review", "list"])["questions"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_gate_refuses_open_questions_and_passes_after_review_resolve() {
    let e = study();
    e.ok(&["excerpt", "add", "1", "--lines", "2", "--tag", "help"]);
    let open = questions(&e);
    let words: Vec<&str> = open.iter().map(|q| q["word"].as_str().unwrap()).collect();
    assert!(words.contains(&"Quillonov"), "{open:?}");
    for q in &open {
        for k in ["id", "transcript", "line", "kind", "word", "context"] {
            assert!(q.get(k).is_some(), "{k} missing in {q}");
        }
    }
    let out = e.path("out/q.md");
    let err = e.fail(&["export", "--format", "md", "--out", out.to_str().unwrap()]);
    assert!(err.contains("excerpt 1:"), "{err}");
    assert!(err.contains("fieldvault review"), "{err}");
    assert!(
        !err.contains("Quillonov") && !err.contains("Zorbekstan"),
        "never the words: {err}"
    );
    let err = e.fail(&[
        "export",
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
        "--unreviewed",
        "--strict",
    ]);
    assert!(err.contains("excerpt 1:"), "--strict never passes: {err}");
    assert!(
        files_below(&e.path("out")).is_empty(),
        "a refused export writes nothing"
    );

    // --unreviewed passes and is audited with the counts.
    let u = e.path("out/unreviewed.md");
    e.ok(&[
        "export",
        "--format",
        "md",
        "--out",
        u.to_str().unwrap(),
        "--unreviewed",
    ]);
    let audit = e.ok(&["audit", "show"]);
    assert!(audit.contains("export unreviewed"), "{audit}");
    std::fs::remove_file(&u).unwrap();

    // Bad input: one line, nothing changed.
    let before = e.vault_bytes();
    e.fail(&["review", "resolve", "1:9:o0", "keep"]);
    e.fail(&["review", "resolve", "nonsense", "keep"]);
    let qid = open[0]["id"].as_str().unwrap().to_string();
    e.fail(&["review", "resolve", &qid, "alias", "999"]);
    e.fail(&["review", "resolve", &qid, "term"]);
    e.fail(&["review", "list", "42"]);
    let err = e.fail(&["review", "1"]);
    assert!(err.contains("review list"), "{err}");
    assert_eq!(before, e.vault_bytes());

    // Register the unknown person, keep everything else here.
    let q = open.iter().find(|q| q["word"] == "Quillonov").unwrap();
    let v = e.json(&[
        "review",
        "resolve",
        q["id"].as_str().unwrap(),
        "person",
        "--descriptor",
        "neighbour",
    ]);
    assert!(v["pseudonym"].is_string(), "{v}");
    let err = e.fail(&["review", "resolve", q["id"].as_str().unwrap(), "keep"]);
    assert!(err.contains("no open question"), "already resolved: {err}");
    for q in questions(&e) {
        e.ok(&["review", "resolve", q["id"].as_str().unwrap(), "keep"]);
    }
    assert!(questions(&e).is_empty());
    e.ok(&["export", "--format", "md", "--out", out.to_str().unwrap()]);
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(!md.contains("Quillonov"), "{md}");
    // The decisions hold in redact and transcript show --redacted too.
    let shown = e.ok(&["transcript", "show", "1", "--redacted"]);
    assert!(
        !shown.contains("Quillonov") && !shown.contains("Dina"),
        "{shown}"
    );
}

#[test]
fn a_per_occurrence_redaction_survives_a_reimport_of_the_same_file() {
    let e = study();
    let q = questions(&e)
        .into_iter()
        .find(|q| q["word"] == "Zorbekstan")
        .unwrap();
    e.ok(&[
        "review",
        "resolve",
        q["id"].as_str().unwrap(),
        "redact",
        "--replacement",
        "a village",
    ]);
    let shown = e.ok(&["transcript", "show", "1", "--redacted"]);
    assert!(
        shown.contains("[a village]") && !shown.contains("Zorbekstan"),
        "{shown}"
    );
    let red = e.ok(&["redact", e.path("in/a.txt").to_str().unwrap()]);
    assert!(
        !red.contains("Zorbekstan"),
        "redact applies decisions: {red}"
    );
    e.ok(&["transcript", "remove", "1", "--yes"]);
    let id = e.json(&["person", "list"])["persons"][0]["id"].to_string();
    let t = e.json(&[
        "transcript",
        "import",
        e.path("in/a.txt").to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-01",
        "--lang",
        "en",
    ])["id"]
        .to_string();
    let shown = e.ok(&["transcript", "show", &t, "--redacted"]);
    assert!(!shown.contains("Zorbekstan"), "{shown}");
    assert!(questions(&e).iter().all(|q| q["word"] != "Zorbekstan"));
}

/// A deposit applies the review's per-occurrence answers as exports do:
/// a word redacted here is gone from the package, and the anonymisation
/// log counts the decision.
#[test]
fn a_deposit_applies_the_per_occurrence_decisions() {
    let e = study_with_archiving(Some("yes"));
    let out = e.path("out/deposit.zip");
    let err = e.fail(&["deposit", "--out", out.to_str().unwrap(), "--k", "1"]);
    assert!(
        err.contains("fieldvault review"),
        "the gate holds for deposits: {err}"
    );
    for q in questions(&e) {
        let how = if q["word"] == "Zorbekstan" {
            "redact"
        } else {
            "keep"
        };
        let mut args = vec!["review", "resolve", q["id"].as_str().unwrap(), how];
        if how == "redact" {
            args.extend(["--replacement", "a village"]);
        }
        e.ok(&args);
    }
    e.ok(&["deposit", "--out", out.to_str().unwrap(), "--k", "1"]);
    let all = unzip_text(&out);
    assert!(all.contains("[a village]"), "{all}");
    assert!(
        !all.contains("Zorbekstan") && !all.contains("Dina"),
        "{all}"
    );
    assert!(
        all.contains("redacted"),
        "the log counts the decision: {all}"
    );
}

// ---- the screen in a real terminal (tmux) ----

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }
    fn keys(&self, keys: &[&str]) {
        let mut a = vec!["send-keys", "-t", "fv"];
        a.extend_from_slice(keys);
        self.run(&a);
    }
    fn text(&self, s: &str) {
        self.run(&["send-keys", "-t", "fv", "-l", s]);
    }
    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "fv"])
    }
    fn wait_for(&self, what: &str) -> String {
        let t = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "waited for {what:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

fn wait_file(p: &Path) -> String {
    let t = Instant::now();
    while !p.exists() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the screen did not end"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(100));
    std::fs::read_to_string(p).unwrap()
}

fn text_of(path: &Path) -> String {
    match path.extension().and_then(|x| x.to_str()) {
        Some("docx" | "qdpx") => unzip_text(path),
        _ => std::fs::read_to_string(path).unwrap(),
    }
}

#[test]
fn the_screen_registers_a_person_keeps_an_occurrence_and_makes_an_excerpt() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tmux is not installed; skipping the terminal test");
        return;
    }
    let e = study();
    let tmux = Tmux {
        socket: format!("fv-review-test-{}", std::process::id()),
    };
    let bin = assert_cmd::cargo::cargo_bin("fieldvault");
    let rc = e.path("tmp/rc");
    let script = format!(
        "'{}' --vault '{}' review 1; echo $? > '{}'",
        bin.display(),
        e.vault().display(),
        rc.display()
    );
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "fv",
        "-x",
        "100",
        "-y",
        "30",
        "-e",
        &format!("FIELDVAULT_PASSPHRASE={PASS}"),
        "-e",
        "NO_COLOR=",
        "sh",
        "-c",
        &script,
    ]);
    let s = tmux.wait_for("open question(s)");
    assert!(s.contains("Quillonov") && s.contains("? help"), "{s}");
    // The first question is Quillonov: register them as a person.
    tmux.keys(&["p"]);
    tmux.wait_for("Register a person");
    tmux.keys(&["Tab"]);
    tmux.text("neighbour");
    tmux.keys(&["Enter"]);
    tmux.wait_for("registered as person");
    // Keep the next one (Zorbekstan) here.
    tmux.keys(&["k"]);
    tmux.wait_for("kept as written");
    // An excerpt of the focused turn (line 2).
    tmux.keys(&["Tab", "e"]);
    tmux.wait_for("New excerpt");
    tmux.text("help");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Excerpt 1 made from lines 2-2");
    tmux.keys(&["q"]);
    assert_eq!(wait_file(&rc).trim(), "0");

    assert!(e.json(&["review", "list"])["questions"]
        .as_array()
        .unwrap()
        .is_empty());
    let person = e.json(&["person", "list"]);
    assert_eq!(person["persons"].as_array().unwrap().len(), 2, "{person}");
    for fmt in ["md", "csv", "json", "docx", "qdpx"] {
        let out = e.path(&format!("out/quotes.{fmt}"));
        e.ok(&["export", "--format", fmt, "--out", out.to_str().unwrap()]);
        let text = text_of(&out);
        assert!(
            !text.contains("Quillonov"),
            "{fmt}: the registered name leaked"
        );
        assert!(!text.contains("Dina"), "{fmt}");
        assert!(text.contains("Zorbekstan"), "{fmt}: kept here by decision");
    }
}

#[test]
fn inside_the_shell_the_screen_honours_the_idle_lock() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tmux is not installed; skipping the terminal test");
        return;
    }
    let e = study();
    let tmux = Tmux {
        socket: format!("fv-review-idle-{}", std::process::id()),
    };
    let bin = assert_cmd::cargo::cargo_bin("fieldvault");
    let rc = e.path("tmp/rc");
    let script = format!(
        "'{}' --vault '{}' shell --idle-minutes 0.05; echo $? > '{}'",
        bin.display(),
        e.vault().display(),
        rc.display()
    );
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "fv",
        "-x",
        "100",
        "-y",
        "30",
        "-e",
        &format!("FIELDVAULT_PASSPHRASE={PASS}"),
        "sh",
        "-c",
        &script,
    ]);
    tmux.wait_for("fieldvault>");
    tmux.text("review 1");
    tmux.keys(&["Enter"]);
    tmux.wait_for("open question(s)");
    // No key for three seconds: the screen clears and the shell locks.
    let locked = tmux.wait_for("Locked after");
    assert!(
        !locked.contains("Quillonov"),
        "the screen was not cleared: {locked}"
    );
    tmux.text("exit");
    tmux.keys(&["Enter"]);
    wait_file(&rc);
}
