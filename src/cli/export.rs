//! `export`: consented, redacted, leak-checked excerpts for publication.

use super::args::ExportArgs;
use super::report::Report;
use super::session::Session;
use crate::publish::{self, ExportRequest, Target};
use crate::records::{now_rfc3339, persons, settings, today};
use anyhow::{bail, Result};
use serde_json::json;

pub fn run(s: &mut Session, a: &ExportArgs) -> Result<Report> {
    let format = a.format;
    if a.transcripts {
        if format != fieldvault_export::Format::Qdpx {
            bail!("--transcripts writes REFI-QDA for coding: use it with --format qdpx");
        }
        return super::codings::export_transcripts(s, a);
    }
    let target = Target::check(&a.out, a.force)?;
    let conn = s.conn();
    let person_ids = a
        .person
        .iter()
        .map(|p| persons::resolve(conn, p))
        .collect::<Result<Vec<_>, _>>()?;
    let named = a
        .allow_named
        .iter()
        .map(|p| persons::resolve(conn, p))
        .collect::<Result<Vec<_>, _>>()?;
    let k = match a.k {
        Some(k) if k >= 1 => k,
        Some(_) => bail!("--k must be at least 1"),
        None => settings::get_u32(conn, settings::REIDENT_K)?,
    };
    let req = ExportRequest {
        format,
        tags: a.tag.clone(),
        persons: person_ids,
        strict: a.strict,
        k,
        allow_named: named,
        named_reason: a.reason.clone(),
        today: today(),
        title: "fieldvault quote set".into(),
        created: now_rfc3339(),
        by_tag: a.by_tag,
        unreviewed: a.unreviewed,
    };
    let plan = publish::plan(s.conn(), &req)?;
    let written = publish::write(s, &target, &req, &plan)?;

    let pseudonyms: Vec<String> = written
        .persons
        .iter()
        .map(|p| persons::get(s.conn(), *p).map(|x| x.pseudonym))
        .collect::<Result<_, _>>()?;
    let mut notes = Vec::new();
    for l in &plan.left_out {
        notes.push(format!(
            "left out: excerpt {} ({}): {}",
            l.excerpt, l.pseudonym, l.reason
        ));
    }
    notes.extend(plan.reident.iter().map(|w| reident_note(w, k)));
    let counts = plan.left_out_counts();
    let left = if counts.is_empty() {
        "nothing left out".to_string()
    } else {
        format!(
            "left out: {}",
            counts
                .iter()
                .map(|(r, n)| format!("{n} ({r})"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let out = target.path();
    let human = format!(
        "Exported {} excerpt(s) quoting {} person(s) to {} ({}, sha256 {}); {left}.",
        written.excerpts.len(),
        written.persons.len(),
        out.display(),
        format.extension(),
        written.sha256
    );
    Ok(Report::new(
        human,
        json!({ "id": written.id, "file": out.display().to_string(), "format": format.extension(), "sha256": written.sha256,
                "excerpts": written.excerpts, "persons": pseudonyms, "left_out": plan.left_out, "left_out_counts": counts,
                "reident_warnings": plan.reident }),
    )
    .notes(notes))
}

/// One re-identification warning as the researcher reads it; a warning
/// caused by earlier outputs names them.
pub(super) fn reident_note(w: &publish::reident::Warning, k: u32) -> String {
    if w.earlier_exports.is_empty() {
        format!(
            "warning: re-identification risk: {} is published as \"{}\", which fits {} person(s) in the vault (fewer than k={k})",
            w.pseudonym, w.combination, w.shared_by
        )
    } else {
        let earlier: Vec<String> = w.earlier_exports.iter().map(|e| e.to_string()).collect();
        format!(
            "warning: re-identification risk: together with {}, this output reveals \"{}\" about {}, which fits {} person(s) in the vault (fewer than k={k})",
            earlier.join(", "),
            w.combination,
            w.pseudonym,
            w.shared_by
        )
    }
}
