//! DOCX: a minimal, valid Office Open XML word-processing package.
//!
//! Parts: `[Content_Types].xml`, `_rels/.rels`, `word/document.xml`,
//! `word/styles.xml`, `word/footer1.xml`, `word/_rels/document.xml.rels`,
//! `docProps/core.xml`, `docProps/app.xml`. The body follows the Markdown
//! layout: a Title and a Subtitle line, a Heading 1 per tag, and per quote a
//! paragraph in the built-in "Quote" style (italic, indented), an
//! "Attribution" paragraph, an "Original Label" paragraph ("Original in
//! Russian:"), the original in "Original Text" and, when the quote has other
//! tags than its section's, an "Also Tagged" line. Every paragraph of a quote
//! but its last keeps with the next one (`w:keepNext`), so a page break never
//! separates a quote from its attribution or the "Original in …" label from
//! the original; the footer numbers the pages ("Page 2 of 5", PAGE and
//! NUMPAGES fields). Line breaks inside a quote are `w:br`, tabs `w:tab`.
//! Text runs carry the language (`w:lang`) for spelling and hyphenation.
//! No author, no company, no dates other than the export time.

use crate::xml::{check, Xml};
use crate::{
    is_english, language_label, other_tags, sections, zipper, ExportError, Publication, Quote,
    RenderOptions,
};

const FORMAT: &str = "Word (DOCX)";
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

pub(crate) fn render(p: &Publication, options: &RenderOptions) -> Result<Vec<u8>, ExportError> {
    validate(p)?;
    package(document(p, options)?, &p.title, &p.created)
}

/// A plain document (deposit transcripts): a Title paragraph, a Subtitle
/// line, then one Normal paragraph per line of `text` (blank lines kept as
/// empty paragraphs), each run in the language `lang` (an ISO code). The
/// same package, styles and numbered footer as the quote document.
pub(crate) fn render_text(
    title: &str,
    subtitle: &str,
    created: &str,
    text: &str,
    lang: &str,
) -> Result<Vec<u8>, ExportError> {
    for (what, s) in [
        ("the title", title),
        ("the subtitle", subtitle),
        ("the text", text),
    ] {
        check(
            || format!("{what} of \"{}\"", crate::shown(title)),
            s,
            FORMAT,
        )?;
    }
    let mut x = Xml::new(false, FORMAT);
    x.open("w:document", &[("xmlns:w", W), ("xmlns:r", R)])?;
    x.open("w:body", &[])?;
    paragraph(&mut x, "Title", None, false, title)?;
    paragraph(&mut x, "Subtitle", None, false, subtitle)?;
    let lang = word_language(lang);
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    for line in normalised.trim_end_matches('\n').split('\n') {
        paragraph(&mut x, "Normal", lang.as_deref(), false, line)?;
    }
    section_properties(&mut x)?;
    x.close()?;
    x.close()?;
    package(x.finish()?, title, created)
}

/// The package around a finished `word/document.xml`.
fn package(document_xml: String, title: &str, created: &str) -> Result<Vec<u8>, ExportError> {
    let entries = vec![
        (
            "[Content_Types].xml".to_string(),
            content_types()?.into_bytes(),
        ),
        ("_rels/.rels".to_string(), package_rels()?.into_bytes()),
        ("word/document.xml".to_string(), document_xml.into_bytes()),
        ("word/styles.xml".to_string(), styles()?.into_bytes()),
        ("word/footer1.xml".to_string(), footer()?.into_bytes()),
        (
            "word/_rels/document.xml.rels".to_string(),
            document_rels()?.into_bytes(),
        ),
        (
            "docProps/core.xml".to_string(),
            core(title, created)?.into_bytes(),
        ),
        ("docProps/app.xml".to_string(), app()?.into_bytes()),
    ];
    zipper::zip(FORMAT, &entries)
}

/// Names the first field XML cannot hold, by excerpt id.
fn validate(p: &Publication) -> Result<(), ExportError> {
    check(|| "the title".to_string(), &p.title, FORMAT)?;
    for q in &p.quotes {
        let place = || format!("excerpt {}", q.excerpt_id);
        for t in &q.tags {
            check(|| format!("a tag of excerpt {}", q.excerpt_id), t, FORMAT)?;
        }
        check(place, &q.attribution, FORMAT)?;
        check(place, &q.language, FORMAT)?;
        check(place, &q.language_name, FORMAT)?;
        check(place, &q.original, FORMAT)?;
        check(place, q.translation.as_deref().unwrap_or_default(), FORMAT)?;
    }
    Ok(())
}

fn content_types() -> Result<String, ExportError> {
    let mut x = Xml::new(true, FORMAT);
    x.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    )?;
    x.empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    )?;
    x.empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    )?;
    for (part, ty) in [
        (
            "/word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ),
        (
            "/word/styles.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        ),
        (
            "/word/footer1.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
        ),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml",
        ),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
    ] {
        x.empty("Override", &[("PartName", part), ("ContentType", ty)])?;
    }
    x.close()?;
    x.finish()
}

fn package_rels() -> Result<String, ExportError> {
    let mut x = Xml::new(true, FORMAT);
    x.open("Relationships", &[("xmlns", REL)])?;
    for (id, ty, target) in [
        (
            "rId1",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
            "word/document.xml",
        ),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml",
        ),
        (
            "rId3",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
            "docProps/app.xml",
        ),
    ] {
        x.empty(
            "Relationship",
            &[("Id", id), ("Type", ty), ("Target", target)],
        )?;
    }
    x.close()?;
    x.finish()
}

fn document_rels() -> Result<String, ExportError> {
    let mut x = Xml::new(true, FORMAT);
    x.open("Relationships", &[("xmlns", REL)])?;
    x.empty(
        "Relationship",
        &[
            ("Id", "rId1"),
            (
                "Type",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
            ),
            ("Target", "styles.xml"),
        ],
    )?;
    x.empty(
        "Relationship",
        &[
            ("Id", "rId2"),
            (
                "Type",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
            ),
            ("Target", "footer1.xml"),
        ],
    )?;
    x.close()?;
    x.finish()
}

/// The footer: "Page N of M", centred, with PAGE and NUMPAGES fields that
/// Word and LibreOffice fill in (the "1" is what a reader that does not
/// update fields shows).
fn footer() -> Result<String, ExportError> {
    let mut x = Xml::new(false, FORMAT);
    x.open("w:ftr", &[("xmlns:w", W), ("xmlns:r", R)])?;
    x.open("w:p", &[])?;
    x.open("w:pPr", &[])?;
    x.empty("w:pStyle", &[("w:val", "Footer")])?;
    x.empty("w:jc", &[("w:val", "center")])?;
    x.close()?;
    let text = |x: &mut Xml, t: &str| -> Result<(), ExportError> {
        x.open("w:r", &[])?;
        x.leaf("w:t", &[("xml:space", "preserve")], t)?;
        x.close()
    };
    let field = |x: &mut Xml, instruction: &str| -> Result<(), ExportError> {
        x.open("w:r", &[])?;
        x.empty("w:fldChar", &[("w:fldCharType", "begin")])?;
        x.close()?;
        x.open("w:r", &[])?;
        x.leaf("w:instrText", &[("xml:space", "preserve")], instruction)?;
        x.close()?;
        x.open("w:r", &[])?;
        x.empty("w:fldChar", &[("w:fldCharType", "separate")])?;
        x.close()?;
        text(x, "1")?;
        x.open("w:r", &[])?;
        x.empty("w:fldChar", &[("w:fldCharType", "end")])?;
        x.close()
    };
    text(&mut x, "Page ")?;
    field(&mut x, " PAGE ")?;
    text(&mut x, " of ")?;
    field(&mut x, " NUMPAGES ")?;
    x.close()?;
    x.close()?;
    x.finish()
}

fn core(title: &str, created: &str) -> Result<String, ExportError> {
    let mut x = Xml::new(true, FORMAT);
    x.open(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:dcmitype", "http://purl.org/dc/dcmitype/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    )?;
    x.leaf("dc:title", &[], title)?;
    x.leaf(
        "dcterms:created",
        &[("xsi:type", "dcterms:W3CDTF")],
        created,
    )?;
    x.leaf(
        "dcterms:modified",
        &[("xsi:type", "dcterms:W3CDTF")],
        created,
    )?;
    x.close()?;
    x.finish()
}

fn app() -> Result<String, ExportError> {
    let mut x = Xml::new(true, FORMAT);
    x.open(
        "Properties",
        &[
            (
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
            ),
            (
                "xmlns:vt",
                "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
            ),
        ],
    )?;
    x.leaf("Application", &[], "fieldvault")?;
    x.close()?;
    x.finish()
}

/// Paragraph and run properties of one style.
struct Style {
    id: &'static str,
    name: &'static str,
    keep_next: bool,
    before: &'static str,
    after: &'static str,
    indent: bool,
    outline_level: Option<&'static str>,
    bold: bool,
    italic: bool,
    color: Option<&'static str>,
    size: Option<&'static str>,
}

const STYLES: [Style; 9] = [
    Style {
        id: "Title",
        name: "Title",
        keep_next: true,
        before: "0",
        after: "120",
        indent: false,
        outline_level: None,
        bold: true,
        italic: false,
        color: None,
        size: Some("40"),
    },
    Style {
        id: "Subtitle",
        name: "Subtitle",
        keep_next: false,
        before: "0",
        after: "240",
        indent: false,
        outline_level: None,
        bold: false,
        italic: false,
        color: Some("595959"),
        size: Some("22"),
    },
    Style {
        id: "Heading1",
        name: "heading 1",
        keep_next: true,
        before: "360",
        after: "120",
        indent: false,
        outline_level: Some("0"),
        bold: true,
        italic: false,
        color: None,
        size: Some("32"),
    },
    Style {
        id: "Quote",
        name: "Quote",
        keep_next: true,
        before: "120",
        after: "60",
        indent: true,
        outline_level: None,
        bold: false,
        italic: true,
        color: None,
        size: None,
    },
    Style {
        id: "Attribution",
        name: "Attribution",
        keep_next: false,
        before: "0",
        after: "120",
        indent: true,
        outline_level: None,
        bold: false,
        italic: false,
        color: None,
        size: None,
    },
    Style {
        id: "OriginalLabel",
        name: "Original Label",
        keep_next: true,
        before: "0",
        after: "40",
        indent: true,
        outline_level: None,
        bold: false,
        italic: false,
        color: Some("595959"),
        size: Some("20"),
    },
    Style {
        id: "OriginalText",
        name: "Original Text",
        keep_next: false,
        before: "0",
        after: "240",
        indent: true,
        outline_level: None,
        bold: false,
        italic: false,
        color: None,
        size: Some("20"),
    },
    Style {
        id: "AlsoTagged",
        name: "Also Tagged",
        keep_next: false,
        before: "0",
        after: "240",
        indent: true,
        outline_level: None,
        bold: false,
        italic: false,
        color: Some("595959"),
        size: Some("18"),
    },
    Style {
        id: "Footer",
        name: "footer",
        keep_next: false,
        before: "0",
        after: "0",
        indent: false,
        outline_level: None,
        bold: false,
        italic: false,
        color: Some("595959"),
        size: Some("18"),
    },
];

fn styles() -> Result<String, ExportError> {
    let mut x = Xml::new(true, FORMAT);
    x.open("w:styles", &[("xmlns:w", W)])?;
    x.open("w:docDefaults", &[])?;
    x.open("w:rPrDefault", &[])?;
    x.open("w:rPr", &[])?;
    x.empty("w:sz", &[("w:val", "24")])?;
    x.empty("w:szCs", &[("w:val", "24")])?;
    x.close()?;
    x.close()?;
    x.open("w:pPrDefault", &[])?;
    x.open("w:pPr", &[])?;
    x.empty(
        "w:spacing",
        &[
            ("w:after", "160"),
            ("w:line", "264"),
            ("w:lineRule", "auto"),
        ],
    )?;
    x.close()?;
    x.close()?;
    x.close()?;
    x.open(
        "w:style",
        &[
            ("w:type", "paragraph"),
            ("w:default", "1"),
            ("w:styleId", "Normal"),
        ],
    )?;
    x.empty("w:name", &[("w:val", "Normal")])?;
    x.empty("w:qFormat", &[])?;
    x.close()?;
    for s in &STYLES {
        x.open("w:style", &[("w:type", "paragraph"), ("w:styleId", s.id)])?;
        x.empty("w:name", &[("w:val", s.name)])?;
        x.empty("w:basedOn", &[("w:val", "Normal")])?;
        x.empty("w:next", &[("w:val", "Normal")])?;
        x.empty("w:qFormat", &[])?;
        x.open("w:pPr", &[])?;
        if s.keep_next {
            x.empty("w:keepNext", &[])?;
            x.empty("w:keepLines", &[])?;
        }
        x.empty("w:spacing", &[("w:before", s.before), ("w:after", s.after)])?;
        if s.indent {
            x.empty("w:ind", &[("w:left", "720"), ("w:right", "720")])?;
        }
        if let Some(level) = s.outline_level {
            x.empty("w:outlineLvl", &[("w:val", level)])?;
        }
        x.close()?;
        x.open("w:rPr", &[])?;
        if s.bold {
            x.empty("w:b", &[])?;
            x.empty("w:bCs", &[])?;
        }
        if s.italic {
            x.empty("w:i", &[])?;
            x.empty("w:iCs", &[])?;
        }
        if let Some(color) = s.color {
            x.empty("w:color", &[("w:val", color)])?;
        }
        if let Some(size) = s.size {
            x.empty("w:sz", &[("w:val", size)])?;
            x.empty("w:szCs", &[("w:val", size)])?;
        }
        x.close()?;
        x.close()?;
    }
    x.close()?;
    x.finish()
}

fn document(p: &Publication, options: &RenderOptions) -> Result<String, ExportError> {
    let mut x = Xml::new(false, FORMAT);
    x.open("w:document", &[("xmlns:w", W), ("xmlns:r", R)])?;
    x.open("w:body", &[])?;
    let title = if p.title.trim().is_empty() {
        "Quote set"
    } else {
        p.title.as_str()
    };
    paragraph(&mut x, "Title", None, false, title)?;
    let n = p.quotes.len();
    let subtitle = format!(
        "Exported {} · {} {}",
        p.created,
        n,
        if n == 1 { "quote" } else { "quotes" }
    );
    paragraph(&mut x, "Subtitle", None, false, &subtitle)?;
    if p.quotes.is_empty() {
        paragraph(&mut x, "Normal", None, false, "No quotes.")?;
    }
    for (heading, quotes) in sections(p, options.by_tag) {
        paragraph(&mut x, "Heading1", None, false, heading)?;
        for q in quotes {
            quote(&mut x, q, &other_tags(q, heading))?;
        }
    }
    section_properties(&mut x)?;
    x.close()?;
    x.close()?;
    x.finish()
}

/// A4, 1" margins, the numbered footer.
fn section_properties(x: &mut Xml) -> Result<(), ExportError> {
    x.open("w:sectPr", &[])?;
    x.empty(
        "w:footerReference",
        &[("w:type", "default"), ("r:id", "rId2")],
    )?;
    x.empty("w:pgSz", &[("w:w", "11906"), ("w:h", "16838")])?;
    x.empty(
        "w:pgMar",
        &[
            ("w:top", "1440"),
            ("w:right", "1440"),
            ("w:bottom", "1440"),
            ("w:left", "1440"),
            ("w:header", "708"),
            ("w:footer", "708"),
            ("w:gutter", "0"),
        ],
    )?;
    x.close()
}

/// One quote's paragraphs; each but the last keeps with the next, so that
/// the quote, its attribution, the "Original in …" label and the original
/// stay on one page (Word and LibreOffice break before the quote instead).
fn quote(x: &mut Xml, q: &Quote, others: &[&str]) -> Result<(), ExportError> {
    let original_lang = word_language(&q.language);
    let mut parts: Vec<(&str, Option<&str>, String)> = Vec::new();
    match &q.translation {
        Some(t) => parts.push(("Quote", Some("en-US"), t.clone())),
        None => parts.push(("Quote", original_lang.as_deref(), q.original.clone())),
    }
    let attribution = q.attribution.trim();
    let attribution = attribution
        .strip_prefix('—')
        .map(str::trim_start)
        .unwrap_or(attribution);
    parts.push(("Attribution", None, format!("— {attribution}")));
    let language = language_label(q);
    if q.translation.is_some() {
        parts.push(("OriginalLabel", None, format!("Original in {language}:")));
        parts.push(("OriginalText", original_lang.as_deref(), q.original.clone()));
    } else if !is_english(&q.language) {
        parts.push((
            "OriginalLabel",
            None,
            format!("(Original in {language}, not translated.)"),
        ));
    }
    if !others.is_empty() {
        parts.push((
            "AlsoTagged",
            None,
            format!("Also tagged: {}", others.join(", ")),
        ));
    }
    let last = parts.len().saturating_sub(1);
    for (i, (style, lang, text)) in parts.iter().enumerate() {
        paragraph(x, style, *lang, i < last, text)?;
    }
    Ok(())
}

/// One paragraph in `style` holding `text` in a single run; line breaks
/// become `w:br` and tabs `w:tab`. `keep_next` keeps it on the page of the
/// paragraph after it.
fn paragraph(
    x: &mut Xml,
    style: &str,
    lang: Option<&str>,
    keep_next: bool,
    text: &str,
) -> Result<(), ExportError> {
    x.open("w:p", &[])?;
    x.open("w:pPr", &[])?;
    x.empty("w:pStyle", &[("w:val", style)])?;
    if keep_next {
        x.empty("w:keepNext", &[])?;
    }
    x.close()?;
    x.open("w:r", &[])?;
    if let Some(lang) = lang {
        x.open("w:rPr", &[])?;
        x.empty("w:lang", &[("w:val", lang)])?;
        x.close()?;
    }
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    for (i, line) in normalised.split('\n').enumerate() {
        if i > 0 {
            x.empty("w:br", &[])?;
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                x.empty("w:tab", &[])?;
            }
            if !piece.is_empty() {
                x.leaf("w:t", &[("xml:space", "preserve")], piece)?;
            }
        }
    }
    x.close()?;
    x.close()
}

/// A language tag Word understands for an ISO code, or `None` if the code
/// does not look like a language tag at all.
fn word_language(code: &str) -> Option<String> {
    let code = code.trim();
    let well_formed = !code.is_empty()
        && code.split(['-', '_']).enumerate().all(|(i, part)| {
            (1..=8).contains(&part.len())
                && if i == 0 {
                    part.chars().all(|c| c.is_ascii_alphabetic())
                } else {
                    part.chars().all(|c| c.is_ascii_alphanumeric())
                }
        });
    if !well_formed {
        return None;
    }
    let code = code.replace('_', "-");
    Some(match code.to_ascii_lowercase().as_str() {
        "ru" => "ru-RU".to_string(),
        "kk" => "kk-KZ".to_string(),
        "en" => "en-US".to_string(),
        "ky" => "ky-KG".to_string(),
        "uk" => "uk-UA".to_string(),
        _ => code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        assert_eq!(word_language("ru").as_deref(), Some("ru-RU"));
        assert_eq!(word_language("kk").as_deref(), Some("kk-KZ"));
        assert_eq!(word_language("de_AT").as_deref(), Some("de-AT"));
        assert_eq!(word_language("").as_deref(), None);
        assert_eq!(word_language("r u").as_deref(), None);
        assert_eq!(word_language("ru\"x").as_deref(), None);
    }
}
