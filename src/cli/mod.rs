//! The command line: argument definitions, the unlock logic, and one
//! handler module per command noun, named after it (`person` in
//! `person.rs`, `export` in `export.rs`), each with a `run` function.
//! Handlers parse, call the library (`records`, `ingest`, `publish`) and
//! return a [`report::Report`]; this module decides how the vault is opened
//! for each command and prints the result.
//!
//! Error rules at this edge: every failure becomes one line on stderr
//! ("error: ...") and a non-zero exit; nothing from inside the vault is ever
//! part of it (library errors are written that way, and context added here
//! names only files the user typed and ids).

pub mod args;
mod confirm;
pub mod report;
pub mod session;

mod audit;
mod backup;
mod check;
mod codings;
mod config;
mod consent;
mod demo;
mod deposit;
mod destroy;
mod excerpt;
mod export;
mod init;
mod key;
mod passwd;
mod person;
mod redact;
mod review;
mod shell;
pub mod strength;
mod term;
mod transcript;
mod travel;

use anyhow::Result;
use args::{Cli, Command, Global, KeyCmd, PersonCmd, TranscriptCmd};
use clap::Parser;
use report::Report;
use session::Session;
use std::process::ExitCode;

/// How a command needs the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Runs without opening a vault (init, destroy, demo, shell).
    Nothing,
    Read,
    Write,
}

pub fn needs(cmd: &Command) -> Needs {
    use args::{ConfigCmd as C, ConsentCmd as Co, ExcerptCmd as E, TermCmd as T};
    match cmd {
        Command::Init(_) | Command::Destroy(_) | Command::Demo(_) | Command::Shell(_) => {
            Needs::Nothing
        }
        Command::Check | Command::Redact(_) | Command::Audit(_) => Needs::Read,
        Command::Key(KeyCmd::List) => Needs::Read,
        Command::Person(PersonCmd::List | PersonCmd::Show { .. } | PersonCmd::Exports { .. }) => {
            Needs::Read
        }
        Command::Consent(Co::Show { .. }) => Needs::Read,
        Command::Consent(Co::Evidence { .. }) => Needs::Write,
        Command::Term(T::List) => Needs::Read,
        Command::Transcript(
            TranscriptCmd::List | TranscriptCmd::Show { .. } | TranscriptCmd::Search { .. },
        ) => Needs::Read,
        Command::Excerpt(E::List { .. } | E::Show { .. }) => Needs::Read,
        Command::Config(C::Show) => Needs::Read,
        Command::Review(args::ReviewArgs {
            cmd: Some(args::ReviewCmd::List { .. }),
            ..
        }) => Needs::Read,
        _ => Needs::Write,
    }
}

/// Runs a command that works on an open vault.
pub fn dispatch(cmd: &Command, s: &mut Session) -> Result<Report> {
    match cmd {
        Command::Check => check::run(s),
        Command::Passwd(a) => passwd::run(s, a),
        Command::Backup(a) => backup::run(s, a),
        Command::Key(k) => key::run(s, k),
        Command::Person(p) => person::run(s, p),
        Command::Consent(c) => consent::run(s, c),
        Command::Term(t) => term::run(s, t),
        Command::Transcript(t) => transcript::run(s, t),
        Command::Excerpt(e) => excerpt::run(s, e),
        Command::Redact(a) => redact::run(s, a),
        Command::Export(a) => export::run(s, a),
        Command::Deposit(a) => deposit::run(s, a),
        Command::Codings(c) => codings::run(s, c),
        Command::Audit(a) => audit::run(s, a),
        Command::Review(a) => review::run(s, a),
        Command::Config(c) => config::run(s, c),
        Command::Travel(t) => travel::run(s, t),
        Command::Init(_) | Command::Destroy(_) | Command::Demo(_) | Command::Shell(_) => {
            anyhow::bail!("this command cannot run inside an open vault")
        }
    }
}

/// One command from the process arguments.
pub fn execute(cli: Cli) -> Result<bool> {
    let g: &Global = &cli.global;
    let report = match &cli.command {
        Command::Init(a) => init::run(g, a)?,
        Command::Destroy(a) => destroy::run(g, a)?,
        Command::Shell(a) => return shell::run(g, a),
        Command::Demo(a) => demo::run(
            a.keep.as_deref(),
            init::kdf(
                fieldvault_vault::KdfParams::default(),
                a.kdf_memory_mib,
                a.kdf_iterations,
            ),
        )?,
        cmd => {
            let mut s = Session::open(g, needs(cmd) == Needs::Write)?;
            // A file redacted to plain output is written as it is read.
            if let Command::Redact(a) = cmd {
                if !g.json && redact::streams(a) {
                    redact::stream(&s, a)?;
                    return Ok(true);
                }
            }
            dispatch(cmd, &mut s)?
        }
    };
    report.print(g.json);
    Ok(true)
}

/// An error as the single line the user sees.
pub fn one_line(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let s = cause.to_string().replace(['\n', '\r'], " ");
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
    }
    parts.join(": ")
}

/// The binary's whole job: parse, execute, map the outcome to an exit code.
pub fn main() -> ExitCode {
    fieldvault_vault::harden_process();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // No command at all: the list of commands, as a usage error (exit 2).
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) if e.use_stderr() => {
            eprintln!("{}", usage_error_line(&e));
            return ExitCode::from(2);
        }
        Err(e) => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    match execute(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::from(1)
        }
    }
}

/// clap's usage error as the one line every fieldvault error is: the
/// message without the usage block, with a pointer to --help.
pub fn usage_error_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let body = text.split("\n\nUsage:").next().unwrap_or(&text);
    let body = body
        .split("\n\nFor more information")
        .next()
        .unwrap_or(body);
    let mut line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if !line.starts_with("error:") {
        line = format!("error: {line}");
    }
    format!("{line} (see --help)")
}
