//! Persons, consent, terms, transcripts (all import formats), excerpts,
//! search, audit: driven through the binary.

use crate::common::*;

pub const RU: &str = "Интервьюер: Расскажите, как всё началось.\n\
Респондент: В 2016 году мы с соседями начали чистить арыки. Потом Ерлан Жумабаев предложил оформить фонд «Голос степи».\n\
Интервьюер: А полиция?\n\
Респондент: Участковый пришёл домой. Позвонили с номера +7 701 482 19 37. Сапаровой тогда было страшно.\n";
pub const EN: &str = "Interviewer: Tell me how it all started.\n\
Respondent: In 2016 my neighbours and I started cleaning the ditches. Then Yerlan Zhumabayev suggested registering the Golos Stepi foundation.\n\
Interviewer: And the police?\n\
Respondent: The district officer came to my home. They called from +7 701 482 19 37. Saparova was scared then.\n";

#[test]
fn persons_pseudonyms_edit_and_json_listings() {
    let e = Env::new();
    let v = e.json(&[
        "person",
        "add",
        "--name",
        "Сапарова Айгерим Болатовна",
        "--alias",
        "Гера",
        "--descriptor",
        "activist",
        "--phone",
        "+7 701 482 19 37",
        "--attr",
        "city=Almaty",
    ]);
    assert_eq!(v["pseudonym"], "Respondent 1");
    let id = v["id"].to_string();
    let v2 = e.json(&[
        "person",
        "add",
        "--name",
        "Жумабаев Ерлан",
        "--pseudonym",
        "Interlocutor K",
    ]);
    assert_eq!(v2["pseudonym"], "Interlocutor K");
    let err = e.fail(&[
        "person",
        "add",
        "--name",
        "Другой",
        "--pseudonym",
        "interlocutor k",
    ]);
    assert!(err.contains("already taken"), "{err}");
    e.ok(&[
        "person",
        "edit",
        &id,
        "--add-alias",
        "Aigerim Saparova",
        "--descriptor",
        "environmental activist",
    ]);
    let show = e.json(&["person", "show", "Respondent 1"]);
    assert_eq!(show["person"]["aliases"].as_array().unwrap().len(), 2);
    assert_eq!(show["person"]["descriptor"], "environmental activist");
    let list = e.json(&["person", "list"]);
    assert_eq!(list["persons"].as_array().unwrap().len(), 2);
    // The listing shows pseudonyms, not real names.
    assert!(!e.ok(&["person", "list"]).contains("Сапарова"));
}

#[test]
fn consent_history_is_append_only_and_derived() {
    let e = Env::new();
    let id = e.person(&["--name", "Волкова Надежда Петровна"]);
    e.ok(&[
        "consent",
        "record",
        &id,
        "--date",
        "2021-06-10",
        "--method",
        "verbal-recorded",
        "--recording",
        "yes",
        "--quotes",
        "yes",
        "--attribution",
        "anonymous",
    ]);
    let evidence = e.write("in/consent.m4a", b"RIFF....fake audio");
    e.ok(&[
        "consent",
        "record",
        &id,
        "--date",
        "2021-07-01",
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
        "--embargo-until",
        "2030-01-01",
    ]);
    let s = e.json(&["consent", "show", &id]);
    assert_eq!(s["history"].as_array().unwrap().len(), 2);
    assert_eq!(s["current"]["state"], "granted");
    assert_eq!(s["current"]["embargo_until"], "2030-01-01");
    let att_dir: Vec<_> = files_below(&e.path("vault"))
        .into_iter()
        .filter(|p| {
            let name = p.to_string_lossy();
            !p.ends_with("v.vault") && !name.ends_with(".lock") && !name.ends_with("v.vault.key")
        })
        .collect();
    assert_eq!(
        att_dir.len(),
        1,
        "one encrypted evidence file beside the vault (and its key file): {att_dir:?}"
    );
    assert!(!std::fs::read(&att_dir[0])
        .unwrap()
        .windows(10)
        .any(|w| w == b"fake audio"));
    e.ok(&["consent", "withdraw", &id, "--date", "2021-09-01"]);
    let s = e.json(&["consent", "show", &id]);
    assert_eq!(s["current"]["state"], "withdrawn");
    assert_eq!(s["history"].as_array().unwrap().len(), 3);
}

#[test]
fn transcripts_import_every_format_and_search_case_insensitively() {
    let e = Env::new();
    let id = e.person(&["--name", "Жанар Абдрахманова"]);
    let ru = e.write("in/a.txt", RU);
    let en = e.write("in/a.en.txt", EN);
    let t = e.json(&[
        "transcript",
        "import",
        ru.to_str().unwrap(),
        "--translation",
        en.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-20",
        "--lang",
        "ru",
    ]);
    assert_eq!(t["turns"], 4);
    let vtt = e.write(
        "in/call.vtt",
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Интервьюер>Добрый день.\n\n2\n00:00:03.500 --> 00:00:06.000\n<v Респондент>Здравствуйте, АҚПАРАТ тарату.\n\n3\n00:00:06.500 --> 00:00:08.000\n<v Респондент>Қалай?\n",
    );
    let t2 = e.json(&[
        "transcript",
        "import",
        vtt.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-21",
        "--lang",
        "kk",
    ]);
    assert_eq!(t2["turns"], 2, "consecutive cues of one speaker are merged");
    let srt = e.write("in/call.srt", "1\n00:00:01,000 --> 00:00:02,000\nИнтервьюер: Начнём.\n\n2\n00:00:02,500 --> 00:00:04,000\nРеспондент: Хорошо.\n");
    e.json(&[
        "transcript",
        "import",
        srt.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-22",
        "--lang",
        "ru",
    ]);
    // Windows-1251 text, as old Word exports arrive.
    let cp1251: Vec<u8> = vec![
        0xC8, 0xED, 0xF2, 0xE5, 0xF0, 0xE2, 0xFC, 0xFE, 0xE5, 0xF0, b':', b' ', 0xC4, 0xE0, b'.',
        b'\n',
    ];
    let f = e.write("in/old.txt", cp1251);
    e.json(&[
        "transcript",
        "import",
        f.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-23",
        "--lang",
        "ru",
    ]);
    let list = e.json(&["transcript", "list"]);
    assert_eq!(list["transcripts"].as_array().unwrap().len(), 4);

    let hits = e.json(&["transcript", "search", "ақпарат"]);
    assert_eq!(hits["hits"].as_array().unwrap().len(), 1);
    let hits = e.json(&["transcript", "search", "ЕРЛАН"]);
    assert_eq!(hits["hits"][0]["line"], 2);
    let hits = e.json(&["transcript", "search", "golos"]);
    assert_eq!(hits["hits"][0]["field"], "translation");
    assert!(e
        .ok(&["transcript", "search", "ерлан"])
        .contains("transcript 1 line 2"));
}

#[test]
fn excerpts_and_audit_chain() {
    let e = Env::new();
    let id = e.person(&["--name", "Жанар Абдрахманова"]);
    let ru = e.write("in/a.txt", RU);
    e.json(&[
        "transcript",
        "import",
        ru.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-20",
        "--lang",
        "ru",
    ]);
    let x = e.json(&[
        "excerpt", "add", "1", "--lines", "2-4", "--tag", "police", "--tag", "funding", "--note",
        "n",
    ]);
    let xid = x["id"].to_string();
    e.json(&["excerpt", "add", "1", "--all"]);
    assert_eq!(
        e.json(&["excerpt", "list", "--tag", "police"])["excerpts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    e.ok(&[
        "excerpt",
        "edit",
        &xid,
        "--lines",
        "4",
        "--remove-tag",
        "funding",
    ]);
    let shown = e.json(&["excerpt", "show", &xid, "--redacted"]);
    assert_eq!(shown["turns"].as_array().unwrap().len(), 1);
    e.ok(&["excerpt", "remove", &xid]);
    let err = e.fail(&["excerpt", "show", &xid]);
    assert!(err.contains("no excerpt"), "{err}");
    let audit = e.json(&["audit", "show"]);
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "init",
            "person add",
            "transcript import",
            "excerpt add",
            "excerpt add",
            "excerpt edit",
            "excerpt remove"
        ]
    );
    assert_eq!(e.json(&["audit", "verify"])["verified"], 7);
}

#[test]
fn batch_import_from_a_manifest_is_all_or_nothing() {
    let e = Env::new();
    let id = e.person(&["--name", "Жанар Абдрахманова"]);
    e.write("in/a.txt", RU);
    e.write("in/a.en.txt", EN);
    e.write("in/b.txt", "Интервьюер: Вопрос.\nРеспондент: Ответ.\n");
    e.write("in/bad.docx", "this is not a zip");
    let good = e.write("in/good.csv", format!("file,translation,persons,date,lang\na.txt,a.en.txt,{id},2021-05-20,ru\nb.txt,,{id},2021-05-21,ru\n"));
    let bad = e.write("in/bad.csv", format!("file,translation,persons,date,lang\nb.txt,,{id},2021-05-21,ru\nbad.docx,,{id},2021-05-22,ru\n"));
    let before = e.vault_bytes();
    let err = e.fail(&["transcript", "import", "--manifest", bad.to_str().unwrap()]);
    assert!(err.contains("bad.docx"), "{err}");
    assert_eq!(before, e.vault_bytes(), "nothing imported");
    let v = e.json(&["transcript", "import", "--manifest", good.to_str().unwrap()]);
    assert_eq!(v["transcripts"].as_array().unwrap().len(), 2);
}

#[test]
fn purge_after_withdrawal_removes_data_keeps_pseudonym_and_scrubs_mentions() {
    let e = Env::new();
    let a = e.person(&[
        "--name",
        "Сапарова Айгерим Болатовна",
        "--phone",
        "+7 701 482 19 37",
    ]);
    let b = e.person(&["--name", "Жумабаев Ерлан Сейткалиевич"]);
    let ra = e.write("in/a.txt", RU);
    e.json(&[
        "transcript",
        "import",
        ra.to_str().unwrap(),
        "--person",
        &a,
        "--date",
        "2021-03-14",
        "--lang",
        "ru",
    ]);
    let rb = e.write(
        "in/b.txt",
        "Интервьюер: Кто помогал?\nРеспондент: Айгерим Сапарова из Алматы, и ещё Дина.\n",
    );
    e.json(&[
        "transcript",
        "import",
        rb.to_str().unwrap(),
        "--person",
        &b,
        "--date",
        "2021-04-02",
        "--lang",
        "ru",
    ]);
    e.json(&["excerpt", "add", "1", "--all"]);
    e.ok(&["consent", "withdraw", &a, "--date", "2021-09-01"]);
    e.fail(&["person", "purge", &a]); // no terminal, no --yes
    let v = e.json(&["person", "purge", &a, "--yes"]);
    assert_eq!(v["transcripts"].as_array().unwrap().len(), 1);
    assert!(v["mentions_scrubbed"].as_u64().unwrap() >= 1);
    let show = e.json(&["person", "show", &a]);
    assert!(show["person"]["name"].is_null());
    assert!(show["person"]["contacts"].as_array().unwrap().is_empty());
    let t = e.json(&["transcript", "show", "2"]);
    let text = t["turns"][1]["text"].as_str().unwrap();
    assert!(
        !text.contains("Сапарова") && !text.contains("Айгерим") && text.contains("[Respondent 1]"),
        "{text}"
    );
    assert!(e
        .fail(&[
            "consent",
            "record",
            &a,
            "--date",
            "2022-01-01",
            "--method",
            "written",
            "--recording",
            "yes",
            "--quotes",
            "yes",
            "--attribution",
            "anonymous"
        ])
        .contains("purged"));
    // The pseudonym is never given again.
    assert_eq!(
        e.json(&["person", "add", "--name", "Новый Человек"])["pseudonym"],
        "Respondent 3"
    );
    assert_eq!(
        e.json(&["audit", "show"])["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["action"] == "person purge")
            .count(),
        1
    );
}

#[test]
fn evidence_comes_back_only_if_it_is_the_recorded_file() {
    let e = Env::new();
    let id = e.person(&["--name", "Дина Ким"]);
    let ev = e.write("in/form.pdf", b"%PDF-1.4 signed consent form");
    e.ok(&[
        "consent",
        "record",
        &id,
        "--date",
        "2021-08-19",
        "--method",
        "written",
        "--recording",
        "yes",
        "--quotes",
        "yes",
        "--attribution",
        "pseudonym",
        "--evidence",
        ev.to_str().unwrap(),
    ]);
    let shown = e.json(&["consent", "show", &id]);
    let att = shown["history"][0]["evidence"][0]["attachment_id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = e.path("out/form.pdf");
    e.ok(&["consent", "evidence", &att, "--out", out.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        b"%PDF-1.4 signed consent form"
    );
    assert!(e
        .fail(&["consent", "evidence", &att, "--out", out.to_str().unwrap()])
        .contains("already exists"));
    assert!(e
        .fail(&[
            "consent",
            "evidence",
            "nope",
            "--out",
            e.path("out/x").to_str().unwrap()
        ])
        .contains("no evidence file"));
}

#[test]
fn docx_import_and_transcript_removal() {
    use std::io::Write;
    let e = Env::new();
    let id = e.person(&["--name", "Жанар Абдрахманова"]);
    let p = e.path("in/t.docx");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).unwrap();
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
        z.start_file("word/document.xml", o).unwrap();
        let body = "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Сұхбаттасушы:</w:t></w:r><w:r><w:t xml:space=\"preserve\"> Сәлеметсіз бе?</w:t></w:r></w:p>\
                    <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Респондент:</w:t></w:r><w:r><w:t xml:space=\"preserve\"> Сәлеметсіз бе, ауылда су жоқ.</w:t></w:r></w:p>";
        write!(z, r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).unwrap();
        z.finish().unwrap();
    }
    let t = e.json(&[
        "transcript",
        "import",
        p.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-20",
        "--lang",
        "kk",
    ]);
    assert_eq!(t["turns"], 2);
    let shown = e.json(&["transcript", "show", "1"]);
    assert_eq!(shown["turns"][1]["speaker"], "Респондент");
    assert_eq!(shown["turns"][1]["text"], "Сәлеметсіз бе, ауылда су жоқ.");
    e.json(&["excerpt", "add", "1", "--all"]);
    e.fail(&["transcript", "remove", "1"]);
    e.ok(&["transcript", "remove", "1", "--yes"]);
    assert!(e.json(&["excerpt", "list"])["excerpts"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(e.json(&["transcript", "search", "ауылда"])["hits"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn purge_leaves_no_trace_in_labels_notes_or_the_database_image() {
    use std::io::Read;
    let e = Env::new();
    let a = e.person(&["--name", "Сапарова Айгерим Болатовна"]);
    let b = e.person(&[
        "--name",
        "Жумабаев Ерлан",
        "--descriptor",
        "colleague of Сапарова",
    ]);
    let t = e.write(
        "in/b.txt",
        "Сапарова: Я тоже была там.\nРеспондент: Айгерим Сапарова помогала.\n",
    );
    e.json(&[
        "transcript",
        "import",
        t.to_str().unwrap(),
        "--person",
        &b,
        "--date",
        "2021-04-02",
        "--lang",
        "ru",
    ]);
    e.json(&[
        "excerpt",
        "add",
        "1",
        "--all",
        "--note",
        "ask Сапарова about the march",
    ]);
    e.ok(&["person", "purge", &a, "--yes"]);
    let id = age::x25519::Identity::generate();
    let backup = e.path("out/b.age");
    e.ok(&[
        "backup",
        "--out",
        backup.to_str().unwrap(),
        "--recipient",
        &id.to_public().to_string(),
    ]);
    let dec = age::Decryptor::new(std::fs::File::open(&backup).unwrap()).unwrap();
    let mut image = Vec::new();
    dec.decrypt(std::iter::once(&id as &dyn age::Identity))
        .unwrap()
        .read_to_end(&mut image)
        .unwrap();
    for gone in ["Сапарова", "Сапаровой", "Айгерим"] {
        assert!(
            !image.windows(gone.len()).any(|w| w == gone.as_bytes()),
            "{gone} survives in the database image"
        );
    }
    let shown = e.json(&["transcript", "show", "1"]);
    assert_eq!(shown["turns"][0]["speaker"], "[Respondent 1]");
}

#[test]
fn an_allowed_word_never_unprotects_a_registered_person() {
    let e = Env::new();
    e.ok(&["term", "allow", "Нурсултан"]);
    e.person(&["--name", "Нурсултан Ахметов"]);
    assert!(e
        .fail(&["term", "allow", "нурсултан ахметов"])
        .contains("Respondent 1"));
    let f = e.write(
        "in/t.txt",
        "Нурсултан сказал, что Нурсултана вызывали в акимат.\n",
    );
    let out = e.ok(&["redact", f.to_str().unwrap()]);
    assert!(!out.contains("Нурсултан"), "{out}");
}

#[test]
fn withdrawals_that_change_nothing_are_refused() {
    let e = Env::new();
    let id = e.person(&["--name", "Дина Ким"]);
    e.ok(&[
        "consent",
        "record",
        &id,
        "--date",
        "2021-06-10",
        "--method",
        "written",
        "--recording",
        "yes",
        "--quotes",
        "yes",
        "--attribution",
        "pseudonym",
    ]);
    let before = e.vault_bytes();
    assert!(e
        .fail(&["consent", "withdraw", &id, "--date", "2021-06-01"])
        .contains("would change nothing"));
    assert!(e
        .fail(&[
            "consent",
            "record",
            &id,
            "--date",
            "2999-01-01",
            "--method",
            "written",
            "--recording",
            "yes",
            "--quotes",
            "yes",
            "--attribution",
            "named"
        ])
        .contains("future"));
    assert_eq!(before, e.vault_bytes());
}

#[test]
fn a_translation_with_other_turns_is_refused_unless_aligned_by_position() {
    let e = Env::new();
    let id = e.person(&["--name", "Жанар Абдрахманова"]);
    let ru = e.write("in/a.txt", RU);
    let short = e.write(
        "in/a.en.txt",
        "Interviewer: Tell me how it all started.\nRespondent: In 2016 we started.\n",
    );
    let args = [
        "transcript",
        "import",
        ru.to_str().unwrap(),
        "--translation",
        short.to_str().unwrap(),
        "--person",
        &id,
        "--date",
        "2021-05-20",
        "--lang",
        "ru",
    ];
    let err = e.fail(&args);
    assert!(err.contains("--align-by-position"), "{err}");
    let mut with = args.to_vec();
    with.push("--align-by-position");
    assert_eq!(e.json(&with)["turns"], 4);
    let shown = e.json(&["transcript", "show", "1"]);
    assert_eq!(shown["turns"][1]["translation"], "In 2016 we started.");
    assert!(shown["turns"][3]["translation"].is_null());
}
