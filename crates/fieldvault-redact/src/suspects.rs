//! Suspects: capitalised words that matched nothing registered, are not
//! frequent words, cities, public figures or allowed names. A human reads
//! the list and registers the ones that are people or places to protect.

use crate::engine::{self, Act};
use crate::{Lexicon, RedactOptions, Suspect};

/// Capitalised words in `text` that match no registered person or term,
/// are not common words, allowed names, public figures or cities. Words the
/// unregistered-name detector flags are included; other sentence-initial
/// words are not (a capital there says nothing).
pub fn suspects(lex: &Lexicon, text: &str) -> Vec<Suspect> {
    let mut out = Vec::new();
    for (off, chunk) in engine::chunks(text) {
        suspects_chunk(lex, chunk, off, &mut out);
    }
    out
}

fn suspects_chunk(lex: &Lexicon, text: &str, off: usize, out: &mut Vec<Suspect>) {
    let opts = RedactOptions {
        unregistered_names: false,
        patterns: true,
    };
    let a = engine::analyze(lex, text, &opts, true);
    let covered = |s: usize, e: usize| {
        let k = a.accepted.partition_point(|c| c.end <= s);
        a.accepted
            .get(k)
            .is_some_and(|c| c.start < e && !matches!(c.act, Act::Unregistered))
    };
    let flagged = |s: usize| a.unregistered.iter().any(|c| c.start == s);
    for w in &a.words {
        if !w.caps.capitalised() || w.digits {
            continue;
        }
        let word = &text[w.start..w.end];
        if word.chars().filter(|c| c.is_alphabetic()).count() < 2 || covered(w.start, w.end) {
            continue;
        }
        let l = word.to_lowercase();
        if lex.stop.contains(&l)
            || lex.common_caps.contains(&l)
            || lex.titles.contains(&l)
            || lex.honorifics.contains(&l)
        {
            continue;
        }
        if w.initial && !flagged(w.start) {
            continue;
        }
        out.push(Suspect {
            start: off + w.start,
            end: off + w.end,
            word: word.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LexiconSource, PersonSource};

    #[test]
    fn lists_unknown_capitalised_words_only() {
        let lex = Lexicon::build(&LexiconSource {
            persons: vec![PersonSource {
                key: "p".into(),
                name: "Ерлан Жумабаев".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let t = "Интервьюер: Вчера Ерлан видел Кайсара в Шымкенте, в понедельник. WhatsApp. Марат пришёл.";
        let words: Vec<String> = suspects(&lex, t).into_iter().map(|s| s.word).collect();
        // Not the speaker label, a sentence-initial common word, the
        // registered person, a city, a weekday or a service; the flagged
        // given name at a sentence start is listed.
        assert_eq!(words, vec!["Кайсара", "Марат"]);
    }
}
