//! Consent: an append-only history per person, from which the current
//! consent is derived. Nothing is ever edited in place; a change of mind is a
//! new event, so the history itself is the evidence of what was agreed when.

use super::{iso, now_rfc3339, parse_date, persons, RecordsError, Result};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    VerbalRecorded,
    Written,
    Electronic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attribution {
    Anonymous,
    Pseudonym,
    Named,
}

macro_rules! text_enum {
    ($t:ty, $what:literal, $($v:path => $s:literal),+) => {
        impl $t {
            pub const VALUES: &'static [&'static str] = &[$($s),+];
            pub fn as_str(self) -> &'static str { match self { $($v => $s),+ } }
        }
        impl FromStr for $t {
            type Err = RecordsError;
            fn from_str(s: &str) -> Result<Self> {
                match s { $($s => Ok($v),)+ _ => Err(RecordsError::Invalid(format!(concat!($what, " must be one of: {}"), Self::VALUES.join(", ")))) }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
/// A purpose that can be withdrawn on its own, leaving the rest of the
/// consent in force. A withdrawal without a scope withdraws everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Publishing quotes.
    Quotes,
    /// Depositing the anonymised transcript in a data archive.
    Archive,
    /// Reuse of the material by other researchers.
    SecondaryUse,
}

text_enum!(Scope, "the scope", Scope::Quotes => "quotes", Scope::Archive => "archive", Scope::SecondaryUse => "secondary-use");
text_enum!(Method, "the consent method", Method::VerbalRecorded => "verbal-recorded", Method::Written => "written", Method::Electronic => "electronic");
text_enum!(Attribution, "attribution", Attribution::Anonymous => "anonymous", Attribution::Pseudonym => "pseudonym", Attribution::Named => "named");

/// An attachment proving consent (audio, a scanned form), stored encrypted
/// beside the vault under a random id.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub attachment_id: String,
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
}

/// A consent given (or re-given) on a date.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentRecord {
    pub id: i64,
    pub date: String,
    pub method: Method,
    pub recording: bool,
    pub quotes: bool,
    /// Depositing the anonymised transcript in a data archive. Records made
    /// before this scope existed read as not given.
    pub archive: bool,
    /// Reuse by other researchers; not given in records older than the scope.
    pub secondary_use: bool,
    pub attribution: Attribution,
    pub embargo_until: Option<String>,
    pub restrictions: Option<String>,
    pub note: Option<String>,
    pub evidence: Vec<Evidence>,
    pub recorded_at: String,
    /// Scopes of this grant withdrawn since, with the withdrawal's date:
    /// derived from the history, never stored on the grant.
    pub withdrawn_scopes: BTreeMap<Scope, String>,
}

impl ConsentRecord {
    /// Whether `scope` was given in this record and not withdrawn since.
    pub fn allows(&self, scope: Scope) -> bool {
        let given = match scope {
            Scope::Quotes => self.quotes,
            Scope::Archive => self.archive,
            Scope::SecondaryUse => self.secondary_use,
        };
        given && !self.withdrawn_scopes.contains_key(&scope)
    }

    fn embargoed(&self, today: Date) -> bool {
        // Unparseable embargoes cannot be stored, but fail closed anyway.
        self.embargo_until
            .as_deref()
            .is_some_and(|e| parse_date(e).map(|d| d > today).unwrap_or(true))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Withdrawal {
    pub id: i64,
    pub date: String,
    /// The one purpose withdrawn; `None` withdraws the whole consent.
    pub scope: Option<Scope>,
    pub note: Option<String>,
    pub recorded_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum ConsentEvent {
    Granted(ConsentRecord),
    Withdrawn(Withdrawal),
}

impl ConsentEvent {
    fn date(&self) -> &str {
        match self {
            ConsentEvent::Granted(r) => &r.date,
            ConsentEvent::Withdrawn(w) => &w.date,
        }
    }
}

/// The consent in force, derived from the history: the latest event by date
/// (ties broken by the order they were recorded) decides.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum CurrentConsent {
    /// No consent was ever recorded: treated as no consent to anything.
    None,
    Granted(ConsentRecord),
    Withdrawn {
        withdrawal: Withdrawal,
        last_grant: Option<ConsentRecord>,
    },
}

/// Why quoting a person is not allowed today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refusal {
    NoConsent,
    QuotesRefused,
    Withdrawn,
    Embargoed,
    Purged,
    /// Analysis needs consent to the recording itself.
    RecordingRefused,
    ArchiveRefused,
    /// Only the one scope was withdrawn; the rest of the consent holds.
    ScopeWithdrawn(Scope),
    /// A turn of the excerpt has a speaker label mapped to nobody, so whose
    /// consent applies is unknown.
    UnidentifiedSpeaker,
    /// A turn of the excerpt was removed when its speaker was purged.
    TurnRemoved,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::NoConsent => "no consent recorded",
            Refusal::QuotesRefused => "consent does not allow quotes",
            Refusal::Withdrawn => "consent withdrawn",
            Refusal::Embargoed => "under embargo",
            Refusal::Purged => "person purged",
            Refusal::RecordingRefused => "consent does not cover the recording",
            Refusal::ArchiveRefused => "consent does not allow archiving",
            Refusal::ScopeWithdrawn(Scope::Quotes) => "consent to quotes withdrawn",
            Refusal::ScopeWithdrawn(Scope::Archive) => "consent to archiving withdrawn",
            Refusal::ScopeWithdrawn(Scope::SecondaryUse) => "consent to secondary use withdrawn",
            Refusal::UnidentifiedSpeaker => {
                "a turn's speaker is not identified (map every speaker label)"
            }
            Refusal::TurnRemoved => "a turn was removed when its speaker was purged",
        })
    }
}

/// What an output is for: each output's gate checks its own purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// Quote exports (Markdown, CSV, JSON, DOCX, QDPX of excerpts).
    Quoting,
    /// Whole transcripts for the researcher's own coding: the recording
    /// consent must stand (not withdrawn); quoting is not needed.
    Analysis,
    /// A deposit of whole anonymised transcripts in a data archive.
    Archiving,
}

impl CurrentConsent {
    /// Whether quotes of this person may be published on `today`.
    pub fn quoting(&self, today: Date) -> std::result::Result<&ConsentRecord, Refusal> {
        self.allows(Purpose::Quoting, today)
    }

    /// Whether this consent allows `purpose` on `today`. An embargo holds
    /// back quotes and deposits alike (both make the words public); it does
    /// not hold back the researcher's own analysis.
    pub fn allows(
        &self,
        purpose: Purpose,
        today: Date,
    ) -> std::result::Result<&ConsentRecord, Refusal> {
        let r = match self {
            CurrentConsent::None => return Err(Refusal::NoConsent),
            CurrentConsent::Withdrawn { .. } => return Err(Refusal::Withdrawn),
            CurrentConsent::Granted(r) => r,
        };
        let scope = match purpose {
            Purpose::Analysis => {
                return if r.recording {
                    Ok(r)
                } else {
                    Err(Refusal::RecordingRefused)
                };
            }
            Purpose::Quoting => Scope::Quotes,
            Purpose::Archiving => Scope::Archive,
        };
        if r.withdrawn_scopes.contains_key(&scope) {
            return Err(Refusal::ScopeWithdrawn(scope));
        }
        if !r.allows(scope) {
            return Err(match scope {
                Scope::Archive => Refusal::ArchiveRefused,
                _ => Refusal::QuotesRefused,
            });
        }
        if r.embargoed(today) {
            return Err(Refusal::Embargoed);
        }
        Ok(r)
    }

    pub fn summary(&self) -> String {
        match self {
            CurrentConsent::None => "no consent recorded".into(),
            CurrentConsent::Withdrawn { withdrawal, .. } => {
                format!("withdrawn on {}", withdrawal.date)
            }
            CurrentConsent::Granted(r) => {
                let mut s = format!("given {} ({}): {}", r.date, r.method, r.scopes_summary());
                for (scope, date) in &r.withdrawn_scopes {
                    s.push_str(&format!("; {scope} withdrawn on {date}"));
                }
                s
            }
        }
    }
}

impl ConsentRecord {
    /// "recording yes, quotes yes, archive no, secondary use no,
    /// attribution pseudonym[, embargo until D]": the scopes as given.
    pub fn scopes_summary(&self) -> String {
        let mut s = format!(
            "recording {}, quotes {}, archive {}, secondary use {}, attribution {}",
            yes_no(self.recording),
            yes_no(self.quotes),
            yes_no(self.archive),
            yes_no(self.secondary_use),
            self.attribution
        );
        if let Some(e) = &self.embargo_until {
            s.push_str(&format!(", embargo until {e}"));
        }
        s
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// What `consent record` supplies.
#[derive(Debug, Clone)]
pub struct NewConsent {
    pub date: String,
    pub method: Method,
    pub recording: bool,
    pub quotes: bool,
    pub archive: bool,
    pub secondary_use: bool,
    pub attribution: Attribution,
    pub embargo_until: Option<String>,
    pub restrictions: Option<String>,
    pub note: Option<String>,
}

pub fn record(
    conn: &Connection,
    person_id: i64,
    c: &NewConsent,
    evidence: &[Evidence],
) -> Result<ConsentRecord> {
    persons::require_active(conn, person_id)?;
    let date = not_in_future(&c.date)?;
    let embargo = c
        .embargo_until
        .as_deref()
        .map(|e| parse_date(e).map(iso))
        .transpose()?;
    if let Some(e) = &embargo {
        if e.as_str() < date.as_str() {
            return Err(RecordsError::Invalid(
                "the embargo ends before the consent was given".into(),
            ));
        }
    }
    conn.execute(
        "INSERT INTO consent_event(person_id, kind, date, method, recording, quotes, attribution, embargo_until, restrictions, note, recorded_at, archive, secondary_use)
         VALUES (?1, 'grant', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            person_id,
            date,
            c.method.as_str(),
            c.recording,
            c.quotes,
            c.attribution.as_str(),
            embargo,
            c.restrictions.as_deref().map(str::trim).filter(|s| !s.is_empty()),
            c.note.as_deref().map(str::trim).filter(|s| !s.is_empty()),
            now_rfc3339(),
            c.archive,
            c.secondary_use
        ],
    )?;
    let id = conn.last_insert_rowid();
    for e in evidence {
        conn.execute(
            "INSERT INTO consent_evidence(event_id, attachment_id, file_name, sha256, size) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, e.attachment_id, e.file_name, e.sha256, e.size as i64],
        )?;
    }
    match history(conn, person_id)?
        .into_iter()
        .find(|e| matches!(e, ConsentEvent::Granted(r) if r.id == id))
    {
        Some(ConsentEvent::Granted(r)) => Ok(r),
        _ => Err(RecordsError::Database(
            "the consent record could not be read back".into(),
        )),
    }
}

/// Records a withdrawal of the whole consent (`scope` None) or of one
/// purpose. A withdrawal that would change nothing is refused, so that the
/// history never holds an event that does not mean what it says.
pub fn withdraw(
    conn: &Connection,
    person_id: i64,
    date: &str,
    scope: Option<Scope>,
    note: Option<&str>,
) -> Result<Withdrawal> {
    persons::require_active(conn, person_id)?;
    let date = not_in_future(date)?;
    let now = current(conn, person_id)?;
    if let Some(scope) = scope {
        match &now {
            CurrentConsent::Granted(r) if date < r.date => {}
            CurrentConsent::Granted(r) => {
                if let Some(d) = r.withdrawn_scopes.get(&scope) {
                    return Err(RecordsError::Invalid(format!(
                        "consent to {scope} was already withdrawn on {d}"
                    )));
                }
                if !r.allows(scope) {
                    return Err(RecordsError::Invalid(format!(
                        "the consent in force (given {}) does not give {scope}; there is nothing to withdraw",
                        r.date
                    )));
                }
            }
            _ => {
                return Err(RecordsError::Invalid(format!(
                    "no consent is in force, so there is no {scope} consent to withdraw"
                )))
            }
        }
    }
    match now {
        CurrentConsent::Withdrawn { withdrawal, .. } => {
            return Err(RecordsError::Invalid(format!(
                "consent was already withdrawn on {}",
                withdrawal.date
            )));
        }
        // A withdrawal dated before the consent in force would change
        // nothing: the later grant would still decide. Refuse rather than
        // report a withdrawal that is not one.
        CurrentConsent::Granted(r) if date < r.date => {
            return Err(RecordsError::Invalid(format!(
                "the consent in force was given on {}; a withdrawal dated {date} would change nothing (use a date on or after {})",
                r.date, r.date
            )));
        }
        _ => {}
    }
    conn.execute(
        "INSERT INTO consent_event(person_id, kind, date, note, recorded_at, scope) VALUES (?1, 'withdrawal', ?2, ?3, ?4, ?5)",
        params![person_id, date, note.map(str::trim).filter(|s| !s.is_empty()), now_rfc3339(), scope.map(Scope::as_str)],
    )?;
    let id = conn.last_insert_rowid();
    Ok(Withdrawal {
        id,
        date,
        scope,
        note: note.map(str::to_string),
        recorded_at: now_rfc3339(),
    })
}

/// Consent events happen on or before the day they are recorded: a date in
/// the future is a typo that would silently decide the consent later.
fn not_in_future(date: &str) -> Result<String> {
    let d = parse_date(date)?;
    if d > super::today() {
        return Err(RecordsError::Invalid(format!(
            "{} is in the future; record consent events on or after the day they happen",
            iso(d)
        )));
    }
    Ok(iso(d))
}

/// The full history in effective order: by date; on the same date a
/// withdrawal comes after (and so wins over) a grant; then recording order.
pub fn history(conn: &Connection, person_id: i64) -> Result<Vec<ConsentEvent>> {
    Ok(histories(conn, Some(person_id))?
        .remove(&person_id)
        .unwrap_or_default())
}

/// The histories of one person (`Some`) or of everyone (`None`), each as
/// [`history`] orders it. Everyone's is read in two queries: the consent
/// gate asks for every person's consent on each export, and one query per
/// person made that take most of a second at 10,000 persons.
fn histories(conn: &Connection, person: Option<i64>) -> Result<BTreeMap<i64, Vec<ConsentEvent>>> {
    let filter = if person.is_some() {
        "WHERE person_id = ?1"
    } else {
        "WHERE ?1 IS NULL"
    };
    let mut st = conn.prepare(&format!(
        "SELECT id, kind, date, method, recording, quotes, attribution, embargo_until, restrictions, note, recorded_at,
                archive, secondary_use, scope, person_id
         FROM consent_event {filter} ORDER BY person_id, date, kind = 'withdrawal', id"
    ))?;
    let rows = st
        .query_map([person], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<bool>>(4)?,
                r.get::<_, Option<bool>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, String>(10)?,
                (
                    r.get::<_, Option<bool>>(11)?,
                    r.get::<_, Option<bool>>(12)?,
                    r.get::<_, Option<String>>(13)?,
                    r.get::<_, i64>(14)?,
                ),
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut evidence: BTreeMap<i64, Vec<Evidence>> = BTreeMap::new();
    let mut st = conn.prepare(&format!(
        "SELECT v.event_id, v.attachment_id, v.file_name, v.sha256, v.size FROM consent_evidence v
         JOIN consent_event e ON e.id = v.event_id {} ORDER BY v.event_id, v.rowid",
        filter.replace("person_id", "e.person_id")
    ))?;
    let mut ev = st.query([person])?;
    while let Some(r) = ev.next()? {
        evidence.entry(r.get(0)?).or_default().push(Evidence {
            attachment_id: r.get(1)?,
            file_name: r.get(2)?,
            sha256: r.get(3)?,
            size: r.get::<_, i64>(4)? as u64,
        });
    }
    let mut out: BTreeMap<i64, Vec<ConsentEvent>> = BTreeMap::new();
    for (
        id,
        kind,
        date,
        method,
        recording,
        quotes,
        attribution,
        embargo_until,
        restrictions,
        note,
        recorded_at,
        (archive, secondary_use, scope, person_id),
    ) in rows
    {
        let events = out.entry(person_id).or_default();
        if kind == "withdrawal" {
            events.push(ConsentEvent::Withdrawn(Withdrawal {
                id,
                date,
                scope: scope.as_deref().map(str::parse).transpose()?,
                note,
                recorded_at,
            }));
            continue;
        }
        events.push(ConsentEvent::Granted(ConsentRecord {
            id,
            date,
            method: method.as_deref().unwrap_or("written").parse()?,
            recording: recording.unwrap_or(false),
            quotes: quotes.unwrap_or(false),
            archive: archive.unwrap_or(false),
            secondary_use: secondary_use.unwrap_or(false),
            attribution: attribution.as_deref().unwrap_or("anonymous").parse()?,
            embargo_until,
            restrictions,
            note,
            evidence: evidence.remove(&id).unwrap_or_default(),
            recorded_at,
            withdrawn_scopes: BTreeMap::new(),
        }));
    }
    Ok(out)
}

/// The consent in force today of every person with a consent record (a
/// person without one has [`CurrentConsent::None`]), as [`current`] derives it.
pub fn current_all(conn: &Connection) -> Result<BTreeMap<i64, CurrentConsent>> {
    let today = iso(super::today());
    Ok(histories(conn, None)?
        .into_iter()
        .map(|(person, events)| {
            let standing = events
                .into_iter()
                .filter(|e| e.date() <= today.as_str())
                .collect();
            (person, derive(standing))
        })
        .collect())
}

/// The consent in force today. Events dated after today (possible only in
/// a vault written on a machine with a wrong clock) do not count yet.
pub fn current(conn: &Connection, person_id: i64) -> Result<CurrentConsent> {
    let today = iso(super::today());
    Ok(derive(
        history(conn, person_id)?
            .into_iter()
            .filter(|e| e.date() <= today.as_str())
            .collect(),
    ))
}

fn derive(history: Vec<ConsentEvent>) -> CurrentConsent {
    let mut last_grant = None;
    let mut state = CurrentConsent::None;
    for e in history {
        debug_assert!(!e.date().is_empty());
        state = match e {
            ConsentEvent::Granted(r) => {
                last_grant = Some(r.clone());
                CurrentConsent::Granted(r)
            }
            ConsentEvent::Withdrawn(w) => match (w.scope, state) {
                // One purpose withdrawn: the rest of the grant stands.
                (Some(scope), CurrentConsent::Granted(mut r)) => {
                    r.withdrawn_scopes.entry(scope).or_insert(w.date);
                    last_grant = Some(r.clone());
                    CurrentConsent::Granted(r)
                }
                // A scoped withdrawal with nothing in force changes nothing.
                (Some(_), other) => other,
                (None, _) => CurrentConsent::Withdrawn {
                    withdrawal: w,
                    last_grant: last_grant.clone(),
                },
            },
        };
    }
    state
}

/// The consent evidence stored as attachment `attachment_id`: its recorded
/// file name and SHA-256, and whose consent it proves; `None` if no consent
/// record names that attachment.
pub fn evidence_file(conn: &Connection, attachment_id: &str) -> Result<Option<(Evidence, i64)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT ce.file_name, ce.sha256, ce.size, e.person_id FROM consent_evidence ce JOIN consent_event e ON e.id = ce.event_id
             WHERE ce.attachment_id = ?1",
            [attachment_id],
            |r| {
                Ok((
                    Evidence {
                        attachment_id: attachment_id.to_string(),
                        file_name: r.get(0)?,
                        sha256: r.get(1)?,
                        size: r.get::<_, i64>(2)? as u64,
                    },
                    r.get(3)?,
                ))
            },
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::persons::{add, NewPerson};

    fn grant(date: &str, quotes: bool) -> NewConsent {
        NewConsent {
            date: date.into(),
            method: Method::VerbalRecorded,
            recording: true,
            quotes,
            archive: false,
            secondary_use: false,
            attribution: Attribution::Pseudonym,
            embargo_until: None,
            restrictions: None,
            note: None,
        }
    }

    fn day(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn current_consent_follows_the_latest_event_by_date() {
        let conn = crate::records::in_memory().unwrap();
        let p = add(
            &conn,
            &NewPerson {
                name: "Надежда Волкова".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(matches!(
            current(&conn, p.id).unwrap().quoting(day("2022-01-01")),
            Err(Refusal::NoConsent)
        ));
        record(&conn, p.id, &grant("2021-06-10", true), &[]).unwrap();
        assert!(current(&conn, p.id)
            .unwrap()
            .quoting(day("2022-01-01"))
            .is_ok());
        withdraw(&conn, p.id, "2021-09-01", None, None).unwrap();
        assert!(matches!(
            current(&conn, p.id).unwrap().quoting(day("2022-01-01")),
            Err(Refusal::Withdrawn)
        ));
        // A grant dated before the withdrawal, recorded later, does not undo it.
        record(&conn, p.id, &grant("2021-07-01", true), &[]).unwrap();
        assert!(matches!(
            current(&conn, p.id).unwrap().quoting(day("2022-01-01")),
            Err(Refusal::Withdrawn)
        ));
        // A fresh consent after the withdrawal does.
        record(&conn, p.id, &grant("2022-02-01", true), &[]).unwrap();
        assert!(current(&conn, p.id)
            .unwrap()
            .quoting(day("2022-03-01"))
            .is_ok());
        assert_eq!(history(&conn, p.id).unwrap().len(), 4);
    }

    #[test]
    fn withdrawals_that_would_change_nothing_and_future_dates_are_refused() {
        let conn = crate::records::in_memory().unwrap();
        let p = add(
            &conn,
            &NewPerson {
                name: "Надежда Волкова".into(),
                ..Default::default()
            },
        )
        .unwrap();
        record(&conn, p.id, &grant("2021-06-10", true), &[]).unwrap();
        let e = withdraw(&conn, p.id, "2021-06-01", None, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("would change nothing"), "{e}");
        assert!(record(&conn, p.id, &grant("2999-01-01", true), &[])
            .unwrap_err()
            .to_string()
            .contains("future"));
        assert!(withdraw(&conn, p.id, "2999-01-01", None, None).is_err());
        // Same day: the withdrawal wins over a grant, whatever the order they were typed in.
        withdraw(&conn, p.id, "2021-07-01", None, None).unwrap();
        record(&conn, p.id, &grant("2021-07-01", true), &[]).unwrap();
        assert!(matches!(
            current(&conn, p.id).unwrap(),
            CurrentConsent::Withdrawn { .. }
        ));
        assert!(withdraw(&conn, p.id, "2021-08-01", None, None)
            .unwrap_err()
            .to_string()
            .contains("already withdrawn"));
    }

    #[test]
    fn quotes_refused_and_embargo() {
        let conn = crate::records::in_memory().unwrap();
        let p = add(
            &conn,
            &NewPerson {
                name: "Ерлан".into(),
                ..Default::default()
            },
        )
        .unwrap();
        record(&conn, p.id, &grant("2021-04-02", false), &[]).unwrap();
        assert_eq!(
            current(&conn, p.id)
                .unwrap()
                .quoting(day("2022-01-01"))
                .unwrap_err(),
            Refusal::QuotesRefused
        );
        let mut g = grant("2021-05-01", true);
        g.embargo_until = Some("2030-01-01".into());
        record(&conn, p.id, &g, &[]).unwrap();
        assert_eq!(
            current(&conn, p.id)
                .unwrap()
                .quoting(day("2029-12-31"))
                .unwrap_err(),
            Refusal::Embargoed
        );
        assert!(current(&conn, p.id)
            .unwrap()
            .quoting(day("2030-01-01"))
            .is_ok());
    }

    #[test]
    fn bad_dates_and_purged_persons_are_refused() {
        let conn = crate::records::in_memory().unwrap();
        let p = add(
            &conn,
            &NewPerson {
                name: "Арман".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(matches!(
            record(&conn, p.id, &grant("2021-13-01", true), &[]),
            Err(RecordsError::Date(_))
        ));
        let mut g = grant("2021-05-01", true);
        g.embargo_until = Some("2020-01-01".into());
        assert!(record(&conn, p.id, &g, &[]).is_err());
        crate::records::purge::apply(&conn, p.id, &|_| None).unwrap();
        assert!(matches!(
            record(&conn, p.id, &grant("2021-05-01", true), &[]),
            Err(RecordsError::Purged { .. })
        ));
    }
}
