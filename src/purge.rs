//! The purge workflow: a person who withdrew is erased from the vault.
//!
//! What the records lose is decided in [`crate::records::purge`]; this
//! module orders the steps around it. The database change and its audit
//! entry are one commit, made before any file is touched; only then are the
//! person's encrypted evidence files removed, because a file the database
//! no longer names is harmless, while a record naming a deleted file would
//! not be. A file that cannot be removed is reported, not fatal: the purge
//! itself is already durable.
//!
//! Error rules: a [`PurgeError`] names the person by id or pseudonym only.

use crate::commit::{CommitError, OpenVault};
use crate::records::{audit, persons, purge::PurgeReport, RecordsError};
use serde_json::json;

/// Why a purge was refused; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error(transparent)]
    Records(#[from] RecordsError),
    #[error("{0}")]
    Commit(#[from] CommitError),
}

/// What a purge did.
#[derive(Debug, Clone)]
pub struct Purged {
    pub report: PurgeReport,
    /// Evidence files (attachment ids) still on disk although the database
    /// no longer references them: the researcher must delete them by hand.
    pub not_removed: Vec<String>,
}

/// Everything a purge of `person` (id or pseudonym) would remove, for the
/// confirmation the researcher types; changes nothing.
pub fn plan(conn: &rusqlite::Connection, person: &str) -> Result<(i64, PurgeReport), PurgeError> {
    let id = persons::resolve(conn, person)?;
    Ok((id, crate::records::purge::plan(conn, id)?))
}

/// Purges the person `id` (see the module documentation for the order).
pub fn purge(vault: &mut impl OpenVault, id: i64) -> Result<Purged, PurgeError> {
    let report = vault.commit(|tx| -> Result<PurgeReport, PurgeError> {
        let scrub = crate::lexicon::person_scrubber(tx, id)?;
        let report = crate::records::purge::apply(tx, id, &scrub)?;
        audit::append(
            tx,
            audit::PURGE_ACTION,
            json!({ "person": id, "pseudonym": report.pseudonym, "transcripts": report.transcripts, "excerpts": report.excerpts,
                    "attachments": report.attachments.len(), "mentions_scrubbed": report.mentions_scrubbed,
                    "transcripts_scrubbed": report.transcripts_scrubbed, "transcripts_kept": report.transcripts_kept,
                    "turns_removed": report.turns_removed, "audit_erased": report.audit_erased }),
        )?;
        Ok(report)
    })?;
    // The database no longer references them; now remove the encrypted files.
    let not_removed = report
        .attachments
        .iter()
        .filter(|a| vault.vault().remove_attachment(a).is_err())
        .cloned()
        .collect();
    Ok(Purged {
        report,
        not_removed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commit::testing::TestVault;
    use crate::commit::OpenRecords;
    use crate::records::consent::Evidence;
    use crate::records::persons::NewPerson;

    fn person_with_evidence(v: &mut TestVault) -> (i64, String) {
        let attachment = v.vault.put_attachment(b"consent audio").unwrap();
        let a = attachment.clone();
        let id = v
            .commit(|tx| -> Result<i64, PurgeError> {
                let p = persons::add(
                    tx,
                    &NewPerson {
                        name: "Жанар Сапарова".into(),
                        ..Default::default()
                    },
                )?;
                let consent = crate::evidence::tests::written_consent();
                let evidence = Evidence {
                    attachment_id: a,
                    file_name: "consent.ogg".into(),
                    sha256: String::new(),
                    size: 13,
                };
                crate::records::consent::record(tx, p.id, &consent, &[evidence])?;
                Ok(p.id)
            })
            .unwrap();
        (id, attachment)
    }

    #[test]
    fn a_purge_is_audited_and_removes_the_evidence_files() {
        let mut v = TestVault::new();
        let (id, attachment) = person_with_evidence(&mut v);
        let (planned, plan) = plan(v.conn(), &id.to_string()).unwrap();
        assert_eq!(
            (planned, plan.attachments.clone()),
            (id, vec![attachment.clone()])
        );

        let done = purge(&mut v, id).unwrap();
        assert!(done.not_removed.is_empty());
        assert_eq!(done.report.attachments, vec![attachment.clone()]);
        assert!(v.vault.get_attachment(&attachment).is_err());
        assert!(persons::get(v.conn(), id).unwrap().is_purged());
        let last = audit::list(v.conn()).unwrap().pop().unwrap();
        assert_eq!(last.action, audit::PURGE_ACTION);
        assert_eq!(last.detail["attachments"], 1);
        // A second purge is refused and changes nothing.
        let entries = audit::list(v.conn()).unwrap().len();
        assert!(matches!(
            purge(&mut v, id),
            Err(PurgeError::Records(RecordsError::Purged { .. }))
        ));
        assert_eq!(audit::list(v.conn()).unwrap().len(), entries);
    }

    #[test]
    fn an_evidence_file_that_cannot_be_removed_is_reported() {
        let mut v = TestVault::new();
        let (id, attachment) = person_with_evidence(&mut v);
        // A folder in the file's place cannot be removed as a file.
        let file = v.vault.attachment_dir().join(format!("{attachment}.age"));
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
        let done = purge(&mut v, id).unwrap();
        assert_eq!(done.not_removed, vec![attachment]);
        assert!(persons::get(v.conn(), id).unwrap().is_purged());
    }
}
