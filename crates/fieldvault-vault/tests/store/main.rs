//! Integration tests of the sealed store. Each module is one property.

#[allow(dead_code)]
mod util;

mod attachments;
mod backup;
mod bad_input;
mod concurrency;
mod crash;
mod destroy;
mod keyfile;
mod plaintext;
mod recovery;
mod rekey;
mod roundtrip;
mod slots;
mod tamper;
mod vectors;
