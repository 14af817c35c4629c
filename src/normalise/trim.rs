//! Trimming whitespace around a value, with a quick look first: most values
//! have none, and their first and last bytes say so.

/// `value` without surrounding whitespace (as `str::trim`).
pub fn trimmed(value: &str) -> &str {
    match (value.as_bytes().first(), value.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => value,
        _ => value.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn is_str_trim(value in "\\PC{0,6}|[ \t\u{a0}\u{3000}]{0,2}[a-z]{0,3}[ \t\u{a0}\u{3000}]{0,2}") {
            proptest::prop_assert_eq!(trimmed(&value), value.trim());
        }
    }
}
