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

use crate::engine::{Act, Cand};
use crate::lexicon::prio;
use crate::tokenize::Word;
use crate::PatternKind;

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
/// Lower-case words that may sit inside a street name.
const CONNECTORS: &[&str] = &[
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

fn lw(text: &str, w: &Word) -> String {
    crate::fastcase::lower(&text[w.start..w.end])
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
            // "12-үй", "37-үй", or a bare house number (only as the first part).
            let next = words.get(i + 1);
            if let Some(n) = next {
                if gap(text, w.end, n.start) == "-" && ATTACHED.contains(&lw(text, n).as_str()) {
                    end = Some(n.end);
                    from = n.end;
                    i += 2;
                    parts += 1;
                    continue;
                }
            }
            if parts > 0 {
                break;
            }
            let mut e = w.end;
            // "12/3", "12-45"
            if let Some(n) = next {
                let g = gap(text, w.end, n.start);
                if (g == "/" || g == "-") && is_num(text, n) {
                    e = n.end;
                    i += 1;
                }
            }
            end = Some(e);
            from = e;
            i += 1;
            parts += 1;
            continue;
        }
        if HOUSE.contains(&l.as_str()) || UNIT.contains(&l.as_str()) {
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
    w.caps.capitalised() || CONNECTORS.contains(&lw(text, w).as_str())
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
            if PREFIX.contains(&l.as_str()) {
                prefix_style(text, words, m, out);
            }
            if POSTFIX.contains(&l.as_str()) && m > 0 {
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
            && matches!(lw(text, n).as_str(), "т" | "кт" | "н" | "р")
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
        return;
    }
    if let Some(end) = tail(text, words, n, prev_end) {
        out.push(Cand {
            start: words[m].start,
            end,
            prio: prio::PATTERN,
            act: Act::Pattern(PatternKind::Address),
            alt: u32::MAX,
        });
    }
}

fn postfix_style(text: &str, words: &[Word], m: usize, out: &mut Vec<Cand>) {
    let mut first = m;
    let mut caps = 0;
    let mut n = m;
    // "шағын ауданы", "ықшам ауданы": the marker is two words.
    if lw(text, &words[m]) == "ауданы" {
        if m == 0 || !matches!(lw(text, &words[m - 1]).as_str(), "шағын" | "ықшам") {
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
        return;
    }
    let mut start = words[first].start;
    let mut lead = false;
    if first > 0 {
        let p = &words[first - 1];
        if is_num(text, p) && gap(text, p.end, words[first].start) == " " {
            start = p.start;
            lead = true;
        }
    }
    let after = tail(text, words, m + 1, words[m].end);
    let mut end = words[m].end;
    // An abbreviated marker keeps its dot.
    if text[end..].starts_with('.') && words[m].end - words[m].start <= 4 && after.is_some() {
        end += 1;
    }
    match after {
        Some(e) => out.push(Cand {
            start,
            end: e,
            prio: prio::PATTERN,
            act: Act::Pattern(PatternKind::Address),
            alt: u32::MAX,
        }),
        None if lead => out.push(Cand {
            start,
            end,
            prio: prio::PATTERN,
            act: Act::Pattern(PatternKind::Address),
            alt: u32::MAX,
        }),
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
    }

    #[test]
    fn streets_without_numbers_and_prose_stay() {
        assert!(find("на проспекте Назарбаева стоял").is_empty());
        assert!(find("We walked down Abai Street in 2019.").is_empty());
        assert!(find("St Petersburg, 2019").is_empty());
        assert!(find("ул. строителей").is_empty());
    }
}
