//! The command line pinned by snapshots (trycmd, as str4d/rage does): the
//! cases in tests/cmd/ give the arguments, and the exact output and exit
//! status of each command. Regenerate after an intended change with
//! `TRYCMD=overwrite cargo test --test cli snapshots` and review the diff.
//! trycmd turns every `\` of the actual output into `/` before comparing
//! (it normalises path separators), so the Markdown escapes of the export
//! (`\[Respondent 1\]`) read `/[Respondent 1/]` in `happy-path.out/quotes.md`.
//!
//! - `help-*.trycmd`: `--help` of every command and verb;
//! - `usage-*.trycmd`: argument errors, one line and exit status 2;
//! - `error-*.trycmd`: failures at run time, one line and exit status 1;
//! - `happy-*.trycmd` with `*.in/` (input files) and `*.out/` (files the
//!   commands must leave behind): the main paths with their exact output,
//!   run in a fresh copy of `*.in/`.

use clap::CommandFactory;
use std::path::Path;

#[test]
fn command_line_snapshots() {
    trycmd::TestCases::new()
        .env("FIELDVAULT_PASSPHRASE", crate::common::PASS)
        .env("FIELDVAULT_VAULT", "fieldvault.vault")
        .env("COLUMNS", "100")
        .case("tests/cmd/*.trycmd");
}

/// Every command path of the parser, e.g. `["key", "add"]`.
fn command_paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    for sub in cmd.get_subcommands() {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_string());
        out.push(path.clone());
        command_paths(sub, &path, out);
    }
}

#[test]
fn every_command_has_a_help_snapshot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd");
    let mut cases = String::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with("help-") && name.ends_with(".trycmd") {
            cases.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    let mut paths = vec![Vec::new()];
    command_paths(&fieldvault::cli::args::Cli::command(), &[], &mut paths);
    let missing: Vec<String> = paths
        .iter()
        .map(|p| {
            let mut line = String::from("$ fieldvault ");
            for w in p {
                line.push_str(w);
                line.push(' ');
            }
            line + "--help\n"
        })
        .filter(|line| !cases.contains(line.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "commands without a help snapshot in tests/cmd/help-*.trycmd: {missing:?}"
    );
}
