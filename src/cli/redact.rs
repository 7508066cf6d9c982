//! `redact`: a text file or standard input through the vault's lexicon.
//!
//! A named file redacted to plain output is streamed: read in blocks that
//! end where the engine's chunks end ([`fieldvault_redact::chunk_len`]),
//! redacted on every core ([`Redactor`]), written out, forgotten; memory
//! stays the same whatever the file's size. Everything else (standard
//! input, `--explain`, `--suspects`, `--json`, text that is not UTF-8, a
//! line longer than a chunk) reads the whole text first. Both give the same
//! bytes: the engine's chunks, and so its results, are the same either way.

use super::args::RedactArgs;
use super::report::Report;
use super::session::Session;
use crate::records::decisions::{self, Decision};
use crate::review::apply::{apply_redacted, line_decisions, Applied};
use aho_corasick::AhoCorasick;
use anyhow::{bail, Context, Result};
use fieldvault_redact::{
    chunk_len, leak_check, redact_parallel, suspects, Lexicon, RedactOptions, Redactor,
};
use serde_json::json;
use std::io::{Read, Write};
use std::path::Path;
use zeroize::Zeroizing;

/// How many bytes a streamed read asks for at a time.
const READ_BLOCK: usize = 1 << 20;

/// How many engine chunks go to the cores per batch: enough for every core
/// to stay busy while the batch's slowest chunk finishes.
const CHUNKS_PER_THREAD: usize = 8;

/// The cores this process may use (`taskset` and container limits count).
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Whether `redact` with these arguments can stream its output.
pub fn streams(a: &RedactArgs) -> bool {
    !a.explain && !a.suspects && a.file.as_ref().is_some_and(|p| p.as_os_str() != "-")
}

/// `redact FILE` to plain output, streamed (see the module docs). Falls
/// back to [`run`] when the file is not UTF-8 or has a line longer than an
/// engine chunk, before anything is written.
pub fn stream(s: &Session, a: &RedactArgs) -> Result<()> {
    let Some(path) = a.file.as_deref() else {
        bail!("no file to redact");
    };
    if !streamable(path)? {
        run(s, a)?.print(false);
        return Ok(());
    }
    let lex = crate::lexicon::build(s.conn(), &[])?;
    let words = DecisionWords::load(s.conn())?;
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = std::io::BufWriter::with_capacity(READ_BLOCK, std::io::stdout().lock());
    let threads = threads();
    let mut redactor = Redactor::new(&lex, &RedactOptions::default(), threads);
    let batch = threads * CHUNKS_PER_THREAD;
    let mut buf = Zeroizing::new(Vec::<u8>::with_capacity(2 * READ_BLOCK));
    let mut block = Zeroizing::new(vec![0u8; READ_BLOCK]);
    let mut first = true;
    let mut eof = false;
    // Bytes of the text already written, redacted.
    let mut consumed = 0usize;
    while !(eof && buf.is_empty()) {
        // Read until a whole batch of chunks is known, or the end.
        let mut cut = Vec::new();
        loop {
            let valid = match std::str::from_utf8(&buf) {
                Ok(t) => t,
                Err(e) if e.error_len().is_none() => {
                    std::str::from_utf8(&buf[..e.valid_up_to()]).unwrap_or_default()
                }
                Err(_) => bail!("{} changed while it was read", path.display()),
            };
            let complete = eof && valid.len() == buf.len();
            let mut at = cut.last().copied().unwrap_or(0);
            while cut.len() < batch {
                match chunk_len(&valid[at..], complete) {
                    Some(0) | None => break,
                    Some(n) => {
                        at += n;
                        cut.push(at);
                    }
                }
            }
            if cut.len() >= batch || complete {
                break;
            }
            if eof {
                bail!("{} changed while it was read", path.display());
            }
            let n = read_some(&mut file, &mut block, path)?;
            if n == 0 {
                eof = true;
            }
            let mut got = &block[..n];
            if first && !got.is_empty() {
                first = false;
                got = got.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(got);
            }
            buf.extend_from_slice(got);
        }
        let Some(&end) = cut.last() else {
            break;
        };
        let text = std::str::from_utf8(&buf[..end]).unwrap_or_default();
        let mut from = 0;
        let pieces: Vec<&str> = cut
            .iter()
            .map(|&e| {
                let p = &text[from..e];
                from = e;
                p
            })
            .collect();
        let mut red = redactor.redact_pieces(&pieces);
        for r in &mut red.replacements {
            r.start -= consumed;
            r.end -= consumed;
        }
        let applied = apply_redacted(text, red, &words.for_text(s.conn(), text)?);
        out.write_all(applied.text.as_bytes())
            .context("cannot write the redacted text")?;
        consumed += end;
        buf.drain(..end);
    }
    out.flush().context("cannot write the redacted text")?;
    Ok(())
}

/// Reads what is there, up to a block.
fn read_some(file: &mut std::fs::File, block: &mut [u8], path: &Path) -> Result<usize> {
    loop {
        match file.read(block) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }
}

/// Whether `path` can be streamed: UTF-8 throughout, and no line longer
/// than an engine chunk (a review decision is about a whole line, and only
/// a line that long could be cut between two batches). Read once, in
/// blocks, before anything is written.
fn streamable(path: &Path) -> Result<bool> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut block = Zeroizing::new(vec![0u8; READ_BLOCK]);
    // Bytes of an incomplete UTF-8 sequence carried to the next block.
    let mut carry: Vec<u8> = Vec::new();
    let mut joined = Zeroizing::new(Vec::<u8>::with_capacity(READ_BLOCK + 4));
    let mut line = 0usize;
    loop {
        let n = read_some(&mut file, &mut block, path)?;
        if n == 0 {
            return Ok(carry.is_empty());
        }
        joined.clear();
        joined.extend_from_slice(&carry);
        joined.extend_from_slice(&block[..n]);
        carry.clear();
        match std::str::from_utf8(&joined) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => {
                carry.extend_from_slice(&joined[e.valid_up_to()..])
            }
            Err(_) => return Ok(false),
        }
        for &b in &block[..n] {
            if b == b'\n' {
                line = 0;
            } else {
                line += 1;
                if line > fieldvault_redact::CHUNK_BYTES {
                    return Ok(false);
                }
            }
        }
    }
}

/// The words of every review decision, to find the few lines of a large
/// text that may have one before asking the vault about each line.
struct DecisionWords {
    /// None when there is no decision, or when every line must be asked
    /// about (a decision with an empty word).
    finder: Option<AhoCorasick>,
    every_line: bool,
}

impl DecisionWords {
    fn load(conn: &rusqlite::Connection) -> Result<DecisionWords> {
        let all = decisions::list(conn)?;
        let every_line = all.iter().any(|d| d.word.is_empty());
        let mut words: Vec<&str> = all.iter().map(|d| d.word.as_str()).collect();
        words.sort_unstable();
        words.dedup();
        let finder = if words.is_empty() || every_line {
            None
        } else {
            Some(AhoCorasick::new(&words).context("cannot index the review decisions")?)
        };
        Ok(DecisionWords { finder, every_line })
    }

    /// The decisions about the lines of `text` (offsets within `text`),
    /// exactly as [`crate::review::apply::free_text`] finds them: a line
    /// that contains no decision's word has none, and is not asked about.
    fn for_text(&self, conn: &rusqlite::Connection, text: &str) -> Result<Vec<Decision>> {
        let mut out = Vec::new();
        if self.finder.is_none() && !self.every_line {
            return Ok(out);
        }
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let ask = self.every_line || self.finder.as_ref().is_some_and(|f| f.is_match(line));
            if ask {
                for mut d in line_decisions(conn, line)? {
                    d.start += at;
                    out.push(d);
                }
            }
            at += line.len();
        }
        Ok(out)
    }
}

pub fn run(s: &Session, a: &RedactArgs) -> Result<Report> {
    let bytes = Zeroizing::new(match &a.file {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?
        }
        _ => {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .context("cannot read standard input")?;
            b
        }
    });
    // UTF-8 input is redacted exactly as it is (no newline or Unicode
    // normalisation), so that everything but the replacements stays
    // byte-identical; other encodings are decoded first.
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&bytes);
    let text = Zeroizing::new(match std::str::from_utf8(body) {
        Ok(t) => t.to_string(),
        Err(_) => {
            fieldvault_import::decode_text(&bytes)
                .context("the input is not readable text")?
                .0
        }
    });
    let lex = crate::lexicon::build(s.conn(), &[])?;
    // The researcher's review decisions hold here too: a line that is a
    // reviewed turn's text gets that turn's answers.
    let red = redact_all(s, &lex, &text)?;
    let sus = if a.suspects {
        suspects(&lex, &red.text)
    } else {
        Vec::new()
    };
    let mut notes = Vec::new();
    if a.explain {
        for r in &red.spans {
            notes.push(format!(
                "{}..{}  {:?} -> {}  ({})",
                r.start,
                r.end,
                &text[r.start..r.end],
                r.replacement,
                reason_text(&r.why)
            ));
        }
        notes.push(format!("{} replacement(s)", red.spans.len()));
    }
    // What the leak check (the matcher again, and the independent second
    // detector) still finds in the output: an export of it would refuse.
    let leaks = if a.explain {
        leak_check(&lex, &red.text)
    } else {
        Vec::new()
    };
    for l in &leaks {
        notes.push(format!(
            "leak: {}..{} of the output  {:?}  ({}): an export would refuse; register the form or allow the word",
            l.start,
            l.end,
            &red.text[l.start..l.end],
            engine_reason(&l.reason)
        ));
    }
    if a.suspects {
        for x in &sus {
            notes.push(format!("suspect: {} (at {})", x.word, x.start));
        }
        notes.push(format!("{} suspect(s): unregistered capitalised words; register real people with `person add` or `term add`", sus.len()));
    }
    let replacements: Vec<serde_json::Value> = red
        .spans
        .iter()
        .map(|r| json!({ "start": r.start, "end": r.end, "original": &text[r.start..r.end], "replacement": r.replacement, "reason": reason_text(&r.why) }))
        .collect();
    let leaks: Vec<serde_json::Value> = leaks
        .iter()
        .map(|l| json!({ "start": l.start, "end": l.end, "reason": engine_reason(&l.reason) }))
        .collect();
    let json = json!({ "text": red.text, "replacements": replacements, "leaks": leaks, "suspects": sus.iter().map(|x| json!({ "word": x.word, "start": x.start, "end": x.end })).collect::<Vec<_>>() });
    Ok(Report::verbatim(red.text, json).notes(notes))
}

fn reason_text(why: &crate::review::apply::Why) -> String {
    match why {
        crate::review::apply::Why::Engine(r) => engine_reason(r),
        crate::review::apply::Why::Decision(id) => {
            format!("review decision {id}: redacted in this place")
        }
    }
}

fn engine_reason(r: &fieldvault_redact::Reason) -> String {
    match r {
        fieldvault_redact::Reason::Person { key, form } => format!("person {key}, {form}"),
        fieldvault_redact::Reason::Term { key } => key.clone(),
        fieldvault_redact::Reason::Pattern(k) => format!("pattern: {k}"),
        fieldvault_redact::Reason::UnregisteredName => {
            "likely an unregistered person's name".into()
        }
        fieldvault_redact::Reason::Ambiguous { pseudonyms, .. } => format!(
            "a name several registered persons share, nothing in the text says whose: one of {}",
            pseudonyms.join(", ")
        ),
    }
}

/// The whole of `text` redacted on every core, with the review decisions
/// about its lines: the same as [`crate::review::apply::free_text`].
fn redact_all(s: &Session, lex: &Lexicon, text: &str) -> Result<Applied> {
    let words = DecisionWords::load(s.conn())?;
    let red = redact_parallel(lex, text, &RedactOptions::default(), threads());
    Ok(apply_redacted(text, red, &words.for_text(s.conn(), text)?))
}
