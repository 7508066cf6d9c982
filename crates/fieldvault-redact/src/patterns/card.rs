//! Payment card numbers: 13–19 digits, Luhn-valid, usually in groups of
//! four. A 16-digit number written as four groups of four is treated as a
//! card even when the checksum fails: it is almost never anything else, and
//! a mistyped card number still points at its holder.

/// The Luhn checksum.
pub(crate) fn luhn(d: &[u8]) -> bool {
    if d.len() < 2 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut sum = 0u32;
    for (i, b) in d.iter().rev().enumerate() {
        let mut x = (b - b'0') as u32;
        if i % 2 == 1 {
            x *= 2;
            if x > 9 {
                x -= 9;
            }
        }
        sum += x;
    }
    sum.is_multiple_of(10)
}

/// Whether digit groups of these lengths, with these digits, are a card.
pub(crate) fn is_card(d: &[u8], groups: &[usize], only_space_or_dash: bool) -> bool {
    let n = d.len();
    if !(13..=19).contains(&n) {
        return false;
    }
    if groups.len() == 1 {
        return luhn(d);
    }
    if !only_space_or_dash {
        return false;
    }
    let fours = groups[..groups.len() - 1].iter().all(|&g| g == 4)
        && (1..=4).contains(groups.last().unwrap_or(&0));
    let amex = groups == [4, 6, 5] || groups == [4, 6, 4];
    if !(fours || amex) {
        return false;
    }
    luhn(d) || groups == [4, 4, 4, 4]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_examples() {
        assert!(luhn(b"4400435164105013"));
        assert!(luhn(b"4405764342701871"));
        assert!(!luhn(b"4405764342701872"));
    }

    #[test]
    fn grouping() {
        assert!(is_card(b"4400435164105013", &[4, 4, 4, 4], true));
        assert!(is_card(b"4400435164105013", &[16], true));
        assert!(
            !is_card(b"4400435164105012", &[16], true),
            "bad Luhn, ungrouped"
        );
        assert!(
            is_card(b"4400435164105012", &[4, 4, 4, 4], true),
            "grouped like a card"
        );
        assert!(
            !is_card(b"2019202020212022", &[4, 4, 4, 4], false),
            "dots: years list"
        );
        assert!(!is_card(b"123456789012", &[12], true));
    }
}
