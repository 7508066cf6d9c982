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
                "This makes {} impossible to open, for ever, even with the passphrase. Backups made to other keys are not affected.",
                path.display()
            ),
            "DESTROY",
        )?;
    }
    fieldvault_vault::destroy(&path)?;
    Ok(Report::new(
        format!("The key slots of {} were overwritten: it can never be opened again. Backups made to other recipients are not affected.", path.display()),
        json!({ "destroyed": path.display().to_string() }),
    ))
}
