//! REFI-QDA project exchange (`.qdpx`, QDA-XML 1.0 Project schema).
//!
//! The archive holds `project.qde` and one `Sources/<GUID>.txt` (UTF-8, no
//! BOM, LF) per included source. Mapping (see docs/export-formats.md):
//!
//! * one `User` ("fieldvault") who created everything;
//! * tags → `CodeBook/Codes/Code` (sorted, `isCodable="true"`);
//! * `descriptor` and every case attribute name → `Variables/Variable`
//!   (`typeOfVariable="Text"`);
//! * quoted persons → `Cases/Case` named by pseudonym, with a
//!   `VariableValue` per descriptor/attribute, a `SourceRef` per source they
//!   are quoted from and a `SelectionRef` per quote;
//! * sources a quote points into, and translations of those sources →
//!   `Sources/TextSource` with `plainTextPath="internal://<GUID>.txt"`;
//! * quotes → `PlainTextSelection` (start/end in characters) with a
//!   `Description` (attribution, translation, note) and a `Coding` per tag.
//!
//! Element order follows the schema's sequences exactly. GUIDs and
//! selection names are keyed with the export's [`LinkKey`]: the same input
//! and key give the same file, and two exports share no GUID.

use std::collections::{HashMap, HashSet};

use crate::link::written_ids;
use crate::xml::{check, Xml};
use crate::{
    all_tags, distinct_tags, link::LinkKey, zipper, Case, ExportError, Publication, Quote, Source,
};

const FORMAT: &str = "REFI-QDA (QDPX)";
const NS: &str = "urn:QDA-XML:project:1.0";
/// The variable that holds a case's descriptor.
pub const DESCRIPTOR_VARIABLE: &str = "descriptor";

/// For the whole-transcripts project ([`crate::render_transcripts`]):
/// every source and case goes in, and cases link to the sources their
/// person speaks in and to the selections (existing excerpts) they speak
/// in, whether or not a quote says so.
#[derive(Default)]
pub(crate) struct Whole<'a> {
    pub(crate) enabled: bool,
    /// Case id -> the source ids the person speaks in.
    pub(crate) case_sources: HashMap<&'a str, Vec<&'a str>>,
    /// Excerpt id -> the case ids of its speakers.
    pub(crate) selection_cases: HashMap<&'a str, Vec<&'a str>>,
}

/// What goes into the project, after every check has passed.
struct Plan<'a> {
    key: &'a LinkKey,
    whole: &'a Whole<'a>,
    /// Per-export selection names, by excerpt id.
    names: HashMap<&'a str, String>,
    sources: Vec<&'a Source>,
    cases: Vec<&'a Case>,
    variables: Vec<&'a str>,
    user: String,
}

pub(crate) fn render(p: &Publication, key: &LinkKey) -> Result<Vec<u8>, ExportError> {
    render_project(p, key, &Whole::default())
}

/// The project for `p`; `whole` switches to the whole-transcripts layout.
pub(crate) fn render_project(
    p: &Publication,
    key: &LinkKey,
    whole: &Whole<'_>,
) -> Result<Vec<u8>, ExportError> {
    let plan = plan(p, key, whole)?;
    let mut entries = vec![("project.qde".to_string(), project(p, &plan)?.into_bytes())];
    for s in &plan.sources {
        entries.push((
            format!("Sources/{}.txt", plan.key.guid("source", &s.id)),
            s.text.as_bytes().to_vec(),
        ));
    }
    zipper::zip(FORMAT, &entries)
}

fn plan<'a>(
    p: &'a Publication,
    key: &'a LinkKey,
    whole: &'a Whole<'a>,
) -> Result<Plan<'a>, ExportError> {
    let mut sources_by_id: HashMap<&str, &Source> = HashMap::new();
    for s in &p.sources {
        if sources_by_id.insert(s.id.as_str(), s).is_some() {
            return Err(ExportError::DuplicateId {
                kind: "source",
                id: s.id.clone(),
            });
        }
    }
    let mut cases_by_id: HashMap<&str, &Case> = HashMap::new();
    for c in &p.cases {
        if cases_by_id.insert(c.id.as_str(), c).is_some() {
            return Err(ExportError::DuplicateId {
                kind: "case",
                id: c.id.clone(),
            });
        }
    }
    let mut char_counts: HashMap<&str, usize> = HashMap::new();
    let mut quoted_sources: HashSet<&str> = HashSet::new();
    let mut quoted_cases: HashSet<&str> = HashSet::new();
    for q in &p.quotes {
        let Some(source) = sources_by_id.get(q.source_id.as_str()) else {
            return Err(ExportError::MissingSource {
                excerpt: q.excerpt_id.clone(),
                source_id: q.source_id.clone(),
            });
        };
        let len = *char_counts
            .entry(source.id.as_str())
            .or_insert_with(|| source.text.chars().count());
        if q.source_start >= q.source_end || q.source_end > len {
            return Err(ExportError::BadOffsets {
                excerpt: q.excerpt_id.clone(),
                source_id: q.source_id.clone(),
                start: q.source_start,
                end: q.source_end,
                len,
            });
        }
        quoted_sources.insert(source.id.as_str());
        if let Some(case_id) = &q.case_id {
            if !cases_by_id.contains_key(case_id.as_str()) {
                return Err(ExportError::MissingCase {
                    excerpt: q.excerpt_id.clone(),
                    case: case_id.clone(),
                });
            }
            quoted_cases.insert(case_id.as_str());
        }
    }
    for (excerpt, cases) in &whole.selection_cases {
        for c in cases {
            if !cases_by_id.contains_key(c) {
                return Err(ExportError::MissingCase {
                    excerpt: excerpt.to_string(),
                    case: c.to_string(),
                });
            }
        }
    }
    for (case, sources) in &whole.case_sources {
        for s in sources {
            if !cases_by_id.contains_key(case) {
                return Err(ExportError::MissingSpeaker {
                    source_id: s.to_string(),
                    case: case.to_string(),
                });
            }
        }
    }
    let sources: Vec<&Source> = p
        .sources
        .iter()
        .filter(|s| {
            whole.enabled
                || quoted_sources.contains(s.id.as_str())
                || s.translation_of
                    .as_deref()
                    .is_some_and(|of| quoted_sources.contains(of))
        })
        .collect();
    let cases: Vec<&Case> = p
        .cases
        .iter()
        .filter(|c| whole.enabled || quoted_cases.contains(c.id.as_str()))
        .collect();

    let mut variables: Vec<&str> = Vec::new();
    if cases.iter().any(|c| {
        c.descriptor
            .as_deref()
            .is_some_and(|d| !d.trim().is_empty())
    }) {
        variables.push(DESCRIPTOR_VARIABLE);
    }
    for c in &cases {
        let mut names = HashSet::new();
        for (name, _) in &c.attributes {
            if name == DESCRIPTOR_VARIABLE {
                return Err(ExportError::ReservedAttribute {
                    case: c.id.clone(),
                    name: name.clone(),
                });
            }
            if !names.insert(name.as_str()) {
                return Err(ExportError::DuplicateAttribute {
                    case: c.id.clone(),
                    name: name.clone(),
                });
            }
            if !variables.contains(&name.as_str()) {
                variables.push(name);
            }
        }
    }

    // Everything that will be written must fit in XML; name the culprit.
    check(|| "the title".to_string(), &p.title, FORMAT)?;
    for s in &sources {
        if s.text.contains('\r') {
            return Err(ExportError::CarriageReturn {
                source_id: s.id.clone(),
            });
        }
        let place = || format!("source {}", s.id);
        check(place, &s.name, FORMAT)?;
        check(place, &s.language, FORMAT)?;
        check(place, &s.text, FORMAT)?;
    }
    for c in &cases {
        let place = || format!("case {}", c.id);
        check(place, &c.pseudonym, FORMAT)?;
        check(place, c.descriptor.as_deref().unwrap_or_default(), FORMAT)?;
        for (name, value) in &c.attributes {
            check(place, name, FORMAT)?;
            check(place, value, FORMAT)?;
        }
    }
    for q in &p.quotes {
        let place = || format!("excerpt {}", q.excerpt_id);
        check(place, &q.excerpt_id, FORMAT)?;
        for t in &q.tags {
            check(|| format!("a tag of excerpt {}", q.excerpt_id), t, FORMAT)?;
        }
        check(place, &q.attribution, FORMAT)?;
        check(place, q.translation.as_deref().unwrap_or_default(), FORMAT)?;
        check(place, q.note.as_deref().unwrap_or_default(), FORMAT)?;
    }

    let names = if whole.enabled {
        // Existing excerpts to code, not quotes: one prefix for all.
        let mut seen = HashSet::new();
        let mut names = HashMap::new();
        for q in &p.quotes {
            let name = key.token("excerpt", "excerpt", &q.excerpt_id);
            if !seen.insert(name.clone()) {
                return Err(ExportError::Assemble {
                    format: FORMAT,
                    detail: "two excerpts drew the same identifier by chance; export again".into(),
                });
            }
            names.insert(q.excerpt_id.as_str(), name);
        }
        names
    } else {
        p.quotes
            .iter()
            .map(|q| q.excerpt_id.as_str())
            .zip(written_ids(p, key)?.into_iter().map(|(e, _)| e))
            .collect()
    };
    Ok(Plan {
        key,
        whole,
        names,
        sources,
        cases,
        variables,
        user: key.guid("user", "fieldvault"),
    })
}

fn project(p: &Publication, plan: &Plan<'_>) -> Result<String, ExportError> {
    let user = plan.user.as_str();
    let created = p.created.as_str();
    let origin = format!("fieldvault {}", env!("CARGO_PKG_VERSION"));
    let name = if p.title.trim().is_empty() {
        "Quote set"
    } else {
        p.title.as_str()
    };
    let mut x = Xml::new(true, FORMAT);
    x.open(
        "Project",
        &[
            ("xmlns", NS),
            ("name", name),
            ("origin", &origin),
            ("creatingUserGUID", user),
            ("creationDateTime", created),
        ],
    )?;

    x.open("Users", &[])?;
    x.empty("User", &[("guid", user), ("name", "fieldvault")])?;
    x.close()?;

    let tags = all_tags(p);
    if !tags.is_empty() {
        x.open("CodeBook", &[])?;
        x.open("Codes", &[])?;
        for tag in &tags {
            x.empty(
                "Code",
                &[
                    ("guid", &plan.key.guid("code", tag)),
                    ("name", tag),
                    ("isCodable", "true"),
                ],
            )?;
        }
        x.close()?;
        x.close()?;
    }

    if !plan.variables.is_empty() {
        x.open("Variables", &[])?;
        for v in &plan.variables {
            x.empty(
                "Variable",
                &[
                    ("guid", &plan.key.guid("variable", v)),
                    ("name", v),
                    ("typeOfVariable", "Text"),
                ],
            )?;
        }
        x.close()?;
    }

    if !plan.cases.is_empty() {
        x.open("Cases", &[])?;
        for c in &plan.cases {
            case(&mut x, p, plan, c)?;
        }
        x.close()?;
    }

    if !plan.sources.is_empty() {
        x.open("Sources", &[])?;
        for s in &plan.sources {
            text_source(&mut x, p, plan, s)?;
        }
        x.close()?;
    }

    x.leaf(
        "Description",
        &[],
        if plan.whole.enabled {
            "Redacted whole interview transcripts exported by fieldvault for coding; \
             existing excerpts are coded selections. Positions are in characters \
             (Unicode code points) of the LF-only source texts."
        } else {
            "Redacted, consent-checked interview excerpts exported by fieldvault. \
             Positions are in characters (Unicode code points) of the LF-only source texts."
        },
    )?;
    x.close()?;
    x.finish()
}

fn case(x: &mut Xml, p: &Publication, plan: &Plan<'_>, c: &Case) -> Result<(), ExportError> {
    x.open(
        "Case",
        &[
            ("guid", &plan.key.guid("case", &c.id)),
            ("name", &c.pseudonym),
        ],
    )?;
    let mut values: Vec<(&str, &str)> = Vec::new();
    if let Some(d) = c.descriptor.as_deref().filter(|d| !d.trim().is_empty()) {
        values.push((DESCRIPTOR_VARIABLE, d));
    }
    values.extend(c.attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    for (name, value) in values {
        x.open("VariableValue", &[])?;
        x.empty(
            "VariableRef",
            &[("targetGUID", &plan.key.guid("variable", name))],
        )?;
        x.leaf("TextValue", &[], value)?;
        x.close()?;
    }
    let speaks_in = |q: &Quote| -> bool {
        q.case_id.as_deref() == Some(c.id.as_str())
            || plan
                .whole
                .selection_cases
                .get(q.excerpt_id.as_str())
                .is_some_and(|cs| cs.contains(&c.id.as_str()))
    };
    let quotes: Vec<&Quote> = p.quotes.iter().filter(|q| speaks_in(q)).collect();
    let linked = plan.whole.case_sources.get(c.id.as_str());
    for s in &plan.sources {
        let listed = linked.is_some_and(|l| l.contains(&s.id.as_str()));
        if listed || quotes.iter().any(|q| q.source_id == s.id) {
            x.empty(
                "SourceRef",
                &[("targetGUID", &plan.key.guid("source", &s.id))],
            )?;
        }
    }
    for q in &quotes {
        x.empty(
            "SelectionRef",
            &[("targetGUID", &plan.key.guid("selection", &q.excerpt_id))],
        )?;
    }
    x.close()
}

fn text_source(
    x: &mut Xml,
    p: &Publication,
    plan: &Plan<'_>,
    s: &Source,
) -> Result<(), ExportError> {
    let user = plan.user.as_str();
    let guid = plan.key.guid("source", &s.id);
    let path = format!("internal://{guid}.txt");
    x.open(
        "TextSource",
        &[
            ("guid", &guid),
            ("name", &s.name),
            ("plainTextPath", &path),
            ("creatingUser", user),
            ("creationDateTime", &p.created),
        ],
    )?;
    let mut description = String::new();
    if !s.language.trim().is_empty() {
        description.push_str(&format!("Language: {}", s.language.trim()));
    }
    if let Some(original) = s
        .translation_of
        .as_deref()
        .and_then(|of| plan.sources.iter().find(|o| o.id == of))
    {
        if !description.is_empty() {
            description.push('\n');
        }
        description.push_str(&format!("Translation of: {}", original.name));
    }
    if !description.is_empty() {
        x.leaf("Description", &[], &description)?;
    }
    for q in p.quotes.iter().filter(|q| q.source_id == s.id) {
        selection(x, p, plan, q)?;
    }
    x.close()
}

fn selection(x: &mut Xml, p: &Publication, plan: &Plan<'_>, q: &Quote) -> Result<(), ExportError> {
    let user = plan.user.as_str();
    let name = plan
        .names
        .get(q.excerpt_id.as_str())
        .map(String::as_str)
        .unwrap_or_default();
    let start = q.source_start.to_string();
    let end = q.source_end.to_string();
    x.open(
        "PlainTextSelection",
        &[
            ("guid", &plan.key.guid("selection", &q.excerpt_id)),
            ("name", name),
            ("startPosition", &start),
            ("endPosition", &end),
            ("creatingUser", user),
            ("creationDateTime", &p.created),
        ],
    )?;
    let mut parts = Vec::new();
    if !q.attribution.trim().is_empty() {
        parts.push(format!("Attribution: {}", q.attribution.trim()));
    }
    if let Some(t) = &q.translation {
        parts.push(format!("Translation: {t}"));
    }
    if let Some(n) = &q.note {
        parts.push(format!("Note: {n}"));
    }
    if !parts.is_empty() {
        x.leaf("Description", &[], &parts.join("\n\n"))?;
    }
    for tag in distinct_tags(q) {
        x.open(
            "Coding",
            &[
                (
                    "guid",
                    &plan
                        .key
                        .guid("coding", &format!("{}\u{0}{}", q.excerpt_id, tag)),
                ),
                ("creatingUser", user),
                ("creationDateTime", &p.created),
            ],
        )?;
        x.empty("CodeRef", &[("targetGUID", &plan.key.guid("code", tag))])?;
        x.close()?;
    }
    x.close()
}
