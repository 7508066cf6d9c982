//! The one way workflows change an open vault: a change runs in one SQL
//! transaction and is then committed to the vault file, so that either all
//! of it reaches disk or none of it does.
//!
//! Workflows (`ingest`, `publish`, `purge`, `evidence`, `keys`) take an
//! [`OpenRecords`] (or, when they also touch the files beside the records,
//! an [`OpenVault`]) rather than the command line's session, so they do not
//! depend on how the vault was unlocked and the command line stays a layer
//! above them.

use fieldvault_vault::Vault;
use rusqlite::Connection;

/// Why a change could not be made durable. A workflow's error wraps it as
/// `#[error("{0}")] Commit(#[from] CommitError)`, not `transparent`, so that
/// it stays visible in the source chain ([`CommitError::is_not_saved`]).
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("internal: this command needs the vault opened for writing")]
    ReadOnly,
    #[error("cannot start a change: {0}")]
    Begin(String),
    #[error("cannot finish the change: {0}")]
    Finish(String),
    /// The change is in memory but not in the vault file: memory and disk
    /// now differ, so a long-running caller (the shell) must close the vault.
    #[error("the change could not be saved: {0}")]
    NotSaved(String),
}

impl CommitError {
    /// Whether anyhow's chain of `e` holds a [`CommitError::NotSaved`].
    pub fn is_not_saved(e: &(dyn std::error::Error + 'static)) -> bool {
        let mut cur = Some(e);
        while let Some(c) = cur {
            if matches!(
                c.downcast_ref::<CommitError>(),
                Some(CommitError::NotSaved(_))
            ) {
                return true;
            }
            cur = c.source();
        }
        false
    }
}

/// The records of an open vault: read them, and change them durably.
pub trait OpenRecords {
    /// The database, for reading.
    fn conn(&self) -> &Connection;

    /// Runs `change` in one transaction and commits the vault file.
    fn commit<T, E>(&mut self, change: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<CommitError>;
}

/// An open vault beyond its records: the encrypted attachment files beside
/// it and its key slots. For the workflows whose steps must be ordered
/// between the database and those files (purge, consent evidence, key
/// changes); the records still change only through [`OpenRecords::commit`].
pub trait OpenVault: OpenRecords {
    /// The sealed store, for its attachments and key slots.
    fn vault(&self) -> &Vault;

    /// The sealed store, for the key-slot changes that rewrite its file.
    fn vault_mut(&mut self) -> &mut Vault;
}

/// Runs `change` in one transaction on `conn`: committed if it succeeds,
/// rolled back if it fails. The shared first half of every
/// [`OpenRecords::commit`]; the second is committing the vault file, which
/// must report a failure as [`CommitError::NotSaved`].
pub fn in_transaction<T, E>(
    conn: &Connection,
    change: impl FnOnce(&Connection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<CommitError>,
{
    let tx = conn
        .unchecked_transaction()
        .map_err(|e| CommitError::Begin(e.to_string()))?;
    let out = change(&tx)?;
    tx.commit()
        .map_err(|e| CommitError::Finish(e.to_string()))?;
    Ok(out)
}

/// A real vault in a temporary folder (cheap Argon2 parameters), for the
/// workflows' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use fieldvault_vault::{KdfParams, Passphrase};

    pub(crate) struct TestVault {
        pub(crate) vault: Vault,
        pub(crate) dir: tempfile::TempDir,
    }

    impl TestVault {
        pub(crate) fn new() -> TestVault {
            let dir = tempfile::tempdir().unwrap();
            let params = KdfParams {
                memory_mib: 8,
                iterations: 1,
                parallelism: 1,
            };
            let pass = Passphrase::new("correct horse battery staple".into()).unwrap();
            let vault = Vault::create(&dir.path().join("test.vault"), &pass, params).unwrap();
            crate::records::schema::migrate(vault.connection()).unwrap();
            TestVault { vault, dir }
        }
    }

    impl OpenRecords for TestVault {
        fn conn(&self) -> &Connection {
            self.vault.connection()
        }

        fn commit<T, E>(&mut self, change: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
        where
            E: From<CommitError>,
        {
            let out = in_transaction(self.vault.connection(), change)?;
            self.vault
                .commit()
                .map_err(|e| CommitError::NotSaved(e.to_string()))?;
            Ok(out)
        }
    }

    impl OpenVault for TestVault {
        fn vault(&self) -> &Vault {
            &self.vault
        }

        fn vault_mut(&mut self) -> &mut Vault {
            &mut self.vault
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum TestError {
        // Not transparent: the CommitError must stay in the source chain.
        #[error("{0}")]
        Commit(#[from] CommitError),
        #[error("refused")]
        Refused,
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT COUNT(*) FROM setting", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_refused_change_leaves_nothing() {
        let conn = crate::records::in_memory().unwrap();
        let r: Result<(), TestError> = in_transaction(&conn, |tx| {
            tx.execute("INSERT INTO setting VALUES ('a', 'b')", [])
                .unwrap();
            Err(TestError::Refused)
        });
        assert!(matches!(r, Err(TestError::Refused)));
        assert_eq!(count(&conn), 0);
        let r: Result<(), TestError> = in_transaction(&conn, |tx| {
            tx.execute("INSERT INTO setting VALUES ('a', 'b')", [])
                .unwrap();
            Ok(())
        });
        assert!(r.is_ok());
        assert_eq!(count(&conn), 1);
    }

    #[test]
    fn not_saved_is_found_through_a_workflow_error() {
        let e = anyhow::Error::new(TestError::from(CommitError::NotSaved("disk full".into())));
        assert!(CommitError::is_not_saved(e.as_ref()));
        let e = anyhow::Error::new(TestError::from(CommitError::ReadOnly));
        assert!(!CommitError::is_not_saved(e.as_ref()));
    }
}
