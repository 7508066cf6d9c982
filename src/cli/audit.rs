//! `audit`: the hash-chained audit log.

use super::args::AuditCmd;
use super::report::{table, Report};
use super::session::Session;
use crate::records::audit;
use anyhow::Result;
use serde_json::json;

pub fn run(s: &Session, cmd: &AuditCmd) -> Result<Report> {
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
