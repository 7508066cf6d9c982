//! Batch-import manifests: CSV (the researcher-friendly default) or JSON.
//!
//! CSV: a header row naming the columns `file`, `translation`, `persons`,
//! `date`, `lang` (any order, any case; `translation` may be left out), then
//! one row per transcript. Persons are separated by `;` (or `,` inside a
//! quoted field). The delimiter is `,`, or `;`/tab when the header uses
//! that (spreadsheets in Russian locales save with `;`). Blank lines and
//! lines starting with `#` are ignored. The file may be UTF-8 (with or
//! without BOM), UTF-16 or Windows-1251, like transcripts.
//!
//! JSON: `{"transcripts": [ {...}, ... ]}` or a bare array of objects with
//! the same keys; `persons` is an array of strings (or one string split like
//! CSV) and `translation` may be null.

use serde::{Deserialize, Serialize};

use crate::ImportError;

/// One transcript to import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Transcript file, relative to the manifest's folder.
    pub file: String,
    /// Translation file, relative to the manifest's folder.
    pub translation: Option<String>,
    /// Person ids or pseudonyms of the interviewees (at least one).
    pub persons: Vec<String>,
    /// Interview date, `YYYY-MM-DD`.
    pub date: String,
    /// Language code: `ru`, `kk`, `en`, ... (2-3 lower-case letters, optional `-REGION`).
    pub lang: String,
}

/// Read a manifest. See the module documentation and the README.
pub fn read_manifest(bytes: &[u8]) -> Result<Vec<ManifestEntry>, ImportError> {
    let (text, _) = crate::decode_text(bytes).map_err(|e| match e {
        ImportError::Empty | ImportError::WhitespaceOnly => ImportError::ManifestFormat {
            problem: "the manifest is empty".into(),
        },
        other => ImportError::ManifestFormat {
            problem: other.to_string(),
        },
    })?;
    let entries = if text.trim_start().starts_with(['{', '[']) {
        json(&text)?
    } else {
        csv_rows(&text)?
    };
    if entries.is_empty() {
        return Err(ImportError::ManifestFormat {
            problem: "it lists no transcripts".into(),
        });
    }
    Ok(entries)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonManifest {
    Wrapped { transcripts: Vec<serde_json::Value> },
    Bare(Vec<serde_json::Value>),
}

fn json(text: &str) -> Result<Vec<ManifestEntry>, ImportError> {
    let parsed: JsonManifest =
        serde_json::from_str(text).map_err(|e| ImportError::ManifestFormat {
            problem: format!(
                "it is not valid JSON of the expected shape (line {}, column {})",
                e.line(),
                e.column()
            ),
        })?;
    let values = match parsed {
        JsonManifest::Wrapped { transcripts } => transcripts,
        JsonManifest::Bare(v) => v,
    };
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let entry = i + 1;
            let err = |problem: String| ImportError::ManifestEntry { entry, problem };
            let obj = v.as_object().ok_or_else(|| {
                err("it is not an object with file, persons, date and lang".into())
            })?;
            let string = |key: &str| -> Result<Option<String>, ImportError> {
                match obj.get(key) {
                    None | Some(serde_json::Value::Null) => Ok(None),
                    Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                    Some(_) => Err(err(format!("'{key}' must be a string"))),
                }
            };
            let persons = match obj.get("persons") {
                None | Some(serde_json::Value::Null) => Vec::new(),
                Some(serde_json::Value::String(s)) => split_persons(s),
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .map(|p| {
                        p.as_str()
                            .map(|s| s.trim().to_owned())
                            .ok_or_else(|| err("'persons' must be a list of strings".into()))
                    })
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect(),
                Some(_) => return Err(err("'persons' must be a list of strings".into())),
            };
            validate(
                string("file")?,
                string("translation")?,
                persons,
                string("date")?,
                string("lang")?,
            )
            .map_err(err)
        })
        .collect()
}

fn split_persons(s: &str) -> Vec<String> {
    s.split([';', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

const COLUMNS: [&str; 5] = ["file", "translation", "persons", "date", "lang"];

fn csv_rows(text: &str) -> Result<Vec<ManifestEntry>, ImportError> {
    // Drop comment lines but keep line numbers: blank them out.
    let cleaned: String = text
        .split('\n')
        .map(|l| {
            if l.trim_start().starts_with('#') {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let header_line = cleaned
        .split('\n')
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let delimiter = if header_line.contains(',') {
        b','
    } else if header_line.contains(';') {
        b';'
    } else if header_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(cleaned.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| ImportError::ManifestFormat {
            problem: "its header row cannot be read".into(),
        })?
        .clone();
    let mut index = [None; 5];
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{FEFF}').to_lowercase();
        match COLUMNS.iter().position(|c| *c == h) {
            Some(k) if index[k].is_none() => index[k] = Some(i),
            Some(_) => {
                return Err(ImportError::ManifestFormat {
                    problem: format!("the header names column '{h}' twice"),
                })
            }
            None => {
                return Err(ImportError::ManifestFormat {
                    problem: format!(
                        "the header has an unknown column {} (the columns are file, translation, persons, date, lang)",
                        i + 1
                    ),
                })
            }
        }
    }
    for (k, name) in COLUMNS.iter().enumerate() {
        if index[k].is_none() && *name != "translation" {
            return Err(ImportError::ManifestFormat {
                problem: format!(
                    "the header has no '{name}' column (the header must be file,translation,persons,date,lang)"
                ),
            });
        }
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Manifest {
            line: e.position().map(|p| p.line() as usize).unwrap_or(0),
            problem: "this row cannot be read as CSV (check the quotes)".into(),
        })?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        if record.len() > headers.len() {
            return Err(ImportError::Manifest {
                line,
                problem: format!(
                    "this row has {} fields but the header has {}",
                    record.len(),
                    headers.len()
                ),
            });
        }
        let get = |k: usize| {
            index[k]
                .and_then(|i| record.get(i))
                .map(str::to_owned)
                .filter(|s| !s.is_empty())
        };
        let persons = get(2).map(|p| split_persons(&p)).unwrap_or_default();
        let entry = validate(get(0), get(1), persons, get(3), get(4))
            .map_err(|problem| ImportError::Manifest { line, problem })?;
        out.push(entry);
    }
    Ok(out)
}

fn validate(
    file: Option<String>,
    translation: Option<String>,
    persons: Vec<String>,
    date: Option<String>,
    lang: Option<String>,
) -> Result<ManifestEntry, String> {
    let file = file
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .ok_or("the file name is missing")?;
    let translation = translation
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    if persons.is_empty() {
        return Err("no persons are given (separate several with ';')".into());
    }
    let date = date.map(|d| d.trim().to_owned()).unwrap_or_default();
    if !is_date(&date) {
        return Err("the date is missing or is not a real date written YYYY-MM-DD".into());
    }
    let lang = lang.map(|l| l.trim().to_owned()).unwrap_or_default();
    if !is_lang(&lang) {
        return Err("the language is missing or is not a code such as ru, kk or en".into());
    }
    Ok(ManifestEntry {
        file,
        translation,
        persons,
        date,
        lang,
    })
}

/// `YYYY-MM-DD`, a real calendar date.
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1900 && (1..=days).contains(&d)
}

/// `ru`, `kk`, `en`, `kk-KZ`.
fn is_lang(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2021-03-14"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2021-13-01"));
        assert!(!is_date("14.03.2021"));
        assert!(!is_date("2021-0a-01"));
    }
}
