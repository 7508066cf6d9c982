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

use crate::label::{split_label, timestamp_ms, Label};
use crate::{ImportError, Turn};

/// Which caption flavour.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Flavour {
    Vtt,
    Srt,
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
pub(crate) fn parse(text: &str, flavour: Flavour) -> Result<(Vec<Turn>, Vec<String>), ImportError> {
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
        if t.contains("-->") && (at_block_start || !in_cue || timing(t).is_some()) {
            let number = cues.len() + 1;
            let Some((start, _end)) = timing(t) else {
                return Err(ImportError::BadTimestamp {
                    cue: number,
                    line: line_no,
                });
            };
            if in_cue {
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
        if at_block_start && lines.get(i).is_some_and(|n| n.contains("-->")) {
            continue;
        }
        match cues.last_mut() {
            Some(c) => {
                c.lines.push(t);
                orphans.push(line_no);
                in_cue = true;
            }
            None => return Err(ImportError::TextOutsideCue { line: line_no }),
        }
    }
    if !orphans.is_empty() {
        warnings.push(format!(
            "caption text without its own timing line was added to the cue before it ({})",
            crate::text::line_list(&orphans)
        ));
    }

    // Pieces of each cue, then labels with their frequencies.
    let pieces: Vec<Vec<Piece>> = cues.iter().map(|c| cue_pieces(&c.lines, flavour)).collect();
    let mut uses: HashMap<String, usize> = HashMap::new();
    for p in pieces.iter().flatten() {
        if let Piece::Plain(lines) = p {
            for (_, l) in lines {
                if let Some(l) = l {
                    *uses.entry(l.speaker.clone()).or_default() += 1;
                }
            }
        }
    }
    let strong = |l: &Label| l.marked || l.capitalized || uses.get(&l.speaker) >= Some(&2);

    // Segments: (speaker or none, text) per cue.
    let mut cue_segments: Vec<Vec<(Option<String>, String)>> = Vec::with_capacity(cues.len());
    for cue_pieces in pieces {
        let mut segs: Vec<(Option<String>, String)> = Vec::new();
        for p in cue_pieces {
            match p {
                Piece::Voice(speaker, text) => segs.push((Some(speaker), text)),
                Piece::Plain(lines) => {
                    let mut first = true;
                    for (line, label) in lines {
                        match label.filter(|l| strong(l)) {
                            Some(l) => segs.push((Some(l.speaker), l.rest)),
                            None => {
                                if first || segs.is_empty() {
                                    segs.push((None, line));
                                } else if let Some(last) = segs.last_mut() {
                                    join(&mut last.1, &line);
                                }
                            }
                        }
                        first = false;
                    }
                }
            }
        }
        cue_segments.push(segs);
    }

    let any_speaker = cue_segments
        .iter()
        .flatten()
        .any(|(s, _)| s.as_deref().is_some_and(|s| !s.is_empty()));
    let mut turns: Vec<Turn> = Vec::new();
    if !any_speaker {
        for (cue, segs) in cues.iter().zip(cue_segments) {
            let mut text = String::new();
            for (_, t) in segs {
                join(&mut text, &t);
            }
            if !text.is_empty() {
                turns.push(Turn {
                    speaker: String::new(),
                    text,
                    start: Some(cue.start.clone()),
                });
            }
        }
        if !turns.is_empty() {
            warnings.push(
                "no speaker labels were found; each cue became a turn without a speaker".into(),
            );
        }
        return Ok((turns, warnings));
    }

    let mut unlabelled_cue = None;
    for (cue, segs) in cues.iter().zip(cue_segments) {
        for (speaker, text) in segs {
            match (speaker, turns.last_mut()) {
                (None, Some(t)) => join(&mut t.text, &text),
                (Some(s), Some(t)) if t.speaker == s => join(&mut t.text, &text),
                (speaker, _) => {
                    if speaker.is_none() && unlabelled_cue.is_none() {
                        unlabelled_cue = Some(cue.number);
                    }
                    turns.push(Turn {
                        speaker: speaker.unwrap_or_default(),
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
    // A label with no text (a voice tag around nothing) leaves an empty turn;
    // drop it, merging neighbours of the same speaker back together.
    let mut merged: Vec<Turn> = Vec::with_capacity(turns.len());
    for t in turns {
        if t.text.is_empty() {
            continue;
        }
        match merged.last_mut() {
            Some(last) if last.speaker == t.speaker => join(&mut last.text, &t.text),
            _ => merged.push(t),
        }
    }
    Ok((merged, warnings))
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
    /// Lines without a voice tag, each with its "Speaker:" label if any.
    Plain(Vec<(String, Option<Label>)>),
}

/// Collapse white space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Split a cue's text into voice spans and plain lines, tags removed.
fn cue_pieces(lines: &[&str], flavour: Flavour) -> Vec<Piece> {
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
            Flavour::Srt => strip_ass_overrides(&raw),
        };
        match voice {
            Some(name) => {
                let name = collapse(&unescape_entities(&name));
                pieces.push(Piece::Voice(name, collapse(&raw)));
            }
            None => {
                let lines: Vec<(String, Option<Label>)> = raw
                    .split('\n')
                    .map(|l| {
                        let l = l.trim();
                        let l = l
                            .strip_prefix(">>")
                            .or_else(|| l.strip_prefix("- "))
                            .or_else(|| l.strip_prefix("– "))
                            .unwrap_or(l)
                            .trim();
                        let mut label = split_label(l);
                        if let Some(lab) = label.as_mut() {
                            lab.rest = collapse(&lab.rest);
                        }
                        (collapse(l), label)
                    })
                    .filter(|(l, _)| !l.is_empty())
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
        Flavour::Srt => {
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
        let (turns, w) = parse(vtt, Flavour::Vtt).unwrap();
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
        let (turns, _) = parse(srt, Flavour::Srt).unwrap();
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
