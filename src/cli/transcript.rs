//! `transcript` commands: import (one file, a folder, or a manifest, all or
//! nothing), list, show and search.

use super::args::{ImportArgs, TranscriptCmd};
use super::report::{table, Report};
use super::session::Session;
use crate::records::{audit, persons, transcripts};
use anyhow::{anyhow, bail, Context, Result};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub fn transcript(s: &mut Session, cmd: &TranscriptCmd) -> Result<Report> {
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
            let mut h = format!(
                "Transcript {} — {}, {}, {} turns, from {}\n",
                info.id, info.date, info.lang, info.turns, info.source_name
            );
            let (text, turns) = view.render(&transcripts::turns(conn, id, None)?);
            h += &text;
            Ok(Report::new(
                h,
                json!({ "id": id, "transcript": info, "redacted": redacted, "turns": turns }),
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
                let excerpts = tx.query_row(
                    "SELECT COUNT(*) FROM excerpt WHERE transcript_id = ?1",
                    [tid],
                    |r| r.get::<_, i64>(0),
                )?;
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

/// One transcript to import, before anything is stored.
struct Job {
    path: PathBuf,
    translation: Option<PathBuf>,
    persons: Vec<String>,
    date: String,
    lang: String,
    translation_lang: String,
    interviewer: Option<String>,
    align_by_position: bool,
    /// (speaker label, person id or pseudonym)
    speakers: Vec<(String, String)>,
}

/// A parsed, aligned transcript ready to insert.
struct Parsed {
    job: Job,
    sha256: String,
    format: String,
    turns: Vec<transcripts::NewTurn>,
    warnings: Vec<String>,
}

const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "vtt", "srt", "docx"];

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| p.display().to_string())
}

fn jobs(a: &ImportArgs) -> Result<Vec<Job>> {
    if let Some(m) = &a.manifest {
        if !a.files.is_empty() {
            bail!("give either files or --manifest, not both");
        }
        let bytes = std::fs::read(m)
            .with_context(|| format!("cannot read the manifest {}", m.display()))?;
        let base = m.parent().map(Path::to_path_buf).unwrap_or_default();
        let entries = fieldvault_import::read_manifest(&bytes)
            .with_context(|| format!("the manifest {} is not valid", m.display()))?;
        return Ok(entries
            .into_iter()
            .map(|e| Job {
                path: base.join(&e.file),
                translation: e.translation.as_ref().map(|t| base.join(t)),
                persons: e.persons.clone(),
                date: e.date.clone(),
                lang: e.lang.clone(),
                translation_lang: a.translation_lang.clone(),
                interviewer: a.interviewer.clone(),
                align_by_position: a.align_by_position,
                speakers: Vec::new(),
            })
            .collect());
    }
    if a.files.is_empty() {
        bail!("give a transcript file (or a folder, or --manifest FILE)");
    }
    let date = a
        .date
        .clone()
        .ok_or_else(|| anyhow!("give the interview --date YYYY-MM-DD"))?;
    let lang = a
        .lang
        .clone()
        .ok_or_else(|| anyhow!("give the transcript's --lang (ru, kk, en, ...)"))?;
    if a.person.is_empty() {
        bail!("give at least one --person (id or pseudonym) interviewed in the transcript");
    }
    let mut files = Vec::new();
    for f in &a.files {
        if f.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(f)
                .with_context(|| format!("cannot read the folder {}", f.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .and_then(|x| x.to_str())
                            .is_some_and(|x| EXTENSIONS.contains(&x.to_lowercase().as_str()))
                })
                .collect();
            inside.sort();
            if inside.is_empty() {
                bail!(
                    "the folder {} holds no transcript files ({})",
                    f.display(),
                    EXTENSIONS.join(", ")
                );
            }
            files.extend(inside);
        } else {
            files.push(f.clone());
        }
    }
    let speakers = a
        .speaker
        .iter()
        .map(|x| {
            x.rsplit_once('=')
                .map(|(l, p)| (l.trim().to_string(), p.trim().to_string()))
                .filter(|(l, p)| !l.is_empty() && !p.is_empty())
                .ok_or_else(|| {
                    anyhow!("--speaker takes LABEL=PERSON, e.g. --speaker \"Респондент 2=7\"")
                })
        })
        .collect::<Result<Vec<_>>>()?;
    if !speakers.is_empty() && files.len() != 1 {
        bail!("--speaker goes with a single transcript file");
    }
    if a.translation.is_some() && files.len() != 1 {
        bail!("--translation goes with a single transcript file; use --manifest to import several with translations");
    }
    Ok(files
        .into_iter()
        .map(|path| Job {
            path,
            translation: a.translation.clone(),
            persons: a.person.clone(),
            date: date.clone(),
            lang: lang.clone(),
            translation_lang: a.translation_lang.clone(),
            interviewer: a.interviewer.clone(),
            align_by_position: a.align_by_position,
            speakers: speakers.clone(),
        })
        .collect())
}

fn parse(job: Job) -> Result<Parsed> {
    let name = file_name(&job.path);
    let bytes =
        std::fs::read(&job.path).with_context(|| format!("cannot read {}", job.path.display()))?;
    let t = fieldvault_import::read_transcript(&name, &bytes).with_context(|| name.clone())?;
    let mut warnings: Vec<String> = t.warnings.iter().map(|w| format!("{name}: {w}")).collect();
    let (translations, tr_speakers) = match &job.translation {
        Some(tp) => {
            let tname = file_name(tp);
            let tb = std::fs::read(tp).with_context(|| format!("cannot read {}", tp.display()))?;
            let tr =
                fieldvault_import::read_transcript(&tname, &tb).with_context(|| tname.clone())?;
            warnings.extend(tr.warnings.iter().map(|w| format!("{tname}: {w}")));
            let texts = if job.align_by_position {
                fieldvault_import::align_translation_by_position(&t, &tr)
            } else {
                fieldvault_import::align_translation(&t, &tr).with_context(|| {
                    format!("{name} and its translation {tname} (--align-by-position accepts the difference)")
                })?
            };
            // One speaker label per original turn, whatever the translation's length.
            let speakers = (0..t.turns.len())
                .map(|i| {
                    tr.turns
                        .get(i)
                        .map(|x| x.speaker.clone())
                        .filter(|s| !s.is_empty())
                })
                .collect();
            (texts, speakers)
        }
        None => (vec![None; t.turns.len()], vec![None; t.turns.len()]),
    };
    let turns = t
        .turns
        .iter()
        .zip(translations)
        .zip(tr_speakers)
        .map(
            |((turn, translation), translation_speaker)| transcripts::NewTurn {
                speaker: turn.speaker.clone(),
                text: turn.text.clone(),
                start: turn.start.clone(),
                translation,
                translation_speaker,
            },
        )
        .collect();
    Ok(Parsed {
        sha256: hex::encode(Sha256::digest(&bytes)),
        format: t.format.to_string(),
        turns,
        warnings,
        job,
    })
}

fn import(s: &mut Session, a: &ImportArgs) -> Result<Report> {
    let jobs = jobs(a)?;
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
    // Parse everything first: one bad file stops the batch before anything is stored.
    let mut parsed = Vec::with_capacity(jobs.len());
    for j in jobs {
        parsed.push(parse(j)?);
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = &bar {
        b.set_message("storing");
    }
    let ids = s.write(|_, tx| {
        let mut ids = Vec::new();
        for p in &parsed {
            let name = file_name(&p.job.path);
            let person_ids = p.job.persons.iter().map(|k| persons::resolve(tx, k)).collect::<Result<Vec<_>, _>>()?;
            if let Some(existing) = transcripts::find_by_hash(tx, &p.sha256)? {
                bail!("{name} was already imported as transcript {existing}; nothing was imported");
            }
            let nt = transcripts::NewTranscript {
                persons: person_ids.clone(),
                date: p.job.date.clone(),
                lang: p.job.lang.clone(),
                interviewer: p.job.interviewer.clone(),
                source_name: name.clone(),
                source_sha256: p.sha256.clone(),
                source_format: p.format.clone(),
                translation_lang: p.job.translation.as_ref().map(|_| p.job.translation_lang.clone()),
                translation_name: p.job.translation.as_deref().map(file_name),
                turns: p.turns.clone(),
                speakers: p
                    .job
                    .speakers
                    .iter()
                    .map(|(label, person)| Ok((label.clone(), persons::resolve(tx, person)?)))
                    .collect::<Result<Vec<_>>>()?,
            };
            let id = transcripts::insert(tx, &nt).with_context(|| name.clone())?;
            audit::append(tx, "transcript import", json!({ "transcript": id, "persons": person_ids, "turns": p.turns.len(), "sha256": p.sha256 }))?;
            ids.push((id, p.turns.len()));
            if let Some(b) = &bar {
                b.inc(1);
            }
        }
        Ok(ids)
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let notes: Vec<String> = parsed
        .iter()
        .flat_map(|p| p.warnings.iter().map(|w| format!("warning: {w}")))
        .collect();
    let human = ids
        .iter()
        .zip(&parsed)
        .map(|((id, n), p)| {
            format!(
                "Imported {} as transcript {id} ({n} turns, {}).",
                file_name(&p.job.path),
                p.format
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let json = if ids.len() == 1 {
        json!({ "id": ids[0].0, "turns": ids[0].1 })
    } else {
        json!({ "id": ids.first().map(|x| x.0), "transcripts": ids.iter().map(|(id, n)| json!({ "id": id, "turns": n })).collect::<Vec<_>>() })
    };
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

    pub(super) fn text(&self, t: &str) -> String {
        match &self.lexicon {
            Some(l) => {
                fieldvault_redact::redact(l, t, &fieldvault_redact::RedactOptions::default()).text
            }
            None => t.to_string(),
        }
    }

    /// The numbered lines for people and the turns as JSON.
    pub(super) fn render(&self, turns: &[transcripts::Turn]) -> (String, Vec<serde_json::Value>) {
        let mut h = String::new();
        let mut out = Vec::new();
        for t in turns {
            let (speaker, text) = (self.text(&t.speaker), self.text(&t.text));
            let translation = t.translation.as_deref().map(|x| self.text(x));
            h += &format!("{:>4}  {speaker}: {text}\n", t.line);
            if let Some(tr) = &translation {
                h += &format!("      ({tr})\n");
            }
            out.push(json!({ "line": t.line, "speaker": speaker, "text": text, "translation": translation, "start": t.start }));
        }
        (h, out)
    }
}
