//! Plain text and Markdown: "Speaker: text" turns.
//!
//! Rules (also in the README):
//! - A line starting with a speaker label begins a turn. A label is at most
//!   40 characters and 4 words, has a letter, no sentence punctuation, and is
//!   followed by a colon and white space (or the end of the line). A
//!   timestamp may come before it (`[00:01:02] Speaker: text`) or after it
//!   (`Speaker (00:01:02): text`); Markdown bold/italic labels are accepted
//!   (`**Speaker:** text`, `**Speaker**: text`).
//! - A label in which some word starts with a lower-case letter ("Он
//!   сказал: ...") counts only if it is used as a label at least twice in the
//!   file, so that reported speech inside a turn does not split it.
//! - Other lines continue the current turn (joined with a line break in
//!   plain text; in Markdown, lines of one paragraph are joined with a space
//!   and paragraphs with a line break).
//! - Whether the file is read by speaker at all is decided from the whole
//!   file (see `mode`); otherwise each paragraph is a turn without a speaker.
//! - Text before the first label becomes a turn without a speaker, and
//!   unlabelled lines added to a speaker's turn are listed in a warning.
//! - A file with no labels at all becomes one turn per paragraph (per line
//!   when it has no blank lines), with an empty speaker and a warning.
//! - Markdown: front matter, headings, horizontal rules and HTML comment
//!   lines are skipped (headings and front matter with a warning); `>` quote
//!   markers and `-`/`*`/`+` list bullets are removed.

use std::collections::HashMap;

use crate::label::{label_timestamp_line, split_label, timestamp_only, Label};
use crate::mode::{ranges, speaker_mode, ReadOptions, SpeakerLabels};
use crate::{ImportError, Turn};

enum Item<'a> {
    Blank,
    Content { line: usize, text: &'a str },
}

/// Parse decoded text into turns and warnings.
pub(crate) fn parse(
    text: &str,
    markdown: bool,
    options: ReadOptions,
) -> Result<(Vec<Turn>, Vec<String>), ImportError> {
    let mut warnings = Vec::new();
    let items = if markdown {
        markdown_items(text, &mut warnings)
    } else {
        text.split('\n')
            .enumerate()
            .map(|(i, l)| {
                if l.trim().is_empty() {
                    Item::Blank
                } else {
                    Item::Content {
                        line: i + 1,
                        text: l.trim(),
                    }
                }
            })
            .collect()
    };

    // Labels of every content line, and how often each speaker is used.
    // A line that is only a timestamp gives the next turn its start time.
    let stamps: Vec<Option<String>> = items
        .iter()
        .map(|it| match it {
            Item::Content { text, .. } => timestamp_only(text),
            Item::Blank => None,
        })
        .collect();
    let detect = options.speaker_labels == SpeakerLabels::Detect;
    let labels: Vec<Option<Label>> = items
        .iter()
        .zip(&stamps)
        .map(|(it, stamp)| match it {
            Item::Content { text, .. } if stamp.is_none() && detect => {
                split_label(text).or_else(|| label_timestamp_line(text))
            }
            _ => None,
        })
        .collect();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for l in labels.iter().flatten() {
        *uses.entry(l.speaker.as_str()).or_default() += 1;
    }
    let strong = |l: &Label| l.marked || l.capitalized || uses.get(l.speaker.as_str()) >= Some(&2);

    // The units the speaker-mode decision counts: paragraphs, plus every
    // labelled line (a label starts a unit of its own), or every line in a
    // file without blank lines.
    // Blank lines between paragraphs (not the file's trailing newline).
    let first_content = items.iter().position(|i| matches!(i, Item::Content { .. }));
    let last_content = items
        .iter()
        .rposition(|i| matches!(i, Item::Content { .. }));
    let has_blank = match (first_content, last_content) {
        (Some(a), Some(b)) => items[a..b].iter().any(|i| matches!(i, Item::Blank)),
        _ => false,
    };
    let mut units = 0usize;
    let mut label_lines = Vec::new();
    let mut previous_blank = true;
    for ((it, label), stamp) in items.iter().zip(&labels).zip(&stamps) {
        match it {
            Item::Blank => previous_blank = true,
            Item::Content { line, .. } if stamp.is_none() => {
                let labelled = label.as_ref().is_some_and(strong);
                if previous_blank || labelled || !has_blank {
                    units += 1;
                }
                if labelled {
                    label_lines.push(*line);
                }
                previous_blank = false;
            }
            Item::Content { .. } => {}
        }
    }
    let by_speaker = speaker_mode(
        units,
        labels
            .iter()
            .flatten()
            .filter(|l| strong(l))
            .map(|l| l.speaker.as_str()),
    );

    let soft_join = if markdown { " " } else { "\n" };
    let mut turns: Vec<Turn> = Vec::new();

    if !by_speaker {
        let mut current: Option<String> = None;
        for (it, stamp) in items.iter().zip(&stamps) {
            if stamp.is_some() {
                continue;
            }
            match it {
                Item::Blank => {
                    if let Some(t) = current.take() {
                        turns.push(unlabelled(t));
                    }
                }
                Item::Content { text, .. } => match current.as_mut() {
                    Some(t) if has_blank => {
                        t.push_str(soft_join);
                        t.push_str(text);
                    }
                    Some(_) => {
                        if let Some(t) = current.replace((*text).to_owned()) {
                            turns.push(unlabelled(t));
                        }
                    }
                    None => current = Some((*text).to_owned()),
                },
            }
        }
        if let Some(t) = current {
            turns.push(unlabelled(t));
        }
        if !turns.is_empty() {
            let each = if has_blank { "paragraph" } else { "line" };
            warnings.push(if !detect {
                format!("speaker labels were not read (no speakers asked for); each {each} became a turn without a speaker")
            } else if label_lines.is_empty() {
                format!("no 'Speaker: text' labels were found; each {each} became a turn without a speaker")
            } else {
                format!(
                    "read without speakers: {} line(s) look like 'Speaker: text' labels ({}), but too \
                     few or too varied to be the speakers of the file; each {each} became a turn \
                     without a speaker and the labels were kept as text",
                    label_lines.len(),
                    ranges("line", &label_lines)
                )
            });
        }
        return Ok((turns, warnings));
    }

    let established = uses.values().filter(|&&n| n >= 2).count() >= 2;
    let mut once_lines = Vec::new();
    let mut empty_lines = Vec::new();
    let mut preamble_lines = Vec::new();
    let mut joined_lines = Vec::new();
    let mut current: Option<(usize, Turn)> = None;
    let mut after_blank = false;
    // Inside the paragraph of a label alone on its line ("Speaker 1  0:03"
    // with the text below): those lines are that speaker's by layout.
    let mut under_lone_label = false;
    let mut pending_start: Option<String> = None;
    for ((it, label), stamp) in items.iter().zip(&labels).zip(&stamps) {
        let (line, text) = match it {
            Item::Blank => {
                after_blank = true;
                under_lone_label = false;
                continue;
            }
            Item::Content { line, text } => (*line, *text),
        };
        if let Some(ts) = stamp {
            pending_start = Some(ts.clone());
            continue;
        }
        let starts_turn = match label {
            Some(l) => strong(l) || current.is_none(),
            None => false,
        };
        if let (true, Some(l)) = (starts_turn, label) {
            if established && uses.get(l.speaker.as_str()) == Some(&1) {
                once_lines.push(line);
            }
            if let Some((at, t)) = current.take() {
                push_turn(&mut turns, t, at, &mut empty_lines);
            }
            under_lone_label = l.rest.is_empty();
            current = Some((
                line,
                Turn {
                    speaker: l.speaker.clone(),
                    text: l.rest.clone(),
                    start: l.start.clone().or_else(|| pending_start.take()),
                },
            ));
            pending_start = None;
        } else {
            let start = pending_start.take();
            let (_, t) = current.get_or_insert_with(|| {
                (
                    line,
                    Turn {
                        speaker: String::new(),
                        text: String::new(),
                        start,
                    },
                )
            });
            if t.speaker.is_empty() {
                preamble_lines.push(line);
            } else if (after_blank || (!markdown && !under_lone_label)) && !t.text.is_empty() {
                // A label alone on its line has its text below: not a join.
                // A soft-wrapped line of a Markdown paragraph is that paragraph.
                joined_lines.push(line);
            }
            if !t.text.is_empty() {
                t.text.push_str(if after_blank { "\n" } else { soft_join });
            }
            t.text.push_str(text);
        }
        after_blank = false;
    }
    if let Some((at, t)) = current.take() {
        push_turn(&mut turns, t, at, &mut empty_lines);
    }
    if !preamble_lines.is_empty() {
        warnings.push(format!(
            "the text before the first speaker label ({}) became a turn without a speaker",
            ranges("line", &preamble_lines)
        ));
    }
    if !joined_lines.is_empty() {
        warnings.push(format!(
            "{} unlabelled line(s) were added to the turn of the speaker before them ({}); \
             check they are that speaker's words",
            joined_lines.len(),
            ranges("line", &joined_lines)
        ));
    }
    if !empty_lines.is_empty() {
        warnings.push(format!(
            "skipped {} speaker label(s) with no text after them ({})",
            empty_lines.len(),
            line_list(&empty_lines)
        ));
    }
    if !once_lines.is_empty() {
        warnings.push(format!(
            "{} speaker label(s) occur only once ({}); check each is really a new speaker",
            once_lines.len(),
            line_list(&once_lines)
        ));
    }
    Ok((turns, warnings))
}

fn unlabelled(text: String) -> Turn {
    Turn {
        speaker: String::new(),
        text,
        start: None,
    }
}

fn push_turn(turns: &mut Vec<Turn>, t: Turn, line: usize, empty: &mut Vec<usize>) {
    if t.text.trim().is_empty() {
        empty.push(line);
    } else {
        turns.push(t);
    }
}

/// "line 3", "lines 3, 7, 9", "lines 3, 7, 9, ..." (at most 8 shown).
pub(crate) fn line_list(lines: &[usize]) -> String {
    numbered_list("line", lines)
}

/// "paragraph 3", "paragraphs 3, 7", ...
pub(crate) fn numbered_list(noun: &str, nums: &[usize]) -> String {
    const SHOWN: usize = 8;
    let shown: Vec<String> = nums.iter().take(SHOWN).map(ToString::to_string).collect();
    let plural = if nums.len() == 1 { "" } else { "s" };
    let more = if nums.len() > SHOWN { ", ..." } else { "" };
    format!("{noun}{plural} {}{more}", shown.join(", "))
}

/// Markdown lines with structure removed.
fn markdown_items<'a>(text: &'a str, warnings: &mut Vec<String>) -> Vec<Item<'a>> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut items = Vec::with_capacity(lines.len());
    let mut i = 0;
    // Front matter: `---` (YAML) or `+++` (TOML) on the first line, closed later.
    if let Some(first) = lines.first().map(|l| l.trim_end()) {
        if first == "---" || first == "+++" {
            let closers: &[&str] = if first == "---" {
                &["---", "..."]
            } else {
                &["+++"]
            };
            if let Some(end) = lines
                .iter()
                .skip(1)
                .position(|l| closers.contains(&l.trim_end()))
            {
                let last = end + 2;
                warnings.push(format!("skipped the front matter block (lines 1-{last})"));
                items.extend((0..last).map(|_| Item::Blank));
                i = last;
            }
        }
    }
    let mut headings = Vec::new();
    let mut in_comment = false;
    while i < lines.len() {
        let line_no = i + 1;
        let mut s = lines[i].trim();
        i += 1;
        if in_comment {
            if s.contains("-->") {
                in_comment = false;
            }
            items.push(Item::Blank);
            continue;
        }
        if s.starts_with("<!--") {
            in_comment = !s.contains("-->");
            items.push(Item::Blank);
            continue;
        }
        while let Some(rest) = s.strip_prefix('>') {
            s = rest.trim_start();
        }
        if is_heading(s) {
            headings.push(line_no);
            items.push(Item::Blank);
            continue;
        }
        if is_rule(s) {
            items.push(Item::Blank);
            continue;
        }
        for bullet in ["- ", "* ", "+ "] {
            if let Some(rest) = s.strip_prefix(bullet) {
                s = rest.trim_start();
                break;
            }
        }
        if s.is_empty() {
            items.push(Item::Blank);
        } else {
            items.push(Item::Content {
                line: line_no,
                text: s,
            });
        }
    }
    if !headings.is_empty() {
        warnings.push(format!(
            "skipped {} Markdown heading(s) ({})",
            headings.len(),
            line_list(&headings)
        ));
    }
    items
}

fn is_heading(s: &str) -> bool {
    let hashes = s.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && s[hashes..].chars().next().is_none_or(char::is_whitespace)
}

fn is_rule(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    compact.chars().count() >= 3
        && ['-', '*', '_', '=']
            .iter()
            .any(|&m| compact.chars().all(|c| c == m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_and_reported_speech() {
        let text = "Интервьюер: Как всё началось?\nРеспондент: В 2016 году.\nОн сказал: нельзя.\nИнтервьюер: Понятно.\nРеспондент: Да.";
        let (turns, _) = parse(text, false, ReadOptions::default()).unwrap();
        assert_eq!(turns.len(), 4);
        assert_eq!(turns[1].text, "В 2016 году.\nОн сказал: нельзя.");
    }

    #[test]
    fn timestamp_lines() {
        let text = "[00:00:01]\nИнтервьюер: Сәлем\n[00:00:05] Респондент\nСәлем.\n[00:00:09]\nИнтервьюер: Иә\n[00:00:12] Респондент\nЖоқ.";
        let (turns, _) = parse(text, false, ReadOptions::default()).unwrap();
        let got: Vec<(&str, &str, Option<&str>)> = turns
            .iter()
            .map(|t| (t.speaker.as_str(), t.text.as_str(), t.start.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("Интервьюер", "Сәлем", Some("00:00:01.000")),
                ("Респондент", "Сәлем.", Some("00:00:05.000")),
                ("Интервьюер", "Иә", Some("00:00:09.000")),
                ("Респондент", "Жоқ.", Some("00:00:12.000")),
            ]
        );
    }

    #[test]
    fn no_labels_paragraphs() {
        let (turns, w) = parse("один\nдва\n\nтри", false, ReadOptions::default()).unwrap();
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[0].speaker, "");
        assert_eq!(w.len(), 1);
        let (turns, _) = parse("один\nдва\nтри", false, ReadOptions::default()).unwrap();
        assert_eq!(turns.len(), 3);
        // A trailing newline (or a front-matter block) is not a paragraph break.
        let (turns, _) = parse("один\nдва\nтри\n\n", false, ReadOptions::default()).unwrap();
        assert_eq!(turns.len(), 3);
    }

    #[test]
    fn markdown_structure() {
        let md = "---\ntitle: x\n---\n# Интервью\n\n> **Интервьюер:** Сәлем\n> жалғасы\n\n**Респондент**: Да\n";
        let (turns, w) = parse(md, true, ReadOptions::default()).unwrap();
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[0].text, "Сәлем жалғасы");
        assert_eq!(w.len(), 2);
    }
}
