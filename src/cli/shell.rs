//! `shell`: unlock once, then run commands line by line, from a terminal or
//! a piped file of commands. Each writing command commits on its own, so an
//! interrupted sitting loses at most the command in flight. After the idle
//! time the vault is closed (keys and plaintext dropped from memory) and the
//! next command asks for the passphrase again.

use super::args::{Cli, Command, Global, ShellArgs};
use super::session::{vault_path, Session};
use super::{dispatch, one_line};
use crate::commit::CommitError;
use crate::records::settings;
use anyhow::{bail, Result};
use clap::Parser;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

const HELP: &str = "Type commands as on the command line, without `fieldvault`, e.g.
  person list
  transcript search \"Жанабулак\"
  export --format md --out quotes.md
`help COMMAND` shows a command's options; `lock` closes the vault; `exit` or Ctrl-D ends the shell.";

pub fn run(g: &Global, a: &ShellArgs) -> Result<bool> {
    let interactive = std::io::stdin().is_terminal();
    let path = vault_path(g);
    let mut session = Some(Session::open(g, true)?);
    let idle_minutes = match a.idle_minutes {
        Some(m) if m.is_finite() && (0.0..=1440.0).contains(&m) => m,
        Some(_) => bail!("--idle-minutes must be between 0 and 1440"),
        None => f64::from(
            session
                .as_ref()
                .map(|s| settings::get_u32(s.conn(), settings::SHELL_IDLE_MINUTES))
                .transpose()?
                .unwrap_or(10),
        ),
    };
    let idle = Duration::from_secs_f64(idle_minutes * 60.0);
    if interactive {
        eprintln!("Unlocked {}. {HELP}", path.display());
    }

    // A reader thread fetches one line only when asked, so that between
    // commands nothing holds standard input: a passphrase prompt or a
    // command's own reading is never raced by the reader. Answers come back
    // through a channel, so waiting for input can time out (the idle lock).
    let (ask, asked) = mpsc::channel::<()>();
    let (tx, rx) = mpsc::channel::<Option<String>>();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        while asked.recv().is_ok() {
            let mut line = String::new();
            let got = match stdin.lock().read_line(&mut line) {
                Ok(0) | Err(_) => None,
                Ok(_) => Some(line),
            };
            let end = got.is_none();
            if tx.send(got).is_err() || end {
                break;
            }
        }
    });

    let mut all_ok = true;
    let mut waiting = false;
    let mut first = true;
    loop {
        if interactive && !waiting {
            eprint!(
                "{}> ",
                if session.is_some() {
                    "fieldvault"
                } else {
                    "fieldvault (locked)"
                }
            );
            let _ = std::io::stderr().flush();
        }
        if !waiting {
            if ask.send(()).is_err() {
                break;
            }
            waiting = true;
        }
        let answer = if idle.is_zero() || session.is_none() {
            rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            rx.recv_timeout(idle)
        };
        let line = match answer {
            Ok(Some(l)) => l,
            Ok(None) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                session = None;
                eprintln!("\nLocked after {idle_minutes} idle minute(s); the next command asks for the passphrase again.");
                if interactive {
                    eprint!("fieldvault (locked)> ");
                    let _ = std::io::stderr().flush();
                }
                continue;
            }
        };
        waiting = false;
        // A script saved by a Windows editor may start with a byte-order mark.
        let line = if first {
            line.trim_start_matches('\u{feff}').to_string()
        } else {
            line
        };
        first = false;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line {
            "exit" | "quit" => break,
            "help" => {
                eprintln!("{HELP}");
                continue;
            }
            "lock" => {
                session = None;
                eprintln!("Locked.");
                continue;
            }
            _ => {}
        }
        let Some(mut words) = shlex::split(line) else {
            eprintln!("error: unbalanced quotes in that line");
            all_ok = false;
            continue;
        };
        if words.first().map(String::as_str) == Some("help") {
            words.remove(0);
            words.push("--help".into());
        }
        let cli = match Cli::try_parse_from(std::iter::once("fieldvault".to_string()).chain(words))
        {
            Ok(c) => c,
            Err(e) if e.use_stderr() => {
                eprintln!("{}", super::usage_error_line(&e));
                all_ok = false;
                continue;
            }
            Err(e) => {
                let _ = e.print();
                continue;
            }
        };
        // The review screen honours the idle lock: it clears and closes
        // after the idle time, and the shell locks.
        if let Command::Review(r @ super::args::ReviewArgs { cmd: None, .. }) = &cli.command {
            let opened = match session.take() {
                Some(s) => Ok(s),
                None => Session::open(g, true),
            };
            match opened
                .and_then(|mut s| super::review::screen(&mut s, r, Some(idle)).map(|end| (s, end)))
            {
                Ok((s, super::review::ScreenEnd::Quit)) => session = Some(s),
                Ok((_, super::review::ScreenEnd::IdleLocked)) => {
                    eprintln!("Locked after {idle_minutes} idle minute(s); the next command asks for the passphrase again.");
                }
                Err(e) => {
                    all_ok = false;
                    eprintln!("error: {}", one_line(&e));
                }
            }
            continue;
        }
        match run_line(g, &cli, &mut session) {
            Ok(Some(report)) => report.print(g.json || cli.global.json),
            Ok(None) => break,
            Err(e) => {
                all_ok = false;
                eprintln!("error: {}", one_line(&e));
                if CommitError::is_not_saved(e.as_ref()) {
                    session = None;
                    eprintln!("The vault was closed so that memory and disk agree; the next command unlocks it again.");
                }
            }
        }
    }
    Ok(all_ok)
}

/// Runs one shell line; `Ok(None)` ends the shell.
fn run_line(
    g: &Global,
    cli: &Cli,
    session: &mut Option<Session>,
) -> Result<Option<super::report::Report>> {
    if cli
        .global
        .vault
        .as_ref()
        .is_some_and(|v| *v != vault_path(g))
    {
        bail!(
            "this shell works on {}; start another shell for another vault",
            vault_path(g).display()
        );
    }
    match &cli.command {
        Command::Init(_) | Command::Shell(_) | Command::Demo(_) => {
            bail!("this command does not run inside the shell")
        }
        Command::Redact(r) if r.file.as_ref().is_none_or(|f| f.as_os_str() == "-") => {
            bail!("inside the shell, give redact a FILE (standard input is the command stream)")
        }
        Command::Destroy(a) => {
            *session = None;
            let r = super::destroy::run(g, a)?;
            r.print(g.json || cli.global.json);
            return Ok(None);
        }
        _ => {}
    }
    if session.is_none() {
        *session = Some(Session::open(g, true)?);
    }
    let s = session.as_mut().expect("just opened");
    dispatch(&cli.command, s).map(Some)
}
