//! The engine's behaviour on the cases the design calls out, one test per
//! case, through the public API only.

use fieldvault_redact::{
    leak_check, redact, suspects, Lexicon, LexiconSource, MatchForm, PatternKind, PersonSource,
    Reason, RedactOptions, TermKind, TermSource,
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

#[test]
fn interlocutor_nursultan_city_and_public_figure() {
    let l = lex(
        vec![person("p", 1, "Омаров Нурсултан Бахытович", &[])],
        &[],
        &["Назарбаев"],
    );
    let t = "Нурсултан переехал в Нур-Султан, когда Нурсултан Назарбаев ушёл. Нурсултану было 20. Nursultan moved to Nur-Sultan.";
    let o = out(&l, t);
    assert!(
        o.contains("Нур-Султан,") && o.contains("Нурсултан Назарбаев") && o.contains("Nur-Sultan."),
        "{o}"
    );
    assert!(o.starts_with("[Respondent 1] переехал"), "{o}");
    assert!(
        !o.contains("Нурсултану") && !o.contains("Nursultan moved"),
        "{o}"
    );
}

#[test]
fn common_words_that_look_like_names_survive() {
    let l = lex(
        vec![
            person("p", 1, "Волкова Надежда Петровна", &["Надя"]),
            person("q", 2, "Дина Ким", &[]),
        ],
        &[],
        &[],
    );
    let o = out(&l, "Какая-то надежда на перемены была. Надежда Петровна пришла. Учился в KIMEP, был в акимате. Дине позвонили.");
    assert!(
        o.contains("надежда на перемены") && o.contains("KIMEP") && o.contains("акимате"),
        "{o}"
    );
    assert!(
        !o.contains("Надежда Петровна") && !o.contains("Дине"),
        "{o}"
    );
}

#[test]
fn kazakh_and_russian_spellings_and_suffixes() {
    let l = lex(
        vec![
            person("p", 1, "Асель Жаксыбекова", &[]),
            person("q", 2, "Бахыт Серікбайұлы", &[]),
        ],
        &[],
        &[],
    );
    let o = out(
        &l,
        "Әселге айттым, Асельдің үйі. Бақыттың інісі, Bakhyt, Baqyt пен Бахытом.",
    );
    for w in ["Әсел", "Асель", "Бақыт", "Bakhyt", "Baqyt", "Бахыт"] {
        assert!(!o.contains(w), "{w} in {o}");
    }
}

#[test]
fn patronymics_across_languages_and_hyphenated_uly() {
    let l = lex(
        vec![person("p", 1, "Тлеубаев Арман Қайратұлы", &[])],
        &[],
        &[],
    );
    let r = redact(
        &l,
        "Кайратович, Qairatūly, Kairat-uly, Қайратұлына.",
        &RedactOptions::default(),
    );
    assert_eq!(
        r.text,
        "[Respondent 1], [Respondent 1], [Respondent 1], [Respondent 1]."
    );
    assert!(r.replacements.iter().all(|x| matches!(
        x.reason,
        Reason::Person {
            form: MatchForm::Patronymic,
            ..
        }
    ) || matches!(
        x.reason,
        Reason::Person {
            form: MatchForm::Exact,
            ..
        }
    )));
}

#[test]
fn all_caps_official_document() {
    let l = lex(
        vec![person("p", 1, "Касымов Бауыржан Серикович", &[])],
        &[],
        &[],
    );
    let o = out(
        &l,
        "ФИО: КАСЫМОВ БАУЫРЖАН СЕРИКОВИЧ, KASSYMOV BAURZHAN. ДОКУМЕНТ ВЫДАН МВД.",
    );
    assert_eq!(
        o,
        "ФИО: [Respondent 1], [Respondent 1]. ДОКУМЕНТ ВЫДАН МВД."
    );
}

#[test]
fn initials_go_with_the_surname() {
    let l = lex(
        vec![person("p", 1, "Волкова Надежда Петровна", &[])],
        &[],
        &[],
    );
    assert_eq!(
        out(&l, "подписала Н.П. Волкова и N. P. Volkova, Волкова Н.П."),
        "подписала [Respondent 1] и [Respondent 1], [Respondent 1]"
    );
    let r = redact(&l, "подпись: А. Волкова.", &RedactOptions::default());
    assert!(matches!(
        r.replacements[0].reason,
        Reason::Person {
            form: MatchForm::Initials,
            ..
        }
    ));
}

#[test]
fn a_public_figures_avenue_in_a_private_address_goes() {
    let l = lex(vec![], &[], &["Назарбаев"]);
    let r = redact(
        &l,
        "Живу: пр. Назарбаева, д. 15, кв. 7. Назарбаева все знают.",
        &RedactOptions::default(),
    );
    assert_eq!(r.text, "Живу: [address]. Назарбаева все знают.");
    assert_eq!(
        r.replacements[0].reason,
        Reason::Pattern(PatternKind::Address)
    );
}

#[test]
fn months_are_not_names() {
    let l = lex(vec![person("p", 1, "Майя Ли", &[])], &[], &[]);
    let o = out(&l, "In May Maya wrote. Майя пришла в мае.");
    assert!(o.contains("In May"), "{o}");
    assert!(!o.contains("Maya") && !o.contains("Майя"), "{o}");
}

#[test]
fn multi_word_terms_inflect_and_transliterate() {
    let l = lex(
        vec![],
        &[
            ("Голос степи", TermKind::Org),
            ("Береке-Агро", TermKind::Other),
            ("Жанабулак", TermKind::Place),
        ],
        &[],
    );
    let o = out(&l, "в «Голосе степи», Golos Stepi, Береке-Агро, Bereke-Agro, береке бар, Жаңабұлақта, Jañabūlaq.");
    assert_eq!(
        o,
        "в «[organisation]», [organisation], [redacted], [redacted], береке бар, [place], [place]."
    );
}

#[test]
fn registered_contacts_in_any_format() {
    let mut p = person("p", 1, "Арман Тлеубаев", &[]);
    p.phones = vec!["8 776 245 11 09".into()];
    p.emails = vec!["arman.tleubaev02@gmail.com".into()];
    p.handles = vec!["@arman_tl".into()];
    let l = lex(vec![p], &[], &[]);
    let r = redact(&l, "+7 (776) 245-11-09, ARMAN.TLEUBAEV02@GMAIL.COM, ник arman_tl, https://instagram.com/arman_tl.", &RedactOptions::default());
    assert_eq!(r.text, "[phone], [email], ник [handle], [url].");
    assert!(
        r.replacements.iter().all(|x| matches!(
            x.reason,
            Reason::Person {
                form: MatchForm::Contact,
                ..
            }
        )),
        "{:?}",
        r.replacements
    );
}

#[test]
fn obfuscated_emails_and_numbers_that_must_stay() {
    let l = lex(vec![], &[], &[]);
    let o = out(&l, "Пишите name собака mail.ru или name at gmail dot com. В 2019-2021 годах, 14.03.2021, 1 000 000 тенге, 500 человек.");
    assert_eq!(
        o,
        "Пишите [email] или [email]. В 2019-2021 годах, 14.03.2021, 1 000 000 тенге, 500 человек."
    );
}

#[test]
fn leak_check_ignores_own_tokens_and_finds_survivors() {
    let l = lex(
        vec![person("p", 1, "Ерлан Жумабаев", &[])],
        &[("Голос степи", TermKind::Org)],
        &[],
    );
    let r = redact(&l, "Ерлан из «Голоса степи».", &RedactOptions::default());
    assert!(leak_check(&l, &r.text).is_empty());
    let leaks = leak_check(&l, "[Respondent 1] и Ерланға позвонили с 87771234567.");
    assert_eq!(leaks.len(), 2, "{leaks:?}");
    assert!(matches!(leaks[0].reason, Reason::Person { .. }));
    assert_eq!(leaks[1].reason, Reason::Pattern(PatternKind::Phone));
}

#[test]
fn suspects_are_unmatched_capitalised_words() {
    let l = lex(
        vec![person("p", 1, "Ерлан Жумабаев", &[])],
        &[],
        &["Токаев"],
    );
    let s: Vec<String> = suspects(
        &l,
        "Вчера Ерлан и Сейткали встретили Токаева в Алматы у фонда Мейірім.",
    )
    .into_iter()
    .map(|s| s.word)
    .collect();
    assert_eq!(s, vec!["Сейткали", "Мейірім"]);
}

#[test]
fn unregistered_names_option() {
    let l = lex(vec![], &[], &[]);
    let t =
        "Марат ждал внизу, капитан Нуржанов записал, а Людмилой Ивановной никто не интересовался.";
    assert_eq!(
        out(&l, t),
        "[name] ждал внизу, капитан [name] записал, а [name] никто не интересовался."
    );
    let off = redact(
        &l,
        t,
        &RedactOptions {
            unregistered_names: false,
            ..Default::default()
        },
    );
    assert_eq!(off.text, t);
}

#[test]
fn initials_in_a_registered_name_are_not_names() {
    let mut p = person("p", 1, "Сапарова А.Б.", &[]);
    p.handles = vec!["@hope".into()];
    let l = lex(vec![p], &[], &[]);
    assert_eq!(
        out(
            &l,
            "А потом A car came. Сапарова пишет как @hope, there is hope."
        ),
        "А потом A car came. [Respondent 1] пишет как [handle], there is hope."
    );
}
