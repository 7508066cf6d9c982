//! The lexicon: what the researcher registered, expanded into stems with
//! suffix classes, plus the built-in gazetteer, compiled once and shared.
//!
//! WHY expand to stems and not to surface forms: see [`crate::trie`]. Each
//! registered token becomes a handful of (stem, [`Class`]) pairs: the full
//! form with every ending, the Russian stem without its final vowel, a
//! surname's family stem (Сапар- → Сапаров/Сапаровой/Сапарқызы), a
//! patronymic's father stem (Сейткали- → Сейткалиевич/Сейітқалиұлы), and the
//! given names' diminutives ([`crate::nicknames`]).//!
//! By concern: `source` (what the vault hands over), `model` (the compiled
//! lexicon and what its trie stores), `builder` (turning one registered
//! token into stems), `build` (the whole compilation), `terms` (the
//! spellings of registered terms), `builtin` (the gazetteer's places,
//! public figures and given names).

mod build;
mod builder;
mod builtin;
mod model;
mod source;
mod terms;

pub use model::Lexicon;
pub(crate) use model::{
    flags, pattern_token, prio, Form, Kind, Owner, Role, AMBIGUOUS_TOKEN, NAME_TOKEN,
};
pub(crate) use source::{phone_key, tokens};
pub use source::{LexiconSource, PersonSource, TermKind, TermSource};
