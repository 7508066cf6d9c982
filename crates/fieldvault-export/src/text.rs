//! Small text helpers shared by the writers.

/// Whether `s` is an `xsd:dateTime` in UTC or with an offset, in the strict
/// RFC 3339 form `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` with an
/// upper-case `T` and `Z`, a real calendar date and no leap second (both
/// `xsd:dateTime` and OOXML's W3CDTF accept exactly this subset).
pub(crate) fn is_xsd_utc_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from.checked_add(n)?)?;
        let mut v: u32 = 0;
        for &c in part {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v.checked_mul(10)?.checked_add(u32::from(c - b'0'))?;
        }
        Some(v)
    };
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    let (Some(year), Some(month), Some(day), Some(hour), Some(min), Some(sec)) = (
        digits(0, 4),
        digits(5, 2),
        digits(8, 2),
        digits(11, 2),
        digits(14, 2),
        digits(17, 2),
    ) else {
        return false;
    };
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return false;
    }
    if year == 0 || !(1..=12).contains(&month) || hour > 23 || min > 59 || sec > 59 {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > month_days {
        return false;
    }
    let mut i = 19;
    if sep(i, b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+') | Some(b'-') => {
            let (Some(oh), Some(om)) = (digits(i + 1, 2), digits(i + 4, 2)) else {
                return false;
            };
            sep(i + 3, b':') && oh <= 14 && om <= 59 && i + 6 == b.len()
        }
        _ => false,
    }
}

/// Whether XML 1.0 can hold `c` at all (even as a character reference).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// The first character of `s` that XML 1.0 cannot hold.
pub(crate) fn first_non_xml_char(s: &str) -> Option<char> {
    s.chars().find(|&c| !is_xml_char(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        for ok in [
            "2024-05-01T12:00:00Z",
            "2024-02-29T23:59:59.123Z",
            "2021-05-20T08:30:00+05:00",
            "2021-05-20T08:30:00-00:00",
        ] {
            assert!(is_xsd_utc_datetime(ok), "{ok}");
        }
        for bad in [
            "",
            "2024-05-01",
            "2024-05-01 12:00:00Z",
            "2024-05-01t12:00:00z",
            "2023-02-29T12:00:00Z",
            "2024-13-01T12:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T12:00:60Z",
            "2024-05-01T12:00:00",
            "2024-05-01T12:00:00.Z",
            "2024-05-01T12:00:00Zjunk",
            "2024-05-01T12:00:00+5:00",
            "२०२४-05-01T12:00:00Z",
        ] {
            assert!(!is_xsd_utc_datetime(bad), "{bad}");
        }
    }

    #[test]
    fn xml_chars() {
        assert_eq!(first_non_xml_char("ok\ttab\nnewline қ"), None);
        assert_eq!(first_non_xml_char("bad\u{1}"), Some('\u{1}'));
        assert_eq!(first_non_xml_char("bad\u{FFFF}"), Some('\u{FFFF}'));
    }
}
