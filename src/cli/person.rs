//! `person` and `consent` commands.

use super::args::{ConsentCmd, ConsentRecordArgs, PersonAddArgs, PersonCmd, PersonEditArgs};
use super::report::{table, Report};
use super::session::Session;
use crate::records::{
    audit,
    consent::{self, ConsentEvent, Evidence, NewConsent},
    exports,
    persons::{self, Contact, ContactKind, NewPerson, PersonEdit},
};
use anyhow::{anyhow, bail, Context, Result};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::Write;

fn attrs(list: &[String]) -> Result<Vec<(String, String)>> {
    list.iter()
        .map(|a| {
            a.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                .ok_or_else(|| anyhow!("--attr takes NAME=VALUE, e.g. --attr city=Almaty"))
        })
        .collect()
}

fn contacts(phones: &[String], emails: &[String], handles: &[String]) -> Vec<Contact> {
    let mk = |kind, v: &String| Contact {
        kind,
        value: v.clone(),
    };
    phones
        .iter()
        .map(|v| mk(ContactKind::Phone, v))
        .chain(emails.iter().map(|v| mk(ContactKind::Email, v)))
        .chain(handles.iter().map(|v| mk(ContactKind::Handle, v)))
        .collect()
}

pub fn person(s: &mut Session, cmd: &PersonCmd) -> Result<Report> {
    match cmd {
        PersonCmd::Add(a) => add(s, a),
        PersonCmd::List => list(s),
        PersonCmd::Show { person } => show(s, person),
        PersonCmd::Edit(a) => edit(s, a),
        PersonCmd::Purge { person, yes } => purge(s, person, *yes),
        PersonCmd::Exports { person } => {
            let id = persons::resolve(s.conn(), person)?;
            let p = persons::get(s.conn(), id)?;
            let list = exports::containing_person(s.conn(), id)?;
            Ok(Report::new(
                exports_text(&p.pseudonym, &list),
                json!({ "id": id, "exports": list }),
            ))
        }
    }
}

fn add(s: &mut Session, a: &PersonAddArgs) -> Result<Report> {
    let np = NewPerson {
        name: a.name.clone(),
        aliases: a.alias.clone(),
        descriptor: a.descriptor.clone(),
        pseudonym: a.pseudonym.clone(),
        contacts: contacts(&a.phone, &a.email, &a.handle),
        attributes: attrs(&a.attr)?,
    };
    let p = s.write(|_, tx| {
        let p = persons::add(tx, &np)?;
        audit::append(
            tx,
            "person add",
            json!({ "person": p.id, "pseudonym": p.pseudonym }),
        )?;
        Ok(p)
    })?;
    Ok(Report::new(
        format!("Added person {} as {}.", p.id, p.pseudonym),
        json!({ "id": p.id, "pseudonym": p.pseudonym }),
    ))
}

fn list(s: &Session) -> Result<Report> {
    let conn = s.conn();
    let mut rows = Vec::new();
    let mut out = Vec::new();
    for p in persons::list(conn)? {
        let c = consent::current(conn, p.id)?;
        let state = if p.is_purged() {
            "purged".to_string()
        } else {
            c.summary()
        };
        rows.push(vec![
            p.id.to_string(),
            p.pseudonym.clone(),
            p.descriptor.clone().unwrap_or_default(),
            state.clone(),
        ]);
        out.push(json!({ "id": p.id, "pseudonym": p.pseudonym, "descriptor": p.descriptor, "consent": state, "purged": p.is_purged() }));
    }
    Ok(Report::new(
        table(&["ID", "PSEUDONYM", "DESCRIPTOR", "CONSENT"], &rows),
        json!({ "persons": out }),
    ))
}

fn show(s: &Session, key: &str) -> Result<Report> {
    let conn = s.conn();
    let p = persons::get(conn, persons::resolve(conn, key)?)?;
    let c = consent::current(conn, p.id)?;
    let mut h = format!("Person {}: {}\n", p.id, p.pseudonym);
    if let Some(n) = &p.name {
        h += &format!("  name:        {n}\n");
    }
    if !p.aliases.is_empty() {
        h += &format!("  aliases:     {}\n", p.aliases.join(", "));
    }
    if let Some(d) = &p.descriptor {
        h += &format!("  descriptor:  {d}\n");
    }
    for ct in &p.contacts {
        h += &format!("  {:<12} {}\n", format!("{}:", ct.kind.as_str()), ct.value);
    }
    for (k, v) in &p.attributes {
        h += &format!("  {:<12} {v}\n", format!("{k}:"));
    }
    h += &format!(
        "  consent:     {}\n",
        if p.is_purged() {
            "purged".into()
        } else {
            c.summary()
        }
    );
    if let Some(when) = &p.purged {
        h += &format!("  purged:      {when}\n");
    }
    Ok(Report::new(
        h,
        json!({ "id": p.id, "person": p, "consent": c }),
    ))
}

fn edit(s: &mut Session, a: &PersonEditArgs) -> Result<Report> {
    let e = PersonEdit {
        name: a.name.clone(),
        descriptor: a.descriptor.clone(),
        pseudonym: a.pseudonym.clone(),
        add_aliases: a.add_alias.clone(),
        remove_aliases: a.remove_alias.clone(),
        add_contacts: contacts(&a.add_phone, &a.add_email, &a.add_handle),
        remove_contacts: a.remove_contact.clone(),
        set_attributes: attrs(&a.attr)?,
        remove_attributes: a.remove_attr.clone(),
    };
    let p = s.write(|_, tx| {
        let id = persons::resolve(tx, &a.person)?;
        let p = persons::edit(tx, id, &e)?;
        audit::append(
            tx,
            "person edit",
            json!({ "person": p.id, "pseudonym": p.pseudonym }),
        )?;
        Ok(p)
    })?;
    Ok(Report::new(
        format!("Updated person {} ({}).", p.id, p.pseudonym),
        json!({ "id": p.id, "pseudonym": p.pseudonym }),
    ))
}

fn purge(s: &mut Session, key: &str, yes: bool) -> Result<Report> {
    let id = persons::resolve(s.conn(), key)?;
    let plan = persons::purge_plan(s.conn(), id)?;
    if !yes {
        super::confirm::typed(
            &format!(
                "This deletes {} transcript(s) with {} excerpt(s), {} evidence file(s) and every piece of real-name data of {}, and replaces their mentions elsewhere with the pseudonym. It cannot be undone.",
                plan.transcripts.len(),
                plan.excerpts,
                plan.attachments.len(),
                plan.pseudonym
            ),
            &plan.pseudonym,
        )?;
    }
    let report = s.write(|_, tx| {
        let scrub = crate::lexicon::person_scrubber(tx, id)?;
        let report = persons::purge(tx, id, &scrub)?;
        audit::append(
            tx,
            "person purge",
            json!({ "person": id, "pseudonym": report.pseudonym, "transcripts": report.transcripts, "excerpts": report.excerpts,
                    "attachments": report.attachments.len(), "mentions_scrubbed": report.mentions_scrubbed,
                    "transcripts_scrubbed": report.transcripts_scrubbed }),
        )?;
        Ok(report)
    })?;
    // The database no longer references them; now remove the encrypted files.
    let mut notes = Vec::new();
    for a in &report.attachments {
        if s.vault.remove_attachment(a).is_err() {
            notes.push(format!(
                "warning: the encrypted evidence file {a} could not be removed; delete it by hand"
            ));
        }
    }
    let mut h = format!(
        "Purged {}: {} transcript(s), {} excerpt(s), {} evidence file(s) and all real-name data deleted; the pseudonym stays reserved.",
        report.pseudonym,
        report.transcripts.len(),
        report.excerpts,
        report.attachments.len()
    );
    if report.mentions_scrubbed > 0 {
        h += &format!(
            "\nReplaced {} mention(s) elsewhere in the vault (transcripts: {}) with [{}].",
            report.mentions_scrubbed,
            report
                .transcripts_scrubbed
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            report.pseudonym
        );
    }
    Ok(Report::new(
        h,
        json!({ "id": id, "pseudonym": report.pseudonym, "transcripts": report.transcripts, "excerpts": report.excerpts,
                "attachments": report.attachments.len(), "mentions_scrubbed": report.mentions_scrubbed,
                "transcripts_scrubbed": report.transcripts_scrubbed }),
    )
    .notes(notes))
}

fn exports_text(pseudonym: &str, list: &[exports::ExportRecord]) -> String {
    if list.is_empty() {
        return format!("No earlier export contained quotes of {pseudonym}.");
    }
    let mut h = format!(
        "{} earlier export(s) contained quotes of {pseudonym}; retract or correct them:\n",
        list.len()
    );
    for e in list {
        let ex: Vec<String> = e.excerpts.iter().map(|x| x.to_string()).collect();
        h += &format!(
            "  {}  {}  ({}, sha256 {})  excerpts {}\n",
            e.created,
            e.file_name,
            e.format,
            e.sha256,
            ex.join(", ")
        );
    }
    h
}

pub fn consent_cmd(s: &mut Session, cmd: &ConsentCmd) -> Result<Report> {
    match cmd {
        ConsentCmd::Evidence { id, out } => evidence(s, id, out),
        ConsentCmd::Record(a) => record(s, a),
        ConsentCmd::Withdraw { person, date, note } => {
            let (p, w, list) = s.write(|_, tx| {
                let id = persons::resolve(tx, person)?;
                let w = consent::withdraw(tx, id, date, note.as_deref())?;
                let p = persons::get(tx, id)?;
                audit::append(
                    tx,
                    "consent withdraw",
                    json!({ "person": id, "date": w.date }),
                )?;
                Ok((p, w, exports::containing_person(tx, id)?))
            })?;
            let h = format!(
                "Recorded the withdrawal of {} on {}. Later exports leave their quotes out.\n{}",
                p.pseudonym,
                w.date,
                exports_text(&p.pseudonym, &list)
            );
            Ok(Report::new(
                h,
                json!({ "id": w.id, "person": p.id, "date": w.date, "exports": list }),
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
                            "  {}  consent ({}): recording {}, quotes {}, attribution {}",
                            r.date,
                            r.method,
                            if r.recording { "yes" } else { "no" },
                            if r.quotes { "yes" } else { "no" },
                            r.attribution
                        );
                        if let Some(e) = &r.embargo_until {
                            h += &format!(", embargo until {e}");
                        }
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
                    ConsentEvent::Withdrawn(w) => h += &format!("  {}  withdrawn\n", w.date),
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
            json!({ "person": id, "consent": r.id, "date": r.date, "quotes": r.quotes, "attribution": r.attribution, "evidence": stored.len() }),
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
        .tempfile_in(&dir)
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
