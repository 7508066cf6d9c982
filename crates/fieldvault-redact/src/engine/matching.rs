//! Matching registered forms: every word of the text walked down the
//! lexicon's trie of stems, the remainder checked against the stem's
//! inflections, the hits joined into single- and multi-word entries; and
//! registered e-mails and handles found anywhere.

use crate::candidate::{Act, Cand, Hit};
use crate::fastcase;
use crate::lexicon::{flags, prio, Form, Kind, Lexicon, Owner, Role};
use crate::morph::{kk, ru, Class, Morph};
use crate::skeleton::{self, Folder, Mode};
use crate::tokenize::{self, initials_after, initials_before, Caps, Word};
use crate::{unregistered, MatchForm, PatternKind};

/// Scratch buffers reused across words.
#[derive(Default)]
pub(super) struct Scratch {
    /// Matching a lower-case word: only as a derived word of a place.
    pub(super) lower_derived: bool,
    folder: Folder,
    loose: Vec<u8>,
    vowel: Vec<u8>,
    tmp: Vec<u8>,
    found: Vec<(usize, Form)>,
}

/// A URL or e-mail that contains a registered contact (instagram.com/arman_tl)
/// belongs to that person and must go whole, not around the contact.
pub(super) fn absorb_contacts(cands: &mut [Cand]) {
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
pub(super) fn registered_contacts(lex: &Lexicon, text: &str, out: &mut Vec<Cand>) {
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
        out.push(Cand::new(
            start,
            m.end(),
            prio::CONTACT,
            Act::Contact { person, kind },
        ));
    }
}

/// Matches one word (or a hyphen-joined pair given as `joined`) against the
/// lexicon's stems.
#[allow(clippy::too_many_arguments)]
pub(super) fn match_word(
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
pub(super) fn units_to_cands(
    lex: &Lexicon,
    text: &str,
    words: &[Word],
    hits: &[Hit],
    out: &mut Vec<Cand>,
) {
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
                    // Чехия is not a case form of a person Чех.
                    if form == MatchForm::Inflected
                        && ru::derived_with_i_vowel(
                            &lex.regs[e.reg as usize].0,
                            &text[h.start..h.end].to_lowercase(),
                        )
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
            let cand = Cand::new(start, end, unit.prio, act);
            out.push(if single_person {
                cand.in_group(h.form.group)
            } else {
                cand
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
