//! `travel`: travel mode for a border crossing, where any passphrase the
//! traveller knows can be demanded. `start` removes the passphrase slot
//! and erases the key file, so neither the vault nor old copies of it on
//! the disk open with anything carried; `end`, unlocked with the key left
//! at home (`--identity`), restores a passphrase slot. The steps and their
//! order are in [`crate::keys`].

use super::args::TravelCmd;
use super::report::Report;
use super::session::{new_passphrase, Session, ENV_NEW_PASSPHRASE};
use crate::keys;
use anyhow::Result;
use fieldvault_vault::Unlock;
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
    let others = keys::travel_start_check(s)?;
    if !yes {
        super::confirm::typed(
            &format!(
                "Travel mode removes the passphrase: until `travel end`, only the other key slot(s) ({others}) open {}. Take none of their keys with you.",
                s.vault.path().display()
            ),
            "TRAVEL",
        )?;
    }
    let others = keys::travel_start(s)?;
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
    keys::travel_end_check(s)?;
    let pass = new_passphrase(
        new_passphrase_file,
        ENV_NEW_PASSPHRASE,
        "passphrase",
        weak_ok,
    )?;
    keys::travel_end(s, &pass)?;
    s.unlock = Unlock::Passphrase(pass);
    Ok(Report::new(
        "Travel mode is over: the passphrase opens the vault again.",
        json!({ "travel": false }),
    ))
}
