//! Wall-clock readings as milliseconds, without calendar types: a date and
//! time that are plainly real, counted from 1970-01-01T00:00.

/// Milliseconds since 1970-01-01T00:00 on the wall clock, for a date and a
/// time that are plainly real (`None` for a month, day, hour, minute or
/// second out of range).
#[inline]
pub(super) fn wall_clock_millis(year: u32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Option<i64> {
    let real = month.wrapping_sub(1) < 12
        && day.wrapping_sub(1) < days_in_month(year, month)
        && hour < 24
        && minute < 60
        && second < 60;
    if !real {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some(seconds * 1000)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a real date (month 1 to 12, day from 1) of the
/// proleptic Gregorian calendar: Howard Hinnant's `days_from_civil`, worked
/// 400 years (146,097 days) on, so that every quotient is of a positive number.
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    // Years start in March, so that a leap day ends its year.
    let year = u64::from(year) + 400 - u64::from(month <= 2);
    let day_of_year = u64::from((153 * ((month + 9) % 12) + 2) / 5 + day - 1);
    let days = year * 365 + year / 4 - year / 100 + year / 400 + day_of_year;
    days as i64 - 719_468 - 146_097
}
