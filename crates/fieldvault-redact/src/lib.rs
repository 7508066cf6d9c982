//! fieldvault's redaction engine.
//!
//! A [`Lexicon`] is compiled once from the vault's registered persons,
//! sensitive terms and allow-list ([`LexiconSource`]); [`redact`] then
//! replaces every registered identifier in any form it takes in Russian,
//! Kazakh or English text, plus personal data found by patterns;
//! [`leak_check`] runs the same matcher and an independent second detector
//! over any output and reports what survived; [`suspects`] lists
//! capitalised words that match nothing, for a human to register;
//! [`builtin_collisions`] tells, at registration, which built-in public
//! figures, places and common words a name coincides with.
//!
//! How it works, module by module:
//!
//! * `normalise`: before anything is matched, compatibility forms (NFKC:
//!   full-width digits and letters), invisible characters, combining marks
//!   and confusable letters of another script inside a word are folded,
//!   with a map back to the original offsets (a look-alike spelling is
//!   reported as [`MatchForm::Lookalike`]);
//! * [`skeleton`]: text and lexicon fold into a phonetic skeleton where
//!   Ерлан/Yerlan/Erlan, Жұмабаев/Zhumabayev/Jumabaev and
//!   Тлеубаев/Тілеубаев/Tıleubaev coincide (and, read the scholarly way,
//!   Кузнецова/Kuznecova, Ибраева/Ibrajeva);
//! * `morph`: Russian endings and Kazakh suffix chains as skeleton suffix
//!   sets per kind of stem (name, family, patronymic);
//! * `nicknames`: dictionary and rule-made diminutives (Надя → Наденька,
//!   Ерлан → Ерик, Арман → Арманжан);
//! * `lexicon`, `trie`: stems in a byte trie, walked once per word;
//! * `gazetteer`: cities, public figures, given names and frequent words
//!   that must survive or that flag unregistered persons;
//! * `patterns`: phones, e-mails (also "собака"/"at" obfuscated), URLs,
//!   handles, IINs, IBANs, cards, street addresses;
//! * `engine`: candidates from all of the above, resolved by priority; a
//!   name part several registered persons share goes to the one named in
//!   full in the text, or else to a neutral `[person]`
//!   ([`Reason::Ambiguous`]): never a guessed pseudonym;
//! * `leak`, `independent`: the leak check, the matcher again plus a second
//!   detector built differently (its own sound fold, prefix and one-edit
//!   matching of registered name parts, contacts as substrings), so the two
//!   do not share blind spots;
//! * `suspects`, `unregistered`, `collisions`: the checks around it.
//!
//! Decisions worth knowing:
//!
//! * Matching is per word (hyphens separate words), and a match replaces
//!   the whole word, suffixes included ("Ерланға" → "[Respondent 2]"): no
//!   character-level offset map is needed, replacement offsets are word
//!   boundaries of the input, and no case ending is left to hint at the name.
//! * A match is a stem plus an inflection its kind of stem takes, checked
//!   in the loose skeleton and, for names, again with vowels: a
//!   derivational suffix makes another word (Азат / Азаттық "freedom"),
//!   and a surname declines within its own formant (Есенов is not Есенин,
//!   Ерлан is not Ерланов).
//! * A registered term is a name of an organisation or a place, and is
//!   mentioned the way names are: its distinctive words alone before
//!   generic business words ("Көкжал" of "Көкжал Майнинг"), those generic
//!   words in the other script (Майнинг / Mining), a camel-case name written
//!   apart, and derived words of a village (Көкқайнар-лық-тар, its people),
//!   which for a person's name would be other words.
//! * Overlaps are settled by priority: registered contacts, then patterns
//!   (so a public figure's avenue in a private address goes), the allow-list,
//!   full public names, registered persons and terms, built-in cities and
//!   public figures, nicknames, unregistered names. Registered outranks
//!   built-in: a public figure whose full name a registered person bears
//!   protects nothing, and a registered name that is itself a common word
//!   ("Islam" for Ислам) is matched where the word reads as the common one;
//!   the built-in lists only keep the unregistered-name detector off
//!   ordinary text.
//! * [`RedactOptions::default`] also replaces likely names of unregistered
//!   third parties with `[name]`: in these interviews colleagues, relatives
//!   and officers are as exposed as the respondent. Cities, public figures
//!   and allow-listed names outrank the detector; a person who asked to be
//!   named should be put on the allow-list so the detector leaves them too.
//!
//! Quality and speed are measured, not assumed: `tests/corpus.rs` scores the
//! public evaluation corpus and two synthetic ones with the scorer's rules,
//! `examples/eval_corpus.rs` writes outputs for `score.py`, and
//! `benches/throughput.rs` measures MB/s for 10 to 10,000 persons on
//! generated text and on interview text (`benches/interview.rs`); the
//! figures and where the time goes are in `docs/redaction-performance.md`
//! at the repository root.
//!
//! Texts are analysed in chunks of about 64 KiB that end at line breaks;
//! [`redact_parallel`] and [`Redactor`] analyse the chunks on several
//! threads and write them in text order, byte for byte what [`redact`]
//! writes (`tests/module_graph.rs` keeps the module graph free of cycles).
//!
//! The crate has no `unsafe` code and never panics on any input (see the
//! property tests).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod candidate;
mod collisions;
mod engine;
mod fastcase;
mod figures;
mod gazetteer;
mod independent;
mod leak;
mod lexicon;
mod morph;
mod nicknames;
mod normalise;
mod patterns;
pub mod skeleton;
mod suspects;
mod tokenize;
mod trie;
mod types;
mod unregistered;

pub use collisions::{builtin_collisions, collision_warning, Collision, CollisionKind};
pub use engine::{chunk_len, Redactor, CHUNK as CHUNK_BYTES};
pub use figures::public_figures;
pub use leak::{independent_check, leak_check};
pub use lexicon::{Lexicon, LexiconSource, PersonSource, TermKind, TermSource};
pub use suspects::suspects;
pub use types::{
    Leak, MatchForm, PatternKind, Reason, RedactOptions, Redacted, Replacement, Suspect,
};

/// Redacts `text`: every registered person, term and contact in any form,
/// and (per `opts`) personal data found by patterns and likely unregistered
/// names. Never panics; replacement offsets are char boundaries of `text`.
pub fn redact(lex: &Lexicon, text: &str, opts: &RedactOptions) -> Redacted {
    engine::redact(lex, text, opts)
}

/// [`redact`] on `threads` threads (chunks that end at line breaks are
/// analysed in parallel): byte for byte the same result. For a text that
/// arrives in pieces, see [`Redactor`] and [`chunk_len`].
pub fn redact_parallel(
    lex: &Lexicon,
    text: &str,
    opts: &RedactOptions,
    threads: usize,
) -> Redacted {
    engine::redact_parallel(lex, text, opts, threads)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lexicon_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<super::Lexicon>();
    }
}
