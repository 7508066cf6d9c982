//! `destroy`: the panic button.

use super::args::{DestroyArgs, Global};
use super::report::Report;
use super::session::vault_path;
use anyhow::{bail, Result};
use serde_json::json;

pub fn run(g: &Global, a: &DestroyArgs) -> Result<Report> {
    let path = vault_path(g);
    if !path.exists() {
        bail!("no vault at {}", path.display());
    }
    if !a.yes {
        super::confirm::typed(
            &format!(
                "This makes {} impossible to open, for ever, even with the passphrase, and so every older copy of it on this disk. Not affected: backups (to a passphrase or to other keys), and teammates' or hardware keys of other slots, for copies they can reach.",
                path.display()
            ),
            "DESTROY",
        )?;
    }
    let key_file = fieldvault_vault::key_file_path(&path);
    let had_key_file = key_file.is_file();
    fieldvault_vault::destroy(&path)?;
    let what = if had_key_file {
        format!(
            "The key file {} and the key slots of {} were overwritten: neither the vault nor an older copy of it on this disk opens with the passphrase again.",
            key_file.display(),
            path.display()
        )
    } else {
        format!(
            "The key slots of {} were overwritten: it can never be opened again (it had no key file yet, so older copies left on the disk still open with the passphrase).",
            path.display()
        )
    };
    Ok(Report::new(
        format!("{what} Not affected: backups (passphrase backups open with the passphrase, others with their keys), and the keys of other key slots (teammates, hardware keys) for copies they can reach."),
        json!({ "destroyed": path.display().to_string(), "key_file": had_key_file.then(|| key_file.display().to_string()) }),
    ))
}
