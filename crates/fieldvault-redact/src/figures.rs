//! Public figures the built-in lists keep, for the review's questions.
//!
//! WHY: built-in lists only keep the unregistered-name detector off
//! ordinary text; a private person who shares a president's name is kept
//! with him. The researcher answers once (allow the name, or register the
//! person), so the review asks about each such span.

use crate::engine::{self, Act};
use crate::gazetteer;
use crate::lexicon::prio;
use crate::{Lexicon, RedactOptions};

/// Byte spans of `text` kept only because a built-in list names a public
/// figure: a known surname alone, or a known full name written without
/// hyphens (hyphenated built-in sequences are places: Нур-Султан). The
/// researcher's own allow-list outranks these and is not reported.
pub fn public_figures(lex: &Lexicon, text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut work = engine::Work::default();
    let opts = RedactOptions {
        unregistered_names: false,
        patterns: true,
    };
    for (off, chunk) in engine::chunks(text) {
        for c in engine::analyze(lex, chunk, &opts, false, &mut work) {
            let span = &chunk[c.start..c.end];
            let figure =
                c.prio == prio::FIGURE || (c.prio == prio::PUBLIC_SEQUENCE && !span.contains('-'));
            if c.act == Act::Keep
                && figure
                && span.chars().next().is_some_and(char::is_uppercase)
                && !is_ordinary_word(span)
            {
                out.push((off + c.start, off + c.end));
            }
        }
    }
    out
}

/// A single word that is a common word, or one with a short ending on it
/// (Kazakh "мамама", to my mother): a built-in name form can coincide with
/// it ("Мама" beside the figure Мамай), and asking whether "Мама" is a
/// public figure is noise.
fn is_ordinary_word(span: &str) -> bool {
    if span.contains(|c: char| !c.is_alphabetic()) {
        return false;
    }
    let lower = span.to_lowercase();
    let len = lower.chars().count();
    gazetteer::words(gazetteer::STOPWORDS).any(|w| {
        let n = w.chars().count();
        lower == w || (n >= 4 && len <= n + 3 && lower.starts_with(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LexiconSource;

    #[test]
    fn reports_figures_not_cities_or_allowed_words() {
        let lex = Lexicon::build(&LexiconSource {
            allow: vec!["Токаев".into()],
            ..Default::default()
        });
        let text = "Путин приехал в Алматы, Токаев тоже.";
        let found: Vec<&str> = public_figures(&lex, text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert!(found.contains(&"Путин"), "{found:?}");
        assert!(
            !found.contains(&"Алматы") && !found.contains(&"Токаев"),
            "{found:?}"
        );
    }

    #[test]
    fn an_ordinary_word_near_a_figure_name_is_not_a_figure() {
        let lex = Lexicon::build(&LexiconSource::default());
        for text in [
            "Сын тогда сказал: «Мама, хватит, ты не железная».",
            "Мамама да достыққа сұраныс келді.",
        ] {
            let found: Vec<&str> = public_figures(&lex, text)
                .into_iter()
                .map(|(s, e)| &text[s..e])
                .collect();
            assert!(found.is_empty(), "{text}: {found:?}");
        }
    }
}
