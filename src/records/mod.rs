//! The research records kept inside an open vault: persons, consent, terms,
//! transcripts, excerpts, the export log and the audit chain.
//!
//! Every function here takes a plain `rusqlite::Connection` (or transaction):
//! the records know nothing about encryption, which the vault crate owns, so
//! they can be tested against an in-memory database. Each submodule owns its
//! tables and its SQL; `schema` owns the migrations that create them.
//!
//! Error rules: every variant of [`RecordsError`] renders as one line a
//! researcher understands, names the thing by its id or pseudonym, and never
//! carries interview text, real names or contacts (errors reach terminals,
//! logs and screenshots).

pub mod audit;
pub mod consent;
pub mod decisions;
pub mod excerpts;
pub mod exports;
pub mod persons;
pub mod purge;
pub mod schema;
pub mod settings;
pub mod terms;
pub mod transcripts;

mod dates;

pub use dates::{iso, now_rfc3339, parse_date, today, DateError};

/// Why a records operation could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    #[error("no person {0} in this vault (use the id or pseudonym shown by `person list`)")]
    UnknownPerson(String),
    #[error("no transcript {0} in this vault (see `transcript list`)")]
    UnknownTranscript(String),
    #[error("no excerpt {0} in this vault (see `excerpt list`)")]
    UnknownExcerpt(String),
    #[error("no term {0} in this vault (see `term list`)")]
    UnknownTerm(String),
    #[error("no setting called {0} (see `config show`)")]
    UnknownSetting(String),
    #[error(
        "the pseudonym {0:?} is already taken (pseudonyms are never reused, even after a purge)"
    )]
    DuplicatePseudonym(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Date(#[from] DateError),
    #[error("{pseudonym} was purged; nothing can be recorded for a purged person")]
    Purged { pseudonym: String },
    #[error("lines {first}-{last} are outside transcript {transcript}, which has lines 1-{len}")]
    LineRange {
        transcript: i64,
        first: u32,
        last: u32,
        len: u32,
    },
    #[error("this vault's records are from a newer fieldvault (schema {found}; this version knows up to {known}): update fieldvault")]
    NewerSchema { found: i64, known: i64 },
    #[error("the audit log is broken at entry {0}: an entry was edited or removed")]
    AuditBroken(i64),
    #[error("the vault's database refused the change: {0}")]
    Database(String),
}

impl From<rusqlite::Error> for RecordsError {
    fn from(e: rusqlite::Error) -> Self {
        // SQLite messages name tables and constraints, never row values, so
        // they are safe to show; they are still wrapped so that callers never
        // depend on rusqlite's error type.
        RecordsError::Database(e.to_string())
    }
}

pub type Result<T, E = RecordsError> = std::result::Result<T, E>;

/// How many records of each main kind a vault holds (for `check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub persons: i64,
    pub transcripts: i64,
    pub excerpts: i64,
}

pub fn totals(conn: &rusqlite::Connection) -> Result<Totals> {
    let count = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(Totals {
        persons: count("person")?,
        transcripts: count("transcript")?,
        excerpts: count("excerpt")?,
    })
}

/// Opens a fresh in-memory database with the current schema; for tests and
/// for the vault's first image.
pub fn in_memory() -> Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open_in_memory()?;
    conn.execute_batch("PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON;")?;
    schema::migrate(&conn)?;
    Ok(conn)
}
