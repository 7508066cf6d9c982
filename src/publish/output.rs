//! Putting a planned export on disk.
//!
//! The order is the guarantee that the export log tells the truth: the
//! bytes go to a temporary file beside the target and are synced; the
//! export and its audit entries are committed to the vault; only then is
//! the temporary file renamed into place. If the rename fails, an
//! append-only "export not written" entry follows, so withdrawal reports
//! never name a file that does not exist.

use super::{ExportPlan, ExportRequest, PublishError, Result};
use crate::commit::OpenRecords;
use crate::records::{audit, exports};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where an export goes, checked before anything is planned or written.
#[derive(Debug, Clone)]
pub struct Target {
    out: PathBuf,
    dir: PathBuf,
    force: bool,
}

impl Target {
    /// Refuses a missing folder, a folder given as the file, and an
    /// existing file unless `force`.
    pub fn check(out: &Path, force: bool) -> Result<Target> {
        let dir = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(PublishError::NoFolder(dir.display().to_string()));
        }
        if out.is_dir() {
            return Err(PublishError::OutIsFolder(out.display().to_string()));
        }
        if out.exists() && !force {
            return Err(PublishError::OutExists(out.display().to_string()));
        }
        Ok(Target {
            out: out.to_path_buf(),
            dir,
            force,
        })
    }

    pub fn path(&self) -> &Path {
        &self.out
    }

    /// The file name alone, as the export log and audit record it.
    pub fn file_name(&self) -> String {
        self.out
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default()
    }
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The export's id in the export log.
    pub id: i64,
    pub sha256: String,
    /// The vault ids of every excerpt written, anonymous ones included (the
    /// file itself carries no vault id for an anonymous quote; the vault's own
    /// records and the researcher's summary still count it).
    pub excerpts: Vec<i64>,
    /// Ids of the persons quoted.
    pub persons: BTreeSet<i64>,
}

/// Renders `plan`, logs and audits the export in the vault, and moves the
/// file into place (see the module documentation for the order).
pub fn write(
    vault: &mut impl OpenRecords,
    target: &Target,
    req: &ExportRequest,
    plan: &ExportPlan,
) -> Result<Written> {
    let format = req.format;
    // A fresh link key per export: no identifier in the file matches any
    // other export (issue 10 item 4).
    let options = fieldvault_export::RenderOptions { by_tag: req.by_tag };
    let key = fieldvault_export::LinkKey::random()?;
    let bytes = zeroize::Zeroizing::new(fieldvault_export::render_with(
        format,
        &plan.publication,
        &options,
        &key,
    )?);
    let excerpts = plan.excerpt_ids();
    let persons: BTreeSet<i64> = plan.items.iter().map(|(_, p)| *p).collect();
    let (id, sha) = place(vault, target, &bytes, |tx, file_name, sha| {
        let id = exports::log(tx, format.extension(), file_name, sha, &plan.items)?;
        exports::log_disclosure(tx, id, &plan.disclosure)?;
        audit::append(
            tx,
            "export",
            json!({ "export": id, "format": format.extension(), "file": file_name, "sha256": sha, "excerpts": excerpts,
                    "persons": persons, "left_out": plan.left_out.len(), "strict": req.strict, "k": req.k }),
        )?;
        if !plan.unreviewed.is_empty() {
            let counts: Vec<serde_json::Value> = plan
                .unreviewed
                .iter()
                .map(|(e, n)| json!({ "excerpt": e, "open_questions": n }))
                .collect();
            audit::append(
                tx,
                "export unreviewed",
                json!({ "export": id, "excerpts": counts }),
            )?;
        }
        for (p, pseudonym) in &plan.named {
            audit::append(
                tx,
                "export named attribution",
                json!({ "export": id, "person": p, "pseudonym": pseudonym, "reason": req.named_reason }),
            )?;
        }
        Ok(id)
    })?;
    Ok(Written {
        id,
        sha256: sha,
        excerpts,
        persons,
    })
}

/// Puts rendered `bytes` on disk in the order the module documentation
/// gives: a synced temporary file beside the target, then `log` (which
/// records the output in the export log and the audit chain, given the
/// file name and SHA-256, and returns its export id) committed to the
/// vault, then the rename. Every output (exports, deposits) goes through
/// here, so none can reach disk unlogged.
pub fn place(
    vault: &mut impl OpenRecords,
    target: &Target,
    bytes: &[u8],
    log: impl FnOnce(&rusqlite::Connection, &str, &str) -> Result<i64>,
) -> Result<(i64, String)> {
    let sha = hex::encode(Sha256::digest(bytes));
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        // Only the user can open it (0600; an owner-only ACL on Windows).
        .make_in(&target.dir, fieldvault_vault::create_private_file)
        .map_err(|e| PublishError::Io("cannot write in the output folder", e))?;
    // Before any plaintext goes into it, the vault learns where the
    // temporary file is: if this process is killed, the next open removes it.
    let tmp_path = tmp.path().to_string_lossy().to_string();
    vault.commit(|tx| -> Result<()> {
        tx.execute(
            "INSERT OR REPLACE INTO pending_output(path, started) VALUES (?1, ?2)",
            rusqlite::params![tmp_path, crate::records::now_rfc3339()],
        )
        .map_err(crate::records::RecordsError::from)?;
        Ok(())
    })?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| PublishError::Io("cannot write the export", e))?;
    let file_name = target.file_name();
    let id = vault.commit(|tx| {
        tx.execute("DELETE FROM pending_output WHERE path = ?1", [&tmp_path])
            .map_err(crate::records::RecordsError::from)?;
        log(tx, &file_name, &sha)
    })?;
    let persisted = if target.force {
        tmp.persist(&target.out).map(|_| ())
    } else {
        tmp.persist_noclobber(&target.out).map(|_| ())
    };
    if let Err(e) = persisted {
        // The audit log already holds the export; say, append-only, that it
        // never reached disk, so withdrawal reports stay truthful.
        let _ = vault.commit(|tx| -> Result<()> {
            audit::append(
                tx,
                "export not written",
                json!({ "export": id, "file": file_name }),
            )?;
            Ok(())
        });
        return Err(PublishError::NotMoved {
            path: target.out.display().to_string(),
            source: e.error,
        });
    }
    sync_dir(&target.dir);
    Ok((id, sha))
}

/// How every temporary export file's name begins.
const TEMP_PREFIX: &str = ".fieldvault-export-";

/// Removes the temporary files that interrupted exports left behind (they
/// hold plaintext), forgets them, and records in the audit log how many
/// were removed. Called when a vault is opened for writing; returns that
/// number. A recorded path that is not one of our temporary files (renamed
/// or replaced since) is forgotten without touching it.
pub fn sweep_interrupted(vault: &mut impl OpenRecords) -> Result<usize> {
    let paths: Vec<String> = vault
        .conn()
        .prepare("SELECT path FROM pending_output")
        .and_then(|mut st| {
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .map_err(crate::records::RecordsError::from)?;
    if paths.is_empty() {
        return Ok(0);
    }
    let mut removed = 0;
    for p in &paths {
        let path = Path::new(p);
        let ours = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(TEMP_PREFIX));
        if ours && path.is_file() && std::fs::remove_file(path).is_ok() {
            removed += 1;
        }
    }
    vault.commit(|tx| -> Result<()> {
        tx.execute("DELETE FROM pending_output", [])
            .map_err(crate::records::RecordsError::from)?;
        audit::append(
            tx,
            "interrupted export removed",
            json!({ "temporary_files_removed": removed, "recorded": paths.len() }),
        )?;
        Ok(())
    })?;
    Ok(removed)
}

/// Makes the rename durable; a failure here cannot be acted on (the file
/// is in place) and is ignored.
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records without a vault file: commits are transactions.
    struct Mem(rusqlite::Connection);

    impl OpenRecords for Mem {
        fn conn(&self) -> &rusqlite::Connection {
            &self.0
        }
        fn commit<T, E>(
            &mut self,
            change: impl FnOnce(&rusqlite::Connection) -> std::result::Result<T, E>,
        ) -> std::result::Result<T, E>
        where
            E: From<crate::commit::CommitError>,
        {
            crate::commit::in_transaction(&self.0, change)
        }
    }

    fn pending(conn: &rusqlite::Connection) -> i64 {
        conn.query_row("SELECT COUNT(*) FROM pending_output", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn an_interrupted_exports_temporary_file_is_removed_at_the_next_open() {
        let mut vault = Mem(crate::records::in_memory().unwrap());
        let dir = tempfile::tempdir().unwrap();
        // What a killed export leaves: its temporary file, and its record.
        let left = dir.path().join(".fieldvault-export-Ab12Cd");
        std::fs::write(&left, "Сапарова Айгерим said ...").unwrap();
        // A recorded path that is no temporary file of ours is never touched.
        let other = dir.path().join("quotes.md");
        std::fs::write(&other, "published").unwrap();
        for p in [&left, &other] {
            vault
                .0
                .execute(
                    "INSERT INTO pending_output(path, started) VALUES (?1, 'now')",
                    [p.to_string_lossy()],
                )
                .unwrap();
        }
        assert_eq!(sweep_interrupted(&mut vault).unwrap(), 1);
        assert!(!left.exists() && other.exists());
        assert_eq!(pending(&vault.0), 0);
        let last = audit::list(&vault.0).unwrap().pop().unwrap();
        assert_eq!(last.action, "interrupted export removed");
        assert_eq!(last.detail["temporary_files_removed"], 1);
        // Nothing pending: nothing to do, nothing audited.
        assert_eq!(sweep_interrupted(&mut vault).unwrap(), 0);
    }

    #[test]
    fn a_finished_export_leaves_no_pending_record_and_no_temporary_file() {
        let mut vault = Mem(crate::records::in_memory().unwrap());
        let dir = tempfile::tempdir().unwrap();
        let target = Target::check(&dir.path().join("q.md"), false).unwrap();
        place(&mut vault, &target, b"quote", |_, _, _| Ok(1)).unwrap();
        assert_eq!(pending(&vault.0), 0);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, ["q.md"]);
    }

    #[test]
    fn a_target_in_a_missing_folder_or_on_a_folder_or_existing_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = Target::check(&dir.path().join("no/such.md"), false).unwrap_err();
        assert!(matches!(e, PublishError::NoFolder(_)), "{e}");
        let e = Target::check(dir.path(), false).unwrap_err();
        assert!(matches!(e, PublishError::OutIsFolder(_)), "{e}");
        let f = dir.path().join("q.md");
        std::fs::write(&f, "x").unwrap();
        let e = Target::check(&f, false).unwrap_err();
        assert!(matches!(e, PublishError::OutExists(_)), "{e}");
        assert_eq!(Target::check(&f, true).unwrap().file_name(), "q.md");
    }
}
