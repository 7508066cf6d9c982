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
//! Element order follows the schema's sequences exactly. GUIDs come from
//! [`crate::guid_for`], so the same input gives the same file.

use std::collections::{HashMap, HashSet};

use crate::xml::{check, Xml};
use crate::{
    all_tags, distinct_tags, guid_for, zipper, Case, ExportError, Publication, Quote, Source,
};

const FORMAT: &str = "REFI-QDA (QDPX)";
const NS: &str = "urn:QDA-XML:project:1.0";
/// The variable that holds a case's descriptor.
pub const DESCRIPTOR_VARIABLE: &str = "descriptor";

/// What goes into the project, after every check has passed.
struct Plan<'a> {
    sources: Vec<&'a Source>,
    cases: Vec<&'a Case>,
    variables: Vec<&'a str>,
    user: String,
}

pub(crate) fn render(p: &Publication) -> Result<Vec<u8>, ExportError> {
    let plan = plan(p)?;
    let mut entries = vec![("project.qde".to_string(), project(p, &plan)?.into_bytes())];
    for s in &plan.sources {
        entries.push((
            format!("Sources/{}.txt", guid_for("source", &s.id)),
            s.text.as_bytes().to_vec(),
        ));
    }
    zipper::zip(FORMAT, &entries)
}

fn plan(p: &Publication) -> Result<Plan<'_>, ExportError> {
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
    let sources: Vec<&Source> = p
        .sources
        .iter()
        .filter(|s| {
            quoted_sources.contains(s.id.as_str())
                || s.translation_of
                    .as_deref()
                    .is_some_and(|of| quoted_sources.contains(of))
        })
        .collect();
    let cases: Vec<&Case> = p
        .cases
        .iter()
        .filter(|c| quoted_cases.contains(c.id.as_str()))
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

    Ok(Plan {
        sources,
        cases,
        variables,
        user: guid_for("user", "fieldvault"),
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
                    ("guid", &guid_for("code", tag)),
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
                    ("guid", &guid_for("variable", v)),
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
        "Redacted, consent-checked interview excerpts exported by fieldvault. \
         Positions are in characters (Unicode code points) of the LF-only source texts.",
    )?;
    x.close()?;
    x.finish()
}

fn case(x: &mut Xml, p: &Publication, plan: &Plan<'_>, c: &Case) -> Result<(), ExportError> {
    x.open(
        "Case",
        &[("guid", &guid_for("case", &c.id)), ("name", &c.pseudonym)],
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
            &[("targetGUID", &guid_for("variable", name))],
        )?;
        x.leaf("TextValue", &[], value)?;
        x.close()?;
    }
    let quotes: Vec<&Quote> = p
        .quotes
        .iter()
        .filter(|q| q.case_id.as_deref() == Some(c.id.as_str()))
        .collect();
    for s in &plan.sources {
        if quotes.iter().any(|q| q.source_id == s.id) {
            x.empty("SourceRef", &[("targetGUID", &guid_for("source", &s.id))])?;
        }
    }
    for q in &quotes {
        x.empty(
            "SelectionRef",
            &[("targetGUID", &guid_for("selection", &q.excerpt_id))],
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
    let guid = guid_for("source", &s.id);
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
        selection(x, p, user, q)?;
    }
    x.close()
}

fn selection(x: &mut Xml, p: &Publication, user: &str, q: &Quote) -> Result<(), ExportError> {
    let start = q.source_start.to_string();
    let end = q.source_end.to_string();
    x.open(
        "PlainTextSelection",
        &[
            ("guid", &guid_for("selection", &q.excerpt_id)),
            ("name", &q.excerpt_id),
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
                    &guid_for("coding", &format!("{}\u{0}{}", q.excerpt_id, tag)),
                ),
                ("creatingUser", user),
                ("creationDateTime", &p.created),
            ],
        )?;
        x.empty("CodeRef", &[("targetGUID", &guid_for("code", tag))])?;
        x.close()?;
    }
    x.close()
}
