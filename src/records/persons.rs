//! Interlocutors: the real-name registry and the pseudonyms that replace it.
//!
//! A pseudonym is assigned once and never given to anyone else, even after
//! the person is purged, so that "Respondent 7" in an old publication can
//! never come to mean somebody new.

use super::{now_rfc3339, settings, RecordsError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactKind {
    Phone,
    Email,
    Handle,
}

impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Phone => "phone",
            ContactKind::Email => "email",
            ContactKind::Handle => "handle",
        }
    }
    fn parse(s: &str) -> ContactKind {
        match s {
            "phone" => ContactKind::Phone,
            "email" => ContactKind::Email,
            _ => ContactKind::Handle,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub kind: ContactKind,
    pub value: String,
}

/// What `person add` supplies.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub name: String,
    pub aliases: Vec<String>,
    pub descriptor: Option<String>,
    pub pseudonym: Option<String>,
    pub contacts: Vec<Contact>,
    pub attributes: Vec<(String, String)>,
}

/// Changes `person edit` applies; `None`/empty leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PersonEdit {
    pub name: Option<String>,
    pub descriptor: Option<String>,
    pub pseudonym: Option<String>,
    pub add_aliases: Vec<String>,
    pub remove_aliases: Vec<String>,
    pub add_contacts: Vec<Contact>,
    pub remove_contacts: Vec<String>,
    pub set_attributes: Vec<(String, String)>,
    pub remove_attributes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: i64,
    pub pseudonym: String,
    /// `None` once purged.
    pub name: Option<String>,
    pub aliases: Vec<String>,
    pub descriptor: Option<String>,
    pub contacts: Vec<Contact>,
    pub attributes: Vec<(String, String)>,
    pub created: String,
    pub purged: Option<String>,
}

impl Person {
    pub fn is_purged(&self) -> bool {
        self.purged.is_some()
    }
}

fn clean(field: &str, v: &str, max: usize) -> Result<String> {
    let v = v.trim();
    if v.is_empty() {
        return Err(RecordsError::Invalid(format!("the {field} is empty")));
    }
    if v.chars().count() > max {
        return Err(RecordsError::Invalid(format!(
            "the {field} is longer than {max} characters"
        )));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(RecordsError::Invalid(format!(
            "the {field} contains control characters"
        )));
    }
    Ok(v.to_string())
}

fn check_pseudonym(
    conn: &Connection,
    p: &str,
    name: &str,
    aliases: &[String],
    except: Option<i64>,
) -> Result<String> {
    let p = clean("pseudonym", p, 60)?;
    if p.chars().all(|c| c.is_ascii_digit()) {
        return Err(RecordsError::Invalid(
            "a pseudonym cannot be only digits (digits alone are person ids)".into(),
        ));
    }
    if p.contains('[') || p.contains(']') {
        return Err(RecordsError::Invalid(
            "a pseudonym cannot contain brackets".into(),
        ));
    }
    // A pseudonym that spells out part of the real name defeats its purpose.
    let lower = p.to_lowercase();
    let reveals = std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .flat_map(|s| s.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 3)
        .any(|w| lower.contains(&w.to_lowercase()));
    if reveals {
        return Err(RecordsError::Invalid(
            "the pseudonym contains part of the person's real name".into(),
        ));
    }
    if let Some(owner) = name_word_owner(conn, &p, None)? {
        return Err(RecordsError::Invalid(format!(
            "a word of the pseudonym is part of the registered name or alias of {owner}; a pseudonym must not be anyone's name (it would be redacted as that person)"
        )));
    }
    match used_by(conn, &p)? {
        Some(id) if Some(id) != except => Err(RecordsError::DuplicatePseudonym(p)),
        _ => Ok(p),
    }
}

/// The folded words (three letters or more) of a text, so that Asel, Асель
/// and Әсел compare equal.
fn name_words(text: &str) -> Vec<Vec<u8>> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .map(|w| {
            fieldvault_redact::skeleton::fold(
                &w.to_lowercase(),
                fieldvault_redact::skeleton::Mode::Vowel,
            )
        })
        .collect()
}

/// The pseudonym of a person whose registered name or alias shares a word
/// with `text`, other than `except`.
fn name_word_owner(conn: &Connection, text: &str, except: Option<i64>) -> Result<Option<String>> {
    let words = name_words(text);
    if words.is_empty() {
        return Ok(None);
    }
    let rows: Vec<(i64, String, String)> = conn
        .prepare(
            "SELECT id, pseudonym, name FROM person WHERE name IS NOT NULL
             UNION ALL SELECT p.id, p.pseudonym, a.alias FROM person_alias a JOIN person p ON p.id = a.person_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows
        .into_iter()
        .filter(|(id, _, _)| Some(*id) != except)
        .find(|(_, _, n)| name_words(n).iter().any(|w| words.contains(w)))
        .map(|(_, ps, _)| ps))
}

/// Refuses a name or alias that shares a word with anyone's pseudonym or
/// with the pseudonym prefix: the pseudonym would then be redacted as the
/// person, or spell out their name.
fn check_name_against_pseudonyms(
    conn: &Connection,
    texts: &[&str],
    except: Option<i64>,
) -> Result<()> {
    let words: Vec<Vec<u8>> = texts.iter().flat_map(|t| name_words(t)).collect();
    if words.is_empty() {
        return Ok(());
    }
    let prefix = super::settings::get(conn, super::settings::PSEUDONYM_PREFIX)?;
    if name_words(&prefix).iter().any(|w| words.contains(w)) {
        return Err(RecordsError::Invalid(
            "a word of the name is the pseudonym prefix; change the prefix with `config set pseudonym.prefix`".into(),
        ));
    }
    let pseudonyms: Vec<(i64, String)> = conn
        .prepare("SELECT person_id, pseudonym FROM pseudonym_used")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if let Some((_, ps)) = pseudonyms
        .iter()
        .filter(|(id, _)| Some(*id) != except)
        .find(|(_, ps)| name_words(ps).iter().any(|w| words.contains(w)))
    {
        return Err(RecordsError::Invalid(format!(
            "a word of the name or alias is also in the pseudonym {ps}; a pseudonym must not be anyone's name"
        )));
    }
    Ok(())
}

/// Whether a pseudonym prefix shares a word with a registered name or alias.
pub fn check_prefix(conn: &Connection, prefix: &str) -> Result<()> {
    match name_word_owner(conn, prefix, None)? {
        Some(owner) => Err(RecordsError::Invalid(format!(
            "a word of the prefix is part of the registered name or alias of {owner}; pseudonyms must not be anyone's name"
        ))),
        None => Ok(()),
    }
}

/// Who was ever given this pseudonym (now or in the past).
fn used_by(conn: &Connection, pseudonym: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT person_id FROM pseudonym_used WHERE pseudonym = ?1
             UNION SELECT id FROM person WHERE pseudonym = ?1 COLLATE NOCASE LIMIT 1",
            [pseudonym],
            |r| r.get(0),
        )
        .optional()?)
}

fn assign_pseudonym(conn: &Connection, id: i64, pseudonym: &str) -> Result<()> {
    conn.execute(
        "UPDATE person SET pseudonym = ?1 WHERE id = ?2",
        params![pseudonym, id],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO pseudonym_used(pseudonym, person_id, assigned) VALUES (?1, ?2, ?3)",
        params![pseudonym, id, now_rfc3339()],
    )?;
    Ok(())
}

/// The next free "{prefix} {n}", skipping numbers already used in any form.
fn next_pseudonym(conn: &Connection) -> Result<String> {
    let prefix = settings::get(conn, settings::PSEUDONYM_PREFIX)?;
    let mut n = settings::get_u32(conn, settings::PSEUDONYM_NEXT)?;
    loop {
        let candidate = format!("{prefix} {n}");
        let taken = used_by(conn, &candidate)?.is_some();
        n = n
            .checked_add(1)
            .ok_or_else(|| RecordsError::Invalid("pseudonym numbers are exhausted".into()))?;
        if !taken {
            settings::set(conn, settings::PSEUDONYM_NEXT.key, &n.to_string())?;
            return Ok(candidate);
        }
    }
}

fn insert_details(
    conn: &Connection,
    id: i64,
    aliases: &[String],
    contacts: &[Contact],
    attrs: &[(String, String)],
) -> Result<()> {
    for a in aliases {
        let a = clean("alias", a, 120)?;
        conn.execute(
            "INSERT OR IGNORE INTO person_alias(person_id, alias) VALUES (?1, ?2)",
            params![id, a],
        )?;
    }
    for c in contacts {
        let v = clean(c.kind.as_str(), &c.value, 200)?;
        if c.kind == ContactKind::Phone && v.chars().filter(|c| c.is_ascii_digit()).count() < 5 {
            return Err(RecordsError::Invalid(
                "a phone number needs at least 5 digits".into(),
            ));
        }
        if c.kind == ContactKind::Email && !v.contains('@') {
            return Err(RecordsError::Invalid("an e-mail address needs an @".into()));
        }
        conn.execute(
            "INSERT OR IGNORE INTO person_contact(person_id, kind, value) VALUES (?1, ?2, ?3)",
            params![id, c.kind.as_str(), v],
        )?;
    }
    for (k, v) in attrs {
        let k = clean("attribute name", k, 40)?.to_lowercase();
        let v = clean("attribute value", v, 200)?;
        conn.execute(
            "INSERT INTO person_attribute(person_id, name, value) VALUES (?1, ?2, ?3)
             ON CONFLICT(person_id, name) DO UPDATE SET value = excluded.value",
            params![id, k, v],
        )?;
    }
    Ok(())
}

pub fn add(conn: &Connection, p: &NewPerson) -> Result<Person> {
    let name = clean("name", &p.name, 200)?;
    let texts: Vec<&str> = std::iter::once(name.as_str())
        .chain(p.aliases.iter().map(String::as_str))
        .collect();
    check_name_against_pseudonyms(conn, &texts, None)?;
    let descriptor = p
        .descriptor
        .as_deref()
        .map(|d| clean("descriptor", d, 300))
        .transpose()?;
    let pseudonym = match &p.pseudonym {
        Some(ps) => check_pseudonym(conn, ps, &name, &p.aliases, None)?,
        None => next_pseudonym(conn)?,
    };
    conn.execute(
        "INSERT INTO person(pseudonym, name, descriptor, created) VALUES (?1, ?2, ?3, ?4)",
        params![pseudonym, name, descriptor, now_rfc3339()],
    )?;
    let id = conn.last_insert_rowid();
    assign_pseudonym(conn, id, &pseudonym)?;
    insert_details(conn, id, &p.aliases, &p.contacts, &p.attributes)?;
    get(conn, id)
}

/// Finds a person by numeric id or pseudonym (case-insensitive).
pub fn resolve(conn: &Connection, key: &str) -> Result<i64> {
    let k = key.trim();
    let by_id = match k.parse::<i64>() {
        Ok(id) => conn
            .query_row("SELECT id FROM person WHERE id = ?1", [id], |r| r.get(0))
            .optional()?,
        Err(_) => None,
    };
    let found = match by_id {
        Some(id) => Some(id),
        None => conn
            .query_row(
                "SELECT id FROM person WHERE pseudonym = ?1 COLLATE NOCASE",
                [k],
                |r| r.get(0),
            )
            .optional()?,
    };
    // Echo the key only if it looks like an id or pseudonym, never a pasted name.
    found.ok_or_else(|| RecordsError::UnknownPerson(safe_echo(k)))
}

/// What an error may repeat of a user-typed key: digits and pseudonym-like
/// words are echoed; anything else could be a real name and is not.
pub(crate) fn safe_echo(k: &str) -> String {
    // Only an id ("12") or a generated-pseudonym shape ("Respondent 12"):
    // any other word could be a name typed in Latin letters.
    let k = k.trim();
    let id_like = !k.is_empty() && k.len() <= 12 && k.chars().all(|c| c.is_ascii_digit());
    let pseudonym_like = k.chars().count() <= 40
        && k.rsplit_once(' ').is_some_and(|(word, n)| {
            !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
                && word.chars().all(|c| c.is_alphabetic() || c == ' ')
        });
    if id_like || pseudonym_like {
        format!("{k:?}")
    } else {
        "with that id or pseudonym".to_string()
    }
}

pub fn get(conn: &Connection, id: i64) -> Result<Person> {
    type Row = (
        String,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
    );
    let row: Option<Row> = conn
        .query_row(
            "SELECT pseudonym, name, descriptor, created, purged FROM person WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let (pseudonym, name, descriptor, created, purged) =
        row.ok_or_else(|| RecordsError::UnknownPerson(id.to_string()))?;
    let aliases = conn
        .prepare("SELECT alias FROM person_alias WHERE person_id = ?1 ORDER BY rowid")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let contacts = conn
        .prepare("SELECT kind, value FROM person_contact WHERE person_id = ?1 ORDER BY rowid")?
        .query_map([id], |r| {
            Ok(Contact {
                kind: ContactKind::parse(&r.get::<_, String>(0)?),
                value: r.get(1)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let attributes = conn
        .prepare("SELECT name, value FROM person_attribute WHERE person_id = ?1 ORDER BY name")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Person {
        id,
        pseudonym,
        name,
        aliases,
        descriptor,
        contacts,
        attributes,
        created,
        purged,
    })
}

/// Every person, in id order, each exactly as [`get`] reads them. Four
/// queries in all rather than four per person: the consent gate, the
/// lexicon and `person list` read the whole registry on every command, and
/// at 10,000 persons the per-person queries took most of a second.
pub fn list(conn: &Connection) -> Result<Vec<Person>> {
    use std::collections::HashMap;
    let mut people = conn
        .prepare("SELECT id, pseudonym, name, descriptor, created, purged FROM person ORDER BY id")?
        .query_map([], |r| {
            Ok(Person {
                id: r.get(0)?,
                pseudonym: r.get(1)?,
                name: r.get(2)?,
                aliases: Vec::new(),
                descriptor: r.get(3)?,
                contacts: Vec::new(),
                attributes: Vec::new(),
                created: r.get(4)?,
                purged: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let at: HashMap<i64, usize> = people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    // The same order within each person as `get`: by rowid, attributes by name.
    let mut st =
        conn.prepare("SELECT person_id, alias FROM person_alias ORDER BY person_id, rowid")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = at.get(&r.get::<_, i64>(0)?) {
            people[i].aliases.push(r.get(1)?);
        }
    }
    let mut st = conn
        .prepare("SELECT person_id, kind, value FROM person_contact ORDER BY person_id, rowid")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = at.get(&r.get::<_, i64>(0)?) {
            people[i].contacts.push(Contact {
                kind: ContactKind::parse(&r.get::<_, String>(1)?),
                value: r.get(2)?,
            });
        }
    }
    let mut st = conn
        .prepare("SELECT person_id, name, value FROM person_attribute ORDER BY person_id, name")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = at.get(&r.get::<_, i64>(0)?) {
            people[i].attributes.push((r.get(1)?, r.get(2)?));
        }
    }
    Ok(people)
}

/// Fails if the person was purged: nothing new may be attached to them.
pub fn require_active(conn: &Connection, id: i64) -> Result<Person> {
    let p = get(conn, id)?;
    if p.is_purged() {
        return Err(RecordsError::Purged {
            pseudonym: p.pseudonym,
        });
    }
    Ok(p)
}

pub fn edit(conn: &Connection, id: i64, e: &PersonEdit) -> Result<Person> {
    let current = require_active(conn, id)?;
    if let Some(n) = &e.name {
        conn.execute(
            "UPDATE person SET name = ?1 WHERE id = ?2",
            params![clean("name", n, 200)?, id],
        )?;
    }
    if let Some(d) = &e.descriptor {
        let d = if d.trim().is_empty() {
            None
        } else {
            Some(clean("descriptor", d, 300)?)
        };
        conn.execute(
            "UPDATE person SET descriptor = ?1 WHERE id = ?2",
            params![d, id],
        )?;
    }
    if let Some(ps) = &e.pseudonym {
        let exported: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM export_item WHERE person_id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if exported && !ps.trim().eq_ignore_ascii_case(&current.pseudonym) {
            return Err(RecordsError::Invalid(format!(
                "{} already appears in exports; a new pseudonym would make earlier and later publications disagree",
                current.pseudonym
            )));
        }
        let name = e.name.clone().or(current.name.clone()).unwrap_or_default();
        let ps = check_pseudonym(conn, ps, &name, &current.aliases, Some(id))?;
        assign_pseudonym(conn, id, &ps)?;
    }
    for a in &e.remove_aliases {
        conn.execute(
            "DELETE FROM person_alias WHERE person_id = ?1 AND alias = ?2",
            params![id, a.trim()],
        )?;
    }
    for c in &e.remove_contacts {
        conn.execute(
            "DELETE FROM person_contact WHERE person_id = ?1 AND value = ?2",
            params![id, c.trim()],
        )?;
    }
    for k in &e.remove_attributes {
        conn.execute(
            "DELETE FROM person_attribute WHERE person_id = ?1 AND name = ?2",
            params![id, k.trim().to_lowercase()],
        )?;
    }
    let new_texts: Vec<&str> = e
        .name
        .iter()
        .chain(e.add_aliases.iter())
        .map(String::as_str)
        .collect();
    check_name_against_pseudonyms(conn, &new_texts, Some(id))?;
    insert_details(conn, id, &e.add_aliases, &e.add_contacts, &e.set_attributes)?;
    // A new name or alias must not be spelled out by the pseudonym either.
    let after = get(conn, id)?;
    check_pseudonym(
        conn,
        &after.pseudonym,
        after.name.as_deref().unwrap_or(""),
        &after.aliases,
        Some(id),
    )?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn np(name: &str) -> NewPerson {
        NewPerson {
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn generated_pseudonyms_are_sequential_and_never_reused() {
        let conn = crate::records::in_memory().unwrap();
        let a = add(&conn, &np("Дина Ким")).unwrap();
        let b = add(&conn, &np("Арман Тлеубаев")).unwrap();
        assert_eq!(
            (a.pseudonym.as_str(), b.pseudonym.as_str()),
            ("Respondent 1", "Respondent 2")
        );
        super::super::purge::apply(&conn, b.id, &|_| None).unwrap();
        let c = add(&conn, &np("Жанар Абдрахманова")).unwrap();
        assert_eq!(c.pseudonym, "Respondent 3");
        assert!(matches!(
            add(
                &conn,
                &NewPerson {
                    pseudonym: Some("respondent 2".into()),
                    ..np("X Y")
                }
            ),
            Err(RecordsError::DuplicatePseudonym(_))
        ));
    }

    #[test]
    fn a_pseudonym_given_up_by_an_edit_is_never_given_again() {
        let conn = crate::records::in_memory().unwrap();
        let a = add(&conn, &np("Дина Ким")).unwrap();
        edit(
            &conn,
            a.id,
            &PersonEdit {
                pseudonym: Some("Alpha".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(matches!(
            add(
                &conn,
                &NewPerson {
                    pseudonym: Some("Respondent 1".into()),
                    ..np("Другой Человек")
                }
            ),
            Err(RecordsError::DuplicatePseudonym(_))
        ));
        crate::records::settings::set(&conn, "pseudonym.next", "1").unwrap();
        assert_eq!(add(&conn, &np("Третий")).unwrap().pseudonym, "Respondent 2");
        // Changing back to one's own old pseudonym is fine.
        edit(
            &conn,
            a.id,
            &PersonEdit {
                pseudonym: Some("Respondent 1".into()),
                ..Default::default()
            },
        )
        .unwrap();
        // A new alias the pseudonym spells out is refused.
        let e = edit(
            &conn,
            a.id,
            &PersonEdit {
                pseudonym: Some("Dinara X".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(edit(
            &conn,
            e.id,
            &PersonEdit {
                add_aliases: vec!["Dinara".into()],
                ..Default::default()
            }
        )
        .is_err());
        crate::records::exports::log(&conn, "md", "a.md", "00", &[(1, a.id)]).unwrap();
        assert!(edit(
            &conn,
            a.id,
            &PersonEdit {
                pseudonym: Some("Beta".into()),
                ..Default::default()
            }
        )
        .is_err());
    }

    #[test]
    fn explicit_pseudonym_skipped_by_generator_and_checked() {
        let conn = crate::records::in_memory().unwrap();
        add(
            &conn,
            &NewPerson {
                pseudonym: Some("Respondent 1".into()),
                ..np("Дина Ким")
            },
        )
        .unwrap();
        assert_eq!(add(&conn, &np("Арман")).unwrap().pseudonym, "Respondent 2");
        let leak = NewPerson {
            pseudonym: Some("Dina K".into()),
            aliases: vec!["Dina".into()],
            ..np("Дина Ким")
        };
        assert!(matches!(add(&conn, &leak), Err(RecordsError::Invalid(_))));
        assert!(add(
            &conn,
            &NewPerson {
                pseudonym: Some("42".into()),
                ..np("Z")
            }
        )
        .is_err());
    }

    #[test]
    fn resolve_by_id_or_pseudonym_and_unknown_does_not_echo_names() {
        let conn = crate::records::in_memory().unwrap();
        let a = add(&conn, &np("Дина Ким")).unwrap();
        assert_eq!(resolve(&conn, &a.id.to_string()).unwrap(), a.id);
        assert_eq!(resolve(&conn, "RESPONDENT 1").unwrap(), a.id);
        let e = resolve(&conn, "Сапарова Айгерим").unwrap_err().to_string();
        assert!(!e.contains("Сапарова"), "{e}");
        let e = resolve(&conn, "Aigerim Saparova").unwrap_err().to_string();
        assert!(!e.contains("Saparova"), "{e}");
        assert!(resolve(&conn, "Respondent 9")
            .unwrap_err()
            .to_string()
            .contains("Respondent 9"));
    }
}
