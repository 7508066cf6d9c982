//! Street addresses in Russian, Kazakh and English layouts:
//!
//! * "ул. Жарокова, д. 217, кв. 48", "ул. Байтурсынова, 44, офис 3",
//!   "мкр. Самал-2, д. 5" — a street marker before the name;
//! * "Абай көшесі, 12-үй", "Тәуке хан даңғылы, 37-үй, 112-пәтер" — after it;
//! * "217 Zharokov Street, apartment 48", "Abai Street, house 12",
//!   "Täuke Han avenue, building 37, flat 112".
//!
//! The whole span goes, street name included, even when the street is named
//! after a public figure: a private address is identifying, and the name in
//! it is part of the address. A street without a house number is not an
//! address (it names a place, not a home), so "на проспекте Назарбаева"
//! stays.

use crate::candidate::{Act, Cand};
use crate::lexicon::prio;
use std::sync::OnceLock;

use crate::tokenize::{Caps, Word};
use crate::PatternKind;
use rustc_hash::FxHashSet;

const PREFIX: &[&str] = &[
    "ул",
    "улица",
    "улице",
    "улицы",
    "улицу",
    "пр",
    "просп",
    "проспект",
    "проспекте",
    "проспекта",
    "мкр",
    "мкрн",
    "микрорайон",
    "микрорайоне",
    "микрорайона",
    "пер",
    "переулок",
    "переулке",
    "бульвар",
    "бульваре",
    "бул",
    "шоссе",
    "наб",
    "набережная",
    "набережной",
    "пл",
    "площадь",
    "площади",
    "туп",
    "тупик",
    "квартал",
    "тракт",
    "трасса",
    "проезд",
    "аллея",
    "ul",
    "ulitsa",
    "prosp",
    "prospekt",
    "mkr",
    "mkrn",
    "mikrorayon",
    "microdistrict",
    "pereulok",
    "bulvar",
    "shosse",
    "көш",
];
const POSTFIX: &[&str] = &[
    "көшесі",
    "көшесінде",
    "көшесіндегі",
    "көшесіне",
    "көш",
    "даңғылы",
    "даңғылында",
    "даңғылындағы",
    "даңғ",
    "даң",
    "тұйығы",
    "бульвары",
    "алаңы",
    "ауданы",
    "street",
    "st",
    "str",
    "avenue",
    "ave",
    "av",
    "prospect",
    "prospekt",
    "boulevard",
    "blvd",
    "lane",
    "road",
    "rd",
    "square",
    "sq",
    "microdistrict",
    "mkr",
    "микрорайон",
    "квартал",
    "highway",
    "alley",
    "drive",
    "embankment",
    "ulitsa",
    "ko'shesi",
    "koshesi",
    "dañğyly",
    "dangyly",
];
const HOUSE: &[&str] = &[
    "д",
    "дом",
    "здание",
    "зд",
    "уй",
    "үй",
    "house",
    "h",
    "bldg",
    "building",
    "bld",
    "no",
    "№",
];
const UNIT: &[&str] = &[
    "кв",
    "квартира",
    "оф",
    "офис",
    "корп",
    "корпус",
    "к",
    "стр",
    "строение",
    "блок",
    "подъезд",
    "под",
    "эт",
    "этаж",
    "комн",
    "комната",
    "каб",
    "кабинет",
    "пом",
    "помещение",
    "apt",
    "apartment",
    "flat",
    "office",
    "suite",
    "unit",
    "room",
    "building",
    "bldg",
    "block",
    "floor",
    "entrance",
    "пәтер",
    "кеңсе",
    "бөлме",
    "қабат",
    "үй",
    "kv",
    "of",
];
/// Kazakh "N-үй", "N-пәтер".
const ATTACHED: &[&str] = &[
    "үй",
    "уй",
    "пәтер",
    "пәт",
    "кеңсе",
    "қабат",
    "бөлме",
    "корпус",
    "блок",
    "подъезд",
];
/// Markers of a residential district that may be known by its number
/// alone ("мкр. 12", "microdistrict 12", "12 шағын ауданы").
const DISTRICT: &[&str] = &[
    "мкр",
    "мкрн",
    "микрорайон",
    "микрорайоне",
    "микрорайона",
    "квартал",
    "квартале",
    "mkr",
    "mkrn",
    "mikrorayon",
    "microdistrict",
    "ауданы",
];

/// Whether word `i` starts a house or unit part ("д. 15", "кв. 60",
/// "building 15", "15-үй").
fn keyword_part(text: &str, words: &[Word], i: usize) -> bool {
    let Some(w) = words.get(i) else {
        return false;
    };
    let l = lw(text, w);
    if HOUSE.contains(&l.as_ref()) || UNIT.contains(&l.as_ref()) {
        return true;
    }
    is_num(text, w)
        && words.get(i + 1).is_some_and(|n| {
            gap(text, w.end, n.start) == "-" && ATTACHED.contains(&lw(text, n).as_ref())
        })
}

/// Where the number (or ordinal) ending at word `k` starts: "12", "12th",
/// "12-й", "12-ші".
fn ordinal_start(text: &str, words: &[Word], k: usize) -> Option<usize> {
    let w = &words[k];
    if is_num(text, w) {
        return Some(w.start);
    }
    let t = &text[w.start..w.end];
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) && matches!(&t[digits..], "th" | "st" | "nd" | "rd") {
        return Some(w.start);
    }
    let p = words.get(k.checked_sub(1)?)?;
    (matches!(
        lw(text, w).as_ref(),
        "й" | "ый" | "ой" | "ий" | "ші" | "шы" | "-ші"
    ) && gap(text, p.end, w.start) == "-"
        && is_num(text, p))
    .then_some(p.start)
}

/// A district known by its number, from word `num` (the number) on: an
/// address only when a house or unit follows, since the district alone
/// names no home. Returns the end byte.
fn numbered_district(text: &str, words: &[Word], num: usize) -> Option<usize> {
    let w = words.get(num)?;
    if !is_num(text, w) || !keyword_part(text, words, num + 1) {
        return None;
    }
    tail(text, words, num + 1, w.end)
}

/// Lower-case words that may sit inside a street name.
const CONNECTORS: &[&str] = &[
    "жолы",
    "zholy",
    "хан",
    "хана",
    "батыр",
    "батыра",
    "би",
    "имени",
    "им",
    "ата",
    "ана",
    "әулие",
    "ауданы",
    "шағын",
    "ықшам",
    "han",
    "khan",
    "batyr",
];

fn lw<'a>(text: &'a str, w: &Word) -> std::borrow::Cow<'a, str> {
    let t = &text[w.start..w.end];
    if w.caps == Caps::Lower || w.caps == Caps::Other {
        std::borrow::Cow::Borrowed(t)
    } else {
        std::borrow::Cow::Owned(crate::fastcase::lower(t))
    }
}

/// Street markers before and after the name, as sets.
fn markers() -> &'static (FxHashSet<&'static str>, FxHashSet<&'static str>) {
    static M: OnceLock<(FxHashSet<&'static str>, FxHashSet<&'static str>)> = OnceLock::new();
    M.get_or_init(|| {
        (
            PREFIX.iter().copied().collect(),
            POSTFIX.iter().copied().collect(),
        )
    })
}

fn is_num(text: &str, w: &Word) -> bool {
    let s = &text[w.start..w.end];
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let rest = s.chars().count() - digits;
    (1..=5).contains(&digits) && rest <= 1
}

fn gap(text: &str, a: usize, b: usize) -> &str {
    text.get(a..b).unwrap_or("\n")
}

/// Gap inside a street name: one space or one hyphen, or an abbreviation dot.
fn name_gap(g: &str) -> bool {
    matches!(g, " " | "-" | ". " | "\u{a0}" | ".")
}

/// Gap between the parts of an address: spaces and at most one comma.
fn part_gap(g: &str) -> bool {
    !g.is_empty()
        && g.len() <= 4
        && g.chars().all(|c| matches!(c, ' ' | ',' | '\u{a0}'))
        && g.matches(',').count() <= 1
}

/// Parses house and unit numbers after word index `i` (the first word that
/// may belong to them) starting after byte `from`. Returns the end byte.
fn tail(text: &str, words: &[Word], mut i: usize, mut from: usize) -> Option<usize> {
    let mut end = None;
    let mut parts = 0;
    while i < words.len() && parts < 6 {
        let w = &words[i];
        if !part_gap(gap(text, from, w.start)) {
            break;
        }
        let l = lw(text, w);
        if is_num(text, w) {
            // "12", "12/3", "12-45", each optionally with "-үй"/"-пәтер"
            // attached ("37-үй", "55/2-үй"). A bare number only as the first
            // part.
            let mut k = i;
            if let Some(n) = words.get(k + 1) {
                if gap(text, w.end, n.start) == "/" && is_num(text, n) {
                    k += 1;
                }
            }
            let attached = words.get(k + 1).filter(|n| {
                gap(text, words[k].end, n.start) == "-" && ATTACHED.contains(&lw(text, n).as_ref())
            });
            if let Some(n) = attached {
                end = Some(n.end);
                from = n.end;
                i = k + 2;
                parts += 1;
                continue;
            }
            if parts > 0 {
                break;
            }
            if k == i {
                if let Some(n) = words.get(i + 1) {
                    if gap(text, w.end, n.start) == "-" && is_num(text, n) {
                        k = i + 1;
                    }
                }
            }
            let e = words[k].end;
            end = Some(e);
            from = e;
            i = k + 1;
            parts += 1;
            continue;
        }
        if HOUSE.contains(&l.as_ref()) || UNIT.contains(&l.as_ref()) {
            let Some(n) = words.get(i + 1) else { break };
            let g = gap(text, w.end, n.start);
            if !matches!(g, " " | ". " | "." | ".\u{a0}" | "\u{a0}" | ": ") || !is_num(text, n) {
                break;
            }
            let mut e = n.end;
            if let Some(n2) = words.get(i + 2) {
                let g2 = gap(text, n.end, n2.start);
                if (g2 == "/" || g2 == "-") && is_num(text, n2) {
                    e = n2.end;
                    i += 1;
                }
            }
            end = Some(e);
            from = e;
            i += 2;
            parts += 1;
            continue;
        }
        break;
    }
    end
}

fn name_word(text: &str, w: &Word) -> bool {
    w.caps.capitalised() || CONNECTORS.contains(&lw(text, w).as_ref())
}

/// Finds street addresses among `words` of `text`.
pub(crate) fn scan(text: &str, words: &[Word], out: &mut Vec<Cand>) {
    // Every address has a number: look for street markers only in a few
    // words around numbers.
    let mut checked_until = 0usize;
    for k in 0..words.len() {
        if !text[words[k].start..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let from = k.saturating_sub(8).max(checked_until);
        let to = (k + 3).min(words.len());
        for m in from..to {
            let w = &words[m];
            if w.end - w.start > 24 || w.digits {
                continue;
            }
            let l = lw(text, w);
            let (pre, post) = markers();
            if pre.contains(l.as_ref()) {
                prefix_style(text, words, m, out);
            }
            if post.contains(l.as_ref()) && m > 0 {
                postfix_style(text, words, m, out);
            }
        }
        checked_until = to;
    }
}

fn prefix_style(text: &str, words: &[Word], m: usize, out: &mut Vec<Cand>) {
    let mut k = m;
    // "пр-т", "пр-кт", "б-р", "мкр-н"
    if let Some(n) = words.get(m + 1) {
        if gap(text, words[m].end, n.start) == "-"
            && matches!(lw(text, n).as_ref(), "т" | "кт" | "н" | "р")
        {
            k = m + 1;
        }
    }
    let mut n = k + 1;
    let mut prev_end = words[k].end;
    let mut names = 0;
    let mut caps = 0;
    while n < words.len() && names < 5 {
        let w = &words[n];
        let g = gap(text, prev_end, w.start);
        let first = names == 0;
        let ok_gap = if first {
            matches!(g, " " | ". " | "." | ".\u{a0}" | "\u{a0}")
        } else {
            name_gap(g)
        };
        if !ok_gap {
            break;
        }
        if name_word(text, w) {
            if w.caps.capitalised() {
                caps += 1;
            }
        } else if is_num(text, w) {
            // A number inside the name: "8 Марта" (followed by a name word)
            // or "Самал-2" (after a hyphen).
            let followed = words
                .get(n + 1)
                .is_some_and(|x| gap(text, w.end, x.start) == " " && x.caps.capitalised());
            if !(g == "-" || (first && followed)) {
                break;
            }
        } else {
            break;
        }
        names += 1;
        prev_end = w.end;
        n += 1;
    }
    if caps == 0 {
        // "мкр. 12, д. 15, кв. 60", "microdistrict 12, building 15".
        let marker = lw(text, &words[m]);
        if DISTRICT.contains(&marker.as_ref()) {
            if let Some(w) = words.get(k + 1) {
                let g = gap(text, words[k].end, w.start);
                if matches!(g, " " | ". " | "." | ".\u{a0}" | "\u{a0}") {
                    if let Some(end) = numbered_district(text, words, k + 1) {
                        out.push(Cand::new(
                            words[m].start,
                            end,
                            prio::PATTERN,
                            Act::Pattern(PatternKind::Address),
                        ));
                    }
                }
            }
        }
        return;
    }
    if let Some(end) = tail(text, words, n, prev_end) {
        out.push(Cand::new(
            words[m].start,
            end,
            prio::PATTERN,
            Act::Pattern(PatternKind::Address),
        ));
    }
}

fn postfix_style(text: &str, words: &[Word], m: usize, out: &mut Vec<Cand>) {
    let mut first = m;
    let mut caps = 0;
    let mut n = m;
    // "шағын ауданы", "ықшам ауданы": the marker is two words.
    if lw(text, &words[m]) == "ауданы" {
        if m == 0 || !matches!(lw(text, &words[m - 1]).as_ref(), "шағын" | "ықшам") {
            return;
        }
        n = m - 1;
        first = n;
    }
    let mut count = 0;
    while n > 0 && count < 4 {
        let w = &words[n - 1];
        let g = gap(text, w.end, words[n].start);
        if !name_gap(g) || g.contains('.') {
            break;
        }
        if w.caps.capitalised() && text[w.start..w.end].chars().count() < 2 {
            // "В микрорайон ...": a one-letter preposition, no street name.
            break;
        }
        if name_word(text, w) {
            if w.caps.capitalised() {
                caps += 1;
            }
        } else if is_num(text, w) && n >= 2 && gap(text, words[n - 2].end, w.start) == "-" {
            // "Aksai-4 microdistrict": the number belongs to the name.
        } else if !(is_num(text, w) && g == "-") {
            break;
        }
        n -= 1;
        first = n;
        count += 1;
    }
    if caps == 0 {
        // "12 microdistrict, building 15", "12 шағын ауданы, 15-үй".
        let marker = lw(text, &words[m]);
        if first > 0 && DISTRICT.contains(&marker.as_ref()) {
            let p = &words[first - 1];
            let num_start = ordinal_start(text, words, first - 1);
            if let (Some(num_start), true) = (
                num_start,
                matches!(gap(text, p.end, words[first].start), " " | "-"),
            ) {
                let mut end = words[m].end;
                if text[end..].starts_with('.') && marker.chars().count() <= 5 {
                    end += 1;
                }
                if keyword_part(text, words, m + 1) {
                    if let Some(e) = tail(text, words, m + 1, end) {
                        out.push(Cand::new(
                            num_start,
                            e,
                            prio::PATTERN,
                            Act::Pattern(PatternKind::Address),
                        ));
                    }
                }
            }
        }
        return;
    }
    let mut start = words[first].start;
    let mut lead = false;
    if first > 0 {
        let p = &words[first - 1];
        if is_num(text, p) && gap(text, p.end, words[first].start) == " " {
            start = p.start;
            lead = true;
            // "55/2 Mangilik El Avenue"
            if first > 1
                && gap(text, words[first - 2].end, p.start) == "/"
                && is_num(text, &words[first - 2])
            {
                start = words[first - 2].start;
            }
        }
    }
    // An abbreviated marker keeps its dot ("Zharokov str. 217").
    let mut end = words[m].end;
    if text[end..].starts_with('.') && text[words[m].start..end].chars().count() <= 5 {
        end += 1;
    }
    let after = tail(text, words, m + 1, end);
    match after {
        Some(e) => out.push(Cand::new(
            start,
            e,
            prio::PATTERN,
            Act::Pattern(PatternKind::Address),
        )),
        None if lead => out.push(Cand::new(
            start,
            end,
            prio::PATTERN,
            Act::Pattern(PatternKind::Address),
        )),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::words;

    fn find(t: &str) -> Vec<&str> {
        let mut ws = Vec::new();
        words(t, &mut ws);
        let mut v = Vec::new();
        scan(t, &ws, &mut v);
        v.iter().map(|c| &t[c.start..c.end]).collect()
    }

    #[test]
    fn russian_addresses() {
        assert_eq!(
            find("домой, на ул. Жарокова, д. 217, кв. 48. Вежливо"),
            vec!["ул. Жарокова, д. 217, кв. 48"]
        );
        assert_eq!(
            find("офис на ул. Байтурсынова, 44, офис 3. Моя"),
            vec!["ул. Байтурсынова, 44, офис 3"]
        );
        assert_eq!(
            find("квартира, ул. Кирова, д. 14, кв. 3, больше"),
            vec!["ул. Кирова, д. 14, кв. 3"]
        );
        assert_eq!(
            find("мкр. Самал-2, д. 5, кв. 10"),
            vec!["мкр. Самал-2, д. 5, кв. 10"]
        );
        assert_eq!(
            find("пр-т Назарбаева 15, кв. 7"),
            vec!["пр-т Назарбаева 15, кв. 7"]
        );
        assert_eq!(find("ул. 8 Марта, 12"), vec!["ул. 8 Марта, 12"]);
    }

    #[test]
    fn kazakh_addresses() {
        assert_eq!(
            find("Мекенжайым — Абай көшесі, 12-үй, бірақ"),
            vec!["Абай көшесі, 12-үй"]
        );
        assert_eq!(
            find("жерім — Тәуке хан даңғылы, 37-үй, 112-пәтер, бірақ"),
            vec!["Тәуке хан даңғылы, 37-үй, 112-пәтер"]
        );
    }

    #[test]
    fn street_names_with_lower_case_words() {
        assert_eq!(
            find("тұрамын: Жібек жолы көшесі, 50-үй, 3-пәтер."),
            vec!["Жібек жолы көшесі, 50-үй, 3-пәтер"]
        );
        assert_eq!(
            find("адрес: г. Алматы, ул. Толе би, 59, кв. 3."),
            vec!["ул. Толе би, 59, кв. 3"]
        );
        assert_eq!(
            find("at Kabanbay Batyr Ave 53, apt. 17."),
            vec!["Kabanbay Batyr Ave 53, apt. 17"]
        );
    }

    #[test]
    fn slashed_house_numbers() {
        assert_eq!(
            find("Мекенжайым: Мәңгілік Ел даңғылы, 55/2-үй, 14-пәтер. Тоқаев"),
            vec!["Мәңгілік Ел даңғылы, 55/2-үй, 14-пәтер"]
        );
        assert_eq!(
            find("address: 55/2 Mangilik El Avenue, apt 14. We"),
            vec!["55/2 Mangilik El Avenue, apt 14"]
        );
        assert_eq!(
            find("ул. Абая, 150/1, кв. 12."),
            vec!["ул. Абая, 150/1, кв. 12"]
        );
    }

    #[test]
    fn english_addresses() {
        assert_eq!(
            find("home, at 217 Zharokov Street, apartment 48. Very"),
            vec!["217 Zharokov Street, apartment 48"]
        );
        assert_eq!(
            find("is Abai Street, house 12, but"),
            vec!["Abai Street, house 12"]
        );
        assert_eq!(
            find("at Täuke Han avenue, building 37, flat 112, but"),
            vec!["Täuke Han avenue, building 37, flat 112"]
        );
        assert_eq!(
            find("at 45 Zhandosov Street, apartment 12, which"),
            vec!["45 Zhandosov Street, apartment 12"]
        );
        assert_eq!(
            find("at Zharokov str. 217, apt. 48."),
            vec!["Zharokov str. 217, apt. 48"]
        );
        assert_eq!(find("Абай даң., 10-үй"), vec!["Абай даң., 10-үй"]);
    }

    #[test]
    fn districts_known_by_number() {
        assert_eq!(
            find("квартира сестры, мкр. 7, д. 21, кв. 104. Офис"),
            vec!["мкр. 7, д. 21, кв. 104"]
        );
        assert_eq!(
            find("my aunt's flat, microdistrict 4, building 31, apartment 9. We"),
            vec!["microdistrict 4, building 31, apartment 9"]
        );
        assert_eq!(
            find("at 3 microdistrict, building 8, flat 17, near"),
            vec!["3 microdistrict, building 8, flat 17"]
        );
        assert_eq!(
            find("тұрамын: 5 шағын ауданы, 14-үй, 2-пәтер."),
            vec!["5 шағын ауданы, 14-үй, 2-пәтер"]
        );
        assert_eq!(
            find("живёт в 11-й микрорайон, дом 3, кв. 8, там"),
            vec!["11-й микрорайон, дом 3, кв. 8"]
        );
        assert_eq!(
            find("in the 6th microdistrict, building 2, flat 5."),
            vec!["6th microdistrict, building 2, flat 5"]
        );
        // A district alone, or with a bare number after it, is no home.
        assert!(find("в мкр. 12 построили школу").is_empty());
        assert!(find("В микрорайон 12 привезли газ.").is_empty());
        assert!(find("в мкр. 12, 15 лет назад").is_empty());
        assert!(find("we moved to microdistrict 6 in 2015").is_empty());
    }

    #[test]
    fn streets_without_numbers_and_prose_stay() {
        assert!(find("на проспекте Назарбаева стоял").is_empty());
        assert!(find("We walked down Abai Street in 2019.").is_empty());
        assert!(find("St Petersburg, 2019").is_empty());
        assert!(find("ул. строителей").is_empty());
    }
}
