//! Typed confirmations for irreversible commands (destroy, purge, remove).
//!
//! The answer is read from the terminal itself (/dev/tty), never from
//! standard input: inside `shell` standard input is the command stream, and
//! a piped script must not be able to confirm a destruction by accident.

use anyhow::{bail, Context, Result};
use std::io::{BufRead, Write};

/// Asks `question` on the terminal and succeeds only if the person types
/// `expected` (case-insensitive). Without a terminal it fails and points at
/// the `--yes` flag.
pub fn typed(question: &str, expected: &str) -> Result<()> {
    let Ok(tty) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
    else {
        bail!("this needs a typed confirmation in a terminal; add --yes to skip it");
    };
    let mut out = tty.try_clone().context("cannot use the terminal")?;
    write!(out, "{question} Type {expected} to continue: ")?;
    out.flush()?;
    let mut line = String::new();
    std::io::BufReader::new(tty)
        .read_line(&mut line)
        .context("cannot read the confirmation")?;
    if !line.trim().eq_ignore_ascii_case(expected) {
        bail!("not confirmed; nothing was changed");
    }
    Ok(())
}
