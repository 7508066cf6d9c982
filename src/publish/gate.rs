//! The consent gate: whether each speaker's current consent allows an
//! output's purpose today (quoting for quote exports, analysis for whole
//! transcripts sent to coding software, archiving for a deposit), and which
//! attribution it allows. A person with no consent record is treated as not
//! consenting; a purged person can never pass.

use crate::records::{
    consent::{self, Attribution, Purpose, Refusal},
    persons, transcripts, Result,
};
use rusqlite::Connection;
use std::collections::BTreeMap;
use time::Date;

pub struct ConsentGate {
    purpose: Purpose,
    /// person id -> (pseudonym, Ok(attribution) or the refusal)
    decisions: BTreeMap<i64, (String, Result<Attribution, Refusal>)>,
}

impl ConsentGate {
    /// The gate of quote exports.
    pub fn load(conn: &Connection, today: Date) -> Result<ConsentGate> {
        ConsentGate::for_purpose(conn, today, Purpose::Quoting)
    }

    /// The gate of an output made for `purpose`.
    pub fn for_purpose(conn: &Connection, today: Date, purpose: Purpose) -> Result<ConsentGate> {
        let mut decisions = BTreeMap::new();
        let mut consents = consent::current_all(conn)?;
        for p in persons::list(conn)? {
            let decision = if p.is_purged() {
                Err(Refusal::Purged)
            } else {
                consents
                    .remove(&p.id)
                    .unwrap_or(consent::CurrentConsent::None)
                    .allows(purpose, today)
                    .map(|r| r.attribution)
            };
            decisions.insert(p.id, (p.pseudonym, decision));
        }
        Ok(ConsentGate { purpose, decisions })
    }

    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    /// The refusals among `speakers` (empty = all pass).
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

    /// The attribution the person's consent allows, if the purpose is allowed.
    pub fn attribution(&self, person: i64) -> Option<Attribution> {
        self.decisions.get(&person).and_then(|(_, d)| d.ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::consent::{record, withdraw, Method, NewConsent, Scope};
    use crate::records::persons::{add, NewPerson};

    fn person(conn: &Connection, name: &str, recording: bool, quotes: bool, archive: bool) -> i64 {
        let p = add(
            conn,
            &NewPerson {
                name: name.into(),
                ..Default::default()
            },
        )
        .unwrap();
        let c = NewConsent {
            date: "2021-05-01".into(),
            method: Method::Written,
            recording,
            quotes,
            archive,
            secondary_use: false,
            attribution: Attribution::Pseudonym,
            embargo_until: None,
            restrictions: None,
            note: None,
        };
        record(conn, p.id, &c, &[]).unwrap();
        p.id
    }

    #[test]
    fn each_purpose_checks_its_own_scope_and_scoped_withdrawals_keep_the_rest() {
        let conn = crate::records::in_memory().unwrap();
        let all = person(&conn, "Арман", true, true, true);
        let no_quotes = person(&conn, "Ерлан", true, false, true);
        let no_recording = person(&conn, "Дина", false, true, false);
        let today = crate::records::today();
        let gate = |p| ConsentGate::for_purpose(&conn, today, p).unwrap();
        assert!(gate(Purpose::Quoting).check(&[all]).is_empty());
        assert_eq!(
            gate(Purpose::Quoting).check(&[no_quotes])[0].1,
            Refusal::QuotesRefused
        );
        assert!(gate(Purpose::Analysis).check(&[no_quotes]).is_empty());
        assert!(gate(Purpose::Archiving).check(&[no_quotes]).is_empty());
        assert_eq!(
            gate(Purpose::Analysis).check(&[no_recording])[0].1,
            Refusal::RecordingRefused
        );
        assert_eq!(
            gate(Purpose::Archiving).check(&[no_recording])[0].1,
            Refusal::ArchiveRefused
        );

        withdraw(&conn, all, "2021-06-01", Some(Scope::Archive), None).unwrap();
        assert_eq!(
            gate(Purpose::Archiving).check(&[all])[0].1,
            Refusal::ScopeWithdrawn(Scope::Archive)
        );
        assert!(gate(Purpose::Quoting).check(&[all]).is_empty());
        assert!(gate(Purpose::Analysis).check(&[all]).is_empty());
        // Withdrawing a scope twice, or one never given, changes nothing and is refused.
        assert!(withdraw(&conn, all, "2021-06-02", Some(Scope::Archive), None).is_err());
        assert!(withdraw(&conn, all, "2021-06-02", Some(Scope::SecondaryUse), None).is_err());
        // A full withdrawal closes every purpose, analysis included.
        withdraw(&conn, all, "2021-07-01", None, None).unwrap();
        for p in [Purpose::Quoting, Purpose::Analysis, Purpose::Archiving] {
            assert_eq!(gate(p).check(&[all])[0].1, Refusal::Withdrawn);
        }
    }
}
