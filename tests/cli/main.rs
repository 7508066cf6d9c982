//! End-to-end tests: each drives the built `fieldvault` binary in its own
//! temporary folder, the way a researcher (or a script) would.

mod common;

mod codings_round_trip;
mod consent_gate_and_export;
mod demo;
mod docs_in_one_place;
mod errors_change_nothing;
mod exports_people_open;
mod help_text;
mod imports;
mod lookalike_and_namesake_export;
mod no_plaintext_at_rest;
mod plugins;
mod purge_leaves_nothing;
mod readme_walkthrough;
mod records;
mod redact_cmd;
mod research_workflow;
mod review;
mod shell_and_concurrency;
#[cfg(unix)]
mod shell_terminal;
mod snapshots;
mod travel_and_key_file;
mod vault_lifecycle;
