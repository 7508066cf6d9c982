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

use crate::fastcase;
use crate::lexicon::{flags, pattern_token, prio, Form, Kind, Lexicon, Owner, Role, NAME_TOKEN};
use crate::morph::{kk, Class, Morph};
use crate::normalise;
use crate::skeleton::{self, Folder, Mode};
use crate::tokenize::{self, Caps, Word};
use crate::{
    patterns, unregistered, MatchForm, PatternKind, Reason, RedactOptions, Redacted, Replacement,
};

/// What a candidate span would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Act {
    /// Protect the span (city, public figure, allow-list).
    Keep,
    /// A registered person's name in some form.
    Person { person: u32, form: MatchForm },
    /// A registered term.
    Term { term: u32 },
    /// Personal data found by a pattern.
    Pattern(PatternKind),
    /// A registered person's phone, e-mail or handle.
    Contact { person: u32, kind: PatternKind },
    /// A likely name nobody registered.
    Unregistered,
}

/// A candidate span over the input text.
#[derive(Clone, Debug)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub prio: u8,
    pub act: Act,
    /// For a person matched by a stem that other persons share: the stem
    /// group, to re-attribute the span to a neighbouring name's person.
    pub alt: u32,
}

/// A stem match on one word (or on a hyphen-joined pair).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub first: usize,
    pub last: usize,
    pub start: usize,
    pub end: usize,
    pub form: Form,
    /// The word is the stem itself, uninflected.
    pub bare: bool,
    /// The word (lower-cased) is a frequent word.
    pub stop: bool,
    /// The word (lower-cased) is a capitalised common word (a month, a
    /// language, a service: "May" is not Майя, "August" not Август).
    pub common: bool,
    /// The word is a surname built on the stem (Маратов, Есенин on the
    /// given names Марат, Есен): another word, and maybe another person.
    pub surname: bool,
}

/// Scratch buffers reused across words.
#[derive(Default)]
struct Scratch {
    /// Matching a lower-case word: only as a derived word of a place.
    lower_derived: bool,
    folder: Folder,
    loose: Vec<u8>,
    vowel: Vec<u8>,
    tmp: Vec<u8>,
    found: Vec<(usize, Form)>,
}

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

/// A URL or e-mail that contains a registered contact (instagram.com/arman_tl)
/// belongs to that person and must go whole, not around the contact.
fn absorb_contacts(cands: &mut [Cand]) {
    let contacts: Vec<(usize, usize, u32)> = cands
        .iter()
        .filter_map(|c| match c.act {
            Act::Contact { person, .. } => Some((c.start, c.end, person)),
            _ => None,
        })
        .collect();
    if contacts.is_empty() {
        return;
    }
    for c in cands.iter_mut() {
        if let Act::Pattern(kind @ (PatternKind::Url | PatternKind::Email | PatternKind::Address)) =
            c.act
        {
            if let Some(&(_, _, person)) = contacts
                .iter()
                .find(|&&(s, e, _)| s >= c.start && e <= c.end && (e - s) < (c.end - c.start))
            {
                c.act = Act::Contact { person, kind };
                c.prio = prio::CONTACT;
            }
        }
    }
}

/// Finds registered e-mails and handles written anywhere, in any case.
fn registered_contacts(lex: &Lexicon, text: &str, out: &mut Vec<Cand>) {
    let Some(ac) = &lex.contact_ac else {
        return;
    };
    for m in ac.find_iter(text) {
        let ok_before = text[..m.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
        let ok_after = text[m.end()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if !(ok_before || text[..m.start()].ends_with('@')) || !ok_after {
            continue;
        }
        let (person, kind) = lex.contact_owner[m.pattern().as_usize()];
        let start = if kind == PatternKind::Handle && text[..m.start()].ends_with('@') {
            m.start() - 1
        } else {
            m.start()
        };
        out.push(Cand {
            start,
            end: m.end(),
            prio: prio::CONTACT,
            act: Act::Contact { person, kind },
            alt: u32::MAX,
        });
    }
}

/// Matches one word (or a hyphen-joined pair given as `joined`) against the
/// lexicon's stems.
#[allow(clippy::too_many_arguments)]
fn match_word(
    lex: &Lexicon,
    text: &str,
    w: &Word,
    first: usize,
    last: usize,
    start: usize,
    end: usize,
    joined: Option<&str>,
    lower: &str,
    sc: &mut Scratch,
    hits: &mut Vec<Hit>,
) {
    if w.digits {
        return;
    }
    let mut s = joined.unwrap_or(&text[w.start..w.end]);
    // English possessive: Dina's, Tıleubaev's.
    for p in ["'s", "\u{2019}s", "'S"] {
        if let Some(x) = s.strip_suffix(p) {
            s = x;
            break;
        }
    }
    sc.loose.clear();
    sc.folder.fold_into(s, Mode::Loose, &mut sc.loose);
    if sc.loose.is_empty() {
        return;
    }
    let at = Span {
        first,
        last,
        start,
        end,
    };
    let before = hits.len();
    match_skeleton(lex, w, at, s, lower, false, sc, hits);
    // Kuznecova, Ibrajeva, Baxyt: when the common reading of a Latin word
    // finds nothing, its scholarly reading may (see
    // `Folder::fold_scholarly_into`).
    if hits.len() == before {
        sc.loose.clear();
        if sc.folder.fold_scholarly_into(s, Mode::Loose, &mut sc.loose) {
            match_skeleton(lex, w, at, s, lower, true, sc, hits);
        }
    }
}

/// Whether a word read the scholarly way and the registered token behind
/// stem `f` begin with the same vowel-skeleton symbol.
fn scholarly_onset_agrees(lex: &Lexicon, f: &Form, word: &str, sc: &mut Scratch) -> bool {
    let Some(e) = lex.entries_of(f).first() else {
        return false;
    };
    let reg = &lex.regs[e.reg as usize].0;
    sc.tmp.clear();
    sc.folder.fold_into(reg, Mode::Vowel, &mut sc.tmp);
    let r0 = sc.tmp.first().copied();
    sc.tmp.clear();
    sc.folder
        .fold_scholarly_into(word, Mode::Vowel, &mut sc.tmp);
    r0.is_some() && sc.tmp.first().copied() == r0
}

/// Russian surname formants in vowel skeleton (-ов, -ев, -ин).
const SURNAME_FORMANTS: &[&[u8]] = &[b"ov", b"ev", b"in"];

/// Where a matched word (or hyphen-joined pair) lies.
#[derive(Clone, Copy)]
struct Span {
    first: usize,
    last: usize,
    start: usize,
    end: usize,
}

/// Matches the loose skeleton in `sc.loose` (of `s`, read the scholarly
/// way when `scholarly`) against the lexicon's stems.
#[allow(clippy::too_many_arguments)]
fn match_skeleton(
    lex: &Lexicon,
    w: &Word,
    at: Span,
    s: &str,
    lower: &str,
    scholarly: bool,
    sc: &mut Scratch,
    hits: &mut Vec<Hit>,
) {
    sc.found.clear();
    {
        let found = &mut sc.found;
        lex.trie.walk(&sc.loose, |plen, forms| {
            for f in forms {
                found.push((plen, *f));
            }
        });
    }
    if sc.found.is_empty() {
        return;
    }
    let morph = Morph::get();
    let capitalised = w.caps.capitalised();
    let upper = w.caps == Caps::Upper;
    let mut stop: Option<bool> = None;
    let mut common: Option<bool> = None;
    let mut vowel_done = false;
    let found = std::mem::take(&mut sc.found);
    for &(plen, f) in &found {
        // A lower-case word is only a derived word of a registered place.
        let lower_derived = f.cap && !capitalised;
        if lower_derived && !(sc.lower_derived && lex.flags_of(&f) & flags::PLACE_TERM != 0) {
            continue;
        }
        // In capitals, "DYN" is not the genitive plural of Дина: all-caps
        // words match full forms only.
        if upper && f.class == Class::Ru {
            continue;
        }
        let rest = &sc.loose[plen..];
        // Mutation tests switch the inflection rules off (see `leak.rs`).
        #[cfg(test)]
        if lex.mutation_no_inflection && !rest.is_empty() {
            continue;
        }
        let lastb = sc.loose.get(plen.wrapping_sub(1)).copied();
        // A place or an organisation keeps naming itself through a
        // derivational suffix (Көкқайнар-лық-тар "the people of Көкқайнар"),
        // unlike a person's name (Азат / Азаттық): checked in the vowel
        // skeleton below.
        // (A lower-case word must be derived, whatever else its rest reads
        // as: сарыбас|ские, not the dative -ке.)
        let mut derived_term = false;
        if lower_derived || !morph.set(f.class).accepts(Mode::Loose, lastb, rest) {
            if scholarly
                || f.role != Role::Other
                || !matches!(f.class, Class::Full(_))
                || !rest.first().is_some_and(|b| b"ldtxks".contains(b))
            {
                continue;
            }
            derived_term = true;
        }
        // The scholarly reading is for registered names in Russian-style
        // forms (Kuznecova, Ibrajeva): not nicknames, not the built-in
        // given names, no Kazakh chains, and its ц is a stem letter, never
        // an ending's (Essence is not Есен+иче).
        if scholarly
            && (f.kind != Kind::Name
                || lex.flags_of(&f) & flags::REGISTERED == 0
                || rest.contains(&b'c')
                || !morph.scholarly_rest(lastb, rest))
        {
            continue;
        }
        let rest_empty = rest.is_empty();
        let may_derive = rest.first().is_some_and(|b| b"ldtxk".contains(b));
        // Nor may it read an initial j as a glide the registered name does
        // not begin with: Jarman is not Арман (the loose skeleton drops
        // the glide of Я).
        if scholarly && !scholarly_onset_agrees(lex, &f, s, sc) {
            continue;
        }
        let strict = f.strict != u32::MAX;
        // Names are checked in the vowel skeleton too: strict stems must
        // match with their vowels, and a name followed by a derivational
        // suffix is another word (Азат / Азаттық).
        let mut bare = rest_empty && matches!(f.class, Class::Full(_));
        let mut surname = false;
        // (A derivational suffix leaves l, d, t, x or, after the stem's own
        // consonant, k at the start of the loose rest: other rests of a
        // non-strict stem need no look.)
        // A Russian stem is a name without its final vowel (Дин-, Жек-): it
        // needs an ending, or it is another word (Дин, Джек).
        let bare_ru = f.class == Class::Ru && rest_empty;
        if strict || derived_term || bare_ru || (f.role != Role::Other && may_derive) {
            if !vowel_done {
                sc.vowel.clear();
                if scholarly {
                    sc.folder.fold_scholarly_into(s, Mode::Vowel, &mut sc.vowel);
                } else {
                    sc.folder.fold_into(s, Mode::Vowel, &mut sc.vowel);
                }
                vowel_done = true;
            }
            let split = if strict {
                let vstem = &lex.strict[f.strict as usize];
                if !sc.vowel.starts_with(vstem) {
                    continue;
                }
                vstem.len()
            } else {
                let mut k = skeleton::vowel_split(&sc.vowel, plen);
                if f.ends_i {
                    while sc.vowel.get(k) == Some(&skeleton::I) {
                        k += 1;
                    }
                }
                k
            };
            let vrest = &sc.vowel[split..];
            let vlast = sc.vowel.get(split.wrapping_sub(1)).copied();
            if bare_ru && vrest.is_empty() {
                continue;
            }
            if derived_term {
                if !morph.derived_name_of_place(vlast, vrest) {
                    continue;
                }
            } else {
                let inflected = morph.set(f.class).accepts(Mode::Vowel, vlast, vrest);
                if strict && !inflected {
                    continue;
                }
                if !inflected && f.role != Role::Other && morph.derived(vlast, vrest) {
                    continue;
                }
            }
            // A generated nickname can share its skeleton with the name
            // plus a derivational suffix (Азатик / Азаттық): the letters
            // decide.
            if f.kind == Kind::Nickname {
                let base = lex
                    .entries_of(&f)
                    .first()
                    .map(|e| &*lex.regs[e.reg as usize].1);
                if base.is_some_and(|b| {
                    // Only when the skeleton reads both ways (name +
                    // derivational suffix) do the letters need reading.
                    !b.is_empty()
                        && sc.loose.starts_with(b)
                        && {
                            let k = skeleton::vowel_split(&sc.vowel, b.len());
                            let last = sc.vowel.get(k.wrapping_sub(1)).copied();
                            morph.derived(last, &sc.vowel[k..])
                        }
                        && kk::derived_in_writing(lower, b, &mut sc.folder, &mut sc.tmp)
                }) {
                    continue;
                }
            }
            if strict {
                bare &= vrest.is_empty();
            }
            surname = f.role == Role::Given
                && SURNAME_FORMANTS.iter().any(|x| vrest.starts_with(x))
                && unregistered::surname_shape(lower);
        }
        let stop = *stop.get_or_insert_with(|| lex.stop.contains(lower));
        let common = *common.get_or_insert_with(|| lex.common_caps.contains(lower));
        hits.push(Hit {
            first: at.first,
            last: at.last,
            start: at.start,
            end: at.end,
            form: f,
            bare,
            stop,
            common,
            surname,
        });
    }
    sc.found = found;
}

/// Turns stem hits into candidates: single-token units directly,
/// multi-token units when every token follows in order.
fn units_to_cands(lex: &Lexicon, text: &str, words: &[Word], hits: &[Hit], out: &mut Vec<Cand>) {
    let mut folder = Folder::new();
    for h in hits {
        let w = &words[h.first];
        let mut person_done = false;
        for e in lex.entries_of(&h.form) {
            if e.pos != 0 {
                continue;
            }
            let unit = lex.units[e.unit as usize];
            if unit.owner == Owner::Given {
                continue;
            }
            // A frequent word at the start of a sentence is that word; a
            // generated nickname never is a frequent word. Multi-word
            // entries and protections are not affected.
            if h.stop
                && !unit.keep
                && unit.len == 1
                && (w.initial || h.form.kind == Kind::Nickname)
                && !lex.reg_is_common(e.reg)
            {
                continue;
            }
            let single_person = matches!(unit.owner, Owner::Person(_)) && unit.len == 1;
            if single_person && person_done {
                // Persons sharing this stem: the first (highest priority)
                // speaks for all; `alt` lets the merge step pick the one
                // whose other name parts stand beside it. Entries are
                // ordered persons last, so nothing else follows.
                break;
            }
            let mut end = h.end;
            if unit.len > 1 {
                let mut cur = *h;
                let mut ok = true;
                for k in 1..unit.len {
                    let want_first = cur.last + 1;
                    let from = hits.partition_point(|x| x.first < want_first);
                    let next = hits[from..]
                        .iter()
                        .take_while(|x| x.first == want_first)
                        .find(|x| {
                            lex.group_multi_entries(x.form.group)
                                .iter()
                                .any(|xe| xe.unit == e.unit && xe.pos == k)
                        });
                    match next {
                        Some(n) if tokenize::joins(&text[cur.end..n.start]) => cur = *n,
                        _ => {
                            ok = false;
                            break;
                        }
                    }
                }
                if !ok {
                    continue;
                }
                end = cur.end;
            }
            let act = match unit.owner {
                Owner::Person(p) => {
                    let form = match_form(lex, &text[h.start..h.end], &h.form, e.reg, &mut folder);
                    if h.common
                        && unit.len == 1
                        && form != MatchForm::Exact
                        && !lex.reg_is_common(e.reg)
                    {
                        continue;
                    }
                    // "Жене моей, ..." at a sentence start is "to my wife":
                    // a case form whose capital the sentence start explains,
                    // with a possessive pronoun after it, is the common
                    // noun the name's form coincides with.
                    if w.initial
                        && unit.len == 1
                        && h.form.kind != Kind::Patronymic
                        && !h.bare
                        && form != MatchForm::Exact
                        && unregistered::possessive_after(text, words, h.last)
                    {
                        continue;
                    }
                    Act::Person { person: p, form }
                }
                Owner::Term(t) => Act::Term { term: t },
                Owner::Allow | Owner::Figure | Owner::Place => Act::Keep,
                Owner::Given => continue,
            };
            let mut start = h.start;
            let mut act = act;
            if let Act::Person { form, .. } = &mut act {
                // Initials travel with the name: "А. Сапарова", "Н.П. Волкова",
                // "Сапарова А.Б." go as one span, reported as initials.
                let mut with_initials = false;
                if let Some(s) = initials_before(text, start) {
                    start = s;
                    with_initials = true;
                }
                if h.form.role == Role::Surname {
                    if let Some(e) = initials_after(text, end) {
                        end = e;
                        with_initials = true;
                    }
                }
                if with_initials {
                    *form = MatchForm::Initials;
                }
            }
            if single_person {
                person_done = true;
            }
            let alt = if single_person {
                h.form.group
            } else {
                u32::MAX
            };
            out.push(Cand {
                start,
                end,
                prio: unit.prio,
                act,
                alt,
            });
        }
    }
}

/// Exact / inflected / transliterated, nickname, patronymic.
fn match_form(lex: &Lexicon, word: &str, f: &Form, reg: u32, folder: &mut Folder) -> MatchForm {
    let (reg_lower, reg_loose) = &lex.regs[reg as usize];
    if fastcase::eq_lower(word, reg_lower) {
        return MatchForm::Exact;
    }
    match f.kind {
        Kind::Nickname => MatchForm::Nickname,
        Kind::Patronymic => MatchForm::Patronymic,
        Kind::Name => {
            // Another spelling of the same form (Айгерім, Tıleubaev,
            // Yerlan), or a case form (Ерланом, Нұрсұлтанның)?
            let same_loose = folder.fold(word, Mode::Loose).as_slice() == &**reg_loose;
            let close = word.chars().count() <= reg_lower.chars().count() + 1;
            if same_loose && close {
                MatchForm::Transliterated
            } else {
                MatchForm::Inflected
            }
        }
    }
}

fn is_initial_letter(c: char) -> bool {
    c.is_uppercase() && c.is_alphabetic()
}

/// "А. " / "Н.П. " / "N. P. " right before `start`: returns the new start.
pub(crate) fn initials_before(text: &str, start: usize) -> Option<usize> {
    let mut pos = start;
    let mut found = None;
    for _ in 0..3 {
        let before = &text[..pos];
        let trimmed = before
            .strip_suffix(' ')
            .or_else(|| before.strip_suffix('\u{a0}'))
            .unwrap_or(before);
        let Some(t2) = trimmed.strip_suffix('.') else {
            break;
        };
        let mut it = t2.char_indices().rev();
        let Some((li, lc)) = it.next() else { break };
        if !is_initial_letter(lc) {
            break;
        }
        if let Some((_, pc)) = it.next() {
            if pc.is_alphanumeric() {
                break;
            }
        }
        pos = li;
        found = Some(li);
    }
    found
}

/// " А.Б." / " A. B." right after `end`: returns the new end.
pub(crate) fn initials_after(text: &str, end: usize) -> Option<usize> {
    let mut pos = end;
    let mut found = None;
    for k in 0..3 {
        let rest = &text[pos..];
        let r = if k == 0 {
            match rest.strip_prefix(' ') {
                Some(r) => r,
                None => break,
            }
        } else {
            rest.strip_prefix(' ').unwrap_or(rest)
        };
        let mut it = r.chars();
        let Some(c) = it.next() else { break };
        if !is_initial_letter(c) || it.next() != Some('.') {
            break;
        }
        let after = &r[c.len_utf8() + 1..];
        if after
            .chars()
            .next()
            .is_some_and(|x| x.is_alphanumeric() && !x.is_uppercase())
        {
            break;
        }
        pos = text.len() - after.len();
        found = Some(pos);
    }
    found
}

/// Accepts candidates by priority, then length, then position; a candidate
/// overlapping an accepted one is dropped.
pub(crate) fn resolve(mut cands: Vec<Cand>) -> Vec<Cand> {
    cands.retain(|c| c.start < c.end);
    // Overlapping protections join into one, at the highest priority among
    // them: a user's allowed "Назарбаев" and the built-in "Нурсултан
    // Назарбаев" together protect the full name.
    let (mut keeps, mut cands): (Vec<Cand>, Vec<Cand>) =
        cands.into_iter().partition(|c| c.act == Act::Keep);
    keeps.sort_by_key(|c| c.start);
    let mut merged: Vec<Cand> = Vec::with_capacity(keeps.len());
    for k in keeps {
        match merged.last_mut() {
            Some(m) if k.start < m.end => {
                m.end = m.end.max(k.end);
                m.prio = m.prio.max(k.prio);
            }
            _ => merged.push(k),
        }
    }
    cands.extend(merged);
    // Most candidates overlap nothing: sweep by start, and run the priority
    // contest only inside clusters of overlapping candidates.
    cands.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut out = Vec::with_capacity(cands.len());
    let mut cluster: Vec<Cand> = Vec::new();
    let mut cluster_end = 0usize;
    for c in cands {
        if !cluster.is_empty() && c.start >= cluster_end {
            contest(&mut cluster, &mut out);
        }
        cluster_end = if cluster.is_empty() {
            c.end
        } else {
            cluster_end.max(c.end)
        };
        cluster.push(c);
    }
    contest(&mut cluster, &mut out);
    out.sort_by_key(|c| c.start);
    out
}

/// Resolves one cluster of overlapping candidates: priority, then length,
/// then position; a candidate overlapping an accepted one is dropped.
fn contest(cluster: &mut Vec<Cand>, out: &mut Vec<Cand>) {
    if cluster.len() == 1 {
        out.append(cluster);
        return;
    }
    cluster.sort_by(|a, b| {
        b.prio
            .cmp(&a.prio)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for c in cluster.drain(..) {
        if taken.iter().any(|&(s, e)| s < c.end && c.start < e) {
            continue;
        }
        taken.push((c.start, c.end));
        out.push(c);
    }
}

/// The reason recorded for an action (None for keeps).
pub(crate) fn reason(lex: &Lexicon, act: &Act) -> Option<Reason> {
    Some(match act {
        Act::Keep => return None,
        Act::Person { person, form } => Reason::Person {
            key: lex.persons[*person as usize].key.clone(),
            form: *form,
        },
        Act::Term { term } => Reason::Term {
            key: lex.terms[*term as usize].key.clone(),
        },
        Act::Pattern(k) => Reason::Pattern(*k),
        Act::Contact { person, .. } => Reason::Person {
            key: lex.persons[*person as usize].key.clone(),
            form: MatchForm::Contact,
        },
        Act::Unregistered => Reason::UnregisteredName,
    })
}

fn replacement_of<'a>(lex: &'a Lexicon, act: &Act) -> &'a str {
    match act {
        Act::Keep => "",
        Act::Person { person, .. } => &lex.persons[*person as usize].replacement,
        Act::Term { term } => &lex.terms[*term as usize].replacement,
        Act::Pattern(k) | Act::Contact { kind: k, .. } => pattern_token(*k),
        Act::Unregistered => NAME_TOKEN,
    }
}

/// Two replacements for the same entity separated only by spaces become one
/// ("Айгерим Болатовна" → one "[Respondent 1]").
fn mergeable(lex: &Lexicon, a: &Act, b: &Act) -> bool {
    match (a, b) {
        (Act::Person { person: x, .. }, Act::Person { person: y, .. }) => x == y,
        (Act::Unregistered, Act::Unregistered) => true,
        (Act::Term { term: x }, Act::Term { term: y }) => {
            x == y || lex.terms[*x as usize].replacement == lex.terms[*y as usize].replacement
        }
        _ => false,
    }
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
    let mut reps: Vec<(usize, usize, Act, u32)> = Vec::new();
    for mut c in accepted {
        if c.act == Act::Keep {
            continue;
        }
        if let Some(last) = reps.last_mut() {
            let gap = &text[last.1..c.start];
            let spaces = !gap.is_empty() && gap.chars().all(|ch| ch == ' ' || ch == '\u{a0}');
            if spaces {
                // A name part that several persons share goes to the person
                // whose other name part stands beside it.
                if let (Act::Person { person: p1, .. }, Act::Person { person: p2, form }) =
                    (&last.2, &c.act)
                {
                    if p1 != p2 {
                        if lex.group_has_person(c.alt, *p1) {
                            c.act = Act::Person {
                                person: *p1,
                                form: *form,
                            };
                        } else if lex.group_has_person(last.3, *p2) {
                            if let Act::Person { person, .. } = &mut last.2 {
                                *person = *p2;
                            }
                        }
                    }
                }
                if mergeable(lex, &last.2, &c.act) {
                    last.1 = c.end;
                    continue;
                }
            }
        }
        reps.push((c.start, c.end, c.act, c.alt));
    }
    let mut pos = 0;
    for (s, e, act, _) in reps {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials() {
        let t = "подпись «А. Сапарова» и Н.П. Волкова, N. P. Volkova";
        let s = t.find("Сапарова").unwrap();
        assert_eq!(&t[initials_before(t, s).unwrap()..s], "А. ");
        let s = t.find("Волкова").unwrap();
        assert_eq!(&t[initials_before(t, s).unwrap()..s], "Н.П. ");
        let s = t.find("Volkova").unwrap();
        assert_eq!(&t[initials_before(t, s).unwrap()..s], "N. P. ");
        let t = "Сапарова А.Б. пришла";
        let e = "Сапарова".len();
        assert_eq!(&t[e..initials_after(t, e).unwrap()], " А.Б.");
        assert!(initials_before("ул. Сапарова", "ул. ".len()).is_none());
        assert!(initials_after("Сапарова. А потом", "Сапарова".len()).is_none());
    }

    #[test]
    fn resolve_prefers_priority_then_length() {
        let c = |s, e, p, act| Cand {
            start: s,
            end: e,
            prio: p,
            act,
            alt: u32::MAX,
        };
        let out = resolve(vec![
            c(0, 5, 50, Act::Unregistered),
            c(0, 3, 90, Act::Keep),
            c(4, 10, 50, Act::Pattern(PatternKind::Phone)),
            c(6, 8, 40, Act::Unregistered),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].start, out[0].end), (0, 3));
        assert_eq!((out[1].start, out[1].end), (4, 10));
    }
}
