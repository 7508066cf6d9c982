//! After `person purge`, nothing the person said or the researcher wrote
//! about them survives in the decrypted database image, their turns in a
//! group interview kept for the others are never exported, and the audit
//! chain still verifies.

use crate::common::Env;
use sha2::{Digest, Sha256};
use std::io::Read;

/// The database image as a backup holds it (the passphrase backup is a
/// standard age file: decrypted here with the age crate).
fn decrypted_image(e: &Env) -> Vec<u8> {
    let out = e.path("out/image.age");
    e.ok(&["backup", "--out", out.to_str().unwrap()]);
    let bytes = std::fs::read(&out).unwrap();
    let decryptor = age::Decryptor::new(&bytes[..]).unwrap();
    let identity = age::scrypt::Identity::new(crate::common::PASS.to_string().into());
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .unwrap();
    let mut image = Vec::new();
    reader.read_to_end(&mut image).unwrap();
    std::fs::remove_file(&out).unwrap();
    image
}

#[test]
fn a_purge_leaves_no_trace_in_the_decrypted_image_and_the_audit_chain_verifies() {
    let e = Env::new();
    let gone = e.person(&[
        "--name",
        "Сапарова Айгерим Болатовна",
        "--alias",
        "Гера",
        "--phone",
        "+7 701 482 19 37",
        "--handle",
        "@gera_eco",
        "--descriptor",
        "environmental activist",
    ]);
    let stays = e.person(&["--name", "Дина Ким", "--descriptor", "lawyer"]);
    e.grant_consent(&gone, "yes", "named", None);
    e.grant_consent(&stays, "yes", "pseudonym", None);
    let solo_text =
        "Интервьюер: Расскажите.\nРеспондент: Мой телефон +7 701 482 19 37, пишите на @gera_eco.\n";
    let solo = e.write("in/saparova-interview.txt", solo_text);
    let source_hash = hex::encode(Sha256::digest(solo_text.as_bytes()));
    e.json(&[
        "transcript",
        "import",
        solo.to_str().unwrap(),
        "--person",
        &gone,
        "--date",
        "2021-05-01",
        "--lang",
        "ru",
    ]);
    e.json(&["excerpt", "add", "1", "--all", "--tag", "t"]);
    let group = e.write(
        "in/group.txt",
        "Модератор: Начнём.\nУчастник 1: Реплика первой участницы про гранты.\nУчастник 2: Реплика второй участницы про суды.\n",
    );
    let (m1, m2) = (format!("Участник 1={gone}"), format!("Участник 2={stays}"));
    e.json(&[
        "transcript",
        "import",
        group.to_str().unwrap(),
        "--person",
        &gone,
        "--person",
        &stays,
        "--date",
        "2021-05-02",
        "--lang",
        "ru",
        "--speaker",
        &m1,
        "--speaker",
        &m2,
        "--speaker",
        "Модератор=interviewer",
    ]);
    e.json(&["excerpt", "add", "2", "--lines", "2", "--tag", "t"]);
    e.json(&["excerpt", "add", "2", "--lines", "3", "--tag", "t"]);
    let named = e.path("out/saparova-quotes.md");
    e.json(&[
        "export",
        "--format",
        "md",
        "--out",
        named.to_str().unwrap(),
        "--k",
        "1",
        "--allow-named",
        &gone,
        "--reason",
        "Айгерим Болатовна asked to be named",
    ]);
    let recipient = age::x25519::Identity::generate().to_public().to_string();
    e.json(&[
        "key",
        "add",
        "--recipient",
        &recipient,
        "--label",
        "Айгерим laptop",
    ]);

    let purged = e.json(&["person", "purge", &gone, "--yes"]);
    assert_eq!(purged["id"].to_string(), gone, "{purged}");
    assert_eq!(e.json(&["audit", "verify"])["ok"], true);

    let image = decrypted_image(&e);
    let text = String::from_utf8_lossy(&image);
    for canary in [
        "Сапарова",
        "Айгерим",
        "Болатовна",
        "Гера",
        "701 482",
        "482 19 37",
        "gera_eco",
        "saparova-quotes",
        "saparova-interview",
        "asked to be named",
        "Айгерим laptop",
        "первой участницы",
        "Мой телефон",
        source_hash.as_str(),
    ] {
        assert!(!text.contains(canary), "{canary:?} survived the purge");
    }
    // The other speaker's turns stay; the purged person's are a marker.
    assert!(text.contains("второй участницы"));
    let shown = e.json(&["transcript", "show", "2"]);
    let turns = shown["turns"].as_array().unwrap();
    assert_eq!(
        turns[1]["text"], "[turn removed: consent withdrawn]",
        "{shown}"
    );
    // And never exported: the excerpt of the removed turn is left out.
    let out = e.path("out/after.json");
    let v = e.json(&[
        "export",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
        "--k",
        "1",
    ]);
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(
        !written.contains("turn removed") && written.contains("второй участницы"),
        "{written}"
    );
    assert_eq!(
        v["left_out_counts"]["a turn was removed when its speaker was purged"], 1,
        "{v}"
    );
}

#[test]
fn a_group_interview_with_an_unmapped_speaker_is_refused_and_changes_nothing() {
    let e = Env::new();
    let a = e.person(&["--name", "Сапарова Айгерим"]);
    let b = e.person(&["--name", "Жумабаев Ерлан"]);
    let t = e.write(
        "in/g.txt",
        "A: Первая реплика.\nB: Вторая реплика.\nA: Третья.\n",
    );
    let before = e.vault_bytes();
    let map = format!("A={a}");
    let err = e.fail(&[
        "transcript",
        "import",
        t.to_str().unwrap(),
        "--person",
        &a,
        "--person",
        &b,
        "--date",
        "2021-05-01",
        "--lang",
        "ru",
        "--speaker",
        &map,
    ]);
    assert!(
        err.contains("not mapped") && err.contains("\"B\"") && err.contains("interviewer"),
        "{err}"
    );
    assert_eq!(e.vault_bytes(), before, "a refused import changes nothing");
    // A label that may be a name is described by its turn, never repeated.
    let t = e.write("in/n.txt", "A: Первая реплика.\nАйгерим: Вторая реплика.\n");
    let err = e.fail(&[
        "transcript",
        "import",
        t.to_str().unwrap(),
        "--person",
        &a,
        "--date",
        "2021-05-01",
        "--lang",
        "ru",
        "--speaker",
        &map,
    ]);
    assert!(
        err.contains("the label of turn 2") && !err.contains("Айгерим"),
        "{err}"
    );
}

#[test]
fn a_pseudonym_or_prefix_that_is_a_registered_name_is_refused() {
    let e = Env::new();
    e.person(&["--name", "Сапарова Асель"]);
    let err = e.fail(&["person", "add", "--name", "Дина Ким", "--pseudonym", "Asel"]);
    assert!(err.contains("must not be anyone's name"), "{err}");
    let err = e.fail(&["config", "set", "pseudonym.prefix", "Асель"]);
    assert!(err.contains("must not be anyone's name"), "{err}");
    e.person(&["--name", "Дина Ким", "--pseudonym", "Nightingale"]);
    let err = e.fail(&["person", "add", "--name", "Nightingale Smith"]);
    assert!(err.contains("Nightingale"), "{err}");
}

#[test]
fn weak_passphrases_are_refused_unless_asked_for() {
    let e = Env::empty();
    let out = e
        .cmd()
        .env("FIELDVAULT_PASSPHRASE", "qwerty123")
        .args(["init", "--kdf-memory-mib", "8", "--kdf-iterations", "1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("too easy to guess") && !err.contains("qwerty"),
        "{err}"
    );
    assert!(!e.vault().exists());
    let out = e
        .cmd()
        .env("FIELDVAULT_PASSPHRASE", "qwerty123")
        .args([
            "init",
            "--kdf-memory-mib",
            "8",
            "--kdf-iterations",
            "1",
            "--weak-passphrase",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn redacted_views_say_they_are_not_cleared_for_publication() {
    let e = Env::new();
    let p = e.person(&["--name", "Сапарова Айгерим"]);
    let t = e.write(
        "in/t.txt",
        "Интервьюер: Вопрос.\nРеспондент: Айгерим отвечает.\n",
    );
    e.json(&[
        "transcript",
        "import",
        t.to_str().unwrap(),
        "--person",
        &p,
        "--date",
        "2021-05-01",
        "--lang",
        "ru",
    ]);
    e.json(&["excerpt", "add", "1", "--all"]);
    assert!(e
        .ok(&["transcript", "show", "1", "--redacted"])
        .contains("NOT CLEARED FOR PUBLICATION"));
    let v = e.json(&["excerpt", "show", "1", "--redacted"]);
    assert_eq!(v["cleared_for_publication"], false);
    assert_eq!(
        v["consent_refusals"][0], "Respondent 1: no consent recorded",
        "{v}"
    );
    assert!(e
        .ok(&["excerpt", "show", "1", "--redacted"])
        .contains("NOT CLEARED FOR PUBLICATION (Respondent 1: no consent recorded)"));
}
