//! `init`: create a new, empty vault.

use super::args::{Global, InitArgs};
use super::report::Report;
use super::session::{new_passphrase, vault_path, Session, ENV_PASSPHRASE};
use crate::records::settings;
use anyhow::{bail, Result};
use fieldvault_vault::KdfParams;
use serde_json::json;

/// Argon2id parameters: `base` with the ones given on the command line.
pub(super) fn kdf(base: KdfParams, mib: Option<u32>, iters: Option<u32>) -> KdfParams {
    KdfParams {
        memory_mib: mib.unwrap_or(base.memory_mib),
        iterations: iters.unwrap_or(base.iterations),
        ..base
    }
}

pub fn run(g: &Global, a: &InitArgs) -> Result<Report> {
    let path = vault_path(g);
    if path.exists() {
        bail!(
            "a file already exists at {}; nothing was changed (choose another --vault)",
            path.display()
        );
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            bail!("the folder {} does not exist", parent.display());
        }
    }
    let params = kdf(KdfParams::default(), a.kdf_memory_mib, a.kdf_iterations);
    params.check()?;
    // Check every setting on a scratch database before anything is created.
    if let Some(p) = &a.pseudonym_prefix {
        settings::set(
            &crate::records::in_memory()?,
            settings::PSEUDONYM_PREFIX.key,
            p,
        )?;
    }
    let pass = new_passphrase(
        g.passphrase_file.as_deref(),
        ENV_PASSPHRASE,
        "vault passphrase",
        a.weak_passphrase,
    )?;
    let initial: Vec<(&str, &str)> = a
        .pseudonym_prefix
        .as_deref()
        .map(|p| (settings::PSEUDONYM_PREFIX.key, p))
        .into_iter()
        .collect();
    Session::create(&path, pass, params, &initial)?;
    Ok(Report::new(
        format!(
            "Created the vault {} (Argon2id {} MiB, {} passes).\nKeep the passphrase safe: without it, or a key slot (`key add`), the vault cannot be opened.",
            path.display(),
            params.memory_mib,
            params.iterations
        ),
        json!({ "path": path.display().to_string(), "kdf_memory_mib": params.memory_mib, "kdf_iterations": params.iterations }),
    ))
}
