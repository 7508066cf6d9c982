//! Rules of word formation and spelling that decide whether a word is a
//! form of a registered name or another word: Kazakh suffixes after a final
//! у/ю/й/и, affectionate forms, short diminutives, scholarly Latin
//! spellings, surname paradigms, derivational suffixes, and the
//! unregistered-name signals around them. Every name here is invented for
//! the test; none comes from an evaluation corpus.

use fieldvault_redact::{
    redact, Lexicon, LexiconSource, MatchForm, PersonSource, Reason, RedactOptions, TermKind,
    TermSource,
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

fn lex(persons: Vec<PersonSource>, terms: &[(&str, TermKind)], allow: &[&str]) -> Lexicon {
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
        allow: allow.iter().map(|s| s.to_string()).collect(),
    })
}

fn out(l: &Lexicon, text: &str) -> String {
    redact(l, text, &RedactOptions::default()).text
}

/// Asserts that each word of `gone` was replaced and each of `kept` is
/// still in the output.
fn check(l: &Lexicon, text: &str, gone: &[&str], kept: &[&str]) {
    let o = out(l, text);
    for g in gone {
        let bounded = o.split(|c: char| !c.is_alphanumeric()).any(|w| w == *g);
        assert!(!bounded, "{g:?} survived in {o:?}");
    }
    for k in kept {
        assert!(o.contains(k), "{k:?} lost in {o:?}");
    }
}

#[test]
fn kazakh_suffixes_after_a_final_u_glide() {
    // у is the glide /w/: the genitive, accusative, locative and ablative
    // take the consonant allomorphs of a sonorant.
    let l = lex(
        vec![person("p", 1, "Бекова Ақсулу Ерланқызы", &[])],
        &[
            ("Ақжайлау", TermKind::Place),
            ("Әділ таңдау", TermKind::Org),
        ],
        &[],
    );
    let forms = [
        "Ақсулудың",
        "Ақсулуды",
        "Ақсулуда",
        "Ақсулудан",
        "Ақсулуға",
        "Ақсулумен",
        "Ақсулулар",
        "Ақсулуның",
        "Aqsuludyñ",
        "Ақжайлаудың",
        "Ақжайлауда",
        "Ақжайлаудан",
        "Ақжайлауға",
    ];
    check(&l, &forms.join(", "), &forms, &[]);
    let o = out(&l, "«Әділ таңдаудың» бақылаушылары, Әділ таңдауға хат.");
    assert_eq!(o, "«[organisation]» бақылаушылары, [organisation] хат.");
}

#[test]
fn kazakh_suffixes_after_a_final_glide_i_and_yu() {
    let l = lex(
        vec![
            person("p", 1, "Нұрали Сәрсенов", &[]),
            person("q", 2, "Ақбай Темірұлы", &[]),
        ],
        &[],
        &[],
    );
    let forms = [
        "Нұралидың",
        "Нұралиды",
        "Нұралиға",
        "Нұралиден",
        "Ақбайдың",
        "Ақбайды",
        "Ақбайға",
        "Ақбайдан",
        "Ақбаймен",
    ];
    check(&l, &forms.join(" "), &forms, &[]);
}

#[test]
fn affectionate_ke_forms_close_the_syllable_on_a_glide() {
    // Дәу-ке, Тәу-ке: the у closes the first syllable like a consonant.
    let l = lex(
        vec![
            person("p", 1, "Дәурен Сейітов", &[]),
            person("q", 2, "Тәуекел Омаров", &[]),
        ],
        &[],
        &[],
    );
    check(
        &l,
        "Әйелі «Дәуке, жетер» дейді. Dauke laughed. Тәуке келді.",
        &["Дәуке", "Dauke", "Тәуке"],
        &["жетер", "laughed"],
    );
}

#[test]
fn short_ik_diminutives_of_vowel_initial_names() {
    // As- and Al- are first syllables, not the stems of Asia or Alia.
    let l = lex(
        vec![
            person("p", 1, "Асет Нуров", &[]),
            person("q", 2, "Алмас Бекенов", &[]),
        ],
        &[],
        &[],
    );
    check(
        &l,
        "Мама звала его Асик, друзья Asik, а брата Алик.",
        &["Асик", "Asik", "Алик"],
        &[],
    );
    // The places keep their own forms.
    check(
        &l,
        "В Азии и в России, Азией, Russia and Asia.",
        &[],
        &["Азии", "России", "Азией", "Russia", "Asia"],
    );
}

#[test]
fn scholarly_latin_spellings_of_registered_names() {
    let l = lex(
        vec![
            person("p", 1, "Кравцова Ольга Петровна", &[]),
            person("q", 2, "Шараева Айман", &[]),
            person("r", 3, "Рахимов Тимур", &[]),
            person("s", 4, "Бурабаев Нұрболат", &[]),
        ],
        &[],
        &[],
    );
    check(
        &l,
        "Quoted by Kravcova, Šarajeva and Sharajeva, Raximov, Bourabaev and Nourbolat; also Kravcovoj.",
        &[
            "Kravcova",
            "Šarajeva",
            "Sharajeva",
            "Raximov",
            "Bourabaev",
            "Nourbolat",
            "Kravcovoj",
        ],
        &["Quoted"],
    );
}

#[test]
fn scholarly_reading_leaves_english_words() {
    let l = lex(
        vec![
            person("p", 1, "Есенов Бақыт", &[]),
            person("q", 2, "Арман Жолдасов", &[]),
            person("r", 3, "Соулов Курт", &[]),
        ],
        &[],
        &[],
    );
    let t = "The Essence of Baxter, Jarman and Jesus: a Box, a Court, a Soul, the Jury.";
    let o = redact(
        &l,
        t,
        &RedactOptions {
            unregistered_names: false,
            ..Default::default()
        },
    );
    assert_eq!(o.text, t);
}

#[test]
fn surnames_decline_within_their_own_formant() {
    let l = lex(
        vec![
            person("p", 1, "Соколова Дарья", &[]),
            person("q", 2, "Мухин Олег", &[]),
            person("r", 3, "Жансеитов Ерлан", &[]),
        ],
        &[],
        &[],
    );
    let o = redact(
        &l,
        "Соколовой, Соколовых, Соколовтың; Мухину, Мухиным; Жансеитовқа. \
         Улица Сокольская, метро Сокольники, писатель Сокольский; Мухов; Жансеитин.",
        &RedactOptions {
            unregistered_names: false,
            ..Default::default()
        },
    )
    .text;
    assert_eq!(
        o,
        "[Respondent 1], [Respondent 1], [Respondent 1]; [Respondent 2], [Respondent 2]; [Respondent 3]. \
         Улица Сокольская, метро Сокольники, писатель Сокольский; Мухов; Жансеитин."
    );
}

#[test]
fn a_given_name_does_not_take_surname_formants() {
    // Ерланов, Ерланова are the family of someone's father Ерлан: other
    // people. The name itself declines.
    let l = lex(vec![person("p", 1, "Ерлан Сапаров", &[])], &[], &[]);
    let o = redact(
        &l,
        "Ерлану, Ерланом, Ерланға, Ерланның. Ерланов и Ерланова пришли.",
        &RedactOptions {
            unregistered_names: false,
            ..Default::default()
        },
    )
    .text;
    assert_eq!(
        o,
        "[Respondent 1], [Respondent 1], [Respondent 1], [Respondent 1]. Ерланов и Ерланова пришли."
    );
}

#[test]
fn derivational_suffixes_make_another_word() {
    // бостан "free" → Бостандық "freedom"; нұр → Нұрлы (another name).
    let l = lex(
        vec![
            person("p", 1, "Бостан Ахметов", &[]),
            person("q", 2, "Нұр Сейітов", &[]),
        ],
        &[],
        &[],
    );
    let t = "Бостандық алаңында. «Бостандық» газеті, Бостандықтың тарихы. \
             Бостанға, Бостанның, Бостансыз. Нұрлы жол, Нұрға.";
    let r = redact(
        &l,
        t,
        &RedactOptions {
            unregistered_names: false,
            ..Default::default()
        },
    );
    assert_eq!(
        r.text,
        "Бостандық алаңында. «Бостандық» газеті, Бостандықтың тарихы. \
         [Respondent 1], [Respondent 1], [Respondent 1]. Нұрлы жол, [Respondent 2]."
    );
    // A diminutive that shares the skeleton of name + -тық (Жомартик /
    // Жомарттық "generosity") stays a nickname: the letters decide.
    let l = lex(vec![person("p", 1, "Жомарт Ахметов", &[])], &[], &[]);
    let r = redact(
        &l,
        "Әжесі оны Жомартик деп атайды, Zhomartik. Жомарттық таныту.",
        &RedactOptions::default(),
    );
    assert_eq!(
        r.text,
        "Әжесі оны [Respondent 1] деп атайды, [Respondent 1]. Жомарттық таныту."
    );
    assert!(r.replacements.iter().all(|x| matches!(
        x.reason,
        Reason::Person {
            form: MatchForm::Nickname,
            ..
        }
    )));
}

#[test]
fn unregistered_latin_name_before_an_honorific() {
    // The stem of Россия/Азия keeps its и: Аза, Rossa are not case forms
    // of a country and are free to be names.
    let l = lex(vec![], &[], &[]);
    assert_eq!(
        out(&l, "Соседка Аза-апай и Rossa-apai пришли."),
        "Соседка [name]-апай и [name]-apai пришли."
    );
}

#[test]
fn surname_after_a_title_set_off_by_commas() {
    let l = lex(vec![], &[], &[]);
    assert_eq!(
        out(
            &l,
            "Директор, Кравченко, сказал: нет. The prosecutor, Savchenko, agreed."
        ),
        "Директор, [name], сказал: нет. The prosecutor, [name], agreed."
    );
    // Not any word after a title and a comma.
    assert_eq!(
        out(&l, "Директор, Пожалуйста, подождите."),
        "Директор, Пожалуйста, подождите."
    );
}

#[test]
fn a_surname_ending_no_word_has_is_a_name_alone() {
    let l = lex(vec![], &[], &[]);
    assert_eq!(
        out(&l, "Потом Кравченко позвонил, и Marchenko too."),
        "Потом [name] позвонил, и [name] too."
    );
    // Public figures still win.
    assert_eq!(out(&l, "Стихи Шевченко."), "Стихи Шевченко.");
}

#[test]
fn latin_names_at_a_sentence_start_are_names() {
    // Арман is "dream" in Kazakh, but "Arman" in an English sentence is a
    // man; English homographs stay words.
    let l = lex(vec![], &[], &[]);
    assert_eq!(
        out(&l, "Arman called me. Арман деген сөз. Roman law is old."),
        "[name] called me. Арман деген сөз. Roman law is old."
    );
}

#[test]
fn surnames_built_on_given_names_are_not_given_names() {
    // Есенин, the poet, is not the given name Есен plus an ending.
    let l = lex(vec![], &[], &[]);
    assert_eq!(
        out(
            &l,
            "Он читал Есенина и писал по Есенину, then read Yesenin."
        ),
        "Он читал Есенина и писал по Есенину, then read Yesenin."
    );
    // Beside a given name or a title, such a surname is a private person.
    assert_eq!(out(&l, "Пришёл капитан Маратов."), "Пришёл капитан [name].");
}

#[test]
fn a_public_figure_sharing_a_registered_given_name_is_kept() {
    let l = lex(vec![person("p", 1, "Сейітов Нурсултан", &[])], &[], &[]);
    assert_eq!(
        out(&l, "Как говорил Нурсултан Абишевич, а Нурсултан не спорил."),
        "Как говорил Нурсултан Абишевич, а [Respondent 1] не спорил."
    );
}
