//! Integration tests of the sealed store. Each module is one property.

#[allow(dead_code)]
mod util;

mod attachments;
mod backup;
mod bad_input;
mod destroy;
mod roundtrip;
mod slots;
mod tamper;
