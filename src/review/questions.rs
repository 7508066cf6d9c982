//! Open questions: what the redaction engine cannot decide alone, for the
//! researcher to answer before anything leaves the vault.
//!
//! Four kinds: a capitalised word that matches nothing (a suspect), a run of
//! digits no pattern took, a word one edit away from a registered name, and
//! a name the unregistered-name detector replaced (it may be a common word,
//! or a person who should be registered so that every other form of the
//! name goes too). A question is open until a decision (keep or redact
//! here) is stored for it, or a registry change (a person, an alias, a
//! term, an allowed word) makes the engine decide it.
//!
//! WHY filters on top of the engine's suspects: a gate that stops every
//! export is switched off. Contractions ("I'm"), markup, time zones, month
//! and weekday names are never names; a question about them only teaches
//! the researcher to press "keep" without reading.
//!
//! A question id is `TRANSCRIPT:LINE:oOFFSET` (or `tOFFSET` in the
//! translation): positions only, so that ids printed in a terminal or typed
//! on a command line say nothing about the word.

use super::apply::{self, Applied, Why};
use crate::records::decisions::{self, Field};
use crate::records::{persons, transcripts, RecordsError, Result};
use fieldvault_redact::{suspects, Lexicon, Reason};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;

/// What kind of doubt a question is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A capitalised word that matches nothing registered or known.
    UnknownWord,
    /// A run of digits no pattern recognised.
    Digits,
    /// One edit away from a registered name part.
    NearMiss,
    /// Replaced by the unregistered-name detector.
    UnregisteredName,
    /// Kept because a built-in list names a public figure: the figure, or
    /// a private person with the same name?
    PublicFigure,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::UnknownWord => "unknown-word",
            Kind::Digits => "digits",
            Kind::NearMiss => "near-miss",
            Kind::UnregisteredName => "unregistered-name",
            Kind::PublicFigure => "public-figure",
        }
    }

    /// The doubt in words, for the screen.
    pub fn explain(self) -> &'static str {
        match self {
            Kind::UnknownWord => "capitalised word that matches nothing registered",
            Kind::Digits => "digits that no pattern recognised (a number, an id?)",
            Kind::NearMiss => "one letter away from a registered name",
            Kind::UnregisteredName => "replaced as a likely name nobody registered",
            Kind::PublicFigure => {
                "kept as a public figure: allow the name, or register the private person"
            }
        }
    }
}

/// A question found in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// For a near miss: the pseudonym of the person whose name is close.
    pub near: Option<String>,
}

/// One open question of a transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: String,
    pub transcript: i64,
    pub line: u32,
    pub field: Field,
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub word: String,
    /// The words around it, redacted (the word itself shown).
    pub context: String,
    pub near: Option<String>,
}

/// The registered name parts for near-miss checks, each a (lower-cased
/// word, pseudonym) pair, in registry order.
///
/// WHY an index: every capitalised word of a transcript is compared with
/// every name part, and at 10,000 persons (30,000 parts) the linear scan
/// made `review list` and every export spend minutes on it. A word is one
/// edit (a substitution, an insertion or a deletion) from a part only if the
/// two share the word itself or a one-letter deletion of it, so the index
/// maps each of those keys to the parts that produce it; the candidates are
/// then checked with `one_edit` and the first in registry order wins, as
/// in the scan this replaces.
#[derive(Debug, Clone, Default)]
pub struct NameParts {
    parts: Vec<(Vec<char>, String)>,
    /// A part, or a part with one letter deleted -> the parts (positions in
    /// `parts`, ascending) that give it.
    index: HashMap<String, Vec<usize>>,
}

impl NameParts {
    /// Adds one (lower-cased word, pseudonym) pair after the others.
    pub fn push(&mut self, (word, pseudonym): (Vec<char>, String)) {
        let at = self.parts.len();
        for key in keys(&word) {
            let slot = self.index.entry(key).or_default();
            if slot.last() != Some(&at) {
                slot.push(at);
            }
        }
        self.parts.push((word, pseudonym));
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// The pseudonym of the first part (in registry order) one edit from `w`.
    fn near(&self, w: &[char]) -> Option<&str> {
        keys(w)
            .filter_map(|k| self.index.get(&k))
            .flatten()
            .copied()
            .filter(|&i| one_edit(w, &self.parts[i].0))
            .min()
            .map(|i| self.parts[i].1.as_str())
    }
}

impl From<Vec<(Vec<char>, String)>> for NameParts {
    fn from(parts: Vec<(Vec<char>, String)>) -> NameParts {
        let mut out = NameParts::default();
        for p in parts {
            out.push(p);
        }
        out
    }
}

/// `word` itself and each of its one-letter deletions.
fn keys(word: &[char]) -> impl Iterator<Item = String> + '_ {
    std::iter::once(word.iter().collect())
        .chain((0..word.len()).map(move |i| word[..i].iter().chain(&word[i + 1..]).collect()))
}

/// The name words of every active person (4 letters or more).
pub fn name_parts(conn: &Connection) -> Result<NameParts> {
    let mut out = NameParts::default();
    for p in persons::list(conn)? {
        let Some(name) = &p.name else { continue };
        for n in std::iter::once(name).chain(&p.aliases) {
            for w in n.split(|c: char| !c.is_alphabetic()) {
                if w.chars().count() >= 4 {
                    out.push((w.to_lowercase().chars().collect(), p.pseudonym.clone()));
                }
            }
        }
    }
    Ok(out)
}

const APOSTROPHES: [char; 4] = ['\'', '\u{2019}', '\u{02BC}', '`'];

/// English contractions: "I'm", "don't", "we'll". A possessive of a name
/// ("Bolat's") is not one.
fn is_contraction(word: &str) -> bool {
    let Some(i) = word.find(APOSTROPHES) else {
        return false;
    };
    let (head, tail) = (&word[..i], &word[i..]);
    let tail: String = tail.chars().skip(1).collect::<String>().to_lowercase();
    let head = head.to_lowercase();
    const HEADS: &[&str] = &[
        "i", "you", "we", "they", "he", "she", "it", "that", "there", "what", "who", "where",
        "here", "let", "how", "don", "can", "won", "isn", "aren", "didn", "doesn", "wasn", "weren",
        "couldn", "wouldn", "shouldn", "haven", "hasn", "hadn", "ain", "y", "o",
    ];
    const TAILS: &[&str] = &["m", "ll", "ve", "re", "d", "s", "t", "all", "clock"];
    HEADS.contains(&head.as_str()) && TAILS.contains(&tail.as_str())
}

const TIME_ZONES: &[&str] = &[
    "gmt", "utc", "cet", "cest", "eet", "eest", "wet", "bst", "ist", "msk", "almt", "aqtt", "orat",
    "qyzt", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "jst", "kst", "hkt", "aest",
    "aedt", "sgt",
];

/// Months and weekdays in English, Russian (stems, every case) and Kazakh.
const CALENDAR_STEMS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "январ",
    "феврал",
    "март",
    "апрел",
    "май",
    "мая",
    "мае",
    "маю",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
    "понедельник",
    "вторник",
    "сред",
    "четверг",
    "пятниц",
    "суббот",
    "воскресень",
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
    "дүйсенбі",
    "сейсенбі",
    "сәрсенбі",
    "бейсенбі",
    "жұма",
    "сенбі",
    "жексенбі",
];

fn is_calendar_word(lower: &str) -> bool {
    stem_of_list(lower, CALENDAR_STEMS)
}

/// `lower` is one of `stems` with at most a case ending (Latin: a plural
/// "s"; Cyrillic: up to five letters).
fn stem_of_list(lower: &str, stems: &[&str]) -> bool {
    let n = lower.chars().count();
    stems
        .iter()
        .any(|s| lower.starts_with(s) && n <= s.chars().count() + if s.is_ascii() { 1 } else { 5 })
}

/// Messengers and services researchers' interlocutors talk about, in any
/// case form ("в Телеграме", "по Зуму").
const SERVICE_STEMS: &[&str] = &[
    "инстаграм",
    "телеграм",
    "ватсап",
    "вотсап",
    "фейсбук",
    "зум",
    "ютуб",
    "твиттер",
    "одноклассник",
    "вконтакт",
    "сигнал",
    "тикток",
    "гугл",
    "скайп",
    "вайбер",
    "whatsapp",
    "telegram",
    "instagram",
    "facebook",
    "zoom",
    "youtube",
    "twitter",
    "signal",
    "tiktok",
    "google",
    "skype",
    "viber",
];

/// Acronyms of documents, forms and public bodies that are never a person:
/// the individual identification number (ИИН, ЖСН, IIN), the national test
/// (ЕНТ, ҰБТ, UNT), legal forms, public service centres.
const GENERIC_ACRONYMS: &[&str] = &[
    "iin", "иин", "жсн", "бин", "bin", "iban", "ент", "ұбт", "unt", "цон", "хқко", "тоо", "llp",
    "ип", "нко", "ngo", "ооо", "ао", "жкх", "загс", "смс", "sms", "pdf", "sim", "сим", "usb",
    "vpn", "впн", "мвд", "кнб", "овд", "ішм", "ұқк",
];

/// Markup around a word: an HTML/XML tag, a Markdown or wiki marker, a
/// caption style, a template field.
fn is_markup(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let before2: String = text[..start]
        .chars()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    matches!(before, Some('<' | '#' | '{' | '\\' | '&' | '=' | '_' | '%'))
        || before2 == "</"
        || matches!(after, Some('>' | '=' | '}' | '('))
            && text[..start]
                .rfind('<')
                .is_some_and(|i| !text[i..start].contains('>'))
        || text[..start]
            .rfind('<')
            .is_some_and(|i| !text[i..start].contains('>') && text[end..].contains('>'))
}

/// Whether a suspect is noise that a question would waste the researcher's
/// attention on.
pub fn is_noise(text: &str, start: usize, end: usize) -> bool {
    let word = &text[start..end];
    let lower = word.to_lowercase();
    is_contraction(word)
        || TIME_ZONES.contains(&lower.as_str())
        || GENERIC_ACRONYMS.contains(&lower.as_str())
        || is_calendar_word(&lower)
        || stem_of_list(&lower, SERVICE_STEMS)
        || is_markup(text, start, end)
}

/// Edit distance 1 (one letter changed, added or removed), compared in
/// lower case.
fn one_edit(a: &[char], b: &[char]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 || a == b {
        return false;
    }
    let (short, long) = if la <= lb { (a, b) } else { (b, a) };
    let mut i = 0;
    while i < short.len() && short[i] == long[i] {
        i += 1;
    }
    if short.len() == long.len() {
        short[i + 1..] == long[i + 1..]
    } else {
        short[i..] == long[i + 1..]
    }
}

fn near_name(word: &str, names: &NameParts) -> Option<String> {
    let w: Vec<char> = word.to_lowercase().chars().collect();
    if w.len() < 4 {
        return None;
    }
    names.near(&w).map(str::to_string)
}

/// Digit runs of 5 or more digits (single spaces, hyphens, dots or
/// brackets between groups) that are neither a date, a year range, a
/// grouped amount nor inside a replaced span.
fn digit_runs(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit()
            || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'+'))
        {
            if b[i].is_ascii_digit() {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            } else {
                i += 1;
            }
            continue;
        }
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < b.len() {
            if b[j].is_ascii_digit() {
                j += 1;
                end = j;
            } else if matches!(b[j], b' ' | b'-' | b'.' | b'(' | b')')
                && j + 1 < b.len()
                && (b[j + 1].is_ascii_digit() || (b[j] == b')' && b[j + 1] == b' '))
            {
                j += 1;
            } else {
                break;
            }
        }
        i = end.max(start + 1);
        if end < b.len() && b[end].is_ascii_alphabetic() {
            continue;
        }
        let run = &text[start..end];
        let digits = run.bytes().filter(u8::is_ascii_digit).count();
        if digits < 5 {
            continue;
        }
        let groups: Vec<&str> = run
            .split(|c: char| !c.is_ascii_digit())
            .filter(|g| !g.is_empty())
            .collect();
        let amount = groups.len() > 1
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && !run.contains('-');
        let date = groups.len() == 3
            && groups[0].len() <= 2
            && groups[1].len() <= 2
            && matches!(groups[2].len(), 2 | 4);
        let date_iso = groups.len() == 3 && groups[0].len() == 4 && groups[1].len() <= 2;
        let years = groups
            .iter()
            .all(|g| g.len() == 4 && (g.starts_with("19") || g.starts_with("20")));
        let time = groups.len() >= 2 && run.contains('.') && groups.iter().all(|g| g.len() <= 2);
        if !(amount || date || date_iso || years || time) {
            out.push((start, end));
        }
    }
    out
}

/// The questions in one text, given its redaction (with decisions applied)
/// and the open decisions' positions. Pure: the evaluation script's numbers
/// and the screen come from the same function.
pub fn find(lex: &Lexicon, names: &NameParts, text: &str, applied: &Applied) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let covered = |s: usize, e: usize| applied.spans.iter().any(|x| x.start < e && s < x.end);
    for sp in &applied.spans {
        if sp.why == Why::Engine(Reason::UnregisteredName) {
            out.push(Found {
                start: sp.start,
                end: sp.end,
                kind: Kind::UnregisteredName,
                near: None,
            });
        }
    }
    let kept = |s: usize| applied.kept.iter().any(|k| k.0 == s);
    for s in suspects(lex, text) {
        if covered(s.start, s.end) || kept(s.start) || is_noise(text, s.start, s.end) {
            continue;
        }
        let near = near_name(&s.word, names);
        out.push(Found {
            start: s.start,
            end: s.end,
            kind: if near.is_some() {
                Kind::NearMiss
            } else {
                Kind::UnknownWord
            },
            near,
        });
    }
    for (s, e) in fieldvault_redact::public_figures(lex, text) {
        if !covered(s, e) && !kept(s) && !out.iter().any(|f| f.start < e && s < f.end) {
            out.push(Found {
                start: s,
                end: e,
                kind: Kind::PublicFigure,
                near: None,
            });
        }
    }
    // Near misses the suspect list leaves out (a common-looking word one
    // letter from a registered name).
    if !names.is_empty() {
        let mut at = 0;
        for w in text.split(|c: char| !c.is_alphabetic()) {
            let start = at;
            at += w.len()
                + text[at + w.len()..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            if !w.chars().next().is_some_and(char::is_uppercase)
                || covered(start, start + w.len())
                || kept(start)
                || out.iter().any(|f| f.start == start)
            {
                continue;
            }
            if let Some(near) = near_name(w, names) {
                out.push(Found {
                    start,
                    end: start + w.len(),
                    kind: Kind::NearMiss,
                    near: Some(near),
                });
            }
        }
    }
    for (s, e) in digit_runs(text) {
        if !covered(s, e) && !kept(s) {
            out.push(Found {
                start: s,
                end: e,
                kind: Kind::Digits,
                near: None,
            });
        }
    }
    out.sort_by_key(|f| f.start);
    out.dedup_by_key(|f| f.start);
    out
}

/// The stem two forms of a name share ("Лофнер", "Лофнеру"): the first
/// five letters, lower-cased.
fn stem(word: &str) -> Option<String> {
    let letters: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    (letters.len() >= 4).then(|| letters.iter().take(5).collect())
}

/// [`find`] over several texts of one transcript, then a second pass: a
/// capitalised word that shares its stem with a word asked about (or
/// replaced as a name) elsewhere in the transcript is asked about too,
/// also at the start of a sentence, where a capital alone says nothing.
/// So every form of a doubtful name reaches the researcher, not only the
/// forms the detector saw in mid-sentence.
pub fn find_all(lex: &Lexicon, names: &NameParts, texts: &[(&str, &Applied)]) -> Vec<Vec<Found>> {
    let mut out: Vec<Vec<Found>> = texts.iter().map(|(t, a)| find(lex, names, t, a)).collect();
    let stems: std::collections::HashSet<String> = out
        .iter()
        .zip(texts)
        .flat_map(|(fs, (t, _))| {
            fs.iter()
                .filter(|f| f.kind != Kind::Digits)
                .filter_map(|f| stem(&t[f.start..f.end]))
        })
        .collect();
    if stems.is_empty() {
        return out;
    }
    for (fs, (text, applied)) in out.iter_mut().zip(texts) {
        let covered = |s: usize, e: usize| applied.spans.iter().any(|x| x.start < e && s < x.end);
        let mut at = 0;
        let mut extra = Vec::new();
        for w in text.split(|c: char| !(c.is_alphabetic() || APOSTROPHES.contains(&c))) {
            let start = at;
            let end = start + w.len();
            at = end + text[end..].chars().next().map_or(0, char::len_utf8);
            if !w.chars().next().is_some_and(char::is_uppercase)
                || covered(start, end)
                || applied.kept.iter().any(|k| k.0 == start)
                || fs.iter().any(|f| f.start < end && start < f.end)
                || is_noise(text, start, end)
            {
                continue;
            }
            if stem(w).is_some_and(|s| stems.contains(&s)) {
                extra.push(Found {
                    start,
                    end,
                    kind: Kind::UnknownWord,
                    near: None,
                });
            }
        }
        fs.extend(extra);
        fs.sort_by_key(|f| f.start);
    }
    out
}

/// The words around a question, with every other replacement applied.
fn context(text: &str, applied: &Applied, f: &Found) -> String {
    let spans: Vec<_> = applied
        .spans
        .iter()
        .filter(|s| !(s.start == f.start && s.end == f.end))
        .cloned()
        .collect();
    let left_start = text[..f.start]
        .char_indices()
        .rev()
        .nth(39)
        .map_or(0, |(i, _)| i);
    let right_end = text[f.end..]
        .char_indices()
        .nth(40)
        .map_or(text.len(), |(i, _)| f.end + i);
    let clip = |a: usize, b: usize| -> Vec<apply::Span> {
        spans
            .iter()
            .filter(|s| s.start >= a && s.end <= b)
            .map(|s| apply::Span {
                start: s.start - a,
                end: s.end - a,
                ..s.clone()
            })
            .collect()
    };
    let left = apply::render(&text[left_start..f.start], &clip(left_start, f.start));
    let right = apply::render(&text[f.end..right_end], &clip(f.end, right_end));
    let dots = |b: bool| if b { "…" } else { "" };
    format!(
        "{}{left}⟦{}⟧{right}{}",
        dots(left_start > 0),
        &text[f.start..f.end],
        dots(right_end < text.len())
    )
    .replace(['\n', '\r'], " ")
}

pub fn question_id(transcript: i64, line: u32, field: Field, start: usize) -> String {
    let f = match field {
        Field::Original => 'o',
        Field::Translation => 't',
    };
    format!("{transcript}:{line}:{f}{start}")
}

/// A parsed question id.
pub fn parse_id(id: &str) -> Option<(i64, u32, Field, usize)> {
    let mut parts = id.trim().split(':');
    let t = parts.next()?.parse().ok()?;
    let l = parts.next()?.parse().ok()?;
    let rest = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let field = match rest.chars().next()? {
        'o' => Field::Original,
        't' => Field::Translation,
        _ => return None,
    };
    Some((t, l, field, rest[1..].parse().ok()?))
}

/// Everything the review of one transcript needs, computed once.
pub struct Reviewed {
    pub transcript: i64,
    pub turns: Vec<ReviewedTurn>,
}

pub struct ReviewedTurn {
    pub turn: transcripts::Turn,
    pub original: Applied,
    pub translation: Option<Applied>,
    pub questions: Vec<Question>,
}

/// Redacts every turn of a transcript with its decisions and finds its
/// open questions.
pub fn review(conn: &Connection, lex: &Lexicon, transcript: i64) -> Result<Reviewed> {
    review_lines(conn, lex, transcript, None)
}

/// As [`review`], for turns `range` only.
pub fn review_lines(
    conn: &Connection,
    lex: &Lexicon,
    transcript: i64,
    range: Option<(u32, u32)>,
) -> Result<Reviewed> {
    review_lines_with(conn, lex, &name_parts(conn)?, transcript, range)
}

/// As [`review`], with the registry's name parts read once by the caller
/// (a listing or an export reviews many transcripts against the same ones).
pub fn review_with(
    conn: &Connection,
    lex: &Lexicon,
    names: &NameParts,
    transcript: i64,
) -> Result<Reviewed> {
    review_lines_with(conn, lex, names, transcript, None)
}

fn review_lines_with(
    conn: &Connection,
    lex: &Lexicon,
    names: &NameParts,
    transcript: i64,
    range: Option<(u32, u32)>,
) -> Result<Reviewed> {
    // The whole transcript is read even for a range: a question can come
    // from another turn's doubt about the same name (see `find_all`), and
    // the gate must see exactly the questions `review list` shows.
    // The decisions as `apply::turn_field` reads them, for all turns at once.
    let ds = decisions::for_transcript(conn, transcript)?;
    let mut turns = Vec::new();
    for turn in transcripts::turns(conn, transcript, None)? {
        let original = apply::apply(
            lex,
            &turn.text,
            &ds.for_turn(turn.line, Field::Original, &turn.text),
        );
        let translation = turn
            .translation
            .as_deref()
            .map(|t| apply::apply(lex, t, &ds.for_turn(turn.line, Field::Translation, t)));
        turns.push((turn, original, translation));
    }
    let mut texts: Vec<(&str, &Applied)> = Vec::new();
    let mut whose: Vec<(usize, Field)> = Vec::new();
    for (i, (turn, original, translation)) in turns.iter().enumerate() {
        texts.push((&turn.text, original));
        whose.push((i, Field::Original));
        if let (Some(t), Some(a)) = (turn.translation.as_deref(), translation.as_ref()) {
            texts.push((t, a));
            whose.push((i, Field::Translation));
        }
    }
    let found = find_all(lex, names, &texts);
    let mut questions: Vec<Vec<Question>> = vec![Vec::new(); turns.len()];
    for ((fs, (text, applied)), (i, field)) in found.iter().zip(&texts).zip(&whose) {
        let line = turns[*i].0.line;
        let decided = ds.for_turn(line, *field, text);
        for f in fs {
            if decided.iter().any(|d| d.start == f.start) {
                continue;
            }
            questions[*i].push(Question {
                id: question_id(transcript, line, *field, f.start),
                transcript,
                line,
                field: *field,
                start: f.start,
                end: f.end,
                kind: f.kind,
                word: text[f.start..f.end].to_string(),
                context: context(text, applied, f),
                near: f.near.clone(),
            });
        }
    }
    let (a, b) = range.unwrap_or((1, u32::MAX));
    let out = turns
        .into_iter()
        .zip(questions)
        .filter(|((t, _, _), _)| (a..=b).contains(&t.line))
        .map(|((turn, original, translation), questions)| ReviewedTurn {
            turn,
            original,
            translation,
            questions,
        })
        .collect();
    Ok(Reviewed {
        transcript,
        turns: out,
    })
}

impl Reviewed {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.turns.iter().flat_map(|t| t.questions.iter())
    }
}

/// The open questions of one transcript.
pub fn open(conn: &Connection, lex: &Lexicon, transcript: i64) -> Result<Vec<Question>> {
    open_in(conn, lex, &[transcript])
}

/// The open questions of several transcripts, in the order given.
pub fn open_in(conn: &Connection, lex: &Lexicon, transcripts: &[i64]) -> Result<Vec<Question>> {
    let names = name_parts(conn)?;
    let mut out = Vec::new();
    for &t in transcripts {
        out.extend(review_with(conn, lex, &names, t)?.questions().cloned());
    }
    Ok(out)
}

/// Finds one open question by id.
pub fn find_open(conn: &Connection, lex: &Lexicon, id: &str) -> Result<Question> {
    let unknown = || {
        RecordsError::Invalid(format!(
            "no open question {} (see `review list`; it may be answered already)",
            crate::records::persons::safe_echo(id)
        ))
    };
    let (t, line, _, _) = parse_id(id).ok_or_else(unknown)?;
    transcripts::resolve(conn, &t.to_string())?;
    let r = review_lines(conn, lex, t, Some((line, line)))?;
    let q = r.questions().find(|q| q.id == id.trim()).cloned();
    q.ok_or_else(unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fieldvault_redact::{LexiconSource, PersonSource};

    fn lex() -> Lexicon {
        Lexicon::build(&LexiconSource {
            persons: vec![PersonSource {
                key: "1".into(),
                replacement: "[Respondent 1]".into(),
                name: "Aigerim Saparova".into(),
                ..Default::default()
            }],
            ..Default::default()
        })
    }

    fn kinds(text: &str) -> Vec<(String, Kind)> {
        let lex = lex();
        let names = NameParts::from(vec![(
            "saparova".chars().collect(),
            "Respondent 1".to_string(),
        )]);
        let applied = apply::apply(&lex, text, &[]);
        find(&lex, &names, text, &applied)
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.kind))
            .collect()
    }

    #[test]
    fn contractions_time_zones_calendar_and_markup_are_not_questions() {
        let q = kinds("Well, I'm sure and I'll go. The call was at 10:00 GMT on Monday in May, <font color=Red>text</font>, on Sundays, by Zoom, my IIN, в Телеграме.");
        assert!(q.is_empty(), "{q:?}");
    }

    #[test]
    fn near_misses_digits_and_unknown_words_are_questions() {
        let q = kinds(
            "We spoke with Taparova and then with Quillonbek Tursynzade about account 5531 2287 1.",
        );
        let k: Vec<Kind> = q.iter().map(|x| x.1).collect();
        assert!(k.contains(&Kind::NearMiss), "{q:?}");
        assert!(k.contains(&Kind::Digits), "{q:?}");
        assert!(q.iter().any(|x| x.0 == "Taparova"), "{q:?}");
    }

    #[test]
    fn digit_runs_skip_dates_years_and_amounts() {
        assert!(digit_runs("on 12.05.2021, in 2019-2021, for 1 000 000 tenge").is_empty());
        assert_eq!(digit_runs("code 4471932 here").len(), 1);
    }

    #[test]
    fn ids_round_trip() {
        let id = question_id(3, 12, Field::Translation, 45);
        assert_eq!(id, "3:12:t45");
        assert_eq!(parse_id(&id), Some((3, 12, Field::Translation, 45)));
        assert_eq!(parse_id("3:12"), None);
        assert_eq!(parse_id("x:1:o2"), None);
    }

    #[test]
    fn the_index_finds_what_a_scan_of_every_part_finds() {
        let words = [
            "saparova",
            "saparov",
            "sapar",
            "aigerim",
            "aigerym",
            "aygerim",
            "kim",
            "dinara",
            "dinar",
            "dinaraa",
            "tulegenov",
            "tulegenova",
            "abc",
            "саперова",
            "сапарова",
        ];
        let parts: Vec<(Vec<char>, String)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.chars().collect(), format!("Respondent {i}")))
            .collect();
        let names = NameParts::from(parts.clone());
        let queries = [
            "saparowa",
            "saparova",
            "saparo",
            "sapparova",
            "aigerim",
            "aigerimm",
            "igerim",
            "dinra",
            "dinaraaa",
            "tulegenoff",
            "xyz",
            "сапарова",
            "сапорова",
            "kimm",
            "",
        ];
        for q in queries {
            let w: Vec<char> = q.chars().collect();
            let scan = parts
                .iter()
                .find(|(n, _)| one_edit(&w, n))
                .map(|(_, p)| p.as_str());
            assert_eq!(names.near(&w), scan, "{q}");
        }
    }

    #[test]
    fn one_edit_distance() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(one_edit(&c("saparova"), &c("saparowa")));
        assert!(one_edit(&c("saparova"), &c("saparov")));
        assert!(!one_edit(&c("saparova"), &c("saparova")));
        assert!(!one_edit(&c("saparova"), &c("sapatowa")));
    }
}
