//! fieldvault: an encrypted vault for sensitive interview research.
//!
//! The binary is a thin shell over this library. The sealed store lives in
//! the `fieldvault-vault` crate, redaction in `fieldvault-redact`, file
//! readers in `fieldvault-import` and publication writers in
//! `fieldvault-export`; this crate holds the research records, the consent
//! gate that decides what may be published, and the command line.
#![forbid(unsafe_code)]

pub mod cli;
pub mod commit;
pub mod evidence;
pub mod ingest;
pub mod keys;
pub mod lexicon;
pub mod publish;
pub mod purge;
pub mod records;
pub mod review;
