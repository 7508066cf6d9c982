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
    /// The vault ids of the quoted excerpts (anonymous ones carry none).
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
    let sha = hex::encode(Sha256::digest(&bytes));

    let mut tmp = tempfile::Builder::new()
        .prefix(".fieldvault-export-")
        .tempfile_in(&target.dir)
        .map_err(|e| PublishError::Io("cannot write in the output folder", e))?;
    tmp.write_all(&bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| PublishError::Io("cannot write the export", e))?;
    let file_name = target.file_name();
    let excerpts: Vec<i64> = plan
        .publication
        .quotes
        .iter()
        .filter_map(|q| q.excerpt_id.parse().ok())
        .collect();
    let persons: BTreeSet<i64> = plan.items.iter().map(|(_, p)| *p).collect();
    let id = vault.commit(|tx| -> Result<i64> {
        let id = exports::log(tx, format.extension(), &file_name, &sha, &plan.items)?;
        audit::append(
            tx,
            "export",
            json!({ "export": id, "format": format.extension(), "file": file_name, "sha256": sha, "excerpts": excerpts,
                    "persons": persons, "left_out": plan.left_out.len(), "strict": req.strict, "k": req.k }),
        )?;
        for (p, pseudonym) in &plan.named {
            audit::append(
                tx,
                "export named attribution",
                json!({ "export": id, "person": p, "pseudonym": pseudonym, "reason": req.named_reason }),
            )?;
        }
        Ok(id)
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
    Ok(Written {
        id,
        sha256: sha,
        excerpts,
        persons,
    })
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
