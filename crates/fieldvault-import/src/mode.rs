//! Whether a file is read by speaker, decided from the whole file.
//!
//! One line that happens to look like a label ("Digo: «Le doy…»" in a
//! subtitle file, "Important: ..." in field notes) must not turn a file
//! into a two-turn dialogue: once a file is read by speaker, every
//! unlabelled line is attributed to the speaker before it, and that
//! attribution is what the consent gate checks. So a file is read by
//! speaker only when its labels look like a cast of speakers:
//!
//! 1. at least two units (lines or paragraphs, cues, Word paragraphs or
//!    table rows) carry a label;
//! 2. the labels are a small set: at least two thirds of the labelled units
//!    use a label that occurs at least twice; or (a short exchange, not for
//!    Word tables, which need recurring speakers) two thirds of the units
//!    are labelled and some label recurs or there are at most two labels.
//!    A list of "Date: / Place: / Present:" lines, each key once, is not a
//!    cast of speakers; a short group interview in which each participant
//!    speaks once and the moderator twice is;
//! 3. the labels are not a sprinkle: at least one unit in ten carries one.
//!
//! Otherwise every unit becomes a turn without a speaker and the would-be
//! labels stay in the text (with a warning naming where they are).

use std::collections::HashMap;

/// What to do with speaker labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpeakerLabels {
    /// Read the file by speaker when its labels look like a cast of
    /// speakers (see [`read_transcript_with`](crate::read_transcript_with)).
    #[default]
    Detect,
    /// Never read labels: every paragraph, line, cue or table row becomes a
    /// turn without a speaker, with any "Name:" prefix kept as text. For
    /// notes, monologues and subtitles whose colons are not speakers.
    Ignore,
}

/// How to read a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ReadOptions {
    /// Speaker labels: detected from the whole file, or ignored.
    pub speaker_labels: SpeakerLabels,
}

impl ReadOptions {
    /// Options that ignore speaker labels (`--no-speakers`).
    pub fn no_speakers() -> ReadOptions {
        ReadOptions {
            speaker_labels: SpeakerLabels::Ignore,
        }
    }
}

/// Decide speaker mode from `units` (how many units the file has) and the
/// label of every labelled unit, in order (see the module documentation).
pub(crate) fn speaker_mode<'a>(units: usize, labels: impl IntoIterator<Item = &'a str>) -> bool {
    cast_of_speakers(units, labels, true)
}

/// [`speaker_mode`] without the short-exchange rule: the labels must recur.
pub(crate) fn recurring_speakers<'a>(
    units: usize,
    labels: impl IntoIterator<Item = &'a str>,
) -> bool {
    cast_of_speakers(units, labels, false)
}

fn cast_of_speakers<'a>(
    units: usize,
    labels: impl IntoIterator<Item = &'a str>,
    short_exchange: bool,
) -> bool {
    let mut uses: HashMap<&str, usize> = HashMap::new();
    let mut labelled = 0usize;
    for l in labels {
        *uses.entry(l).or_default() += 1;
        labelled += 1;
    }
    if labelled < 2 {
        return false;
    }
    let recurring: usize = uses.values().filter(|&&n| n >= 2).sum();
    let most_units_labelled = labelled * 3 >= units * 2;
    let small_set = recurring * 3 >= labelled * 2
        || (short_exchange && most_units_labelled && (uses.len() <= 2 || uses.len() < labelled));
    let not_a_sprinkle = labelled * 10 >= units;
    small_set && not_a_sprinkle
}

/// "lines 3-5, 9", "cue 4", "paragraphs 2, 7-8, ..." (at most 8 ranges shown).
pub(crate) fn ranges(noun: &str, nums: &[usize]) -> String {
    const SHOWN: usize = 8;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for &n in nums {
        match spans.last_mut() {
            Some((_, end)) if n == *end + 1 => *end = n,
            Some((_, end)) if n == *end => {}
            _ => spans.push((n, n)),
        }
    }
    let plural = if nums.len() == 1 { "" } else { "s" };
    let shown: Vec<String> = spans
        .iter()
        .take(SHOWN)
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    let more = if spans.len() > SHOWN { ", ..." } else { "" };
    format!("{noun}{plural} {}{more}", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_stray_label_does_not_make_a_dialogue() {
        assert!(!speaker_mode(400, ["Digo"]));
        assert!(!speaker_mode(400, ["Digo", "Digo"]));
        assert!(!speaker_mode(12, ["Important"]));
        assert!(!speaker_mode(10, ["Important", "Note"]));
        // Field notes full of "Key: value" lines, each key once.
        assert!(!speaker_mode(
            6,
            ["Date", "Place", "Weather", "Mood", "Note"]
        ));
    }

    #[test]
    fn a_cast_of_speakers_is_a_dialogue() {
        assert!(speaker_mode(4, ["И", "Р", "И", "Р"]));
        // Long answers: few labelled paragraphs, but the labels recur.
        assert!(speaker_mode(30, ["И", "Р", "И", "Р", "И", "Р"]));
        // A two-line exchange, but not two labels among other paragraphs.
        assert!(speaker_mode(2, ["Интервьюер", "Респондент"]));
        assert!(speaker_mode(3, ["Интервьюер", "Респондент"]));
        assert!(!speaker_mode(4, ["Кто", "Координатор"]));
        assert!(!recurring_speakers(2, ["Кто", "Координатор"]));
        assert!(recurring_speakers(4, ["A", "B", "A", "B"]));
        // A short group interview: each participant speaks once.
        assert!(speaker_mode(
            4,
            ["Модератор", "Участник 1", "Участник 2", "Модератор"]
        ));
        // A group interview with one speaker who talks once.
        assert!(speaker_mode(9, ["A", "B", "A", "C", "B", "A", "D"]));
    }

    #[test]
    fn number_ranges() {
        assert_eq!(ranges("line", &[3]), "line 3");
        assert_eq!(ranges("line", &[3, 4, 5, 9]), "lines 3-5, 9");
        let many: Vec<usize> = (1..40).step_by(2).collect();
        assert!(ranges("cue", &many).ends_with(", ..."));
    }
}
