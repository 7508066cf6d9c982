//! The engine: one pass of the patterns and one pass of the word matcher
//! produce candidate spans; overlaps are resolved by priority, then length;
//! the survivors are written out.
//!
//! WHY candidates with priorities instead of sequential rewriting: rewriting
//! pattern by pattern shifts offsets and lets a later rule match inside an
//! earlier replacement. Collecting every candidate against the original text
//! and resolving once keeps offsets exact and the decision explainable: a
//! city (keep) beats a nickname (redact) on the same word, a registered
//! surname beats a public figure's same surname, a full public name
//! ("Нурсултан Назарбаев") beats an interlocutor's given name inside it, and
//! an address beats the public figure whose name the street bears.
//!
//! The stages live in submodules: `matching` (registered forms and
//! contacts), `overlap` (resolution), `render` (replacements and reasons);
//! this module drives them chunk by chunk.

mod matching;
mod overlap;
mod render;

pub(crate) use crate::candidate::{Act, Cand, Hit};
pub(crate) use crate::tokenize::initials_before;
pub(crate) use overlap::resolve;
pub(crate) use render::reason;

use crate::lexicon::{flags, Lexicon};
use crate::normalise;
use crate::tokenize::{self, Caps, Word};
use crate::{patterns, unregistered, MatchForm, RedactOptions, Redacted, Replacement};
use matching::{absorb_contacts, match_word, registered_contacts, units_to_cands, Scratch};
use render::{mergeable, replacement_of};

/// Hyphen-attached Kazakh patronymic formants ("Nurlan-uly").
const ATTACHED_PATRONYMIC: &[&str] = &[
    "ұлы", "улы", "uly", "ūly", "ulı", "uli", "қызы", "кызы", "qyzy", "kyzy", "qızı", "kizi",
];

/// Runs the matcher and the patterns over `text`.
pub(crate) fn analyze(
    lex: &Lexicon,
    text: &str,
    opts: &RedactOptions,
    want_unregistered: bool,
    work: &mut Work,
) -> Vec<Cand> {
    let Work {
        norm: _,
        named_in_full: _,
        map: _,
        alts,
        words,
        lowered,
        hits,
        cands,
        unreg,
        sc,
    } = work;
    tokenize::words(text, words);
    lowered.rebuild(text, words);
    cands.clear();
    hits.clear();
    unreg.clear();
    if opts.patterns {
        patterns::scan(text, words, lex, cands);
    }
    registered_contacts(lex, text, cands);
    absorb_contacts(cands);

    let mut continues_sequence = false;
    for (i, w) in words.iter().enumerate() {
        let before = hits.len();
        // Lower-case words matter only as later words of a multi-word entry
        // ("Голос степи") or when some entry is registered in lower case.
        if !(w.caps.capitalised() || lex.lowercase_first || continues_sequence) {
            continues_sequence = false;
            // Words derived from a registered place are written in lower
            // case (көкқайнарлықтар, кокқайнарские): a two-letter prefix
            // test picks the few that may be.
            if w.caps == Caps::Lower && lex.may_derive_from_place(&text[w.start..w.end]) {
                let lw = lowered.get(text, words, i);
                sc.lower_derived = true;
                match_word(lex, text, w, i, i, w.start, w.end, None, lw, sc, hits);
                sc.lower_derived = false;
            }
            continue;
        }
        let lw = lowered.get(text, words, i);
        match_word(lex, text, w, i, i, w.start, w.end, None, lw, sc, hits);
        if !alts.is_empty() {
            if let Ok(k) = alts.binary_search_by_key(&w.start, |a| a.0) {
                match_word(
                    lex,
                    text,
                    w,
                    i,
                    i,
                    w.start,
                    w.end,
                    Some(&alts[k].1),
                    lw,
                    sc,
                    hits,
                );
            }
        }
        // "Nurlan-uly": a patronymic written with a hyphen.
        if let Some(n) = words.get(i + 1) {
            if w.caps.capitalised() && &text[w.end..n.start] == "-" {
                let nl = text[n.start..n.end].to_lowercase();
                if ATTACHED_PATRONYMIC.iter().any(|p| nl.starts_with(p)) {
                    let joined = format!("{}{}", &text[w.start..w.end], &text[n.start..n.end]);
                    match_word(
                        lex,
                        text,
                        w,
                        i,
                        i + 1,
                        w.start,
                        n.end,
                        Some(&joined),
                        lw,
                        sc,
                        hits,
                    );
                }
            }
        }
        continues_sequence = hits[before..]
            .iter()
            .any(|h| lex.flags_of(&h.form) & flags::CONTINUES != 0);
    }

    units_to_cands(lex, text, words, hits, cands);
    if want_unregistered {
        unregistered::detect(lex, text, words, lowered, hits, unreg);
        if opts.unregistered_names {
            cands.extend(unreg.iter().cloned());
        }
    }
    resolve(std::mem::take(cands))
}

/// Runs [`analyze`] over the normalised text (see [`crate::normalise`])
/// and maps the candidates back onto `text`. A registered person's name
/// found only because of the normalisation is reported as
/// [`MatchForm::Lookalike`].
pub(crate) fn analyze_normalised(
    lex: &Lexicon,
    text: &str,
    opts: &RedactOptions,
    want_unregistered: bool,
    work: &mut Work,
) -> Vec<Cand> {
    if !normalise::needed(text) {
        work.alts.clear();
        return analyze(lex, text, opts, want_unregistered, work);
    }
    let mut norm = std::mem::take(&mut work.norm);
    let mut map = std::mem::take(&mut work.map);
    normalise::normalise_into(text, &mut norm, &mut map, &mut work.alts);
    let mut cands = analyze(lex, &norm, opts, want_unregistered, work);
    let back = |s: usize, e: usize| -> (usize, usize) {
        let os = map[s] as usize;
        let mut oe = map[e] as usize;
        if e > s && map[e] == map[e - 1] {
            // The span ends inside what one original character became.
            let from = map[e - 1] as usize;
            oe = from + text[from..].chars().next().map_or(0, char::len_utf8);
        }
        (os, oe.max(os))
    };
    for c in cands.iter_mut() {
        let (os, oe) = back(c.start, c.end);
        if let Act::Person { form, .. } = &mut c.act {
            if text[os..oe] != norm[c.start..c.end] {
                *form = MatchForm::Lookalike;
            }
        }
        c.start = os;
        c.end = oe;
    }
    for c in work.unreg.iter_mut() {
        let (os, oe) = back(c.start, c.end);
        c.start = os;
        c.end = oe;
    }
    work.norm = norm;
    work.map = map;
    cands
}

/// Buffers reused from one chunk to the next, so that a large text is
/// analysed without allocating per chunk.
#[derive(Default)]
pub(crate) struct Work {
    /// The chunk normalised, when it needs it, and the map back.
    norm: String,
    map: Vec<u32>,
    /// Persons named in full (two name parts together) so far in the text:
    /// they decide whose a shared name part is.
    named_in_full: Vec<u32>,
    /// Readings by sound of half-Cyrillic Latin words (see
    /// [`normalise::normalise_into`]), by start in the normalised chunk.
    alts: Vec<(usize, String)>,
    /// The chunk's words.
    pub words: Vec<Word>,
    pub lowered: tokenize::Lowered,
    pub hits: Vec<Hit>,
    pub cands: Vec<Cand>,
    /// Unregistered-name candidates (whether or not accepted).
    pub unreg: Vec<Cand>,
    sc: Scratch,
}

/// The public `redact`.
pub(crate) fn redact(lex: &Lexicon, text: &str, opts: &RedactOptions) -> Redacted {
    let mut out = String::with_capacity(text.len());
    let mut replacements = Vec::new();
    let mut work = Work::default();
    for (off, chunk) in chunks(text) {
        redact_chunk(
            lex,
            chunk,
            off,
            opts,
            &mut work,
            &mut out,
            &mut replacements,
        );
    }
    Redacted {
        text: out,
        replacements,
    }
}

/// Target chunk size. Texts are analysed in chunks that end at a line
/// break: nothing the engine matches spans a line break (names, terms,
/// numbers, addresses and URLs all stop there), so chunking changes no
/// result and keeps memory and caches small on large inputs.
const CHUNK: usize = 64 * 1024;

/// Splits `text` into (offset, chunk) pieces ending at line breaks (or, in
/// a pathological line, at a space or char boundary).
pub(crate) fn chunks(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let end = if text.len() - start <= CHUNK {
            text.len()
        } else {
            let b = text.as_bytes();
            let from = start + CHUNK;
            let nl = b[from..]
                .iter()
                .take(4 * CHUNK)
                .position(|&c| c == b'\n')
                .map(|k| from + k + 1);
            let sp = || {
                b[from..]
                    .iter()
                    .take(4 * CHUNK)
                    .position(|&c| c == b' ')
                    .map(|k| from + k + 1)
            };
            match nl.or_else(sp) {
                Some(e) => e,
                None => {
                    let mut e = from;
                    while e < text.len() && !text.is_char_boundary(e) {
                        e += 1;
                    }
                    e
                }
            }
        };
        pos = end;
        Some((start, &text[start..end]))
    })
}

/// One replacement about to be written: a candidate, possibly merged with
/// the ones beside it (`parts` of them).
struct Rep {
    start: usize,
    end: usize,
    act: Act,
    alt: u32,
    parts: u8,
}

fn redact_chunk(
    lex: &Lexicon,
    text: &str,
    off: usize,
    opts: &RedactOptions,
    work: &mut Work,
    out: &mut String,
    replacements: &mut Vec<Replacement>,
) {
    let accepted = analyze_normalised(lex, text, opts, opts.unregistered_names, work);
    let mut reps: Vec<Rep> = Vec::new();
    for mut c in accepted {
        if c.act == Act::Keep {
            continue;
        }
        if let Some(last) = reps.last_mut() {
            let gap = &text[last.end..c.start];
            // Spaces, or one hyphen: "Жан-Поля" is one name, one span.
            let spaces = tokenize::joins(gap);
            if spaces {
                // A name part that several persons share goes to the person
                // whose other name part stands beside it.
                if let (Act::Person { person: p1, .. }, Act::Person { person: p2, form }) =
                    (&last.act, &c.act)
                {
                    if p1 != p2 {
                        if lex.group_has_person(c.alt, *p1) {
                            c.act = Act::Person {
                                person: *p1,
                                form: *form,
                            };
                        } else if lex.group_has_person(last.alt, *p2) {
                            if let Act::Person { person, .. } = &mut last.act {
                                *person = *p2;
                            }
                        }
                    }
                }
                if mergeable(lex, &last.act, &c.act) {
                    last.end = c.end;
                    last.parts += 1;
                    continue;
                }
            }
        }
        reps.push(Rep {
            start: c.start,
            end: c.end,
            act: c.act,
            alt: c.alt,
            parts: 1,
        });
    }
    // Never a wrong pseudonym: a lone name part that several registered
    // persons share goes to the one of them named in full in this text
    // (earlier, or elsewhere in this chunk), or else to a neutral
    // placeholder.
    for r in &reps {
        if let Act::Person { person, .. } = r.act {
            if r.parts > 1 && !work.named_in_full.contains(&person) {
                work.named_in_full.push(person);
            }
        }
    }
    for r in reps.iter_mut() {
        let Act::Person { form, .. } = r.act else {
            continue;
        };
        if r.parts > 1 || r.alt == crate::candidate::NO_GROUP {
            continue;
        }
        let candidates = lex.group_persons(r.alt);
        if candidates.len() < 2 {
            continue;
        }
        let mut named = work
            .named_in_full
            .iter()
            .filter(|p| candidates.binary_search(p).is_ok());
        r.act = match (named.next(), named.next()) {
            (Some(&p), None) => Act::Person { person: p, form },
            _ => Act::Ambiguous { group: r.alt },
        };
    }
    let mut pos = 0;
    for Rep {
        start: s,
        end: e,
        act,
        ..
    } in reps
    {
        out.push_str(&text[pos..s]);
        let r = replacement_of(lex, &act);
        out.push_str(r);
        pos = e;
        if let Some(reason) = reason(lex, &act) {
            replacements.push(Replacement {
                start: off + s,
                end: off + e,
                replacement: r.to_string(),
                reason,
            });
        }
    }
    out.push_str(&text[pos..]);
}
