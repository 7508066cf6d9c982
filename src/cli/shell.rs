//! `shell`: unlock once, then run commands line by line, from a terminal or
//! a piped file of commands. Each writing command commits on its own, so an
//! interrupted sitting loses at most the command in flight. After the idle
//! time the vault is closed (keys and plaintext dropped from memory), the
//! screen is cleared, and the next command asks for the passphrase again.
//! The idle time counts from the last key pressed, not from the prompt, so
//! a researcher typing a long command is never locked out half-way through.
//!
//! At a terminal the line editor keeps a history of the sitting in memory
//! only (arrow keys recall it; it is never written to disk: rustyline is
//! built without its history-file feature) and completes commands and flags
//! with Tab from the same clap command tree that parses the lines, so the
//! completion never drifts from what the shell accepts.

use super::args::{Cli, Command, Global, ShellArgs};
use super::session::{terminal_passphrase, vault_path, Session};
use super::{dispatch, one_line};
use crate::commit::CommitError;
use crate::records::settings;
use anyhow::{bail, Result};
use clap::{CommandFactory, FromArgMatches};
use fieldvault_vault::Unlock;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::config::{Behavior, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::{
    Cmd, ConditionalEventHandler, Event, EventContext, EventHandler, Helper, Movement, RepeatCount,
};
use std::io::{BufRead, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Global options a shell line may not use: the shell is bound to one vault
/// and one unlock, so they are hidden from its help and completion.
const REFUSED_GLOBALS: [&str; 4] = ["vault", "passphrase_file", "identity", "wait"];
/// Commands that do not run inside the shell.
const REFUSED_COMMANDS: [&str; 3] = ["init", "shell", "demo"];
/// Words of the shell itself, with what they do.
const SHELL_WORDS: [(&str, &str); 5] = [
    (
        "help",
        "This list; `help COMMAND` shows a command's options and an example",
    ),
    ("clear", "Clear the screen (and the terminal's scrollback)"),
    (
        "lock",
        "Close the vault now; the next command asks for the passphrase",
    ),
    ("exit", "End the shell (also `quit` or Ctrl-D)"),
    ("# ...", "A comment line, skipped"),
];
/// Clears the screen and the scrollback of ANSI terminals (and of the
/// Windows console, where rustyline turns on VT processing).
const CLEAR_SCREEN: &str = "\x1b[H\x1b[2J\x1b[3J";

/// The clap command tree as the shell sees it: no program name, the refused
/// global options and commands hidden (still parsed, so that a line using
/// them gets the shell's own explanation rather than "unknown option").
pub fn shell_command() -> clap::Command {
    let mut c = Cli::command()
        .no_binary_name(true)
        .name("")
        .bin_name("")
        .arg_required_else_help(false)
        .after_help("");
    for a in REFUSED_GLOBALS {
        c = c.mut_arg(a, |a| a.hide(true));
    }
    for s in REFUSED_COMMANDS {
        c = c.mut_subcommand(s, |s| s.hide(true));
    }
    c.build();
    c
}

/// The text of `help`: every command the shell runs, one line each, as it
/// is typed in the shell.
pub fn help_text(tree: &clap::Command) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    fn walk(c: &clap::Command, prefix: &str, rows: &mut Vec<(String, String)>) {
        for s in c
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        {
            let name = format!("{prefix}{}", s.get_name());
            if s.has_subcommands() {
                walk(s, &format!("{name} "), rows);
            } else {
                let about = s.get_about().map(|a| a.to_string()).unwrap_or_default();
                let first = about.lines().next().unwrap_or("");
                let first = first.split(". ").next().unwrap_or(first);
                rows.push((format!("{name}{}", usage_tail(s)), first.to_string()));
            }
        }
    }
    walk(tree, "", &mut rows);
    // Long usages (consent record) take their own width rather than
    // pushing every description off the screen.
    let width = rows
        .iter()
        .map(|(u, _)| u.chars().count())
        .filter(|w| *w <= 44)
        .max()
        .unwrap_or(0);
    let mut out = String::from("Commands (type them without `fieldvault`):\n");
    for (usage, about) in &rows {
        let pad = width.saturating_sub(usage.chars().count());
        out.push_str(&format!("  {usage}{}  {about}\n", " ".repeat(pad)));
    }
    out.push_str("\nShell:\n");
    for (w, what) in SHELL_WORDS {
        out.push_str(&format!("  {w:<7}{what}\n"));
    }
    out.push_str("\nTab completes commands, options and file names; the up and down arrows recall\nthis sitting's lines (kept in memory only). Quote values with spaces: \"Дина Ким\".");
    out
}

/// The positional arguments and required options of a command, as in its
/// usage line (`PERSON --date <YYYY-MM-DD>`), with `[OPTIONS]` when it has others.
fn usage_tail(c: &clap::Command) -> String {
    let mut tail = String::new();
    let mut optional = false;
    for a in c.get_arguments() {
        let id = a.get_id().as_str();
        if id == "help" || id == "version" || a.is_hide_set() || a.is_global_set() {
            continue;
        }
        let value = a
            .get_value_names()
            .and_then(|v| v.first())
            .map(|v| v.to_string())
            .unwrap_or_else(|| id.to_uppercase());
        match a.get_long() {
            None => {
                if a.is_required_set() {
                    tail.push_str(&format!(" {value}"));
                } else {
                    tail.push_str(&format!(" [{value}]"));
                }
            }
            Some(long) if a.is_required_set() => {
                tail.push_str(&format!(" --{long} {value}"));
            }
            Some(_) => optional = true,
        }
    }
    if optional {
        tail.push_str(" [OPTIONS]");
    }
    tail
}

/// Splits a shell line into words by the platform's rules: POSIX quoting
/// on Linux and macOS (as a Unix shell does), Windows rules on Windows, so
/// that `C:\Users\Айгерим\interview.txt` keeps its backslashes.
pub fn split_words(line: &str) -> Option<Vec<String>> {
    if cfg!(windows) {
        split_windows(line)
    } else {
        shlex::split(line)
    }
}

/// Windows command-line splitting (the rules of `CommandLineToArgvW`):
/// backslashes are literal unless they precede a double quote (2n of them
/// then give n and a quote that opens or closes, 2n+1 give n and a literal
/// quote); double quotes group words with spaces. Single quotes group too,
/// with `''` for an apostrophe inside, as PowerShell users type them.
/// `None` for an unbalanced quote.
pub fn split_windows(line: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = line.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                i += 1;
            }
            '\'' => {
                in_word = true;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return None,
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            word.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            word.push(ch);
                            i += 1;
                        }
                    }
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return None,
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some('\\') => i = backslashes(&chars, i, &mut word).1,
                        Some(&ch) => {
                            word.push(ch);
                            i += 1;
                        }
                    }
                }
            }
            '\\' => {
                in_word = true;
                // An even run before a quote leaves the quote to open a group.
                i = backslashes(&chars, i, &mut word).1;
            }
            _ => {
                in_word = true;
                word.push(c);
                i += 1;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// Reads a run of backslashes at `i` into `word` by the Windows rules and
/// returns (whether an unescaped quote follows, the index after what was
/// consumed). An escaped quote (odd run) is consumed as a literal `"`; an
/// unescaped one is left for the caller.
fn backslashes(chars: &[char], i: usize, word: &mut String) -> (bool, usize) {
    let mut n = 0;
    while chars.get(i + n) == Some(&'\\') {
        n += 1;
    }
    let after = i + n;
    if chars.get(after) == Some(&'"') {
        word.extend(std::iter::repeat_n('\\', n / 2));
        if n % 2 == 1 {
            word.push('"');
            (false, after + 1)
        } else {
            (true, after)
        }
    } else {
        word.extend(std::iter::repeat_n('\\', n));
        (false, after)
    }
}

/// Tab completion from the shell's command tree.
struct ShellHelper {
    tree: clap::Command,
    files: FilenameCompleter,
}

impl ShellHelper {
    /// Candidates for the word being typed at the end of `before`.
    fn candidates(&self, before: &str) -> Option<(usize, Vec<Pair>)> {
        let start = before
            .rfind(char::is_whitespace)
            .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0);
        let current = &before[start..];
        let mut done: Vec<&str> = before[..start].split_whitespace().collect();
        if done.first() == Some(&"help") {
            done.remove(0);
        }
        let mut cmd = &self.tree;
        let mut at_top = true;
        for w in &done {
            if let Some(sub) = cmd.find_subcommand(w) {
                cmd = sub;
                at_top = false;
            }
        }
        let pair = |s: String| Pair {
            display: s.clone(),
            replacement: format!("{s} "),
        };
        let mut out: Vec<Pair> = Vec::new();
        if current.starts_with('-') {
            for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                if let Some(long) = a.get_long() {
                    let flag = format!("--{long}");
                    if flag.starts_with(current) {
                        out.push(pair(flag));
                    }
                }
            }
        } else if cmd.has_subcommands() {
            for s in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                if s.get_name() != "help" && s.get_name().starts_with(current) {
                    out.push(pair(s.get_name().to_string()));
                }
            }
            if at_top && done.is_empty() {
                for (w, _) in SHELL_WORDS.iter().filter(|(w, _)| !w.starts_with('#')) {
                    if w.starts_with(current) {
                        out.push(pair(w.to_string()));
                    }
                }
            }
        } else {
            return None;
        }
        out.sort_by(|a, b| a.display.cmp(&b.display));
        Some((start, out))
    }
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        match self.candidates(&line[..pos]) {
            Some(found) => Ok(found),
            // A command's values: file names are the ones worth completing.
            None => self.files.complete(line, pos, ctx),
        }
    }
}

impl rustyline::hint::Hinter for ShellHelper {
    type Hint = String;
}
impl rustyline::highlight::Highlighter for ShellHelper {}
impl rustyline::validate::Validator for ShellHelper {}
impl Helper for ShellHelper {}

/// When someone last did something at the shell: a prompt shown or a key
/// pressed. The idle lock measures quiet from here, so it never fires while
/// a line is being typed (or pasted and echoed slowly by a busy terminal).
///
/// It also carries the idle lock to the line editor: a line half typed when
/// the lock fires (it may hold a name) is not shown again: the next key
/// clears it, and nothing of it runs.
#[derive(Clone)]
struct Activity {
    start: Instant,
    last_ms: Arc<AtomicU64>,
    abandon_line: Arc<AtomicBool>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last_ms: Arc::new(AtomicU64::new(0)),
            abandon_line: Arc::new(AtomicBool::new(false)),
        }
    }

    fn touch(&self) {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.fetch_max(now, Ordering::Relaxed);
    }

    /// How long nothing has happened.
    fn quiet_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }
}

/// Bound to every key in the line editor: records the key press as activity
/// and lets the editor do what it would have done, except for the first key
/// after an idle lock, which clears a line typed before the lock.
struct StampKeys(Activity);

impl ConditionalEventHandler for StampKeys {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        self.0.touch();
        if !self.0.abandon_line.swap(false, Ordering::Relaxed) {
            return None;
        }
        if ctx.line().is_empty() {
            None
        } else {
            // This key only clears the old line; nothing of it runs.
            Some(Cmd::Kill(Movement::WholeBuffer))
        }
    }
}

/// Waits for the next line until `idle` has passed without any activity.
fn wait_for_line(
    answers: &mpsc::Receiver<Option<String>>,
    activity: &Activity,
    idle: Duration,
) -> Result<Option<String>, RecvTimeoutError> {
    loop {
        let quiet = activity.quiet_for();
        if quiet >= idle {
            return Err(RecvTimeoutError::Timeout);
        }
        match answers.recv_timeout(idle - quiet) {
            Err(RecvTimeoutError::Timeout) => continue,
            other => return other,
        }
    }
}

/// What the main loop asks of the thread that reads input.
enum Ask {
    /// Read one line (showing this prompt, at a terminal).
    Line(String),
    /// Clear the screen.
    Clear,
}

/// Where lines come from: the line editor at a terminal, or plain lines
/// read from a pipe or file.
struct Input {
    ask: mpsc::Sender<Ask>,
    answers: mpsc::Receiver<Option<String>>,
    /// Whether the line editor reads the lines (not plain reads).
    editor: bool,
    /// Whether prompts must be printed by the main loop (a terminal without
    /// the line editor).
    plain_prompts: bool,
    /// Key presses seen by the line editor (only prompts without it).
    activity: Activity,
}

impl Input {
    /// A reader thread fetches one line only when asked, so that between
    /// commands nothing holds standard input: a passphrase prompt or a
    /// command's own reading is never raced by the reader. Answers come back
    /// through a channel, so waiting for input can time out (the idle lock).
    fn start(interactive: bool, tree: clap::Command) -> Input {
        let (ask, asked) = mpsc::channel::<Ask>();
        let (tx, answers) = mpsc::channel::<Option<String>>();
        let activity = Activity::new();
        if interactive {
            let config = Config::builder()
                .behavior(Behavior::PreferTerm)
                .auto_add_history(false)
                .completion_type(CompletionType::List)
                .max_history_size(1000)
                .and_then(|c| c.history_ignore_dups(true))
                .map(|c| c.build());
            let editor = config.and_then(|config| {
                let mut ed =
                    rustyline::Editor::<ShellHelper, rustyline::history::MemHistory>::with_history(
                        config,
                        rustyline::history::MemHistory::new(),
                    )?;
                ed.set_helper(Some(ShellHelper {
                    tree,
                    files: FilenameCompleter::new(),
                }));
                ed.bind_sequence(
                    Event::Any,
                    EventHandler::Conditional(Box::new(StampKeys(activity.clone()))),
                );
                Ok(ed)
            });
            // rustyline's external printer is not used for the lock notice:
            // while it is on, keys that arrive together (an input method, a
            // slow SSH link) wait unprocessed until the next key.
            if let Ok(mut ed) = editor {
                std::thread::spawn(move || {
                    while let Ok(a) = asked.recv() {
                        match a {
                            Ask::Clear => {
                                // rustyline clears the visible screen only
                                // (tmux and xterm keep it in the scrollback).
                                if !cfg!(windows) && std::io::stderr().is_terminal() {
                                    eprint!("{CLEAR_SCREEN}");
                                } else {
                                    let _ = ed.clear_screen();
                                }
                            }
                            Ask::Line(prompt) => {
                                let got = match ed.readline(&prompt) {
                                    Ok(l) => {
                                        if !l.trim().is_empty() {
                                            let _ = ed.add_history_entry(l.as_str());
                                        }
                                        Some(l)
                                    }
                                    // Ctrl-C abandons the line being typed.
                                    Err(ReadlineError::Interrupted) => Some(String::new()),
                                    Err(_) => None,
                                };
                                let end = got.is_none();
                                if tx.send(got).is_err() || end {
                                    break;
                                }
                            }
                        }
                    }
                });
                return Input {
                    ask,
                    answers,
                    editor: true,
                    plain_prompts: false,
                    activity,
                };
            }
        }
        std::thread::spawn(move || {
            let stdin = std::io::stdin();
            while let Ok(a) = asked.recv() {
                if let Ask::Clear = a {
                    eprint!("{CLEAR_SCREEN}");
                    continue;
                }
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
        Input {
            ask,
            answers,
            editor: false,
            plain_prompts: interactive,
            activity,
        }
    }

    /// Prints the idle lock's notice, clearing the screen at a terminal.
    fn notice_locked(&mut self, message: &str, interactive: bool) {
        match self.editor {
            true => {
                // The editor is waiting for a key in raw mode: say it with
                // explicit carriage returns, and have it drop its line.
                self.activity.abandon_line.store(true, Ordering::Relaxed);
                eprint!("{CLEAR_SCREEN}{message}\r\n");
                let _ = std::io::stderr().flush();
            }
            false if interactive => {
                eprint!("{CLEAR_SCREEN}{message}\nfieldvault (locked)> ");
                let _ = std::io::stderr().flush();
            }
            false => eprintln!("\n{message}"),
        }
    }
}

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
    let mut tree = shell_command();
    if interactive {
        eprintln!(
            "Unlocked {}. Type `help` for the commands, Tab to complete, `exit` or Ctrl-D to end.",
            path.display()
        );
    }
    let mut input = Input::start(interactive, tree.clone());

    let mut all_ok = true;
    let mut waiting = false;
    let mut first = true;
    loop {
        if !waiting {
            let prompt = if session.is_some() {
                "fieldvault> "
            } else {
                "fieldvault (locked)> "
            };
            if input.plain_prompts {
                eprint!("{prompt}");
                let _ = std::io::stderr().flush();
            }
            input.activity.touch();
            if input.ask.send(Ask::Line(prompt.to_string())).is_err() {
                break;
            }
            waiting = true;
        }
        let answer = if idle.is_zero() || session.is_none() {
            input
                .answers
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            wait_for_line(&input.answers, &input.activity, idle)
        };
        let line = match answer {
            Ok(Some(l)) => l,
            Ok(None) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                session = None;
                input.notice_locked(
                    &format!("Locked after {idle_minutes} idle minute(s); the next command asks for the passphrase again."),
                    interactive,
                );
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
                eprintln!("{}", help_text(&tree));
                continue;
            }
            "clear" => {
                let _ = input.ask.send(Ask::Clear);
                continue;
            }
            "lock" => {
                session = None;
                eprintln!("Locked.");
                continue;
            }
            _ => {}
        }
        let Some(mut words) = split_words(line) else {
            eprintln!("error: unbalanced quotes in that line");
            all_ok = false;
            continue;
        };
        if words.first().map(String::as_str) == Some("help") {
            words.remove(0);
            words.push("--help".into());
        }
        let parsed = tree
            .try_get_matches_from_mut(words)
            .and_then(|m| Cli::from_arg_matches(&m));
        let cli = match parsed {
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
        match run_line(g, &cli, &mut session, interactive) {
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
    interactive: bool,
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
        // At a terminal, unlocking again asks whoever sits there now: not
        // $FIELDVAULT_PASSPHRASE or --passphrase-file, which let the sitting
        // start. A teammate's identity file is read again as at the start.
        *session = Some(if interactive && g.identity.is_none() {
            let pass = terminal_passphrase(&vault_path(g))?;
            Session::open_with(g, true, Unlock::Passphrase(pass))?
        } else {
            Session::open(g, true)?
        });
    }
    let s = session.as_mut().expect("just opened");
    dispatch(&cli.command, s).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_splitting_keeps_backslashes() {
        assert_eq!(
            split_windows(r"transcript import C:\Users\aigerim\interview.txt --lang ru").unwrap(),
            [
                "transcript",
                "import",
                r"C:\Users\aigerim\interview.txt",
                "--lang",
                "ru"
            ]
        );
        assert_eq!(
            split_windows(r#"transcript import "C:\Users\Айгерим\My interviews\01.txt""#).unwrap(),
            [
                "transcript",
                "import",
                r"C:\Users\Айгерим\My interviews\01.txt"
            ]
        );
        assert_eq!(
            split_windows(r"import 'C:\a b\c.txt' --note 'it''s'").unwrap(),
            ["import", r"C:\a b\c.txt", "--note", "it's"]
        );
        // A folder with a trailing backslash inside quotes, CommandLineToArgvW style.
        assert_eq!(
            split_windows(r#"a "C:\dir\\" b"#).unwrap(),
            ["a", r"C:\dir\", "b"]
        );
        assert_eq!(split_windows(r#"say \"hi\""#).unwrap(), ["say", "\"hi\""]);
        assert_eq!(split_windows(r#"x "" y"#).unwrap(), ["x", "", "y"]);
        assert!(split_windows(r#"person add --name "Дина"#).is_none());
        assert!(split_windows("term add 'Голос").is_none());
    }

    #[test]
    fn help_lists_every_shell_command_once_in_shell_syntax() {
        let tree = shell_command();
        let help = help_text(&tree);
        assert!(
            help.contains("  person add --name NAME [OPTIONS]"),
            "{help}"
        );
        assert!(
            help.contains("  consent record PERSON --date YYYY-MM-DD"),
            "{help}"
        );
        assert!(help.contains("  clear "), "{help}");
        assert!(!help.contains("fieldvault "), "{help}");
        for refused in [
            "--vault",
            "--passphrase-file",
            "--identity",
            "  init",
            "  demo",
        ] {
            assert!(!help.contains(refused), "{refused} in {help}");
        }
        // Every leaf command has its line.
        fn leaves(c: &clap::Command, prefix: &str, out: &mut Vec<String>) {
            for s in c
                .get_subcommands()
                .filter(|s| !s.is_hide_set() && s.get_name() != "help")
            {
                let name = format!("{prefix}{}", s.get_name());
                if s.has_subcommands() {
                    leaves(s, &format!("{name} "), out);
                } else {
                    out.push(name);
                }
            }
        }
        let mut all = Vec::new();
        leaves(&tree, "", &mut all);
        assert!(all.len() > 30);
        for name in all {
            let n = help
                .lines()
                .filter(|l| l.starts_with(&format!("  {name} ")) || *l == format!("  {name}"))
                .count();
            assert_eq!(n, 1, "{name} should appear once in:\n{help}");
        }
    }

    #[test]
    fn completion_follows_the_command_tree() {
        let h = ShellHelper {
            tree: shell_command(),
            files: FilenameCompleter::new(),
        };
        let names = |before: &str| -> Vec<String> {
            h.candidates(before)
                .map(|(_, c)| c.into_iter().map(|p| p.display).collect())
                .unwrap_or_default()
        };
        assert_eq!(names("pers"), ["person"]);
        assert_eq!(names("person a"), ["add"]);
        assert_eq!(names("help transcript im"), ["import"]);
        assert!(names("person add --al").contains(&"--alias".to_string()));
        assert!(names("export --").contains(&"--json".to_string()));
        assert!(!names("export --").contains(&"--vault".to_string()));
        assert!(names("").contains(&"clear".to_string()));
        assert!(!names("").contains(&"init".to_string()));
        // Values of a leaf command are file names.
        assert!(h.candidates("transcript import ").is_none());
        let (start, _) = h.candidates("consent record 1 --da").unwrap();
        assert_eq!(start, "consent record 1 ".len());
    }
}
