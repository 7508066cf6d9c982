//! Bad input: one line a non-programmer understands, non-zero exit, and the
//! vault file byte-for-byte unchanged.

use crate::common::*;

fn unchanged(e: &Env, args: &[&str], expect: &str) {
    let before = e.vault_bytes();
    let err = e.fail(args);
    assert!(
        err.to_lowercase().contains(expect),
        "`{}`: expected {expect:?} in {err}",
        args.join(" ")
    );
    assert_eq!(
        before,
        e.vault_bytes(),
        "`{}` changed the vault",
        args.join(" ")
    );
}

#[test]
fn wrong_passphrase() {
    let e = Env::new();
    let before = e.vault_bytes();
    let out = e
        .cmd()
        .args(["person", "list"])
        .env("FIELDVAULT_PASSPHRASE", "wrong")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("passphrase") && err.lines().count() == 1,
        "{err}"
    );
    assert_eq!(before, e.vault_bytes());
}

#[test]
fn truncated_flipped_and_missing_vaults() {
    let e = Env::new();
    e.person(&["--name", "Дина Ким"]);
    let good = e.vault_bytes();
    for cut in [10, good.len() / 2, good.len() - 1] {
        std::fs::write(e.vault(), &good[..cut]).unwrap();
        let err = e.fail(&["person", "list"]);
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(std::fs::read(e.vault()).unwrap(), &good[..cut]);
    }
    for pos in [5, good.len() / 2, good.len() - 5] {
        let mut bad = good.clone();
        bad[pos] ^= 0x40;
        std::fs::write(e.vault(), &bad).unwrap();
        e.fail(&["person", "list"]);
        assert_eq!(std::fs::read(e.vault()).unwrap(), bad);
    }
    std::fs::write(e.vault(), &good).unwrap();
    let err = Env::empty().fail(&["person", "list"]);
    assert!(err.contains("no vault"), "{err}");
}

#[test]
fn init_refuses_existing_files_and_empty_passphrases() {
    let e = Env::new();
    unchanged(
        &e,
        &["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"],
        "already exists",
    );
    let f = Env::empty();
    let out = f
        .cmd()
        .args(["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"])
        .env("FIELDVAULT_PASSPHRASE", "")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
    assert!(!f.vault().exists());
}

#[test]
fn records_errors_change_nothing() {
    let e = Env::new();
    let id = e.person(&["--name", "Дина Ким", "--pseudonym", "Trainer"]);
    let t = e.write("in/t.txt", "Интервьюер: Вопрос.\nРеспондент: Ответ.\n");
    e.json(&[
        "transcript",
        "import",
        t.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-08-19",
        "--lang",
        "ru",
    ]);

    unchanged(&e, &["consent", "show", "99"], "no person");
    unchanged(
        &e,
        &["person", "add", "--name", "X", "--pseudonym", "trainer"],
        "already taken",
    );
    unchanged(
        &e,
        &[
            "consent",
            "record",
            &id,
            "--date",
            "2021-02-30",
            "--method",
            "written",
            "--recording",
            "yes",
            "--quotes",
            "yes",
            "--attribution",
            "named",
        ],
        "not a date",
    );
    unchanged(
        &e,
        &["excerpt", "add", "1", "--lines", "2-9"],
        "outside transcript 1",
    );
    unchanged(&e, &["excerpt", "add", "7", "--all"], "no transcript");
    unchanged(
        &e,
        &[
            "transcript",
            "import",
            t.to_str().unwrap(),
            "--person",
            "Nobody",
            "--date",
            "2021-08-19",
            "--lang",
            "ru",
        ],
        "no person",
    );

    let empty = e.write("in/empty.txt", "");
    unchanged(
        &e,
        &[
            "transcript",
            "import",
            empty.to_str().unwrap(),
            "--person",
            &id,
            "--date",
            "2021-08-19",
            "--lang",
            "ru",
        ],
        "empty",
    );
    let bin = e.write("in/bin.txt", [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 255, 7]);
    unchanged(
        &e,
        &[
            "transcript",
            "import",
            bin.to_str().unwrap(),
            "--person",
            &id,
            "--date",
            "2021-08-19",
            "--lang",
            "ru",
        ],
        "binary",
    );
    let bad_utf8 = e.write(
        "in/bad.txt",
        [0xEF, 0xBB, 0xBF, b'A', b':', b' ', 0xC3, 0x28, b'\n'],
    );
    unchanged(
        &e,
        &[
            "transcript",
            "import",
            bad_utf8.to_str().unwrap(),
            "--person",
            &id,
            "--date",
            "2021-08-19",
            "--lang",
            "ru",
        ],
        "utf-8",
    );
    let docx = e.write("in/x.docx", "plain text pretending");
    unchanged(
        &e,
        &[
            "transcript",
            "import",
            docx.to_str().unwrap(),
            "--person",
            &id,
            "--date",
            "2021-08-19",
            "--lang",
            "ru",
        ],
        "zip",
    );

    e.ok(&["consent", "withdraw", &id, "--date", "2021-09-01"]);
    e.ok(&["person", "purge", &id, "--yes"]);
    unchanged(
        &e,
        &[
            "consent",
            "record",
            &id,
            "--date",
            "2022-01-01",
            "--method",
            "written",
            "--recording",
            "yes",
            "--quotes",
            "yes",
            "--attribution",
            "named",
        ],
        "purged",
    );
}

#[test]
fn errors_never_echo_a_real_name() {
    let e = Env::new();
    e.person(&["--name", "Сапарова Айгерим"]);
    let err = e.fail(&["person", "show", "Сапарова Айгерим"]);
    assert!(!err.contains("Сапарова"), "{err}");
    let t = e.write("in/t.txt", "Сапарова рассказала, что её телефон прослушивали, и это длинная строка без говорящего\n\nИнтервьюер\n");
    let out = e
        .cmd()
        .args([
            "transcript",
            "import",
            t.to_str().unwrap(),
            "--person",
            "1",
            "--date",
            "2021-01-01",
            "--lang",
            "ru",
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Сапарова"));
}

/// Files that cannot be read, for every user: a folder stands where a file
/// is expected (CI runs as root, for whom a file without read permission is
/// still readable, so a chmod would test nothing there), and the vault
/// itself is a folder.
#[test]
fn unreadable_inputs_are_refused_even_as_root() {
    let e = Env::new();
    e.person(&["--name", "Дина Ким"]);
    let folder = e.path("in/a-folder");
    std::fs::create_dir(&folder).unwrap();
    let f = folder.to_str().unwrap();
    let ok = e.write("in/t.txt", "Интервьюер: Вопрос?\nДина: Ответ.\n");
    let t = ok.to_str().unwrap();
    let base = ["--date", "2024-03-01", "--lang", "ru", "--person", "1"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--passphrase-file", f, "person", "list"],
            "cannot read the passphrase file",
        ),
        (vec!["redact", f], "cannot read"),
        (
            [
                &["transcript", "import", t, "--translation", f][..],
                &base[..],
            ]
            .concat(),
            "cannot read",
        ),
        (
            vec!["transcript", "import", "--manifest", f],
            "cannot read the manifest",
        ),
        (
            vec![
                "consent",
                "record",
                "1",
                "--date",
                "2024-03-01",
                "--method",
                "written",
                "--recording",
                "yes",
                "--quotes",
                "yes",
                "--attribution",
                "pseudonym",
                "--evidence",
                f,
            ],
            "a-folder",
        ),
    ];
    for (args, expect) in &cases {
        unchanged(&e, args, expect);
    }
    let out = e
        .cmd_with_vault(&folder)
        .args(["person", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains("a-folder"),
        "{stderr}"
    );
}
