//! `codings import` and `export --format qdpx --transcripts`: the round
//! trip through analysis software.

use super::args::{CodingsCmd, CodingsImportArgs, ExportArgs};
use super::export::reident_note;
use super::report::Report;
use super::session::Session;
use crate::publish::coding::{self, TranscriptsRequest};
use crate::publish::Target;
use crate::records::{now_rfc3339, persons, settings, today};
use anyhow::{bail, Context, Result};
use serde_json::json;
use sha2::{Digest, Sha256};

pub fn run(s: &mut Session, cmd: &CodingsCmd) -> Result<Report> {
    match cmd {
        CodingsCmd::Import(a) => import(s, a),
    }
}

/// The largest project read: a coded project of whole transcripts is text.
const MAX_PROJECT_BYTES: u64 = 512 * 1024 * 1024;

fn import(s: &mut Session, a: &CodingsImportArgs) -> Result<Report> {
    let shown = a.file.display().to_string();
    let meta = std::fs::metadata(&a.file).with_context(|| format!("cannot read {shown}"))?;
    if !meta.is_file() {
        bail!("{shown} is not a file");
    }
    if meta.len() > MAX_PROJECT_BYTES {
        bail!("{shown} is larger than 512 MiB; this is not a coded project of interviews");
    }
    let bytes = std::fs::read(&a.file).with_context(|| format!("cannot read {shown}"))?;
    let plan = coding::plan_codings(s.conn(), &bytes)
        .with_context(|| format!("{shown}: nothing was imported"))?;
    let sha = hex::encode(Sha256::digest(&bytes));
    let file_name = a
        .file
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut notes: Vec<String> = plan
        .unmatched
        .iter()
        .map(|u| {
            format!(
                "unmatched: selection {} in source {}: {}",
                u.selection, u.source, u.why
            )
        })
        .collect();
    notes.extend(
        plan.skipped
            .iter()
            .map(|u| format!("skipped: {}: {}", u.selection, u.why)),
    );
    let lines: Vec<String> = plan
        .mapped
        .iter()
        .map(|m| {
            let what = match m.updates {
                None => "new excerpt".to_string(),
                Some(id) if m.new_tags.is_empty() && m.note.is_none() => {
                    format!("excerpt {id} unchanged")
                }
                Some(id) => format!("update excerpt {id}"),
            };
            format!(
                "  {what}: transcript {} lines {}-{}  tags {}{}",
                m.transcript,
                m.first_line,
                m.last_line,
                if m.new_tags.is_empty() {
                    "-".to_string()
                } else {
                    m.new_tags.join(", ")
                },
                if m.note.is_some() { "  (+ memo)" } else { "" }
            )
        })
        .collect();
    let (created, updated) = if a.dry_run {
        (Vec::new(), Vec::new())
    } else {
        coding::apply_codings(s, &plan, &file_name, &sha)?
    };
    let verb = if a.dry_run { "Would create" } else { "Created" };
    let human = format!(
        "{verb} {} excerpt(s) and update {} from {} coded selection(s) in {shown}; {} selection(s) unmatched, {} skipped.{}\n{}",
        plan.created(),
        plan.updated(),
        plan.selections,
        plan.unmatched.len(),
        plan.skipped.len(),
        if a.dry_run { " Nothing was changed (--dry-run)." } else { "" },
        lines.join("\n")
    );
    Ok(Report::new(
        human.trim_end().to_string(),
        json!({ "file": shown, "sha256": sha, "dry_run": a.dry_run, "origin": plan.origin,
                "selections": plan.selections, "created": created, "updated": updated,
                "mapped": plan.mapped, "unmatched": plan.unmatched, "unmatched_count": plan.unmatched.len(),
                "skipped": plan.skipped, "sources": plan.sources_matched }),
    )
    .notes(notes))
}

pub fn export_transcripts(s: &mut Session, a: &ExportArgs) -> Result<Report> {
    let target = Target::check(&a.out, a.force)?;
    let k = match a.k {
        Some(k) if k >= 1 => k,
        Some(_) => bail!("--k must be at least 1"),
        None => settings::get_u32(s.conn(), settings::REIDENT_K)?,
    };
    let req = TranscriptsRequest {
        strict: a.strict,
        k,
        today: today(),
        created: now_rfc3339(),
    };
    let plan = coding::plan_transcripts(s.conn(), &req)?;
    let (id, sha) = coding::write_transcripts(s, &target, &req, &plan)?;
    let pseudonyms: Vec<String> = plan
        .persons
        .iter()
        .map(|p| persons::get(s.conn(), *p).map(|x| x.pseudonym))
        .collect::<Result<_, _>>()?;
    let mut notes: Vec<String> = plan
        .left_out
        .iter()
        .map(|l| {
            format!(
                "left out: transcript {} ({}): {}",
                l.transcript, l.pseudonym, l.why
            )
        })
        .collect();
    notes.extend(plan.reident.iter().map(|w| reident_note(w, k)));
    Ok(Report::new(
        format!(
            "Exported {} whole transcript(s) of {} person(s) with {} existing excerpt(s) as codings to {} (qdpx, sha256 {}); {} transcript(s) left out.",
            plan.transcripts.len(),
            pseudonyms.len(),
            plan.excerpts,
            target.path().display(),
            sha,
            plan.left_out.iter().map(|l| l.transcript).collect::<std::collections::BTreeSet<_>>().len()
        ),
        json!({ "id": id, "file": target.path().display().to_string(), "format": "qdpx", "sha256": sha,
                "transcripts": plan.transcripts, "persons": pseudonyms, "excerpts": plan.excerpts,
                "left_out": plan.left_out, "reident_warnings": plan.reident }),
    )
    .notes(notes))
}
