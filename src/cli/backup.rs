//! `backup`: a standard age-encrypted copy of the database.

use super::args::BackupArgs;
use super::report::Report;
use super::session::Session;
use crate::records::audit;
use anyhow::{bail, Result};
use fieldvault_vault::BackupTo;
use serde_json::json;

pub fn run(s: &mut Session, a: &BackupArgs) -> Result<Report> {
    if a.out.exists() {
        bail!(
            "a file already exists at {}; nothing was written",
            a.out.display()
        );
    }
    let to = if a.recipient.is_empty() {
        match s.passphrase() {
            Some(p) => BackupTo::Passphrase(p.clone()),
            None => bail!(
                "unlocked with an identity: give the backup's --recipient (an age public key)"
            ),
        }
    } else {
        BackupTo::Recipients(a.recipient.clone())
    };
    let info = s.vault.backup(&a.out, to)?;
    let recipients = a.recipient.len();
    s.write(|_, tx| {
        audit::append(tx, "backup", json!({ "file": a.out.file_name().map(|f| f.to_string_lossy().to_string()), "recipients": recipients }))?;
        Ok(())
    })?;
    let how = if recipients == 0 {
        "the vault passphrase (age -d asks for it)".to_string()
    } else {
        format!("{recipients} age recipient(s)")
    };
    Ok(Report::new(
        format!("Wrote the backup {} ({} bytes), encrypted to {how}. It is a standard age file: `age -d` recovers the database without fieldvault.", a.out.display(), info.size),
        json!({ "path": a.out.display().to_string(), "size": info.size, "recipients": recipients }),
    ))
}
