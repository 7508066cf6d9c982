//! One scanner for everything made of digit groups: phones, IINs, cards,
//! and registered phone numbers in whatever format they were typed.
//!
//! WHY one scanner: the three overlap in shape (an IIN is 12 digits, a card
//! 16, a phone 10–11), and deciding by the digit count of a whole run of
//! groups is more reliable than three regexes racing. A run is split at
//! group boundaries when the whole does not classify ("в 2020 8 701 …").

use crate::candidate::{Act, Cand};
use crate::lexicon::{phone_key, prio, Lexicon};
use crate::patterns::{card, iin, phone};
use crate::tokenize::Word;
use crate::PatternKind;

/// A digit group: byte range in the text.
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
}

const MAX_GROUPS: usize = 10;

/// Finds digit-group numbers in `text`.
pub(crate) fn scan(text: &str, words: &[Word], lex: &Lexicon, out: &mut Vec<Cand>) {
    // Runs start at a word that starts with a digit, or at the "+" or "("
    // just before it: visit those instead of every byte.
    let b = text.as_bytes();
    let mut consumed = 0;
    for w in words {
        if w.start < consumed || !b[w.start].is_ascii_digit() {
            continue;
        }
        let mut s = w.start;
        while s > 0 && matches!(b[s - 1], b'+' | b'(') && w.start - s < 2 {
            s -= 1;
        }
        consumed = run_at(text, lex, s, out).max(w.end);
    }
}

/// Parses and classifies the run of digit groups starting at byte `i`;
/// returns where scanning may resume.
fn run_at(text: &str, lex: &Lexicon, i: usize, out: &mut Vec<Cand>) -> usize {
    let b = text.as_bytes();
    let c = b[i];
    let starts = c.is_ascii_digit()
        || (c == b'+' && next_digit_within(b, i + 1, 2))
        || (c == b'(' && i + 1 < b.len() && b[i + 1].is_ascii_digit());
    if !starts {
        return i + 1;
    }
    if !left_boundary(text, i) {
        let mut k = i + 1;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        return k;
    }
    let run_start = i;
    let plus = c == b'+';
    let mut p = i;
    if plus || c == b'(' {
        p += 1;
    }
    while p < b.len() && (b[p] == b' ' || b[p] == b'(') && p < run_start + 3 {
        p += 1;
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut seps_ok = true; // only spaces, dashes, brackets between groups
    let mut dotted = false;
    loop {
        let gs = p;
        while p < b.len() && b[p].is_ascii_digit() {
            p += 1;
        }
        if p == gs {
            break;
        }
        groups.push(Group { start: gs, end: p });
        if groups.len() >= MAX_GROUPS {
            break;
        }
        // Separators.
        let mut k = p;
        let mut n = 0;
        let mut has_dot = false;
        while k < b.len() && n < 3 {
            match b[k] {
                b' ' | b'-' | b'(' | b')' => k += 1,
                b'.' => {
                    has_dot = true;
                    k += 1
                }
                0xC2 if b.get(k + 1) == Some(&0xA0) => k += 2,
                0xE2 if b.get(k + 1) == Some(&0x80)
                    && matches!(b.get(k + 2), Some(0x90..=0x93)) =>
                {
                    k += 3
                }
                _ => break,
            }
            n += 1;
        }
        let sep = &text[p..k];
        if n == 0
            || k >= b.len()
            || !b[k].is_ascii_digit()
            || sep.contains(". ")
            || sep.contains("  ")
        {
            break;
        }
        if has_dot {
            dotted = true;
        }
        p = k;
    }
    if groups.is_empty() {
        return i + 1;
    }
    if dotted {
        seps_ok = false;
    }
    let run_end = groups.last().map(|g| g.end).unwrap_or(i + 1);
    classify_run(text, lex, run_start, plus, &groups, seps_ok, out);
    run_end.max(i + 1)
}

fn next_digit_within(b: &[u8], from: usize, max_spaces: usize) -> bool {
    let mut k = from;
    let mut s = 0;
    while k < b.len() && (b[k] == b' ' || b[k] == b'(') && s < max_spaces {
        k += 1;
        s += 1;
    }
    k < b.len() && b[k].is_ascii_digit()
}

/// A number may start here: not inside a word, an e-mail, a URL path or a
/// decimal number.
fn left_boundary(text: &str, i: usize) -> bool {
    let Some(prev) = text[..i].chars().next_back() else {
        return true;
    };
    if prev.is_alphanumeric()
        || matches!(
            prev,
            '_' | '@' | '/' | '\\' | '=' | '&' | '#' | '%' | '+' | '-'
        )
    {
        return false;
    }
    if matches!(prev, '.' | ',') {
        let before = text[..i - 1].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    true
}

fn right_boundary(text: &str, end: usize) -> bool {
    match text.get(end..).and_then(|s| s.chars().next()) {
        None => true,
        Some(c) => !(c.is_alphanumeric() || c == '_' || c == '@'),
    }
}

fn phone_context(text: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(48);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text[from..start].to_lowercase();
    phone::CONTEXT.iter().any(|w| before.contains(w))
}

fn classify_run(
    text: &str,
    lex: &Lexicon,
    run_start: usize,
    plus: bool,
    groups: &[Group],
    seps_ok: bool,
    out: &mut Vec<Cand>,
) {
    let bytes = text.as_bytes();
    let mut g0 = 0;
    while g0 < groups.len() {
        let mut emitted = None;
        for g1 in (g0..groups.len()).rev() {
            let gs = &groups[g0..=g1];
            let digits: Vec<u8> = gs
                .iter()
                .flat_map(|g| bytes[g.start..g.end].iter().copied())
                .collect();
            let lens: Vec<usize> = gs.iter().map(|g| g.end - g.start).collect();
            let end = gs[gs.len() - 1].end;
            if !right_boundary(text, end) && g1 + 1 == groups.len() {
                continue;
            }
            let is_plus = plus && g0 == 0;
            let start = if g0 == 0 { run_start } else { gs[0].start };
            // A start at "(" needs the matching ")" to be inside the span.
            let start = if bytes[start] == b'(' && !text[start..end].contains(')') {
                gs[0].start
            } else {
                start
            };
            // Registered numbers first, in any format.
            if digits.len() >= 5 {
                let key = phone_key(std::str::from_utf8(&digits).unwrap_or(""));
                if let Some(&p) = lex.phones.get(&key) {
                    emitted = Some((
                        start,
                        end,
                        Act::Contact {
                            person: p,
                            kind: PatternKind::Phone,
                        },
                        prio::CONTACT,
                        g1,
                    ));
                    break;
                }
            }
            let kind = if lens.len() <= 2
                && digits.len() == 12
                && (lens.len() == 1 || lens == [6, 6])
                && !is_plus
            {
                iin::looks_like(&digits).then_some(PatternKind::Iin)
            } else if !is_plus && card::is_card(&digits, &lens, seps_ok) {
                Some(PatternKind::Card)
            } else if phone::is_phone(&digits, &lens, is_plus, false)
                || (digits.len() <= 7
                    && phone::is_phone(&digits, &lens, is_plus, true)
                    && phone_context(text, start))
            {
                Some(PatternKind::Phone)
            } else {
                None
            };
            if let Some(k) = kind {
                emitted = Some((start, end, Act::Pattern(k), prio::PATTERN, g1));
                break;
            }
        }
        match emitted {
            Some((start, end, act, p, g1)) => {
                out.push(Cand::new(start, end, p, act));
                g0 = g1 + 1;
            }
            None => g0 += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{LexiconSource, PersonSource};

    fn find(t: &str) -> Vec<(String, String)> {
        let lex = Lexicon::build(&LexiconSource {
            persons: vec![PersonSource {
                key: "p".into(),
                name: "Ерлан".into(),
                phones: vec!["87753920418".into()],
                ..Default::default()
            }],
            ..Default::default()
        });
        let mut v = Vec::new();
        let mut ws = Vec::new();
        crate::tokenize::words(t, &mut ws);
        scan(t, &ws, &lex, &mut v);
        v.iter()
            .map(|c| (t[c.start..c.end].to_string(), format!("{:?}", c.act)))
            .collect()
    }

    #[test]
    fn kazakhstan_phone_formats() {
        for p in [
            "+7 701 482 19 37",
            "8 (727) 255-44-11",
            "+7-777-304-18-62",
            "8 (7232) 24-61-93",
            "+7 (7252) 53-18-07",
            "8-702-118-44-90",
            "+77029931847",
            "8 776 245 11 09",
            "+7 (708) 915-60-27",
        ] {
            let t = format!("номер {p}, ок");
            let f = find(&t);
            assert_eq!(f.len(), 1, "{p}: {f:?}");
            assert_eq!(f[0].0, p);
            assert!(f[0].1.contains("Phone"), "{p}: {f:?}");
        }
    }

    #[test]
    fn registered_phone_in_another_format() {
        let f = find("звоните 8 775 392 04 18.");
        assert_eq!(f[0].0, "8 775 392 04 18");
        assert!(f[0].1.contains("Contact"));
    }

    #[test]
    fn iin_and_cards() {
        let f = find("ИИН 870415305841, карта 4400 4351 6410 5013 и 4405764342701871.");
        assert_eq!(f.len(), 3, "{f:?}");
        assert!(f[0].1.contains("Iin"));
        assert!(f[1].1.contains("Card") && f[2].1.contains("Card"));
    }

    #[test]
    fn dates_years_amounts_survive() {
        for t in [
            "14.03.2021",
            "в 2019-м, 2020-2021 годах",
            "1 000 000 тенге",
            "500 тенге в месяц",
            "19 August 2021",
            "шестьдесят 69 лет",
            "3.1415926535",
            "ISO 9001:2015",
            "стр. 12-14",
        ] {
            assert!(find(t).is_empty(), "{t}: {:?}", find(t));
        }
    }

    #[test]
    fn local_number_needs_a_phone_word() {
        assert_eq!(find("позвонили с номера 255-44-11").len(), 1);
        assert!(find("счёт 255-44-11").is_empty());
    }
}
