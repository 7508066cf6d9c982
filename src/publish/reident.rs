//! Re-identification check: a published descriptor (with the attributes
//! published beside it) that fits fewer than k persons in the vault narrows
//! the speaker down to a handful of people, whatever the pseudonym says.

use crate::records::{persons, Result};
use rusqlite::Connection;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub pseudonym: String,
    /// The combination as published ("descriptor; city=Almaty; ...").
    pub combination: String,
    /// How many persons in the vault share it (including this one).
    pub shared_by: usize,
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
            });
        }
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
}
