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
    for w in &plan.reident {
        notes.push(format!(
            "warning: re-identification risk: {} is published as \"{}\", which fits {} person(s) in the vault (fewer than k={k})",
            w.pseudonym, w.combination, w.shared_by
        ));
    }
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
