//! Look-alike spellings are the same identifier: confusable letters across
//! scripts, full-width and other compatibility forms, invisible characters.

use fieldvault_redact::{
    leak_check, redact, Lexicon, LexiconSource, MatchForm, PatternKind, PersonSource, Reason,
    RedactOptions,
};

fn lex() -> Lexicon {
    Lexicon::build(&LexiconSource {
        persons: vec![PersonSource {
            key: "p1".into(),
            replacement: "[Respondent 1]".into(),
            name: "Сапарова Айгерим".into(),
            aliases: vec!["Aigerim Saparova".into()],
            phones: vec!["+7 701 555 0199".into()],
            emails: vec!["aigerim.s@mail.kz".into()],
            ..Default::default()
        }],
        ..Default::default()
    })
}

const LOOKALIKES: &[(&str, &str)] = &[
    ("I met \u{0421}aparova there.", "\u{0421}aparova"),
    ("I met S\u{0430}parova there.", "S\u{0430}parova"),
    ("I met Sap\u{03b1}rova there.", "Sap\u{03b1}rova"),
    ("I met \u{0405}aparova there.", "\u{0405}aparova"),
    ("I met Ｓａｐａｒｏｖａ there.", "Ｓａｐａｒｏｖａ"),
    ("I met Sa\u{200b}parova there.", "Sa\u{200b}parova"),
    ("I met Sa\u{0301}parova there.", "Sa\u{0301}parova"),
    ("Встретил С\u{0061}парову вчера.", "С\u{0061}парову"),
    ("Встретил Са\u{00ad}парову вчера.", "Са\u{00ad}парову"),
    ("Встретил A\u{0439}герим вчера.", "A\u{0439}герим"),
];

#[test]
fn lookalike_spellings_are_redacted_and_reported_as_lookalike() {
    let l = lex();
    for &(t, name) in LOOKALIKES {
        let r = redact(&l, t, &RedactOptions::default());
        assert!(!r.text.contains(name), "{t:?} -> {:?}", r.text);
        assert!(r.text.contains("[Respondent 1]"), "{t:?} -> {:?}", r.text);
        let rep = &r.replacements[0];
        assert_eq!(&t[rep.start..rep.end], name, "{t:?}");
        assert_eq!(
            rep.reason,
            Reason::Person {
                key: "p1".into(),
                form: MatchForm::Lookalike
            },
            "{t:?}"
        );
        assert_eq!(leak_check(&l, t).len(), 1, "{t:?}");
        assert!(leak_check(&l, &r.text).is_empty(), "{t:?} -> {:?}", r.text);
    }
}

#[test]
fn full_width_contacts_are_found() {
    let l = lex();
    let r = redact(
        &l,
        "Call +７ ７０１ ５５５ ０１９９ now.",
        &RedactOptions::default(),
    );
    assert_eq!(r.text, "Call [phone] now.");
    let r = redact(
        &l,
        "Write aigerim.s＠mail.kz now.",
        &RedactOptions::default(),
    );
    assert_eq!(r.text, "Write [email] now.");
    assert!(!leak_check(&l, "Write ａｉｇｅｒｉｍ.s@mail.kz now.").is_empty());
    let r = redact(
        &l,
        "Call +7\u{200b}701 555 0199.",
        &RedactOptions::default(),
    );
    assert!(
        matches!(
            r.replacements[0].reason,
            Reason::Pattern(PatternKind::Phone) | Reason::Person { .. }
        ),
        "{r:?}"
    );
    assert!(!r.text.contains("555"), "{}", r.text);
}

#[test]
fn a_name_registered_with_a_lookalike_letter_matches_the_plain_spelling() {
    let l = Lexicon::build(&LexiconSource {
        persons: vec![PersonSource {
            key: "p1".into(),
            replacement: "[Respondent 1]".into(),
            // Latin "a" and "p" typed in a Cyrillic name.
            name: "Сaпарова Aйгерим".into(),
            ..Default::default()
        }],
        ..Default::default()
    });
    let r = redact(&l, "Сапарова и Айгерим пришли.", &RedactOptions::default());
    assert_eq!(r.text, "[Respondent 1] и [Respondent 1] пришли.");
}

#[test]
fn plain_text_offsets_are_untouched() {
    let l = lex();
    let t = "Айгерим сказала: «Сапарова — это я», №5.";
    let r = redact(&l, t, &RedactOptions::default());
    assert_eq!(
        r.text,
        "[Respondent 1] сказала: «[Respondent 1] — это я», №5."
    );
}
