//! Partial and mixed mentions of registered terms (the distinctive word of
//! a company name alone, its business word translated, a camel-case name
//! written apart, derived words of a village), Kazakh pet forms of names,
//! numbered districts in addresses, and the unregistered-name signals that
//! rest on context (a given name before a surname, naming words, other
//! forms of a proven name). Every name here is invented for the test; none
//! comes from an evaluation corpus.

use fieldvault_redact::{
    leak_check, redact, Lexicon, LexiconSource, PersonSource, RedactOptions, TermKind, TermSource,
};

fn person(key: &str, n: usize, name: &str, aliases: &[&str]) -> PersonSource {
    PersonSource {
        key: key.into(),
        replacement: format!("[Respondent {n}]"),
        name: name.into(),
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn lex(persons: Vec<PersonSource>, terms: &[(&str, TermKind)]) -> Lexicon {
    Lexicon::build(&LexiconSource {
        persons,
        terms: terms
            .iter()
            .enumerate()
            .map(|(i, (t, k))| TermSource {
                key: format!("t{i}"),
                text: t.to_string(),
                kind: *k,
                replacement: k.default_replacement().into(),
            })
            .collect(),
        allow: vec![],
    })
}

fn out(l: &Lexicon, text: &str) -> String {
    let r = redact(l, text, &RedactOptions::default());
    assert!(
        leak_check(l, &r.text).is_empty(),
        "leak check after redaction of {text:?}: {:?}",
        r.text
    );
    r.text
}

/// Asserts that each word of `gone` was replaced and each of `kept` is
/// still in the output.
fn check(l: &Lexicon, text: &str, gone: &[&str], kept: &[&str]) {
    let o = out(l, text);
    for g in gone {
        assert!(!o.contains(g), "{g:?} survived in {o:?}");
    }
    for k in kept {
        assert!(o.contains(k), "{k:?} lost in {o:?}");
    }
}

#[test]
fn a_company_name_by_its_distinctive_word_and_translated_business_word() {
    let l = lex(
        vec![],
        &[
            ("Сарыжал Холдинг", TermKind::Org),
            ("Ақтұмар Консалтинг", TermKind::Other),
        ],
    );
    check(
        &l,
        "«Сарыжал Холдингтің» адамдары келді. Сарыжалдың кеңсесі жабық. \
         Saryzhal Holding, the Saryzhal people, Sarijal Holding's lawyers. \
         Ақтұмар Консалтингке бардық, Aktumar Consulting said no.",
        &[
            "Сарыжал",
            "Холдинг",
            "Saryzhal",
            "Sarijal",
            "Ақтұмар",
            "Консалтинг",
            "Aktumar",
            "Consulting",
        ],
        &[],
    );
}

#[test]
fn a_legal_form_in_the_registration_is_optional_in_text() {
    let l = lex(vec![], &[("ТОО «Қызылжар Агро»", TermKind::Org)]);
    check(
        &l,
        "Работал в «Қызылжар Агро», потом Қызылжарда. ТОО «Қызылжар Агро» закрылось.",
        &["Қызылжар"],
        &[],
    );
}

#[test]
fn the_distinctive_word_alone_yields_to_cities_and_ordinary_words() {
    // A company named after a city, or starting with an ordinary word
    // ("west", "new"), is not named by that word alone.
    let l = lex(
        vec![],
        &[
            ("Павлодар Сервис", TermKind::Org),
            ("Шығыс Ойл", TermKind::Org),
            ("Жасыл алаң", TermKind::Org),
        ],
    );
    check(
        &l,
        "Я живу в Павлодаре, работаю в «Павлодар Сервисе». Шығыс елдері бай. \
         Мы были в «Шығыс Ойл». Жасыл ағаштар.",
        &["Павлодар Сервисе", "Шығыс Ойл"],
        &["Павлодаре", "Шығыс елдері", "Жасыл ағаштар"],
    );
}

#[test]
fn a_camel_case_name_matches_written_apart() {
    let l = lex(vec![], &[("ТалдыСуТрейд", TermKind::Org)]);
    check(
        &l,
        "В «ТалдыСуТрейде» и в Talday? Нет: Taldy Su Trade, Талды Су Трейд.",
        &["ТалдыСуТрейд", "Taldy Su Trade", "Талды Су Трейд"],
        &["Talday"],
    );
}

#[test]
fn a_village_names_itself_through_a_derivational_suffix() {
    // Unlike a person's name (Азат / Азаттық), a place stays a place with
    // -лық: "Ақтерек people".
    let l = lex(vec![], &[("Ақтерек", TermKind::Place)]);
    check(
        &l,
        "Ақтереклік әйелдер келді. Ақтереліктер де, Ақтерекліктерге айттым.",
        &["Ақтереклік", "Ақтерекліктерге"],
        &["Ақтереліктер"],
    );
    // And a Russian adjective made from it.
    check(
        &l,
        "Ақтерекский сельский округ, в Ақтерекской школе.",
        &["Ақтерекский", "Ақтерекской"],
        &["сельский"],
    );
    // Derived words are written in lower case inside a sentence.
    check(
        &l,
        "Біз ақтерекліктерміз, мен ақтереклікпін. Там ақтерекские жители. Ақ терек өсті.",
        &["ақтерекліктерміз", "ақтереклікпін", "ақтерекские"],
        &["Ақ терек өсті"],
    );
    let l = lex(vec![], &[("Сарыбас", TermKind::Place)]);
    check(
        &l,
        "Сарыбасский округ, сарыбасские жители.",
        &["Сарыбасский", "сарыбасские"],
        &["округ", "жители"],
    );
    // A built-in city keeps its derived words too.
    let l = lex(vec![], &[]);
    check(
        &l,
        "Біз алматылықтармыз, Алматылықтар.",
        &[],
        &["Алматылықтар"],
    );
}

#[test]
fn kazakh_pet_forms_of_an_open_first_syllable() {
    let l = lex(
        vec![
            person("p", 1, "Оразова Мәдина Серікқызы", &[]),
            person("q", 2, "Бекұлы Бөрібай", &[]),
        ],
        &[],
    );
    check(
        &l,
        "Ауылда мені Мәке дейді. They call her Mäke. Бөке келді, Böke's car.",
        &["Мәке", "Mäke", "Бөке", "Böke"],
        &[],
    );
    // Not from a Russian name, and not English words in capitals.
    let l = lex(vec![person("p", 1, "Смирнова Татьяна", &[])], &[]);
    check(&l, "Take it. Make sure.", &[], &["Take it", "Make sure"]);
}

#[test]
fn a_russian_spelling_of_a_kazakh_name_gets_kazakh_pet_forms() {
    // Мянсия is written with я for the Kazakh ә: Мәнсияжан, Мәке.
    let l = lex(vec![person("p", 1, "Сейтова Мянсия", &[])], &[]);
    check(
        &l,
        "Апам «Мәнсияжан» дейді, ал көршілер Мәке дейді.",
        &["Мәнсияжан", "Мәке"],
        &[],
    );
}

#[test]
fn dictionary_short_forms_of_russian_names() {
    let l = lex(vec![person("p", 1, "Орлов Евгений Павлович", &[])], &[]);
    check(
        &l,
        "Друзья зовут его Жека, in English Zheka.",
        &["Жека", "Zheka"],
        &[],
    );
    // A Russian stem needs an ending: "Джек" is not Жека.
    check(
        &l,
        "Читал Джека Лондона, а Джек не читал.",
        &["Джека"],
        &["Джек не"],
    );
}

#[test]
fn ukrainian_surnames_are_surnames() {
    // No nicknames from a surname in -енко/-чук taken for a given name.
    let l = lex(
        vec![person("p", 1, "Оксана Петренко", &["Oksana Petrenko"])],
        &[],
    );
    check(
        &l,
        "Петренко пришла. Petrenko came. Pet shop.",
        &["Петренко", "Petrenko"],
        &["Pet shop"],
    );
}

#[test]
fn numbered_districts_with_a_home_are_addresses() {
    let l = lex(vec![], &[]);
    check(
        &l,
        "Живу в мкр. 8, д. 31, кв. 7. I live in microdistrict 8, building 31, apartment 7. \
         В мкр. 8 построили школу.",
        &[
            "мкр. 8, д. 31, кв. 7",
            "microdistrict 8, building 31, apartment 7",
        ],
        &["В мкр. 8 построили"],
    );
}

#[test]
fn a_given_name_before_a_surname_and_its_other_forms() {
    let l = lex(vec![], &[]);
    let o = out(
        &l,
        "Например, Ерсайын Темірбаев, студент. Ерсайынға он күн берді. \
         Ерсайына позвонили. For example, Yersaiyn Temirbayev. Yersaiyn's case.",
    );
    assert!(!o.contains("Ерсайын") && !o.contains("Темірбаев"), "{o}");
    assert!(!o.contains("Yersaiyn") && !o.contains("Temirbayev"), "{o}");
    // Not adjectives before an adjective-like word, not English -ine words.
    let l = lex(vec![], &[]);
    check(
        &l,
        "Это Южные Сандвичевы острова, Соломоновы Острова. The Broadband Engine works.",
        &[],
        &["Южные Сандвичевы", "Соломоновы Острова", "Broadband Engine"],
    );
}

#[test]
fn a_surname_proven_private_is_private_everywhere() {
    // A public figure shares the surname (Назарбаева), but a title made it
    // a private person: its other occurrences go too.
    let l = lex(vec![], &[]);
    check(
        &l,
        "Пришёл майор Назарбаев. Назарбаев был вежлив, с Назарбаевым мы говорили.",
        &["Назарбаев был", "Назарбаевым"],
        &[],
    );
    // A word after a title that is no surname proves less.
    check(
        &l,
        "Он депутат Мажилиса. Мажилис принял закон.",
        &[],
        &["Мажилис принял"],
    );
}

#[test]
fn naming_words_introduce_a_name() {
    let l = lex(vec![], &[]);
    check(
        &l,
        "Әкімдіктен Сейдахметов деген кісі келді. A man called Seidakhmetov came. \
         Пришёл некий Абдыкадыров.",
        &["Сейдахметов", "Seidakhmetov", "Абдыкадыров"],
        &[],
    );
    // "the word Арман" is a word.
    check(&l, "Арман деген сөз.", &[], &["Арман деген сөз"]);
}

#[test]
fn an_honorific_after_a_name_at_a_sentence_start() {
    let l = lex(vec![], &[]);
    check(
        &l,
        "Мектепте Зәмзәгүл апа жұмыс істейді. Зәмзәгүл апа айтты. Qaliman-apa says.",
        &["Зәмзәгүл", "Qaliman"],
        &[],
    );
}

#[test]
fn case_forms_at_a_sentence_start_when_the_name_is_in_the_text() {
    let l = lex(vec![], &[]);
    check(
        &l,
        "У меня сын, Тимур, ему пять. Тимуру я говорю правду. Ширина улицы десять метров.",
        &["Тимуру"],
        &["Ширина"],
    );
    // Names in -ия decline on the и.
    check(
        &l,
        "Жена моя, Сания, дома. Я звонил Сание.",
        &["Сание"],
        &[],
    );
}

#[test]
fn a_kinship_noun_with_a_possessive_is_not_a_name() {
    // Женя is registered, and "Жене моей" at a sentence start is "to my
    // wife"; inside a sentence, or without the possessive, it is Женя.
    let l = lex(vec![person("p", 1, "Орлов Евгений", &["Женя"])], &[]);
    let o = out(&l, "Жене моей звонили. Я сказал Жене. Жене звонили.");
    assert_eq!(
        o,
        "Жене моей звонили. Я сказал [Respondent 1]. [Respondent 1] звонили."
    );
}

#[test]
fn a_given_name_before_a_name_particle_is_a_foreign_figure() {
    let l = lex(vec![], &[]);
    check(
        &l,
        "Ты не Жанна д'Арк, и не Леонардо да Винчи. А Марина пришла.",
        &["Марина"],
        &["Жанна д'Арк"],
    );
}

#[test]
fn a_surname_in_ko_beside_a_given_name() {
    let l = lex(vec![], &[]);
    check(
        &l,
        "Бухгалтерию ведёт Олег Бойко, Oleg Boiko too.",
        &["Бойко", "Boiko"],
        &[],
    );
}

#[test]
fn kazakh_predicative_endings_after_a_name() {
    // "I am Ерсұлтан", "we are from Ақтерек".
    let l = lex(
        vec![person("p", 1, "Ерсұлтан Бекбосын", &[])],
        &[("Ақтерек", TermKind::Place)],
    );
    check(
        &l,
        "Мен Ерсұлтанмын. Біз Ақтерекпіз.",
        &["Ерсұлтан", "Ақтерек"],
        &[],
    );
}
