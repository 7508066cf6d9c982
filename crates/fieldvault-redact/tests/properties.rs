//! Property tests: what must hold for every input, not only the corpus.
//!
//! * a registered name (generated Russian and Kazakh given names, surnames,
//!   patronymics), in a generated Russian declension, Kazakh suffix chain
//!   (with the allomorph Kazakh grammar picks) or Latin transliteration
//!   (several systems), embedded anywhere in random Russian/Kazakh/English
//!   text, never survives `redact`, and `leak_check` finds it in the input;
//! * allow-listed public figures survive in their inflected forms;
//! * registered outranks built-in: a person bearing a public figure's full
//!   name, a city's or a common word's never survives in any generated form;
//! * a registered form with a look-alike letter of another script, or a
//!   registered phone in full-width digits, never survives, and the leak
//!   check finds it (the mutation test of the independent check is in
//!   `src/leak.rs`, where a matcher rule can be switched off);
//! * names of the shapes real text has (particles, short names in -а,
//!   other transliterations of a foreign name, Kazakh pet forms in -ш)
//!   never survive in any generated form;
//! * arbitrary Unicode never panics, offsets are char boundaries, the
//!   replacements rebuild the output, and `leak_check` of any output finds
//!   no registered identifier.

use fieldvault_redact::{
    leak_check, redact, suspects, Lexicon, LexiconSource, PersonSource, Reason, RedactOptions,
};
use proptest::prelude::*;

const GIVEN_KK: &[&str] = &[
    "Ерлан",
    "Айгерим",
    "Нурлан",
    "Жанар",
    "Асель",
    "Бахыт",
    "Данияр",
    "Гульнара",
    "Мадина",
    "Азамат",
    "Арман",
    "Динара",
    "Сауле",
    "Талгат",
    "Меруерт",
    "Кайрат",
    "Санжар",
    "Айдана",
    "Ботагоз",
    "Жасулан",
];
const GIVEN_RU: &[&str] = &[
    "Надежда",
    "Ольга",
    "Сергей",
    "Татьяна",
    "Дмитрий",
    "Елена",
    "Виктор",
    "Ирина",
    "Андрей",
    "Наталья",
    "Михаил",
    "Людмила",
    "Павел",
    "Светлана",
];
const SURNAME_STEMS: &[&str] = &[
    "Жумабай",
    "Сапар",
    "Тлеубай",
    "Абдрахман",
    "Омар",
    "Нурбек",
    "Сейткали",
    "Есен",
    "Мукан",
    "Волк",
    "Смирн",
    "Лебед",
    "Морозк",
    "Кенжебек",
    "Досым",
];
const FATHERS: &[&str] = &[
    "Болат",
    "Кайрат",
    "Петр",
    "Ерлан",
    "Серик",
    "Марат",
    "Иван",
    "Нурлан",
];
const VOCAB: &[&str] = &[
    "и",
    "в",
    "не",
    "на",
    "что",
    "мы",
    "это",
    "когда",
    "потом",
    "сказал",
    "пришла",
    "город",
    "работа",
    "письмо",
    "вчера",
    "және",
    "бірақ",
    "ауылда",
    "кейін",
    "келді",
    "жұмыс",
    "хат",
    "деді",
    "the",
    "and",
    "we",
    "went",
    "to",
    "with",
    "office",
    "letter",
    "said",
    "after",
    "tired",
    "2019",
    "года",
    "жылы",
    "—",
    "«да»",
    "(примечание)",
];
const SEPARATORS: &[&str] = &[
    " ", " ", " ", ", ", ". ", "! ", ": ", "\n", " — ", " «", "» ",
];

fn last_char(s: &str) -> char {
    s.chars().last().unwrap_or(' ')
}

fn is_front(s: &str) -> bool {
    // Kazakh harmony: the last vowel decides.
    for c in s.chars().rev() {
        match c {
            'е' | 'ә' | 'і' | 'ө' | 'ү' | 'и' | 'э' => return true,
            'а' | 'о' | 'ұ' | 'ы' | 'у' | 'я' | 'ю' => return false,
            _ => {}
        }
    }
    false
}

fn kk_sound(s: &str) -> char {
    // A soft sign is not a sound: Асель-дің, like Әсел-дің.
    match last_char(s.trim_end_matches(['ь', 'ъ'])) {
        'а' | 'е' | 'ә' | 'о' | 'ө' | 'ұ' | 'ү' | 'ы' | 'і' | 'и' | 'у' | 'я' | 'ю' | 'э' => {
            'V'
        }
        'м' | 'н' | 'ң' => 'N',
        'л' | 'р' | 'й' | 'з' | 'ж' => 'S',
        _ => 'T',
    }
}

/// The Kazakh case form Kazakh grammar picks for `stem`.
fn kk_case(stem: &str, case: usize) -> String {
    let f = is_front(stem);
    let (a, y) = if f { ("е", "і") } else { ("а", "ы") };
    let s = kk_sound(stem);
    let suf = match (case, s) {
        (0, 'T') => format!("{}{a}", if f { "к" } else { "қ" }),
        (0, _) => format!("{}{a}", if f { "г" } else { "ғ" }),
        (1, 'V') | (1, 'N') => format!("н{y}ң"),
        (1, 'S') => format!("д{y}ң"),
        (1, _) => format!("т{y}ң"),
        (2, 'V') => format!("н{y}"),
        (2, 'T') => format!("т{y}"),
        (2, _) => format!("д{y}"),
        (3, 'T') => format!("т{a}"),
        (3, _) => format!("д{a}"),
        (4, 'N') => format!("н{a}н"),
        (4, 'T') => format!("т{a}н"),
        (4, _) => format!("д{a}н"),
        (5, 'T') => "пен".to_string(),
        (5, 'S') if matches!(last_char(stem), 'з' | 'ж') => "бен".to_string(),
        (5, _) => "мен".to_string(),
        // plural + genitive
        (6, 'T') => format!("т{a}р{}{y}ң", "д"),
        (6, 'N') => format!("д{a}рд{y}ң"),
        (6, _) => format!("л{a}рд{y}ң"),
        // possessive 3rd + dative
        (_, 'V') => format!("с{y}н{a}"),
        (_, _) => format!("{y}н{a}"),
    };
    format!("{stem}{suf}")
}

/// A Russian case form.
fn ru_case(word: &str, case: usize, female: bool) -> String {
    let l = last_char(word);
    let stem: String = {
        let mut c: Vec<char> = word.chars().collect();
        if matches!(l, 'а' | 'я' | 'й' | 'ь') {
            c.pop();
        }
        c.into_iter().collect()
    };
    let soft = matches!(l, 'я' | 'й' | 'ь');
    let sibilant = matches!(last_char(&stem), 'ж' | 'ш' | 'ч' | 'щ' | 'к' | 'г' | 'х');
    if word.ends_with("ов") || word.ends_with("ев") || word.ends_with("ин") {
        return if female {
            format!("{word}{}", ["а", "ой", "у", "ой"][case % 4])
        } else {
            format!("{word}{}", ["а", "у", "ым", "е"][case % 4])
        };
    }
    match l {
        'а' | 'я' => format!(
            "{stem}{}",
            [
                if soft || sibilant { "и" } else { "ы" },
                if soft { "ю" } else { "у" },
                if soft { "ей" } else { "ой" },
                "е"
            ][case % 4]
        ),
        'й' => format!("{stem}{}", ["я", "ю", "ем", "е"][case % 4]),
        _ => format!("{word}{}", ["а", "у", "ом", "е"][case % 4]),
    }
}

/// Latin transliteration; `sys` picks one of several systems per letter.
fn translit(word: &str, sys: u32) -> String {
    let pick = |opts: &[&'static str], k: u32| opts[(sys >> k) as usize % opts.len()];
    let mut out = String::new();
    for (i, c) in word.chars().enumerate() {
        let upper = c.is_uppercase();
        let lc = c.to_lowercase().next().unwrap_or(c);
        let t: &str = match lc {
            'а' => "a",
            'ә' => pick(&["a", "ä"], 0),
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'ғ' => pick(&["g", "gh", "ğ"], 1),
            'д' => "d",
            'е' => {
                if i == 0 {
                    pick(&["e", "ye"], 2)
                } else {
                    "e"
                }
            }
            'ж' => pick(&["zh", "j"], 3),
            'з' => "z",
            'и' => "i",
            'й' => pick(&["i", "y"], 4),
            'к' => "k",
            'қ' => pick(&["k", "q"], 5),
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'ң' => pick(&["n", "ñ", "ng"], 6),
            'о' => "o",
            'ө' => pick(&["o", "ö"], 7),
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ұ' => pick(&["u", "ū"], 8),
            'ү' => pick(&["u", "ü"], 9),
            'ф' => "f",
            'х' => pick(&["kh", "h"], 10),
            'һ' => "h",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => pick(&["sh", "ş"], 11),
            'щ' => "shch",
            'ы' => pick(&["y", "i", "ı"], 12),
            'і' => pick(&["i", "ı"], 13),
            'э' => "e",
            'ю' => pick(&["yu", "iu"], 14),
            'я' => pick(&["ya", "ia"], 15),
            'ь' | 'ъ' => "",
            other => {
                out.push(other);
                continue;
            }
        };
        if upper {
            let mut cs = t.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(t);
        }
    }
    out
}

#[derive(Debug, Clone)]
struct Case {
    name: String,
    form: String,
    words: Vec<String>,
    seps: Vec<String>,
    at: usize,
}

/// A registered name and one surface form of one of its tokens.
fn name_and_form() -> impl Strategy<Value = (String, String)> {
    (
        0usize..GIVEN_KK.len() + GIVEN_RU.len(),
        0usize..SURNAME_STEMS.len(),
        0usize..FATHERS.len(),
        any::<bool>(),
        0usize..4,
        0usize..5,
        0usize..8,
        any::<u32>(),
    )
        .prop_map(|(g, s, f, female, which, how, case, sys)| {
            let given = if g < GIVEN_KK.len() {
                GIVEN_KK[g]
            } else {
                GIVEN_RU[g - GIVEN_KK.len()]
            };
            let stem = SURNAME_STEMS[s];
            let stem_for_ov = stem.trim_end_matches('й');
            let ev = stem.ends_with('й') || matches!(last_char(stem), 'ж' | 'ш' | 'ч' | 'щ' | 'ц');
            let masc = format!("{stem_for_ov}{}", if ev { "ев" } else { "ов" });
            let surname = if female {
                format!("{masc}а")
            } else {
                masc.clone()
            };
            let father = FATHERS[f];
            let ru_patr = format!("{father}{}", if female { "овна" } else { "ович" });
            let kk_patr = format!("{father}{}", if female { "қызы" } else { "ұлы" });
            let name = format!("{surname} {given} {ru_patr}");
            // Which token, and which form of it.
            let token = match which {
                0 => given.to_string(),
                1 => surname.clone(),
                2 => masc.clone(),
                _ => ru_patr.clone(),
            };
            let form = match how {
                0 => token.clone(),
                1 => ru_case(&token, case, female && which == 1),
                2 => {
                    if which == 3 {
                        kk_case(&kk_patr, case)
                    } else {
                        kk_case(&token, case)
                    }
                }
                3 => translit(&token, sys),
                _ => {
                    if which == 3 {
                        translit(&kk_patr, sys)
                    } else {
                        translit(&ru_case(&token, case, female && which == 1), sys)
                    }
                }
            };
            (name, form)
        })
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        name_and_form(),
        prop::collection::vec(prop::sample::select(VOCAB), 0..30),
        prop::collection::vec(prop::sample::select(SEPARATORS), 31),
        any::<prop::sample::Index>(),
    )
        .prop_map(|((name, form), words, seps, idx)| {
            let at = idx.index(words.len() + 1);
            Case {
                name,
                form,
                words: words.into_iter().map(str::to_string).collect(),
                seps: seps.into_iter().map(str::to_string).collect(),
                at,
            }
        })
}

/// Builds the text; returns it and the byte span of the embedded form.
fn render(c: &Case) -> (String, usize, usize) {
    let mut t = String::new();
    let mut span = (0, 0);
    let mut all: Vec<Option<&str>> = c.words.iter().map(|w| Some(w.as_str())).collect();
    all.insert(c.at, None);
    for (k, w) in all.iter().enumerate() {
        if k > 0 {
            t.push_str(&c.seps[k % c.seps.len()]);
        }
        match w {
            Some(w) => t.push_str(w),
            None => {
                let s = t.len();
                t.push_str(&c.form);
                span = (s, t.len());
            }
        }
    }
    (t, span.0, span.1)
}

fn lexicon(name: &str) -> Lexicon {
    Lexicon::build(&LexiconSource {
        persons: vec![PersonSource {
            key: "p".into(),
            replacement: "[Respondent 1]".into(),
            name: name.into(),
            ..Default::default()
        }],
        terms: vec![],
        allow: vec!["Токаев".into(), "Назарбаев".into()],
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn registered_names_never_survive(c in case_strategy()) {
        let lex = lexicon(&c.name);
        let (text, s, e) = render(&c);
        let r = redact(&lex, &text, &RedactOptions::default());
        prop_assert!(
            !r.text.contains(&c.form),
            "form {:?} of {:?} survived in {:?} -> {:?}", c.form, c.name, text, r.text
        );
        let leaks = leak_check(&lex, &text);
        prop_assert!(
            leaks.iter().any(|l| l.start <= s && l.end >= e && matches!(l.reason, Reason::Person { .. })),
            "leak_check missed {:?} in {:?}: {:?}", c.form, text, leaks
        );
        let after = leak_check(&lex, &r.text);
        prop_assert!(after.is_empty(), "leak after redaction: {:?} in {:?}", after, r.text);
    }

    #[test]
    fn allowed_public_figures_survive(
        c in case_strategy(),
        fig in prop::sample::select(&["Токаев", "Назарбаев"][..]),
        case in 0usize..8,
        how in 0usize..3,
        sys in any::<u32>(),
    ) {
        let lex = lexicon(&c.name);
        let form = match how {
            0 => ru_case(fig, case, false),
            1 => kk_case(fig, case),
            _ => translit(fig, sys),
        };
        let (text, _, _) = render(&c);
        let text = format!("{text} {form} ");
        let r = redact(&lex, &text, &RedactOptions::default());
        prop_assert!(r.text.contains(&form), "{form:?} lost: {:?} -> {:?}", text, r.text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), name in prop::sample::select(GIVEN_KK)) {
        check_invariants(&lexicon(name), &text);
    }

    #[test]
    fn tricky_text_never_panics(
        text in "[ А-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІіa-zA-Z0-9@.,:;()\\[\\]«»'’\\-+/\u{0301}\u{0306}\n№#_]{0,120}",
        name in prop::sample::select(GIVEN_RU),
    ) {
        check_invariants(&lexicon(name), &text);
    }
}

fn check_invariants(lex: &Lexicon, text: &str) {
    let r = redact(lex, text, &RedactOptions::default());
    let mut pos = 0;
    let mut rebuilt = String::new();
    for rep in &r.replacements {
        assert!(
            rep.start >= pos && rep.start < rep.end && rep.end <= text.len(),
            "{rep:?}"
        );
        assert!(text.is_char_boundary(rep.start) && text.is_char_boundary(rep.end));
        rebuilt.push_str(&text[pos..rep.start]);
        rebuilt.push_str(&rep.replacement);
        pos = rep.end;
    }
    rebuilt.push_str(&text[pos..]);
    assert_eq!(rebuilt, r.text);
    for l in leak_check(lex, &r.text) {
        assert!(
            !matches!(l.reason, Reason::Person { .. } | Reason::Term { .. }),
            "{l:?} in {:?}",
            r.text
        );
    }
    for s in suspects(lex, text) {
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    }
    let _ = leak_check(lex, text);
}

#[test]
fn transliteration_helper_sanity() {
    assert_eq!(translit("Жумабаев", 0), "Zhumabaev");
    assert_eq!(kk_case("Ерлан", 0), "Ерланға");
    assert_eq!(kk_case("Айгерім", 1), "Айгерімнің");
    assert_eq!(kk_case("Жанабулак", 3), "Жанабулакта");
    assert_eq!(ru_case("Надежда", 2, false), "Надеждой");
    assert_eq!(ru_case("Сапарова", 2, true), "Сапаровой");
}

/// Public figures' full names (surname, given name) in the built-in list.
const FIGURE_NAMES: &[(&str, &str)] = &[
    ("Медведев", "Дмитрий"),
    ("Путин", "Владимир"),
    ("Назарбаев", "Нурсултан"),
    ("Масимов", "Карим"),
    ("Мамин", "Аскар"),
];
/// Built-in cities and common words that are also given names.
const BUILTIN_WORDS: &[&str] = &["Астана", "Алматы", "Ислам", "Наурыз", "Август", "Май"];

fn only(name: &str, phones: &[&str]) -> Lexicon {
    Lexicon::build(&LexiconSource {
        persons: vec![PersonSource {
            key: "p".into(),
            replacement: "[Respondent 1]".into(),
            name: name.into(),
            phones: phones.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        }],
        ..Default::default()
    })
}

/// A generated form of `word`: Russian case, Kazakh case or Latin spelling.
fn form_of(word: &str, how: usize, case: usize, sys: u32) -> String {
    match how {
        0 => word.to_string(),
        1 => ru_case(word, case, false),
        2 => kk_case(word, case),
        _ => translit(word, sys),
    }
}

/// Latin, Cyrillic and Greek look-alikes of a letter (the letter itself
/// excluded).
fn lookalikes(c: char) -> &'static [char] {
    match c {
        'а' => &['a', 'α'],
        'е' => &['e'],
        'о' => &['o', 'ο'],
        'р' => &['p', 'ρ'],
        'с' => &['c'],
        'у' => &['y'],
        'х' => &['x'],
        'к' => &['k', 'κ'],
        'А' => &['A', 'Α'],
        'В' => &['B', 'Β'],
        'Е' => &['E', 'Ε'],
        'К' => &['K', 'Κ'],
        'М' => &['M', 'Μ'],
        'Н' => &['H', 'Η'],
        'О' => &['O', 'Ο'],
        'Р' => &['P', 'Ρ'],
        'С' => &['C'],
        'Т' => &['T', 'Τ'],
        'Х' => &['X', 'Χ'],
        'a' => &['а', 'α'],
        'e' => &['е'],
        'o' => &['о', 'ο'],
        'p' => &['р'],
        'c' => &['с'],
        'x' => &['х'],
        'y' => &['у'],
        'i' => &['і'],
        's' => &['ѕ'],
        'A' => &['А', 'Α'],
        'B' => &['В'],
        'E' => &['Е'],
        'K' => &['К'],
        'M' => &['М'],
        'H' => &['Н'],
        'O' => &['О'],
        'P' => &['Р'],
        'C' => &['С'],
        'T' => &['Т'],
        'X' => &['Х'],
        'S' => &['Ѕ'],
        _ => &[],
    }
}

/// `form` with the `k`-th letter that has a look-alike replaced by one
/// (`v` picks which), or None when no letter has one.
fn with_lookalike(form: &str, k: usize, v: usize) -> Option<String> {
    let idx: Vec<usize> = form
        .char_indices()
        .filter(|(_, c)| !lookalikes(*c).is_empty())
        .map(|(i, _)| i)
        .collect();
    let at = *idx.get(k % idx.len().max(1))?;
    let c = form[at..].chars().next()?;
    let alts = lookalikes(c);
    let mut out = String::new();
    out.push_str(&form[..at]);
    out.push(alts[v % alts.len()]);
    out.push_str(&form[at + c.len_utf8()..]);
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Registered outranks built-in: a person who bears a public figure's
    /// full name, a city's name or a common word's never survives, in any
    /// generated form, and the public figure's full name protects nothing.
    #[test]
    fn registered_namesakes_of_builtins_never_survive(
        c in case_strategy(),
        which in 0usize..FIGURE_NAMES.len() + BUILTIN_WORDS.len(),
        how in 0usize..4,
        case in 0usize..8,
        sys in any::<u32>(),
        order in any::<bool>(),
    ) {
        let (name, written) = if which < FIGURE_NAMES.len() {
            let (s, g) = FIGURE_NAMES[which];
            let (fs, fg) = (form_of(s, how, case, sys), form_of(g, how, case, sys));
            let written = if order { format!("{fg} {fs}") } else { format!("{fs} {fg}") };
            (format!("{s} {g}"), written)
        } else {
            let w = BUILTIN_WORDS[which - FIGURE_NAMES.len()];
            (format!("{w} Жаксылыков"), form_of(w, how, case, sys))
        };
        let lex = only(&name, &[]);
        let (text, _, _) = render(&c);
        let text = format!("{text} {written} ");
        let r = redact(&lex, &text, &RedactOptions::default());
        for part in written.split(' ') {
            prop_assert!(
                !r.text.contains(&format!(" {part} ")),
                "{part:?} of {name:?} survived in {text:?} -> {:?}", r.text
            );
        }
    }

    /// A registered form with a look-alike letter of another script in it
    /// never survives, and the leak check finds it in the input.
    #[test]
    fn lookalike_spellings_never_survive(
        c in case_strategy(),
        k in any::<usize>(),
        v in any::<usize>(),
    ) {
        let Some(form) = with_lookalike(&c.form, k, v) else {
            return Ok(());
        };
        let lex = lexicon(&c.name);
        let c2 = Case { form: form.clone(), ..c };
        let (text, s, e) = render(&c2);
        let r = redact(&lex, &text, &RedactOptions::default());
        prop_assert!(
            !r.text.contains(&form),
            "look-alike form {:?} of {:?} survived in {:?} -> {:?}", form, c2.name, text, r.text
        );
        let leaks = leak_check(&lex, &text);
        prop_assert!(
            leaks.iter().any(|l| l.start <= s && l.end >= e),
            "leak_check missed {:?} in {:?}: {:?}", form, text, leaks
        );
        prop_assert!(leak_check(&lex, &r.text).is_empty(), "leak after redaction in {:?}", r.text);
    }

    /// A registered phone written with full-width digits never survives.
    #[test]
    fn full_width_phone_digits_never_survive(
        d in prop::collection::vec(0u32..10, 10),
        widths in prop::collection::vec(any::<bool>(), 10),
        sep in prop::sample::select(&[" ", "-", "", "\u{3000}"][..]),
    ) {
        let digits: String = d.iter().map(|x| char::from_digit(*x, 10).unwrap()).collect();
        let lex = only("Ерлан Сапаров", &[&format!("+7{digits}")]);
        let written: String = d
            .iter()
            .zip(&widths)
            .enumerate()
            .flat_map(|(i, (x, full))| {
                let c = if *full {
                    char::from_u32(0xFF10 + x).unwrap()
                } else {
                    char::from_digit(*x, 10).unwrap()
                };
                let s = if i == 3 || i == 6 { sep } else { "" };
                format!("{s}{c}").chars().collect::<Vec<_>>()
            })
            .collect();
        let text = format!("Звоните на +7 {written} вечером.");
        let r = redact(&lex, &text, &RedactOptions::default());
        prop_assert!(!r.text.contains(&written), "{text:?} -> {:?}", r.text);
        prop_assert!(!leak_check(&lex, &text).is_empty(), "{text:?}");
    }
}

/// Consonants and vowels of generated foreign surnames.
const ONSETS: &[&str] = &["Б", "Д", "Л", "М", "Р", "С", "Т", "Г", "К", "В"];
const SYLLABLES: &[&str] = &["ра", "мо", "ли", "ду", "ке", "на", "то", "ви"];
const CODAS: &[&str] = &["к", "н", "р", "с", "т", "л", "м"];

fn foreign_surname() -> impl Strategy<Value = String> {
    (
        prop::sample::select(ONSETS),
        prop::sample::select(&["а", "о", "у", "е"][..]),
        prop::collection::vec(prop::sample::select(SYLLABLES), 1..3),
        prop::sample::select(CODAS),
    )
        .prop_map(|(o, v, s, c)| format!("{o}{v}{}{c}", s.concat()))
}

fn person_lexicon(name: &str) -> Lexicon {
    Lexicon::build(&LexiconSource {
        persons: vec![PersonSource {
            key: "p".into(),
            replacement: "[Respondent 1]".into(),
            name: name.into(),
            ..Default::default()
        }],
        terms: vec![],
        allow: vec![],
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A name with a particle (де Сталь, фон Вебер, ибн Эзра, аль-Хадж)
    /// never survives in any case form: neither the surname nor the
    /// particle before it.
    #[test]
    fn names_with_particles_never_survive(
        surname in foreign_surname(),
        particle in prop::sample::select(
            &["де", "фон", "ван", "ибн", "бин", "аль", "эль", "дю", "ле"][..]
        ),
        hyphen in any::<bool>(),
        case in 0usize..4,
    ) {
        let lex = person_lexicon(&format!("Карл {particle} {surname}"));
        let form = ru_case(&surname, case, false);
        let joint = if hyphen { "-" } else { " " };
        let text = format!("Вчера в статье {particle}{joint}{form} написал о выборах.");
        let r = redact(&lex, &text, &RedactOptions::default());
        prop_assert!(!r.text.contains(&form), "{text:?} -> {:?}", r.text);
        prop_assert!(
            !r.text.contains(&format!(" {particle}{joint}[")),
            "particle survived: {text:?} -> {:?}", r.text
        );
        // The particle alone elsewhere is an ordinary word.
        let alone = format!("Потом {particle} снова.");
        prop_assert_eq!(redact(&lex, &alone, &RedactOptions::default()).text, alone);
    }

    /// A short name in -а on a one-consonant stem (Иза, Ада, Ева) never
    /// survives in its case forms.
    #[test]
    fn short_names_in_a_never_survive(
        v in prop::sample::select(&["И", "А", "Е", "О", "У"][..]),
        c in prop::sample::select(&["з", "с", "д", "в", "л", "м", "н", "р", "т"][..]),
        case in 0usize..4,
    ) {
        let name = format!("{v}{c}а");
        let lex = person_lexicon(&format!("{name} Ким"));
        let form = ru_case(&name, case, true);
        let text = format!("Вчера мы говорили с {form} о работе.");
        let r = redact(&lex, &text, &RedactOptions::default());
        prop_assert!(
            !r.text.split(|ch: char| !ch.is_alphanumeric()).any(|w| w == form),
            "{text:?} -> {:?}", r.text
        );
    }

    /// A foreign name registered in one transliteration never survives
    /// written in another (э/а, ай/и, оу/ов, first-syllable е/о, тц/ц), in
    /// any case form.
    #[test]
    fn other_transliterations_never_survive(
        onset in prop::sample::select(ONSETS),
        site in prop::sample::select(
            &[("э", "а"), ("ай", "и"), ("оу", "ов"), ("е", "о")][..]
        ),
        tail in prop::sample::select(&["мон", "ренс", "лер", "викс", "нер"][..]),
        tz in any::<bool>(),
        case in 0usize..4,
    ) {
        let (registered, written) = if tz {
            (format!("{onset}ори{tail}тц"), format!("{onset}ори{tail}ц"))
        } else {
            (format!("{onset}{}{tail}", site.0), format!("{onset}{}{tail}", site.1))
        };
        let lex = person_lexicon(&format!("Джон {registered}"));
        let form = ru_case(&written, case, false);
        let text = format!("Об этом сказал {form} на встрече.");
        let r = redact(&lex, &text, &RedactOptions::default());
        prop_assert!(!r.text.contains(&form), "{registered}: {text:?} -> {:?}", r.text);
    }

    /// A Kazakh pet form in -ш on the first closed syllable (Үміт → Үміш)
    /// never survives, with any Kazakh case suffix.
    #[test]
    fn kazakh_pet_forms_in_sh_never_survive(
        name in prop::sample::select(
            &[("Ерлан", "Ереш"), ("Үміт", "Үміш"), ("Арман", "Араш"), ("Азамат", "Азаш"),
              ("Талғат", "Талаш"), ("Ақмарал", "Ақаш"), ("Мақпал", "Мақаш"), ("Кәмшат", "Кәмеш")][..]
        ),
        case in 0usize..8,
    ) {
        let lex = person_lexicon(&format!("{} Сапарова", name.0));
        let form = kk_case(name.1, case);
        let text = format!("Кеше {form} туралы айттық.");
        let r = redact(&lex, &text, &RedactOptions::default());
        prop_assert!(!r.text.contains(&form), "{text:?} -> {:?}", r.text);
    }
}
