//! Telephone numbers to E.164 (`+447700900123`), from UK national and
//! international forms.

use super::trimmed;

/// Normalises a phone number to E.164, or `None` if it is not a plausible number.
///
/// Accepts spaces, dashes, dots and brackets, the UK trunk prefix written as
/// `(0)` after `+44`, the `00` international prefix, and UK national numbers
/// starting `0`. A UK number must have 10 digits after `+44`; other countries
/// 8 to 15 digits in all.
pub fn to_e164(raw: &str) -> Option<String> {
    let without_trunk;
    // Most numbers have no bracket, and one byte is found faster than three.
    let text = if memchr::memchr(b'(', raw.as_bytes()).is_some() && raw.contains("(0)") {
        without_trunk = raw.replace("(0)", "");
        &without_trunk
    } else {
        raw
    };
    let trimmed = trimmed(text);
    let allowed = |b: u8| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'+');
    if !trimmed.bytes().all(allowed) {
        return None;
    }
    let mut digits = [0u8; MAX_DIGITS];
    let mut count = 0;
    for digit in trimmed.bytes().filter(u8::is_ascii_digit) {
        *digits.get_mut(count)? = digit;
        count += 1;
    }
    let digits = &digits[..count];
    let (country, rest): (&[u8], &[u8]) = if trimmed.starts_with('+') {
        (b"", digits)
    } else if let Some(rest) = digits.strip_prefix(b"00") {
        (b"", rest)
    } else if let Some(rest) = digits.strip_prefix(b"0") {
        (b"44", rest)
    } else if digits.starts_with(b"44") && digits.len() == 12 {
        (b"", digits)
    } else {
        return None;
    };
    let national = if country == b"44" {
        Some(rest)
    } else {
        rest.strip_prefix(b"44")
    };
    let plausible = match national {
        Some(national) => national.len() == 10 && !national.starts_with(b"0"),
        None => (8..=15).contains(&rest.len()) && !rest.starts_with(b"0"),
    };
    plausible.then(|| {
        let mut number = String::with_capacity(1 + country.len() + rest.len());
        number.push('+');
        number.extend(country.iter().chain(rest).map(|&d| char::from(d)));
        number
    })
}

/// More digits than any plausible number has, even after a `00` prefix.
const MAX_DIGITS: usize = 17;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_forms_agree() {
        for raw in [
            "07700 900123",
            "07700-900-123",
            "+44 7700 900123",
            "+44 (0)7700 900123",
            "0044 7700 900123",
            "447700900123",
        ] {
            assert_eq!(to_e164(raw).as_deref(), Some("+447700900123"), "{raw}");
        }
        assert_eq!(to_e164("0121 496 0000").as_deref(), Some("+441214960000"));
    }

    #[test]
    fn implausible_numbers_are_none() {
        for raw in [
            "",
            "999",
            "07700 9001",
            "not known",
            "+44 07700 900123",
            "0770090012345",
        ] {
            assert_eq!(to_e164(raw), None, "{raw}");
        }
        assert_eq!(to_e164("+33 1 23 45 67 89").as_deref(), Some("+33123456789"));
    }

    /// The rules above written plainly, with a string per step, to check the
    /// allocation-free reading against.
    fn plainly(raw: &str) -> Option<String> {
        let without_trunk = raw.replace("(0)", "");
        let trimmed = without_trunk.trim();
        if trimmed
            .chars()
            .any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '+')))
        {
            return None;
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let international = if trimmed.starts_with('+') {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_string()
        } else if let Some(rest) = digits.strip_prefix('0') {
            format!("44{rest}")
        } else if digits.starts_with("44") && digits.len() == 12 {
            digits
        } else {
            return None;
        };
        let plausible = match international.strip_prefix("44") {
            Some(national) => national.len() == 10 && !national.starts_with('0'),
            None => (8..=15).contains(&international.len()) && !international.starts_with('0'),
        };
        plausible.then(|| format!("+{international}"))
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_plain_rules(raw in "[0-9 +().\\-]{0,24}|[+0]{0,3}4?4?[0-9 ]{0,22}( x)?|\\PC{0,12}") {
            proptest::prop_assert_eq!(to_e164(&raw), plainly(&raw));
        }
    }
}
