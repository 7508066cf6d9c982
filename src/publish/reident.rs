//! Re-identification check: a published descriptor (with the attributes
//! published beside it) that fits fewer than k persons in the vault narrows
//! the speaker down to a handful of people, whatever the pseudonym says.

use crate::records::exports::{self, ExportRef, Fact};
use crate::records::{persons, Result};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub pseudonym: String,
    /// The combination as published ("descriptor; city=Almaty; ...").
    pub combination: String,
    /// How many persons in the vault share it (including this one).
    pub shared_by: usize,
    /// The earlier exports and deposits whose disclosures, together with
    /// this output, narrow the person down (empty: this output alone does).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub earlier_exports: Vec<ExportRef>,
}

/// The fields a format publishes: every format publishes the descriptor;
/// only REFI-QDA also publishes the attributes (as case variables).
fn combination(p: &persons::Person, with_attributes: bool) -> Option<Vec<(String, String)>> {
    let mut c: Vec<(String, String)> = if with_attributes {
        p.attributes.clone()
    } else {
        Vec::new()
    };
    if let Some(d) = &p.descriptor {
        c.push(("descriptor".into(), d.trim().to_lowercase()));
    }
    if c.is_empty() {
        return None;
    }
    for (_, v) in c.iter_mut() {
        *v = v.trim().to_lowercase();
    }
    c.sort();
    Some(c)
}

/// Warnings for every published person whose combination (descriptor, and
/// attributes when `with_attributes`) is shared by fewer than `k` persons of
/// the vault (purged persons no longer count).
pub fn check(
    conn: &Connection,
    published: &[i64],
    k: u32,
    with_attributes: bool,
) -> Result<Vec<Warning>> {
    let everyone: Vec<persons::Person> = persons::list(conn)?
        .into_iter()
        .filter(|p| !p.is_purged())
        .collect();
    let mut out = Vec::new();
    for p in everyone.iter().filter(|p| published.contains(&p.id)) {
        let Some(mine) = combination(p, with_attributes) else {
            continue;
        };
        // Someone shares the combination if they have at least the same
        // values for every published field.
        let shared_by = everyone
            .iter()
            .filter(|o| {
                let theirs = combination(o, with_attributes).unwrap_or_default();
                mine.iter().all(|f| theirs.contains(f))
            })
            .count();
        if shared_by < k as usize {
            let mut parts: Vec<String> = p.descriptor.iter().cloned().collect();
            if with_attributes {
                parts.extend(p.attributes.iter().map(|(k, v)| format!("{k}={v}")));
            }
            out.push(Warning {
                pseudonym: p.pseudonym.clone(),
                combination: parts.join("; "),
                shared_by,
                earlier_exports: Vec::new(),
            });
        }
    }
    Ok(out)
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// What the vault knows about a person that a published fact can match.
struct Profile {
    descriptor: Option<String>,
    attributes: BTreeSet<(String, String)>,
    dates: BTreeSet<String>,
    languages: BTreeSet<String>,
}

impl Profile {
    /// Whether this person fits `fact`. An unknown kind of fact fits nobody,
    /// so that it can only make the check warn more, never less.
    fn fits(&self, fact: &Fact) -> bool {
        let v = norm(&fact.value);
        match fact.field.as_str() {
            "descriptor" => self.descriptor.as_deref() == Some(v.as_str()),
            "date" => self.dates.contains(&v),
            "month" => self.dates.iter().any(|d| d.starts_with(&v)),
            "language" => self.languages.contains(&v),
            f => match f.strip_prefix("attribute:") {
                Some(name) => self.attributes.contains(&(norm(name), v)),
                None => false,
            },
        }
    }
}

fn profiles(conn: &Connection) -> Result<Vec<Profile>> {
    let mut interviews: BTreeMap<i64, Vec<(String, String)>> = BTreeMap::new();
    let mut st = conn.prepare(
        "SELECT tp.person_id, t.date, t.lang FROM transcript_person tp JOIN transcript t ON t.id = tp.transcript_id",
    )?;
    for row in st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))? {
        let (p, date, lang) = row?;
        interviews.entry(p).or_default().push((date, lang));
    }
    Ok(persons::list(conn)?
        .into_iter()
        .filter(|p| !p.is_purged())
        .map(|p| {
            let mine = interviews.remove(&p.id).unwrap_or_default();
            Profile {
                descriptor: p.descriptor.as_deref().map(norm),
                attributes: p
                    .attributes
                    .iter()
                    .map(|(k, v)| (norm(k), norm(v)))
                    .collect(),
                dates: mine.iter().map(|(d, _)| d.clone()).collect(),
                languages: mine.iter().map(|(_, l)| norm(l)).collect(),
            }
        })
        .collect())
}

/// Disclosure across publications: for every person this output reveals
/// something about (`now`), combines it with what every earlier export and
/// deposit revealed about the same pseudonym, and warns when the combination
/// fits fewer than `k` persons of the vault while this output's own facts
/// fit more (the narrowing is the combination's doing; a single output's
/// own risk is [`check`]'s). Persons in `exempt` (named with consent) are
/// skipped.
pub fn cumulative(
    conn: &Connection,
    now: &[(i64, Fact)],
    k: u32,
    exempt: &[i64],
) -> Result<Vec<Warning>> {
    let mut new_facts: BTreeMap<i64, BTreeSet<Fact>> = BTreeMap::new();
    for (p, f) in now {
        if !exempt.contains(p) {
            new_facts.entry(*p).or_default().insert(f.clone());
        }
    }
    if new_facts.is_empty() {
        return Ok(Vec::new());
    }
    let everyone = profiles(conn)?;
    let fitting = |facts: &BTreeSet<Fact>| {
        everyone
            .iter()
            .filter(|o| facts.iter().all(|f| o.fits(f)))
            .count()
    };
    let mut out = Vec::new();
    for (p, mine) in new_facts {
        let earlier = exports::disclosure_of(conn, p)?;
        if earlier.is_empty() {
            continue;
        }
        let mut all = mine.clone();
        all.extend(earlier.iter().map(|d| d.fact.clone()));
        let (alone, together) = (fitting(&mine), fitting(&all));
        if together >= k as usize || together >= alone {
            continue;
        }
        let contributing: BTreeSet<ExportRef> = earlier
            .iter()
            .filter(|d| !mine.contains(&d.fact))
            .flat_map(|d| d.exports.iter().cloned())
            .collect();
        let combination = all
            .iter()
            .map(|f| format!("{}={}", f.field.trim_start_matches("attribute:"), f.value))
            .collect::<Vec<_>>()
            .join("; ");
        out.push(Warning {
            pseudonym: persons::get(conn, p)?.pseudonym,
            combination,
            shared_by: together,
            earlier_exports: contributing.into_iter().collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::persons::{add, NewPerson};

    fn person(conn: &Connection, d: &str, city: &str) -> i64 {
        add(
            conn,
            &NewPerson {
                name: format!("Name{}", d.len() + city.len()),
                descriptor: Some(d.into()),
                attributes: vec![("city".into(), city.into())],
                ..Default::default()
            },
        )
        .unwrap()
        .id
    }

    #[test]
    fn flags_combinations_shared_by_fewer_than_k() {
        let conn = crate::records::in_memory().unwrap();
        let a = person(&conn, "activist", "Almaty");
        person(&conn, "activist", "Almaty");
        person(&conn, "Activist ", "almaty");
        let lone = person(&conn, "activist", "Ridder");
        assert!(check(&conn, &[a], 3, true).unwrap().is_empty());
        let w = check(&conn, &[a, lone], 3, true).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].shared_by, w[0].combination.as_str()),
            (1, "activist; city=Ridder")
        );
        assert_eq!(check(&conn, &[a], 4, true).unwrap().len(), 1);
        // Without attributes (Markdown, CSV, JSON, DOCX) only the descriptor is published.
        assert!(check(&conn, &[lone], 3, false).unwrap().is_empty());
    }

    #[test]
    fn two_outputs_that_together_narrow_a_person_below_k_name_the_earlier_one() {
        let conn = crate::records::in_memory().unwrap();
        let a = person(&conn, "activist", "Almaty");
        person(&conn, "activist", "Almaty");
        let c = person(&conn, "activist", "Ridder");
        let d = Fact::new("descriptor", "activist");
        let first = exports::log(&conn, "md", "one.md", "x", &[(1, a)]).unwrap();
        exports::log_disclosure(&conn, first, &[(a, d.clone())]).unwrap();
        // The city and the earlier descriptor still fit two persons: fine at k=2.
        let now = [(a, Fact::new("attribute:city", "almaty"))];
        assert!(cumulative(&conn, &now, 2, &[]).unwrap().is_empty());
        // An earlier output revealed the lone Ridder activist's city; this one
        // reveals the descriptor (3 activists): together they fit 1.
        let second = exports::log(&conn, "qdpx", "two.qdpx", "y", &[(2, c)]).unwrap();
        exports::log_disclosure(&conn, second, &[(c, Fact::new("attribute:city", "Ridder"))])
            .unwrap();
        let w = cumulative(&conn, &[(c, d.clone())], 3, &[]).unwrap();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].shared_by, 1);
        assert_eq!(w[0].earlier_exports[0].file_name, "two.qdpx");
        // Named persons are exempt.
        assert!(cumulative(&conn, &[(c, d)], 3, &[c]).unwrap().is_empty());
    }
}
