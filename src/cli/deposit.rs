//! `deposit`: an archive package of whole redacted interviews.

use super::args::DepositArgs;
use super::export::reident_note;
use super::report::Report;
use super::session::Session;
use crate::publish::deposit::{self, DepositRequest};
use crate::publish::Target;
use crate::records::{now_rfc3339, persons, settings, today};
use anyhow::{bail, Result};
use serde_json::json;

pub fn run(s: &mut Session, a: &DepositArgs) -> Result<Report> {
    let target = Target::check(&a.out, a.force)?;
    let k = match a.k {
        Some(k) if k >= 1 => k,
        Some(_) => bail!("--k must be at least 1"),
        None => settings::get_u32(s.conn(), settings::REIDENT_K)?,
    };
    let req = DepositRequest {
        strict: a.strict,
        unreviewed: a.unreviewed,
        k,
        today: today(),
        created: now_rfc3339(),
        title: "fieldvault archive deposit".into(),
    };
    let plan = deposit::plan(s.conn(), &req)?;
    let (id, sha) = deposit::write(s, &target, &req, &plan)?;
    let pseudonyms: Vec<String> = plan
        .persons
        .iter()
        .map(|p| persons::get(s.conn(), *p).map(|x| x.pseudonym))
        .collect::<Result<_, _>>()?;
    let mut notes: Vec<String> = plan
        .left_out
        .iter()
        .map(|l| {
            if l.pseudonym.is_empty() {
                format!("left out: transcript {}: {}", l.transcript, l.why)
            } else {
                format!(
                    "left out: transcript {} ({}): {}",
                    l.transcript, l.pseudonym, l.why
                )
            }
        })
        .collect();
    notes.extend(plan.reident.iter().map(|w| reident_note(w, k)));
    let left: std::collections::BTreeSet<i64> =
        plan.left_out.iter().map(|l| l.transcript).collect();
    let human = format!(
        "Deposited {} interview(s) of {} person(s) to {} (sha256 {}); {} replacement(s); {} interview(s) left out.",
        plan.transcripts.len(),
        pseudonyms.len(),
        target.path().display(),
        sha,
        plan.replacements,
        left.len()
    );
    Ok(Report::new(
        human,
        json!({ "id": id, "file": target.path().display().to_string(), "sha256": sha,
                "transcripts": plan.transcripts, "persons": pseudonyms, "replacements": plan.replacements,
                "left_out": plan.left_out, "reident_warnings": plan.reident }),
    )
    .notes(notes))
}
