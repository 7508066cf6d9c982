//! A tiny, strict XML writer: it escapes everything, refuses characters XML
//! 1.0 cannot hold, and closes elements in order.

use crate::text::is_xml_char;
use crate::ExportError;

pub(crate) struct Xml {
    out: String,
    /// Open elements, each with whether it has child elements yet.
    stack: Vec<(&'static str, bool)>,
    pretty: bool,
    format: &'static str,
}

pub(crate) type Attrs<'a> = &'a [(&'static str, &'a str)];

impl Xml {
    /// A new document with the XML declaration. `pretty` indents
    /// element-only content (never inside text); `format` names the file
    /// type in error messages.
    pub(crate) fn new(pretty: bool, format: &'static str) -> Self {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"),
            stack: Vec::new(),
            pretty,
            format,
        }
    }

    fn indent(&mut self) {
        if self.pretty {
            if !self.out.ends_with('\n') {
                self.out.push('\n');
            }
            for _ in 0..self.stack.len() {
                self.out.push_str("  ");
            }
        }
    }

    fn mark_parent(&mut self) {
        if let Some(top) = self.stack.last_mut() {
            top.1 = true;
        }
    }

    fn start_tag(&mut self, name: &'static str, attrs: Attrs<'_>) -> Result<(), ExportError> {
        self.mark_parent();
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v, true, self.format)?;
            self.out.push('"');
        }
        Ok(())
    }

    /// `<name attrs>`; must be matched by [`Xml::close`].
    pub(crate) fn open(&mut self, name: &'static str, attrs: Attrs<'_>) -> Result<(), ExportError> {
        self.start_tag(name, attrs)?;
        self.out.push('>');
        self.stack.push((name, false));
        Ok(())
    }

    /// `<name attrs/>`.
    pub(crate) fn empty(
        &mut self,
        name: &'static str,
        attrs: Attrs<'_>,
    ) -> Result<(), ExportError> {
        self.start_tag(name, attrs)?;
        self.out.push_str("/>");
        Ok(())
    }

    /// Escaped character data inside the current element.
    pub(crate) fn text(&mut self, s: &str) -> Result<(), ExportError> {
        escape_into(&mut self.out, s, false, self.format)
    }

    /// `<name attrs>text</name>`.
    pub(crate) fn leaf(
        &mut self,
        name: &'static str,
        attrs: Attrs<'_>,
        text: &str,
    ) -> Result<(), ExportError> {
        self.open(name, attrs)?;
        self.text(text)?;
        self.close()
    }

    /// Closes the innermost open element.
    pub(crate) fn close(&mut self) -> Result<(), ExportError> {
        let Some((name, had_children)) = self.stack.pop() else {
            return Err(self.internal("closed more elements than were opened"));
        };
        if had_children {
            self.indent();
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        Ok(())
    }

    /// The finished document (ending in a newline).
    pub(crate) fn finish(mut self) -> Result<String, ExportError> {
        if !self.stack.is_empty() {
            return Err(self.internal("left elements open"));
        }
        self.out.push('\n');
        Ok(self.out)
    }

    fn internal(&self, what: &str) -> ExportError {
        ExportError::Assemble {
            format: self.format,
            detail: format!("internal error: the XML writer {what}"),
        }
    }
}

/// Escapes `s` for element content (`attr == false`) or a double-quoted
/// attribute value. Line breaks and tabs in attributes become character
/// references so that attribute-value normalisation keeps them; a carriage
/// return is always a reference so that end-of-line handling keeps it.
fn escape_into(
    out: &mut String,
    s: &str,
    attr: bool,
    format: &'static str,
) -> Result<(), ExportError> {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            c => {
                return Err(ExportError::ControlCharacter {
                    place: "the export".to_string(),
                    codepoint: u32::from(c),
                    format,
                })
            }
        }
    }
    Ok(())
}

/// Checks that every character of `s` fits in XML, naming `place` otherwise.
pub(crate) fn check(
    place: impl FnOnce() -> String,
    s: &str,
    format: &'static str,
) -> Result<(), ExportError> {
    match crate::text::first_non_xml_char(s) {
        None => Ok(()),
        Some(c) => Err(ExportError::ControlCharacter {
            place: place(),
            codepoint: u32::from(c),
            format,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut x = Xml::new(false, "test");
        x.open("a", &[("v", "\"<&>\n\t\r'")]).unwrap();
        x.text("<b>&amp; ]]> \"q\" 'a'\r\nz").unwrap();
        x.empty("c", &[]).unwrap();
        x.close().unwrap();
        let s = x.finish().unwrap();
        assert!(s.ends_with(
            "<a v=\"&quot;&lt;&amp;&gt;&#10;&#9;&#13;'\">&lt;b&gt;&amp;amp; ]]&gt; \"q\" 'a'&#13;\nz<c/></a>\n"
        ));
    }

    #[test]
    fn refuses_control_characters_and_unbalanced_documents() {
        let mut x = Xml::new(true, "test");
        assert!(matches!(
            x.text("a\u{0}b"),
            Err(ExportError::ControlCharacter { codepoint: 0, .. })
        ));
        let mut y = Xml::new(true, "test");
        y.open("a", &[]).unwrap();
        assert!(y.finish().is_err());
        let mut z = Xml::new(true, "test");
        assert!(z.close().is_err());
    }
}
