//! Archive deposit packages (`fieldvault deposit --out FILE.zip`).
//!
//! Data archives (UK Data Service, QDR, ICPSR) take whole anonymised
//! transcripts with documentation of how they were anonymised. This module
//! is a pure writer: the caller gathers the interviews whose every speaker
//! consented to archiving, redacts and leak-checks them, counts what the
//! redaction replaced, and fills the plain structs below; [`render_deposit`]
//! returns the zip's bytes. There is no field for a real name, a contact or
//! a replaced text, so none can reach the package: the anonymisation log
//! holds categories, counts and rule names only.
//!
//! Layout (see docs/export-formats.md):
//!
//! ```text
//! README.txt                      what is where, and the methods paragraph
//! methods.txt                     the methods paragraph alone, to paste
//! data_list.csv                   one row per interview
//! consent_summary.csv             one row per pseudonym: scopes and dates
//! interviews/interview-01/original.txt, original.docx
//! interviews/interview-01/translation-en.txt, translation-en.docx
//! interviews/interview-01/anonymisation_log.txt, anonymisation_log.json
//! checksums.sha256                SHA-256 of every other file
//! ```

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::csv_out::defuse;
use crate::{docx, text, zipper, ExportError};

const FORMAT: &str = "deposit package";

/// Everything a deposit holds, already redacted and consent-checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deposit {
    /// e.g. "Civil society under pressure: interviews 2021–2023".
    pub title: String,
    /// RFC 3339 UTC time of the deposit, from the caller.
    pub created: String,
    /// "fieldvault 0.1.0": named in the methods paragraph.
    pub tool: String,
    /// Whether every file passed the independent leak check (the methods
    /// paragraph says so only when true).
    pub leak_checked: bool,
    pub interviews: Vec<DepositInterview>,
    /// One per pseudonym appearing in the interviews.
    pub persons: Vec<DepositPerson>,
}

/// One interview, whole and redacted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepositInterview {
    /// The speakers' pseudonyms ("Respondent 7"); an interviewer is not one.
    pub pseudonyms: Vec<String>,
    /// Their publishable descriptors, in the same order (empty if none).
    pub descriptors: Vec<String>,
    /// Month and year only: `YYYY-MM`.
    pub month: String,
    /// ISO code and English name of the original language.
    pub language: String,
    pub language_name: String,
    /// The number of turns.
    pub turns: usize,
    /// The redacted original, speaker turns as lines ("Respondent 7: …"),
    /// LF line endings.
    pub original: String,
    /// The redacted translation, if any.
    pub translation: Option<DepositTranslation>,
    pub log: AnonymisationLog,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepositTranslation {
    /// ISO code and English name: "en", "English".
    pub language: String,
    pub language_name: String,
    pub text: String,
}

/// How one interview was anonymised: counts and names, never text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AnonymisationLog {
    /// Replacements by category ("person", "organisation", "place",
    /// "phone", "e-mail", …) with their counts, original and translation
    /// together.
    pub replacements: Vec<(String, usize)>,
    /// The researcher's review decisions by kind ("kept", "redacted",
    /// "allowed", "added as a term", …) with their counts.
    pub decisions: Vec<(String, usize)>,
    /// The rules that made at least one replacement, in words
    /// ("registered person names and their forms", "Kazakhstan phone
    /// numbers", …).
    pub rules: Vec<String>,
}

/// The consent of one pseudonym, without any name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepositPerson {
    pub pseudonym: String,
    pub descriptor: Option<String>,
    /// `YYYY-MM-DD` of the current consent record.
    pub consent_date: String,
    /// "verbal-recorded", "written", "electronic".
    pub method: String,
    /// Each scope with whether it is given: ("recording", true),
    /// ("quotes", true), ("archive", true), ("secondary use", false).
    pub scopes: Vec<(String, bool)>,
    /// "anonymous", "pseudonym", "named".
    pub attribution: String,
    pub embargo_until: Option<String>,
    /// Scopes withdrawn later, with the date: ("quotes", "2024-02-01").
    pub withdrawals: Vec<(String, String)>,
}

/// Renders `deposit` as a zip archive. Deterministic; nothing is written
/// anywhere.
pub fn render_deposit(deposit: &Deposit) -> Result<Vec<u8>, ExportError> {
    validate(deposit)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let methods = methods_paragraph(deposit);
    files.push(("README.txt".into(), readme(deposit, &methods).into_bytes()));
    files.push(("methods.txt".into(), format!("{methods}\n").into_bytes()));
    files.push(("data_list.csv".into(), data_list(deposit)?));
    files.push(("consent_summary.csv".into(), consent_summary(deposit)?));
    for (i, iv) in deposit.interviews.iter().enumerate() {
        let dir = folder(i);
        let label = label(i);
        let subtitle = format!(
            "{}, {}; redacted transcript ({})",
            iv.pseudonyms.join(", "),
            month_name(&iv.month),
            iv.language_name
        );
        files.push((format!("{dir}/original.txt"), lf_text(&iv.original)));
        files.push((
            format!("{dir}/original.docx"),
            docx::render_text(
                &label,
                &subtitle,
                &deposit.created,
                &iv.original,
                &iv.language,
            )?,
        ));
        if let Some(t) = &iv.translation {
            let code = file_safe(&t.language);
            files.push((format!("{dir}/translation-{code}.txt"), lf_text(&t.text)));
            let subtitle = format!(
                "{}, {}; redacted translation into {}",
                iv.pseudonyms.join(", "),
                month_name(&iv.month),
                t.language_name
            );
            files.push((
                format!("{dir}/translation-{code}.docx"),
                docx::render_text(&label, &subtitle, &deposit.created, &t.text, &t.language)?,
            ));
        }
        files.push((
            format!("{dir}/anonymisation_log.txt"),
            log_text(&label, iv).into_bytes(),
        ));
        let mut json = serde_json::to_vec_pretty(&iv.log).map_err(|e| ExportError::Assemble {
            format: FORMAT,
            detail: e.to_string(),
        })?;
        json.push(b'\n');
        files.push((format!("{dir}/anonymisation_log.json"), json));
    }
    let mut sums = String::new();
    for (name, data) in &files {
        let digest = Sha256::digest(data);
        for b in digest {
            sums.push_str(&format!("{b:02x}"));
        }
        sums.push_str("  ");
        sums.push_str(name);
        sums.push('\n');
    }
    files.push(("checksums.sha256".into(), sums.into_bytes()));
    zipper::zip(FORMAT, &files)
}

fn folder(i: usize) -> String {
    format!("interviews/interview-{:02}", i + 1)
}

fn label(i: usize) -> String {
    format!("Interview {}", i + 1)
}

/// A language code as a file-name part: letters, digits and `-` only.
fn file_safe(code: &str) -> String {
    let s: String = code
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(16)
        .collect();
    if s.is_empty() {
        "translation".into()
    } else {
        s
    }
}

/// UTF-8 text with one final line feed.
fn lf_text(s: &str) -> Vec<u8> {
    let mut t = s.trim_end_matches('\n').to_string();
    t.push('\n');
    t.into_bytes()
}

fn validate(d: &Deposit) -> Result<(), ExportError> {
    if !text::is_xsd_utc_datetime(&d.created) {
        return Err(ExportError::BadTimestamp(d.created.clone()));
    }
    if d.interviews.is_empty() {
        return Err(ExportError::EmptyDeposit);
    }
    for (i, iv) in d.interviews.iter().enumerate() {
        let name = label(i);
        if !is_month(&iv.month) {
            return Err(ExportError::BadMonth {
                interview: name,
                month: iv.month.clone(),
            });
        }
        let texts = std::iter::once(&iv.original).chain(iv.translation.as_ref().map(|t| &t.text));
        for t in texts {
            if t.contains('\r') {
                return Err(ExportError::CarriageReturn { source_id: name });
            }
            if let Some(c) = text::first_non_xml_char(t) {
                return Err(ExportError::ControlCharacter {
                    place: name,
                    codepoint: u32::from(c),
                    format: FORMAT,
                });
            }
        }
    }
    Ok(())
}

/// `YYYY-MM` with a real month.
fn is_month(m: &str) -> bool {
    let b = m.as_bytes();
    b.len() == 7
        && b.get(4) == Some(&b'-')
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
        && m.get(5..7)
            .and_then(|x| x.parse::<u32>().ok())
            .is_some_and(|x| (1..=12).contains(&x))
}

/// "May 2021" from "2021-05".
fn month_name(m: &str) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let year = m.get(..4).unwrap_or_default();
    let month = m
        .get(5..7)
        .and_then(|x| x.parse::<usize>().ok())
        .and_then(|x| x.checked_sub(1))
        .and_then(|x| NAMES.get(x));
    match month {
        Some(name) => format!("{name} {year}"),
        None => m.to_string(),
    }
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Assemble {
        format: FORMAT,
        detail: e.to_string(),
    };
    let mut out = crate::UTF8_BOM.as_bytes().to_vec();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut out);
    w.write_record(header).map_err(|e| fail(&e))?;
    for row in rows {
        w.write_record(row.iter().map(|c| defuse(c)))
            .map_err(|e| fail(&e))?;
    }
    w.flush().map_err(|e| fail(&e))?;
    drop(w);
    Ok(out)
}

/// The data list: one row per interview.
pub const DATA_LIST_COLUMNS: [&str; 10] = [
    "interview",
    "pseudonyms",
    "descriptors",
    "month",
    "language",
    "language_name",
    "turns",
    "words",
    "translation",
    "folder",
];

fn data_list(d: &Deposit) -> Result<Vec<u8>, ExportError> {
    let rows: Vec<Vec<String>> = d
        .interviews
        .iter()
        .enumerate()
        .map(|(i, iv)| {
            vec![
                label(i),
                iv.pseudonyms.join("; "),
                iv.descriptors.join("; "),
                iv.month.clone(),
                iv.language.clone(),
                iv.language_name.clone(),
                iv.turns.to_string(),
                words(&iv.original).to_string(),
                iv.translation
                    .as_ref()
                    .map(|t| t.language.clone())
                    .unwrap_or_default(),
                folder(i),
            ]
        })
        .collect();
    csv_bytes(&DATA_LIST_COLUMNS, &rows)
}

/// The consent summary: one row per pseudonym.
pub const CONSENT_COLUMNS: [&str; 8] = [
    "pseudonym",
    "descriptor",
    "consent_date",
    "method",
    "scopes_given",
    "scopes_not_given",
    "attribution",
    "embargo_until_and_withdrawals",
];

fn consent_summary(d: &Deposit) -> Result<Vec<u8>, ExportError> {
    let rows: Vec<Vec<String>> = d
        .persons
        .iter()
        .map(|p| {
            let given: Vec<&str> = p
                .scopes
                .iter()
                .filter(|(_, g)| *g)
                .map(|(s, _)| s.as_str())
                .collect();
            let not_given: Vec<&str> = p
                .scopes
                .iter()
                .filter(|(_, g)| !*g)
                .map(|(s, _)| s.as_str())
                .collect();
            let mut later: Vec<String> = Vec::new();
            if let Some(e) = &p.embargo_until {
                later.push(format!("embargo until {e}"));
            }
            later.extend(
                p.withdrawals
                    .iter()
                    .map(|(scope, date)| format!("{scope} withdrawn {date}")),
            );
            vec![
                p.pseudonym.clone(),
                p.descriptor.clone().unwrap_or_default(),
                p.consent_date.clone(),
                p.method.clone(),
                given.join("; "),
                not_given.join("; "),
                p.attribution.clone(),
                later.join("; "),
            ]
        })
        .collect();
    csv_bytes(&CONSENT_COLUMNS, &rows)
}

fn counted(items: &[(String, usize)]) -> String {
    items
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{what}: {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn log_text(label: &str, iv: &DepositInterview) -> String {
    let mut out = format!("Anonymisation log: {label}\n\n");
    let total: usize = iv.log.replacements.iter().map(|(_, n)| n).sum();
    out.push_str(&format!("Replacements: {total}\n"));
    for (what, n) in &iv.log.replacements {
        out.push_str(&format!("  {what}: {n}\n"));
    }
    let decided: usize = iv.log.decisions.iter().map(|(_, n)| n).sum();
    out.push_str(&format!("\nReview decisions: {decided}\n"));
    for (what, n) in &iv.log.decisions {
        out.push_str(&format!("  {what}: {n}\n"));
    }
    out.push_str("\nRules that made replacements:\n");
    if iv.log.rules.is_empty() {
        out.push_str("  (none)\n");
    }
    for r in &iv.log.rules {
        out.push_str(&format!("  - {r}\n"));
    }
    out.push_str(
        "\nThis log counts replacements and decisions; it holds no replaced text and no key.\n",
    );
    out
}

/// Sums per category over every interview, in first-seen order.
fn totals<'a>(items: impl Iterator<Item = &'a (String, usize)>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for (what, n) in items {
        match out.iter_mut().find(|(w, _)| w == what) {
            Some(slot) => slot.1 += n,
            None => out.push((what.clone(), *n)),
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A paragraph for the deposit form's "methods" or "anonymisation" field,
/// made only from what the deposit holds.
pub fn methods_paragraph(d: &Deposit) -> String {
    let n = d.interviews.len();
    let mut languages: Vec<&str> = Vec::new();
    for iv in &d.interviews {
        if !languages.contains(&iv.language_name.as_str()) {
            languages.push(iv.language_name.as_str());
        }
    }
    let mut months: Vec<&str> = d.interviews.iter().map(|i| i.month.as_str()).collect();
    months.sort_unstable();
    let span = match (months.first(), months.last()) {
        (Some(a), Some(b)) if a == b => format!("in {}", month_name(a)),
        (Some(a), Some(b)) => format!("between {} and {}", month_name(a), month_name(b)),
        _ => String::new(),
    };
    let people = d.persons.len();
    let translated = d
        .interviews
        .iter()
        .filter(|i| i.translation.is_some())
        .count();
    let replacements = totals(d.interviews.iter().flat_map(|i| i.log.replacements.iter()));
    let decisions = totals(d.interviews.iter().flat_map(|i| i.log.decisions.iter()));
    let total: usize = replacements.iter().map(|(_, n)| n).sum();
    let decided: usize = decisions.iter().map(|(_, n)| n).sum();
    let mut rules: Vec<&str> = Vec::new();
    for iv in &d.interviews {
        for r in &iv.log.rules {
            if !rules.contains(&r.as_str()) {
                rules.push(r);
            }
        }
    }
    let tool = if d.tool.trim().is_empty() {
        "fieldvault"
    } else {
        d.tool.trim()
    };
    let mut p = format!(
        "This collection holds {} ({}) conducted {span} with {} identified by pseudonym only.",
        plural(n, "interview transcript", "interview transcripts"),
        languages.join(", "),
        plural(people, "interlocutor", "interlocutors"),
    );
    p.push_str(&format!(
        " Every interlocutor consented to the archiving of their anonymised interview; \
         the consent summary lists each consent's scopes and dates without names. \
         Interview dates are given as month and year only. Before deposit, the transcripts{} \
         were anonymised with {tool}: identifying details were replaced by bracketed \
         placeholders such as \"[Respondent 3]\" or \"[phone]\"",
        if translated > 0 {
            " and their translations"
        } else {
            ""
        },
    ));
    if total > 0 {
        p.push_str(&format!(
            ", {} in total ({})",
            plural(total, "replacement", "replacements"),
            counted(&replacements)
        ));
    }
    p.push('.');
    if !rules.is_empty() {
        p.push_str(&format!(" The rules applied were: {}.", rules.join("; ")));
    }
    if decided > 0 {
        p.push_str(&format!(
            " The researcher reviewed the passages the software flagged and recorded {} ({}).",
            plural(decided, "decision", "decisions"),
            counted(&decisions)
        ));
    }
    if d.leak_checked {
        p.push_str(
            " Before the package was written, an independent second detector checked every file \
             for surviving registered identifiers and found none.",
        );
    }
    p.push_str(
        " Each interview's anonymisation log gives the replacements by category, the review \
         decisions by kind and the rules used; it contains no replaced text.",
    );
    p
}

fn readme(d: &Deposit, methods: &str) -> String {
    let mut out = String::new();
    let title = if d.title.trim().is_empty() {
        "Interview deposit"
    } else {
        d.title.trim()
    };
    out.push_str(&format!("{title}\n\nPrepared {}.\n\n", d.created));
    out.push_str("Contents\n\n");
    out.push_str("  data_list.csv          one row per interview: pseudonyms, descriptors, month and year, language, turns, words\n");
    out.push_str(
        "  consent_summary.csv    one row per pseudonym: consent scopes and dates, no names\n",
    );
    out.push_str("  methods.txt            the paragraph below, to paste into the deposit form\n");
    out.push_str("  interviews/interview-NN/\n");
    out.push_str(
        "      original.txt, original.docx          the redacted transcript (UTF-8 text, Word)\n",
    );
    out.push_str(
        "      translation-XX.txt, .docx            the redacted translation, when there is one\n",
    );
    out.push_str("      anonymisation_log.txt, .json         replacements by category, review decisions by kind, rules\n");
    out.push_str(
        "  checksums.sha256       SHA-256 of every file (sha256sum -c checksums.sha256)\n\n",
    );
    out.push_str("CSV files are UTF-8 with a byte-order mark, comma-separated. Text files are UTF-8 with LF line endings.\n\n");
    out.push_str("Methods\n\n");
    out.push_str(methods);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        assert!(is_month("2021-05"));
        assert!(!is_month("2021-13"));
        assert!(!is_month("2021-5"));
        assert!(!is_month("2021-05-01"));
        assert_eq!(month_name("2021-05"), "May 2021");
        assert_eq!(file_safe("en"), "en");
        assert_eq!(file_safe("../x"), "x");
        assert_eq!(file_safe("//"), "translation");
    }
}
