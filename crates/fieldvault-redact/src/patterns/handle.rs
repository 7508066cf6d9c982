//! Messenger and social-network handles: "@name" (Telegram, Instagram,
//! X), not the "@" inside an e-mail address. Registered handles are also
//! found without the "@" (gera_eco), by literal search in the engine.

use crate::candidate::{Act, Cand};
use crate::lexicon::{prio, Lexicon};
use crate::PatternKind;

/// Finds "@handle" in `text`.
pub(crate) fn scan(text: &str, lex: &Lexicon, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    for (at, _) in text.match_indices('@') {
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '@'))
        {
            continue;
        }
        let mut end = at + 1;
        while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_' || b[end] == b'.')
        {
            end += 1;
        }
        while end > at + 1 && b[end - 1] == b'.' {
            end -= 1;
        }
        let name = &text[at + 1..end];
        if name.len() < 2 || name.len() > 40 || !name.bytes().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        // "@ gmail.com" style e-mails and "@mail.ru" domains are not handles.
        if text[end..].starts_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        let key = name.to_ascii_lowercase();
        let (act, p) = match lex.handles.get(&key) {
            Some(&person) => (
                Act::Contact {
                    person,
                    kind: PatternKind::Handle,
                },
                prio::CONTACT,
            ),
            None => (Act::Pattern(PatternKind::Handle), prio::PATTERN),
        };
        out.push(Cand::new(at, end, p, act));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::LexiconSource;

    fn find(t: &str) -> Vec<&str> {
        let lex = Lexicon::build(&LexiconSource::default());
        let mut v = Vec::new();
        scan(t, &lex, &mut v);
        v.iter().map(|c| &t[c.start..c.end]).collect()
    }

    #[test]
    fn handles() {
        assert_eq!(
            find("типа @patriot_kz_2020 или @almaty_news_24."),
            vec!["@patriot_kz_2020", "@almaty_news_24"]
        );
        assert_eq!(find("(@dinakim_sec)"), vec!["@dinakim_sec"]);
    }

    #[test]
    fn not_handles() {
        assert!(find("gera.saparova@mail.ru").is_empty());
        assert!(find("a @ b, @1, @ 12, @@x").is_empty());
        assert!(find("@Ерлан").is_empty());
    }
}
