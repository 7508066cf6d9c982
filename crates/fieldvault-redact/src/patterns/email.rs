//! E-mail addresses, plain and obfuscated.
//!
//! People dictate addresses to a transcriber or hide them from scrapers:
//! "name собака mail.ru", "name at gmail com", "name [at] mail [dot] ru",
//! "name (at) gmail (dot) com", "name @ gmail.com". The scanner finds the
//! "@" or the at-word, then parses a local part to its left and a domain to
//! its right whose labels are joined by dots or dot-words. A plain English
//! "at" only counts when the domain is clearly one (a known mail provider,
//! or an explicit dot and a real top-level domain), so "met Dina at KIMEP"
//! stays.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::candidate::{Act, Cand};
use crate::lexicon::{prio, Lexicon};
use crate::patterns::{is_strong_tld, is_tld, MAIL_PROVIDERS};
use crate::PatternKind;

fn local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn label_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// Finds e-mail addresses; registered ones become contacts.
pub(crate) fn scan(text: &str, lex: &Lexicon, out: &mut Vec<Cand>) {
    plain(text, lex, out);
    obfuscated(text, lex, out);
}

fn emit(lex: &Lexicon, out: &mut Vec<Cand>, start: usize, end: usize, canonical: &str) {
    let act = match lex.emails.get(canonical) {
        Some(&p) => Act::Contact {
            person: p,
            kind: PatternKind::Email,
        },
        None => Act::Pattern(PatternKind::Email),
    };
    let pr = if matches!(act, Act::Contact { .. }) {
        prio::CONTACT
    } else {
        prio::PATTERN
    };
    out.push(Cand::new(start, end, pr, act));
}

/// Parses a local part ending at `end` (exclusive). Returns its start.
fn local_before(text: &str, end: usize) -> Option<usize> {
    let mut start = end;
    for (i, c) in text[..end].char_indices().rev() {
        if local_char(c) {
            start = i;
        } else {
            break;
        }
    }
    // Leading dots and dashes are punctuation, not part of the address.
    while start < end && matches!(text.as_bytes()[start], b'.' | b'-' | b'+') {
        start += 1;
    }
    (start < end).then_some(start)
}

/// Parses a dotted domain starting at `start`. Returns (end, domain).
fn domain_after(text: &str, start: usize) -> Option<(usize, String)> {
    let mut end = start;
    let mut labels = 0;
    let mut last_label_start = start;
    let mut i = start;
    let b = text.as_bytes();
    loop {
        let ls = i;
        for (k, c) in text[i..].char_indices() {
            if label_char(c) {
                i = ls + k + c.len_utf8();
            } else {
                break;
            }
        }
        if i == ls {
            break;
        }
        labels += 1;
        last_label_start = ls;
        end = i;
        if i < b.len() && b[i] == b'.' && text[i + 1..].chars().next().is_some_and(label_char) {
            i += 1;
        } else {
            break;
        }
    }
    let end = text[..end].trim_end_matches('-').len().max(start);
    if labels < 2 {
        return None;
    }
    let tld = &text[last_label_start..end];
    if tld.chars().count() < 2 || !tld.chars().all(char::is_alphabetic) {
        return None;
    }
    Some((end, text[start..end].to_lowercase()))
}

fn plain(text: &str, lex: &Lexicon, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    for (at, _) in text.match_indices('@') {
        // "name@mail.ru" first; then "name @ gmail.com", "name@ mail.ru",
        // "name @mail.ru" (dictated addresses), whose domain must then be a
        // real one.
        let mut l = at;
        while l > 0 && b[l - 1] == b' ' && at - l < 2 {
            l -= 1;
        }
        let mut r = at + 1;
        while r < b.len() && b[r] == b' ' && r - at < 3 {
            r += 1;
        }
        // A space only before the sign is a handle ("Instagram @name.kz").
        let r_spaced = r > at + 1;
        let (l, r) = if r_spaced { (l, r) } else { (at, at + 1) };
        let tries: &[(usize, usize)] = if (l, r) == (at, at + 1) {
            &[(at, at + 1)]
        } else {
            &[(at, at + 1), (l, r)]
        };
        for &(l_end, r_start) in tries {
            let spaced = l_end != at || r_start != at + 1;
            let Some(ls) = local_before(text, l_end) else {
                continue;
            };
            let Some((de, domain)) = domain_after(text, r_start) else {
                continue;
            };
            if spaced {
                let tld = domain.rsplit('.').next().unwrap_or("");
                let first = domain.split('.').next().unwrap_or("");
                if !(is_strong_tld(tld) || MAIL_PROVIDERS.contains(&first)) {
                    continue;
                }
            }
            let local = text[ls..l_end].to_ascii_lowercase();
            emit(lex, out, ls, de, &format!("{local}@{domain}"));
            break;
        }
    }
}

/// The at-words, lower-case, with whether they are unambiguous.
const AT_WORDS: &[(&str, bool)] = &[
    ("[at]", true),
    ("(at)", true),
    ("{at}", true),
    ("<at>", true),
    ("[собака]", true),
    ("(собака)", true),
    ("собака", true),
    ("sobaka", true),
    ("at", false),
];

/// The dot-words between domain labels.
const DOT_WORDS: &[&str] = &[
    "[dot]",
    "(dot)",
    "{dot}",
    "<dot>",
    "[точка]",
    "(точка)",
    "точка",
    "dot",
    "tochka",
    ".",
];

/// One automaton for every at-word in lower and upper case: bare ones with
/// the spaces around them (skipping the "at" in every "that"), bracketed
/// ones as they are.
/// The automaton and, per pattern, (offset of the word, its length, strong).
type AtWords = (AhoCorasick, Vec<(usize, usize, bool)>);

fn at_words() -> &'static AtWords {
    static A: OnceLock<AtWords> = OnceLock::new();
    A.get_or_init(|| {
        let mut pats = Vec::new();
        let mut meta = Vec::new();
        for &(word, strong) in AT_WORDS {
            let mut vs = vec![word.to_string(), word.to_uppercase()];
            vs.dedup();
            for v in vs {
                let bracketed = v.starts_with(['[', '(', '{', '<']);
                if bracketed {
                    meta.push((0, v.len(), strong));
                    pats.push(v);
                } else {
                    meta.push((1, v.len(), strong));
                    pats.push(format!(" {v} "));
                }
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&pats)
            .expect("static patterns");
        (ac, meta)
    })
}

fn obfuscated(text: &str, lex: &Lexicon, out: &mut Vec<Cand>) {
    let (ac, meta) = at_words();
    for m in ac.find_iter(text) {
        let (shift, len, strong) = meta[m.pattern().as_usize()];
        let pos = m.start() + shift;
        obfuscated_at(text, pos, pos + len, strong, lex, out);
    }
}

fn obfuscated_at(
    text: &str,
    pos: usize,
    end: usize,
    strong: bool,
    lex: &Lexicon,
    out: &mut Vec<Cand>,
) {
    // A bare at-word needs a space on each side; a bracketed one
    // ("name[at]mail[dot]ru") may touch its neighbours.
    let before = &text[..pos];
    let after = &text[end..];
    let bracketed = text[pos..end].starts_with(['[', '(', '{', '<']);
    if !bracketed && (!before.ends_with(' ') || !after.starts_with(' ')) {
        return;
    }
    let l_end = before.trim_end_matches(' ').len();
    let Some(ls) = local_before(text, l_end) else {
        return;
    };
    if l_end - ls < 2 {
        return;
    }
    let r_start = end + (after.len() - after.trim_start_matches(' ').len());
    let Some((de, labels, explicit_dot)) = obf_domain(text, r_start, strong) else {
        return;
    };
    let first = labels.first().map(String::as_str).unwrap_or("");
    let last = labels.last().map(String::as_str).unwrap_or("");
    let tld_ok = is_tld(last);
    let ok = if strong {
        tld_ok || last.chars().count() >= 2
    } else {
        crate::patterns::is_strong_tld(last) && (MAIL_PROVIDERS.contains(&first) || explicit_dot)
    };
    if !ok {
        return;
    }
    let local = text[ls..l_end].to_ascii_lowercase();
    emit(lex, out, ls, de, &format!("{local}@{}", labels.join(".")));
}

/// A domain whose labels are joined by dot-words or (for "gmail com") a
/// space. Returns (end, labels, whether an explicit dot was used).
fn obf_domain(text: &str, start: usize, strong: bool) -> Option<(usize, Vec<String>, bool)> {
    let mut labels = Vec::new();
    let mut i = start;
    let mut end = start;
    let mut explicit = false;
    loop {
        let ls = i;
        for (k, c) in text[i..].char_indices() {
            if c.is_ascii_alphanumeric() || c == '-' {
                i = ls + k + c.len_utf8();
            } else {
                break;
            }
        }
        if i == ls {
            break;
        }
        labels.push(text[ls..i].to_ascii_lowercase());
        end = i;
        if labels.len() >= 4 {
            break;
        }
        // A separator: optional spaces, a dot-word, optional spaces; or
        // just one space before a top-level domain.
        let rest = &text[i..];
        let sp = rest.len() - rest.trim_start_matches(' ').len();
        let after_sp = &rest[sp..];
        let mut next = None;
        for d in DOT_WORDS {
            let head: String = after_sp
                .chars()
                .take(d.chars().count())
                .collect::<String>()
                .to_lowercase();
            if head == *d {
                let r = &after_sp[after_sp
                    .char_indices()
                    .nth(d.chars().count())
                    .map(|(k, _)| k)
                    .unwrap_or(after_sp.len())..];
                let sp2 = r.len() - r.trim_start_matches(' ').len();
                let is_word = d.chars().all(char::is_alphabetic);
                if is_word && (sp == 0 || sp2 == 0) {
                    continue;
                }
                // After a plain "at", a spaced "." is a sentence end.
                if *d == "." && !strong && (sp > 0 || sp2 > 0) {
                    continue;
                }
                next = Some(i + sp + (after_sp.len() - r.len()) + sp2);
                break;
            }
        }
        match next {
            Some(n) => {
                explicit = true;
                i = n;
            }
            None if sp == 1 => {
                // "gmail com": accept only a real TLD after a single space.
                let w: String = after_sp
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                // Only "provider tld" (one label before), never a third word:
                // "outlook dot com to the lawyer" ends at "com".
                if labels.len() == 1
                    && is_strong_tld(&w.to_ascii_lowercase())
                    && !after_sp[w.len()..].starts_with(|c: char| c.is_alphanumeric())
                {
                    i += sp;
                } else {
                    break;
                }
            }
            None => break,
        }
    }
    (labels.len() >= 2).then_some((end, labels, explicit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{LexiconSource, PersonSource};

    fn find(t: &str) -> Vec<(String, bool)> {
        let lex = Lexicon::build(&LexiconSource {
            persons: vec![PersonSource {
                key: "p".into(),
                name: "Дина".into(),
                emails: vec!["dina.kim@protonmail.com".into()],
                ..Default::default()
            }],
            ..Default::default()
        });
        let mut v = Vec::new();
        scan(t, &lex, &mut v);
        v.iter()
            .map(|c| {
                (
                    t[c.start..c.end].to_string(),
                    matches!(c.act, Act::Contact { .. }),
                )
            })
            .collect()
    }

    #[test]
    fn plain_addresses() {
        assert_eq!(
            find("пишите на gera.saparova@mail.ru."),
            vec![("gera.saparova@mail.ru".into(), false)]
        );
        assert_eq!(
            find("Email dina.kim@protonmail.com, Signal"),
            vec![("dina.kim@protonmail.com".into(), true)]
        );
        assert_eq!(find("x info@golos-stepi.kz y")[0].0, "info@golos-stepi.kz");
        assert_eq!(
            find("dina @ protonmail.com")[0],
            ("dina @ protonmail.com".into(), false)
        );
    }

    #[test]
    fn obfuscated_addresses() {
        assert_eq!(
            find("пишите gera.saparova собака mail.ru")[0].0,
            "gera.saparova собака mail.ru"
        );
        assert_eq!(
            find("write to dina.kim at protonmail dot com please")[0],
            ("dina.kim at protonmail dot com".into(), true)
        );
        assert_eq!(find("erlan at gmail com")[0].0, "erlan at gmail com");
        assert_eq!(
            find("name [at] mail [dot] ru")[0].0,
            "name [at] mail [dot] ru"
        );
        assert_eq!(
            find("name (at) gmail (dot) com")[0].0,
            "name (at) gmail (dot) com"
        );
    }

    #[test]
    fn prose_is_not_an_address() {
        assert!(find("I studied at KIMEP University").is_empty());
        assert!(find("met Dina at the office. Com").is_empty());
        assert!(find("rode bicycles at night. It was").is_empty());
        assert!(find("on Instagram @open.steppe.kz").is_empty());
        assert_eq!(
            find("emailed zarina.abenova at outlook dot com to the lawyer")[0].0,
            "zarina.abenova at outlook dot com"
        );
        assert!(find("@gera_eco").is_empty());
        assert!(find("a@b").is_empty());
    }
}
