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
use fieldvault_import::{FolderEntry, ImportError, MetadataKind, ReadOptions, SkipReason};
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
    #[error(
        "the folder {path} holds no transcript files ({}){}",
        fieldvault_import::EXTENSIONS.join(", "),
        skipped_summary(skipped)
    )]
    EmptyFolder {
        path: String,
        skipped: Vec<SkippedFile>,
    },
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

/// A file of a folder that is not imported, and why (for the researcher to
/// see: nothing in a folder vanishes silently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    /// The file name alone.
    pub name: String,
    /// What the file is and what to do about it.
    pub reason: SkipReason,
}

/// "; skipped: a.odt (an OpenDocument text (.odt); ...), README.md (...)",
/// at most three named, for a one-line error.
fn skipped_summary(skipped: &[SkippedFile]) -> String {
    if skipped.is_empty() {
        return String::new();
    }
    let named: Vec<String> = skipped
        .iter()
        .take(3)
        .map(|f| format!("{} ({})", f.name, f.reason))
        .collect();
    let more = skipped.len().saturating_sub(3);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("; skipped {}{more}", named.join(", "))
}

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
    /// Read no speaker labels: every paragraph, line or cue becomes a turn
    /// without a speaker (`--no-speakers`).
    pub no_speakers: bool,
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
    /// Read no speaker labels (`--no-speakers`).
    pub no_speakers: bool,
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
    /// Interview metadata written in the file (a DOCX metadata table).
    pub metadata: Vec<fieldvault_import::MetadataField>,
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

/// The transcripts a request names, one job each; folders are expanded to
/// the files in them the import crate can read, in name order.
pub fn plan(r: &ImportRequest) -> Result<Vec<Job>> {
    plan_with_skipped(r).map(|(jobs, _)| jobs)
}

/// [`plan`], and the files of the named folders that are not imported,
/// with the reason (other formats, README and notes files, lock files). A
/// file named on the command line is always read, whatever its name.
pub fn plan_with_skipped(r: &ImportRequest) -> Result<(Vec<Job>, Vec<SkippedFile>)> {
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
                no_speakers: r.no_speakers,
            })
            .collect::<Vec<_>>())
        .map(|jobs| (jobs, Vec::new()));
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
    let mut skipped = Vec::new();
    for f in &r.files {
        if f.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(f)
                .map_err(|source| IngestError::ReadFolder {
                    path: f.display().to_string(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            let mut inside = Vec::new();
            let mut skipped_here = Vec::new();
            for p in entries {
                match fieldvault_import::folder_entry(&file_name(&p)) {
                    FolderEntry::Import => inside.push(p),
                    FolderEntry::Skip(reason) => skipped_here.push(SkippedFile {
                        name: file_name(&p),
                        reason,
                    }),
                }
            }
            if inside.is_empty() {
                return Err(IngestError::EmptyFolder {
                    path: f.display().to_string(),
                    skipped: skipped_here,
                });
            }
            files.extend(inside);
            skipped.extend(skipped_here);
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
    let jobs = files
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
            no_speakers: r.no_speakers,
        })
        .collect();
    Ok((jobs, skipped))
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
    let options = if job.no_speakers {
        ReadOptions::no_speakers()
    } else {
        ReadOptions::default()
    };
    let t = fieldvault_import::read_transcript_with(&name, &bytes, options).map_err(|source| {
        IngestError::Unreadable {
            name: name.clone(),
            source,
        }
    })?;
    let mut warnings: Vec<String> = t.warnings.iter().map(|w| format!("{name}: {w}")).collect();
    if let Some(w) = metadata_date_differs(&t, &job.date) {
        warnings.push(format!("{name}: {w}"));
    }
    let (translations, tr_speakers) = match &job.translation {
        Some(tp) => {
            let tname = file_name(tp);
            let tb = read_file(tp)?;
            let tr = fieldvault_import::read_transcript_with(&tname, &tb, options).map_err(
                |source| IngestError::Unreadable {
                    name: tname.clone(),
                    source,
                },
            )?;
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
        metadata: t.metadata.clone(),
        job,
    })
}

/// A warning when the file's own metadata gives a date (14.03.2021,
/// 2021-03-14, 14/03/2021) other than `--date`. The given date is kept:
/// the researcher typed it, and the table may be a template's.
fn metadata_date_differs(t: &fieldvault_import::Transcript, given: &str) -> Option<String> {
    let written = t.metadata_value(MetadataKind::Date)?;
    let digits: Vec<&str> = written
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let iso = match digits.as_slice() {
        [y, m, d] if y.len() == 4 => format!("{y}-{m:0>2}-{d:0>2}"),
        [d, m, y] if y.len() == 4 => format!("{y}-{m:0>2}-{d:0>2}"),
        _ => return None,
    };
    (iso != given).then(|| {
        format!("its metadata table gives the interview date {iso}, not {given}; {given} was kept")
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
        "respondent",
        "interviewer",
        "interviewee",
        "moderator",
        "facilitator",
        "speaker",
        "participant",
        "researcher",
        "translator",
        "interpreter",
        "host",
        "guest",
        "question",
        "answer",
        "q",
        "a",
        "респондент",
        "респондентка",
        "интервьюер",
        "интервьюерка",
        "модератор",
        "спикер",
        "участник",
        "участница",
        "исследователь",
        "исследовательница",
        "переводчик",
        "переводчица",
        "вопрос",
        "ответ",
        "ведущий",
        "ведущая",
        "сұхбаттасушы",
        "сұхбат",
        "жауап",
        "сұрақ",
        "қатысушы",
        "зерттеуші",
        "аудармашы",
        "модератор",
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
        // The document's own Interviewer row stands in for --interviewer.
        let interviewer = p.job.interviewer.clone().or_else(|| {
            p.metadata
                .iter()
                .find(|m| m.kind == MetadataKind::Interviewer)
                .map(|m| m.value.clone())
        });
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
            interviewer,
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
            metadata: p
                .metadata
                .iter()
                .map(|m| transcripts::MetadataRow {
                    kind: metadata_kind_name(m.kind).to_owned(),
                    label: m.label.clone(),
                    value: m.value.clone(),
                })
                .collect(),
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

/// How a metadata kind is stored (and shown in JSON).
fn metadata_kind_name(kind: MetadataKind) -> &'static str {
    match kind {
        MetadataKind::Date => "date",
        MetadataKind::Place => "place",
        MetadataKind::Interviewer => "interviewer",
        MetadataKind::Interviewee => "interviewee",
        MetadataKind::Language => "language",
        MetadataKind::Duration => "duration",
        MetadataKind::Other => "other",
    }
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
    fn a_folder_says_which_files_it_skips_and_why() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["01.txt", "02.odt", "consent.pdf", "README.md", "~$01.docx"] {
            std::fs::write(dir.path().join(n), "A: text\n").unwrap();
        }
        let (jobs, skipped) = plan_with_skipped(&request(dir.path())).unwrap();
        assert_eq!(jobs.len(), 1);
        let names: Vec<&str> = skipped.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["02.odt", "README.md", "consent.pdf", "~$01.docx"]);
        assert!(skipped[0].reason.to_string().contains("save it as .docx"));
        assert!(skipped[1].reason.to_string().contains("README"));
        // A README named on the command line is read.
        let mut named = request(dir.path());
        named.files = vec![dir.path().join("README.md")];
        assert_eq!(plan(&named).unwrap().len(), 1);
        // A folder with nothing to import names what it skipped.
        std::fs::remove_file(dir.path().join("01.txt")).unwrap();
        let e = plan(&request(dir.path())).unwrap_err().to_string();
        assert!(e.contains("holds no transcript files"), "{e}");
        assert!(e.contains("02.odt (an OpenDocument text"), "{e}");
        assert!(e.contains("and 1 more"), "{e}");
    }

    #[test]
    fn a_docx_date_other_than_the_given_one_is_a_warning() {
        let t = |value: &str| fieldvault_import::Transcript {
            turns: vec![],
            format: fieldvault_import::SourceFormat::Docx,
            encoding: None,
            warnings: vec![],
            metadata: vec![fieldvault_import::MetadataField {
                kind: MetadataKind::Date,
                label: "Дата".into(),
                value: value.into(),
            }],
        };
        assert_eq!(metadata_date_differs(&t("14.03.2021"), "2021-03-14"), None);
        assert_eq!(metadata_date_differs(&t("2021-3-14"), "2021-03-14"), None);
        let w = metadata_date_differs(&t("15.03.2021"), "2021-03-14").unwrap();
        assert!(
            w.contains("2021-03-15") && w.contains("2021-03-14 was kept"),
            "{w}"
        );
        assert_eq!(metadata_date_differs(&t("весной"), "2021-03-14"), None);
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
