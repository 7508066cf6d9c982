//! Per-vault settings (pseudonym scheme, shell idle lock, re-identification
//! threshold), stored in the vault so teammates share them.

use super::{RecordsError, Result};
use rusqlite::{Connection, OptionalExtension};

/// A setting researchers may change with `config set`.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub key: &'static str,
    pub default: &'static str,
    pub help: &'static str,
    validate: fn(&str) -> Result<(), String>,
}

pub const PSEUDONYM_PREFIX: Setting = Setting {
    key: "pseudonym.prefix",
    default: "Respondent",
    help: "word before the number in generated pseudonyms (\"Respondent 7\")",
    validate: |v| {
        let n = v.chars().count();
        if n == 0 || n > 40 || v.chars().any(|c| c.is_control() || c == '[' || c == ']') {
            Err("a pseudonym prefix must be 1-40 characters without brackets".into())
        } else {
            Ok(())
        }
    },
};

pub const PSEUDONYM_NEXT: Setting = Setting {
    key: "pseudonym.next",
    default: "1",
    help: "number the next generated pseudonym starts from (taken numbers are skipped)",
    validate: |v| match v.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(()),
        _ => Err("pseudonym.next must be a whole number from 1".into()),
    },
};

pub const SHELL_IDLE_MINUTES: Setting = Setting {
    key: "shell.idle-minutes",
    default: "10",
    help: "minutes without input after which `shell` locks the vault (0 = never)",
    validate: |v| match v.parse::<u32>() {
        Ok(n) if n <= 24 * 60 => Ok(()),
        _ => Err("shell.idle-minutes must be a whole number of minutes, at most 1440".into()),
    },
};

pub const REIDENT_K: Setting = Setting {
    key: "export.k",
    default: "3",
    help: "an exported descriptor combination shared by fewer persons than this is flagged",
    validate: |v| match v.parse::<u32>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(()),
        _ => Err("export.k must be a whole number from 1 to 1000".into()),
    },
};

pub const ALL: &[Setting] = &[
    PSEUDONYM_PREFIX,
    PSEUDONYM_NEXT,
    SHELL_IDLE_MINUTES,
    REIDENT_K,
];

fn find(key: &str) -> Result<Setting> {
    ALL.iter()
        .copied()
        .find(|s| s.key == key)
        .ok_or_else(|| RecordsError::UnknownSetting(key.chars().take(40).collect()))
}

pub fn get(conn: &Connection, s: Setting) -> Result<String> {
    let v: Option<String> = conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [s.key], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(v.unwrap_or_else(|| s.default.to_string()))
}

pub fn get_u32(conn: &Connection, s: Setting) -> Result<u32> {
    get(conn, s)?.parse().map_err(|_| {
        RecordsError::Invalid(format!(
            "the setting {} holds a value that is not a number",
            s.key
        ))
    })
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<Setting> {
    let s = find(key)?;
    (s.validate)(value).map_err(RecordsError::Invalid)?;
    if s.key == PSEUDONYM_PREFIX.key {
        super::persons::check_prefix(conn, value)?;
    }
    conn.execute(
        "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [s.key, value],
    )?;
    Ok(s)
}

/// Every setting with its current value.
pub fn all(conn: &Connection) -> Result<Vec<(Setting, String)>> {
    ALL.iter().map(|s| Ok((*s, get(conn, *s)?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_set_and_validation() {
        let conn = crate::records::in_memory().unwrap();
        assert_eq!(get(&conn, PSEUDONYM_PREFIX).unwrap(), "Respondent");
        set(&conn, "pseudonym.prefix", "Interlocutor").unwrap();
        assert_eq!(get(&conn, PSEUDONYM_PREFIX).unwrap(), "Interlocutor");
        assert!(set(&conn, "pseudonym.next", "zero").is_err());
        assert!(set(&conn, "pseudonym.prefix", "[x]").is_err());
        assert!(matches!(
            set(&conn, "nope", "1"),
            Err(RecordsError::UnknownSetting(_))
        ));
    }
}
