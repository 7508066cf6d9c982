//! The consent-evidence workflow: the files that prove a consent (a
//! recording of verbal consent, a signed form) are kept as encrypted
//! attachments beside the vault, named by the consent record, and written
//! out in plaintext only on the researcher's explicit request.
//!
//! The order is the guarantee that no record names a file that is not
//! there and no file outlives a refused change: every evidence file is read
//! and stored first, then the consent record naming them is committed with
//! its audit entry; if anything fails before that commit, the files stored
//! so far are removed again. Writing a file out checks it against the
//! SHA-256 recorded with it, audits the request, and only then moves the
//! synced temporary file into place.
//!
//! Error rules: an [`EvidenceError`] names files by the name the user typed
//! or by attachment id, and never carries the evidence itself.

use crate::commit::{CommitError, OpenVault};
use crate::records::{
    audit,
    consent::{self, ConsentRecord, Evidence, NewConsent},
    persons::{self, Person},
    RecordsError,
};
use fieldvault_vault::VaultError;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why consent evidence could not be stored or written out; nothing was
/// changed.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error(transparent)]
    Records(#[from] RecordsError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("{0}")]
    Commit(#[from] CommitError),
    #[error("cannot read the evidence file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the evidence file {0} is empty")]
    Empty(String),
    #[error("no evidence file {0} in this vault (see `consent show PERSON`)")]
    Unknown(String),
    #[error("{0} already exists; nothing was written")]
    OutExists(String),
    #[error(
        "the evidence file {0} does not match its recorded SHA-256: it was replaced or damaged"
    )]
    Mismatch(String),
    #[error("cannot write in {dir}: {source}")]
    WriteIn { dir: String, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

type Result<T, E = EvidenceError> = std::result::Result<T, E>;

/// Records a consent of `person` (id or pseudonym) with the `evidence`
/// files as its proof (see the module documentation for the order).
pub fn record(
    vault: &mut impl OpenVault,
    person: &str,
    new: &NewConsent,
    evidence: &[PathBuf],
) -> Result<(Person, ConsentRecord)> {
    // Check the person before touching any evidence file.
    persons::require_active(vault.conn(), persons::resolve(vault.conn(), person)?)?;
    let stored = store_files(vault, evidence)?;
    let res = vault.commit(|tx| -> Result<(Person, ConsentRecord)> {
        let id = persons::resolve(tx, person)?;
        let r = consent::record(tx, id, new, &stored)?;
        let p = persons::get(tx, id)?;
        audit::append(
            tx,
            "consent record",
            json!({ "person": id, "consent": r.id, "date": r.date, "quotes": r.quotes, "archive": r.archive, "secondary_use": r.secondary_use, "attribution": r.attribution, "evidence": stored.len() }),
        )?;
        Ok((p, r))
    });
    if res.is_err() {
        remove_files(vault, &stored);
    }
    res
}

/// Reads and stores each file as an attachment; on the first failure
/// removes the ones stored before it.
fn store_files(vault: &impl OpenVault, files: &[PathBuf]) -> Result<Vec<Evidence>> {
    let mut stored: Vec<Evidence> = Vec::new();
    for f in files {
        match store_file(vault, f) {
            Ok(e) => stored.push(e),
            Err(e) => {
                remove_files(vault, &stored);
                return Err(e);
            }
        }
    }
    Ok(stored)
}

fn store_file(vault: &impl OpenVault, f: &Path) -> Result<Evidence> {
    let bytes =
        zeroize::Zeroizing::new(std::fs::read(f).map_err(|source| EvidenceError::Read {
            path: f.display().to_string(),
            source,
        })?);
    if bytes.is_empty() {
        return Err(EvidenceError::Empty(f.display().to_string()));
    }
    let id = vault.vault().put_attachment(&bytes)?;
    Ok(Evidence {
        attachment_id: id,
        file_name: f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        sha256: hex::encode(Sha256::digest(&bytes[..])),
        size: bytes.len() as u64,
    })
}

fn remove_files(vault: &impl OpenVault, stored: &[Evidence]) {
    for e in stored {
        let _ = vault.vault().remove_attachment(&e.attachment_id);
    }
}

/// An evidence file written out.
#[derive(Debug, Clone)]
pub struct WrittenOut {
    /// The attachment id.
    pub id: String,
    /// The file name recorded with the consent.
    pub file_name: String,
    pub size: usize,
    pub sha256: String,
}

/// Writes the evidence file `id` out in plaintext to `out`, after checking
/// it is the file the consent record names (see the module documentation).
pub fn write_out(vault: &mut impl OpenVault, id: &str, out: &Path) -> Result<WrittenOut> {
    let id = id.trim();
    let Some((stored, person)) = consent::evidence_file(vault.conn(), id)? else {
        return Err(EvidenceError::Unknown(persons::safe_echo(id)));
    };
    let (file_name, sha) = (stored.file_name, stored.sha256);
    if out.exists() {
        return Err(EvidenceError::OutExists(out.display().to_string()));
    }
    let bytes = vault.vault().get_attachment(id)?;
    if hex::encode(Sha256::digest(&bytes[..])) != sha {
        return Err(EvidenceError::Mismatch(id.to_string()));
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".fieldvault-evidence-")
        .make_in(&dir, fieldvault_vault::create_private_file)
        .map_err(|source| EvidenceError::WriteIn {
            dir: dir.display().to_string(),
            source,
        })?;
    let write_error = |source| EvidenceError::Write {
        path: out.display().to_string(),
        source,
    };
    tmp.write_all(&bytes).map_err(write_error)?;
    tmp.as_file().sync_all().map_err(write_error)?;
    vault.commit(|tx| -> Result<()> {
        audit::append(tx, "consent evidence out", json!({ "attachment": id, "person": person, "file": out.file_name().map(|f| f.to_string_lossy().to_string()) }))?;
        Ok(())
    })?;
    tmp.persist_noclobber(out)
        .map_err(|e| write_error(e.error))?;
    Ok(WrittenOut {
        id: id.to_string(),
        file_name,
        size: bytes.len(),
        sha256: sha,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::commit::testing::TestVault;
    use crate::commit::OpenRecords;
    use crate::records::consent::{Attribution, Method};
    use crate::records::persons::NewPerson;

    pub(crate) fn written_consent() -> NewConsent {
        NewConsent {
            date: "2026-03-01".into(),
            method: Method::Written,
            recording: true,
            quotes: true,
            archive: false,
            secondary_use: false,
            attribution: Attribution::Pseudonym,
            embargo_until: None,
            restrictions: None,
            note: None,
        }
    }

    fn person(v: &mut TestVault) -> i64 {
        v.commit(|tx| -> Result<i64> {
            Ok(persons::add(
                tx,
                &NewPerson {
                    name: "Жанар Сапарова".into(),
                    ..Default::default()
                },
            )?
            .id)
        })
        .unwrap()
    }

    fn attachment_files(v: &TestVault) -> usize {
        std::fs::read_dir(v.vault.attachment_dir())
            .map(|d| d.count())
            .unwrap_or(0)
    }

    #[test]
    fn evidence_is_stored_recorded_and_written_out_unchanged() {
        let mut v = TestVault::new();
        let id = person(&mut v);
        let form = v.dir.path().join("form.pdf");
        std::fs::write(&form, b"signed form").unwrap();
        let (p, r) = record(&mut v, &id.to_string(), &written_consent(), &[form]).unwrap();
        assert_eq!(p.id, id);
        assert_eq!(r.evidence.len(), 1);
        assert_eq!(attachment_files(&v), 1);

        let out = v.dir.path().join("out.pdf");
        let w = write_out(&mut v, &r.evidence[0].attachment_id, &out).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"signed form");
        assert_eq!((w.file_name.as_str(), w.size), ("form.pdf", 11));
        let last = audit::list(v.conn()).unwrap().pop().unwrap();
        assert_eq!(last.action, "consent evidence out");
        // Never over an existing file.
        assert!(matches!(
            write_out(&mut v, &r.evidence[0].attachment_id, &out),
            Err(EvidenceError::OutExists(_))
        ));
    }

    #[test]
    fn a_refused_file_leaves_no_attachment_and_no_record() {
        let mut v = TestVault::new();
        let id = person(&mut v);
        let good = v.dir.path().join("audio.ogg");
        std::fs::write(&good, b"consent audio").unwrap();
        let empty = v.dir.path().join("empty.ogg");
        std::fs::write(&empty, b"").unwrap();
        // A folder in a file's place cannot be read.
        let folder = v.dir.path().join("folder.ogg");
        std::fs::create_dir(&folder).unwrap();
        for bad in [empty, folder] {
            let e = record(
                &mut v,
                &id.to_string(),
                &written_consent(),
                &[good.clone(), bad],
            )
            .unwrap_err();
            assert!(!e.to_string().contains('\n'), "{e}");
            assert_eq!(attachment_files(&v), 0);
            assert!(consent::history(v.conn(), id).unwrap().is_empty());
        }
    }

    #[test]
    fn an_unknown_or_altered_evidence_file_is_not_written_out() {
        let mut v = TestVault::new();
        let out = v.dir.path().join("out.pdf");
        assert!(matches!(
            write_out(&mut v, "nope", &out),
            Err(EvidenceError::Unknown(_))
        ));
        let id = person(&mut v);
        let form = v.dir.path().join("form.pdf");
        std::fs::write(&form, b"signed form").unwrap();
        let (_, r) = record(&mut v, &id.to_string(), &written_consent(), &[form]).unwrap();
        let attachment = &r.evidence[0].attachment_id;
        // Another file of the vault (it decrypts) swapped into its place.
        let other = v.vault.put_attachment(b"something else").unwrap();
        let dir = v.vault.attachment_dir();
        std::fs::rename(
            dir.join(format!("{other}.age")),
            dir.join(format!("{attachment}.age")),
        )
        .unwrap();
        assert!(matches!(
            write_out(&mut v, attachment, &out),
            Err(EvidenceError::Mismatch(_))
        ));
        assert!(!out.exists());
    }
}
