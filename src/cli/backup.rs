//! `backup`: a standard age-encrypted copy of the database.

use super::args::BackupArgs;
use super::report::Report;
use super::session::Session;
use anyhow::{bail, Result};
use fieldvault_vault::BackupTo;
use serde_json::json;

pub fn run(s: &mut Session, a: &BackupArgs) -> Result<Report> {
    if a.out.exists() {
        // Said before asking anything; the workflow refuses too.
        return Err(crate::keys::KeysError::BackupExists(a.out.display().to_string()).into());
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
    let info = crate::keys::backup(s, &a.out, to)?;
    let recipients = a.recipient.len();
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
