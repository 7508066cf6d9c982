//! `excerpt`: spans of a transcript with tags and notes.

use super::args::ExcerptCmd;
use super::report::{table, Report};
use super::session::Session;
use crate::records::{
    audit,
    excerpts::{self, ExcerptEdit, Span},
    transcripts, RecordsError,
};
use anyhow::Result;
use serde_json::json;

fn span(lines: &Option<String>, all: bool) -> Result<Span> {
    Ok(match (lines, all) {
        (_, true) => Span::All,
        (Some(l), false) => excerpts::parse_lines(l)?,
        (None, false) => {
            return Err(RecordsError::Invalid("give --lines A-B or --all".into()).into())
        }
    })
}

pub fn run(s: &mut Session, cmd: &ExcerptCmd) -> Result<Report> {
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
            let mut refusals = Vec::new();
            if *redacted {
                // A redacted view looks publishable: say plainly whether
                // consent allows quoting it, and that only export clears it.
                let today = crate::records::today();
                let gate = crate::publish::gate::ConsentGate::load(conn, today)?;
                refusals = gate
                    .check_span(conn, e.transcript, e.first_line, e.last_line)?
                    .into_iter()
                    .map(|(who, why)| format!("{who}: {why}"))
                    .collect();
                h += &if refusals.is_empty() {
                    "Consent allows quoting this excerpt today. Not yet cleared for publication: `fieldvault export` also runs the leak check and the review gate.\n".to_string()
                } else {
                    format!(
                        "NOT CLEARED FOR PUBLICATION ({}): do not quote this text.\n",
                        refusals.join("; ")
                    )
                };
            }
            h += &text;
            Ok(Report::new(
                h,
                json!({ "id": e.id, "excerpt": e, "redacted": redacted, "turns": jturns,
                        "cleared_for_publication": false, "consent_refusals": refusals }),
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
