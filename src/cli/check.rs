//! `check`: the vault decrypts, its database and audit log are intact.

use super::report::Report;
use super::session::Session;
use crate::records::{audit, schema};
use anyhow::Result;
use serde_json::json;

pub fn run(s: &Session) -> Result<Report> {
    s.vault.integrity_check()?;
    let conn = s.conn();
    let entries = audit::verify(conn)?;
    let crate::records::Totals {
        persons,
        transcripts,
        excerpts,
    } = crate::records::totals(conn)?;
    let k = s.vault.kdf_params();
    let travel = s.vault.travel_since().map(str::to_string);
    let key_file = s.vault.key_file();
    let protection = match (&travel, &key_file) {
        (Some(since), _) => format!("\nTravel mode since {since}: the passphrase does not open this vault; `travel end --identity FILE` restores it."),
        (None, Some(f)) => format!("\nThe passphrase opens it only together with the key file {} (keep them together; `destroy` erases it).", f.display()),
        (None, None) => String::new(),
    };
    Ok(Report::new(
        format!(
            "The vault decrypts, its database passes the integrity check and the audit log ({entries} entries) is intact.\n\
             {persons} persons, {transcripts} transcripts, {excerpts} excerpts; schema {}; Argon2id {} MiB, {} passes.{protection}",
            schema::CURRENT,
            k.memory_mib,
            k.iterations
        ),
        json!({ "ok": true, "audit_entries": entries, "persons": persons, "transcripts": transcripts, "excerpts": excerpts,
                "schema": schema::CURRENT, "kdf_memory_mib": k.memory_mib, "kdf_iterations": k.iterations,
                "travel": travel.is_some(), "travel_since": travel,
                "key_file": key_file.map(|f| f.display().to_string()) }),
    ))
}
