//! Commands on the sealed store itself: init, check, passwd, destroy,
//! backup and key slots.

use super::args::{BackupArgs, DestroyArgs, Global, InitArgs, KeyCmd, PasswdArgs};
use super::report::{table, Report};
use super::session::{new_passphrase, vault_path, Session, ENV_NEW_PASSPHRASE, ENV_PASSPHRASE};
use crate::records::{audit, schema, settings};
use anyhow::{bail, Context, Result};
use fieldvault_vault::{BackupTo, KdfParams, Vault};
use serde_json::json;

pub(crate) fn kdf(base: KdfParams, mib: Option<u32>, iters: Option<u32>) -> KdfParams {
    KdfParams {
        memory_mib: mib.unwrap_or(base.memory_mib),
        iterations: iters.unwrap_or(base.iterations),
        ..base
    }
}

pub fn init(g: &Global, a: &InitArgs) -> Result<Report> {
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
    )?;
    let mut vault = Vault::create(&path, &pass, params)?;
    let filled = (|| -> Result<()> {
        let conn = vault.connection();
        let tx = conn.unchecked_transaction()?;
        schema::migrate(&tx)?;
        if let Some(p) = &a.pseudonym_prefix {
            settings::set(&tx, settings::PSEUDONYM_PREFIX.key, p)?;
        }
        audit::append(
            &tx,
            "init",
            json!({ "kdf_memory_mib": params.memory_mib, "kdf_iterations": params.iterations }),
        )?;
        tx.commit()?;
        Ok(vault.commit()?)
    })();
    if let Err(e) = filled {
        // Never leave a half-made vault behind: the next `init` would refuse it.
        drop(vault);
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_file(fieldvault_vault::lock_path(&path));
        return Err(e).context("the new vault could not be written; nothing was left behind");
    }
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

pub fn check(s: &Session) -> Result<Report> {
    s.vault.integrity_check()?;
    let conn = s.conn();
    let entries = audit::verify(conn)?;
    let count = |t: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))?)
    };
    let (persons, transcripts, excerpts) =
        (count("person")?, count("transcript")?, count("excerpt")?);
    let k = s.vault.kdf_params();
    Ok(Report::new(
        format!(
            "The vault decrypts, its database passes the integrity check and the audit log ({entries} entries) is intact.\n\
             {persons} persons, {transcripts} transcripts, {excerpts} excerpts; schema {}; Argon2id {} MiB, {} passes.",
            schema::CURRENT,
            k.memory_mib,
            k.iterations
        ),
        json!({ "ok": true, "audit_entries": entries, "persons": persons, "transcripts": transcripts, "excerpts": excerpts,
                "schema": schema::CURRENT, "kdf_memory_mib": k.memory_mib, "kdf_iterations": k.iterations }),
    ))
}

pub fn passwd(s: &mut Session, a: &PasswdArgs) -> Result<Report> {
    let new = new_passphrase(
        a.new_passphrase_file.as_deref(),
        ENV_NEW_PASSPHRASE,
        "passphrase",
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
    s.vault.change_passphrase(&new, params)?;
    s.write(|_, tx| {
        audit::append(tx, "passwd", json!({}))?;
        Ok(())
    })?;
    s.unlock = fieldvault_vault::Unlock::Passphrase(new);
    Ok(Report::new("The passphrase was changed. The old one no longer opens this vault (older backups keep theirs).", json!({ "ok": true })))
}

pub fn destroy(g: &Global, a: &DestroyArgs) -> Result<Report> {
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

pub fn backup(s: &mut Session, a: &BackupArgs) -> Result<Report> {
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

pub fn key(s: &mut Session, cmd: &KeyCmd) -> Result<Report> {
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
