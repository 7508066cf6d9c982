//! Publication: turning selected excerpts into a consent-checked,
//! redacted, leak-checked quote set for the export writers.
//!
//! The order of the checks is the safety argument: select, then drop every
//! excerpt whose speakers' current consent does not allow quoting, then
//! redact, then leak-check the complete output with the full lexicon. Only a
//! set that passes every step reaches a writer, and a writer's bytes reach
//! disk only after the audit entry for them is in the vault.

pub mod coding;
pub mod deposit;
pub mod gate;
pub mod output;
pub mod reident;
pub mod review_gate;

pub use output::{write, Target, Written};

use crate::lexicon;
use crate::records::decisions::Field;
use crate::records::{
    consent::{Attribution, Refusal},
    excerpts,
    exports::Fact,
    persons, transcripts, RecordsError,
};
use crate::review;
use fieldvault_export::{Case, Format, Publication, Quote, Source};
use fieldvault_redact::{leak_check, redact, Lexicon, RedactOptions};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// Why an export was refused. Never carries an identifier or quote text:
/// only excerpt ids, pseudonyms and counts.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Records(#[from] RecordsError),
    #[error("no excerpt carries the tag {0:?} (see `excerpt list`)")]
    UnknownTag(String),
    #[error("nothing to export: no excerpt matches the selection")]
    EmptySelection,
    #[error("nothing to export: all {0} selected excerpts were left out by the consent gate (see the report above)")]
    AllLeftOut(usize),
    #[error("refused (--strict): {0} selected excerpts are left out by the consent gate")]
    StrictConsent(usize),
    #[error(
        "refused (--strict): {0} descriptor combinations are shared by fewer than {1} persons"
    )]
    StrictReident(usize, u32),
    #[error("export refused: a registered identifier survived redaction in excerpts {0}; nothing was written")]
    Leak(String),
    #[error(
        "{pseudonym} cannot be named: their current consent does not ask for named attribution"
    )]
    NamedWithoutConsent { pseudonym: String },
    #[error("--allow-named needs --reason (it is recorded in the audit log)")]
    NamedWithoutReason,
    #[error("{pseudonym} is given with --allow-named but none of their quotes are in this export")]
    NamedNotQuoted { pseudonym: String },
    #[error("the folder {0} does not exist; nothing was written")]
    NoFolder(String),
    #[error("{0} is a folder; give a file name with --out")]
    OutIsFolder(String),
    #[error("{0} already exists; nothing was written (use --force to replace it)")]
    OutExists(String),
    #[error(transparent)]
    Render(#[from] fieldvault_export::ExportError),
    #[error("{0}: {1}")]
    Io(&'static str, #[source] std::io::Error),
    #[error("cannot move the export into place at {path}: {source}; nothing was written")]
    NotMoved {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Commit(#[from] crate::commit::CommitError),
    #[error("{0}")]
    Review(#[from] review_gate::GateError),
    #[error("nothing to deposit: none of the {0} interviews has the consent of every interviewed person to archiving (record it with `consent record ... --archive yes`)")]
    NothingToDeposit(usize),
    #[error("refused (--strict): {0} interviews are left out by the archiving consent gate")]
    StrictDeposit(usize),
    #[error(
        "deposit refused: a registered identifier survived redaction in {0}; nothing was written"
    )]
    DepositLeak(String),
    #[error("nothing to export: no transcript has the consent of every interviewed person to analysis (a recording consent that stands)")]
    NothingForCoding,
    #[error("refused (--strict): {0} transcripts are left out by the analysis consent gate")]
    StrictAnalysis(usize),
    #[error(transparent)]
    Coded(#[from] fieldvault_export::ReadError),
    #[error("the project codes {count} source(s) this vault never exported for coding (first: {first}); nothing was imported (export them with `export --format qdpx --transcripts` and code that file)")]
    UnknownSources { count: usize, first: String },
}

pub type Result<T> = std::result::Result<T, PublishError>;

/// What the researcher asked for.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub format: Format,
    pub tags: Vec<String>,
    pub persons: Vec<i64>,
    pub strict: bool,
    pub k: u32,
    pub allow_named: Vec<i64>,
    pub named_reason: Option<String>,
    pub today: Date,
    pub title: String,
    pub created: String,
    /// Markdown and DOCX: a quote under each of its tags, not only its first.
    pub by_tag: bool,
    /// Export although excerpts have open review questions (audited with
    /// the counts); never with `strict`.
    pub unreviewed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    pub excerpt: i64,
    pub pseudonym: String,
    pub reason: Refusal,
    /// The reason in words ("consent withdrawn").
    pub why: String,
}

/// Everything the export will contain and why, before anything is written.
#[derive(Debug, Clone)]
pub struct ExportPlan {
    pub publication: Publication,
    /// (excerpt id, person id) for every quoted person.
    pub items: Vec<(i64, i64)>,
    pub left_out: Vec<LeftOut>,
    pub reident: Vec<reident::Warning>,
    pub named: Vec<(i64, String)>,
    /// Excerpts exported with open review questions (`--unreviewed`):
    /// (excerpt id, count), for the audit log.
    pub unreviewed: Vec<(i64, usize)>,
    /// What the output reveals about each pseudonym, for the export log.
    pub disclosure: Vec<(i64, Fact)>,
}

impl ExportPlan {
    /// The vault id of every excerpt in the output, in output order, each
    /// once: anonymous quotes included, so that every summary, JSON result
    /// and audit entry counts what the file holds.
    pub fn excerpt_ids(&self) -> Vec<i64> {
        let mut seen = BTreeSet::new();
        self.items
            .iter()
            .map(|(e, _)| *e)
            .filter(|e| seen.insert(*e))
            .collect()
    }

    /// Counts of left-out excerpts by reason.
    pub fn left_out_counts(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for l in &self.left_out {
            if seen.insert((l.excerpt, l.reason)) {
                *m.entry(l.reason.to_string()).or_insert(0) += 1;
            }
        }
        m
    }
}

pub(crate) fn language_name(code: &str) -> String {
    match code {
        "ru" => "Russian",
        "kk" => "Kazakh",
        "en" => "English",
        "uz" => "Uzbek",
        "ky" => "Kyrgyz",
        "tg" => "Tajik",
        "tk" => "Turkmen",
        "uk" => "Ukrainian",
        "be" => "Belarusian",
        "de" => "German",
        "fr" => "French",
        other => return other.to_string(),
    }
    .to_string()
}

/// The exported part of one transcript, redacted turn by turn: only the
/// turns some exported excerpt covers ("only excerpts leave the vault");
/// each gap between them becomes one "[…]" line. `spans` holds, per turn,
/// the character offsets inside the source text that QDPX selections use.
struct RedactedTranscript {
    source: Source,
    translation: Option<Source>,
    /// per turn index: (char start of the line, char start of the text, char end)
    spans: Vec<Option<(usize, usize, usize)>>,
    texts: Vec<String>,
    lines: Vec<String>,
    /// per turn: (line with speaker label, text alone)
    translations: Vec<Option<(String, String)>>,
}

const GAP: &str = "[…]";

fn redact_text(lex: &Lexicon, text: &str) -> String {
    redact(lex, text, &RedactOptions::default()).text
}

fn redact_transcript(
    conn: &Connection,
    lex: &Lexicon,
    done: Option<&review_gate::ReviewedText>,
    id: i64,
    name: &str,
    covered: &BTreeSet<u32>,
) -> Result<RedactedTranscript> {
    let info = transcripts::info(conn, id)?;
    let turns = transcripts::turns(conn, id, None)?;
    let (mut text, mut tr_text) = (String::new(), String::new());
    let mut chars = 0usize;
    let (mut spans, mut texts, mut lines, mut translations) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut in_gap = false;
    for t in &turns {
        if !covered.contains(&t.line) {
            if !in_gap {
                text.push_str(GAP);
                text.push('\n');
                chars += GAP.chars().count() + 1;
                if t.translation.is_some() {
                    tr_text.push_str(GAP);
                    tr_text.push('\n');
                }
                in_gap = true;
            }
            spans.push(None);
            texts.push(String::new());
            lines.push(String::new());
            translations.push(None);
            continue;
        }
        in_gap = false;
        let speaker = redact_text(lex, &t.speaker);
        let cached = done.and_then(|d| d.get(&(id, t.line)));
        let body = match cached {
            Some((original, _)) => original.clone(),
            None => {
                review::apply::turn_field(conn, lex, id, t.line, Field::Original, &t.text)?.text
            }
        };
        let prefix = if speaker.is_empty() {
            String::new()
        } else {
            format!("{speaker}: ")
        };
        let line_start = chars;
        let text_start = line_start + prefix.chars().count();
        let line = format!("{prefix}{body}");
        chars += line.chars().count();
        spans.push(Some((line_start, text_start, chars)));
        text.push_str(&line);
        text.push('\n');
        chars += 1;
        texts.push(body);
        lines.push(line);
        // A translated line carries its own speaker label, like the original.
        let tr = match t.translation.as_deref() {
            Some(x) => {
                let body = match cached.and_then(|(_, tr)| tr.as_ref()) {
                    Some(tr) => tr.clone(),
                    None => {
                        review::apply::turn_field(conn, lex, id, t.line, Field::Translation, x)?
                            .text
                    }
                };
                Some(
                    match t.translation_speaker.as_deref().filter(|s| !s.is_empty()) {
                        Some(s) => (format!("{}: {body}", redact_text(lex, s)), body),
                        None => (body.clone(), body),
                    },
                )
            }
            None => None,
        };
        if let Some((line, _)) = &tr {
            tr_text.push_str(line);
            tr_text.push('\n');
        }
        translations.push(tr);
    }
    let source = Source {
        id: format!("T{id}"),
        name: name.to_string(),
        text,
        language: info.lang.clone(),
        translation_of: None,
    };
    let translation = info
        .translation_lang
        .clone()
        .filter(|_| translations.iter().any(Option::is_some))
        .map(|lang| Source {
            id: format!("T{id}-{lang}"),
            name: format!("{name}, translation ({lang})"),
            text: tr_text,
            language: lang,
            translation_of: Some(format!("T{id}")),
        });
    Ok(RedactedTranscript {
        source,
        translation,
        spans,
        texts,
        lines,
        translations,
    })
}

/// Builds the export without writing anything.
pub fn plan(conn: &Connection, req: &ExportRequest) -> Result<ExportPlan> {
    if !req.allow_named.is_empty()
        && req
            .named_reason
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .is_empty()
    {
        return Err(PublishError::NamedWithoutReason);
    }
    // 1. Selection.
    let known_tags = excerpts::all_tags(conn)?;
    if let Some(t) = req.tags.iter().find(|t| !known_tags.contains(t)) {
        return Err(PublishError::UnknownTag(t.chars().take(60).collect()));
    }
    let mut selected = Vec::new();
    for e in excerpts::list(conn, &req.tags)? {
        let mut info = transcripts::info(conn, e.transcript)?;
        // From here on, `persons` are the excerpt's own speakers: in a group
        // interview with mapped labels, only those who speak in its turns.
        info.persons = transcripts::speakers_of(conn, e.transcript, e.first_line, e.last_line)?;
        if req.persons.is_empty() || info.persons.iter().any(|p| req.persons.contains(p)) {
            selected.push((e, info));
        }
    }
    if selected.is_empty() {
        return Err(PublishError::EmptySelection);
    }

    // 2. Consent gate.
    let gate = gate::ConsentGate::load(conn, req.today)?;
    let mut left_out = Vec::new();
    let mut kept = Vec::new();
    for (e, info) in selected {
        // The speakers' consent, and turns nobody's consent covers (an
        // unmapped speaker in a group interview, a purged speaker's turn).
        let refusals = gate.check_span(conn, e.transcript, e.first_line, e.last_line)?;
        if refusals.is_empty() {
            kept.push((e, info));
        } else {
            left_out.extend(refusals.into_iter().map(|(pseudonym, reason)| LeftOut {
                excerpt: e.id,
                pseudonym,
                reason,
                why: reason.to_string(),
            }));
        }
    }
    let left_out_excerpts: BTreeSet<i64> = left_out.iter().map(|l| l.excerpt).collect();
    if req.strict && !left_out_excerpts.is_empty() {
        return Err(PublishError::StrictConsent(left_out_excerpts.len()));
    }
    if kept.is_empty() {
        return Err(PublishError::AllLeftOut(left_out_excerpts.len()));
    }

    // 2b. Review gate: nothing with open questions leaves unless the
    //     researcher says so (never in strict mode).
    // The full lexicon is built once: the gate reviews with it, and the
    // turns it redacts are written as they are (see `ReviewedText`).
    let full = lexicon::build(conn, &[])?;
    let kept_ids: Vec<i64> = kept.iter().map(|(e, _)| e.id).collect();
    let (unreviewed, reviewed_text) = review_gate::open_counts_with(conn, &full, &kept_ids)?;
    if !unreviewed.is_empty() && (req.strict || !req.unreviewed) {
        return Err(review_gate::GateError::Open(unreviewed).into());
    }

    // 3. Attribution, with the researcher's confirmation for named persons.
    let quoted: BTreeSet<i64> = kept
        .iter()
        .flat_map(|(_, i)| i.persons.iter().copied())
        .collect();
    let mut named = Vec::new();
    for p in &req.allow_named {
        let person = persons::get(conn, *p)?;
        if gate.attribution(*p) != Some(Attribution::Named) {
            return Err(PublishError::NamedWithoutConsent {
                pseudonym: person.pseudonym,
            });
        }
        if !quoted.contains(p) {
            return Err(PublishError::NamedNotQuoted {
                pseudonym: person.pseudonym,
            });
        }
        named.push((*p, person.pseudonym));
    }
    let named_ids: Vec<i64> = named.iter().map(|(p, _)| *p).collect();

    // 4. Redaction with the vault's lexicon (named persons' names exempt).
    // Every quote is redacted and leak-checked with the full lexicon, except
    // the quotes of persons named in this export, whose own name may stay.
    let exempt = if named_ids.is_empty() {
        None
    } else {
        Some(lexicon::build(conn, &named_ids)?)
    };
    let lexicon_for = |persons: &[i64]| -> &Lexicon {
        match &exempt {
            Some(x) if persons.iter().all(|p| named_ids.contains(p)) => x,
            _ => &full,
        }
    };
    let mut source_lexicon: BTreeMap<String, &Lexicon> = BTreeMap::new();
    let mut covered: BTreeMap<i64, BTreeSet<u32>> = BTreeMap::new();
    for (e, _) in &kept {
        covered
            .entry(e.transcript)
            .or_default()
            .extend(e.first_line..=e.last_line);
    }
    let mut redacted: BTreeMap<i64, RedactedTranscript> = BTreeMap::new();
    let mut quotes = Vec::new();
    let mut items = Vec::new();
    let mut cases: BTreeMap<i64, Case> = BTreeMap::new();
    let mut real_ids: BTreeMap<String, i64> = BTreeMap::new();
    let mut disclosure = Vec::new();
    for (e, info) in &kept {
        // The attribution follows the most restrictive consent among the speakers.
        let mut attribution = Attribution::Named;
        for p in &info.persons {
            let consented = gate.attribution(*p).unwrap_or(Attribution::Anonymous);
            let chosen = if consented == Attribution::Named && !named_ids.contains(p) {
                Attribution::Pseudonym
            } else {
                consented
            };
            attribution = attribution.min(chosen);
        }
        let lex = lexicon_for(&info.persons);
        let n = redacted.len() + 1;
        let rt = match redacted.entry(e.transcript) {
            std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => {
                // Sources are named by their order in this export, not by vault ids;
                // an anonymous speaker's source does not carry the interview date.
                let label = if attribution == Attribution::Anonymous {
                    format!("Interview {n} ({})", info.lang)
                } else {
                    format!("Interview {n} ({}, {})", info.lang, info.date)
                };
                // Turns redacted with the full lexicon by the review gate
                // are taken from it; a named person's exempt lexicon redacts anew.
                let done = std::ptr::eq(lex, &full).then_some(&reviewed_text);
                let rt = redact_transcript(
                    conn,
                    lex,
                    done,
                    e.transcript,
                    &label,
                    &covered[&e.transcript],
                )?;
                source_lexicon.insert(rt.source.id.clone(), lex);
                if let Some(t) = &rt.translation {
                    source_lexicon.insert(t.id.clone(), lex);
                }
                v.insert(rt)
            }
        };
        let rt = &*rt;
        let (a, b) = (e.first_line as usize - 1, e.last_line as usize - 1);
        let span = |i: usize| rt.spans[i].expect("covered by this excerpt");
        let (original, start, end) = if a == b {
            (rt.texts[a].clone(), span(a).1, span(a).2)
        } else {
            (rt.lines[a..=b].join("\n"), span(a).0, span(b).2)
        };
        let tr: Vec<&(String, String)> = rt.translations[a..=b].iter().flatten().collect();
        let translation = match tr.as_slice() {
            [] => None,
            [(_, only)] if a == b => Some(only.clone()),
            many => Some(
                many.iter()
                    .map(|(line, _)| line.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        };

        let speakers: Vec<persons::Person> = info
            .persons
            .iter()
            .map(|p| persons::get(conn, *p))
            .collect::<std::result::Result<_, _>>()?;
        let (line, case_id, pseudonym, descriptor) = attribution_line(attribution, &speakers);
        if attribution != Attribution::Anonymous {
            for s in &speakers {
                disclosure.extend(revealed(s, &info.date, &info.lang, req.format));
            }
            for s in &speakers {
                cases.entry(s.id).or_insert_with(|| Case {
                    id: format!("P{}", s.id),
                    pseudonym: s.pseudonym.clone(),
                    descriptor: s.descriptor.clone(),
                    attributes: s.attributes.clone(),
                });
            }
        }
        let note = e.note.as_deref().map(|n| redact_text(lex, n));
        // An anonymous quote carries no id or date that could link it to
        // other exports (where the same person may have had a pseudonym).
        let anonymous = attribution == Attribution::Anonymous;
        let excerpt_id = if anonymous {
            format!("anonymous-{}", quotes.len() + 1)
        } else {
            e.id.to_string()
        };
        real_ids.insert(excerpt_id.clone(), e.id);
        quotes.push(Quote {
            excerpt_id,
            transcript_id: if anonymous {
                String::new()
            } else {
                e.transcript.to_string()
            },
            source_id: rt.source.id.clone(),
            case_id,
            attribution: line,
            pseudonym,
            descriptor,
            tags: e.tags.clone(),
            note,
            language: info.lang.clone(),
            language_name: language_name(&info.lang),
            original,
            translation,
            lines: (e.first_line, e.last_line),
            interview_date: if anonymous {
                String::new()
            } else {
                info.date.clone()
            },
            source_start: start,
            source_end: end,
        });
        items.extend(info.persons.iter().map(|p| (e.id, *p)));
    }
    let mut sources = Vec::new();
    for rt in redacted.into_values() {
        sources.push(rt.source);
        sources.extend(rt.translation);
    }
    let publication = Publication {
        title: req.title.clone(),
        created: req.created.clone(),
        quotes,
        sources,
        cases: cases.into_values().collect(),
    };

    // 5. Leak check over everything that will be written.
    let leaking = leaking_excerpts(&full, &source_lexicon, &publication);
    if !leaking.is_empty() {
        // Name the vault's own excerpt ids, which the researcher can look up.
        let ids: Vec<String> = leaking
            .iter()
            .map(|x| {
                real_ids
                    .get(x)
                    .map(|i| i.to_string())
                    .unwrap_or_else(|| x.clone())
            })
            .collect();
        return Err(PublishError::Leak(ids.join(", ")));
    }

    // 6. Re-identification check on what this format publishes about each
    //    pseudonymous speaker (persons named with consent are exempt).
    let published: Vec<i64> = publication
        .cases
        .iter()
        .filter_map(|c| c.id.trim_start_matches('P').parse().ok())
        .filter(|p| !named_ids.contains(p))
        .collect();
    let mut reident = reident::check(conn, &published, req.k, req.format.publishes_attributes())?;
    // 7. ... and on what it reveals together with every earlier output.
    disclosure.sort();
    disclosure.dedup();
    reident.extend(reident::cumulative(conn, &disclosure, req.k, &named_ids)?);
    if req.strict && !reident.is_empty() {
        return Err(PublishError::StrictReident(reident.len(), req.k));
    }
    Ok(ExportPlan {
        publication,
        items,
        left_out,
        reident,
        named,
        unreviewed,
        disclosure,
    })
}

/// The facts an attributed quote publishes about one speaker: descriptor,
/// interview date and language in every format, the attributes too where
/// the format carries them (QDPX case variables).
fn revealed(p: &persons::Person, date: &str, lang: &str, format: Format) -> Vec<(i64, Fact)> {
    let mut out = vec![
        (p.id, Fact::new("date", date)),
        (p.id, Fact::new("language", lang)),
    ];
    if let Some(d) = &p.descriptor {
        out.push((p.id, Fact::new("descriptor", d.trim())));
    }
    if format.publishes_attributes() {
        out.extend(
            p.attributes
                .iter()
                .map(|(k, v)| (p.id, Fact::new(format!("attribute:{k}"), v.trim()))),
        );
    }
    out
}

/// Excerpt ids (or "source T3", "descriptor of ...", "title") whose output
/// text still holds a registered identifier. Quotes and sources are checked
/// with the lexicon they were redacted with (`by_source`), everything else
/// with the full one.
pub fn leaking_excerpts(
    full: &Lexicon,
    by_source: &BTreeMap<String, &Lexicon>,
    p: &Publication,
) -> Vec<String> {
    let leaks_with = |lex: &Lexicon, s: &str| !leak_check(lex, s).is_empty();
    let leaks = |s: &str| leaks_with(full, s);
    let mut out = Vec::new();
    for q in &p.quotes {
        let lex = by_source.get(&q.source_id).copied().unwrap_or(full);
        let fields = [
            Some(&q.original),
            q.translation.as_ref(),
            q.note.as_ref(),
            q.descriptor.as_ref(),
            Some(&q.attribution),
        ];
        if fields.iter().flatten().any(|s| leaks_with(lex, s)) || q.tags.iter().any(|t| leaks(t)) {
            out.push(q.excerpt_id.clone());
        }
    }
    for s in &p.sources {
        let lex = by_source.get(&s.id).copied().unwrap_or(full);
        if leaks_with(lex, &s.text) || leaks(&s.name) {
            out.push(format!("source {}", s.id));
        }
    }
    for c in &p.cases {
        if c.descriptor.as_deref().is_some_and(leaks)
            || c.attributes.iter().any(|(k, v)| leaks(k) || leaks(v))
        {
            out.push(format!("descriptor of {}", c.pseudonym));
        }
    }
    if leaks(&p.title) {
        out.push("title".into());
    }
    out
}

fn attribution_line(
    a: Attribution,
    speakers: &[persons::Person],
) -> (String, Option<String>, Option<String>, Option<String>) {
    let one = speakers.len() == 1;
    match a {
        Attribution::Anonymous => (
            "An interlocutor, interview quote".to_string(),
            None,
            None,
            None,
        ),
        Attribution::Pseudonym | Attribution::Named => {
            let who: Vec<String> = speakers
                .iter()
                .map(|s| {
                    let label = if a == Attribution::Named {
                        s.name.clone().unwrap_or_else(|| s.pseudonym.clone())
                    } else {
                        s.pseudonym.clone()
                    };
                    match &s.descriptor {
                        Some(d) => format!("{label}, {d}"),
                        None => label,
                    }
                })
                .collect();
            let line = format!("{}, interview quote", who.join("; "));
            let first = &speakers[0];
            (
                line,
                one.then(|| format!("P{}", first.id)),
                one.then(|| first.pseudonym.clone()),
                if one { first.descriptor.clone() } else { None },
            )
        }
    }
}
