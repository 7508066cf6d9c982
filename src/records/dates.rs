//! Calendar dates as researchers type them (YYYY-MM-DD), validated once at
//! the edge and stored as the same ISO text so SQL can compare them.

use time::{macros::format_description, Date, OffsetDateTime};

#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not a date: write it as YYYY-MM-DD, e.g. 2021-03-14")]
pub struct DateError(pub String);

/// Parses a YYYY-MM-DD date, rejecting impossible ones (2021-02-30).
pub fn parse_date(s: &str) -> Result<Date, DateError> {
    let fmt = format_description!("[year]-[month]-[day]");
    let t = s.trim();
    if t.len() != 10 {
        return Err(DateError(short(s)));
    }
    Date::parse(t, &fmt).map_err(|_| DateError(short(s)))
}

/// Today's date in UTC: consent embargoes are day-granular, and UTC keeps a
/// vault's answer the same on every teammate's laptop.
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// The current instant as RFC 3339 UTC, for `created` and audit stamps.
pub fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Dates are never secret, but a mistyped argument might be a pasted name:
/// keep what is echoed short.
fn short(s: &str) -> String {
    s.chars().take(20).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_dates_and_rejects_impossible_ones() {
        assert_eq!(iso(parse_date("2021-03-14").unwrap()), "2021-03-14");
        assert!(parse_date("2021-02-30").is_err());
        assert!(parse_date("14.03.2021").is_err());
        assert!(parse_date("2021-3-14").is_err());
        assert!(parse_date("").is_err());
    }
}
