//! `transcript` commands: import (one file, a folder, or a manifest, all or
//! nothing; the workflow is in [`crate::ingest`]), list, show, remove and
//! search.

use super::args::{ImportArgs, TranscriptCmd};
use super::report::{table, Report};
use super::session::Session;
use crate::ingest;
use crate::records::{audit, persons, transcripts};
use anyhow::{anyhow, Result};
use serde_json::json;
use std::io::IsTerminal;

pub fn run(s: &mut Session, cmd: &TranscriptCmd) -> Result<Report> {
    match cmd {
        TranscriptCmd::Import(a) => import(s, a),
        TranscriptCmd::List => {
            let list = transcripts::list(s.conn())?;
            let mut rows = Vec::new();
            for t in &list {
                let who: Vec<String> = t
                    .persons
                    .iter()
                    .map(|p| persons::get(s.conn(), *p).map(|p| p.pseudonym))
                    .collect::<Result<_, _>>()?;
                rows.push(vec![
                    t.id.to_string(),
                    t.date.clone(),
                    t.lang.clone()
                        + &t.translation_lang
                            .as_ref()
                            .map(|l| format!("+{l}"))
                            .unwrap_or_default(),
                    t.turns.to_string(),
                    who.join(", "),
                    t.source_name.clone(),
                ]);
            }
            Ok(Report::new(
                table(&["ID", "DATE", "LANG", "TURNS", "PERSONS", "SOURCE"], &rows),
                json!({ "transcripts": list }),
            ))
        }
        TranscriptCmd::Show { id, redacted } => {
            let conn = s.conn();
            let id = transcripts::resolve(conn, id)?;
            let mut info = transcripts::info(conn, id)?;
            let view = TurnView::new(conn, *redacted)?;
            // File names and the interviewer's name can identify people too.
            info.source_name = view.text(&info.source_name);
            info.interviewer = info.interviewer.as_deref().map(|i| view.text(i));
            for (label, _) in info.speakers.iter_mut() {
                *label = view.text(label);
            }
            for m in info.metadata.iter_mut() {
                m.label = view.text(&m.label);
                m.value = view.text(&m.value);
            }
            let mut h = format!(
                "Transcript {} — {}, {}, {} turns, from {}\n",
                info.id, info.date, info.lang, info.turns, info.source_name
            );
            for m in &info.metadata {
                h += &format!("{}: {}\n", m.label, m.value);
            }
            if *redacted {
                h += "NOT CLEARED FOR PUBLICATION: this redacted view is for checking; only excerpts leave the vault, through `fieldvault export`, which checks consent, leaks and review.\n";
            }
            let (text, turns) = view.render(conn, id, &transcripts::turns(conn, id, None)?)?;
            h += &text;
            Ok(Report::new(
                h,
                json!({ "id": id, "transcript": info, "redacted": redacted, "turns": turns, "cleared_for_publication": false }),
            ))
        }
        TranscriptCmd::Remove { id, yes } => {
            let tid = transcripts::resolve(s.conn(), id)?;
            let info = transcripts::info(s.conn(), tid)?;
            if !yes {
                super::confirm::typed(
                    &format!(
                        "This deletes transcript {tid} ({} turns) and its excerpts.",
                        info.turns
                    ),
                    "yes",
                )?;
            }
            s.write(|_, tx| {
                let excerpts = crate::records::excerpts::count_in(tx, tid)?;
                transcripts::delete(tx, tid)?;
                audit::append(
                    tx,
                    "transcript remove",
                    json!({ "transcript": tid, "excerpts": excerpts }),
                )?;
                Ok(())
            })?;
            Ok(Report::new(
                format!("Removed transcript {tid} and its excerpts."),
                json!({ "id": tid, "removed": true }),
            ))
        }
        TranscriptCmd::Search { query, limit } => {
            let hits = transcripts::search(s.conn(), query, *limit)?;
            let mut h = String::new();
            for x in &hits {
                // One hit per line, even for turns that span several lines.
                let text = x.text.replace('\n', " ⏎ ");
                h += &format!(
                    "transcript {} line {} ({}): {text}\n",
                    x.transcript, x.line, x.field
                );
            }
            if hits.is_empty() {
                h = "No matches.\n".into();
            }
            Ok(Report::new(h, json!({ "hits": hits })))
        }
    }
}

/// `--speaker LABEL=PERSON`, split at the last `=` (labels may hold one).
fn speakers(raw: &[String]) -> Result<Vec<(String, String)>> {
    raw.iter()
        .map(|x| {
            x.rsplit_once('=')
                .map(|(l, p)| (l.trim().to_string(), p.trim().to_string()))
                .filter(|(l, p)| !l.is_empty() && !p.is_empty())
                .ok_or_else(|| {
                    anyhow!("--speaker takes LABEL=PERSON, e.g. --speaker \"Респондент 2=7\"")
                })
        })
        .collect()
}

fn import(s: &mut Session, a: &ImportArgs) -> Result<Report> {
    let request = ingest::ImportRequest {
        files: a.files.clone(),
        manifest: a.manifest.clone(),
        persons: a.person.clone(),
        speakers: speakers(&a.speaker)?,
        date: a.date.clone(),
        lang: a.lang.clone(),
        translation: a.translation.clone(),
        translation_lang: a.translation_lang.clone(),
        align_by_position: a.align_by_position,
        interviewer: a.interviewer.clone(),
        no_speakers: a.no_speakers,
    };
    let (jobs, skipped) = ingest::plan_with_skipped(&request)?;
    let bar = (jobs.len() > 1 && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(jobs.len() as u64 * 2);
        b.set_style(
            indicatif::ProgressStyle::with_template("{msg:10} [{bar:30}] {pos}/{len}")
                .expect("static template")
                .progress_chars("=> "),
        );
        b.set_message("reading");
        b
    });
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    // Read everything first: one bad file stops the batch before anything is stored.
    let mut batch = Vec::with_capacity(jobs.len());
    for j in jobs {
        batch.push(ingest::read(j)?);
        tick();
    }
    if let Some(b) = &bar {
        b.set_message("storing");
    }
    let ids = ingest::import(s, &batch, tick)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    // Nothing in a folder vanishes silently: each skipped file and why.
    let notes: Vec<String> = skipped
        .iter()
        .map(|f| format!("skipped {}: {}", f.name, f.reason))
        .chain(
            batch
                .iter()
                .flat_map(|p| p.warnings.iter().map(|w| format!("warning: {w}"))),
        )
        .collect();
    let skipped_json: Vec<serde_json::Value> = skipped
        .iter()
        .map(|f| json!({ "file": f.name, "reason": f.reason.to_string() }))
        .collect();
    let human = ids
        .iter()
        .zip(&batch)
        .map(|(i, p)| {
            format!(
                "Imported {} as transcript {} ({} turns, {}).",
                ingest::file_name(&p.job.path),
                i.id,
                i.turns,
                p.format
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut json = if ids.len() == 1 {
        json!({ "id": ids[0].id, "turns": ids[0].turns })
    } else {
        json!({ "id": ids.first().map(|x| x.id), "transcripts": ids.iter().map(|i| json!({ "id": i.id, "turns": i.turns })).collect::<Vec<_>>() })
    };
    json["skipped"] = json!(skipped_json);
    json["warnings"] = json!(batch
        .iter()
        .flat_map(|p| p.warnings.clone())
        .collect::<Vec<_>>());
    Ok(Report::new(human, json).notes(notes))
}

/// How `transcript show` and `excerpt show` print turns: as stored, or
/// redacted with the vault's lexicon (`--redacted`).
pub(super) struct TurnView {
    lexicon: Option<fieldvault_redact::Lexicon>,
}

impl TurnView {
    pub(super) fn new(conn: &rusqlite::Connection, redacted: bool) -> Result<TurnView> {
        Ok(TurnView {
            lexicon: if redacted {
                Some(crate::lexicon::build(conn, &[])?)
            } else {
                None
            },
        })
    }

    /// One field of a stored turn, with the review decisions applied.
    fn turn_text(
        &self,
        conn: &rusqlite::Connection,
        transcript: i64,
        line: u32,
        field: crate::records::decisions::Field,
        t: &str,
    ) -> Result<String> {
        Ok(match &self.lexicon {
            Some(l) => crate::review::apply::turn_field(conn, l, transcript, line, field, t)?.text,
            None => t.to_string(),
        })
    }

    pub(super) fn text(&self, t: &str) -> String {
        match &self.lexicon {
            Some(l) => {
                fieldvault_redact::redact(l, t, &fieldvault_redact::RedactOptions::default()).text
            }
            None => t.to_string(),
        }
    }

    /// The numbered lines for people and the turns as JSON.
    pub(super) fn render(
        &self,
        conn: &rusqlite::Connection,
        transcript: i64,
        turns: &[transcripts::Turn],
    ) -> Result<(String, Vec<serde_json::Value>)> {
        use crate::records::decisions::Field;
        let mut h = String::new();
        let mut out = Vec::new();
        for t in turns {
            let speaker = self.text(&t.speaker);
            let text = self.turn_text(conn, transcript, t.line, Field::Original, &t.text)?;
            let translation = t
                .translation
                .as_deref()
                .map(|x| self.turn_text(conn, transcript, t.line, Field::Translation, x))
                .transpose()?;
            if speaker.is_empty() {
                // A turn without a speaker (no labels, or --no-speakers).
                h += &format!("{:>4}  {text}\n", t.line);
            } else {
                h += &format!("{:>4}  {speaker}: {text}\n", t.line);
            }
            if let Some(tr) = &translation {
                h += &format!("      ({tr})\n");
            }
            out.push(json!({ "line": t.line, "speaker": speaker, "text": text, "translation": translation, "start": t.start }));
        }
        Ok((h, out))
    }
}
