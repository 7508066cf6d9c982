//! Archive deposits: every interview whose every speaker consented to
//! archiving, whole and redacted, with an anonymisation log, for a data
//! archive (UK Data Service, QDR, ICPSR).
//!
//! The safety argument is the export's: the archiving gate first, then
//! redaction of every turn with the full lexicon, then the independent leak
//! check over every text the package holds, then the re-identification
//! check (alone and combined with every earlier output); only a package
//! that passes all of them is rendered, logged, audited and moved into
//! place (see `output::place`). The review gate (issue 11) belongs right
//! after the archiving gate: one call over the included transcripts.

use super::gate::ConsentGate;
use super::output::{place, Target};
use super::{language_name, reident, PublishError, Result};
use crate::commit::OpenRecords;
use crate::lexicon;
use crate::records::consent::{self, CurrentConsent, Purpose, Scope};
use crate::records::decisions::Field;
use crate::records::exports::{self, Fact};
use crate::records::{audit, persons, transcripts};
use crate::review::apply::{self, Why};
use fieldvault_export::{
    render_deposit, AnonymisationLog, Deposit, DepositInterview, DepositPerson, DepositTranslation,
};
use fieldvault_redact::{leak_check, redact, Lexicon, Reason, RedactOptions};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

#[derive(Debug, Clone)]
pub struct DepositRequest {
    pub strict: bool,
    pub unreviewed: bool,
    pub k: u32,
    pub today: Date,
    pub created: String,
    pub title: String,
}

/// An interview the deposit leaves out, and whose consent keeps it out.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOutInterview {
    pub transcript: i64,
    pub pseudonym: String,
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct DepositPlan {
    pub deposit: Deposit,
    /// Vault ids of the interviews in the package, in package order.
    pub transcripts: Vec<i64>,
    pub persons: BTreeSet<i64>,
    pub left_out: Vec<LeftOutInterview>,
    pub reident: Vec<reident::Warning>,
    pub disclosure: Vec<(i64, Fact)>,
    /// Replacements made, all interviews together.
    pub replacements: usize,
    /// Interviews deposited with open review questions (`--unreviewed`):
    /// (transcript id, count), for the audit log.
    pub unreviewed: Vec<(i64, usize)>,
}

/// Replacement category as the anonymisation log names it, and the rule
/// behind it in words.
fn category(r: &Reason) -> (String, String) {
    match r {
        Reason::Person { .. } => (
            "person".into(),
            "registered persons: names, aliases and their inflected and transliterated forms"
                .into(),
        ),
        Reason::Term { .. } => (
            "term".into(),
            "registered sensitive terms (organisations, places, events)".into(),
        ),
        Reason::Pattern(k) => (k.to_string(), format!("pattern: {k}")),
        Reason::Ambiguous { .. } => (
            "person".into(),
            "a name part several registered persons share: a neutral [person], never a guessed pseudonym"
                .into(),
        ),
        Reason::UnregisteredName => (
            "unregistered name".into(),
            "likely names of persons nobody registered".into(),
        ),
    }
}

struct Counter<'a> {
    lex: &'a Lexicon,
    counts: BTreeMap<String, usize>,
    rules: BTreeSet<String>,
    /// The researcher's per-occurrence answers applied, by kind.
    decisions: BTreeMap<String, usize>,
}

impl Counter<'_> {
    /// A speaker label: no review questions are asked about labels.
    fn redact(&mut self, text: &str) -> String {
        let r = redact(self.lex, text, &RedactOptions::default());
        for x in &r.replacements {
            self.count(&x.reason);
        }
        r.text
    }

    /// One field of a stored turn, with the review decisions about it
    /// applied, as every export applies them.
    fn turn(
        &mut self,
        conn: &Connection,
        transcript: i64,
        line: u32,
        field: Field,
        text: &str,
    ) -> Result<String> {
        let a = apply::turn_field(conn, self.lex, transcript, line, field, text)?;
        for span in &a.spans {
            match &span.why {
                Why::Engine(reason) => self.count(reason),
                Why::Decision(_) => *self.decisions.entry("redacted".into()).or_insert(0) += 1,
            }
        }
        if !a.kept.is_empty() {
            *self.decisions.entry("kept".into()).or_insert(0) += a.kept.len();
        }
        Ok(a.text)
    }

    fn count(&mut self, reason: &Reason) {
        let (c, rule) = category(reason);
        *self.counts.entry(c).or_insert(0) += 1;
        self.rules.insert(rule);
    }
}

fn month(date: &str) -> String {
    date.chars().take(7).collect()
}

/// Builds the package without writing anything.
pub fn plan(conn: &Connection, req: &DepositRequest) -> Result<DepositPlan> {
    let gate = ConsentGate::for_purpose(conn, req.today, Purpose::Archiving)?;
    let lex = lexicon::build(conn, &[])?;
    let mut left_out = Vec::new();
    let mut included = Vec::new();
    for t in transcripts::list(conn)? {
        // Every interviewed person, and every turn: a turn whose speaker
        // is unidentified or was purged keeps the whole interview out.
        let mut refusals = gate.check(&t.persons);
        if t.turns > 0 {
            for r in gate.check_span(conn, t.id, 1, t.turns)? {
                if !refusals.contains(&r) {
                    refusals.push(r);
                }
            }
        }
        if t.persons.is_empty() {
            left_out.push(LeftOutInterview {
                transcript: t.id,
                pseudonym: String::new(),
                why: "no interviewed person is registered for it".into(),
            });
        } else if refusals.is_empty() {
            included.push(t);
        } else {
            left_out.extend(refusals.into_iter().map(|(pseudonym, r)| LeftOutInterview {
                transcript: t.id,
                pseudonym,
                why: r.to_string(),
            }));
        }
    }
    if included.is_empty() {
        return Err(PublishError::NothingToDeposit(
            transcripts::list(conn)?.len(),
        ));
    }
    if req.strict && !left_out.is_empty() {
        let n: BTreeSet<i64> = left_out.iter().map(|l| l.transcript).collect();
        return Err(PublishError::StrictDeposit(n.len()));
    }
    // The review gate: no interview with open questions leaves, unless
    // `--unreviewed` (audited with the counts; never with `--strict`).
    let ids: Vec<i64> = included.iter().map(|t| t.id).collect();
    let unreviewed =
        super::review_gate::check_transcripts_with(conn, &lex, &ids, req.unreviewed, req.strict)?;

    let mut interviews = Vec::new();
    let mut persons_in: BTreeSet<i64> = BTreeSet::new();
    let mut disclosure = Vec::new();
    let mut replacements = 0;
    let mut leaking = Vec::new();
    for (n, t) in included.iter().enumerate() {
        let mut c = Counter {
            lex: &lex,
            counts: BTreeMap::new(),
            rules: BTreeSet::new(),
            decisions: BTreeMap::new(),
        };
        let turns = transcripts::turns(conn, t.id, None)?;
        let (mut original, mut translation) = (String::new(), String::new());
        for turn in &turns {
            let speaker = c.redact(&turn.speaker);
            let body = c.turn(conn, t.id, turn.line, Field::Original, &turn.text)?;
            if speaker.is_empty() {
                original.push_str(&format!("{body}\n"));
            } else {
                original.push_str(&format!("{speaker}: {body}\n"));
            }
            if let Some(tr) = &turn.translation {
                let body = c.turn(conn, t.id, turn.line, Field::Translation, tr)?;
                match turn
                    .translation_speaker
                    .as_deref()
                    .filter(|s| !s.is_empty())
                {
                    Some(s) => translation.push_str(&format!("{}: {body}\n", c.redact(s))),
                    None => translation.push_str(&format!("{body}\n")),
                }
            }
        }
        let speakers: Vec<persons::Person> = t
            .persons
            .iter()
            .map(|p| persons::get(conn, *p))
            .collect::<std::result::Result<_, _>>()?;
        for p in &speakers {
            persons_in.insert(p.id);
            disclosure.push((p.id, Fact::new("month", month(&t.date))));
            disclosure.push((p.id, Fact::new("language", t.lang.clone())));
            if let Some(d) = &p.descriptor {
                disclosure.push((p.id, Fact::new("descriptor", d.trim())));
            }
        }
        let translation = t
            .translation_lang
            .clone()
            .filter(|_| !translation.is_empty())
            .map(|lang| DepositTranslation {
                language_name: language_name(&lang),
                language: lang,
                text: translation,
            });
        let label = format!("interview {}", n + 1);
        if !leak_check(&lex, &original).is_empty()
            || translation
                .as_ref()
                .is_some_and(|x| !leak_check(&lex, &x.text).is_empty())
        {
            leaking.push(format!("{label} (transcript {})", t.id));
        }
        replacements += c.counts.values().sum::<usize>();
        interviews.push(DepositInterview {
            pseudonyms: speakers.iter().map(|p| p.pseudonym.clone()).collect(),
            descriptors: speakers
                .iter()
                .map(|p| p.descriptor.clone().unwrap_or_default())
                .collect(),
            month: month(&t.date),
            language: t.lang.clone(),
            language_name: language_name(&t.lang),
            turns: turns.len(),
            original,
            translation,
            log: AnonymisationLog {
                replacements: c.counts.into_iter().collect(),
                decisions: c.decisions.into_iter().collect(),
                rules: c.rules.into_iter().collect(),
            },
        });
    }
    let mut people = Vec::new();
    for id in &persons_in {
        let p = persons::get(conn, *id)?;
        for field in [Some(&p.pseudonym), p.descriptor.as_ref()]
            .into_iter()
            .flatten()
        {
            if !leak_check(&lex, field).is_empty() {
                leaking.push(format!("the descriptor of {}", p.pseudonym));
            }
        }
        let CurrentConsent::Granted(r) = consent::current(conn, *id)? else {
            // The archiving gate let only granted consents through.
            return Err(PublishError::NothingToDeposit(0));
        };
        people.push(DepositPerson {
            pseudonym: p.pseudonym.clone(),
            descriptor: p.descriptor.clone(),
            consent_date: r.date.clone(),
            method: r.method.to_string(),
            scopes: vec![
                ("recording".into(), r.recording),
                ("quotes".into(), r.allows(Scope::Quotes)),
                ("archive".into(), r.allows(Scope::Archive)),
                ("secondary use".into(), r.allows(Scope::SecondaryUse)),
            ],
            attribution: r.attribution.to_string(),
            embargo_until: r.embargo_until.clone(),
            withdrawals: r
                .withdrawn_scopes
                .iter()
                .map(|(s, d)| (s.to_string(), d.clone()))
                .collect(),
        });
    }
    if !leaking.is_empty() {
        return Err(PublishError::DepositLeak(leaking.join(", ")));
    }
    let published: Vec<i64> = persons_in.iter().copied().collect();
    let mut warnings = reident::check(conn, &published, req.k, false)?;
    disclosure.sort();
    disclosure.dedup();
    warnings.extend(reident::cumulative(conn, &disclosure, req.k, &[])?);
    if req.strict && !warnings.is_empty() {
        return Err(PublishError::StrictReident(warnings.len(), req.k));
    }
    Ok(DepositPlan {
        unreviewed,
        deposit: Deposit {
            title: req.title.clone(),
            created: req.created.clone(),
            tool: format!("fieldvault {}", env!("CARGO_PKG_VERSION")),
            leak_checked: true,
            interviews,
            persons: people,
        },
        transcripts: included.iter().map(|t| t.id).collect(),
        persons: persons_in,
        left_out,
        reident: warnings,
        disclosure,
        replacements,
    })
}

/// Renders the package, logs and audits it (with its SHA-256), and moves
/// it into place. Returns (export id, SHA-256).
pub fn write(
    vault: &mut impl OpenRecords,
    target: &Target,
    req: &DepositRequest,
    plan: &DepositPlan,
) -> Result<(i64, String)> {
    let bytes = zeroize::Zeroizing::new(render_deposit(&plan.deposit)?);
    // A whole interview is logged as excerpt 0 for each of its persons, so
    // that `person exports` and withdrawals list the deposit too.
    let items: Vec<(i64, i64)> = plan.persons.iter().map(|p| (0, *p)).collect();
    place(vault, target, &bytes, |tx, file_name, sha| {
        let id = exports::log(tx, "deposit", file_name, sha, &items)?;
        exports::log_disclosure(tx, id, &plan.disclosure)?;
        audit::append(
            tx,
            "deposit",
            json!({ "export": id, "file": file_name, "sha256": sha, "transcripts": plan.transcripts,
                    "persons": plan.persons, "left_out": plan.left_out.len(), "replacements": plan.replacements,
                    "strict": req.strict, "unreviewed": req.unreviewed, "open_questions": plan.unreviewed, "k": req.k }),
        )?;
        Ok(id)
    })
}
