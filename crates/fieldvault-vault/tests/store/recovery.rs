//! The recovery steps of docs/format.md, run as written with the standard
//! tools (`age`, `argon2`, `python3`, `sqlite3`) when they are installed.

use std::path::Path;
use std::process::Command;

use crate::util::*;

/// The workspace's docs/format.md: the one copy, which the README links.
fn format_doc() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/format.md")
}

fn blocks() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(format_doc())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", format_doc().display()));
    let mut out = Vec::new();
    let mut lines = doc.lines();
    while let Some(l) = lines.next() {
        if let Some(name) = l
            .strip_prefix("<!-- test: ")
            .and_then(|r| r.strip_suffix(" -->"))
        {
            assert_eq!(lines.next(), Some("```sh"));
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            out.push((name.to_string(), body.join("\n")));
        }
    }
    out
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn run(steps: &[&str], env: &[(&str, &Path)], pass: &str) -> String {
    let all = blocks();
    let script: Vec<String> = steps
        .iter()
        .map(|s| {
            all.iter()
                .find(|(n, _)| n == s)
                .unwrap_or_else(|| panic!("docs/format.md has no block {s}"))
                .1
                .clone()
        })
        .collect();
    let work = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("bash");
    cmd.arg("-euo")
        .arg("pipefail")
        .arg("-c")
        .arg(script.join("\n"))
        .current_dir(work.path())
        .env("PASSPHRASE", pass);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "recovery script failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = work.path().join("vault.sqlite");
    let c = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<String> = c
        .prepare("SELECT body FROM note ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains("header MAC ok"), "{stdout}");
    rows.join("|")
}

#[test]
fn format_md_recovery_steps_work() {
    let missing: Vec<&str> = ["age", "argon2", "python3", "sqlite3"]
        .into_iter()
        .filter(|t| !have(t))
        .collect();
    if !missing.is_empty() {
        eprintln!("recovery test skipped: {missing:?} not installed");
        return;
    }
    let t = TestDir::new();
    let p = t.vault_path();
    let mut v = vault_with_notes(&p, &["hello field", "Жанар"]);
    let (id, r) = keypair();
    v.add_recipient(&keypair().1, "someone else").unwrap();
    v.add_recipient(&r, "teammate").unwrap();
    drop(v);
    let key = t.path("teammate.key");
    std::fs::write(&key, format!("# test key\n{id}\n")).unwrap();

    let rows = run(&["fvtool", "passphrase", "payload"], &[("VAULT", &p)], PASS);
    assert_eq!(rows, "hello field|Жанар");
    let rows = run(
        &["fvtool", "teammate", "payload"],
        &[("VAULT", &p), ("TEAMMATE_KEY", &key)],
        "",
    );
    assert_eq!(rows, "hello field|Жанар");

    // After a change of the vault key the same steps recover the new
    // master identity (the MAC check uses it) from either slot.
    let mut v = fieldvault_vault::Vault::open(&p, &unlock(), write_access()).unwrap();
    v.rekey(Some(&pass())).unwrap();
    drop(v);
    let rows = run(&["fvtool", "passphrase", "payload"], &[("VAULT", &p)], PASS);
    assert_eq!(rows, "hello field|Жанар");
    let rows = run(
        &["fvtool", "teammate", "payload"],
        &[("VAULT", &p), ("TEAMMATE_KEY", &key)],
        "",
    );
    assert_eq!(rows, "hello field|Жанар");
}
