//! Reading `project.qde` into a small element tree, and checking it against
//! the REFI-QDA Project schema (QDA-XML 1.0) in Rust.
//!
//! The check follows `Project.xsd` element by element: the namespace, every
//! complex type's sequence or choice with its minimum and maximum counts,
//! the attributes each element may carry (required ones present, no
//! undeclared ones) and the simple types of attribute values and of text
//! elements (GUID pattern, integer, boolean, decimal, date, dateTime, RGB,
//! enumerations). The schema has no identity constraints, so references
//! between GUIDs are the reader's business, not this module's. Refusing
//! here, before anything is read, keeps a damaged or foreign file from being
//! half-understood: `codings import` is all or nothing.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// The namespace of the REFI-QDA Project schema.
pub(crate) const NS: &str = "urn:QDA-XML:project:1.0";

/// Elements nested deeper than this are refused (the schema's deepest
/// legitimate nesting is a code tree; 256 levels is far beyond any).
const MAX_DEPTH: usize = 256;

/// One element of `project.qde`: local name, attributes (unqualified ones
/// by name; namespace declarations and `xsi:` attributes dropped), child
/// elements and the element's own text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) children: Vec<Element>,
    pub(crate) text: String,
}

impl Element {
    pub(crate) fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// Why `project.qde` could not be read or does not follow the schema. The
/// `place` is a path such as `Project/Sources/TextSource[2]`, never text
/// from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SchemaProblem {
    NotXml(String),
    Invalid { place: String, detail: String },
}

/// Parses `xml` into an element tree. Elements must be in the REFI-QDA
/// namespace; foreign attributes (other namespaces) are refused except
/// `xsi:` (schema location hints) and namespace declarations.
pub(crate) fn parse(xml: &str) -> Result<Element, SchemaProblem> {
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let not_xml = |e: &dyn std::fmt::Display| SchemaProblem::NotXml(e.to_string());
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(|e| not_xml(&e))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let local = std::str::from_utf8(e.local_name().as_ref())
                    .map_err(|e| not_xml(&e))?
                    .to_string();
                let place = place_of(&stack, &local);
                match ns {
                    ResolveResult::Bound(n) if n.as_ref() == NS.as_bytes() => {}
                    _ => {
                        return Err(SchemaProblem::Invalid {
                            place,
                            detail: format!("the element is not in the REFI-QDA namespace {NS}"),
                        })
                    }
                }
                if root.is_some() {
                    return Err(not_xml(&"content after the root element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(SchemaProblem::Invalid {
                        place,
                        detail: format!("elements are nested more than {MAX_DEPTH} deep"),
                    });
                }
                let mut el = Element {
                    name: local,
                    ..Default::default()
                };
                for a in e.attributes() {
                    let a = a.map_err(|e| not_xml(&e))?;
                    let key = std::str::from_utf8(a.key.as_ref()).map_err(|e| not_xml(&e))?;
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        continue;
                    }
                    let (attr_ns, attr_local) = reader.resolve_attribute(a.key);
                    let attr_local = std::str::from_utf8(attr_local.as_ref())
                        .map_err(|e| not_xml(&e))?
                        .to_string();
                    match attr_ns {
                        ResolveResult::Unbound => {}
                        ResolveResult::Bound(n)
                            if n.as_ref() == b"http://www.w3.org/2001/XMLSchema-instance" =>
                        {
                            continue
                        }
                        _ => {
                            return Err(SchemaProblem::Invalid {
                                place,
                                detail: format!(
                                    "the attribute \"{}\" is in a foreign namespace",
                                    shown_name(key)
                                ),
                            })
                        }
                    }
                    let value = a.unescape_value().map_err(|e| not_xml(&e))?.into_owned();
                    if el.attrs.iter().any(|(k, _)| *k == attr_local) {
                        return Err(not_xml(&"an attribute appears twice"));
                    }
                    el.attrs.push((attr_local, value));
                }
                if matches!(event, Event::Empty(_)) {
                    attach(&mut stack, &mut root, el);
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(not_xml(&"an end tag without a start tag"));
                };
                attach(&mut stack, &mut root, el);
            }
            Event::Text(t) => {
                let text = t.unescape().map_err(|e| not_xml(&e))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(not_xml(&"text outside the root element")),
                }
            }
            Event::CData(c) => {
                let text = std::str::from_utf8(&c).map_err(|e| not_xml(&e))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(text),
                    None => return Err(not_xml(&"text outside the root element")),
                }
            }
            Event::DocType(_) => {
                // A DTD could declare entities (billion laughs); REFI-QDA
                // files have none.
                return Err(not_xml(&"the file declares a document type"));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(not_xml(&"the file ends inside an element"));
    }
    root.ok_or_else(|| not_xml(&"the file holds no element"))
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

fn place_of(stack: &[Element], local: &str) -> String {
    let mut parts: Vec<String> = stack.iter().map(|e| shown_name(&e.name)).collect();
    parts.push(shown_name(local));
    parts.join("/")
}

/// An element or attribute name as shown in messages: at most 40
/// characters, nothing invisible.
fn shown_name(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

// ------------------------------------------------------------------ schema

/// A simple type of the schema.
#[derive(Clone, Copy)]
enum Simple {
    String,
    Guid,
    DateTime,
    Date,
    Integer,
    Decimal,
    Boolean,
    Rgb,
    Enum(&'static [&'static str]),
}

/// A complex type: attributes (name, type, required) and content.
struct Type {
    attrs: &'static [(&'static str, Simple, bool)],
    content: Content,
}

enum Content {
    /// No child elements (and, for our purposes, no meaningful text).
    Empty,
    /// Text of a simple type, no child elements, no attributes.
    Text(Simple),
    /// A sequence of particles.
    Seq(&'static [Particle]),
}

/// One particle of a sequence: an element (name, type, min, max) or a
/// choice between elements.
enum Particle {
    El(&'static str, TypeId, u32, Max),
    /// A choice among (name, type) with the choice's own min and max.
    Choice(&'static [(&'static str, TypeId)], u32, Max),
}

#[derive(Clone, Copy)]
enum Max {
    One,
    Unbounded,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TypeId {
    Project,
    Users,
    User,
    CodeBook,
    Codes,
    Code,
    Cases,
    Case,
    Variables,
    Variable,
    VariableValue,
    Sets,
    Set,
    Sources,
    TextSource,
    PlainTextSelection,
    PictureSource,
    PictureSelection,
    PdfSource,
    PdfSelection,
    AudioSource,
    AudioSelection,
    VideoSource,
    VideoSelection,
    Transcript,
    TranscriptSelection,
    SyncPoint,
    Coding,
    Graphs,
    Graph,
    Vertex,
    Edge,
    Notes,
    Links,
    Link,
    Ref,
    Str,
    Bool,
    Int,
    Dec,
    DateV,
    DateTimeV,
}

use Max::{One, Unbounded};
use Particle::{Choice, El};
use Simple as S;
use TypeId as T;

const GUID_REQ: (&str, Simple, bool) = ("guid", S::Guid, true);
const NAME_OPT: (&str, Simple, bool) = ("name", S::String, false);
const AUDIT: [(&str, Simple, bool); 4] = [
    ("creatingUser", S::Guid, false),
    ("creationDateTime", S::DateTime, false),
    ("modifyingUser", S::Guid, false),
    ("modifiedDateTime", S::DateTime, false),
];

const DIRECTION: &[&str] = &["Associative", "OneWay", "Bidirectional"];
const SHAPES: &[&str] = &[
    "Person",
    "Oval",
    "Rectangle",
    "RoundedRectangle",
    "Star",
    "LeftTriangle",
    "RightTriangle",
    "UpTriangle",
    "DownTriangle",
    "Note",
];
const LINE_STYLES: &[&str] = &["dotted", "dashed", "solid"];
const VARIABLE_TYPES: &[&str] = &["Text", "Boolean", "Integer", "Float", "Date", "DateTime"];

macro_rules! attrs {
    ($($a:expr),* $(,)?) => { &[$($a),*] };
}

const TEXT_SOURCE_ATTRS: &[(&str, Simple, bool)] = attrs![
    GUID_REQ,
    NAME_OPT,
    ("richTextPath", S::String, false),
    ("plainTextPath", S::String, false),
    AUDIT[0],
    AUDIT[1],
    AUDIT[2],
    AUDIT[3],
];
const MEDIA_SOURCE_ATTRS: &[(&str, Simple, bool)] = attrs![
    GUID_REQ,
    NAME_OPT,
    ("path", S::String, false),
    ("currentPath", S::String, false),
    AUDIT[0],
    AUDIT[1],
    AUDIT[2],
    AUDIT[3],
];
const SELECTION_TAIL: [Particle; 3] = [
    El("Description", T::Str, 0, One),
    El("Coding", T::Coding, 0, Unbounded),
    El("NoteRef", T::Ref, 0, Unbounded),
];
const BOX: [(&str, Simple, bool); 4] = [
    ("firstX", S::Integer, true),
    ("firstY", S::Integer, true),
    ("secondX", S::Integer, true),
    ("secondY", S::Integer, true),
];

fn type_of(id: TypeId) -> Type {
    match id {
        T::Project => Type {
            attrs: attrs![
                ("name", S::String, true),
                ("origin", S::String, false),
                ("creatingUserGUID", S::Guid, false),
                ("creationDateTime", S::DateTime, false),
                ("modifyingUserGUID", S::Guid, false),
                ("modifiedDateTime", S::DateTime, false),
                ("basePath", S::String, false),
            ],
            content: Content::Seq(&[
                El("Users", T::Users, 0, One),
                El("CodeBook", T::CodeBook, 0, One),
                El("Variables", T::Variables, 0, One),
                El("Cases", T::Cases, 0, One),
                El("Sources", T::Sources, 0, One),
                El("Notes", T::Notes, 0, One),
                El("Links", T::Links, 0, One),
                El("Sets", T::Sets, 0, One),
                El("Graphs", T::Graphs, 0, One),
                El("Description", T::Str, 0, One),
                El("NoteRef", T::Ref, 0, Unbounded),
            ]),
        },
        T::Users => seq(&[El("User", T::User, 1, Unbounded)]),
        T::User => Type {
            attrs: attrs![GUID_REQ, NAME_OPT, ("id", S::String, false)],
            content: Content::Empty,
        },
        T::CodeBook => seq(&[El("Codes", T::Codes, 1, One)]),
        T::Codes => seq(&[El("Code", T::Code, 1, Unbounded)]),
        T::Code => Type {
            attrs: attrs![
                GUID_REQ,
                ("name", S::String, true),
                ("isCodable", S::Boolean, true),
                ("color", S::Rgb, false),
            ],
            content: Content::Seq(&[
                El("Description", T::Str, 0, One),
                El("NoteRef", T::Ref, 0, Unbounded),
                El("Code", T::Code, 0, Unbounded),
            ]),
        },
        T::Cases => seq(&[El("Case", T::Case, 1, Unbounded)]),
        T::Case => Type {
            attrs: attrs![GUID_REQ, NAME_OPT],
            content: Content::Seq(&[
                El("Description", T::Str, 0, One),
                El("CodeRef", T::Ref, 0, Unbounded),
                El("VariableValue", T::VariableValue, 0, Unbounded),
                El("SourceRef", T::Ref, 0, Unbounded),
                El("SelectionRef", T::Ref, 0, Unbounded),
            ]),
        },
        T::Variables => seq(&[El("Variable", T::Variable, 1, Unbounded)]),
        T::Variable => Type {
            attrs: attrs![
                GUID_REQ,
                ("name", S::String, true),
                ("typeOfVariable", S::Enum(VARIABLE_TYPES), true),
            ],
            content: Content::Seq(&[El("Description", T::Str, 0, One)]),
        },
        T::VariableValue => seq(&[
            El("VariableRef", T::Ref, 1, One),
            // Every alternative has minOccurs="0", so the choice may be empty.
            Choice(
                &[
                    ("TextValue", T::Str),
                    ("BooleanValue", T::Bool),
                    ("IntegerValue", T::Int),
                    ("FloatValue", T::Dec),
                    ("DateValue", T::DateV),
                    ("DateTimeValue", T::DateTimeV),
                ],
                0,
                One,
            ),
        ]),
        T::Sets => seq(&[El("Set", T::Set, 1, Unbounded)]),
        T::Set => Type {
            attrs: attrs![GUID_REQ, ("name", S::String, true)],
            content: Content::Seq(&[
                El("Description", T::Str, 0, One),
                El("MemberCode", T::Ref, 0, Unbounded),
                El("MemberSource", T::Ref, 0, Unbounded),
                El("MemberNote", T::Ref, 0, Unbounded),
            ]),
        },
        T::Sources => seq(&[Choice(
            &[
                ("TextSource", T::TextSource),
                ("PictureSource", T::PictureSource),
                ("PDFSource", T::PdfSource),
                ("AudioSource", T::AudioSource),
                ("VideoSource", T::VideoSource),
            ],
            1,
            Unbounded,
        )]),
        T::TextSource => Type {
            attrs: TEXT_SOURCE_ATTRS,
            content: Content::Seq(&[
                El("Description", T::Str, 0, One),
                El("PlainTextContent", T::Str, 0, One),
                El("PlainTextSelection", T::PlainTextSelection, 0, Unbounded),
                El("Coding", T::Coding, 0, Unbounded),
                El("NoteRef", T::Ref, 0, Unbounded),
                El("VariableValue", T::VariableValue, 0, Unbounded),
            ]),
        },
        T::PlainTextSelection => Type {
            attrs: attrs![
                GUID_REQ,
                NAME_OPT,
                ("startPosition", S::Integer, true),
                ("endPosition", S::Integer, true),
                AUDIT[0],
                AUDIT[1],
                AUDIT[2],
                AUDIT[3],
            ],
            content: Content::Seq(&SELECTION_TAIL),
        },
        T::PictureSource => Type {
            attrs: MEDIA_SOURCE_ATTRS,
            content: Content::Seq(&[
                El("Description", T::Str, 0, One),
                El("TextDescription", T::TextSource, 0, One),
                El("PictureSelection", T::PictureSelection, 0, Unbounded),
                El("Coding", T::Coding, 0, Unbounded),
                El("NoteRef", T::Ref, 0, Unbounded),
                El("VariableValue", T::VariableValue, 0, Unbounded),
            ]),
        },
        T::PictureSelection => Type {
            attrs: attrs![
                GUID_REQ, NAME_OPT, BOX[0], BOX[1], BOX[2], BOX[3], AUDIT[0], AUDIT[1], AUDIT[2],
                AUDIT[3],
            ],
            content: Content::Seq(&SELECTION_TAIL),
        },
        T::PdfSource => Type {
            attrs: MEDIA_SOURCE_ATTRS,
            content: Content::Seq(&[
                El("Description", T::Str, 0, One),
                El("PDFSelection", T::PdfSelection, 0, Unbounded),
                El("Representation", T::TextSource, 0, One),
                El("Coding", T::Coding, 0, Unbounded),
                El("NoteRef", T::Ref, 0, Unbounded),
                El("VariableValue", T::VariableValue, 0, Unbounded),
            ]),
        },
        T::PdfSelection => Type {
            attrs: attrs![
                GUID_REQ,
                NAME_OPT,
                ("page", S::Integer, true),
                BOX[0],
                BOX[1],
                BOX[2],
                BOX[3],
                AUDIT[0],
                AUDIT[1],
                AUDIT[2],
                AUDIT[3],
            ],
            content: Content::Seq(&[
                El("Description", T::Str, 0, One),
                El("Representation", T::TextSource, 0, One),
                El("Coding", T::Coding, 0, Unbounded),
                El("NoteRef", T::Ref, 0, Unbounded),
            ]),
        },
        T::AudioSource | T::VideoSource => Type {
            attrs: MEDIA_SOURCE_ATTRS,
            content: Content::Seq(if id == T::AudioSource {
                &[
                    El("Description", T::Str, 0, One),
                    El("Transcript", T::Transcript, 0, Unbounded),
                    El("AudioSelection", T::AudioSelection, 0, Unbounded),
                    El("Coding", T::Coding, 0, Unbounded),
                    El("NoteRef", T::Ref, 0, Unbounded),
                    El("VariableValue", T::VariableValue, 0, Unbounded),
                ]
            } else {
                &[
                    El("Description", T::Str, 0, One),
                    El("Transcript", T::Transcript, 0, Unbounded),
                    El("VideoSelection", T::VideoSelection, 0, Unbounded),
                    El("Coding", T::Coding, 0, Unbounded),
                    El("NoteRef", T::Ref, 0, Unbounded),
                    El("VariableValue", T::VariableValue, 0, Unbounded),
                ]
            }),
        },
        T::AudioSelection | T::VideoSelection => Type {
            attrs: attrs![
                GUID_REQ,
                NAME_OPT,
                ("begin", S::Integer, true),
                ("end", S::Integer, true),
                AUDIT[0],
                AUDIT[1],
                AUDIT[2],
                AUDIT[3],
            ],
            content: Content::Seq(&SELECTION_TAIL),
        },
        T::Transcript => Type {
            attrs: TEXT_SOURCE_ATTRS,
            content: Content::Seq(&[
                El("Description", T::Str, 0, One),
                El("PlainTextContent", T::Str, 0, One),
                El("SyncPoint", T::SyncPoint, 0, Unbounded),
                El("TranscriptSelection", T::TranscriptSelection, 0, Unbounded),
                El("NoteRef", T::Ref, 0, Unbounded),
            ]),
        },
        T::TranscriptSelection => Type {
            attrs: attrs![
                GUID_REQ,
                NAME_OPT,
                ("fromSyncPoint", S::Guid, false),
                ("toSyncPoint", S::Guid, false),
                AUDIT[0],
                AUDIT[1],
                AUDIT[2],
                AUDIT[3],
            ],
            content: Content::Seq(&SELECTION_TAIL),
        },
        T::SyncPoint => Type {
            attrs: attrs![
                GUID_REQ,
                ("timeStamp", S::Integer, false),
                ("position", S::Integer, false),
            ],
            content: Content::Empty,
        },
        T::Coding => Type {
            attrs: attrs![
                GUID_REQ,
                ("creatingUser", S::Guid, false),
                ("creationDateTime", S::DateTime, false),
            ],
            content: Content::Seq(&[
                El("CodeRef", T::Ref, 1, One),
                El("NoteRef", T::Ref, 0, Unbounded),
            ]),
        },
        T::Graphs => seq(&[El("Graph", T::Graph, 1, Unbounded)]),
        T::Graph => Type {
            attrs: attrs![GUID_REQ, NAME_OPT],
            content: Content::Seq(&[
                El("Vertex", T::Vertex, 0, Unbounded),
                El("Edge", T::Edge, 0, Unbounded),
            ]),
        },
        T::Vertex => Type {
            attrs: attrs![
                GUID_REQ,
                ("representedGUID", S::Guid, false),
                NAME_OPT,
                ("firstX", S::Integer, true),
                ("firstY", S::Integer, true),
                ("secondX", S::Integer, false),
                ("secondY", S::Integer, false),
                ("shape", S::Enum(SHAPES), false),
                ("color", S::Rgb, false),
            ],
            content: Content::Empty,
        },
        T::Edge => Type {
            attrs: attrs![
                GUID_REQ,
                ("representedGUID", S::Guid, false),
                NAME_OPT,
                ("sourceVertex", S::Guid, true),
                ("targetVertex", S::Guid, true),
                ("color", S::Rgb, false),
                ("direction", S::Enum(DIRECTION), false),
                ("lineStyle", S::Enum(LINE_STYLES), false),
            ],
            content: Content::Empty,
        },
        T::Notes => seq(&[El("Note", T::TextSource, 1, Unbounded)]),
        T::Links => seq(&[El("Link", T::Link, 1, Unbounded)]),
        T::Link => Type {
            attrs: attrs![
                GUID_REQ,
                NAME_OPT,
                ("direction", S::Enum(DIRECTION), false),
                ("color", S::Rgb, false),
                ("originGUID", S::Guid, false),
                ("targetGUID", S::Guid, false),
            ],
            content: Content::Seq(&[El("NoteRef", T::Ref, 0, Unbounded)]),
        },
        T::Ref => Type {
            attrs: attrs![("targetGUID", S::Guid, true)],
            content: Content::Empty,
        },
        T::Str => text(S::String),
        T::Bool => text(S::Boolean),
        T::Int => text(S::Integer),
        T::Dec => text(S::Decimal),
        T::DateV => text(S::Date),
        T::DateTimeV => text(S::DateTime),
    }
}

fn seq(particles: &'static [Particle]) -> Type {
    Type {
        attrs: &[],
        content: Content::Seq(particles),
    }
}

fn text(simple: Simple) -> Type {
    Type {
        attrs: &[],
        content: Content::Text(simple),
    }
}

/// Checks `root` against the schema; the first problem found is returned.
pub(crate) fn validate(root: &Element) -> Result<(), SchemaProblem> {
    if root.name != "Project" {
        return Err(SchemaProblem::Invalid {
            place: shown_name(&root.name),
            detail: "the root element must be Project".into(),
        });
    }
    check(root, T::Project, "Project")
}

fn check(el: &Element, id: TypeId, place: &str) -> Result<(), SchemaProblem> {
    let ty = type_of(id);
    let invalid = |detail: String| SchemaProblem::Invalid {
        place: place.to_string(),
        detail,
    };
    for (name, value) in &el.attrs {
        let Some((_, simple, _)) = ty.attrs.iter().find(|(n, _, _)| n == name) else {
            return Err(invalid(format!(
                "the attribute \"{}\" is not allowed here",
                shown_name(name)
            )));
        };
        if !simple_ok(*simple, value) {
            return Err(invalid(format!(
                "the attribute \"{}\" is not a valid {}",
                shown_name(name),
                simple_name(*simple)
            )));
        }
    }
    for (name, _, required) in ty.attrs {
        if *required && el.attr(name).is_none() {
            return Err(invalid(format!(
                "the required attribute \"{name}\" is missing"
            )));
        }
    }
    match ty.content {
        Content::Empty => {
            if let Some(c) = el.children.first() {
                return Err(invalid(format!(
                    "the element \"{}\" is not allowed here",
                    shown_name(&c.name)
                )));
            }
            if !el.text.trim().is_empty() {
                return Err(invalid("text is not allowed here".into()));
            }
            Ok(())
        }
        Content::Text(simple) => {
            if let Some(c) = el.children.first() {
                return Err(invalid(format!(
                    "the element \"{}\" is not allowed inside text",
                    shown_name(&c.name)
                )));
            }
            if !simple_ok(simple, &el.text) {
                return Err(invalid(format!(
                    "the text is not a valid {}",
                    simple_name(simple)
                )));
            }
            Ok(())
        }
        Content::Seq(particles) => {
            if !el.text.trim().is_empty() {
                return Err(invalid("text is not allowed between elements here".into()));
            }
            let mut i = 0usize;
            let kids = &el.children;
            // Position of each child among its same-named siblings, for messages.
            let mut counts: std::collections::HashMap<String, usize> = Default::default();
            let mut child_place = |name: &str| -> String {
                let n = counts.entry(name.to_string()).or_insert(0);
                *n += 1;
                format!("{place}/{}[{n}]", shown_name(name))
            };
            for particle in particles {
                let (min, max) = match particle {
                    El(_, _, min, max) | Choice(_, min, max) => (*min, *max),
                };
                let mut taken = 0u32;
                while let Some(kid) = kids.get(i) {
                    if matches!(max, One) && taken == 1 {
                        break;
                    }
                    let ty = match particle {
                        El(name, ty, _, _) => (kid.name == *name).then_some(*ty),
                        Choice(options, _, _) => options
                            .iter()
                            .find(|(n, _)| kid.name == *n)
                            .map(|(_, t)| *t),
                    };
                    let Some(ty) = ty else { break };
                    let p = child_place(&kid.name);
                    check(kid, ty, &p)?;
                    taken += 1;
                    i += 1;
                }
                if taken < min {
                    let expected = match particle {
                        El(name, ..) => (*name).to_string(),
                        Choice(options, ..) => options
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(" or "),
                    };
                    return Err(invalid(format!("a required {expected} element is missing")));
                }
            }
            if let Some(kid) = kids.get(i) {
                return Err(invalid(format!(
                    "the element \"{}\" is not allowed here or is out of order",
                    shown_name(&kid.name)
                )));
            }
            Ok(())
        }
    }
}

fn simple_name(s: Simple) -> &'static str {
    match s {
        S::String => "string",
        S::Guid => "GUID",
        S::DateTime => "date and time (xsd:dateTime)",
        S::Date => "date (xsd:date)",
        S::Integer => "integer",
        S::Decimal => "decimal number",
        S::Boolean => "boolean (true, false, 1, 0)",
        S::Rgb => "colour (#RRGGBB)",
        S::Enum(_) => "value of its list",
    }
}

/// Whether `value` is in the lexical space of `simple` (after the
/// whitespace handling XSD applies: collapse for tokens and numbers).
fn simple_ok(simple: Simple, value: &str) -> bool {
    let v = value.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r'));
    match simple {
        S::String => true,
        S::Guid => {
            is_guid(v)
                || v.strip_prefix('{')
                    .and_then(|r| r.strip_suffix('}'))
                    .is_some_and(is_guid)
        }
        S::DateTime => is_xsd_datetime(v),
        S::Date => is_xsd_date(v),
        S::Integer => {
            let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        S::Decimal => {
            let body = v.strip_prefix(['+', '-']).unwrap_or(v);
            let (int, frac) = body.split_once('.').unwrap_or((body, ""));
            (!int.is_empty() || !frac.is_empty())
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        S::Boolean => matches!(v, "true" | "false" | "1" | "0"),
        S::Rgb => v.strip_prefix('#').is_some_and(|h| {
            (h.len() == 6 || h.len() == 3) && h.bytes().all(|b| b.is_ascii_hexdigit())
        }),
        S::Enum(values) => values.contains(&v),
    }
}

pub(crate) fn is_guid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// `xsd:date`: `-?YYYY-MM-DD` with an optional time zone.
fn is_xsd_date(v: &str) -> bool {
    let v = v.strip_prefix('-').unwrap_or(v);
    let (date, zone) = split_zone(v);
    valid_date(date) && zone_ok(zone)
}

/// `xsd:dateTime`: `-?YYYY-MM-DDThh:mm:ss(.s+)?` with an optional zone
/// (`Z` or `±hh:mm`); 24:00:00 is allowed as in XSD.
fn is_xsd_datetime(v: &str) -> bool {
    let v = v.strip_prefix('-').unwrap_or(v);
    let Some((date, rest)) = v.split_once('T') else {
        return false;
    };
    if !valid_date(date) {
        return false;
    }
    let (time, zone) = split_zone(rest);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let parts: Vec<&str> = hms.split(':').collect();
    let [h, m, s] = parts.as_slice() else {
        return false;
    };
    let num = |p: &str| -> Option<u32> {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (Some(h), Some(m), Some(s)) = (num(h), num(m), num(s)) else {
        return false;
    };
    let time_ok = (h < 24 && m < 60 && s < 60) || (h == 24 && m == 0 && s == 0);
    time_ok && zone_ok(zone)
}

fn split_zone(v: &str) -> (&str, &str) {
    if let Some(rest) = v.strip_suffix('Z') {
        return (rest, "Z");
    }
    if v.len() > 6 {
        let (a, b) = v.split_at(v.len() - 6);
        if b.starts_with(['+', '-']) && b.as_bytes().get(3) == Some(&b':') {
            return (a, b);
        }
    }
    (v, "")
}

fn zone_ok(zone: &str) -> bool {
    if zone.is_empty() || zone == "Z" {
        return true;
    }
    let b = zone.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let s = zone.get(i..i + 2)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    match (b.first(), two(1), two(4)) {
        (Some(b'+' | b'-'), Some(h), Some(m)) => (h < 14 && m < 60) || (h == 14 && m == 0),
        _ => false,
    }
}

fn valid_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let [y, m, day] = parts.as_slice() else {
        return false;
    };
    if y.len() < 4 || !y.bytes().all(|b| b.is_ascii_digit()) || (y.len() > 4 && y.starts_with('0'))
    {
        return false;
    }
    let n = |p: &str| -> Option<u32> {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (Some(m), Some(day), Ok(year)) = (n(m), n(day), y.parse::<u64>()) else {
        return false;
    };
    if year == 0 {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> String {
        format!("<?xml version=\"1.0\"?><Project xmlns=\"{NS}\" name=\"p\">{body}</Project>")
    }

    fn verdict(xml: &str) -> Result<(), SchemaProblem> {
        validate(&parse(xml)?)
    }

    const G: &str = "9d2c6f0e-1a2b-4c3d-8e4f-0123456789ab";

    #[test]
    fn accepts_a_minimal_and_a_fuller_project() {
        verdict(&doc("")).unwrap();
        let body = format!(
            "<Users><User guid=\"{G}\" name=\"u\"/></Users>\
             <CodeBook><Codes><Code guid=\"{G}\" name=\"c\" isCodable=\"true\">\
             <Code guid=\"{{{G}}}\" name=\"d\" isCodable=\"0\" color=\"#a0b\"/></Code></Codes></CodeBook>\
             <Sources><TextSource guid=\"{G}\" plainTextPath=\"internal://x.txt\" creationDateTime=\"2020-02-29T23:59:59.5+05:00\">\
             <Description/><PlainTextSelection guid=\"{G}\" startPosition=\"0\" endPosition=\"+3\">\
             <Coding guid=\"{G}\"><CodeRef targetGUID=\"{G}\"/></Coding></PlainTextSelection>\
             <VariableValue><VariableRef targetGUID=\"{G}\"/><IntegerValue> 7 </IntegerValue></VariableValue>\
             </TextSource><PDFSource guid=\"{G}\"/></Sources><Description>d</Description>"
        );
        verdict(&doc(&body)).unwrap();
        // A prefixed namespace is the same namespace.
        verdict(&format!(
            "<q:Project xmlns:q=\"{NS}\" name=\"p\"><q:Description/></q:Project>"
        ))
        .unwrap();
    }

    #[test]
    fn refuses_what_the_schema_refuses() {
        for (bad, why) in [
            ("<Project name=\"p\"/>".to_string(), "namespace"),
            (doc("<Sources/>"), "Sources needs a source"),
            (doc(&format!("<Users><User guid=\"{G}\"/></Users><Users><User guid=\"{G}\"/></Users>")), "two Users"),
            (doc(&format!("<CodeBook><Codes><Code guid=\"{G}\" name=\"c\"/></Codes></CodeBook>")), "isCodable"),
            (doc(&format!("<CodeBook><Codes><Code guid=\"{G}\" name=\"c\" isCodable=\"yes\"/></Codes></CodeBook>")), "boolean"),
            (doc("<Users><User guid=\"not-a-guid\"/></Users>"), "GUID"),
            (doc(&format!("<Users><User guid=\"{G}\" colour=\"x\"/></Users>")), "unknown attribute"),
            (doc(&format!("<Description/><Users><User guid=\"{G}\"/></Users>")), "order"),
            (doc("<Unknown/>"), "unknown element"),
            (doc(&format!("<Sources><TextSource guid=\"{G}\"><PlainTextSelection guid=\"{G}\" startPosition=\"1.5\" endPosition=\"2\"/></TextSource></Sources>")), "integer"),
            (doc(&format!("<Sources><TextSource guid=\"{G}\" creationDateTime=\"2021-02-29T00:00:00Z\"/></Sources>")), "date"),
            (doc("<Description><b/></Description>"), "element in text"),
            ("<!DOCTYPE x [<!ENTITY a \"b\">]><Project/>".to_string(), "doctype"),
            ("<Project".to_string(), "not XML"),
        ] {
            assert!(verdict(&bad).is_err(), "accepted ({why}): {bad}");
        }
    }
}
