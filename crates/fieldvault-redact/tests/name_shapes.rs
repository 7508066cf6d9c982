//! Name shapes real text has and the interview corpora did not (issue 8,
//! item 3), and ordinary words the rules must leave alone (item 4): one
//! test per rule, through the public API, with Kazakh sentences for the
//! Kazakh rules.

use fieldvault_redact::{redact, Lexicon, LexiconSource, PersonSource, RedactOptions};

fn lex(names: &[(&str, &[&str])]) -> Lexicon {
    Lexicon::build(&LexiconSource {
        persons: names
            .iter()
            .enumerate()
            .map(|(i, (n, a))| PersonSource {
                key: format!("p{i}"),
                replacement: format!("[Respondent {}]", i + 1),
                name: n.to_string(),
                aliases: a.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            })
            .collect(),
        terms: vec![],
        allow: vec![],
    })
}

fn out(l: &Lexicon, text: &str) -> String {
    redact(l, text, &RedactOptions::default()).text
}

/// Asserts that none of `gone` survives and all of `kept` do.
fn check(name: &str, text: &str, gone: &[&str], kept: &[&str]) {
    let l = lex(&[(name, &[])]);
    let o = out(&l, text);
    for g in gone {
        assert!(
            !o.split(|c: char| !c.is_alphanumeric()).any(|w| w == *g),
            "{g} survived: {o}"
        );
    }
    for k in kept {
        assert!(o.contains(k), "{k} was redacted: {o}");
    }
}

#[test]
fn a_short_foreign_name_in_a_declines_as_a_noun() {
    check(
        "Иза Ким",
        "Я видел Изы дом. Говорил с Изе. Знаю Изу. Была с Изой.",
        &["Изы", "Изе", "Изу", "Изой"],
        &["видел", "дом"],
    );
    check(
        "Ямадаев Иса",
        "Покушение на Ису. Исы нет. С Исой говорили.",
        &["Ису", "Исы", "Исой"],
        &["Покушение"],
    );
}

#[test]
fn particles_inside_a_name_go_with_it() {
    check(
        "Жермена де Сталь",
        "книга де Сталь вышла",
        &["де", "Сталь"],
        &["книга", "вышла"],
    );
    check(
        "Карл фон Вебер",
        "сказал фон Вебер вчера",
        &["фон", "Вебер"],
        &["сказал", "вчера"],
    );
    check(
        "ибн Эзра",
        "в работах ибн Эзра",
        &["ибн", "Эзра"],
        &["работах"],
    );
    check(
        "аль-Хадж Сами",
        "Сами аль-Хадж (Sami al-Haj) сидит",
        &["аль", "Хадж", "al", "Haj", "Sami"],
        &["сидит", "(["],
    );
    check(
        "Усама бин Ладен",
        "лидера Усамы бин Ладена.",
        &["бин", "Ладена", "Усамы"],
        &["лидера"],
    );
}

#[test]
fn a_particle_alone_is_an_ordinary_word() {
    // Kazakh "де" (also), Russian "да", "фон" (background): not the name.
    check(
        "Жермена де Сталь",
        "Ол да келді, біз де бардық.",
        &[],
        &["Ол да келді, біз де бардық."],
    );
    check(
        "Карл фон Вебер",
        "Серый фон картины.",
        &[],
        &["Серый фон картины."],
    );
}

#[test]
fn a_kazakh_honorific_inside_a_name_goes_with_it() {
    check(
        "Наурызбай қажы Тағанұлы",
        "Кеше Наурызбай қажы Тағанұлы мешітке келді.",
        &["Наурызбай", "қажы", "Тағанұлы"],
        &["Кеше", "мешітке келді."],
    );
    // The honorific alone is the word for a pilgrim.
    check(
        "Наурызбай қажы Тағанұлы",
        "Ол қажы болды.",
        &[],
        &["Ол қажы болды."],
    );
}

#[test]
fn spelling_variants_of_foreign_names() {
    check(
        "Дэниэл Смит",
        "Даниэл пришёл. Дэниэла нет. Daniel Smith.",
        &["Даниэл", "Дэниэла", "Daniel", "Smith"],
        &["пришёл", "нет"],
    );
    check("Бенер Джон", "Бонер объявил.", &["Бонер"], &["объявил"]);
    check(
        "Саймон Джоэл",
        "Джоэл Саймон (Joel Simon) сказал",
        &["Simon", "Joel", "Саймон"],
        &["сказал"],
    );
    check(
        "Хоровитц Скотт",
        "Скотт Хоровитц (Scott Horowitz) и Хоровица",
        &["Horowitz", "Хоровица"],
        &[],
    );
    check(
        "Лоуенкрон Барри",
        "Барри Лоуенкрон (Barry Lowenkron) сказал",
        &["Lowenkron"],
        &["сказал"],
    );
}

#[test]
fn parts_of_compound_given_names() {
    let l = lex(&[("Жан-Поль Сартр", &[])]);
    let o = out(&l, "Жан пришёл. Поль ушёл. Книга Жан-Поля.");
    assert_eq!(
        o,
        "[Respondent 1] пришёл. [Respondent 1] ушёл. Книга [Respondent 1]."
    );
    check(
        "Андерс Фог Расмуссен",
        "Фог сказал. Расмуссена нет. Андерсу позвонили.",
        &["Фог", "Расмуссена", "Андерсу"],
        &["сказал"],
    );
}

#[test]
fn a_registered_lowercase_handle_is_found_as_a_bare_word() {
    check(
        "zyalt",
        "Пользователь ЖЖ zyalt сообщает, что Zyalt прав.",
        &["zyalt", "Zyalt"],
        &["Пользователь", "сообщает"],
    );
    let l = lex(&[("Иван Петров", &["tiphareth"])]);
    let o = out(&l, "Пишет tiphareth в блоге.");
    assert!(!o.contains("tiphareth"), "{o}");
}

#[test]
fn kazakh_pet_forms_from_a_truncated_stem() {
    check(
        "Үміт Серікова",
        "Үміш келді. Үмішке айттым. Үмішпен сөйлестім.",
        &["Үміш", "Үмішке", "Үмішпен"],
        &["келді", "айттым"],
    );
    check(
        "Ақмарал Жұмабаева",
        "Ақаш үйде. Ақашқа хат жаздым.",
        &["Ақаш", "Ақашқа"],
        &["үйде"],
    );
}

#[test]
fn what_a_title_governs_is_not_an_unregistered_name() {
    check(
        "Иванов Пётр",
        "Выступил директор Российского института культурологии. Депутат Госдумы промолчал. \
         Ректор Университета ответил. Решение директор Совета отменил.",
        &[],
        &["Российского", "Госдумы", "Университета", "Совета"],
    );
    // A name after a title is still a name, a Kazakh surname in -ұлы or
    // -қызы included (they end in ы, like the genitive of Госдума).
    let l = lex(&[]);
    for (text, name) in [
        ("Вчера следователь Жакупов ушёл.", "Жакупов"),
        ("Кеше депутат Тағанұлы келді.", "Тағанұлы"),
        ("Кеше судья Сейітқызы сөйледі.", "Сейітқызы"),
    ] {
        let o = out(&l, text);
        assert!(!o.contains(name), "{o}");
    }
}
