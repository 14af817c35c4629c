//! UK postcodes: upper case, one space before the inward code, shape checked.

/// `"b15 2tt"` → `"B15 2TT"`; `None` unless the shape is a UK postcode
/// (outward `A9`, `A99`, `AA9`, `AA99`, `A9A` or `AA9A`, inward `9AA`).
pub fn normalise_postcode(raw: &str) -> Option<String> {
    let mut compact = [0u8; 7];
    let mut length = 0;
    for c in raw.chars().filter(|c| !c.is_whitespace()) {
        if !c.is_ascii() || length == compact.len() {
            return None;
        }
        compact[length] = c.to_ascii_uppercase() as u8;
        length += 1;
    }
    if length < 5 {
        return None;
    }
    let compact = std::str::from_utf8(&compact[..length]).ok()?;
    let (outward, inward) = compact.split_at(length - 3);
    (valid_outward(outward) && valid_inward(inward)).then(|| {
        let mut postcode = String::with_capacity(length + 1);
        postcode.push_str(outward);
        postcode.push(' ');
        postcode.push_str(inward);
        postcode
    })
}

/// The postcode district (outward code), e.g. `"B15"` from `"B15 2TT"`.
pub fn postcode_district(normalised: &str) -> &str {
    normalised.split(' ').next().unwrap_or(normalised)
}

fn valid_inward(inward: &str) -> bool {
    let b = inward.as_bytes();
    b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
}

fn valid_outward(outward: &str) -> bool {
    let letters = outward.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = &outward.as_bytes()[letters..];
    let area_ok = (1..=2).contains(&letters);
    let district_ok = match rest {
        [d] => d.is_ascii_digit(),
        [d, x] => d.is_ascii_digit() && x.is_ascii_alphanumeric(),
        _ => false,
    };
    area_ok && district_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_valid_shapes() {
        assert_eq!(normalise_postcode("b15 2tt").as_deref(), Some("B15 2TT"));
        assert_eq!(normalise_postcode("NE1  4ST").as_deref(), Some("NE1 4ST"));
        assert_eq!(normalise_postcode("w1a1aa").as_deref(), Some("W1A 1AA"));
        assert_eq!(normalise_postcode("HU17 0AB").as_deref(), Some("HU17 0AB"));
        assert_eq!(postcode_district("HU17 0AB"), "HU17");
    }

    #[test]
    fn rejects_other_shapes() {
        for raw in ["", "B15", "123 456", "BB15 2TTT", "B15 T2T", "ÄB1 2TT"] {
            assert_eq!(normalise_postcode(raw), None, "{raw}");
        }
    }

    /// The rule written plainly, with a string per step, to check the
    /// allocation-free reading against.
    fn plainly(raw: &str) -> Option<String> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return None;
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        (valid_outward(outward) && valid_inward(inward)).then(|| format!("{outward} {inward}"))
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_plain_rule(raw in "[A-Za-z]{1,2}[0-9][0-9A-Za-z]?[ \t\u{a0}]{0,2}[0-9][A-Za-z]{2}|[ A-Za-z0-9\u{a0}]{0,10}|\\PC{0,9}") {
            proptest::prop_assert_eq!(normalise_postcode(&raw), plainly(&raw));
        }
    }
}
