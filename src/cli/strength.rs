//! Passphrase strength at `init`, `passwd` and `key rotate`.
//!
//! The passphrase is the only thing between a seized laptop and every
//! interlocutor's name, and Argon2id only multiplies the cost of each
//! guess: a passphrase from a short list of likely ones falls anyway. The
//! estimate is zxcvbn's (dictionaries, keyboard patterns, dates, repeats);
//! its score runs from 0 to 4, and below [`MIN_SCORE`] a new passphrase is
//! refused unless the researcher passes `--weak-passphrase`.
//!
//! zxcvbn works on its own copy of the text, which is not wiped; the
//! estimate runs once, in memory, before the passphrase is wrapped.

use anyhow::{bail, Result};

/// The lowest zxcvbn score accepted without `--weak-passphrase`: 3 is
/// "safely unguessable: moderate protection from an offline slow-hash
/// scenario" (about 10^10 guesses), which is what a seized vault faces.
pub const MIN_SCORE: u8 = 3;

/// Refuses a passphrase scoring below [`MIN_SCORE`] unless `weak_ok`.
/// The error says why in words and never repeats the passphrase.
pub fn check(passphrase: &str, weak_ok: bool) -> Result<()> {
    // An empty passphrase gets its own, plainer refusal from the vault.
    if weak_ok || passphrase.is_empty() {
        return Ok(());
    }
    let estimate = zxcvbn::zxcvbn(passphrase, &["fieldvault", "vault", "passphrase"]);
    let score = u8::from(estimate.score());
    if score >= MIN_SCORE {
        return Ok(());
    }
    let why = estimate
        .feedback()
        .and_then(|f| f.warning())
        .map(|w| format!(" ({})", w.to_string().trim_end_matches('.')))
        .unwrap_or_default();
    bail!(
        "the passphrase is too easy to guess: strength {score} of 4, at least {MIN_SCORE} needed{why}; use four or more random words, or pass --weak-passphrase to accept it"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passphrases_are_refused_and_long_random_ones_pass() {
        for weak in ["letmein", "qwerty123", "fieldvault2024", "aigerim1990"] {
            let e = check(weak, false).unwrap_err().to_string();
            assert!(e.contains("too easy to guess") && !e.contains(weak), "{e}");
            assert!(check(weak, true).is_ok());
        }
        for strong in [
            "correct horse battery staple 7",
            "news dev corpus passphrase 42",
            "plum orbit tundra candle 93",
        ] {
            assert!(check(strong, false).is_ok(), "{strong}");
        }
    }
}
