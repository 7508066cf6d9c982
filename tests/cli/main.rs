//! End-to-end tests: each drives the built `fieldvault` binary in its own
//! temporary folder, the way a researcher (or a script) would.

mod common;

mod consent_gate_and_export;
mod demo;
mod docs_in_sync;
mod errors_change_nothing;
mod exports_people_open;
mod help_text;
mod imports;
mod lookalike_and_namesake_export;
mod no_plaintext_at_rest;
mod purge_leaves_nothing;
mod readme_walkthrough;
mod records;
mod redact_cmd;
mod shell_and_concurrency;
#[cfg(unix)]
mod shell_terminal;
mod snapshots;
mod vault_lifecycle;
