//! docs/ is the one place for the user-facing documents. Two of them still
//! have a copy in the vault crate, which its recovery test reads
//! (FORMAT.md) and its code cites (CRYPTO.md); until they move, the copies
//! must not drift.

fn same(doc: &str, source: &str) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let a = std::fs::read_to_string(root.join(doc)).unwrap();
    let b = std::fs::read_to_string(root.join(source)).unwrap();
    assert!(
        a == b,
        "{doc} differs from {source}: copy it again (cp {source} {doc})"
    );
}

#[test]
fn format_and_crypto_docs_match_the_vault_crate() {
    same("docs/format.md", "crates/fieldvault-vault/FORMAT.md");
    same("docs/crypto.md", "crates/fieldvault-vault/CRYPTO.md");
}
