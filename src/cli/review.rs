//! `review`: the open questions of the vault's transcripts, answered on the
//! review screen or line by line (`review list`, `review resolve`).

use super::args::{ResolveAction, ResolveArgs, ReviewArgs, ReviewCmd};
use super::report::{table, Report};
use super::session::Session;
use crate::lexicon;
use crate::records::{persons, transcripts};
use crate::review::questions::{self, Question};
use crate::review::resolve::{self, Answer};
use anyhow::{anyhow, bail, Result};
use serde_json::json;

pub fn run(s: &mut Session, a: &ReviewArgs) -> Result<Report> {
    match &a.cmd {
        Some(ReviewCmd::List { transcript }) => list(s, transcript.as_deref()),
        Some(ReviewCmd::Resolve(r)) => resolve_one(s, r),
        None => bail!(
            "the review screen needs a terminal; use `fieldvault review list` and `fieldvault review resolve ID ...` instead"
        ),
    }
}

fn list(s: &Session, transcript: Option<&str>) -> Result<Report> {
    let conn = s.conn();
    let ids = match transcript {
        Some(t) => vec![transcripts::resolve(conn, t)?],
        None => transcripts::list(conn)?.into_iter().map(|t| t.id).collect(),
    };
    let lex = lexicon::build(conn, &[])?;
    let mut all: Vec<Question> = Vec::new();
    for id in ids {
        all.extend(questions::open(conn, &lex, id)?);
    }
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
            "{}{} open question(s); answer with `fieldvault review resolve ID keep|redact|allow|term|person|alias PERSON` or on the `fieldvault review` screen.",
            table(&["ID", "KIND", "WORD", "CONTEXT"], &rows),
            all.len()
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
