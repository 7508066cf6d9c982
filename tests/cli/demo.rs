//! `fieldvault demo`: the whole pipeline on the built-in interviews.

use crate::common::*;

#[test]
fn demo_prints_the_quote_set_and_what_was_left_out() {
    let e = Env::empty();
    let keep = e.path("out/demo");
    let out = e
        .cmd()
        .args([
            "demo",
            "--kdf-memory-mib",
            "8",
            "--kdf-iterations",
            "1",
            "--keep",
            keep.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The demo reviews its own data before exporting.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("registered as person 5") && stderr.contains("No open questions."),
        "{stderr}"
    );
    assert!(
        !stdout.contains("Жолдасбеков") && !stdout.contains("Zholdasbekov"),
        "{stdout}"
    );
    // The pseudonymous journalist is quoted, the named advocate is named.
    assert!(
        stdout.contains("Respondent 1, independent journalist, interview quote"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Тоқтаров Мейрамбек, founder of a public legal-aid initiative"),
        "{stdout}"
    );
    assert!(stdout.contains("Original in Russian"));
    // Refused quoting and withdrawn consent are reported, not quoted.
    assert!(
        stdout.contains("consent does not allow quotes") && stdout.contains("consent withdrawn"),
        "{stdout}"
    );
    for secret in [
        "Есенова",
        "Асель",
        "Ася",
        "Қасымов",
        "Бауыржан",
        "Шевченко",
        "Ольга",
        "41-22-87",
        "asel.yessenova",
        "@asel_writes",
        "Открытый двор",
        "Бесқұдық",
    ] {
        assert!(
            !stdout.contains(secret),
            "{secret} leaked into the demo output"
        );
    }
    for f in [
        "quotes.md",
        "quotes.csv",
        "quotes.json",
        "quotes.docx",
        "quotes.qdpx",
        "demo.vault",
    ] {
        assert!(keep.join(f).exists(), "{f} missing");
    }
    // Without --keep, nothing stays behind.
    let out = e
        .cmd()
        .args(["demo", "--kdf-memory-mib", "8", "--kdf-iterations", "1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        files_below(&e.path("tmp")).is_empty(),
        "the temporary demo folder was removed"
    );
}
