//! Measures the review questions on the evaluation corpora: open questions
//! per 1,000 words, the share of them that are true unregistered names, and
//! the share of unregistered person mentions that were replaced or asked
//! about. Uses the same functions as `review list` (redaction with
//! decisions, then `questions::find`), on each turn's text as the vault
//! would store it.
//!
//!     cargo run --release --example review_eval -- ../shared/eval
//!
//! public: the registered persons and terms of `persons.json`/`terms.json`;
//! the true unregistered names are the gold items of category
//! `unregistered_name`. news-dev: NOBODY registered; every person-mention
//! token is an unregistered name.

use fieldvault::review::{apply, questions};
use fieldvault_redact::{Lexicon, LexiconSource, PersonSource, Reason, TermKind, TermSource};
use serde_json::Value;
use std::path::Path;

#[derive(Default)]
struct Score {
    words: usize,
    questions: usize,
    true_questions: usize,
    names: usize,
    covered: usize,
    replaced: usize,
}

impl Score {
    fn print(&self, label: &str) {
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        println!(
            "{label}: words={} questions={} per_1000_words={:.2} true_names_share={:.1}% \
             unregistered_mentions={} replaced={:.1}% replaced_or_asked={:.1}%",
            self.words,
            self.questions,
            1000.0 * self.questions as f64 / self.words.max(1) as f64,
            pct(self.true_questions, self.questions),
            self.names,
            pct(self.replaced, self.names),
            pct(self.covered, self.names),
        );
    }
}

fn words(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// Questions and other replacements of the texts of one transcript:
/// per text, (start, end, is question).
fn spans(
    lex: &Lexicon,
    names: &questions::NameParts,
    texts: &[&str],
) -> Vec<Vec<(usize, usize, bool)>> {
    let applied: Vec<apply::Applied> = texts.iter().map(|t| apply::apply(lex, t, &[])).collect();
    let pairs: Vec<(&str, &apply::Applied)> = texts.iter().copied().zip(applied.iter()).collect();
    let found = questions::find_all(lex, names, &pairs);
    applied
        .iter()
        .zip(found)
        .map(|(a, fs)| {
            let mut out: Vec<(usize, usize, bool)> = a
                .spans
                .iter()
                .filter(|s| s.why != apply::Why::Engine(Reason::UnregisteredName))
                .map(|s| (s.start, s.end, false))
                .collect();
            out.extend(fs.into_iter().map(|f| (f.start, f.end, true)));
            out
        })
        .collect()
}

fn public(dir: &Path) -> Score {
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(f)).expect("corpus file"))
            .expect("JSON")
    };
    let (persons, terms, gold) = (read("persons.json"), read("terms.json"), read("gold.json"));
    let mut src = LexiconSource::default();
    let mut names = questions::NameParts::default();
    for (i, p) in persons.as_array().unwrap().iter().enumerate() {
        let s = |v: &Value| v.as_str().unwrap_or("").to_string();
        let aliases: Vec<String> = p["aliases"]
            .as_array()
            .map(|a| a.iter().map(s).collect())
            .unwrap_or_default();
        let c = &p["contacts"];
        let pseudonym = format!("Respondent {}", i + 1);
        for n in std::iter::once(s(&p["name"])).chain(aliases.iter().cloned()) {
            for w in n.split(|c: char| !c.is_alphabetic()) {
                if w.chars().count() >= 4 {
                    names.push((w.to_lowercase().chars().collect(), pseudonym.clone()));
                }
            }
        }
        src.persons.push(PersonSource {
            key: (i + 1).to_string(),
            replacement: format!("[{pseudonym}]"),
            name: s(&p["name"]),
            aliases,
            phones: c["phone"]
                .as_str()
                .map(str::to_string)
                .into_iter()
                .collect(),
            emails: c["email"]
                .as_str()
                .map(str::to_string)
                .into_iter()
                .collect(),
            handles: ["telegram", "instagram", "handle"]
                .iter()
                .filter_map(|h| c[h].as_str().map(str::to_string))
                .collect(),
        });
    }
    for (i, t) in terms["sensitive"].as_array().unwrap().iter().enumerate() {
        let kind =
            TermKind::parse(t["kind"].as_str().unwrap_or("other")).unwrap_or(TermKind::Other);
        src.terms.push(TermSource {
            key: format!("term {i}"),
            text: t["text"].as_str().unwrap().to_string(),
            kind,
            replacement: kind.default_replacement().to_string(),
        });
    }
    for a in terms["allow"].as_array().unwrap() {
        src.allow.push(a.as_str().unwrap().to_string());
    }
    let lex = Lexicon::build(&src);
    let mut score = Score::default();
    for (file, g) in gold.as_object().unwrap() {
        let text = std::fs::read_to_string(dir.join("transcripts").join(file)).expect("transcript");
        let unreg: Vec<&str> = g["must_redact"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["category"] == "unregistered_name")
            .filter_map(|i| i["text"].as_str())
            .collect();
        // Turn by turn, as imported (one turn per line, the label apart).
        let turns: Vec<&str> = text
            .lines()
            .map(|body| match body.split_once(": ") {
                Some((label, rest)) if label.chars().count() <= 40 => rest,
                _ => body,
            })
            .collect();
        let all = spans(&lex, &names, &turns);
        for (turn, found) in turns.iter().copied().zip(all) {
            score.words += words(turn);
            // Occurrences of the true unregistered names in this turn.
            let mut occ: Vec<(usize, usize)> = Vec::new();
            for u in &unreg {
                let mut from = 0;
                while let Some(i) = turn[from..].find(u) {
                    let s = from + i;
                    let e = s + u.len();
                    let whole = !turn[..s]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
                        && !turn[e..].chars().next().is_some_and(char::is_alphanumeric);
                    if whole && !occ.contains(&(s, e)) {
                        occ.push((s, e));
                    }
                    from = e;
                }
            }
            let applied = apply::apply(&lex, turn, &[]);
            for (s, e) in &occ {
                score.names += 1;
                let hit = |a: usize, b: usize| a < *e && *s < b;
                if applied.spans.iter().any(|x| hit(x.start, x.end)) {
                    score.replaced += 1;
                }
                if found.iter().any(|(a, b, _)| hit(*a, *b)) {
                    score.covered += 1;
                }
            }
            for (a, b, q) in &found {
                if *q {
                    score.questions += 1;
                    if occ.iter().any(|(s, e)| s < b && a < e) {
                        score.true_questions += 1;
                    } else if std::env::var_os("REVIEW_EVAL_FALSE").is_some() {
                        println!("false question: {file} {:?}", &turn[*a..*b]);
                    }
                }
            }
        }
    }
    score
}

fn news(file: &Path) -> Score {
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("news corpus")).expect("JSON");
    let lex = Lexicon::build(&LexiconSource::default());
    let names = questions::NameParts::default();
    let mut score = Score::default();
    for d in data["docs"].as_array().unwrap() {
        let text = d["text"].as_str().unwrap();
        // Character offsets of the corpus to byte offsets.
        let bytes: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let toks: Vec<(usize, usize)> = d["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    bytes[t[0].as_u64().unwrap() as usize],
                    bytes[t[1].as_u64().unwrap() as usize],
                )
            })
            .collect();
        let mut person: Vec<(usize, usize)> = Vec::new();
        for m in d["mentions"].as_array().unwrap() {
            for ti in m["tokens"].as_array().unwrap() {
                let (s, e) = toks[ti.as_u64().unwrap() as usize];
                if text[s..e].chars().any(char::is_alphanumeric) && !person.contains(&(s, e)) {
                    person.push((s, e));
                }
            }
        }
        // Paragraph by paragraph, as a transcript's turns.
        let paras: Vec<&str> = text.split_inclusive('\n').collect();
        let bodies: Vec<&str> = paras.iter().map(|p| p.trim_end_matches('\n')).collect();
        let all = spans(&lex, &names, &bodies);
        let mut at = 0;
        for ((para, body), found) in paras.iter().zip(&bodies).zip(all) {
            let body = *body;
            score.words += words(body);
            let applied = apply::apply(&lex, body, &[]);
            let found: Vec<(usize, usize, bool)> = found
                .into_iter()
                .map(|(s, e, q)| (s + at, e + at, q))
                .collect();
            for (s, e) in person
                .iter()
                .filter(|(s, _)| *s >= at && *s < at + body.len())
            {
                score.names += 1;
                let hit = |a: usize, b: usize| a < *e && *s < b;
                if applied.spans.iter().any(|x| hit(x.start + at, x.end + at)) {
                    score.replaced += 1;
                }
                if found.iter().any(|(a, b, _)| hit(*a, *b)) {
                    score.covered += 1;
                } else if std::env::var_os("REVIEW_EVAL_MISSES").is_some() {
                    let ctx_s = text[..*s].char_indices().rev().nth(25).map_or(0, |x| x.0);
                    println!(
                        "miss: {:?} in …{}",
                        &text[*s..*e],
                        text[ctx_s..*e].replace('\n', " ")
                    );
                }
            }
            for (a, b, q) in &found {
                if *q {
                    score.questions += 1;
                    if person.iter().any(|(s, e)| s < b && a < e) {
                        score.true_questions += 1;
                    }
                }
            }
            at += para.len();
        }
    }
    score
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/eval".to_string());
    let root = Path::new(&root);
    public(&root.join("public")).print("public (registered persons and terms)");
    news(&root.join("news-dev/ru-dev.json")).print("news-dev (nobody registered)");
}
