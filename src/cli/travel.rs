//! `travel`: travel mode for a border crossing, where any passphrase the
//! traveller knows can be demanded. `start` removes the passphrase slot
//! and erases the key file, so neither the vault nor old copies of it on
//! the disk open with anything carried; `end`, unlocked with the key left
//! at home (`--identity`), restores a passphrase slot.

use super::args::TravelCmd;
use super::report::Report;
use super::session::{new_passphrase, Session, ENV_NEW_PASSPHRASE};
use crate::records::audit;
use anyhow::{bail, Result};
use fieldvault_vault::{SlotKind, Unlock};
use serde_json::json;

pub fn run(s: &mut Session, cmd: &TravelCmd) -> Result<Report> {
    match cmd {
        TravelCmd::Start { yes } => start(s, *yes),
        TravelCmd::End {
            new_passphrase_file,
            weak_passphrase,
        } => end(s, new_passphrase_file.as_deref(), *weak_passphrase),
    }
}

fn start(s: &mut Session, yes: bool) -> Result<Report> {
    if s.vault.travel_since().is_some() {
        bail!("the vault is already in travel mode; nothing was changed");
    }
    let others = s
        .vault
        .slots()
        .iter()
        .filter(|x| x.kind != SlotKind::Passphrase)
        .count();
    if others == 0 {
        // The library refuses too; say it before asking anything.
        return Err(fieldvault_vault::VaultError::TravelNeedsAnotherKey.into());
    }
    if !yes {
        super::confirm::typed(
            &format!(
                "Travel mode removes the passphrase: until `travel end`, only the other key slot(s) ({others}) open {}. Take none of their keys with you.",
                s.vault.path().display()
            ),
            "TRAVEL",
        )?;
    }
    // The audit entry goes into the last commit made with the passphrase
    // slot; the slot removal and the key file erasure come right after.
    s.write(|_, tx| {
        audit::append(tx, "travel start", json!({ "other_slots": others }))?;
        Ok(())
    })?;
    s.vault.travel_start()?;
    Ok(Report::new(
        format!(
            "Travel mode is on: the passphrase no longer opens this vault or any older copy of it on this disk. Only the other key slot(s) ({others}) do; end it with `fieldvault travel end --identity FILE`."
        ),
        json!({ "travel": true, "since": s.vault.travel_since(), "other_slots": others }),
    ))
}

fn end(
    s: &mut Session,
    new_passphrase_file: Option<&std::path::Path>,
    weak_ok: bool,
) -> Result<Report> {
    if s.vault.travel_since().is_none() {
        bail!("the vault is not in travel mode; nothing was changed");
    }
    let pass = new_passphrase(
        new_passphrase_file,
        ENV_NEW_PASSPHRASE,
        "passphrase",
        weak_ok,
    )?;
    s.vault.travel_end(&pass, None)?;
    s.write(|_, tx| {
        audit::append(tx, "travel end", json!({}))?;
        Ok(())
    })?;
    s.unlock = Unlock::Passphrase(pass);
    Ok(Report::new(
        "Travel mode is over: the passphrase opens the vault again.",
        json!({ "travel": false }),
    ))
}
