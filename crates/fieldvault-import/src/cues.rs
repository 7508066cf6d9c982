//! WebVTT and SRT captions.
//!
//! One line-based scanner serves both: a line with `-->` at the start of a
//! block (or after a cue id) is a timing line and opens a cue; the lines
//! after it, up to a blank line, are the cue text. WebVTT's header, NOTE,
//! STYLE and REGION blocks are skipped. The speaker of a cue comes from a
//! `<v Speaker>` voice tag (WebVTT) or a "Speaker: text" prefix on a cue
//! line; a cue without either continues the previous speaker. Consecutive
//! cues of the same speaker merge into one turn that keeps the first cue's
//! start time; cue text is joined with single spaces.

use std::collections::HashMap;

use crate::label::{check_label, split_label, timestamp_ms, Label};
use crate::mode::{mode_or_assumed, ranges, ReadOptions, SpeakerLabels};
use crate::{ImportError, Turn};

/// Which caption flavour.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Flavour {
    Vtt,
    Srt,
    /// YouTube's SubViewer captions: `0:00:01.000,0:00:04.000` timing lines, no cue numbers.
    Sbv,
}

struct RawCue<'a> {
    number: usize,
    start: String,
    lines: Vec<&'a str>,
}

/// Does the line look like a timing line ("a --> b ...") with valid times?
pub(crate) fn timing(line: &str) -> Option<(u64, u64)> {
    let (left, right) = line.split_once("-->")?;
    let start = timestamp_ms(left.trim())?;
    let end_token = right.split_whitespace().next()?;
    let end = timestamp_ms(end_token)?;
    Some((start, end))
}

impl Flavour {
    /// The format as the researcher knows it.
    fn format(self) -> crate::SourceFormat {
        match self {
            Flavour::Vtt => crate::SourceFormat::WebVtt,
            Flavour::Srt => crate::SourceFormat::Srt,
            Flavour::Sbv => crate::SourceFormat::Sbv,
        }
    }
}

/// An SBV timing line: `0:00:01.000,0:00:04.000`.
pub(crate) fn sbv_timing(line: &str) -> Option<(u64, u64)> {
    let (left, right) = line.trim().split_once(',')?;
    Some((timestamp_ms(left)?, timestamp_ms(right)?))
}

/// Could the line be meant as an SBV timing line (starts with a digit, no
/// spaces, one comma, two colons or more)? Such a line that does not parse
/// is a bad timestamp rather than caption text.
fn sbv_timing_shape(line: &str) -> bool {
    line.starts_with(|c: char| c.is_ascii_digit())
        && !line.contains(char::is_whitespace)
        && line.matches(',').count() == 1
        && line.matches(':').count() >= 2
}

/// Does the text start like a YouTube .sbv file (a timing line first)?
pub(crate) fn is_sbv(text: &str) -> bool {
    text.split('\n')
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(sbv_timing)
        .is_some()
}

/// Does any line look like an SBV timing line?
pub(crate) fn has_sbv_timing_lines(text: &str) -> bool {
    text.split('\n').any(|l| sbv_timing(l).is_some())
}

/// Is the text a WebVTT file (signature on the first line)?
pub(crate) fn is_webvtt(text: &str) -> bool {
    let t = text.trim_start_matches('\u{FEFF}');
    t.strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n']))
}

/// Does the text start like an SRT file (a cue number, then a timing line)?
pub(crate) fn is_srt(text: &str) -> bool {
    let mut lines = text.split('\n').map(str::trim).filter(|l| !l.is_empty());
    match lines.next() {
        Some(first) if first.bytes().all(|b| b.is_ascii_digit()) => {
            lines.next().and_then(timing).is_some()
        }
        Some(first) => timing(first).is_some(),
        None => false,
    }
}

/// Does any line look like a cue timing line?
pub(crate) fn has_timing_lines(text: &str) -> bool {
    text.split('\n').any(|l| timing(l.trim()).is_some())
}

/// Parse captions into turns.
pub(crate) fn parse(
    text: &str,
    flavour: Flavour,
    options: ReadOptions,
) -> Result<(Vec<Turn>, Vec<String>), ImportError> {
    let mut warnings = Vec::new();
    let lines: Vec<&str> = text.split('\n').map(str::trim).collect();
    let mut i = 0;
    if flavour == Flavour::Vtt && is_webvtt(text) {
        // The header block: the signature line and metadata up to a blank line.
        i = 1;
        while i < lines.len() && !lines[i].is_empty() && !lines[i].contains("-->") {
            i += 1;
        }
    }
    let mut cues: Vec<RawCue> = Vec::new();
    let mut in_cue = false;
    let mut skipping = false;
    let mut block_start = true;
    let mut orphans = Vec::new();
    while i < lines.len() {
        let line_no = i + 1;
        let t = lines[i];
        i += 1;
        if t.is_empty() {
            in_cue = false;
            skipping = false;
            block_start = true;
            continue;
        }
        let at_block_start = block_start;
        block_start = false;
        if skipping {
            continue;
        }
        if at_block_start && flavour == Flavour::Vtt && is_vtt_meta_block(t) {
            skipping = true;
            continue;
        }
        let timing_line = match flavour {
            Flavour::Sbv => {
                sbv_timing_shape(t) && (at_block_start || !in_cue || sbv_timing(t).is_some())
            }
            _ => t.contains("-->") && (at_block_start || !in_cue || timing(t).is_some()),
        };
        if timing_line {
            let number = cues.len() + 1;
            let parsed = match flavour {
                Flavour::Sbv => sbv_timing(t),
                _ => timing(t),
            };
            let Some((start, _end)) = parsed else {
                return Err(ImportError::BadTimestamp {
                    format: flavour.format(),
                    cue: number,
                    line: line_no,
                });
            };
            if in_cue && flavour != Flavour::Sbv {
                // A missing blank line: the previous cue's last line may be this cue's number.
                if let Some(prev) = cues.last_mut() {
                    if prev
                        .lines
                        .last()
                        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()))
                    {
                        prev.lines.pop();
                    }
                }
            }
            cues.push(RawCue {
                number,
                start: crate::label::ms_to_timestamp(start),
                lines: Vec::new(),
            });
            in_cue = true;
            continue;
        }
        if in_cue {
            if let Some(c) = cues.last_mut() {
                c.lines.push(t);
            }
            continue;
        }
        // Not in a cue: a cue id if the next line is a timing line.
        if at_block_start
            && flavour != Flavour::Sbv
            && lines.get(i).is_some_and(|n| n.contains("-->"))
        {
            continue;
        }
        match cues.last_mut() {
            Some(c) => {
                c.lines.push(t);
                orphans.push(line_no);
                in_cue = true;
            }
            None => {
                return Err(ImportError::TextOutsideCue {
                    format: flavour.format(),
                    line: line_no,
                })
            }
        }
    }
    if !orphans.is_empty() {
        warnings.push(format!(
            "caption text without its own timing line was added to the cue before it ({})",
            crate::text::line_list(&orphans)
        ));
    }

    // Pieces of each cue, then labels with their frequencies.
    let detect = options.speaker_labels != SpeakerLabels::Ignore;
    let assumed = options.speaker_labels == SpeakerLabels::Assume;
    let pieces: Vec<Vec<Piece>> = cues
        .iter()
        .map(|c| cue_pieces(&c.lines, flavour, detect))
        .collect();
    let mut uses: HashMap<String, usize> = HashMap::new();
    for p in pieces.iter().flatten() {
        if let Piece::Plain(lines) = p {
            for line in lines {
                if let Some(l) = &line.label {
                    *uses.entry(l.speaker.clone()).or_default() += 1;
                }
            }
        }
    }
    let strong = |l: &Label| l.marked || l.capitalized || uses.get(&l.speaker) >= Some(&2);

    // Per cue: its text as written (labels included), and its segments by speaker.
    let mut cue_raw: Vec<String> = Vec::with_capacity(cues.len());
    let mut cue_segments: Vec<Vec<(Who, String)>> = Vec::with_capacity(cues.len());
    for cue_pieces in pieces {
        let mut raw = String::new();
        let mut segs: Vec<(Who, String)> = Vec::new();
        for p in cue_pieces {
            match p {
                Piece::Voice(speaker, text) => {
                    join(&mut raw, &text);
                    if detect && !speaker.is_empty() {
                        segs.push((Who::Named(speaker), text));
                    } else {
                        segs.push((Who::Continue, text));
                    }
                }
                Piece::Plain(lines) => {
                    let mut first = true;
                    for line in lines {
                        join(&mut raw, &line.as_written);
                        match line.label.filter(|l| strong(l)) {
                            Some(l) => segs.push((Who::Named(l.speaker), l.rest)),
                            None if line.new_speaker && detect => {
                                segs.push((Who::Unknown, line.text))
                            }
                            None => {
                                if first || segs.is_empty() {
                                    segs.push((Who::Continue, line.text));
                                } else if let Some(last) = segs.last_mut() {
                                    join(&mut last.1, &line.text);
                                }
                            }
                        }
                        first = false;
                    }
                }
            }
        }
        cue_raw.push(raw);
        cue_segments.push(segs);
    }

    let units = cue_raw.iter().filter(|r| !r.is_empty()).count();
    let mut label_cues = Vec::new();
    for (cue, segs) in cues.iter().zip(&cue_segments) {
        if segs.iter().any(|(w, _)| matches!(w, Who::Named(_))) {
            label_cues.push(cue.number);
        }
    }
    let by_speaker = mode_or_assumed(
        assumed,
        units,
        cue_segments.iter().flatten().filter_map(|(w, _)| match w {
            Who::Named(s) => Some(s.as_str()),
            _ => None,
        }),
    );
    let mut turns: Vec<Turn> = Vec::new();
    if !by_speaker {
        for (cue, text) in cues.iter().zip(cue_raw) {
            if !text.is_empty() {
                turns.push(Turn {
                    speaker: String::new(),
                    text,
                    start: Some(cue.start.clone()),
                });
            }
        }
        if !turns.is_empty() {
            warnings.push(if !detect {
                "speaker labels were not read (no speakers asked for); each cue became a turn \
                 without a speaker"
                    .to_owned()
            } else if label_cues.is_empty() {
                "no speaker labels were found; each cue became a turn without a speaker".to_owned()
            } else {
                format!(
                    "read without speakers: {} of {units} cues carry a speaker label ({}), too few or \
                     too varied to be the speakers of the file; each cue became a turn without a \
                     speaker and the labels were kept as text",
                    label_cues.len(),
                    ranges("cue", &label_cues)
                )
            });
        }
        return Ok((turns, warnings));
    }

    let mut unlabelled_cue = None;
    let mut joined_cues = Vec::new();
    let mut unknown_cues = Vec::new();
    for (cue, segs) in cues.iter().zip(cue_segments) {
        for (who, text) in segs {
            match (who, turns.last_mut()) {
                (Who::Continue, Some(t)) => {
                    if !t.speaker.is_empty() && !text.is_empty() {
                        joined_cues.push(cue.number);
                    }
                    join(&mut t.text, &text)
                }
                (Who::Named(s), Some(t)) if t.speaker == s => join(&mut t.text, &text),
                (who, _) => {
                    let speaker = match who {
                        Who::Named(s) => s,
                        Who::Continue => {
                            if unlabelled_cue.is_none() {
                                unlabelled_cue = Some(cue.number);
                            }
                            String::new()
                        }
                        Who::Unknown => {
                            unknown_cues.push(cue.number);
                            String::new()
                        }
                    };
                    turns.push(Turn {
                        speaker,
                        text,
                        start: Some(cue.start.clone()),
                    });
                }
            }
        }
    }
    if let Some(n) = unlabelled_cue {
        warnings.push(format!(
            "cue {n} has no speaker and no earlier speaker; its text became a turn without a speaker"
        ));
    }
    if !unknown_cues.is_empty() {
        warnings.push(format!(
            "a change of speaker ('>>') without a name ({}) became a turn without a speaker",
            ranges("cue", &unknown_cues)
        ));
    }
    if !joined_cues.is_empty() {
        joined_cues.dedup();
        warnings.push(format!(
            "{} cue(s) without a speaker label were added to the turn of the speaker before them \
             ({}); check they are that speaker's words",
            joined_cues.len(),
            ranges("cue", &joined_cues)
        ));
    }
    // A label with no text (a voice tag around nothing) leaves an empty turn;
    // drop it, merging neighbours of the same speaker back together.
    let mut merged: Vec<Turn> = Vec::with_capacity(turns.len());
    for t in turns {
        if t.text.is_empty() {
            continue;
        }
        match merged.last_mut() {
            Some(last) if last.speaker == t.speaker && !t.speaker.is_empty() => {
                join(&mut last.text, &t.text)
            }
            _ => merged.push(t),
        }
    }
    Ok((merged, warnings))
}

/// Who speaks a segment of a cue.
enum Who {
    /// No mark: the speaker before goes on.
    Continue,
    /// A change of speaker without a name (`>>` in broadcast captions).
    Unknown,
    /// A named speaker: voice tag, "Name:" prefix, `[Name]` (SDH).
    Named(String),
}

fn is_vtt_meta_block(t: &str) -> bool {
    ["NOTE", "STYLE", "REGION"].iter().any(|k| {
        t.strip_prefix(k)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

/// Append with a single space.
fn join(into: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    if !into.is_empty() {
        into.push(' ');
    }
    into.push_str(text);
}

enum Piece {
    /// Text inside a `<v Speaker>` voice span.
    Voice(String, String),
    /// Lines without a voice tag.
    Plain(Vec<PlainLine>),
}

/// A caption line outside voice tags.
struct PlainLine {
    /// The line without speaker-change markers (`>>`, `- `), white space collapsed.
    text: String,
    /// The line as written (markers kept), white space collapsed: the text
    /// of a turn when the file is read without speakers, so that a cue's
    /// dialogue dashes still show two people talking.
    as_written: String,
    /// Its speaker label, if it starts with one.
    label: Option<Label>,
    /// It starts with `>>`, the broadcast mark of a new speaker.
    new_speaker: bool,
}

/// Collapse white space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words that open a bracketed sound description in SDH captions
/// (`[Music]`, `[Laughs]`, `[Смех]`), which are not speakers.
const SOUND_WORDS: &[&str] = &[
    "music",
    "laugh",
    "laughs",
    "laughter",
    "laughing",
    "applause",
    "inaudible",
    "crosstalk",
    "cross-talk",
    "silence",
    "sigh",
    "sighs",
    "cough",
    "coughs",
    "chuckle",
    "chuckles",
    "noise",
    "indistinct",
    "unintelligible",
    "foreign",
    "pause",
    "beep",
    "beeping",
    "static",
    "whisper",
    "whispers",
    "whispering",
    "sniffs",
    "gasps",
    "groans",
    "clears",
    "sobs",
    "crying",
    "cries",
    "singing",
    "sings",
    "phone",
    "door",
    "footsteps",
    "thunder",
    "wind",
    "background",
    "both",
    "all",
    "speaking",
    "music playing",
    "музыка",
    "смех",
    "смеётся",
    "смеется",
    "аплодисменты",
    "неразборчиво",
    "пауза",
    "тишина",
    "шум",
    "вздыхает",
    "кашляет",
    "плачет",
    "күлкі",
    "үзіліс",
];

/// An SDH speaker mark: `[Name] text` or `[Name]: text`, capitalised, with
/// text after it on the line; `[music]`, `[door slams]` and other sound
/// descriptions are not speakers.
fn sdh_label(l: &str) -> Option<Label> {
    let inner = l.strip_prefix('[')?;
    let close = inner.find(']')?;
    let name = &inner[..close];
    let rest = inner[close + 1..].trim_start();
    let rest = rest.strip_prefix([':', '：']).unwrap_or(rest).trim();
    if rest.is_empty() {
        return None;
    }
    let (speaker, capitalized) = check_label(name)?;
    let first = speaker
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    if !capitalized || SOUND_WORDS.contains(&first.as_str()) {
        return None;
    }
    Some(Label {
        speaker,
        rest: rest.to_owned(),
        start: None,
        marked: false,
        capitalized: true,
    })
}

/// Split a cue's text into voice spans and plain lines, tags removed.
fn cue_pieces(lines: &[&str], flavour: Flavour, detect: bool) -> Vec<Piece> {
    let joined = lines.join("\n");
    // (voice, raw text) spans
    let mut spans: Vec<(Option<String>, String)> = vec![(None, String::new())];
    let mut rest = joined.as_str();
    while let Some(lt) = rest.find('<') {
        let (before, after) = rest.split_at(lt);
        if let Some(last) = spans.last_mut() {
            last.1.push_str(before);
        }
        let Some(gt) = after.find('>') else {
            // A lone '<': keep it as text.
            if let Some(last) = spans.last_mut() {
                last.1.push_str(after);
            }
            rest = "";
            break;
        };
        let tag = &after[1..gt];
        rest = &after[gt + 1..];
        match classify_tag(tag, flavour) {
            Tag::Voice(name) => spans.push((Some(name), String::new())),
            Tag::Drop => {}
            Tag::Keep => {
                if let Some(last) = spans.last_mut() {
                    last.1.push_str(&after[..=gt]);
                }
            }
        }
    }
    if let Some(last) = spans.last_mut() {
        last.1.push_str(rest);
    }
    let mut pieces = Vec::new();
    for (voice, raw) in spans {
        let raw = match flavour {
            Flavour::Vtt => unescape_entities(&raw),
            Flavour::Srt | Flavour::Sbv => strip_ass_overrides(&raw),
        };
        match voice {
            Some(name) => {
                let name = collapse(&unescape_entities(&name));
                pieces.push(Piece::Voice(name, collapse(&raw)));
            }
            None => {
                let lines: Vec<PlainLine> = raw
                    .split('\n')
                    .map(|l| {
                        let l = l.trim();
                        let as_written = collapse(l);
                        let new_speaker = l.starts_with(">>");
                        let l = l
                            .strip_prefix(">>")
                            .or_else(|| l.strip_prefix("- "))
                            .or_else(|| l.strip_prefix("– "))
                            .or_else(|| {
                                l.strip_prefix('-')
                                    .filter(|r| r.starts_with(char::is_uppercase))
                            })
                            .unwrap_or(l)
                            .trim();
                        let mut label = if detect {
                            split_label(l).or_else(|| sdh_label(l))
                        } else {
                            None
                        };
                        if let Some(lab) = label.as_mut() {
                            lab.rest = collapse(&lab.rest);
                        }
                        PlainLine {
                            text: collapse(l),
                            as_written,
                            label,
                            new_speaker,
                        }
                    })
                    .filter(|l| !l.text.is_empty())
                    .collect();
                if !lines.is_empty() {
                    pieces.push(Piece::Plain(lines));
                }
            }
        }
    }
    pieces
}

enum Tag {
    Voice(String),
    Drop,
    Keep,
}

fn classify_tag(tag: &str, flavour: Flavour) -> Tag {
    match flavour {
        Flavour::Vtt => {
            // <v Name>, <v.loud Name>; everything else (<c>, <i>, </v>, <00:01.000>) goes.
            if let Some(rest) = tag.strip_prefix('v') {
                if rest.starts_with(['.', ' ', '\t']) {
                    let name = rest
                        .split_once([' ', '\t'])
                        .map(|(_, n)| n.trim())
                        .unwrap_or("");
                    if !name.is_empty() {
                        return Tag::Voice(name.to_owned());
                    }
                }
            }
            Tag::Drop
        }
        Flavour::Srt | Flavour::Sbv => {
            let name = tag.trim_start_matches('/').trim();
            let head = name
                .split(|c: char| c.is_whitespace() || c == '=')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if matches!(head.as_str(), "i" | "b" | "u" | "s" | "font") {
                Tag::Drop
            } else {
                Tag::Keep
            }
        }
    }
}

/// `{\an8}` and similar overrides some SRT files carry.
fn strip_ass_overrides(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("{\\") {
        out.push_str(&rest[..i]);
        match rest[i..].find('}') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// WebVTT character references.
pub(crate) fn unescape_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(j, _)| j);
        let decoded = end.and_then(|j| {
            let name = &after[..j];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{A0}'),
                "lrm" | "rlm" => None,
                _ => {
                    let num = name.strip_prefix('#')?;
                    let v = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    Some(char::from_u32(v).filter(|c| !crate::decode::is_bad_control(*c))?)
                }
            };
            Some((c, j))
        });
        match decoded {
            Some((c, j)) => {
                if let Some(c) = c {
                    out.push(c);
                }
                rest = &after[j + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vtt_voice_and_merge() {
        let vtt = "WEBVTT\nKind: captions\n\nNOTE секрет\nещё\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Интервьюер>Сәлем &amp; привет</v>\n\n2\n00:00:03.000 --> 00:00:05.000\n<v Респондент>Да,\nконечно</v>\n\n3\n00:00:05.000 --> 00:00:07.000 align:start\n<v Респондент><i>да</i></v>\n";
        let (turns, w) = parse(vtt, Flavour::Vtt, ReadOptions::default()).unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[0].text, "Сәлем & привет");
        assert_eq!(turns[1].text, "Да, конечно да");
        assert_eq!(turns[1].start.as_deref(), Some("00:00:03.000"));
    }

    #[test]
    fn srt_missing_blank_line() {
        let srt =
            "1\n00:00:01,000 --> 00:00:02,000\nA: one\n2\n00:00:02,000 --> 00:00:03,000\nB: two\n";
        let (turns, _) = parse(srt, Flavour::Srt, ReadOptions::default()).unwrap();
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[0].text, "one");
    }

    #[test]
    fn entities() {
        assert_eq!(
            unescape_entities("a &lt;b&gt; &#1046; &x; &"),
            "a <b> Ж &x; &"
        );
    }
}
