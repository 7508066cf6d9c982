//! Registered identifiers outrank the built-in lists: a registered person
//! who shares a name with a president, a city or a common word is redacted;
//! the built-in lists keep only a public figure's full name that is no
//! registered person's full name.

use fieldvault_redact::{redact, Lexicon, LexiconSource, PersonSource, RedactOptions};

fn lex(names: &[&str]) -> Lexicon {
    Lexicon::build(&LexiconSource {
        persons: names
            .iter()
            .enumerate()
            .map(|(i, n)| PersonSource {
                key: format!("p{i}"),
                replacement: format!("[Respondent {}]", i + 1),
                name: n.to_string(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

fn out(l: &Lexicon, text: &str) -> String {
    redact(l, text, &RedactOptions::default()).text
}

#[test]
fn a_registered_namesake_of_a_president_is_redacted_in_every_order() {
    let l = lex(&["Медведев Дмитрий Сергеевич"]);
    for t in [
        "Дмитрий Медведев пришёл.",
        "Вчера Медведев Дмитрий пришёл.",
        "Мы ждали Дмитрия Медведева долго.",
    ] {
        let o = out(&l, t);
        assert!(!o.contains("Медвед") && !o.contains("Дмитри"), "{t} -> {o}");
    }
}

#[test]
fn a_registered_nazarbayev_goes_and_a_given_name_namesake_does_not_protect() {
    let l = lex(&["Назарбаев Нурсултан"]);
    let o = out(&l, "Нурсултан Назарбаев позвонил мне.");
    assert_eq!(o, "[Respondent 1] позвонил мне.");
    // Another Нурсултан registered: the former president stays.
    let l = lex(&["Нурсултан Сейтов"]);
    let o = out(&l, "Нурсултан Назарбаев ушёл, а Нурсултан остался.");
    assert!(o.starts_with("Нурсултан Назарбаев ушёл"), "{o}");
    assert!(o.ends_with("а [Respondent 1] остался."), "{o}");
}

#[test]
fn a_registered_surname_alone_cannot_be_told_from_the_public_figure() {
    let l = lex(&["Путин"]);
    let o = out(&l, "Владимир Путин сказал.");
    assert!(!o.contains("Путин"), "{o}");
}

#[test]
fn a_registered_name_that_is_a_common_english_word_is_redacted() {
    let l = lex(&["Ислам Жаксылыков"]);
    for t in [
        "I told Islam then.",
        "Islam Zhaksylykov from Aktobe called.",
    ] {
        let o = out(&l, t);
        assert!(!o.contains("Islam"), "{t} -> {o}");
    }
    // Without the registration the word stays.
    let l = lex(&["Ерлан Сапаров"]);
    assert_eq!(out(&l, "I told Islam then."), "I told Islam then.");
}

#[test]
fn a_registered_name_that_is_a_city_is_redacted_and_the_city_stays_otherwise() {
    let l = lex(&["Астана Сейтова"]);
    let o = out(&l, "Астана пришла вовремя.");
    assert!(!o.contains("Астана"), "{o}");
    let l = lex(&["Ерлан Сапаров"]);
    assert_eq!(out(&l, "Астана большая."), "Астана большая.");
}

#[test]
fn a_shared_name_part_never_gets_a_guessed_pseudonym() {
    let l = lex(&["Ерлан Жумабаев", "Ерлан Сапаров"]);
    // Nothing says which Ерлан: a neutral placeholder naming both.
    let r = redact(&l, "Ерлан пришёл.", &RedactOptions::default());
    assert_eq!(r.text, "[person] пришёл.");
    assert_eq!(
        r.replacements[0].reason,
        fieldvault_redact::Reason::Ambiguous {
            keys: vec!["p0".into(), "p1".into()],
            pseudonyms: vec!["[Respondent 1]".into(), "[Respondent 2]".into()],
        }
    );
    // An earlier full-name mention decides.
    let o = out(&l, "Ерлан Сапаров пришёл. Потом Ерлан ушёл, Ерланға сәлем.");
    assert_eq!(
        o,
        "[Respondent 2] пришёл. Потом [Respondent 2] ушёл, [Respondent 2] сәлем."
    );
    // The other name part beside it decides.
    let o = out(&l, "Жумабаев Ерлан пришёл.");
    assert_eq!(o, "[Respondent 1] пришёл.");
    // Both named in full: the lone part stays undecided.
    let o = out(&l, "Ерлан Сапаров и Ерлан Жумабаев. Ерлан ушёл.");
    assert_eq!(o, "[Respondent 2] и [Respondent 1]. [person] ушёл.");
}
