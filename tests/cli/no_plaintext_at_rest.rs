//! After a full workflow, no file in the vault's folder, the temp dir or the
//! export folder holds the canary strings: not as UTF-8, not as UTF-16, not
//! lower-cased.

use crate::common::*;

const NAME: &str = "Канареечникова Зульфия Арслановна";
const PHONE: &str = "+7 701 999 13 57";
const SECRET_LINE: &str = "пароль от сейфа лежит под ковриком у Кузнецова";

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

#[test]
fn no_canary_in_any_file_after_a_full_workflow() {
    let e = Env::new();
    let id = e.person(&[
        "--name",
        NAME,
        "--phone",
        PHONE,
        "--descriptor",
        "teacher",
        "--alias",
        "Зуля",
    ]);
    e.ok(&[
        "consent",
        "record",
        &id,
        "--date",
        "2021-05-20",
        "--method",
        "verbal-recorded",
        "--recording",
        "yes",
        "--quotes",
        "yes",
        "--attribution",
        "pseudonym",
    ]);
    let evidence = e.write("in/consent.txt", format!("Я, {NAME}, согласна."));
    e.ok(&[
        "consent",
        "record",
        &id,
        "--date",
        "2021-05-21",
        "--method",
        "written",
        "--recording",
        "yes",
        "--quotes",
        "yes",
        "--attribution",
        "pseudonym",
        "--evidence",
        evidence.to_str().unwrap(),
    ]);
    let t = e.write(
        "in/t.txt",
        format!("Интервьюер: Представьтесь.\nРеспондент: Меня зовут {NAME}, телефон {PHONE}.\nИнтервьюер: Что ещё?\nРеспондент: {SECRET_LINE}.\n"),
    );
    e.json(&[
        "transcript",
        "import",
        t.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-20",
        "--lang",
        "ru",
    ]);
    e.json(&["excerpt", "add", "1", "--lines", "2", "--tag", "intro"]);
    for f in ["md", "csv", "json", "docx", "qdpx"] {
        let out = e.path(&format!("out/x.{f}"));
        e.ok(&["export", "--format", f, "--out", out.to_str().unwrap()]);
    }
    e.ok(&["transcript", "search", "сейфа"]);
    e.ok(&[
        "backup",
        "--out",
        e.path("vault/backup.age").to_str().unwrap(),
    ]);
    e.ok(&["person", "edit", &id, "--descriptor", "schoolteacher"]);

    let canaries: Vec<Vec<u8>> = [NAME, "Канареечникова", PHONE, SECRET_LINE, "Кузнецова"]
        .iter()
        .flat_map(|c| {
            [
                c.as_bytes().to_vec(),
                c.to_lowercase().into_bytes(),
                utf16(c),
                utf16(&c.to_lowercase()),
            ]
        })
        .collect();
    let mut scanned = 0;
    for dir in ["vault", "tmp", "out"] {
        for f in files_below(&e.path(dir)) {
            let bytes = std::fs::read(&f).unwrap();
            scanned += 1;
            for c in &canaries {
                assert!(
                    !bytes.windows(c.len()).any(|w| w == &c[..]),
                    "{} holds a canary",
                    f.display()
                );
            }
        }
    }
    assert!(scanned >= 8, "scanned only {scanned} files");
    assert!(
        files_below(&e.path("tmp")).is_empty(),
        "nothing is left in the temp dir"
    );
}
