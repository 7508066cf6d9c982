//! Kazakhstan IIN (individual identification number) and BIN.
//!
//! 12 digits: YYMMDD birth date, a century/sex digit (1–6, 0 for foreigners
//! in old records), four serial digits and a check digit computed with two
//! weight sequences modulo 11. The date decides whether a 12-digit number is
//! an IIN at all; the check digit raises confidence but is not required,
//! since a mistyped IIN still identifies its owner.

/// Whether `d` (12 ASCII digits) looks like an IIN or a BIN.
pub(crate) fn looks_like(d: &[u8]) -> bool {
    if d.len() != 12 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |i: usize| (d[i] - b'0') as u32;
    let yy = n(0) * 10 + n(1);
    let mm = n(2) * 10 + n(3);
    let dd = n(4) * 10 + n(5);
    let _ = yy;
    if (1..=12).contains(&mm) {
        let max = match mm {
            2 => 29,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if (1..=max).contains(&dd) && n(6) <= 6 {
            return true;
        }
        // BIN: YYMM, then 4/5/6 for the kind of legal entity.
        if (4..=6).contains(&n(4)) && check_digit_ok(d) {
            return true;
        }
    }
    false
}

/// The official check digit.
pub(crate) fn check_digit_ok(d: &[u8]) -> bool {
    if d.len() != 12 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let v: Vec<u32> = d.iter().map(|b| (b - b'0') as u32).collect();
    let w1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    let w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    let mut c = v.iter().zip(w1).map(|(a, b)| a * b).sum::<u32>() % 11;
    if c == 10 {
        c = v.iter().zip(w2).map(|(a, b)| a * b).sum::<u32>() % 11;
        if c == 10 {
            return false;
        }
    }
    c == v[11]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_dates_pass() {
        assert!(looks_like(b"870415305841"));
        assert!(looks_like(b"021104511377"));
    }

    #[test]
    fn invalid_dates_fail() {
        assert!(!looks_like(b"871315305841"), "month 13");
        assert!(!looks_like(b"870432305841"), "day 32");
        assert!(!looks_like(b"870230905841"), "Feb 30, digit 9");
        assert!(!looks_like(b"12345678901"), "11 digits");
        assert!(!looks_like(b"20212022abcd"));
    }

    #[test]
    fn check_digit() {
        // 950101 3 0001 ? : weights 1..11 give the check digit.
        let base = b"95010130001";
        let mut found = 0;
        for c in b'0'..=b'9' {
            let mut d = base.to_vec();
            d.push(c);
            if check_digit_ok(&d) {
                found += 1;
            }
        }
        assert_eq!(found, 1);
    }
}
