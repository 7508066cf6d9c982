//! `person`: interlocutors, their pseudonyms, and purging one.

use super::args::{PersonAddArgs, PersonCmd, PersonEditArgs};
use super::report::{table, Report};
use super::session::Session;
use crate::records::{
    audit, consent, exports,
    persons::{self, Contact, ContactKind, NewPerson, PersonEdit},
};
use anyhow::{anyhow, Result};
use serde_json::json;

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

pub fn run(s: &mut Session, cmd: &PersonCmd) -> Result<Report> {
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
            let disclosed = exports::disclosure_of(s.conn(), id)?;
            Ok(Report::new(
                format!(
                    "{}{}",
                    exports_text(&p.pseudonym, &list),
                    disclosure_text(&p.pseudonym, &disclosed)
                ),
                json!({ "id": id, "exports": list, "disclosed": disclosed }),
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
    let names: Vec<&String> = std::iter::once(&a.name).chain(&a.alias).collect();
    Ok(Report::new(
        format!("Added person {} as {}.", p.id, p.pseudonym),
        json!({ "id": p.id, "pseudonym": p.pseudonym }),
    )
    .notes(fieldvault_redact::collision_warning(&names)))
}

fn list(s: &Session) -> Result<Report> {
    let conn = s.conn();
    let mut rows = Vec::new();
    let mut out = Vec::new();
    // Everyone's consent in one read (one query per person was most of the time at 10,000).
    let mut consents = consent::current_all(conn)?;
    for p in persons::list(conn)? {
        let c = consents
            .remove(&p.id)
            .unwrap_or(consent::CurrentConsent::None);
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
    let names: Vec<&String> = a.name.iter().chain(&a.add_alias).collect();
    Ok(Report::new(
        format!("Updated person {} ({}).", p.id, p.pseudonym),
        json!({ "id": p.id, "pseudonym": p.pseudonym }),
    )
    .notes(fieldvault_redact::collision_warning(&names)))
}

fn purge(s: &mut Session, key: &str, yes: bool) -> Result<Report> {
    let (id, plan) = crate::purge::plan(s.conn(), key)?;
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
    let crate::purge::Purged {
        report,
        not_removed,
    } = crate::purge::purge(s, id)?;
    let notes: Vec<String> = not_removed
        .iter()
        .map(|a| {
            format!(
                "warning: the encrypted evidence file {a} could not be removed; delete it by hand"
            )
        })
        .collect();
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

/// What all outputs together revealed about a pseudonym, fact by fact.
fn disclosure_text(pseudonym: &str, list: &[exports::Disclosed]) -> String {
    if list.is_empty() {
        return format!("\nNo output has revealed anything about {pseudonym}.\n");
    }
    let mut h = format!("\nTogether, the outputs revealed about {pseudonym}:\n");
    for d in list {
        let by: Vec<String> = d.exports.iter().map(|e| e.to_string()).collect();
        h += &format!(
            "  {}: {}  ({})\n",
            d.fact.field.trim_start_matches("attribute:"),
            d.fact.value,
            by.join(", ")
        );
    }
    h
}

pub(super) fn exports_text(pseudonym: &str, list: &[exports::ExportRecord]) -> String {
    if list.is_empty() {
        return format!("No earlier export contained quotes of {pseudonym}.");
    }
    let mut h = format!(
        "{} earlier export(s) contained quotes of {pseudonym}; retract or correct them:\n",
        list.len()
    );
    for e in list {
        let ex: Vec<String> = e.excerpts.iter().map(|x| x.to_string()).collect();
        // Deposits and transcripts for coding hold whole interviews, logged as excerpt 0.
        let what = if e.excerpts.iter().all(|x| *x == 0) {
            "whole interviews".to_string()
        } else {
            format!("excerpts {}", ex.join(", "))
        };
        h += &format!(
            "  {}  {}  ({}, sha256 {})  {what}\n",
            e.created, e.file_name, e.format, e.sha256,
        );
    }
    h
}
