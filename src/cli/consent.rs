//! `consent`: the append-only consent history, withdrawals and evidence.

use super::args::{ConsentCmd, ConsentRecordArgs};
use super::person::exports_text;
use super::report::Report;
use super::session::Session;
use crate::records::{
    audit,
    consent::{self, ConsentEvent, Evidence, NewConsent, Scope},
    exports,
    persons::{self},
};
use anyhow::{anyhow, bail, Context, Result};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::Write;

pub fn run(s: &mut Session, cmd: &ConsentCmd) -> Result<Report> {
    match cmd {
        ConsentCmd::Evidence { id, out } => evidence(s, id, out),
        ConsentCmd::Record(a) => record(s, a),
        ConsentCmd::Withdraw {
            person,
            date,
            scope,
            note,
        } => {
            let scope: Option<Scope> = scope.as_deref().map(str::parse).transpose()?;
            let (p, w, list) = s.write(|_, tx| {
                let id = persons::resolve(tx, person)?;
                let w = consent::withdraw(tx, id, date, scope, note.as_deref())?;
                let p = persons::get(tx, id)?;
                audit::append(
                    tx,
                    "consent withdraw",
                    json!({ "person": id, "date": w.date, "scope": w.scope }),
                )?;
                Ok((p, w, exports::containing_person(tx, id)?))
            })?;
            let what = match w.scope {
                None => "Later exports and deposits leave them out.".to_string(),
                Some(Scope::Quotes) => "Later exports leave their quotes out; the rest of the consent stands.".to_string(),
                Some(Scope::Archive) => "Later deposits leave their interviews out; the rest of the consent stands.".to_string(),
                Some(Scope::SecondaryUse) => "Their material is no longer marked for reuse by other researchers; the rest of the consent stands.".to_string(),
            };
            let withdrawn = match w.scope {
                None => format!("the withdrawal of {}", p.pseudonym),
                Some(x) => format!("that {} withdrew consent to {x}", p.pseudonym),
            };
            let h = format!(
                "Recorded {withdrawn} on {}. {what}\n{}",
                w.date,
                exports_text(&p.pseudonym, &list)
            );
            Ok(Report::new(
                h,
                json!({ "id": w.id, "person": p.id, "date": w.date, "scope": w.scope, "exports": list }),
            ))
        }
        ConsentCmd::Show { person } => {
            let conn = s.conn();
            let id = persons::resolve(conn, person)?;
            let p = persons::get(conn, id)?;
            let history = consent::history(conn, id)?;
            let current = consent::current(conn, id)?;
            let mut h = format!("{}: {}\n", p.pseudonym, current.summary());
            for e in &history {
                match e {
                    ConsentEvent::Granted(r) => {
                        h += &format!(
                            "  {}  consent ({}): {}",
                            r.date,
                            r.method,
                            r.scopes_summary()
                        );
                        if let Some(x) = &r.restrictions {
                            h += &format!(", restrictions: {x}");
                        }
                        h.push('\n');
                        for ev in &r.evidence {
                            h += &format!(
                                "              evidence {}: {} ({} bytes)\n",
                                ev.attachment_id, ev.file_name, ev.size
                            );
                        }
                    }
                    ConsentEvent::Withdrawn(w) => match w.scope {
                        None => h += &format!("  {}  withdrawn\n", w.date),
                        Some(scope) => h += &format!("  {}  {scope} withdrawn\n", w.date),
                    },
                }
            }
            Ok(Report::new(
                h,
                json!({ "id": id, "pseudonym": p.pseudonym, "current": current, "history": history }),
            ))
        }
    }
}

fn record(s: &mut Session, a: &ConsentRecordArgs) -> Result<Report> {
    let nc = NewConsent {
        date: a.date.clone(),
        method: a.method.parse()?,
        recording: a.recording == "yes",
        quotes: a.quotes == "yes",
        archive: a.archive == "yes",
        secondary_use: a.secondary_use == "yes",
        attribution: a.attribution.parse()?,
        embargo_until: a.embargo_until.clone(),
        restrictions: a.restrictions.clone(),
        note: a.note.clone(),
    };
    // Check the person before touching any evidence file.
    persons::require_active(s.conn(), persons::resolve(s.conn(), &a.person)?)?;
    let mut stored: Vec<Evidence> = Vec::new();
    for f in &a.evidence {
        let bytes = zeroize::Zeroizing::new(
            std::fs::read(f)
                .with_context(|| format!("cannot read the evidence file {}", f.display()))?,
        );
        if bytes.is_empty() {
            cleanup(s, &stored);
            bail!("the evidence file {} is empty", f.display());
        }
        match s.vault.put_attachment(&bytes) {
            Ok(id) => stored.push(Evidence {
                attachment_id: id,
                file_name: f
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default(),
                sha256: hex::encode(Sha256::digest(&bytes[..])),
                size: bytes.len() as u64,
            }),
            Err(e) => {
                cleanup(s, &stored);
                return Err(e.into());
            }
        }
    }
    let res = s.write(|_, tx| {
        let id = persons::resolve(tx, &a.person)?;
        let r = consent::record(tx, id, &nc, &stored)?;
        let p = persons::get(tx, id)?;
        audit::append(
            tx,
            "consent record",
            json!({ "person": id, "consent": r.id, "date": r.date, "quotes": r.quotes, "archive": r.archive, "secondary_use": r.secondary_use, "attribution": r.attribution, "evidence": stored.len() }),
        )?;
        Ok((p, r))
    });
    let (p, r) = match res {
        Ok(x) => x,
        Err(e) => {
            cleanup(s, &stored);
            return Err(e);
        }
    };
    let current = consent::current(s.conn(), p.id)?;
    Ok(Report::new(
        format!(
            "Recorded consent {} for {}. Current: {}.",
            r.id,
            p.pseudonym,
            current.summary()
        ),
        json!({ "id": r.id, "person": p.id, "current": current }),
    ))
}

fn cleanup(s: &Session, stored: &[Evidence]) {
    for e in stored {
        let _ = s.vault.remove_attachment(&e.attachment_id);
    }
}

/// Writes one evidence file out in plaintext, on the researcher's explicit
/// request, after checking it is the file the consent record names.
fn evidence(s: &mut Session, id: &str, out: &std::path::Path) -> Result<Report> {
    let known: Option<(String, String, i64)> = {
        use rusqlite::OptionalExtension;
        s.conn()
            .query_row(
                "SELECT ce.file_name, ce.sha256, e.person_id FROM consent_evidence ce JOIN consent_event e ON e.id = ce.event_id
                 WHERE ce.attachment_id = ?1",
                [id.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
    };
    let Some((file_name, sha, person)) = known else {
        bail!(
            "no evidence file {} in this vault (see `consent show PERSON`)",
            persons::safe_echo(id)
        );
    };
    if out.exists() {
        bail!("{} already exists; nothing was written", out.display());
    }
    let bytes = s.vault.get_attachment(id.trim())?;
    if hex::encode(Sha256::digest(&bytes[..])) != sha {
        bail!(
            "the evidence file {} does not match its recorded SHA-256: it was replaced or damaged",
            id.trim()
        );
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".fieldvault-evidence-")
        .make_in(&dir, fieldvault_vault::create_private_file)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(&bytes)?;
    tmp.as_file().sync_all()?;
    s.write(|_, tx| {
        audit::append(tx, "consent evidence out", json!({ "attachment": id.trim(), "person": person, "file": out.file_name().map(|f| f.to_string_lossy().to_string()) }))?;
        Ok(())
    })?;
    tmp.persist_noclobber(out)
        .map_err(|e| anyhow!("cannot write {}: {}", out.display(), e.error))?;
    Ok(Report::new(
        format!("Wrote the evidence file {file_name} ({} bytes) to {}. It is plaintext: delete it when done.", bytes.len(), out.display()),
        json!({ "id": id.trim(), "file": out.display().to_string(), "size": bytes.len(), "sha256": sha }),
    ))
}
