//! `fieldvault redact` on a bilingual transcript, --explain and --suspects,
//! and (when the public evaluation corpus is present) its targets.

use crate::common::*;

fn registered() -> Env {
    let e = Env::new();
    e.person(&[
        "--name",
        "Сапарова Айгерим Болатовна",
        "--alias",
        "Гера",
        "--phone",
        "+7 701 482 19 37",
        "--handle",
        "@gera_eco",
    ]);
    e.person(&[
        "--name",
        "Жумабаев Ерлан Сейткалиевич",
        "--alias",
        "Erlan Zhumabaev",
    ]);
    e.person(&["--name", "Волкова Надежда Петровна", "--alias", "Надя"]);
    e.ok(&["term", "add", "Голос степи", "--kind", "org"]);
    e.ok(&["term", "add", "Жанабулак", "--kind", "place"]);
    e.ok(&["term", "allow", "Токаев"]);
    e
}

const BILINGUAL: &str = "Респондент: Ерлану пришлось ехать в Нур-Султан, а Сапаровой звонили с +7-777-304-18-62.\n\
Респондент: Надежда Петровна сказала: надежда на перемены есть. Токаев обещал реформы.\n\
Респондент: Ерланға көп рахмет, Айгерімнің волонтерлері Жаңабұлақта жұмыс істеді.\n\
Respondent: Yerlan Zhumabayev from Golos Stepi wrote to Nadia; Aigerim's page is https://www.facebook.com/aigerim.saparova.eco and @gera_eco.\n";

#[test]
fn redacts_a_bilingual_transcript_and_keeps_what_must_stay() {
    let e = registered();
    let f = e.write("in/t.txt", BILINGUAL);
    let out = e.ok(&["redact", f.to_str().unwrap()]);
    for gone in [
        "Ерлану",
        "Сапаровой",
        "Надежда Петровна",
        "Ерланға",
        "Айгерімнің",
        "Жаңабұлақта",
        "Yerlan",
        "Zhumabayev",
        "Golos Stepi",
        "Nadia",
        "Aigerim",
        "304-18-62",
        "facebook.com/aigerim",
        "@gera_eco",
    ] {
        assert!(!out.contains(gone), "{gone} survived: {out}");
    }
    for kept in [
        "Нур-Султан",
        "надежда на перемены",
        "Токаев",
        "көп рахмет",
        "Respondent:",
    ] {
        assert!(out.contains(kept), "{kept} was lost: {out}");
    }
    assert!(
        out.contains("[Respondent 2]")
            && out.contains("[Respondent 1]")
            && out.contains("[Respondent 3]"),
        "{out}"
    );
    // Same lines, same order: only the replacements differ.
    assert_eq!(out.lines().count(), BILINGUAL.lines().count());
    // Standard input works too.
    let piped = e
        .cmd()
        .arg("redact")
        .write_stdin(BILINGUAL)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(piped.stdout).unwrap(), out);
}

#[test]
fn explain_and_suspects() {
    let e = registered();
    let f = e.write("in/t.txt", "Ерлану помог Марат Нуржанов из Шымкента.\n");
    let v = e.json(&["redact", f.to_str().unwrap(), "--explain", "--suspects"]);
    let reps = v["replacements"].as_array().unwrap();
    assert!(
        reps.iter()
            .any(|r| r["original"] == "Ерлану"
                && r["reason"].as_str().unwrap().starts_with("person 2")),
        "{v}"
    );
    let suspects: Vec<&str> = v["suspects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["word"].as_str().unwrap())
        .collect();
    assert!(
        suspects.iter().any(|s| s.contains("Нуржанов"))
            || !v["text"].as_str().unwrap().contains("Нуржанов"),
        "{v}"
    );
    assert!(
        !suspects.contains(&"Шымкента"),
        "cities are not suspects: {suspects:?}"
    );
    let out = e
        .cmd()
        .args(["redact", f.to_str().unwrap(), "--explain"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("replacement(s)"));
}

#[test]
fn public_corpus_scores_through_the_command_line() {
    let Some(corpus) = corpus() else {
        eprintln!("note: ../shared/eval/public not found; corpus score skipped");
        return;
    };
    let e = Env::empty();
    let Some(stdout) = run_corpus(&corpus, &e.path("out")) else {
        eprintln!("note: python3 not available; corpus score skipped");
        return;
    };
    let summary = stdout.lines().last().unwrap_or("");
    eprintln!("{summary}");
    let field = |k: &str| -> f64 {
        summary
            .split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    assert!(field("recall") >= 0.995, "{stdout}");
    assert!(field("keep") >= 0.98, "{stdout}");
}

#[test]
fn a_large_file_streams_to_the_same_bytes_as_the_whole_text() {
    // Several of the engine's 64 KiB chunks: the plain output is streamed
    // on every core, --json reads the whole text; the bytes must agree.
    let e = registered();
    let big = BILINGUAL.repeat(1 + 5 * 65_536 / BILINGUAL.len());
    let f = e.write("in/big.txt", &big);
    let streamed = e.ok(&["redact", f.to_str().unwrap()]);
    let whole = e.json(&["redact", f.to_str().unwrap()]);
    assert_eq!(whole["text"].as_str(), Some(streamed.as_str()));
    assert!(!streamed.contains("Сапаровой") && !streamed.contains("@gera_eco"));
    assert_eq!(
        streamed.matches("Токаев").count(),
        big.matches("Токаев").count()
    );
}
