//! URLs: with a scheme, starting with "www.", or a bare domain with a path
//! (instagram.com/arman_tl, t.me/name). A bare domain without a path is a
//! URL too (dinakim.kz, golos-stepi.kz: personal and organisation sites),
//! except a well-known service's home (facebook.com, zoom.us), which says
//! nothing about anyone.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::candidate::{Act, Cand};
use crate::lexicon::prio;
use crate::patterns::{is_strong_tld, is_tld, WELL_KNOWN};
use crate::PatternKind;

fn stop(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '<' | '>' | '"' | '«' | '»' | '“' | '”' | '\'' | '`' | '|' | '{' | '}' | '^'
        )
}

/// Trims trailing punctuation; keeps a ")" that closes a "(" in the URL.
fn trim_end(s: &str) -> usize {
    let mut end = s.len();
    loop {
        let Some(c) = s[..end].chars().next_back() else {
            return end;
        };
        let opens = s[..end].matches('(').count();
        let closes = s[..end].matches(')').count();
        if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ']' | '…' | '—' | '–')
            || (c == ')' && closes > opens)
        {
            end -= c.len_utf8();
        } else {
            return end;
        }
    }
}

fn extend(text: &str, from: usize) -> usize {
    let mut end = from;
    for (k, c) in text[from..].char_indices() {
        if stop(c) {
            break;
        }
        end = from + k + c.len_utf8();
    }
    from + trim_end(&text[from..end])
}

fn boundary_before(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '@' | '.' | '/' | '-' | '_')))
}

/// Finds URLs in `text`.
fn schemes() -> &'static AhoCorasick {
    static A: OnceLock<AhoCorasick> = OnceLock::new();
    A.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "https://", "http://", "ftp://", "hxxp://", "hxxps://", "www.",
            ])
            .expect("static patterns")
    })
}

/// Finds URLs in `text`.
pub(crate) fn scan(text: &str, out: &mut Vec<Cand>) {
    let mut covered_until = 0usize;
    let mut found: Vec<(usize, usize)> = Vec::new();
    // Scheme and www.
    for m in schemes().find_iter(text) {
        let (pos, plen) = (m.start(), m.end() - m.start());
        if plen == 4 && !boundary_before(text, pos) {
            continue;
        }
        let end = extend(text, pos + plen);
        if end > pos + plen + 1 {
            found.push((pos, end));
        }
    }
    // Bare domains: label(.label)*.tld, optionally followed by a path. Only
    // dots between two ASCII alphanumerics can be in one.
    let b = text.as_bytes();
    let mut next_from = 0usize;
    let mut k = 0;
    while let Some(off) = b[k..].iter().position(|&c| c == b'.') {
        let dot = k + off;
        k = dot + 1;
        if dot < next_from
            || dot == 0
            || dot + 1 >= b.len()
            || !b[dot - 1].is_ascii_alphanumeric()
            || !b[dot + 1].is_ascii_alphabetic()
        {
            continue;
        }
        // Back to the start of the run of [A-Za-z0-9.-].
        let mut s = dot;
        while s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'.' || b[s - 1] == b'-') {
            s -= 1;
        }
        while s < dot && !b[s].is_ascii_alphanumeric() {
            s += 1;
        }
        if !boundary_before(text, s) {
            next_from = dot + 1;
            continue;
        }
        let mut j = dot;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'.' || b[j] == b'-') {
            j += 1;
        }
        next_from = j;
        let run = text[s..j].trim_end_matches(['.', '-']);
        let run_end = s + run.len();
        let labels: Vec<&str> = run.split('.').collect();
        let next_char = text[run_end..].chars().next();
        let word_continues = next_char.is_some_and(|c| c.is_alphanumeric());
        if labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-'))
            && labels
                .last()
                .is_some_and(|t| is_tld(&t.to_ascii_lowercase()))
            && (text[run_end..].starts_with('/')
                || labels[..labels.len() - 1]
                    .iter()
                    .any(|l| l.len() >= 2 && l.chars().any(|c| c.is_ascii_alphabetic())))
            && !word_continues
            && !(text[run_end..].starts_with('@'))
        {
            let has_path = text[run_end..].starts_with('/');
            let tld = labels
                .last()
                .map(|t| t.to_ascii_lowercase())
                .unwrap_or_default();
            if !has_path && !is_strong_tld(&tld) {
                continue;
            }
            let end = if has_path {
                extend(text, run_end)
            } else {
                run_end
            };
            let domain = run.to_ascii_lowercase();
            let domain = domain.strip_prefix("www.").unwrap_or(&domain);
            if has_path || !WELL_KNOWN.contains(&domain) {
                found.push((s, end));
            }
            next_from = next_from.max(end);
        }
    }
    found.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
    for (s, e) in found {
        if s < covered_until {
            continue;
        }
        covered_until = e;
        out.push(Cand::new(
            s,
            e,
            prio::PATTERN,
            Act::Pattern(PatternKind::Url),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(t: &str) -> Vec<&str> {
        let mut v = Vec::new();
        scan(t, &mut v);
        v.iter().map(|c| &t[c.start..c.end]).collect()
    }

    #[test]
    fn urls() {
        assert_eq!(
            find("страница — https://www.facebook.com/aigerim.saparova.eco, там"),
            vec!["https://www.facebook.com/aigerim.saparova.eco"]
        );
        assert_eq!(
            find("(https://ok.ru/profile/577203918345)"),
            vec!["https://ok.ru/profile/577203918345"]
        );
        assert_eq!(
            find("сайт https://golos-stepi.kz, офис"),
            vec!["https://golos-stepi.kz"]
        );
        assert_eq!(
            find("link instagram.com/arman_tl."),
            vec!["instagram.com/arman_tl"]
        );
        assert_eq!(find("site dinakim.kz."), vec!["dinakim.kz"]);
        assert_eq!(find("Telegram at t.me/zabenova or"), vec!["t.me/zabenova"]);
        assert_eq!(
            find("see www.example.org/a?b=c."),
            vec!["www.example.org/a?b=c"]
        );
    }

    #[test]
    fn not_urls() {
        assert!(find("на facebook.com и в zoom.us").is_empty());
        assert!(find("т.е. и т.д., e.g. U.S. i.e.").is_empty());
        assert!(find("file report.pdf, version 2.0, 14.03.2021").is_empty());
        assert!(
            find("mail info@golos-stepi.kz").is_empty(),
            "e-mail domain is the e-mail's"
        );
        assert!(find("KIMEP University").is_empty());
    }
}
