//! Registration outranks the built-in lists and look-alike letters hide
//! nothing: an excerpt naming a registered namesake of a public figure and
//! a registered person spelled with letters of another script exports in
//! all five formats with neither left.

use crate::common::*;

const FORMATS: &[&str] = &["md", "csv", "json", "docx", "qdpx"];

fn text_of(path: &std::path::Path) -> String {
    match path.extension().and_then(|x| x.to_str()) {
        Some("docx" | "qdpx") => unzip_text(path),
        _ => std::fs::read_to_string(path).unwrap(),
    }
}

#[test]
fn a_homoglyph_spelled_name_and_a_presidents_namesake_leak_in_no_format() {
    let e = Env::new();
    let speaker = e.person(&[
        "--name",
        "Сапарова Айгерим",
        "--alias",
        "Aigerim Saparova",
        "--descriptor",
        "environmental activist",
    ]);
    // The namesake: registering warns in one line, naming only the public
    // figure, and says what will happen.
    let out = e
        .cmd()
        .args(["person", "add", "--name", "Назарбаев Нурсултан"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let warn = String::from_utf8(out.stderr).unwrap();
    assert_eq!(warn.lines().count(), 1, "{warn}");
    assert!(
        warn.starts_with("note: it is also the public figure Назарбаев Нурсултан")
            && warn.contains("redacted"),
        "{warn}"
    );
    e.ok(&[
        "consent",
        "record",
        &speaker,
        "--date",
        "2021-05-01",
        "--method",
        "verbal-recorded",
        "--recording",
        "yes",
        "--quotes",
        "yes",
        "--attribution",
        "pseudonym",
    ]);
    // Latin "a" in the Cyrillic surname, Cyrillic "а" in the Latin one, a
    // zero-width space inside a name, full-width digits in a phone.
    let ru = "Интервьюер: Кто помогал?\n\
Респондент: Нурсултан Назарбаев помогал, мы с Нурсултаном звонили С\u{61}паровой, а Айге\u{200b}рим ответила с +７ ７０１ ５５５ ０１９９.\n";
    let en = "Interviewer: Who helped?\n\
Respondent: Nursultan Nazarbayev helped, Nursultan and I called S\u{430}parova, and Aige\u{200b}rim answered from +７ ７０１ ５５５ ０１９９.\n";
    let r = e.write("in/1.txt", ru);
    let t = e.write("in/1.en.txt", en);
    let tid = e.json(&[
        "transcript",
        "import",
        r.to_str().unwrap(),
        "--translation",
        t.to_str().unwrap(),
        "--person",
        &speaker,
        "--date",
        "2021-05-01",
        "--lang",
        "ru",
    ])["id"]
        .to_string();
    e.json(&["excerpt", "add", &tid, "--lines", "2"]);
    let forbidden = [
        "Назарбаев",
        "Nazarbayev",
        "Нурсултан",
        "Nursultan",
        "паровой",
        "parova",
        "Айге",
        "Aige",
        "０１９９",
        "0199",
    ];
    for fmt in FORMATS {
        let out = e.path(&format!("out/q.{fmt}"));
        e.ok(&["export", "--format", fmt, "--out", out.to_str().unwrap()]);
        let text = text_of(&out);
        for f in forbidden {
            assert!(!text.contains(f), "{fmt}: {f} leaked:\n{text}");
        }
        assert!(text.contains("помогал"), "{fmt}: the quote is there");
    }
}
