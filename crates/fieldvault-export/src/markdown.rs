//! Markdown: the "quote / attribution / original" layout.
//!
//! Layout (see docs/export-formats.md): a `#` title and an "Exported ..." line, then one
//! `##` section per tag (sorted). A quote is listed once, under its first
//! tag, and an "Also tagged: ..." line names its other tags, so that nobody
//! counts a quote twice; [`RenderOptions::by_tag`] lists it under each of
//! its tags instead. Quotes without tags come last under "Untagged". Per
//! quote: the translation as a block quote (or the original if there is
//! none), the attribution line after an em dash, then "Original in
//! Russian:" and the original as a block quote; quotes in a section are
//! separated by a thematic break (`* * *`) so that no renderer merges two
//! block quotes. Interview dates, ids and notes are left out on purpose:
//! this is the paste-into-a-paper format, and dates help re-identify people.
//!
//! Everything that came from the vault is escaped so that it is shown as
//! text and cannot become a heading, list, link, image, HTML, code, table,
//! emphasis or math (CommonMark, GitHub and Pandoc syntax), and only where
//! the character would otherwise change the rendering: the raw file stays
//! readable ("[Respondent 2] said - twice").

use crate::{is_english, language_label, other_tags, sections, Publication, Quote, RenderOptions};

pub(crate) fn render(p: &Publication, options: &RenderOptions) -> String {
    let mut out = String::new();
    let title = if p.title.trim().is_empty() {
        "Quote set"
    } else {
        p.title.as_str()
    };
    out.push_str("# ");
    out.push_str(&heading_text(title));
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
    for (heading, quotes) in sections(p, options.by_tag) {
        out.push_str("## ");
        out.push_str(&heading_text(heading));
        out.push_str("\n\n");
        for (i, q) in quotes.into_iter().enumerate() {
            if i > 0 {
                // Pandoc and Markdown.pl would merge adjacent block quotes.
                out.push_str("* * *\n\n");
            }
            quote(&mut out, q);
            let others = other_tags(q, heading);
            if !others.is_empty() {
                let names: Vec<String> = others.iter().map(|t| single_line(t)).collect();
                out.push_str(&format!("Also tagged: {}\n\n", names.join(", ")));
            }
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
    escape(&flatten(s), Context::Text)
}

/// `s` on one line, escaped for the inside of an ATX heading, where `#` and
/// `{` also mean something (closing sequence, Pandoc heading attributes).
fn heading_text(s: &str) -> String {
    escape(&flatten(s), Context::Heading)
}

fn flatten(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => ' ',
            c => c,
        })
        .collect()
}

/// Where an escaped piece of text goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// A line of a paragraph or block quote.
    Text,
    /// The text of an ATX heading.
    Heading,
}

/// Escapes one line of a paragraph or block quote so that Markdown shows it
/// literally; see [`escape`].
pub(crate) fn escape_line(line: &str) -> String {
    escape(line, Context::Text)
}

/// Escapes one line so that CommonMark, GitHub and Pandoc Markdown show it
/// literally, with a backslash only where the character would otherwise
/// change the rendering. Leading and trailing white space is dropped
/// (leading spaces would make a code block).
///
/// * always: `` \ ` `` (backslash escapes, Pandoc raw TeX, code spans);
/// * `* _ ~ ^ $` unless white space is on both sides (then they can neither
///   open nor close emphasis, strikethrough, sub/superscript or math), and
///   `_` also not between two letters or digits (intraword);
/// * `<` before an ASCII character other than a space (HTML, autolinks);
/// * `&` that would start an entity (`&amp;`, `&#38;`);
/// * `[` before `[` (wiki links); `]` before `(`, `[`, `{` (links, spans)
///   and `:` (reference definitions);
/// * `@` before a letter, digit, `_` or `{` (Pandoc citations, e-mail
///   autolinks);
/// * `:` in `://` and `.` in `www.` (URL autolinks);
/// * at the start of the line: `>` and `|` always; `#` before a space, `#`
///   or `.`; `-` before a space, `-`, `|` or `:`; `+` before a space, `+`,
///   `-` or `=`; `=` before a space or `=`; `:` always (definition lists); the `.` or `)` of a list number or letter (`1.`, `a)`, `iv.`)
///   before a space; the `(` of `(1)`, `(a)`, `(@)` before a space;
/// * in headings also every `#` and `{`.
///
/// A character at the end of the piece counts as followed by something
/// unknown, so the rule is applied as if the worst followed.
fn escape(line: &str, context: Context) -> String {
    let chars: Vec<char> = line.trim().chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let space_or_end = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let space = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let marker_delimiter = list_marker_delimiter(&chars);
    let paren_marker = chars.first() == Some(&'(') && paren_list_marker(&chars);
    let mut out = String::with_capacity(line.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(at);
        let next = at(i + 1);
        let start = i == 0;
        let inert = space(prev) && space(next);
        let escape = match c {
            '\\' | '`' => true,
            '*' | '~' | '^' | '$' => !inert,
            '_' => !(inert || alnum(prev) && alnum(next)),
            '<' => next.is_none_or(|n| n.is_ascii() && !n.is_whitespace()),
            '&' => starts_entity(&chars, i),
            '[' => next == Some('['),
            // `]:` also across lines: a reference label may span them.
            ']' => matches!(next, Some('(' | '[' | '{' | ':')),
            '@' => next.is_none_or(|n| n.is_alphanumeric() || n == '_' || n == '{'),
            '#' if context == Context::Heading => true,
            '{' if context == Context::Heading => true,
            '>' | '|' if start => true,
            '#' if start => space_or_end(next) || matches!(next, Some('#' | '.')),
            '-' if start => space_or_end(next) || matches!(next, Some('-' | '|' | ':')),
            '+' if start => space_or_end(next) || matches!(next, Some('+' | '-' | '=')),
            '=' if start => space_or_end(next) || next == Some('='),
            ':' if start => true,
            '(' if start => paren_marker,
            '.' | ')' if Some(i) == marker_delimiter => true,
            ':' => next == Some('/') && at(i + 2) == Some('/'),
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

/// The index of the `.` or `)` that makes the start of `chars` a list
/// marker: up to nine digits (CommonMark), one ASCII letter or a Roman
/// numeral (Pandoc's fancy lists), followed by a space or the end.
fn list_marker_delimiter(chars: &[char]) -> Option<usize> {
    let len = chars
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    let token = chars.get(..len)?;
    let numeric = (1..=9).contains(&len) && token.iter().all(char::is_ascii_digit);
    let letter = len == 1 && token.iter().all(char::is_ascii_alphabetic);
    let roman = len >= 1
        && (token.iter().all(|c| "ivxlcdm".contains(*c))
            || token.iter().all(|c| "IVXLCDM".contains(*c)));
    let delimited = matches!(chars.get(len), Some('.' | ')'))
        && chars.get(len + 1).is_none_or(|c| c.is_whitespace());
    ((numeric || letter || roman) && delimited).then_some(len)
}

/// Whether `chars` (starting with `(`) opens with a Pandoc list marker such
/// as `(1)`, `(a)`, `(iv)` or `(@)`/`(@label)`, followed by a space or the
/// end.
fn paren_list_marker(chars: &[char]) -> bool {
    let Some(close) = chars.iter().position(|&c| c == ')') else {
        return false;
    };
    let inner = chars.get(1..close).unwrap_or_default();
    !inner.is_empty()
        && inner.len() <= 10
        && inner
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == '@' || *c == '_' || *c == '-')
        && chars.get(close + 1).is_none_or(|c| c.is_whitespace())
}

/// Whether the `&` at `i` starts an HTML entity or numeric character
/// reference (`&name;`, `&#123;`, `&#x1F;`).
fn starts_entity(chars: &[char], i: usize) -> bool {
    let body = chars
        .iter()
        .skip(i + 1)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    body > 0 && chars.get(i + 1 + body) == Some(&';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_line_starts_and_inline_syntax() {
        assert_eq!(escape_line("# head"), "\\# head");
        assert_eq!(escape_line("#hashtag"), "#hashtag");
        assert_eq!(escape_line("   - item"), "\\- item");
        assert_eq!(escape_line("-Сказал он"), "-Сказал он");
        assert_eq!(escape_line("---"), "\\---");
        assert_eq!(escape_line("+ item"), "\\+ item");
        assert_eq!(escape_line("+7 701"), "+7 701");
        assert_eq!(escape_line("==="), "\\===");
        assert_eq!(escape_line("=СУММ(А1)"), "=СУММ(А1)");
        assert_eq!(escape_line(": definition"), "\\: definition");
        assert_eq!(escape_line("12. item"), "12\\. item");
        assert_eq!(escape_line("3) item"), "3\\) item");
        assert_eq!(escape_line("2021. year"), "2021\\. year");
        assert_eq!(escape_line("1.5 million"), "1.5 million");
        assert_eq!(escape_line("a. item"), "a\\. item");
        assert_eq!(escape_line("iv) item"), "iv\\) item");
        assert_eq!(escape_line("(1) item"), "\\(1) item");
        assert_eq!(escape_line("(@) example"), "\\(@) example");
        assert_eq!(escape_line("(so to say) yes"), "(so to say) yes");
        assert_eq!(escape_line("> quote"), "\\> quote");
        assert_eq!(escape_line("| a | b |"), "\\| a | b |");
        assert_eq!(escape_line("a - b = c"), "a - b = c");
        assert_eq!(
            escape_line("[x](y) <b> &amp; [[wiki]]"),
            "[x\\](y) \\<b> \\&amp; \\[[wiki]]"
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
            "\\@key \\$x\\$ \\^a\\^ \\~b\\~ {#id}"
        );
        assert_eq!(heading_text("tag {#id} ##"), "tag \\{\\#id} \\#\\#");
    }

    #[test]
    fn ordinary_interview_text_needs_no_backslash() {
        for plain in [
            "[Respondent 2] said: it's 50% - maybe (a) & b, or a * b.",
            "Мы пришли в [an independent NGO], и нас <не> ждали!",
            "snake_case and 3 < 4 > 2, A & B; price 5 $ each",
            "- no, \"quoted\" 'text' — em dash… and a ! mark ?",
            "e-mail me @ noon; #1 priority; [Respondent 7]: yes",
        ] {
            let escaped = escape_line(plain);
            let backslashes = escaped.matches('\\').count();
            assert!(backslashes <= 1, "{plain:?} became {escaped:?}");
        }
        assert_eq!(
            escape_line("[Respondent 2] and [a place] met"),
            "[Respondent 2] and [a place] met"
        );
    }

    #[test]
    fn blockquotes_keep_line_breaks() {
        assert_eq!(blockquote("a\nb\n\nc"), "> a\\\n> b\n>\n> c");
        assert_eq!(blockquote("\n\n  x  \n\n"), "> x");
        assert_eq!(blockquote(""), ">");
    }
}
