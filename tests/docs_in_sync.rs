//! docs/ carries copies of the crates' format documents; they must not drift.

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
fn format_crypto_and_export_docs_match_their_crates() {
    same("docs/format.md", "crates/fieldvault-vault/FORMAT.md");
    same("docs/crypto.md", "crates/fieldvault-vault/CRYPTO.md");
    same(
        "docs/export-formats.md",
        "crates/fieldvault-export/SCHEMAS.md",
    );
}
