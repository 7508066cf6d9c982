//! The round trip through analysis software: whole redacted transcripts out
//! for coding (`export --format qdpx --transcripts`), and the codings made
//! in MAXQDA, NVivo, ATLAS.ti or QualCoder back in as excerpts
//! (`codings import`).
//!
//! Out: every transcript whose interviewed persons' consent allows analysis
//! (the recording consent stands), redacted turn by turn, leak-checked and
//! re-identification checked like any export. The vault keeps each source
//! as written (its GUID, text and turn offsets), because that is what the
//! analysis software's positions count in.
//!
//! In: each coded source is recognised among the sources ever exported (by
//! GUID, else by content when a tool renamed or rewrote it), each selection
//! is re-anchored in our text (tolerating CRLF, UTF-16 counting, shifted
//! offsets) and mapped onto the turns it covers. Nothing is changed unless
//! the whole project maps: a source the vault never exported refuses the
//! import; selections that map onto no turn are reported by id.

use super::gate::ConsentGate;
use super::output::{place, Target};
use super::{reident, PublishError, Result};
use crate::commit::OpenRecords;
use crate::lexicon;
use crate::records::consent::Purpose;
use crate::records::exports::{self, CodingSource as Stored, Fact};
use crate::records::{audit, excerpts, persons, transcripts};
use fieldvault_export::{
    anchor, find_source, read_qdpx, render_transcripts, turns_covered, Case, CodingExcerpt,
    CodingSet, CodingSource, ExportedSource, LinkKey, MatchedBy, Source, TurnSpan,
};
use fieldvault_redact::{leak_check, redact, Lexicon, RedactOptions};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

#[derive(Debug, Clone)]
pub struct TranscriptsRequest {
    pub strict: bool,
    pub k: u32,
    pub today: Date,
    pub created: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeftOutTranscript {
    pub transcript: i64,
    pub pseudonym: String,
    pub why: String,
}

/// (turn number, first character of its text, character after it).
type TurnSpans = Vec<(u32, usize, usize)>;

/// Selections that fall on the same turns: (code paths, memos, selection GUIDs).
#[derive(Default)]
struct Group {
    codes: Vec<String>,
    memos: Vec<String>,
    selections: Vec<String>,
}

pub struct TranscriptsPlan {
    pub set: CodingSet,
    /// Source id ("T3", "T3-en") -> (transcript, translation?, turn spans).
    layout: BTreeMap<String, (i64, bool, TurnSpans)>,
    pub transcripts: Vec<i64>,
    pub persons: BTreeSet<i64>,
    pub excerpts: usize,
    pub left_out: Vec<LeftOutTranscript>,
    pub reident: Vec<reident::Warning>,
    disclosure: Vec<(i64, Fact)>,
}

fn redact_text(lex: &Lexicon, text: &str) -> String {
    redact(lex, text, &RedactOptions::default()).text
}

/// One transcript's text as written for coding: a line per turn, the
/// speaker label first; returns the text and each turn's text span.
fn layout(
    lines: impl Iterator<Item = (u32, String, String)>,
) -> (String, Vec<(u32, usize, usize)>) {
    let (mut text, mut spans, mut chars) = (String::new(), Vec::new(), 0usize);
    for (line, speaker, body) in lines {
        let prefix = if speaker.is_empty() {
            String::new()
        } else {
            format!("{speaker}: ")
        };
        let start = chars + prefix.chars().count();
        let end = start + body.chars().count();
        text.push_str(&prefix);
        text.push_str(&body);
        text.push('\n');
        chars = end + 1;
        spans.push((line, start, end));
    }
    (text, spans)
}

/// Builds the coding export without writing anything.
pub fn plan_transcripts(conn: &Connection, req: &TranscriptsRequest) -> Result<TranscriptsPlan> {
    let gate = ConsentGate::for_purpose(conn, req.today, Purpose::Analysis)?;
    let lex = lexicon::build(conn, &[])?;
    let mut left_out = Vec::new();
    let mut sources = Vec::new();
    let mut layout_of = BTreeMap::new();
    let mut cases: BTreeMap<i64, Case> = BTreeMap::new();
    let mut included = Vec::new();
    let mut disclosure = Vec::new();
    let mut excerpt_count = 0;
    let all_excerpts = excerpts::list(conn, &[])?;
    for t in transcripts::list(conn)? {
        // Every interviewed person, and every turn: a turn whose speaker
        // is unidentified or was purged keeps the whole interview out.
        let mut refusals = gate.check(&t.persons);
        if t.turns > 0 {
            for r in gate.check_span(conn, t.id, 1, t.turns)? {
                if !refusals.contains(&r) {
                    refusals.push(r);
                }
            }
        }
        if t.persons.is_empty() || !refusals.is_empty() {
            if t.persons.is_empty() {
                left_out.push(LeftOutTranscript {
                    transcript: t.id,
                    pseudonym: String::new(),
                    why: "no interviewed person is registered for it".into(),
                });
            }
            left_out.extend(
                refusals
                    .into_iter()
                    .map(|(pseudonym, r)| LeftOutTranscript {
                        transcript: t.id,
                        pseudonym,
                        why: r.to_string(),
                    }),
            );
            continue;
        }
        included.push(t.id);
        let turns = transcripts::turns(conn, t.id, None)?;
        let (text, spans) = layout(turns.iter().map(|x| {
            (
                x.line,
                redact_text(&lex, &x.speaker),
                redact_text(&lex, &x.text),
            )
        }));
        let speakers: Vec<String> = t.persons.iter().map(|p| format!("P{p}")).collect();
        for p in &t.persons {
            let person = persons::get(conn, *p)?;
            disclosure.push((*p, Fact::new("date", t.date.clone())));
            disclosure.push((*p, Fact::new("language", t.lang.clone())));
            if let Some(d) = &person.descriptor {
                disclosure.push((*p, Fact::new("descriptor", d.trim())));
            }
            for (k, v) in &person.attributes {
                disclosure.push((*p, Fact::new(format!("attribute:{k}"), v.trim())));
            }
            cases.entry(*p).or_insert_with(|| Case {
                id: format!("P{p}"),
                pseudonym: person.pseudonym.clone(),
                descriptor: person.descriptor.clone(),
                attributes: person.attributes.clone(),
            });
        }
        let n = sources.len() / 2 + 1;
        let name = format!("Interview {n} ({}, {})", t.lang, t.date);
        let id = format!("T{}", t.id);
        let mut coded = Vec::new();
        for e in all_excerpts.iter().filter(|e| e.transcript == t.id) {
            let (a, b) = (e.first_line as usize - 1, e.last_line as usize - 1);
            let (Some(first), Some(last)) = (spans.get(a), spans.get(b)) else {
                continue;
            };
            let speakers = transcripts::speakers_of(conn, t.id, e.first_line, e.last_line)?;
            coded.push(CodingExcerpt {
                excerpt_id: e.id.to_string(),
                start: first.1,
                end: last.2,
                tags: e.tags.clone(),
                note: e.note.as_deref().map(|x| redact_text(&lex, x)),
                speakers: speakers.iter().map(|p| format!("P{p}")).collect(),
            });
        }
        excerpt_count += coded.len();
        layout_of.insert(id.clone(), (t.id, false, spans));
        sources.push(CodingSource {
            source: Source {
                id: id.clone(),
                name: name.clone(),
                text,
                language: t.lang.clone(),
                translation_of: None,
            },
            speakers: speakers.clone(),
            excerpts: coded,
        });
        if let Some(lang) = t.translation_lang.clone() {
            if turns.iter().any(|x| x.translation.is_some()) {
                let (text, spans) = layout(turns.iter().map(|x| {
                    (
                        x.line,
                        x.translation_speaker
                            .as_deref()
                            .map(|s| redact_text(&lex, s))
                            .unwrap_or_default(),
                        x.translation
                            .as_deref()
                            .map(|s| redact_text(&lex, s))
                            .unwrap_or_default(),
                    )
                }));
                let tid = format!("{id}-{lang}");
                layout_of.insert(tid.clone(), (t.id, true, spans));
                sources.push(CodingSource {
                    source: Source {
                        id: tid,
                        name: format!("{name}, translation ({lang})"),
                        text,
                        language: lang,
                        translation_of: Some(id),
                    },
                    speakers,
                    excerpts: Vec::new(),
                });
            }
        }
    }
    if included.is_empty() {
        return Err(PublishError::NothingForCoding);
    }
    if req.strict && !left_out.is_empty() {
        let n: BTreeSet<i64> = left_out.iter().map(|l| l.transcript).collect();
        return Err(PublishError::StrictAnalysis(n.len()));
    }
    // Leak check over every text the project will hold.
    let mut leaking = Vec::new();
    for s in &sources {
        let leaks = |x: &str| !leak_check(&lex, x).is_empty();
        if leaks(&s.source.text)
            || s.excerpts
                .iter()
                .any(|e| e.note.as_deref().is_some_and(leaks) || e.tags.iter().any(|t| leaks(t)))
        {
            leaking.push(format!("source {}", s.source.id));
        }
    }
    for c in cases.values() {
        let leaks = |x: &str| !leak_check(&lex, x).is_empty();
        if c.descriptor.as_deref().is_some_and(leaks)
            || c.attributes.iter().any(|(k, v)| leaks(k) || leaks(v))
        {
            leaking.push(format!("the descriptor of {}", c.pseudonym));
        }
    }
    if !leaking.is_empty() {
        return Err(PublishError::Leak(leaking.join(", ")));
    }
    let persons_in: BTreeSet<i64> = cases.keys().copied().collect();
    let published: Vec<i64> = persons_in.iter().copied().collect();
    let mut warnings = reident::check(conn, &published, req.k, true)?;
    disclosure.sort();
    disclosure.dedup();
    warnings.extend(reident::cumulative(conn, &disclosure, req.k, &[])?);
    if req.strict && !warnings.is_empty() {
        return Err(PublishError::StrictReident(warnings.len(), req.k));
    }
    Ok(TranscriptsPlan {
        set: CodingSet {
            title: "fieldvault transcripts for coding".into(),
            created: req.created.clone(),
            sources,
            cases: cases.into_values().collect(),
        },
        layout: layout_of,
        transcripts: included,
        persons: persons_in,
        excerpts: excerpt_count,
        left_out,
        reident: warnings,
        disclosure,
    })
}

/// Renders, logs (with the sources as written), audits and places the
/// coding export. Returns (export id, SHA-256).
pub fn write_transcripts(
    vault: &mut impl OpenRecords,
    target: &Target,
    req: &TranscriptsRequest,
    plan: &TranscriptsPlan,
) -> Result<(i64, String)> {
    let key = LinkKey::random()?;
    let bytes = zeroize::Zeroizing::new(render_transcripts(&plan.set, &key)?);
    let stored: Vec<Stored> = plan
        .set
        .sources
        .iter()
        .filter_map(|s| {
            let (transcript, translation, turns) = plan.layout.get(&s.source.id)?;
            Some(Stored {
                export_id: 0,
                transcript_id: *transcript,
                translation: *translation,
                guid: key.guid("source", &s.source.id),
                text: s.source.text.clone(),
                turns: turns.clone(),
            })
        })
        .collect();
    let items: Vec<(i64, i64)> = plan.persons.iter().map(|p| (0, *p)).collect();
    place(vault, target, &bytes, |tx, file_name, sha| {
        let id = exports::log(tx, "qdpx-transcripts", file_name, sha, &items)?;
        exports::log_disclosure(tx, id, &plan.disclosure)?;
        exports::log_coding_sources(tx, id, &stored)?;
        audit::append(
            tx,
            "export transcripts",
            json!({ "export": id, "format": "qdpx", "file": file_name, "sha256": sha, "transcripts": plan.transcripts,
                    "persons": plan.persons, "excerpts": plan.excerpts, "left_out": plan.left_out.len(),
                    "strict": req.strict, "k": req.k }),
        )?;
        Ok(id)
    })
}

/// A coded selection that could not be mapped, by its GUID.
#[derive(Debug, Clone, Serialize)]
pub struct Unmatched {
    pub selection: String,
    pub source: String,
    pub why: String,
}

/// What one group of selections (same transcript, same turns) becomes.
#[derive(Debug, Clone, Serialize)]
pub struct Mapped {
    pub transcript: i64,
    pub first_line: u32,
    pub last_line: u32,
    pub tags: Vec<String>,
    pub note: Option<String>,
    /// The existing excerpt with the same span that is updated; None = new.
    pub updates: Option<i64>,
    /// The tags the update adds (all tags for a new excerpt).
    pub new_tags: Vec<String>,
    pub selections: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodingsPlan {
    pub project: String,
    pub origin: Option<String>,
    pub sources_matched: Vec<(String, String, i64)>,
    pub mapped: Vec<Mapped>,
    pub unmatched: Vec<Unmatched>,
    /// What the reader itself could not read as a coded text selection.
    pub skipped: Vec<Unmatched>,
    pub selections: usize,
}

impl CodingsPlan {
    pub fn created(&self) -> usize {
        self.mapped.iter().filter(|m| m.updates.is_none()).count()
    }
    pub fn updated(&self) -> usize {
        self.mapped
            .iter()
            .filter(|m| m.updates.is_some() && (!m.new_tags.is_empty() || m.note.is_some()))
            .count()
    }
}

/// Reads a coded project and maps it onto the vault, changing nothing.
pub fn plan_codings(conn: &Connection, bytes: &[u8]) -> Result<CodingsPlan> {
    let project = read_qdpx(bytes)?;
    let stored = exports::coding_sources(conn)?;
    let ours: Vec<ExportedSource> = stored
        .iter()
        .map(|s| ExportedSource {
            guid: s.guid.clone(),
            text: s.text.clone(),
        })
        .collect();
    let known: BTreeSet<i64> = transcripts::list(conn)?.iter().map(|t| t.id).collect();
    let mut groups: BTreeMap<(i64, u32, u32), Group> = BTreeMap::new();
    let mut unmatched = Vec::new();
    let mut foreign = Vec::new();
    let mut sources_matched = Vec::new();
    let mut selections = 0;
    for cs in &project.sources {
        selections += cs.selections.len();
        if cs.selections.is_empty() {
            continue;
        }
        let Some((i, by)) = find_source(cs, &ours) else {
            foreign.push(cs.guid.clone());
            continue;
        };
        let ours_src = &stored[i];
        if !known.contains(&ours_src.transcript_id) {
            foreign.push(cs.guid.clone());
            continue;
        }
        sources_matched.push((
            cs.guid.clone(),
            match by {
                MatchedBy::Guid => "guid",
                MatchedBy::SameText => "text",
                MatchedBy::Selections => "selections",
            }
            .to_string(),
            ours_src.transcript_id,
        ));
        let spans: Vec<TurnSpan> = ours_src
            .turns
            .iter()
            .map(|(line, start, end)| TurnSpan {
                line: *line,
                start: *start,
                end: *end,
            })
            .collect();
        for sel in &cs.selections {
            let miss = |why: &str| Unmatched {
                selection: sel.guid.clone(),
                source: cs.guid.clone(),
                why: why.to_string(),
            };
            let Some((a, b)) = anchor(&cs.text, &ours_src.text, sel.start, sel.end) else {
                unmatched.push(miss("its text is not in the exported transcript"));
                continue;
            };
            let Some((first, last, _)) = turns_covered(&spans, a, b) else {
                unmatched.push(miss(
                    "it covers no turn (only speaker labels or line breaks)",
                ));
                continue;
            };
            if sel.codes.is_empty() && sel.memo.is_none() {
                unmatched.push(miss("it carries no code and no memo"));
                continue;
            }
            let g = groups
                .entry((ours_src.transcript_id, first, last))
                .or_default();
            for c in &sel.codes {
                if !g.codes.contains(c) {
                    g.codes.push(c.clone());
                }
            }
            if let Some(m) = sel.memo.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
                if !g.memos.iter().any(|x| x == m) {
                    g.memos.push(m.to_string());
                }
            }
            g.selections.push(sel.guid.clone());
        }
    }
    if !foreign.is_empty() {
        return Err(PublishError::UnknownSources {
            count: foreign.len(),
            first: foreign[0].chars().take(40).collect(),
        });
    }
    let existing = excerpts::list(conn, &[])?;
    let mut mapped = Vec::new();
    for ((transcript, first, last), g) in groups {
        let (tags, memos, sels) = (g.codes, g.memos, g.selections);
        let same = existing
            .iter()
            .find(|e| e.transcript == transcript && e.first_line == first && e.last_line == last);
        let note = (!memos.is_empty()).then(|| memos.join("\n\n"));
        let (updates, new_tags, note) = match same {
            Some(e) => (
                Some(e.id),
                tags.iter()
                    .filter(|t| !e.tags.contains(t))
                    .cloned()
                    .collect(),
                // A memo already in the note is not added twice.
                note.filter(|n| !e.note.as_deref().unwrap_or("").contains(n.as_str())),
            ),
            None => (None, tags.clone(), note),
        };
        mapped.push(Mapped {
            transcript,
            first_line: first,
            last_line: last,
            tags,
            note,
            updates,
            new_tags,
            selections: sels,
        });
    }
    let skipped = project
        .skipped
        .iter()
        .map(|s| Unmatched {
            selection: s.guid.clone(),
            source: String::new(),
            why: s.reason.to_string(),
        })
        .collect();
    Ok(CodingsPlan {
        project: project.name,
        origin: project.origin,
        sources_matched,
        mapped,
        unmatched,
        skipped,
        selections,
    })
}

/// Applies a mapped project in one transaction (all or nothing), audited.
/// Returns the ids of the excerpts created and updated.
pub fn apply_codings(
    vault: &mut impl OpenRecords,
    plan: &CodingsPlan,
    file_name: &str,
    sha256: &str,
) -> Result<(Vec<i64>, Vec<i64>)> {
    vault.commit(|tx| -> Result<(Vec<i64>, Vec<i64>)> {
        let (mut created, mut updated) = (Vec::new(), Vec::new());
        for m in &plan.mapped {
            match m.updates {
                None => {
                    let e = excerpts::add(
                        tx,
                        m.transcript,
                        excerpts::Span::Lines(m.first_line, m.last_line),
                        &m.tags,
                        m.note.as_deref(),
                    )?;
                    created.push(e.id);
                }
                Some(id) if !m.new_tags.is_empty() || m.note.is_some() => {
                    let cur = excerpts::get(tx, id)?;
                    let note = m.note.as_ref().map(|n| match &cur.note {
                        Some(old) => format!("{old}\n\n{n}"),
                        None => n.clone(),
                    });
                    excerpts::edit(
                        tx,
                        id,
                        &excerpts::ExcerptEdit {
                            add_tags: m.new_tags.clone(),
                            note,
                            ..Default::default()
                        },
                    )?;
                    updated.push(id);
                }
                Some(_) => {}
            }
        }
        audit::append(
            tx,
            "codings import",
            json!({ "file": file_name, "sha256": sha256, "origin": plan.origin, "selections": plan.selections,
                    "created": created, "updated": updated, "unmatched": plan.unmatched.len(), "skipped": plan.skipped.len() }),
        )?;
        Ok((created, updated))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turn_spans_count_characters_and_skip_the_speaker_label() {
        let (text, spans) = layout(
            [
                (1, "Интервьюер".to_string(), "Как 😀?".to_string()),
                (2, String::new(), "Без метки".to_string()),
            ]
            .into_iter(),
        );
        assert_eq!(text, "Интервьюер: Как 😀?\nБез метки\n");
        let chars: Vec<char> = text.chars().collect();
        let (line, a, b) = spans[0];
        assert_eq!(line, 1);
        assert_eq!(chars[a..b].iter().collect::<String>(), "Как 😀?");
        let (line, a, b) = spans[1];
        assert_eq!(line, 2);
        assert_eq!(chars[a..b].iter().collect::<String>(), "Без метки");
    }
}
