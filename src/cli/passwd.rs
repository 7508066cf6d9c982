//! `passwd`: change the passphrase.

use super::args::PasswdArgs;
use super::init::kdf;
use super::report::Report;
use super::session::{new_passphrase, Session, ENV_NEW_PASSPHRASE};
use anyhow::Result;
use serde_json::json;

pub fn run(s: &mut Session, a: &PasswdArgs) -> Result<Report> {
    let new = new_passphrase(
        a.new_passphrase_file.as_deref(),
        ENV_NEW_PASSPHRASE,
        "passphrase",
        a.weak_passphrase,
    )?;
    let params = if a.kdf_memory_mib.is_some() || a.kdf_iterations.is_some() {
        Some(kdf(
            s.vault.kdf_params(),
            a.kdf_memory_mib,
            a.kdf_iterations,
        ))
    } else {
        None
    };
    crate::keys::change_passphrase(s, &new, params)?;
    s.unlock = fieldvault_vault::Unlock::Passphrase(new);
    Ok(Report::new("The passphrase was changed. The old one no longer opens this vault (older backups keep theirs).", json!({ "ok": true })))
}
