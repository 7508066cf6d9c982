//! `key`: extra key slots (teammates, hardware keys) and key rotation (the
//! workflows are in [`crate::keys`]).

use super::args::KeyCmd;
use super::report::{table, Report};
use super::session::{new_passphrase, Session, ENV_NEW_PASSPHRASE};
use crate::keys;
use anyhow::Result;
use serde_json::json;

pub fn run(s: &mut Session, cmd: &KeyCmd) -> Result<Report> {
    match cmd {
        KeyCmd::List => {
            let slots = s.vault.slots();
            let rows: Vec<Vec<String>> = slots
                .iter()
                .map(|x| {
                    vec![
                        x.id.clone(),
                        format!("{:?}", x.kind).to_lowercase(),
                        x.recipient.clone().unwrap_or_default(),
                        x.label.clone(),
                    ]
                })
                .collect();
            let json = slots
                .iter()
                .map(|x| json!({ "id": x.id, "kind": format!("{:?}", x.kind).to_lowercase(), "recipient": x.recipient, "label": x.label, "created": x.created }))
                .collect::<Vec<_>>();
            let travel = s.vault.travel_since().map(str::to_string);
            let mut human = table(&["ID", "KIND", "RECIPIENT", "LABEL"], &rows);
            if let Some(since) = &travel {
                human.push_str(&format!(
                    "Travel mode since {since}: no passphrase slot until `travel end`.\n"
                ));
            }
            Ok(Report::new(
                human,
                json!({ "slots": json, "travel": travel.is_some(), "travel_since": travel }),
            ))
        }
        KeyCmd::Add { recipient, label } => {
            let slot = keys::add_recipient(s, recipient, label)?;
            Ok(Report::new(
                format!("Added key slot {}: the holder of that age identity can open this vault with --identity.", slot.id),
                json!({ "id": slot.id, "recipient": recipient }),
            ))
        }
        KeyCmd::Rotate {
            new_passphrase_file,
            weak_passphrase,
        } => {
            let pass = if keys::has_passphrase_slot(s) {
                Some(new_passphrase(
                    new_passphrase_file.as_deref(),
                    ENV_NEW_PASSPHRASE,
                    "passphrase (may be the same)",
                    *weak_passphrase,
                )?)
            } else {
                None
            };
            let info = keys::rotate(s, pass.as_ref())?;
            if let Some(p) = pass {
                s.unlock = fieldvault_vault::Unlock::Passphrase(p);
            }
            Ok(Report::new(
                format!(
                    "Replaced the vault's master key: {} key slot(s) rewrapped, {} evidence file(s) re-encrypted. Copies of the vault made before today still open with the old secrets; the current file does not.",
                    info.slots, info.attachments
                ),
                json!({ "slots": info.slots, "attachments": info.attachments, "payload_size": info.payload_size }),
            ))
        }
        KeyCmd::Remove { id } => {
            keys::remove_slot(s, id)?;
            Ok(Report::new(
                format!(
                    "Removed key slot {id}. Backups made earlier to that key still open with it."
                ),
                json!({ "id": id, "removed": true }),
            ))
        }
    }
}
