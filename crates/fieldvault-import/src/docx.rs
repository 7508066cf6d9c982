//! Word documents (.docx): the main document part of the zip archive.
//!
//! Paragraphs (`w:p`) are made of runs (`w:r`) holding `w:t` text, `w:tab`
//! and `w:br`. A turn's speaker is either a "Speaker:" prefix or a bold
//! leading run (a bold run without a colon counts when that speaker is used
//! at least twice, so an emphasised first word does not become a speaker).
//! Tables of (speaker, text) rows, optionally with a timestamp column, are
//! read row by row; a header row is skipped. Headings and titles (by
//! paragraph style, resolved through styles.xml) are skipped with a warning,
//! as are empty paragraphs. Deleted tracked changes, field codes, text boxes
//! and compatibility fallbacks are ignored.
//!
//! Zip-bomb limits: at most [`MAX_ENTRIES`] entries, and every part read is
//! cut off at [`MAX_PART_BYTES`] unpacked bytes.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use unicode_normalization::UnicodeNormalization;

use crate::label::{check_label, parse_timestamp, split_label, Label};
use crate::mode::{ranges, recurring_speakers, speaker_mode, ReadOptions, SpeakerLabels};
use crate::{ImportError, MetadataField, MetadataKind, Turn};

/// Most entries a .docx may have.
pub const MAX_ENTRIES: usize = 10_000;
/// Most unpacked bytes read from one part of a .docx.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

const MAIN_PART: &str = "word/document.xml";

/// Does this look like a zip archive?
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Turns, warnings and the metadata table of a document.
pub(crate) type DocxContent = (Vec<Turn>, Vec<String>, Vec<MetadataField>);

/// Read the turns of a .docx, its warnings and its metadata table.
pub(crate) fn read(bytes: &[u8], options: ReadOptions) -> Result<DocxContent, ImportError> {
    let (document, styles) = unzip(bytes)?;
    let headings = styles
        .as_deref()
        .map(heading_styles)
        .transpose()?
        .unwrap_or_default();
    let blocks = blocks(&document, &headings)?;
    turns(blocks, options)
}

fn unzip(bytes: &[u8]) -> Result<(Vec<u8>, Option<Vec<u8>>), ImportError> {
    // The zip crate is careful, but a damaged archive must never take the
    // whole program down: any panic inside it becomes "damaged".
    let result = std::panic::catch_unwind(|| unzip_inner(bytes));
    match result {
        Ok(r) => r,
        Err(_) => Err(ImportError::DocxInvalid {
            reason: "the zip archive is damaged",
        }),
    }
}

fn unzip_inner(bytes: &[u8]) -> Result<(Vec<u8>, Option<Vec<u8>>), ImportError> {
    let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(_) if !is_zip(bytes) => return Err(ImportError::DocxNotZip),
        Err(_) => {
            return Err(ImportError::DocxInvalid {
                reason: "the zip archive is damaged",
            })
        }
    };
    if archive.len() > MAX_ENTRIES {
        return Err(ImportError::DocxTooManyEntries {
            count: archive.len(),
            limit: MAX_ENTRIES,
        });
    }
    let main = main_part_name(&mut archive).unwrap_or_else(|| MAIN_PART.to_owned());
    let document = match read_part(&mut archive, &main)? {
        Some(d) => d,
        None if main != MAIN_PART => {
            read_part(&mut archive, MAIN_PART)?.ok_or(ImportError::DocxInvalid {
                reason: "it has no word/document.xml",
            })?
        }
        None => {
            if archive.file_names().any(|n| n == "content.xml") {
                return Err(ImportError::UnsupportedDocument {
                    what: "an OpenDocument (.odt) file",
                    advice: "open it and save it as .docx",
                });
            }
            return Err(ImportError::DocxInvalid {
                reason: "it has no word/document.xml",
            });
        }
    };
    let styles = read_part(&mut archive, "word/styles.xml").ok().flatten();
    Ok((document, styles))
}

/// The target of the officeDocument relationship in `_rels/.rels`.
fn main_part_name<R: Read + std::io::Seek>(archive: &mut zip::ZipArchive<R>) -> Option<String> {
    let rels = read_part(archive, "_rels/.rels").ok()??;
    let mut reader = Reader::from_reader(rels.as_slice());
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == b"Relationship" =>
            {
                let ty = attr(&e, b"Type")?;
                if ty.ends_with("/officeDocument") {
                    let target = attr(&e, b"Target")?;
                    let target = target.trim_start_matches('/').to_owned();
                    return (!target.is_empty()).then_some(target);
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

fn read_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<Vec<u8>>, ImportError> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(msg))
            if msg == zip::result::ZipError::PASSWORD_REQUIRED =>
        {
            return Err(ImportError::DocxEncrypted)
        }
        Err(zip::result::ZipError::UnsupportedArchive(_)) => {
            return Err(ImportError::DocxInvalid {
                reason: "it uses a zip feature fieldvault cannot read",
            })
        }
        Err(_) => {
            return Err(ImportError::DocxInvalid {
                reason: "the zip archive is damaged",
            })
        }
    };
    let limit_mib = (MAX_PART_BYTES / (1024 * 1024)) as usize;
    if file.size() > MAX_PART_BYTES {
        return Err(ImportError::DocxTooLarge { limit_mib });
    }
    let mut out = Vec::new();
    let mut limited = file.take(MAX_PART_BYTES + 1);
    if limited.read_to_end(&mut out).is_err() {
        return Err(ImportError::DocxInvalid {
            reason: "the zip archive is damaged",
        });
    }
    if out.len() as u64 > MAX_PART_BYTES {
        return Err(ImportError::DocxTooLarge { limit_mib });
    }
    Ok(Some(out))
}

/// An attribute by local name, unescaped.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name)
            .then(|| a.unescape_value().ok().map(|v| v.into_owned()))
            .flatten()
    })
}

/// XML text as a string: UTF-8 (BOM allowed) or UTF-16 with a BOM.
fn xml_text(bytes: &[u8]) -> Result<String, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return xml_text(rest);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (s, _, bad) = encoding_rs::UTF_16LE.decode(bytes); // BOM sniffing picks the order
        if bad {
            return Err(ImportError::DocxInvalid {
                reason: "its text part is not valid Unicode",
            });
        }
        return Ok(s.into_owned());
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| ImportError::DocxBadXml {
        position: e.utf8_error().valid_up_to() as u64,
    })
}

/// Style ids whose name is a heading or a title ("heading 1", "Title").
fn heading_styles(styles: &[u8]) -> Result<HashSet<String>, ImportError> {
    let Ok(text) = xml_text(styles) else {
        return Ok(HashSet::new());
    };
    let mut reader = Reader::from_str(&text);
    let mut out = HashSet::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"style" => {
                current = attr(&e, b"styleId");
            }
            Ok(Event::Empty(e)) | Ok(Event::Start(e)) => {
                let local = e.local_name();
                let heading = match local.as_ref() {
                    b"name" => attr(&e, b"val").is_some_and(|v| is_heading_name(&v)),
                    b"outlineLvl" => outline_heading(&e),
                    _ => false,
                };
                if heading {
                    if let Some(id) = &current {
                        out.insert(id.clone());
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == b"style" => current = None,
            Ok(Event::Eof) => break,
            // Styles are a nicety: a damaged styles part is ignored.
            Err(_) => break,
            _ => {}
        }
    }
    Ok(out)
}

fn is_heading_name(v: &str) -> bool {
    let v = v.to_lowercase();
    v.starts_with("heading") || v == "title" || v == "subtitle"
}

/// A paragraph or a table row, in document order.
#[derive(Debug)]
enum Block {
    Para {
        runs: Vec<(String, bool)>,
        heading: bool,
    },
    Row {
        cells: Vec<String>,
        /// 1-based number of the (outermost) table in the document.
        table: usize,
        /// 1-based number of the row in its table.
        row: usize,
    },
}

fn is_off(v: Option<String>) -> bool {
    matches!(v.as_deref(), Some("0" | "false" | "off" | "none"))
}

/// Walk document.xml into blocks.
fn blocks(document: &[u8], heading_ids: &HashSet<String>) -> Result<Vec<Block>, ImportError> {
    let text = xml_text(document)?;
    let mut reader = Reader::from_str(&text);
    let mut out = Vec::new();

    let mut skip_depth = 0usize; // > 0 while inside an ignored element
    let mut tbl_depth = 0usize;
    let mut tables = 0usize;
    let mut rows_in_table = 0usize;
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut runs: Vec<(String, bool)> = Vec::new();
    let mut run_bold = false;
    let mut in_rpr = false;
    let mut in_ppr = false;
    let mut in_t = false;
    let mut heading = false;
    let mut in_para = false;

    loop {
        let ev = reader.read_event().map_err(|_| ImportError::DocxBadXml {
            position: reader.buffer_position(),
        })?;
        match ev {
            Event::Eof => break,
            Event::Start(e) => {
                let local = e.local_name();
                let name = local.as_ref();
                if skip_depth > 0 {
                    skip_depth += 1;
                    continue;
                }
                match name {
                    b"del" | b"moveFrom" | b"instrText" | b"delText" | b"Fallback"
                    | b"txbxContent" | b"footnoteReference" | b"commentReference" => {
                        skip_depth = 1;
                    }
                    b"tbl" => {
                        tbl_depth += 1;
                        if tbl_depth == 1 {
                            tables += 1;
                            rows_in_table = 0;
                        }
                    }
                    b"tr" if tbl_depth == 1 => {
                        cells.clear();
                        rows_in_table += 1;
                    }
                    b"tc" if tbl_depth == 1 => cell.clear(),
                    b"p" => {
                        in_para = true;
                        runs.clear();
                        heading = false;
                    }
                    b"r" => run_bold = false,
                    b"rPr" => in_rpr = true,
                    b"pPr" => in_ppr = true,
                    b"b" if in_rpr => run_bold = !is_off(attr(&e, b"val")),
                    b"t" => in_t = true,
                    b"pStyle" => heading |= style_is_heading(&e, heading_ids),
                    b"outlineLvl" => heading |= outline_heading(&e),
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip_depth > 0 {
                    continue;
                }
                let local = e.local_name();
                match local.as_ref() {
                    b"b" if in_rpr => run_bold = !is_off(attr(&e, b"val")),
                    b"tab" if in_para && !in_rpr && !in_ppr => runs.push(("\t".into(), run_bold)),
                    b"br" | b"cr" if in_para => runs.push(("\n".into(), run_bold)),
                    b"noBreakHyphen" if in_para => runs.push(("-".into(), run_bold)),
                    b"pStyle" => heading |= style_is_heading(&e, heading_ids),
                    b"outlineLvl" => heading |= outline_heading(&e),
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                let local = e.local_name();
                match local.as_ref() {
                    b"t" => in_t = false,
                    b"rPr" => in_rpr = false,
                    b"pPr" => in_ppr = false,
                    b"p" => {
                        in_para = false;
                        let para = std::mem::take(&mut runs);
                        if tbl_depth == 0 {
                            out.push(Block::Para {
                                runs: para,
                                heading,
                            });
                        } else {
                            let text: String = para.into_iter().map(|(t, _)| t).collect();
                            let text = text.trim();
                            if !text.is_empty() {
                                if !cell.is_empty() {
                                    cell.push('\n');
                                }
                                cell.push_str(text);
                            }
                        }
                    }
                    b"tc" if tbl_depth == 1 => cells.push(std::mem::take(&mut cell)),
                    b"tr" if tbl_depth == 1 => out.push(Block::Row {
                        cells: std::mem::take(&mut cells),
                        table: tables,
                        row: rows_in_table,
                    }),
                    b"tbl" => tbl_depth = tbl_depth.saturating_sub(1),
                    _ => {}
                }
            }
            Event::Text(t) if in_t && skip_depth == 0 => {
                let s = t.unescape().map_err(|_| ImportError::DocxBadXml {
                    position: reader.buffer_position(),
                })?;
                runs.push((s.into_owned(), run_bold));
            }
            Event::CData(t) if in_t && skip_depth == 0 => {
                runs.push((String::from_utf8_lossy(&t).into_owned(), run_bold));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Outline levels 0-8 are headings; 9 is body text.
fn outline_heading(e: &BytesStart<'_>) -> bool {
    attr(e, b"val")
        .and_then(|v| v.parse::<u8>().ok())
        .is_some_and(|v| v < 9)
}

fn style_is_heading(e: &BytesStart<'_>, heading_ids: &HashSet<String>) -> bool {
    attr(e, b"val").is_some_and(|v| heading_ids.contains(&v) || is_heading_name(&v))
}

/// Clean text from Word: NFC, control characters to spaces or line breaks.
fn clean(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| match c {
            '\r' | '\u{0B}' | '\u{0C}' | '\u{2028}' | '\u{2029}' => '\n',
            c if crate::decode::is_bad_control(c) => ' ',
            c => c,
        })
        .collect();
    s.nfc().collect()
}

/// What one block contributes.
enum Unit {
    /// A labelled paragraph or row; `full` is its whole text, used when
    /// the label turns out not to count.
    Turn {
        label: Label,
        bold_only: bool,
        full: String,
    },
    Text(String),
}

const HEADER_SPEAKER: &[&str] = &[
    "speaker",
    "name",
    "спикер",
    "говорящий",
    "имя",
    "участник",
    "сөйлеуші",
    "спикерлер",
];
const HEADER_TEXT: &[&str] = &[
    "text",
    "transcript",
    "utterance",
    "content",
    "текст",
    "реплика",
    "содержание",
    "мәтін",
    "транскрипт",
];
const HEADER_TIME: &[&str] = &["time", "timestamp", "время", "уақыт", "start"];

/// Where a unit is in the document, for warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loc {
    /// The n-th non-empty body paragraph (headings not counted).
    Para(usize),
    /// A table row.
    Row { table: usize, row: usize },
}

/// "paragraphs 3-5, 9", "table 1 rows 2-4", "paragraph 2; table 2 row 1".
fn loc_list(locs: &[Loc]) -> String {
    let paras: Vec<usize> = locs
        .iter()
        .filter_map(|l| match l {
            Loc::Para(n) => Some(*n),
            Loc::Row { .. } => None,
        })
        .collect();
    let mut parts = Vec::new();
    if !paras.is_empty() {
        parts.push(ranges("paragraph", &paras));
    }
    let mut tables: Vec<usize> = locs
        .iter()
        .filter_map(|l| match l {
            Loc::Row { table, .. } => Some(*table),
            Loc::Para(_) => None,
        })
        .collect();
    tables.dedup();
    for t in tables {
        let rows: Vec<usize> = locs
            .iter()
            .filter_map(|l| match l {
                Loc::Row { table, row } if *table == t => Some(*row),
                _ => None,
            })
            .collect();
        parts.push(format!("table {t} {}", ranges("row", &rows)));
    }
    parts.join("; ")
}

/// First-column labels of a metadata table, by kind ("Date", "Место", ...).
const METADATA_KEYS: &[(MetadataKind, &[&str])] = &[
    (
        MetadataKind::Date,
        &[
            "date",
            "interview date",
            "дата",
            "дата интервью",
            "дата записи",
            "күні",
            "сұхбат күні",
            "уақыты",
        ],
    ),
    (
        MetadataKind::Place,
        &[
            "place",
            "location",
            "city",
            "venue",
            "место",
            "место проведения",
            "город",
            "локация",
            "орны",
            "өткен орны",
            "жері",
            "қала",
        ],
    ),
    (
        MetadataKind::Interviewer,
        &[
            "interviewer",
            "interviewed by",
            "conducted by",
            "интервьюер",
            "интервьюировал",
            "интервьюировала",
            "сұхбаттасушы",
            "сұхбат алған",
        ],
    ),
    (
        MetadataKind::Interviewee,
        &[
            "interviewee",
            "respondent",
            "informant",
            "participant",
            "респондент",
            "информант",
            "участник",
            "собеседник",
            "респонденттің",
        ],
    ),
    (
        MetadataKind::Language,
        &["language", "язык", "язык интервью", "тілі", "тіл"],
    ),
    (
        MetadataKind::Duration,
        &[
            "duration",
            "length",
            "длительность",
            "продолжительность",
            "ұзақтығы",
        ],
    ),
];

fn metadata_kind(label: &str) -> Option<MetadataKind> {
    let key = label
        .trim()
        .trim_end_matches([':', '：'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    METADATA_KEYS
        .iter()
        .find(|(_, keys)| keys.contains(&key.as_str()))
        .map(|(k, _)| *k)
}

/// A table of (key, value) rows at the top of a document, most keys known
/// metadata labels: the interview's metadata, not turns.
/// A (speaker, text) table whose speakers happen to be called "Интервьюер"
/// and "Респондент" is not metadata: each label appears once, and a date
/// or a place is among them.
fn metadata_rows(rows: &[Vec<String>]) -> Option<Vec<MetadataField>> {
    if rows.is_empty() || rows.iter().any(|r| r.len() != 2) {
        return None;
    }
    let kinds: Vec<Option<MetadataKind>> = rows.iter().map(|r| metadata_kind(&r[0])).collect();
    let known = kinds.iter().flatten().count();
    if known == 0 || known * 2 < rows.len() {
        return None;
    }
    let mut labels: Vec<String> = rows.iter().map(|r| r[0].to_lowercase()).collect();
    labels.sort();
    labels.dedup();
    if labels.len() < rows.len()
        || !kinds
            .iter()
            .any(|k| matches!(k, Some(MetadataKind::Date | MetadataKind::Place)))
    {
        return None;
    }
    Some(
        rows.iter()
            .filter(|r| !r[1].is_empty())
            .map(|r| MetadataField {
                kind: metadata_kind(&r[0]).unwrap_or(MetadataKind::Other),
                label: r[0].trim().trim_end_matches([':', '：']).trim().to_owned(),
                value: r[1].clone(),
            })
            .collect(),
    )
}

fn turns(blocks: Vec<Block>, options: ReadOptions) -> Result<DocxContent, ImportError> {
    let detect = options.speaker_labels == SpeakerLabels::Detect;
    let mut warnings = Vec::new();
    let mut headings = 0usize;
    let mut header_rows = 0usize;
    let mut metadata = Vec::new();

    // Rows of each table, cleaned, with empty rows and a header row dropped.
    let mut table_rows: HashMap<usize, Vec<(usize, Vec<String>)>> = HashMap::new();
    for block in &blocks {
        if let Block::Row { cells, table, row } = block {
            let cells: Vec<String> = cells.iter().map(|c| clean(c).trim().to_owned()).collect();
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            let rows = table_rows.entry(*table).or_default();
            if rows.is_empty() && *row == 1 && is_header_row(&cells) {
                header_rows += 1;
                continue;
            }
            rows.push((*row, cells));
        }
    }
    // A metadata table: the first table, before any labelled paragraph.
    let mut metadata_table = None;
    for block in &blocks {
        match block {
            Block::Para { runs, heading } if !heading => {
                let full: String = runs.iter().map(|(t, _)| clean(t)).collect();
                if !full.trim().is_empty() && matches!(para_unit(runs, &full), Unit::Turn { .. }) {
                    break;
                }
            }
            Block::Row { table, .. } => {
                let rows: Vec<Vec<String>> = table_rows
                    .get(table)
                    .map(|r| r.iter().map(|(_, c)| c.clone()).collect())
                    .unwrap_or_default();
                if let Some(fields) = metadata_rows(&rows) {
                    metadata = fields;
                    metadata_table = Some(*table);
                }
                break;
            }
            Block::Para { .. } => {}
        }
    }
    // A table is read as (speaker, text) rows only when its first column
    // is a cast of speakers by the same rule as the whole file.
    let mut speaker_tables: HashSet<usize> = HashSet::new();
    if detect {
        for (table, rows) in &table_rows {
            let labels: Vec<String> = rows
                .iter()
                .filter_map(|(_, cells)| match row_unit(cells.clone()) {
                    Unit::Turn { label, .. } => Some(label.speaker),
                    Unit::Text(_) => None,
                })
                .collect();
            if recurring_speakers(rows.len(), labels.iter().map(String::as_str)) {
                speaker_tables.insert(*table);
            }
        }
    }

    let mut units: Vec<(Loc, Unit)> = Vec::new();
    let mut n = 0usize;
    for block in blocks {
        match block {
            Block::Para { runs, heading } => {
                let runs: Vec<(String, bool)> =
                    runs.into_iter().map(|(t, b)| (clean(&t), b)).collect();
                let full: String = runs.iter().map(|(t, _)| t.as_str()).collect();
                if full.trim().is_empty() {
                    continue;
                }
                if heading {
                    headings += 1;
                    continue;
                }
                n += 1;
                let unit = if detect {
                    para_unit(&runs, &full)
                } else {
                    Unit::Text(full.trim().to_owned())
                };
                units.push((Loc::Para(n), unit));
            }
            Block::Row { table, .. } => {
                // All rows of a table at its first row.
                let Some(rows) = table_rows.remove(&table) else {
                    continue;
                };
                if metadata_table == Some(table) {
                    continue;
                }
                for (row, cells) in rows {
                    let unit = if speaker_tables.contains(&table) {
                        row_unit(cells)
                    } else {
                        // Empty cells keep their place, so columns stay columns.
                        Unit::Text(cells.join("\t").trim_end_matches('\t').to_owned())
                    };
                    units.push((Loc::Row { table, row }, unit));
                }
            }
        }
    }
    if headings > 0 {
        warnings.push(format!("skipped {headings} heading or title paragraph(s)"));
    }
    if header_rows > 0 {
        warnings.push(format!("skipped {header_rows} table header row(s)"));
    }
    if let Some(t) = metadata_table {
        let kinds: Vec<&str> = metadata
            .iter()
            .map(|m| match m.kind {
                MetadataKind::Date => "date",
                MetadataKind::Place => "place",
                MetadataKind::Interviewer => "interviewer",
                MetadataKind::Interviewee => "interviewee",
                MetadataKind::Language => "language",
                MetadataKind::Duration => "duration",
                MetadataKind::Other => "other",
            })
            .collect();
        warnings.push(format!(
            "read table {t} at the top as interview metadata ({}), not as turns",
            kinds.join(", ")
        ));
    }

    let mut uses: HashMap<String, usize> = HashMap::new();
    for (_, u) in &units {
        if let Unit::Turn { label, .. } = u {
            *uses.entry(label.speaker.clone()).or_default() += 1;
        }
    }
    let accepted = |label: &Label, bold_only: bool| {
        let n = uses.get(&label.speaker).copied().unwrap_or(0);
        if bold_only {
            n >= 2
        } else {
            label.marked || label.capitalized || n >= 2
        }
    };
    let label_locs: Vec<Loc> = units
        .iter()
        .filter(|(_, u)| matches!(u, Unit::Turn { label, bold_only, .. } if accepted(label, *bold_only)))
        .map(|(l, _)| *l)
        .collect();
    let by_speaker = speaker_mode(
        units.len(),
        units.iter().filter_map(|(_, u)| match u {
            Unit::Turn {
                label, bold_only, ..
            } if accepted(label, *bold_only) => Some(label.speaker.as_str()),
            _ => None,
        }),
    );

    let mut turns: Vec<Turn> = Vec::new();
    if !by_speaker {
        for (_, u) in units {
            let text = match u {
                Unit::Text(t) => t,
                Unit::Turn { full, .. } => full,
            };
            if !text.is_empty() {
                turns.push(Turn {
                    speaker: String::new(),
                    text,
                    start: None,
                });
            }
        }
        if turns.is_empty() {
            return Err(ImportError::NoTurns);
        }
        warnings.push(if !detect {
            "speaker labels were not read (no speakers asked for); each paragraph and table row \
             became a turn without a speaker"
                .to_owned()
        } else if label_locs.is_empty() {
            "no speaker labels were found; each paragraph became a turn without a speaker"
                .to_owned()
        } else {
            format!(
                "read without speakers: {} paragraph(s) or row(s) look like speaker labels ({}), \
                 but too few or too varied to be the speakers of the document; each paragraph \
                 became a turn without a speaker and the labels were kept as text",
                label_locs.len(),
                loc_list(&label_locs)
            )
        });
        return Ok((turns, warnings, metadata));
    }

    let established = uses.values().filter(|&&n| n >= 2).count() >= 2;
    let mut once = Vec::new();
    let mut preamble = Vec::new();
    let mut joined = Vec::new();
    let mut current: Option<Turn> = None;
    for (loc, u) in units {
        let (label, text) = match u {
            Unit::Turn {
                label,
                bold_only,
                full,
            } => {
                if accepted(&label, bold_only) || current.is_none() {
                    (Some(label), String::new())
                } else {
                    (None, full)
                }
            }
            Unit::Text(t) if t.is_empty() => continue,
            Unit::Text(t) => (None, t),
        };
        match label {
            Some(l) => {
                if established && uses.get(&l.speaker) == Some(&1) {
                    once.push(loc);
                }
                if let Some(t) = current.take() {
                    turns.push(t);
                }
                current = Some(Turn {
                    speaker: l.speaker,
                    text: l.rest,
                    start: l.start,
                });
            }
            None => {
                let t = current.get_or_insert_with(|| Turn {
                    speaker: String::new(),
                    text: String::new(),
                    start: None,
                });
                if t.speaker.is_empty() {
                    preamble.push(loc);
                } else if !t.text.is_empty() {
                    // A label alone on its paragraph has its text below: not a join.
                    joined.push(loc);
                }
                if !t.text.is_empty() {
                    t.text.push('\n');
                }
                t.text.push_str(&text);
            }
        }
    }
    turns.extend(current);
    if !preamble.is_empty() {
        warnings.push(format!(
            "the text before the first speaker label ({}) became a turn without a speaker",
            loc_list(&preamble)
        ));
    }
    if !joined.is_empty() {
        warnings.push(format!(
            "{} unlabelled paragraph(s) or row(s) were added to the turn of the speaker before \
             them ({}); check they are that speaker's words",
            joined.len(),
            loc_list(&joined)
        ));
    }
    if !once.is_empty() {
        warnings.push(format!(
            "{} speaker label(s) occur only once ({}); check each is really a new speaker",
            once.len(),
            loc_list(&once)
        ));
    }
    let before = turns.len();
    turns.retain(|t| !t.text.trim().is_empty());
    if turns.len() < before {
        warnings.push(format!(
            "skipped {} speaker label(s) with no text after them",
            before - turns.len()
        ));
    }
    if turns.is_empty() {
        return Err(ImportError::NoTurns);
    }
    Ok((turns, warnings, metadata))
}

fn para_unit(runs: &[(String, bool)], full: &str) -> Unit {
    // A bold leading run: skip leading blank runs, take bold runs.
    let mut bold = String::new();
    let mut consumed = 0usize;
    for (t, b) in runs {
        if !*b && !t.trim().is_empty() {
            break;
        }
        if !*b {
            if bold.is_empty() {
                consumed += 1;
                continue;
            }
            break;
        }
        bold.push_str(t);
        consumed += 1;
    }
    let after: String = runs[consumed.min(runs.len())..]
        .iter()
        .map(|(t, _)| t.as_str())
        .collect();
    let bold_trim = bold.trim();
    if !bold_trim.is_empty() {
        let (candidate, had_colon, rest) = if let Some(c) = bold_trim.strip_suffix([':', '：']) {
            (c, true, after.as_str())
        } else if let Some(r) = after.trim_start().strip_prefix([':', '：']) {
            (bold_trim, true, r)
        } else {
            (bold_trim, false, after.as_str())
        };
        // A bold name alone on its paragraph is a label too (text below);
        // without a colon it needs the speaker to recur (`bold_only`).
        let rest_ok = rest.is_empty() || rest.starts_with(char::is_whitespace) || !had_colon;
        if rest_ok {
            if let Some((speaker, capitalized)) = check_label(candidate) {
                let rest_t = rest.trim();
                // Not a label if the bold text is followed by punctuation ("**Нет**, ...").
                let punct_next =
                    !had_colon && rest_t.starts_with(|c: char| c.is_ascii_punctuation());
                if !punct_next {
                    return Unit::Turn {
                        label: Label {
                            speaker,
                            rest: rest_t.to_owned(),
                            start: None,
                            marked: had_colon,
                            capitalized,
                        },
                        bold_only: !had_colon,
                        full: full.trim().to_owned(),
                    };
                }
            }
        }
    }
    match split_label(full) {
        Some(label) => Unit::Turn {
            label,
            bold_only: false,
            full: full.trim().to_owned(),
        },
        None => Unit::Text(full.trim().to_owned()),
    }
}

/// A first table row whose cells are all column titles ("Speaker", "Text", "Time").
fn is_header_row(cells: &[String]) -> bool {
    let lower: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
    let titled = |c: &str| HEADER_SPEAKER.contains(&c) || HEADER_TEXT.contains(&c);
    lower.iter().any(|c| titled(c))
        && lower
            .iter()
            .all(|c| c.is_empty() || titled(c) || HEADER_TIME.contains(&c.as_str()))
}

fn row_unit(cells: Vec<String>) -> Unit {
    // Timestamp cells are set apart.
    let mut start = None;
    let mut rest: Vec<String> = Vec::new();
    for c in cells {
        if start.is_none() {
            if let Some(ts) = parse_timestamp(&c) {
                start = Some(ts);
                continue;
            }
        }
        rest.push(c);
    }
    match rest.as_slice() {
        [] => Unit::Text(String::new()),
        [only] => match split_label(only) {
            Some(label) => Unit::Turn {
                label,
                bold_only: false,
                full: only.clone(),
            },
            None => Unit::Text(only.clone()),
        },
        [speaker, texts @ ..] => {
            let text = texts
                .iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("\n");
            if speaker.is_empty() {
                return Unit::Text(text);
            }
            let candidate = speaker.trim_end_matches([':', '：']).trim();
            let full = format!("{speaker}\n{text}").trim().to_owned();
            match check_label(candidate) {
                Some((speaker, capitalized)) => Unit::Turn {
                    label: Label {
                        speaker,
                        rest: text,
                        start,
                        marked: true,
                        capitalized,
                    },
                    bold_only: false,
                    full,
                },
                None => Unit::Text(full),
            }
        }
    }
}
