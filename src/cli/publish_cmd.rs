//! `redact` and `export`.

use super::args::{ExportArgs, RedactArgs};
use super::report::Report;
use super::session::Session;
use crate::publish::{self, ExportRequest};
use crate::records::{audit, exports, now_rfc3339, persons, settings, today};
use anyhow::{bail, Context, Result};
use fieldvault_export::Format;
use fieldvault_redact::{redact, suspects, RedactOptions};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

pub fn redact_cmd(s: &Session, a: &RedactArgs) -> Result<Report> {
    let bytes = zeroize::Zeroizing::new(match &a.file {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?
        }
        _ => {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .context("cannot read standard input")?;
            b
        }
    });
    // UTF-8 input is redacted exactly as it is (no newline or Unicode
    // normalisation), so that everything but the replacements stays
    // byte-identical; other encodings are decoded first.
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t.to_string(),
        Err(_) => {
            fieldvault_import::decode_text(&bytes)
                .context("the input is not readable text")?
                .0
        }
    };
    let lex = crate::lexicon::build(s.conn(), &[])?;
    let red = redact(&lex, &text, &RedactOptions::default());
    let sus = if a.suspects {
        suspects(&lex, &red.text)
    } else {
        Vec::new()
    };
    let mut notes = Vec::new();
    if a.explain {
        for r in &red.replacements {
            notes.push(format!(
                "{}..{}  {:?} -> {}  ({})",
                r.start,
                r.end,
                &text[r.start..r.end],
                r.replacement,
                reason_text(&r.reason)
            ));
        }
        notes.push(format!("{} replacement(s)", red.replacements.len()));
    }
    if a.suspects {
        for x in &sus {
            notes.push(format!("suspect: {} (at {})", x.word, x.start));
        }
        notes.push(format!("{} suspect(s): unregistered capitalised words; register real people with `person add` or `term add`", sus.len()));
    }
    let replacements: Vec<serde_json::Value> = red
        .replacements
        .iter()
        .map(|r| json!({ "start": r.start, "end": r.end, "original": &text[r.start..r.end], "replacement": r.replacement, "reason": reason_text(&r.reason) }))
        .collect();
    let json = json!({ "text": red.text, "replacements": replacements, "suspects": sus.iter().map(|x| json!({ "word": x.word, "start": x.start, "end": x.end })).collect::<Vec<_>>() });
    Ok(Report::verbatim(red.text, json).notes(notes))
}

fn reason_text(r: &fieldvault_redact::Reason) -> String {
    match r {
        fieldvault_redact::Reason::Person { key, form } => format!("person {key}, {form}"),
        fieldvault_redact::Reason::Term { key } => key.clone(),
        fieldvault_redact::Reason::Pattern(k) => format!("pattern: {k}"),
        fieldvault_redact::Reason::UnregisteredName => {
            "likely an unregistered person's name".into()
        }
    }
}

pub fn export(s: &mut Session, a: &ExportArgs) -> Result<Report> {
    let format: Format = a
        .format
        .parse()
        .map_err(|_| anyhow::anyhow!("unknown export format {}", a.format))?;
    let out = &a.out;
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !dir.is_dir() {
        bail!(
            "the folder {} does not exist; nothing was written",
            dir.display()
        );
    }
    if out.is_dir() {
        bail!("{} is a folder; give a file name with --out", out.display());
    }
    if out.exists() && !a.force {
        bail!(
            "{} already exists; nothing was written (use --force to replace it)",
            out.display()
        );
    }
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
    };
    let plan = publish::plan(conn, &req)?;
    let bytes = fieldvault_export::render(format, &plan.publication)?;
    let sha = hex::encode(Sha256::digest(&bytes));

    // Write to a temporary file beside the target; it becomes the export only
    // after the audit entry is safely in the vault.
    let mut tmp = tempfile::Builder::new()
        .prefix(".fieldvault-export-")
        .tempfile_in(&dir)
        .context("cannot write in the output folder")?;
    tmp.write_all(&bytes).context("cannot write the export")?;
    tmp.as_file()
        .sync_all()
        .context("cannot write the export")?;
    let file_name = out
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let excerpt_ids: Vec<i64> = plan
        .publication
        .quotes
        .iter()
        .filter_map(|q| q.excerpt_id.parse().ok())
        .collect();
    let quoted: std::collections::BTreeSet<i64> = plan.items.iter().map(|(_, p)| *p).collect();
    let export_id = s.write(|_, tx| {
        let id = exports::log(tx, format.extension(), &file_name, &sha, &plan.items)?;
        audit::append(
            tx,
            "export",
            json!({ "export": id, "format": format.extension(), "file": file_name, "sha256": sha, "excerpts": excerpt_ids,
                    "persons": quoted, "left_out": plan.left_out.len(), "strict": a.strict, "k": k }),
        )?;
        for (p, pseudonym) in &plan.named {
            audit::append(tx, "export named attribution", json!({ "export": id, "person": p, "pseudonym": pseudonym, "reason": a.reason }))?;
        }
        Ok(id)
    })?;
    let persisted = if a.force {
        tmp.persist(out).map(|_| ())
    } else {
        tmp.persist_noclobber(out).map(|_| ())
    };
    if let Err(e) = persisted {
        // The audit log already holds the export; say, append-only, that it
        // never reached disk, so withdrawal reports stay truthful.
        let _ = s.write(|_, tx| {
            audit::append(
                tx,
                "export not written",
                json!({ "export": export_id, "file": file_name }),
            )?;
            Ok(())
        });
        bail!(
            "cannot move the export into place at {}: {}; nothing was written",
            out.display(),
            e.error
        );
    }
    sync_dir(&dir);

    let pseudonyms: Vec<String> = quoted
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
    let human = format!(
        "Exported {} excerpt(s) quoting {} person(s) to {} ({}, sha256 {}); {left}.",
        excerpt_ids.len(),
        quoted.len(),
        out.display(),
        format.extension(),
        sha
    );
    Ok(Report::new(
        human,
        json!({ "id": export_id, "file": out.display().to_string(), "format": format.extension(), "sha256": sha,
                "excerpts": excerpt_ids, "persons": pseudonyms, "left_out": plan.left_out, "left_out_counts": counts,
                "reident_warnings": plan.reident }),
    )
    .notes(notes))
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
