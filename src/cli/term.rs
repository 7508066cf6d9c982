//! `term`: sensitive terms and the allow-list.

use super::args::TermCmd;
use super::report::{table, Report};
use super::session::Session;
use crate::records::{audit, terms, RecordsError};
use anyhow::Result;
use serde_json::json;

pub fn run(s: &mut Session, cmd: &TermCmd) -> Result<Report> {
    match cmd {
        TermCmd::Add {
            text,
            kind,
            replacement,
        } => {
            let kind = *kind;
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
            )
            .notes(fieldvault_redact::collision_warning(&[text])))
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
                        terms::TermClass::Allowed => "(never redacted)".to_string(),
                        terms::TermClass::Sensitive(k) => t
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
