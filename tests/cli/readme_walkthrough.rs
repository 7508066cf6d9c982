//! The README's walk-through, run as written: its `fieldvault-shell` block
//! piped into `fieldvault shell` on the example files that ship in
//! examples/. A README edited so that its commands fail fails here.

use crate::common::*;
use std::path::Path;

/// The lines of the README's first ```fieldvault-shell block.
fn walk_through() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let start = readme
        .find("```fieldvault-shell\n")
        .expect("the README has a ```fieldvault-shell block")
        + "```fieldvault-shell\n".len();
    let len = readme[start..].find("```").expect("the block is closed");
    readme[start..start + len].to_string()
}

#[test]
fn the_readme_walk_through_works_on_the_shipped_examples() {
    let e = Env::new();
    let examples = e.path("examples");
    std::fs::create_dir(&examples).unwrap();
    for f in ["interview01.ru.txt", "interview01.en.txt"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(f),
            examples.join(f),
        )
        .unwrap();
    }
    let script = walk_through();
    assert!(script.contains("transcript import examples/"), "{script}");
    let out = e.cmd().arg("shell").write_stdin(script).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the walk-through failed:\n{stderr}\n{stdout}"
    );
    assert!(stdout.contains("Respondent 1"), "{stdout}");

    let quotes = std::fs::read_to_string(e.path("quotes.md")).unwrap();
    // What the README promises about quotes.md.
    for promised in [
        "Respondent 1, environmental activist, interview quote",
        "Original in Russian",
        "an environmental NGO",
        "grant",
    ] {
        assert!(
            quotes.contains(promised),
            "{promised} missing in:\n{quotes}"
        );
    }
    for secret in [
        "Сапарова",
        "Saparova",
        "Айгерим",
        "Геру",
        "Gera",
        "Голос степи",
        "Voice of the Steppe",
        "482 19 37",
    ] {
        assert!(
            !quotes.contains(secret),
            "{secret} leaked into quotes.md:\n{quotes}"
        );
        assert!(
            !stdout.contains(secret),
            "{secret} in the redacted view:\n{stdout}"
        );
    }
    // The passphrase backup is an age file, not plaintext.
    let backup = std::fs::read(e.path("vault-backup.age")).unwrap();
    assert!(backup.starts_with(b"age-encryption.org/v1"));
}
