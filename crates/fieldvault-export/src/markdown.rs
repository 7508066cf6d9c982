//! Markdown: the "quote / attribution / original" layout.
//!
//! Layout (see docs/export-formats.md): a `#` title and an "Exported ..." line, then one
//! `##` section per tag (sorted), each holding every quote with that tag in
//! input order, so a quote with several tags appears in each of their
//! sections; quotes without tags come last under "Untagged". Per quote: the
//! translation as a block quote (or the original if there is none), the
//! attribution line after an em dash, then "Original in Russian:" and the
//! original as a block quote; quotes in a section are separated by a
//! thematic break (`* * *`) so that no renderer merges two block quotes.
//! Interview dates, ids and notes are left out on purpose: this is the
//! paste-into-a-paper format, and dates help re-identify people.
//!
//! Everything that came from the vault is escaped so that it is shown as
//! text and cannot become a heading, list, link, image, HTML, code, table,
//! emphasis or math (CommonMark, GitHub and Pandoc syntax).

use crate::{is_english, language_label, sections, Publication, Quote};

pub(crate) fn render(p: &Publication) -> String {
    let mut out = String::new();
    let title = if p.title.trim().is_empty() {
        "Quote set"
    } else {
        p.title.as_str()
    };
    out.push_str("# ");
    out.push_str(&single_line(title));
    out.push_str("\n\n");
    let n = p.quotes.len();
    out.push_str(&format!(
        "Exported {} · {} {}\n\n",
        single_line(&p.created),
        n,
        if n == 1 { "quote" } else { "quotes" }
    ));
    if p.quotes.is_empty() {
        out.push_str("No quotes.\n");
        return out;
    }
    for (heading, quotes) in sections(p) {
        out.push_str("## ");
        out.push_str(&single_line(heading));
        out.push_str("\n\n");
        for (i, q) in quotes.into_iter().enumerate() {
            if i > 0 {
                // Pandoc and Markdown.pl would merge adjacent block quotes.
                out.push_str("* * *\n\n");
            }
            quote(&mut out, q);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn quote(out: &mut String, q: &Quote) {
    let shown = q.translation.as_deref().unwrap_or(&q.original);
    out.push_str(&blockquote(shown));
    out.push_str("\n\n");
    let attribution = q.attribution.trim();
    let attribution = attribution
        .strip_prefix('—')
        .map(str::trim_start)
        .unwrap_or(attribution);
    out.push_str("— ");
    out.push_str(&single_line(attribution));
    out.push_str("\n\n");
    let language = single_line(language_label(q));
    if q.translation.is_some() {
        out.push_str(&format!("Original in {language}:\n\n"));
        out.push_str(&blockquote(&q.original));
        out.push_str("\n\n");
    } else if !is_english(&q.language) {
        out.push_str(&format!("(Original in {language}, not translated.)\n\n"));
    }
}

/// `text` as a block quote: every line escaped and prefixed with `> `,
/// line breaks kept as hard breaks (a trailing backslash), blank lines kept
/// as paragraph breaks.
fn blockquote(text: &str) -> String {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = normalised.split('\n').map(escape_line).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return ">".to_string();
    };
    let body = lines.get(first..=last).unwrap_or_default();
    let mut out = String::new();
    for (i, line) in body.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.is_empty() {
            out.push('>');
            continue;
        }
        out.push_str("> ");
        out.push_str(line);
        if body.get(i + 1).is_some_and(|next| !next.is_empty()) {
            out.push('\\');
        }
    }
    out
}

/// `s` on one line (line breaks become spaces), escaped.
fn single_line(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => ' ',
            c => c,
        })
        .collect();
    escape_line(&flat)
}

/// Escapes one line of text so that Markdown shows it literally. Leading
/// and trailing white space is dropped (leading spaces would make code
/// blocks). Characters with inline meaning are always backslash-escaped;
/// characters that only mean something at the start of a line (`-`, `+`,
/// `=`, `:`, and the `.`/`)` of `1.`) are escaped there; `:` before `//`
/// and `.` after `www` are escaped so that URLs are not turned into links.
pub(crate) fn escape_line(line: &str) -> String {
    let chars: Vec<char> = line.trim().chars().collect();
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let list_marker =
        (1..=9).contains(&digits) && matches!(chars.get(digits), Some('.') | Some(')'));
    let mut out = String::with_capacity(line.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '$' | '^'
            | '@' | '{' | '}' => true,
            '-' | '+' | '=' | ':' if i == 0 => true,
            '.' | ')' if list_marker && i == digits => true,
            ':' => chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'/'),
            '.' => {
                i >= 3
                    && chars
                        .get(i - 3..i)
                        .is_some_and(|w| w.iter().all(|c| c.eq_ignore_ascii_case(&'w')))
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_line_starts_and_inline_syntax() {
        assert_eq!(escape_line("# head"), "\\# head");
        assert_eq!(escape_line("   - item"), "\\- item");
        assert_eq!(escape_line("+ item"), "\\+ item");
        assert_eq!(escape_line("==="), "\\===");
        assert_eq!(escape_line("12. item"), "12\\. item");
        assert_eq!(escape_line("3) item"), "3\\) item");
        assert_eq!(escape_line("2021. year"), "2021\\. year");
        assert_eq!(escape_line("a - b = c"), "a - b = c");
        assert_eq!(
            escape_line("[x](y) <b> &amp;"),
            "\\[x\\](y) \\<b\\> \\&amp;"
        );
        assert_eq!(
            escape_line("see https://x.org or www.y.org"),
            "see https\\://x.org or www\\.y.org"
        );
        assert_eq!(escape_line("time 10:30"), "time 10:30");
        assert_eq!(escape_line("back\\slash"), "back\\\\slash");
        // Pandoc citations, math, super/subscript, attributes.
        assert_eq!(
            escape_line("@key $x$ ^a^ ~b~ {#id}"),
            "\\@key \\$x\\$ \\^a\\^ \\~b\\~ \\{\\#id\\}"
        );
    }

    #[test]
    fn blockquotes_keep_line_breaks() {
        assert_eq!(blockquote("a\nb\n\nc"), "> a\\\n> b\n>\n> c");
        assert_eq!(blockquote("\n\n  x  \n\n"), "> x");
        assert_eq!(blockquote(""), ">");
    }
}
