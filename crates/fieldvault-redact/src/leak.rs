//! The leak check: two detectors over an output, failing closed.
//!
//! 1. The full matcher run again: any text that did not go through
//!    `redact` (an edited excerpt, a translation typed later, a
//!    descriptor) is checked with the same rules.
//! 2. The independent check ([`crate::independent`]), built differently,
//!    so that what the matcher cannot see (a rule missing, a form nobody
//!    foresaw) is still caught: the two do not share blind spots.
//!
//! A span either reports is a leak. The engine's own replacement tokens
//! ("[Respondent 7]", "[phone]", term replacements) are masked first.

use crate::engine::{self, Act};
use crate::independent::Finding;
use crate::normalise;
use crate::{Leak, Lexicon, MatchForm, Reason, RedactOptions};

/// Replaces the engine's own replacement tokens by spaces (byte lengths and
/// char boundaries are kept).
fn mask(lex: &Lexicon, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'[' {
            if let Some(rel) = text[i..].find(']') {
                let end = i + rel + 1;
                let tok = &text[i..end];
                if rel < 200 && !tok.contains('\n') && lex.replacements.contains(tok) {
                    out.push_str(&text[pos..i]);
                    out.extend(std::iter::repeat_n(' ', end - i));
                    pos = end;
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.push_str(&text[pos..]);
    out
}

/// Finds every registered identifier (persons, terms, contacts in any form)
/// and every pattern-detected personal datum left in `text`, ignoring the
/// replacement tokens the engine writes, by the matcher and by the
/// independent check. Likely unregistered names are not reported (see
/// [`crate::suspects`] for those).
pub fn leak_check(lex: &Lexicon, text: &str) -> Vec<Leak> {
    let mut out = matcher_check(lex, text);
    for l in independent_check(lex, text) {
        if !out.iter().any(|m| m.start < l.end && l.start < m.end) {
            out.push(l);
        }
    }
    out.sort_by_key(|l| (l.start, l.end));
    out
}

/// The independent check alone (the `independent` module): capitalised words
/// beginning with a registered name part of four letters or more (within
/// one edit from six), registered e-mails and handles anywhere, numbers
/// holding a registered phone's local number. Reported as
/// [`MatchForm::Similar`] (or [`MatchForm::Contact`]).
pub fn independent_check(lex: &Lexicon, text: &str) -> Vec<Leak> {
    let masked = mask(lex, text);
    let mut found: Vec<Finding> = Vec::new();
    if normalise::needed(&masked) {
        let (mut norm, mut map) = (String::new(), Vec::new());
        normalise::normalise_into(&masked, &mut norm, &mut map, &mut Vec::new());
        lex.independent.check(&norm, &mut found);
        for f in found.iter_mut() {
            f.start = map[f.start] as usize;
            f.end = map[f.end] as usize;
            while !masked.is_char_boundary(f.end) {
                f.end += 1;
            }
        }
    } else {
        lex.independent.check(&masked, &mut found);
    }
    found
        .into_iter()
        .filter(|f| f.start < f.end)
        .map(|f| Leak {
            start: f.start,
            end: f.end,
            reason: Reason::Person {
                key: lex.persons[f.person as usize].key.clone(),
                form: if f.contact {
                    MatchForm::Contact
                } else {
                    MatchForm::Similar
                },
            },
        })
        .collect()
}

/// The matcher run over `text`.
fn matcher_check(lex: &Lexicon, text: &str) -> Vec<Leak> {
    let masked = mask(lex, text);
    let opts = RedactOptions {
        unregistered_names: false,
        patterns: true,
    };
    let mut out = Vec::new();
    let mut work = engine::Work::default();
    for (off, chunk) in engine::chunks(&masked) {
        let accepted = engine::analyze_normalised(lex, chunk, &opts, false, &mut work);
        out.extend(
            accepted
                .iter()
                .filter(|c| !matches!(c.act, Act::Keep | Act::Unregistered))
                .filter_map(|c| {
                    engine::reason(lex, &c.act).map(|reason| Leak {
                        start: off + c.start,
                        end: off + c.end,
                        reason,
                    })
                }),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LexiconSource, PersonSource};

    #[test]
    fn masks_only_known_tokens() {
        let lex = Lexicon::build(&LexiconSource {
            persons: vec![PersonSource {
                key: "p1".into(),
                replacement: "[Respondent 1]".into(),
                name: "Ерлан".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let m = mask(&lex, "a [Respondent 1] b [phone] [Ерлан] ]");
        assert_eq!(m.len(), "a [Respondent 1] b [phone] [Ерлан] ]".len());
        assert!(m.contains("[Ерлан]"));
        assert!(!m.contains("Respondent"));
        assert_eq!(leak_check(&lex, "[Respondent 1] сказал").len(), 0);
        assert_eq!(leak_check(&lex, "[Ерлан] сказал").len(), 1);
    }

    /// With the matcher's inflection rules switched off, inflected names
    /// survive redaction and the matcher's own check (same blind spot);
    /// the independent check still refuses the output.
    #[test]
    fn mutation_the_independent_check_catches_what_a_disabled_rule_misses() {
        let src = LexiconSource {
            persons: vec![PersonSource {
                key: "p1".into(),
                replacement: "[Respondent 1]".into(),
                name: "Тілеубаев Ерлан Маратович".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut lex = Lexicon::build(&src);
        let texts = [
            "Мы говорили с Ерланом вчера.",
            "Ерланға хат жаздым.",
            "Дом Тілеубаевтың ауласында.",
            "Ерланды шақырдық.",
        ];
        for t in texts {
            assert_eq!(matcher_check(&lex, t).len(), 1, "{t}");
        }
        lex.mutation_no_inflection = true;
        for t in texts {
            let r = crate::redact(&lex, t, &RedactOptions::default());
            assert_eq!(r.text, t, "the mutation leaves the name");
            assert!(matcher_check(&lex, &r.text).is_empty(), "{t}");
            let leaks = leak_check(&lex, &r.text);
            assert_eq!(leaks.len(), 1, "{t}: {leaks:?}");
            assert_eq!(
                leaks[0].reason,
                Reason::Person {
                    key: "p1".into(),
                    form: MatchForm::Similar
                }
            );
        }
    }
}
