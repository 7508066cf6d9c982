//! The consent gate: whether each speaker's current consent allows quoting
//! today, and which attribution it allows. A person with no consent record
//! is treated as not consenting; a purged person can never be quoted.

use crate::records::{
    consent::{self, Attribution, Refusal},
    persons, transcripts, Result,
};
use rusqlite::Connection;
use std::collections::BTreeMap;
use time::Date;

pub struct ConsentGate {
    /// person id -> (pseudonym, Ok(attribution) or the refusal)
    decisions: BTreeMap<i64, (String, Result<Attribution, Refusal>)>,
}

impl ConsentGate {
    pub fn load(conn: &Connection, today: Date) -> Result<ConsentGate> {
        let mut decisions = BTreeMap::new();
        for p in persons::list(conn)? {
            let decision = if p.is_purged() {
                Err(Refusal::Purged)
            } else {
                consent::current(conn, p.id)?
                    .quoting(today)
                    .map(|r| r.attribution)
            };
            decisions.insert(p.id, (p.pseudonym, decision));
        }
        Ok(ConsentGate { decisions })
    }

    /// The refusals among `speakers` (empty = all may be quoted).
    pub fn check(&self, speakers: &[i64]) -> Vec<(String, Refusal)> {
        speakers
            .iter()
            .filter_map(|p| match self.decisions.get(p) {
                Some((_, Ok(_))) => None,
                Some((ps, Err(r))) => Some((ps.clone(), *r)),
                None => Some((format!("person {p}"), Refusal::NoConsent)),
            })
            .collect()
    }

    /// Every reason why turns `first..=last` of a transcript may not be
    /// quoted: each speaker's refusal, and turns no consent covers (an
    /// unidentified speaker of a group interview, a purged speaker's turn).
    /// Empty when consent allows quoting the whole span.
    pub fn check_span(
        &self,
        conn: &Connection,
        transcript: i64,
        first: u32,
        last: u32,
    ) -> Result<Vec<(String, Refusal)>> {
        let speakers = transcripts::speakers_of(conn, transcript, first, last)?;
        let mut refusals = self.check(&speakers);
        let mut unquotable = transcripts::unquotable_turns(conn, transcript, first, last)?;
        unquotable.dedup_by_key(|(_, why)| *why);
        for (line, why) in unquotable {
            refusals.push((format!("turn {line}"), why));
        }
        Ok(refusals)
    }

    /// The attribution the person's consent allows, if quoting is allowed.
    pub fn attribution(&self, person: i64) -> Option<Attribution> {
        self.decisions.get(&person).and_then(|(_, d)| d.ok())
    }
}
