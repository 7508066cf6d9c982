//! `term`, `excerpt`, `audit` and `config` commands.

use super::args::{AuditCmd, ConfigCmd, ExcerptCmd, TermCmd};
use super::report::{table, Report};
use super::session::Session;
use crate::records::{
    audit,
    excerpts::{self, ExcerptEdit, Span},
    settings, terms, transcripts, RecordsError,
};
use anyhow::Result;
use serde_json::json;

pub fn term(s: &mut Session, cmd: &TermCmd) -> Result<Report> {
    match cmd {
        TermCmd::Add {
            text,
            kind,
            replacement,
        } => {
            let kind: terms::TermKind = kind.parse()?;
            let t = s.write(|_, tx| {
                let t = terms::add(tx, text, kind, replacement.as_deref())?;
                audit::append(
                    tx,
                    "term add",
                    json!({ "term": t.id, "kind": kind.as_str() }),
                )?;
                Ok(t)
            })?;
            Ok(Report::new(
                format!("Added term {} ({}).", t.id, kind.as_str()),
                json!({ "id": t.id, "kind": kind.as_str() }),
            ))
        }
        TermCmd::Allow { text } => {
            let t = s.write(|_, tx| {
                let t = terms::allow(tx, text)?;
                audit::append(tx, "term allow", json!({ "term": t.id }))?;
                Ok(t)
            })?;
            Ok(Report::new(
                format!("Added allowed word {}: it is never redacted.", t.id),
                json!({ "id": t.id, "kind": "allow" }),
            ))
        }
        TermCmd::List => {
            let list = terms::list(s.conn())?;
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|t| {
                    let r = match t.kind {
                        terms::TermKind::Allow => "(never redacted)".to_string(),
                        k => t
                            .replacement
                            .clone()
                            .unwrap_or_else(|| k.default_replacement().to_string()),
                    };
                    vec![
                        t.id.to_string(),
                        t.kind.as_str().to_string(),
                        t.text.clone(),
                        r,
                    ]
                })
                .collect();
            Ok(Report::new(
                table(&["ID", "KIND", "TEXT", "REPLACEMENT"], &rows),
                json!({ "terms": list }),
            ))
        }
        TermCmd::Remove { id } => {
            let t = s.write(|_, tx| {
                let id: i64 = id.trim().parse().map_err(|_| {
                    RecordsError::UnknownTerm(crate::records::persons::safe_echo(id))
                })?;
                let t = terms::remove(tx, id)?;
                audit::append(tx, "term remove", json!({ "term": t.id }))?;
                Ok(t)
            })?;
            Ok(Report::new(
                format!("Removed term {}.", t.id),
                json!({ "id": t.id, "removed": true }),
            ))
        }
    }
}

fn span(lines: &Option<String>, all: bool) -> Result<Span> {
    Ok(match (lines, all) {
        (_, true) => Span::All,
        (Some(l), false) => excerpts::parse_lines(l)?,
        (None, false) => {
            return Err(RecordsError::Invalid("give --lines A-B or --all".into()).into())
        }
    })
}

pub fn excerpt(s: &mut Session, cmd: &ExcerptCmd) -> Result<Report> {
    match cmd {
        ExcerptCmd::Add {
            transcript,
            lines,
            all,
            tag,
            note,
        } => {
            let sp = span(lines, *all)?;
            let e = s.write(|_, tx| {
                let t = transcripts::resolve(tx, transcript)?;
                let e = excerpts::add(tx, t, sp, tag, note.as_deref())?;
                audit::append(tx, "excerpt add", json!({ "excerpt": e.id, "transcript": t, "lines": [e.first_line, e.last_line] }))?;
                Ok(e)
            })?;
            Ok(Report::new(
                format!(
                    "Added excerpt {} (transcript {}, lines {}-{}).",
                    e.id, e.transcript, e.first_line, e.last_line
                ),
                json!({ "id": e.id, "excerpt": e }),
            ))
        }
        ExcerptCmd::List { tag } => {
            let list = excerpts::list(s.conn(), tag)?;
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|e| {
                    vec![
                        e.id.to_string(),
                        e.transcript.to_string(),
                        format!("{}-{}", e.first_line, e.last_line),
                        e.tags.join(", "),
                    ]
                })
                .collect();
            Ok(Report::new(
                table(&["ID", "TRANSCRIPT", "LINES", "TAGS"], &rows),
                json!({ "excerpts": list }),
            ))
        }
        ExcerptCmd::Show { id, redacted } => {
            let conn = s.conn();
            let e = excerpts::get(conn, excerpts::resolve(conn, id)?)?;
            let turns = transcripts::turns(conn, e.transcript, Some((e.first_line, e.last_line)))?;
            let view = super::transcript::TurnView::new(conn, *redacted)?;
            let mut h = format!(
                "Excerpt {} — transcript {}, lines {}-{}",
                e.id, e.transcript, e.first_line, e.last_line
            );
            if !e.tags.is_empty() {
                h += &format!(" — tags: {}", e.tags.join(", "));
            }
            h.push('\n');
            if let Some(n) = &e.note {
                h += &format!("Note: {}\n", view.text(n));
            }
            let (text, jturns) = view.render(&turns);
            h += &text;
            Ok(Report::new(
                h,
                json!({ "id": e.id, "excerpt": e, "redacted": redacted, "turns": jturns }),
            ))
        }
        ExcerptCmd::Edit {
            id,
            lines,
            add_tag,
            remove_tag,
            note,
        } => {
            let edit = ExcerptEdit {
                span: lines.as_deref().map(excerpts::parse_lines).transpose()?,
                add_tags: add_tag.clone(),
                remove_tags: remove_tag.clone(),
                note: note.clone(),
            };
            let e = s.write(|_, tx| {
                let e = excerpts::edit(tx, excerpts::resolve(tx, id)?, &edit)?;
                audit::append(
                    tx,
                    "excerpt edit",
                    json!({ "excerpt": e.id, "lines": [e.first_line, e.last_line] }),
                )?;
                Ok(e)
            })?;
            Ok(Report::new(
                format!("Updated excerpt {}.", e.id),
                json!({ "id": e.id, "excerpt": e }),
            ))
        }
        ExcerptCmd::Remove { id } => {
            let e = s.write(|_, tx| {
                let e = excerpts::remove(tx, excerpts::resolve(tx, id)?)?;
                audit::append(tx, "excerpt remove", json!({ "excerpt": e.id }))?;
                Ok(e)
            })?;
            Ok(Report::new(
                format!("Removed excerpt {}.", e.id),
                json!({ "id": e.id, "removed": true }),
            ))
        }
    }
}

pub fn audit_cmd(s: &Session, cmd: &AuditCmd) -> Result<Report> {
    match cmd {
        AuditCmd::Show => {
            let entries = audit::list(s.conn())?;
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        e.seq.to_string(),
                        e.at.clone(),
                        e.action.clone(),
                        e.detail.to_string(),
                    ]
                })
                .collect();
            Ok(Report::new(
                table(&["SEQ", "AT", "ACTION", "DETAIL"], &rows),
                json!({ "entries": entries }),
            ))
        }
        AuditCmd::Verify => {
            let n = audit::verify(s.conn())?;
            Ok(Report::new(
                format!(
                    "The audit log is intact: {n} entries, every hash links to the one before."
                ),
                json!({ "ok": true, "verified": n }),
            ))
        }
    }
}

pub fn config(s: &mut Session, cmd: &ConfigCmd) -> Result<Report> {
    match cmd {
        ConfigCmd::Show => {
            let all = settings::all(s.conn())?;
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|(k, v)| vec![k.key.to_string(), v.clone(), k.help.to_string()])
                .collect();
            let json: serde_json::Map<String, serde_json::Value> = all
                .iter()
                .map(|(k, v)| (k.key.to_string(), json!(v)))
                .collect();
            Ok(Report::new(
                table(&["SETTING", "VALUE", "MEANING"], &rows),
                json!({ "settings": json }),
            ))
        }
        ConfigCmd::Set { key, value } => {
            let k = s.write(|_, tx| {
                let k = settings::set(tx, key, value)?;
                audit::append(tx, "config set", json!({ "key": k.key, "value": value }))?;
                Ok(k)
            })?;
            Ok(Report::new(
                format!("{} = {}", k.key, value),
                json!({ "key": k.key, "value": value }),
            ))
        }
    }
}
