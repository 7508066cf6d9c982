//! The leak check: the full matcher run over an output, failing closed.
//!
//! WHY the same matcher: a leak check weaker than the redactor would pass
//! what the redactor missed, and one stronger would flag what the redactor
//! deliberately kept. Running the identical engine over the output means
//! `leak_check(redact(x))` is empty exactly when redaction is complete with
//! respect to everything the engine knows, and any text that did not go
//! through `redact` (an edited excerpt, a translation typed later, a
//! descriptor) is checked with the same rules. The engine's own replacement
//! tokens ("[Respondent 7]", "[phone]", term replacements) are masked first.

use crate::engine::{self, Act};
use crate::{Leak, Lexicon, RedactOptions};

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
/// replacement tokens the engine writes. Likely unregistered names are not
/// reported (see [`crate::suspects`] for those).
pub fn leak_check(lex: &Lexicon, text: &str) -> Vec<Leak> {
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
}
