//! `key`: extra key slots (teammates, hardware keys) and key rotation.

use super::args::KeyCmd;
use super::report::{table, Report};
use super::session::{new_passphrase, Session, ENV_NEW_PASSPHRASE};
use crate::records::audit;
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
            Ok(Report::new(
                table(&["ID", "KIND", "RECIPIENT", "LABEL"], &rows),
                json!({ "slots": json }),
            ))
        }
        KeyCmd::Add { recipient, label } => {
            let slot = s.vault.add_recipient(recipient, label)?;
            s.write(|_, tx| {
                audit::append(
                    tx,
                    "key add",
                    json!({ "slot": slot.id, "recipient": recipient, "label": label }),
                )?;
                Ok(())
            })?;
            Ok(Report::new(
                format!("Added key slot {}: the holder of that age identity can open this vault with --identity.", slot.id),
                json!({ "id": slot.id, "recipient": recipient }),
            ))
        }
        KeyCmd::Rotate {
            new_passphrase_file,
            weak_passphrase,
        } => {
            let has_passphrase_slot = s
                .vault
                .slots()
                .iter()
                .any(|x| x.kind == fieldvault_vault::SlotKind::Passphrase);
            let pass = if has_passphrase_slot {
                Some(new_passphrase(
                    new_passphrase_file.as_deref(),
                    ENV_NEW_PASSPHRASE,
                    "passphrase (may be the same)",
                    *weak_passphrase,
                )?)
            } else {
                None
            };
            // Commit first: rekey re-encrypts the committed database.
            s.write(|_, _| Ok(()))?;
            let info = s.vault.rekey(pass.as_ref())?;
            s.write(|_, tx| {
                audit::append(
                    tx,
                    "key rotate",
                    json!({ "slots": info.slots, "attachments": info.attachments }),
                )?;
                Ok(())
            })?;
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
            s.vault.remove_slot(id)?;
            s.write(|_, tx| {
                audit::append(tx, "key remove", json!({ "slot": id }))?;
                Ok(())
            })?;
            Ok(Report::new(
                format!(
                    "Removed key slot {id}. Backups made earlier to that key still open with it."
                ),
                json!({ "id": id, "removed": true }),
            ))
        }
    }
}
