//! Reading one directive's text from the front of a value: digits, a
//! two-digit year, a month's name, AM/PM, a fraction of a second, an
//! offset. Each takes what it reads and hands back the rest, or `None` when
//! the text does not fit.

/// From `min` to `max` digits, as many as there are, read in one pass.
#[inline]
pub(super) fn take_digits<'a>(rest: &'a [u8], min: usize, max: usize, out: &mut Option<u32>) -> Option<&'a [u8]> {
    let mut value = 0u32;
    let mut count = 0;
    while count < max {
        match rest.get(count) {
            Some(digit @ b'0'..=b'9') => value = value * 10 + u32::from(digit - b'0'),
            _ => break,
        }
        count += 1;
    }
    if count < min {
        return None;
    }
    *out = Some(value);
    Some(&rest[count..])
}

/// Two digits of a year: 00-68 this century, 69-99 the last (POSIX's pivot).
#[inline]
pub(super) fn take_short_year<'a>(rest: &'a [u8], out: &mut Option<u32>) -> Option<&'a [u8]> {
    let mut two = None;
    let after = take_digits(rest, 2, 2, &mut two)?;
    let two = two?;
    *out = Some(if two < 69 { 2000 + two } else { 1900 + two });
    Some(after)
}

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month's three-letter English abbreviation, `Jan` to `Dec`.
#[inline]
pub(super) fn month_abbreviation(month: u32) -> &'static str {
    const SHORT: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    SHORT.get(month.wrapping_sub(1) as usize).copied().unwrap_or("???")
}

/// A month's English name in any case: whole (`September`), in three letters
/// (`Sep`), or `Sept`. The longest name that fits is taken.
#[inline]
pub(super) fn take_month_name<'a>(rest: &'a [u8], out: &mut Option<u32>) -> Option<&'a [u8]> {
    let letters = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let word = &rest[..letters];
    let month = MONTH_NAMES.iter().position(|name| {
        let name = name.as_bytes();
        word.eq_ignore_ascii_case(name)
            || word.eq_ignore_ascii_case(&name[..3])
            || (name.starts_with(b"sept") && word.eq_ignore_ascii_case(b"sept"))
    })?;
    *out = Some(month as u32 + 1);
    Some(&rest[letters..])
}

/// `AM` or `PM` in any case, with or without dots (`a.m.`); true for the afternoon.
#[inline]
pub(super) fn take_meridiem<'a>(rest: &'a [u8], afternoon: &mut Option<bool>) -> Option<&'a [u8]> {
    let is_afternoon = match rest.first()?.to_ascii_lowercase() {
        b'a' => false,
        b'p' => true,
        _ => return None,
    };
    let mut after = &rest[1..];
    after = after.strip_prefix(b".").unwrap_or(after);
    after = match after.first()? {
        b'm' | b'M' => &after[1..],
        _ => return None,
    };
    after = after.strip_prefix(b".").unwrap_or(after);
    *afternoon = Some(is_afternoon);
    Some(after)
}

/// An optional `.` or `,` followed by one to nine digits.
#[inline]
pub(super) fn take_fraction<'a>(rest: &'a [u8], out: &mut Option<u32>) -> Option<&'a [u8]> {
    match rest.first() {
        Some(b'.' | b',') => {}
        _ => return Some(rest),
    }
    let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let mut nanos = rest[1..=digits]
        .iter()
        .fold(0u32, |acc, digit| acc * 10 + u32::from(digit - b'0'));
    for _ in digits..9 {
        nanos *= 10;
    }
    *out = Some(nanos);
    Some(&rest[1 + digits..])
}

/// `Z`, `+hh`, `+hhmm` or `+hh:mm` (or `-`).
#[inline]
pub(super) fn take_offset<'a>(rest: &'a [u8], out: &mut Option<i32>) -> Option<&'a [u8]> {
    let (sign, after_sign) = match rest.first()? {
        b'Z' | b'z' => {
            *out = Some(0);
            return Some(&rest[1..]);
        }
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let mut hours = None;
    let mut after = take_digits(after_sign, 2, 2, &mut hours)?;
    if after.first() == Some(&b':') {
        after = &after[1..];
    }
    let mut minutes = None;
    if after.first().is_some_and(u8::is_ascii_digit) {
        after = take_digits(after, 2, 2, &mut minutes)?;
    }
    let (h, m) = (hours? as i32, minutes.unwrap_or(0) as i32);
    if h > 23 || m > 59 {
        return None;
    }
    *out = Some(sign * (h * 3600 + m * 60));
    Some(after)
}
