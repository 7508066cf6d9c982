//! `consent`: the append-only consent history, withdrawals and evidence.

use super::args::{ConsentCmd, ConsentRecordArgs};
use super::person::exports_text;
use super::report::Report;
use super::session::Session;
use crate::records::{
    audit,
    consent::{self, ConsentEvent, NewConsent, Scope},
    exports,
    persons::{self},
};
use anyhow::Result;
use serde_json::json;

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
    let (p, r) = crate::evidence::record(s, &a.person, &nc, &a.evidence)?;
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

/// Writes one evidence file out in plaintext, on the researcher's explicit
/// request (the checks are in [`crate::evidence::write_out`]).
fn evidence(s: &mut Session, id: &str, out: &std::path::Path) -> Result<Report> {
    let w = crate::evidence::write_out(s, id, out)?;
    Ok(Report::new(
        format!(
            "Wrote the evidence file {} ({} bytes) to {}. It is plaintext: delete it when done.",
            w.file_name,
            w.size,
            out.display()
        ),
        json!({ "id": w.id, "file": out.display().to_string(), "size": w.size, "sha256": w.sha256 }),
    ))
}
