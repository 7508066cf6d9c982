//! Speaker labels ("Интервьюер: ...", "**Respondent:** ...",
//! "[00:01:02] Speaker 1: ...", "Speaker (00:01:02): ...") and timestamps.

/// Longest speaker label, in characters.
pub(crate) const MAX_LABEL_CHARS: usize = 40;
/// Most words in a speaker label.
pub(crate) const MAX_LABEL_WORDS: usize = 4;

/// A speaker label found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label {
    /// The speaker, whitespace collapsed.
    pub speaker: String,
    /// The text after the label, trimmed.
    pub rest: String,
    /// A timestamp given with the label, normalised.
    pub start: Option<String>,
    /// The label was marked up (bold) or came with a timestamp: a sure label.
    pub marked: bool,
    /// No word of the label starts with a lower-case letter.
    pub capitalized: bool,
}

/// Parse a timestamp such as `1:02`, `01:02:03`, `00:01:02.5`, `00:01:02,500`
/// into `HH:MM:SS.mmm`. Minutes and seconds below 60, at most 3 digits of
/// fraction, at most 3 digits of hours.
pub(crate) fn parse_timestamp(s: &str) -> Option<String> {
    ms_to_timestamp(timestamp_ms(s)?).into()
}

/// A timestamp in milliseconds.
pub(crate) fn timestamp_ms(s: &str) -> Option<u64> {
    let s = s.trim();
    let (clock, frac) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let (h, m, sec) = match parts.as_slice() {
        [m, s] if digits(m, 1, 2) && digits(s, 2, 2) => ("0", *m, *s),
        [h, m, s] if digits(h, 1, 3) && digits(m, 2, 2) && digits(s, 2, 2) => (*h, *m, *s),
        _ => return None,
    };
    let h: u64 = h.parse().ok()?;
    let m: u64 = m.parse().ok()?;
    let sec: u64 = sec.parse().ok()?;
    if m >= 60 || sec >= 60 {
        return None;
    }
    let ms = match frac {
        None => 0,
        Some(f) if digits(f, 1, 3) => {
            let v: u64 = f.parse().ok()?;
            v * 10u64.pow(3 - f.len() as u32)
        }
        Some(_) => return None,
    };
    Some(((h * 60 + m) * 60 + sec) * 1000 + ms)
}

/// Milliseconds to `HH:MM:SS.mmm`.
pub(crate) fn ms_to_timestamp(ms: u64) -> String {
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, f) = (rest / 1000, rest % 1000);
    format!("{h:02}:{m:02}:{s:02}.{f:03}")
}

/// A timestamp wrapped in `[...]` or `(...)`, or bare, at the start of `s`:
/// the normalised timestamp and the text after it.
fn leading_timestamp(s: &str) -> Option<(String, &str)> {
    let first = s.chars().next()?;
    if first == '[' || first == '(' {
        let close = if first == '[' { ']' } else { ')' };
        let end = s.find(close)?;
        let ts = parse_timestamp(&s[1..end])?;
        return Some((ts, s[end + 1..].trim_start()));
    }
    if first.is_ascii_digit() {
        let end = s.find(char::is_whitespace)?;
        let ts = parse_timestamp(&s[..end])?;
        return Some((ts, s[end..].trim_start()));
    }
    None
}

/// A timestamp wrapped in brackets, or bare, at the end of a label candidate.
fn trailing_timestamp(s: &str) -> Option<(&str, String)> {
    let s = s.trim_end();
    let last = s.chars().last()?;
    if last == ']' || last == ')' {
        let open = if last == ']' { '[' } else { '(' };
        let start = s.rfind(open)?;
        let ts = parse_timestamp(&s[start + 1..s.len() - 1])?;
        return Some((s[..start].trim_end(), ts));
    }
    if last.is_ascii_digit() {
        let start = s.rfind(char::is_whitespace)?;
        let ts = parse_timestamp(&s[start..])?;
        return Some((s[..start].trim_end(), ts));
    }
    None
}

/// Check a label candidate: short, few words, letters, no sentence
/// punctuation. Returns the collapsed speaker and whether it is capitalised.
pub(crate) fn check_label(candidate: &str) -> Option<(String, bool)> {
    let words: Vec<&str> = candidate.split_whitespace().collect();
    if words.is_empty() || words.len() > MAX_LABEL_WORDS {
        return None;
    }
    let speaker = words.join(" ");
    if speaker.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    if !speaker.chars().next().is_some_and(char::is_alphanumeric)
        || !speaker.chars().any(char::is_alphabetic)
    {
        return None;
    }
    for w in &words {
        for c in w.chars() {
            let ok = c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '_' | '#' | '/' | '.');
            if !ok {
                return None;
            }
        }
        if w.contains('.') && !is_initials(w) {
            return None;
        }
    }
    let capitalized = words
        .iter()
        .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()));
    Some((speaker, capitalized))
}

/// "А.", "Н.П.", "Dr.": short capitalised pieces each ending in a dot.
fn is_initials(w: &str) -> bool {
    w.ends_with('.')
        && w[..w.len() - 1].split('.').all(|p| {
            let n = p.chars().count();
            (1..=3).contains(&n)
                && p.chars().all(char::is_alphabetic)
                && p.chars().next().is_some_and(char::is_uppercase)
        })
}

/// Find a speaker label at the start of `line`.
pub(crate) fn split_label(line: &str) -> Option<Label> {
    let mut s = line.trim();
    let mut start = None;
    if let Some((ts, after)) = leading_timestamp(s) {
        start = Some(ts);
        s = after;
    }
    if let Some(l) = markup_label(s, start.clone()) {
        return Some(l);
    }
    // The first colon outside brackets that ends the label (followed by
    // white space or the end of the line). "10:30" has no space after its colon.
    let mut depth = 0i32;
    let mut colon = None;
    for (i, c) in s.char_indices() {
        if i > 4 * MAX_LABEL_CHARS {
            break;
        }
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ':' | '：' if depth == 0 => {
                let after = &s[i + c.len_utf8()..];
                if after.is_empty() || after.starts_with(char::is_whitespace) {
                    colon = Some((i, c.len_utf8()));
                    break;
                }
            }
            _ => {}
        }
    }
    let (i, len) = colon?;
    let mut candidate = &s[..i];
    let mut marked = start.is_some();
    if let Some((before, ts)) = trailing_timestamp(candidate) {
        candidate = before;
        start = Some(ts);
        marked = true;
    }
    let (speaker, capitalized) = check_label(candidate)?;
    Some(Label {
        speaker,
        rest: s[i + len..].trim().to_owned(),
        start,
        marked,
        capitalized,
    })
}

/// `**Speaker:** text`, `**Speaker**: text`, `__Speaker:__`, `*Speaker:*`.
fn markup_label(s: &str, start: Option<String>) -> Option<Label> {
    let marker = ["**", "__", "*", "_"]
        .into_iter()
        .find(|m| s.starts_with(m))?;
    let inner_start = marker.len();
    let close = s[inner_start..].find(marker)? + inner_start;
    let inner = s[inner_start..close].trim();
    let after = &s[close + marker.len()..];
    let (candidate, rest) = if let Some(label) = inner.strip_suffix([':', '：']) {
        (label, after)
    } else if let Some(rest) = after.strip_prefix([':', '：']) {
        (inner, rest)
    } else {
        return None;
    };
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let (mut candidate, mut start) = (candidate, start);
    if let Some((before, ts)) = trailing_timestamp(candidate) {
        candidate = before;
        start = Some(ts);
    }
    let (speaker, capitalized) = check_label(candidate)?;
    Some(Label {
        speaker,
        rest: rest.trim().to_owned(),
        start,
        marked: true,
        capitalized,
    })
}

/// A line that is only a label and a timestamp, as some services export
/// ("Speaker 1  0:03", "Интервьюер 00:01:02"); the text follows on the next lines.
/// The timestamp may also come first ("[00:01:02] Интервьюер"); that form
/// is easily confused with a timestamped one-word answer, so it is returned
/// as a weak label (it counts only when the speaker recurs).
pub(crate) fn label_timestamp_line(line: &str) -> Option<Label> {
    let line = line.trim();
    if let Some((candidate, ts)) = trailing_timestamp(line) {
        if let Some((speaker, true)) = check_label(candidate) {
            return Some(Label {
                speaker,
                rest: String::new(),
                start: Some(ts),
                marked: true,
                capitalized: true,
            });
        }
    }
    let (ts, rest) = leading_timestamp(line)?;
    let (speaker, _) = check_label(rest)?;
    Some(Label {
        speaker,
        rest: String::new(),
        start: Some(ts),
        marked: false,
        capitalized: false,
    })
}

/// A line that is nothing but a timestamp: `[00:01:02]`, `(01:02)`, `00:01:02`.
pub(crate) fn timestamp_only(line: &str) -> Option<String> {
    let s = line.trim();
    let inner = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .or_else(|| s.strip_prefix('(').and_then(|r| r.strip_suffix(')')))
        .unwrap_or(s);
    parse_timestamp(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let l = split_label("Интервьюер: Запись идёт.").unwrap();
        assert_eq!(l.speaker, "Интервьюер");
        assert_eq!(l.rest, "Запись идёт.");
        assert!(l.capitalized && !l.marked);
        assert!(split_label("Сегодня в 10:30 мы начали").is_none());
        assert!(split_label("Сегодня в 10:30 мы пошли: туда").is_none());
        assert!(split_label("Это было давно, и тогда он сказал: нет").is_none());
        assert!(split_label("https://example.org/x").is_none());
        let l = split_label("**Сұхбаттасушы:** Сәлеметсіз бе").unwrap();
        assert_eq!((l.speaker.as_str(), l.marked), ("Сұхбаттасушы", true));
        let l = split_label("**Респондент**: Да").unwrap();
        assert_eq!((l.speaker.as_str(), l.rest.as_str()), ("Респондент", "Да"));
        let l = split_label("[00:01:02] Speaker 1: hi").unwrap();
        assert_eq!(l.start.as_deref(), Some("00:01:02.000"));
        let l = split_label("Speaker 2 (1:02:03): hi").unwrap();
        assert_eq!(
            (l.speaker.as_str(), l.start.as_deref()),
            ("Speaker 2", Some("01:02:03.000"))
        );
        let l = split_label("Н.П. Волкова: да").unwrap();
        assert_eq!(l.speaker, "Н.П. Волкова");
        assert!(split_label("Один два три четыре пять: x").is_none());
        assert!(split_label("2019: год").is_none());
        let l = split_label("Он сказал: иди").unwrap();
        assert!(!l.capitalized);
        let l = label_timestamp_line("Speaker 1  0:03").unwrap();
        assert_eq!(l.start.as_deref(), Some("00:00:03.000"));
        let l = label_timestamp_line("[00:01:02] Интервьюер").unwrap();
        assert_eq!(
            (l.speaker.as_str(), l.marked, l.capitalized),
            ("Интервьюер", false, false)
        );
        assert_eq!(
            timestamp_only(" [00:01:02] ").as_deref(),
            Some("00:01:02.000")
        );
        assert_eq!(timestamp_only("(1:02)").as_deref(), Some("00:01:02.000"));
        assert_eq!(timestamp_only("[00:01:02] да"), None);
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            parse_timestamp("00:01:02,5").as_deref(),
            Some("00:01:02.500")
        );
        assert_eq!(
            parse_timestamp("01:02.250").as_deref(),
            Some("00:01:02.250")
        );
        assert_eq!(parse_timestamp("00:61:02"), None);
        assert_eq!(parse_timestamp("00:01"), Some("00:00:01.000".into()));
        assert_eq!(parse_timestamp("1:2:3"), None);
        assert_eq!(parse_timestamp("00:00:01.0000"), None);
        assert_eq!(parse_timestamp("99999:00:00"), None);
    }
}
