//! The import workflow: transcript files become records.
//!
//! Three steps, so that a batch is all or nothing: [`plan`] turns a request
//! (files, a folder, or a manifest) into one [`Job`] per transcript;
//! [`read`] reads, decodes and aligns each file without touching the vault;
//! [`store`] inserts every read transcript inside the caller's transaction.
//! One bad file stops the batch before anything is stored, and a failure
//! while storing rolls the whole transaction back.
//!
//! Error rules: every [`IngestError`] names files by the name the user typed
//! and never carries transcript text.

use crate::commit::{CommitError, OpenRecords};
use crate::records::{audit, persons, transcripts, RecordsError};
use fieldvault_import::ImportError;
use rusqlite::Connection;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Why an import was refused; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Records(#[from] RecordsError),
    #[error("{0}")]
    Commit(#[from] CommitError),
    #[error("give either files or --manifest, not both")]
    FilesAndManifest,
    #[error("give a transcript file (or a folder, or --manifest FILE)")]
    NoFiles,
    #[error("give the interview --date YYYY-MM-DD")]
    NoDate,
    #[error("give the transcript's --lang (ru, kk, en, ...)")]
    NoLang,
    #[error("give at least one --person (id or pseudonym) interviewed in the transcript")]
    NoPerson,
    #[error("--speaker goes with a single transcript file")]
    SpeakersWithSeveralFiles,
    #[error("--translation goes with a single transcript file; use --manifest to import several with translations")]
    TranslationWithSeveralFiles,
    #[error("cannot read the manifest {path}: {source}")]
    ReadManifest {
        path: String,
        source: std::io::Error,
    },
    #[error("the manifest {path} is not valid: {source}")]
    BadManifest { path: String, source: ImportError },
    #[error("cannot read the folder {path}: {source}")]
    ReadFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("the folder {path} holds no transcript files ({})", fieldvault_import::EXTENSIONS.join(", "))]
    EmptyFolder { path: String },
    #[error("cannot read {path}: {source}")]
    ReadFile {
        path: String,
        source: std::io::Error,
    },
    #[error("{name}: {source}")]
    Unreadable { name: String, source: ImportError },
    #[error("{name} and its translation {translation} (--align-by-position accepts the difference): {source}")]
    Misaligned {
        name: String,
        translation: String,
        source: ImportError,
    },
    #[error("{name} was already imported as transcript {existing}; nothing was imported")]
    AlreadyImported { name: String, existing: i64 },
    #[error("{name}: {source}")]
    Rejected { name: String, source: RecordsError },
    /// A group interview must say who speaks under every label: an
    /// unmapped speaker would be quoted under nobody's consent.
    #[error("{name}: {count} speaker label(s) not mapped: {labels}; give --speaker LABEL=PERSON or --speaker LABEL=interviewer for each (nothing was imported)")]
    UnmappedSpeakers {
        name: String,
        count: usize,
        labels: String,
    },
}

pub type Result<T, E = IngestError> = std::result::Result<T, E>;

/// What the researcher asked to import, after argument parsing.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// Transcript files or folders (empty with a manifest).
    pub files: Vec<PathBuf>,
    /// A CSV manifest naming files, translations, persons, dates, languages.
    pub manifest: Option<PathBuf>,
    /// Persons interviewed (id or pseudonym).
    pub persons: Vec<String>,
    /// (speaker label, person id or pseudonym) for group interviews.
    pub speakers: Vec<(String, String)>,
    pub date: Option<String>,
    pub lang: Option<String>,
    pub translation: Option<PathBuf>,
    pub translation_lang: String,
    pub align_by_position: bool,
    pub interviewer: Option<String>,
}

/// One transcript to import, before anything is read or stored.
#[derive(Debug, Clone)]
pub struct Job {
    pub path: PathBuf,
    pub translation: Option<PathBuf>,
    pub persons: Vec<String>,
    pub date: String,
    pub lang: String,
    pub translation_lang: String,
    pub interviewer: Option<String>,
    pub align_by_position: bool,
    /// (speaker label, person id or pseudonym)
    pub speakers: Vec<(String, String)>,
}

/// A read, aligned transcript ready to insert.
#[derive(Debug, Clone)]
pub struct ReadTranscript {
    pub job: Job,
    pub sha256: String,
    /// The source format in words ("WebVTT").
    pub format: String,
    pub turns: Vec<transcripts::NewTurn>,
    /// Reader warnings, each prefixed with the file name.
    pub warnings: Vec<String>,
}

/// One stored transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub id: i64,
    pub turns: usize,
}

/// The file name alone: what the vault records and messages show.
pub fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| p.display().to_string())
}

fn is_transcript_file(p: &Path) -> bool {
    p.is_file()
        && p.extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| fieldvault_import::EXTENSIONS.contains(&x.to_lowercase().as_str()))
}

/// The transcripts a request names, one job each; folders are expanded to
/// the files in them the import crate can read, in name order.
pub fn plan(r: &ImportRequest) -> Result<Vec<Job>> {
    if let Some(m) = &r.manifest {
        if !r.files.is_empty() {
            return Err(IngestError::FilesAndManifest);
        }
        let bytes = std::fs::read(m).map_err(|source| IngestError::ReadManifest {
            path: m.display().to_string(),
            source,
        })?;
        let base = m.parent().map(Path::to_path_buf).unwrap_or_default();
        let entries = fieldvault_import::read_manifest(&bytes).map_err(|source| {
            IngestError::BadManifest {
                path: m.display().to_string(),
                source,
            }
        })?;
        return Ok(entries
            .into_iter()
            .map(|e| Job {
                path: base.join(&e.file),
                translation: e.translation.as_ref().map(|t| base.join(t)),
                persons: e.persons.clone(),
                date: e.date.clone(),
                lang: e.lang.clone(),
                translation_lang: r.translation_lang.clone(),
                interviewer: r.interviewer.clone(),
                align_by_position: r.align_by_position,
                speakers: Vec::new(),
            })
            .collect());
    }
    if r.files.is_empty() {
        return Err(IngestError::NoFiles);
    }
    let date = r.date.clone().ok_or(IngestError::NoDate)?;
    let lang = r.lang.clone().ok_or(IngestError::NoLang)?;
    if r.persons.is_empty() {
        return Err(IngestError::NoPerson);
    }
    let mut files = Vec::new();
    for f in &r.files {
        if f.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(f)
                .map_err(|source| IngestError::ReadFolder {
                    path: f.display().to_string(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| is_transcript_file(p))
                .collect();
            inside.sort();
            if inside.is_empty() {
                return Err(IngestError::EmptyFolder {
                    path: f.display().to_string(),
                });
            }
            files.extend(inside);
        } else {
            files.push(f.clone());
        }
    }
    if !r.speakers.is_empty() && files.len() != 1 {
        return Err(IngestError::SpeakersWithSeveralFiles);
    }
    if r.translation.is_some() && files.len() != 1 {
        return Err(IngestError::TranslationWithSeveralFiles);
    }
    Ok(files
        .into_iter()
        .map(|path| Job {
            path,
            translation: r.translation.clone(),
            persons: r.persons.clone(),
            date: date.clone(),
            lang: lang.clone(),
            translation_lang: r.translation_lang.clone(),
            interviewer: r.interviewer.clone(),
            align_by_position: r.align_by_position,
            speakers: r.speakers.clone(),
        })
        .collect())
}

fn read_file(path: &Path) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    std::fs::read(path)
        .map(zeroize::Zeroizing::new)
        .map_err(|source| IngestError::ReadFile {
            path: path.display().to_string(),
            source,
        })
}

/// Reads one job's transcript (and translation, aligned turn by turn).
/// Touches nothing in the vault.
pub fn read(job: Job) -> Result<ReadTranscript> {
    let name = file_name(&job.path);
    let bytes = read_file(&job.path)?;
    let t = fieldvault_import::read_transcript(&name, &bytes).map_err(|source| {
        IngestError::Unreadable {
            name: name.clone(),
            source,
        }
    })?;
    let mut warnings: Vec<String> = t.warnings.iter().map(|w| format!("{name}: {w}")).collect();
    let (translations, tr_speakers) = match &job.translation {
        Some(tp) => {
            let tname = file_name(tp);
            let tb = read_file(tp)?;
            let tr = fieldvault_import::read_transcript(&tname, &tb).map_err(|source| {
                IngestError::Unreadable {
                    name: tname.clone(),
                    source,
                }
            })?;
            warnings.extend(tr.warnings.iter().map(|w| format!("{tname}: {w}")));
            let texts = if job.align_by_position {
                fieldvault_import::align_translation_by_position(&t, &tr)
            } else {
                fieldvault_import::align_translation(&t, &tr).map_err(|source| {
                    IngestError::Misaligned {
                        name: name.clone(),
                        translation: tname.clone(),
                        source,
                    }
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
        .collect::<Vec<transcripts::NewTurn>>();
    if !job.speakers.is_empty() {
        check_speaker_mapping(&name, &job.speakers, &turns, &mut warnings)?;
    }
    Ok(ReadTranscript {
        sha256: hex::encode(Sha256::digest(&bytes)),
        format: t.format.to_string(),
        turns,
        warnings,
        job,
    })
}

/// The keyword that maps a speaker label to the interviewer (`--speaker
/// "Moderator=interviewer"`): turns under it need nobody's consent.
pub const INTERVIEWER: &str = "interviewer";

/// With any `--speaker` mapping, every label in the turns must be mapped
/// (to a person or to the interviewer), or the import is refused naming the
/// unmapped ones. Turns without a label are reported: the consent gate
/// leaves out every excerpt that contains one.
fn check_speaker_mapping(
    name: &str,
    mapping: &[(String, String)],
    turns: &[transcripts::NewTurn],
    warnings: &mut Vec<String>,
) -> Result<()> {
    // A mapped label no turn uses is a typo: say which (by position, since
    // a label may be a name) before listing what is unmapped.
    for (i, (label, _)) in mapping.iter().enumerate() {
        if !turns.iter().any(|t| t.speaker.trim() == label) {
            return Err(IngestError::Rejected {
                name: name.to_string(),
                source: RecordsError::Invalid(format!(
                    "speaker label {} given with --speaker occurs in no turn",
                    i + 1
                )),
            });
        }
    }
    let mut unmapped: Vec<(&str, usize)> = Vec::new();
    let mut unlabelled = Vec::new();
    for (i, t) in turns.iter().enumerate() {
        let label = t.speaker.trim();
        if label.is_empty() {
            unlabelled.push(i + 1);
        } else if !mapping.iter().any(|(l, _)| l == label)
            && !unmapped.iter().any(|(l, _)| *l == label)
        {
            unmapped.push((label, i + 1));
        }
    }
    if !unlabelled.is_empty() {
        warnings.push(format!(
            "{name}: {} turn(s) have no speaker label (turns {}); excerpts containing them are never exported",
            unlabelled.len(),
            number_list(&unlabelled)
        ));
    }
    if unmapped.is_empty() {
        return Ok(());
    }
    let labels = unmapped
        .iter()
        .map(|(label, turn)| describe_label(label, *turn))
        .collect::<Vec<_>>()
        .join(", ");
    Err(IngestError::UnmappedSpeakers {
        name: name.to_string(),
        count: unmapped.len(),
        labels,
    })
}

/// A speaker label for an error message. Role labels ("B", "Модератор",
/// "Респондент 2") are quoted as written; a label that may be a person's
/// name is described by the turn where it first speaks, so that an error
/// message never repeats a name.
fn describe_label(label: &str, first_turn: usize) -> String {
    const ROLE_WORDS: &[&str] = &[
        "respondent", "interviewer", "interviewee", "moderator", "facilitator", "speaker",
        "participant", "researcher", "translator", "interpreter", "host", "guest", "question",
        "answer", "q", "a", "респондент", "респондентка", "интервьюер", "интервьюерка",
        "модератор", "спикер", "участник", "участница", "исследователь", "исследовательница",
        "переводчик", "переводчица", "вопрос", "ответ", "ведущий", "ведущая", "сұхбаттасушы",
        "сұхбат", "жауап", "сұрақ", "қатысушы", "зерттеуші", "аудармашы", "модератор",
    ];
    let lower = label.to_lowercase();
    let first_word = lower
        .split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    let short = label.chars().filter(|c| c.is_alphabetic()).count() <= 2;
    if short || ROLE_WORDS.contains(&first_word) {
        format!("{label:?}")
    } else {
        format!("the label of turn {first_turn}")
    }
}

fn number_list(n: &[usize]) -> String {
    let mut s = n
        .iter()
        .take(10)
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if n.len() > 10 {
        s.push_str(", ...");
    }
    s
}

/// Stores a read batch in the vault in one change: all of it or nothing.
pub fn import(
    vault: &mut impl OpenRecords,
    batch: &[ReadTranscript],
    stored: impl FnMut(),
) -> Result<Vec<Imported>> {
    vault.commit(|tx| store(tx, batch, stored))
}

/// Inserts every read transcript, with an audit entry each, in `tx` (the
/// caller's transaction: on an error nothing of the batch may be kept).
/// `stored` is called after each transcript, for progress display.
pub fn store(
    tx: &Connection,
    batch: &[ReadTranscript],
    mut stored: impl FnMut(),
) -> Result<Vec<Imported>> {
    let mut out = Vec::with_capacity(batch.len());
    for p in batch {
        let name = file_name(&p.job.path);
        let person_ids = p
            .job
            .persons
            .iter()
            .map(|k| persons::resolve(tx, k))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(existing) = transcripts::find_by_hash(tx, &p.sha256)? {
            return Err(IngestError::AlreadyImported { name, existing });
        }
        let speakers = p
            .job
            .speakers
            .iter()
            .filter(|(_, person)| !person.eq_ignore_ascii_case(INTERVIEWER))
            .map(|(label, person)| Ok((label.clone(), persons::resolve(tx, person)?)))
            .collect::<Result<Vec<_>>>()?;
        let interviewer_labels = p
            .job
            .speakers
            .iter()
            .filter(|(_, person)| person.eq_ignore_ascii_case(INTERVIEWER))
            .map(|(label, _)| label.clone())
            .collect();
        let nt = transcripts::NewTranscript {
            persons: person_ids.clone(),
            date: p.job.date.clone(),
            lang: p.job.lang.clone(),
            interviewer: p.job.interviewer.clone(),
            source_name: name.clone(),
            source_sha256: p.sha256.clone(),
            source_format: p.format.clone(),
            translation_lang: p
                .job
                .translation
                .as_ref()
                .map(|_| p.job.translation_lang.clone()),
            translation_name: p.job.translation.as_deref().map(file_name),
            turns: p.turns.clone(),
            speakers,
            interviewer_labels,
        };
        let id = transcripts::insert(tx, &nt)
            .map_err(|source| IngestError::Rejected { name, source })?;
        audit::append(
            tx,
            "transcript import",
            json!({ "transcript": id, "persons": person_ids, "turns": p.turns.len(), "sha256": p.sha256 }),
        )?;
        out.push(Imported {
            id,
            turns: p.turns.len(),
        });
        stored();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(dir: &Path) -> ImportRequest {
        ImportRequest {
            files: vec![dir.to_path_buf()],
            persons: vec!["1".into()],
            date: Some("2024-05-01".into()),
            lang: Some("ru".into()),
            translation_lang: "en".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_folder_yields_every_format_the_import_crate_reads() {
        let dir = tempfile::tempdir().unwrap();
        for ext in fieldvault_import::EXTENSIONS {
            std::fs::write(dir.path().join(format!("a.{ext}")), "A: text\n").unwrap();
        }
        std::fs::write(dir.path().join("notes.pdf"), "x").unwrap();
        let jobs = plan(&request(dir.path())).unwrap();
        assert_eq!(jobs.len(), fieldvault_import::EXTENSIONS.len());
        assert!(jobs.iter().all(|j| j.path.extension().unwrap() != "pdf"));
    }

    #[test]
    fn a_folder_without_transcripts_is_refused_with_the_known_extensions() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.pdf"), "x").unwrap();
        let e = plan(&request(dir.path())).unwrap_err().to_string();
        assert!(
            e.contains("holds no transcript files") && e.contains("vtt"),
            "{e}"
        );
    }

    #[test]
    fn a_batch_with_a_duplicate_stores_nothing() {
        let conn = crate::records::in_memory().unwrap();
        persons::add(
            &conn,
            &persons::NewPerson {
                name: "Дина Ким".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        for n in ["a.txt", "b.txt"] {
            std::fs::write(dir.path().join(n), "A: одна и та же реплика\n").unwrap();
        }
        let batch: Vec<ReadTranscript> = plan(&request(dir.path()))
            .unwrap()
            .into_iter()
            .map(|j| read(j).unwrap())
            .collect();
        let tx = conn.unchecked_transaction().unwrap();
        let e = store(&tx, &batch, || {}).unwrap_err();
        assert!(
            matches!(e, IngestError::AlreadyImported { existing: 1, .. }),
            "{e}"
        );
        drop(tx);
        assert!(transcripts::list(&conn).unwrap().is_empty());
    }
}
