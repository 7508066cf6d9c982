//! `review`: the open questions of the vault's transcripts, answered on the
//! review screen or line by line (`review list`, `review resolve`).

use super::args::{ResolveAction, ResolveArgs, ReviewArgs, ReviewCmd};
use super::report::{table, Report};
use super::session::Session;
use crate::lexicon;
use crate::records::{persons, transcripts};
use crate::review::questions::{self, Question};
use crate::review::resolve::{self, Answer};
use crate::review::screen::{Flow, Palette, Picker, Screen, MIN_HEIGHT, MIN_WIDTH};
use anyhow::{anyhow, bail, Context, Result};
use ratatui::crossterm::{
    self as crossterm,
    event::{self, Event, KeyEventKind},
};
use serde_json::json;
use std::time::{Duration, Instant};

pub fn run(s: &mut Session, a: &ReviewArgs) -> Result<Report> {
    match &a.cmd {
        Some(ReviewCmd::List { transcript }) => list(s, transcript.as_deref()),
        Some(ReviewCmd::Resolve(r)) => resolve_one(s, r),
        None => match screen(s, a, None)? {
            ScreenEnd::Quit => Ok(Report::new("", json!({ "reviewed": true }))),
            ScreenEnd::IdleLocked => bail!("the review screen closed after the idle time"),
        },
    }
}

/// How the review screen ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenEnd {
    Quit,
    /// No key for the idle time: the screen was cleared; the caller locks.
    IdleLocked,
}

/// Restores the terminal however the screen ends (a panic included).
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// The interactive review screen on the real terminal. Refuses input that
/// is not a terminal and a window smaller than 80×24 before touching the
/// terminal.
pub fn screen(s: &mut Session, a: &ReviewArgs, idle: Option<Duration>) -> Result<ScreenEnd> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!("the review screen needs a terminal; in scripts use `fieldvault review list` and `fieldvault review resolve ID ...`");
    }
    let (w, h) = crossterm::terminal::size().map_err(|_| {
        anyhow!("cannot read the terminal size; use `fieldvault review list` instead")
    })?;
    if w < MIN_WIDTH || h < MIN_HEIGHT {
        bail!("the terminal is {w}×{h}; the review screen needs at least {MIN_WIDTH}×{MIN_HEIGHT} (enlarge the window, or use `fieldvault review list`)");
    }
    let mut chosen = match &a.transcript {
        Some(t) => Some(transcripts::resolve(s.conn(), t)?),
        None => None,
    };
    let palette = Palette::from_env();
    let mut picker = if chosen.is_none() {
        Some(Picker::load(s.conn())?)
    } else {
        None
    };
    let mut review = match chosen {
        Some(t) => Some(Screen::open(s.conn(), t, palette)?),
        None => None,
    };
    let mut terminal = ratatui::try_init().context("cannot take over the terminal")?;
    let _guard = TerminalGuard;
    let mut last_key = Instant::now();
    loop {
        terminal.draw(|f| match (&review, &picker) {
            (Some(r), _) => r.draw(f),
            (None, Some(p)) => p.draw(f, palette),
            (None, None) => {}
        })?;
        let wait = match idle {
            Some(d) if !d.is_zero() => d.saturating_sub(last_key.elapsed()),
            _ => Duration::from_secs(3600),
        };
        if !event::poll(wait)? {
            if idle.is_some_and(|d| !d.is_zero() && last_key.elapsed() >= d) {
                // Nothing of the vault stays on the screen when it locks.
                terminal.clear()?;
                return Ok(ScreenEnd::IdleLocked);
            }
            continue;
        }
        let Event::Key(k) = event::read()? else {
            continue;
        };
        if k.kind != KeyEventKind::Press {
            continue;
        }
        last_key = Instant::now();
        if let Some(r) = review.as_mut() {
            if r.key(s, k) == Flow::Quit {
                if picker.is_some() {
                    // Back to the list, with fresh counts.
                    review = None;
                    picker = Some(Picker::load(s.conn())?);
                    continue;
                }
                break;
            }
        } else if let Some(p) = picker.as_mut() {
            match p.key(k) {
                Err(_) => break,
                Ok(Some(t)) => {
                    chosen = Some(t);
                    review = Some(Screen::open(s.conn(), t, palette)?);
                }
                Ok(None) => {}
            }
        }
    }
    terminal.clear()?;
    let _ = chosen;
    Ok(ScreenEnd::Quit)
}

fn list(s: &Session, transcript: Option<&str>) -> Result<Report> {
    let conn = s.conn();
    let ids = match transcript {
        Some(t) => vec![transcripts::resolve(conn, t)?],
        None => transcripts::list(conn)?.into_iter().map(|t| t.id).collect(),
    };
    let lex = lexicon::build(conn, &[])?;
    let all: Vec<Question> = questions::open_in(conn, &lex, &ids)?;
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|q| {
            vec![
                q.id.clone(),
                q.kind.as_str().to_string(),
                q.word.clone(),
                q.context.clone(),
            ]
        })
        .collect();
    let human = if all.is_empty() {
        "No open questions.".to_string()
    } else {
        format!(
            "{} open question(s); answer with `fieldvault review resolve ID keep|redact|allow|term|person|alias PERSON` or on the `fieldvault review` screen.\n{}",
            all.len(),
            table(&["ID", "KIND", "WORD", "CONTEXT"], &rows),
        )
    };
    let json_rows: Vec<serde_json::Value> = all
        .iter()
        .map(|q| {
            json!({ "id": q.id, "transcript": q.transcript, "line": q.line, "field": q.field, "kind": q.kind,
                    "word": q.word, "context": q.context, "near": q.near })
        })
        .collect();
    Ok(Report::new(human, json!({ "questions": json_rows })))
}

/// The answer the command line asks for, checked before anything changes.
pub fn answer_of(s: &Session, r: &ResolveArgs) -> Result<Answer> {
    let only = |ok: bool, flag: &str| -> Result<()> {
        if ok {
            Ok(())
        } else {
            bail!("{flag} does not apply to `{}`", action_name(r.action))
        }
    };
    only(
        r.person.is_none() || r.action == ResolveAction::Alias,
        "a PERSON",
    )?;
    only(
        r.descriptor.is_none() || r.action == ResolveAction::Person,
        "--descriptor",
    )?;
    only(
        r.kind.is_none() || r.action == ResolveAction::Term,
        "--kind",
    )?;
    only(
        r.replacement.is_none() || matches!(r.action, ResolveAction::Term | ResolveAction::Redact),
        "--replacement",
    )?;
    Ok(match r.action {
        ResolveAction::Keep => Answer::Keep,
        ResolveAction::Redact => Answer::Redact {
            replacement: r.replacement.clone(),
        },
        ResolveAction::Allow => Answer::Allow,
        ResolveAction::Term => Answer::Term {
            kind: r
                .kind
                .ok_or_else(|| anyhow!("`term` needs --kind org|place|person|other"))?,
            replacement: r.replacement.clone(),
        },
        ResolveAction::Person => Answer::Person {
            name: None,
            descriptor: r.descriptor.clone(),
        },
        ResolveAction::Alias => Answer::Alias {
            person: persons::resolve(
                s.conn(),
                r.person.as_deref().ok_or_else(|| {
                    anyhow!("`alias` needs the PERSON (id or pseudonym) it is another name of")
                })?,
            )?,
        },
    })
}

fn action_name(a: ResolveAction) -> &'static str {
    match a {
        ResolveAction::Keep => "keep",
        ResolveAction::Redact => "redact",
        ResolveAction::Allow => "allow",
        ResolveAction::Term => "term",
        ResolveAction::Person => "person",
        ResolveAction::Alias => "alias",
    }
}

fn resolve_one(s: &mut Session, r: &ResolveArgs) -> Result<Report> {
    let answer = answer_of(s, r)?;
    let lex = lexicon::build(s.conn(), &[])?;
    let q = questions::find_open(s.conn(), &lex, &r.id)?;
    let done = s.write(|_, tx| Ok(resolve::resolve(tx, &q, &answer)?))?;
    Ok(Report::new(done.summary, done.json))
}
