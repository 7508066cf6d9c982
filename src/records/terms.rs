//! Project-wide sensitive terms (organisations, small places, workplaces,
//! events) with their replacements, and the allow-list of words that must
//! never be redacted (public figures).

use super::{now_rfc3339, RecordsError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// The kinds of sensitive term are the redaction engine's own, so that
/// the vault and the engine cannot disagree on a kind or its default
/// replacement.
pub use fieldvault_redact::TermKind;

/// What a row of the term table is: a sensitive term to redact, or an
/// allow-listed word that is never redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermClass {
    Sensitive(TermKind),
    Allowed,
}

impl TermClass {
    /// The value of the table's `kind` column (and of `kind` in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            TermClass::Sensitive(k) => k.as_str(),
            TermClass::Allowed => "allow",
        }
    }

    fn from_column(s: &str) -> TermClass {
        match s {
            "allow" => TermClass::Allowed,
            // The column's CHECK admits only known kinds.
            other => TermClass::Sensitive(TermKind::parse(other).unwrap_or(TermKind::Other)),
        }
    }
}

impl Serialize for TermClass {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub id: i64,
    pub text: String,
    pub kind: TermClass,
    pub replacement: Option<String>,
    pub created: String,
}

fn clean_text(text: &str) -> Result<String> {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(RecordsError::Invalid("the term is empty".into()));
    }
    if t.chars().count() > 200 {
        return Err(RecordsError::Invalid(
            "a term is at most 200 characters".into(),
        ));
    }
    if !t.chars().any(char::is_alphanumeric) {
        return Err(RecordsError::Invalid(
            "a term needs at least one letter or digit".into(),
        ));
    }
    Ok(t)
}

fn insert(
    conn: &Connection,
    text: &str,
    kind: TermClass,
    replacement: Option<String>,
) -> Result<Term> {
    let text = clean_text(text)?;
    let exists: Option<i64> = conn
        .query_row(
            "SELECT id FROM term WHERE text = ?1 AND kind = ?2",
            params![text, kind.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = exists {
        return Err(RecordsError::Invalid(format!(
            "that term is already registered as term {id}"
        )));
    }
    conn.execute(
        "INSERT INTO term(text, kind, replacement, created) VALUES (?1, ?2, ?3, ?4)",
        params![text, kind.as_str(), replacement, now_rfc3339()],
    )?;
    get(conn, conn.last_insert_rowid())
}

pub fn add(
    conn: &Connection,
    text: &str,
    kind: TermKind,
    replacement: Option<&str>,
) -> Result<Term> {
    let replacement = match replacement.map(str::trim) {
        Some("") => return Err(RecordsError::Invalid("the replacement is empty".into())),
        Some(r) if r.chars().count() > 100 => {
            return Err(RecordsError::Invalid(
                "a replacement is at most 100 characters".into(),
            ))
        }
        Some(r) => Some(if r.starts_with('[') {
            r.to_string()
        } else {
            format!("[{r}]")
        }),
        None => None,
    };
    insert(conn, text, TermClass::Sensitive(kind), replacement)
}

/// Allows a word (a public figure, a city) that must never be redacted.
/// Refused when it is part of a registered person's name or alias: allowing
/// it would silently stop redacting that person.
pub fn allow(conn: &Connection, text: &str) -> Result<Term> {
    if let Some(pseudonym) = person_with_name_part(conn, text)? {
        return Err(RecordsError::Invalid(format!(
            "that word is part of the name of {pseudonym}; allowing it would stop redacting them"
        )));
    }
    insert(conn, text, TermClass::Allowed, None)
}

/// The pseudonym of an active person one of whose name words or aliases is
/// `text` (compared case-insensitively, word by word).
pub fn person_with_name_part(conn: &Connection, text: &str) -> Result<Option<String>> {
    let wanted: Vec<String> = words(text);
    if wanted.is_empty() {
        return Ok(None);
    }
    let mut st = conn.prepare(
        "SELECT p.pseudonym, p.name FROM person p WHERE p.name IS NOT NULL
         UNION ALL SELECT p.pseudonym, a.alias FROM person_alias a JOIN person p ON p.id = a.person_id",
    )?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (pseudonym, name) = row?;
        let parts = words(&name);
        if wanted.iter().all(|w| parts.contains(w)) {
            return Ok(Some(pseudonym));
        }
    }
    Ok(None)
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

pub fn get(conn: &Connection, id: i64) -> Result<Term> {
    conn.query_row(
        "SELECT id, text, kind, replacement, created FROM term WHERE id = ?1",
        [id],
        row,
    )
    .optional()?
    .ok_or_else(|| RecordsError::UnknownTerm(id.to_string()))
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Term> {
    let kind: String = r.get(2)?;
    Ok(Term {
        id: r.get(0)?,
        text: r.get(1)?,
        kind: TermClass::from_column(&kind),
        replacement: r.get(3)?,
        created: r.get(4)?,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<Term>> {
    let mut st = conn.prepare(
        "SELECT id, text, kind, replacement, created FROM term ORDER BY kind = 'allow', id",
    )?;
    let rows = st.query_map([], row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn remove(conn: &Connection, id: i64) -> Result<Term> {
    let t = get(conn, id)?;
    conn.execute("DELETE FROM term WHERE id = ?1", [id])?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_allow_list_and_duplicates() {
        let conn = crate::records::in_memory().unwrap();
        let t = add(&conn, "Голос  степи", TermKind::Org, None).unwrap();
        assert_eq!(t.text, "Голос степи");
        assert!(add(&conn, "Голос степи", TermKind::Org, None).is_err());
        let r = add(&conn, "Жанабулак", TermKind::Place, Some("a village")).unwrap();
        assert_eq!(r.replacement.as_deref(), Some("[a village]"));
        allow(&conn, "Токаев").unwrap();
        let all = list(&conn).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].kind, TermClass::Allowed);
        assert!(add(&conn, "  ", TermKind::Org, None).is_err());
        assert!(TermKind::parse("city").is_none());
        let other = add(&conn, "Курултай", TermKind::Other, None).unwrap();
        assert_eq!(other.kind.as_str(), "other");
        assert_eq!(TermKind::Other.default_replacement(), "[redacted]");
    }

    #[test]
    fn allowing_part_of_a_registered_name_is_refused() {
        let conn = crate::records::in_memory().unwrap();
        crate::records::persons::add(
            &conn,
            &crate::records::persons::NewPerson {
                name: "Нурсултан Ахметов".into(),
                aliases: vec!["Nursultan".into()],
                ..Default::default()
            },
        )
        .unwrap();
        assert!(allow(&conn, "нурсултан")
            .unwrap_err()
            .to_string()
            .contains("Respondent 1"));
        assert!(allow(&conn, "NURSULTAN").is_err());
        allow(&conn, "Нурсултан Назарбаев").unwrap();
        allow(&conn, "Назарбаев").unwrap();
    }
}
