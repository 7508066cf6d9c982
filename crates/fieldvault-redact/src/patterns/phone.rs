//! Phone numbers as written in Kazakhstan: +7 7xx, 8 7xx, 8 (7xx),
//! four-digit city codes (8 (7232) 24-61-93, +7 (7252) 53-18-07), with
//! spaces, dashes, dots, brackets or nothing (+77029931847, 87753920418),
//! other countries after a "+", and local numbers (255-44-11) when a word
//! like "номер"/"тел."/"phone" stands just before them.

/// Whether digits `d` in groups `groups` are a phone number.
/// `plus`: written with a leading "+"; `context`: a phone word precedes.
pub(crate) fn is_phone(d: &[u8], groups: &[usize], plus: bool, context: bool) -> bool {
    let n = d.len();
    // Thousands grouping is an amount: 87 000 000 000 тенге.
    if !plus && groups.len() >= 3 && groups[0] <= 3 && groups[1..].iter().all(|&g| g == 3) {
        return false;
    }
    if plus {
        return if d.first() == Some(&b'7') {
            n == 11
        } else {
            (10..=15).contains(&n)
        };
    }
    match n {
        11 => matches!(d[0], b'7' | b'8') && matches!(d[1], b'3'..=b'9'),
        10 => d[0] == b'7' && matches!(d[1], b'0'..=b'8'),
        5..=7 => {
            context
                && groups.len() >= 2
                && groups.last() == Some(&2)
                && groups.iter().all(|&g| (2..=3).contains(&g))
        }
        _ => false,
    }
}

/// Words that announce a phone number, lower-case.
pub(crate) const CONTEXT: &[&str] = &[
    "тел",
    "номер",
    "нөмір",
    "phone",
    "number",
    "звон",
    "call",
    "сотов",
    "моб",
    "whatsapp",
    "signal",
    "ватсап",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_phone(b"77014821937", &[1, 3, 3, 2, 2], true, false));
        assert!(is_phone(b"87753920418", &[11], false, false));
        assert!(is_phone(b"87232246193", &[1, 4, 2, 2, 2], false, false));
        assert!(is_phone(b"7014821937", &[3, 3, 2, 2], false, false));
        assert!(is_phone(b"2554411", &[3, 2, 2], false, true));
        assert!(is_phone(b"4930123456", &[2, 3, 6], true, false), "Germany");
    }

    #[test]
    fn not_phones() {
        assert!(
            !is_phone(b"2554411", &[3, 2, 2], false, false),
            "no context"
        );
        assert!(!is_phone(b"20192021", &[4, 4], false, true), "years");
        assert!(!is_phone(b"1000000", &[1, 3, 3], false, true), "amount");
        assert!(!is_phone(b"14032021", &[2, 2, 4], false, false), "date");
        assert!(!is_phone(b"12345678901", &[11], false, false));
        assert!(
            !is_phone(b"87000000000", &[2, 3, 3, 3], false, false),
            "an amount"
        );
    }
}
