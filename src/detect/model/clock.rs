//! Local wall-clock time for detection: which night a contact falls in, and
//! how instants are written in flags and sentences. Nights are read off the
//! local clock, so a night that spans a clock change is simply 11 or 13
//! hours long in absolute time (with the default 18:00-06:00), and a time in
//! the repeated October hour keeps its offset in the written window.
//!
//! Offsets from UTC are looked up once per quarter hour of the data's span
//! (every zone changes offset on a quarter hour) and then read from a table.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike};
use chrono_tz::Tz;

use crate::csv_out::Line;

const QUARTER: i64 = 15 * 60_000;

/// Time zones of the forces and the configured night.
#[derive(Debug, Clone)]
pub struct Clock {
    zones: Vec<Tz>,
    night_start_hour: u32,
    night_end_hour: u32,
    /// The first quarter hour of the table.
    first_quarter: i64,
    /// Per force, the offset from UTC in seconds of each quarter hour from `first_quarter`.
    offsets: Vec<Vec<i32>>,
}

impl Clock {
    pub fn new(zones: Vec<Tz>, night_start_hour: u32, night_end_hour: u32) -> Clock {
        Clock {
            zones,
            night_start_hour,
            night_end_hour,
            first_quarter: 0,
            offsets: Vec::new(),
        }
    }

    /// Tabulates the offsets of the instants from `from` to `until` (UTC ms).
    pub fn covering(mut self, from: i64, until: i64) -> Clock {
        let (first, last) = (from.div_euclid(QUARTER), until.div_euclid(QUARTER));
        let quarters = (last - first + 1).clamp(0, 40 * 366 * 96);
        self.first_quarter = first;
        let mut by_zone: Vec<(Tz, Vec<i32>)> = Vec::new();
        for zone in &self.zones {
            if by_zone.iter().all(|(z, _)| z != zone) {
                let table = (0..quarters)
                    .map(|q| offset_seconds(*zone, (first + q) * QUARTER))
                    .collect();
                by_zone.push((*zone, table));
            }
        }
        self.offsets = self
            .zones
            .iter()
            .map(|zone| {
                by_zone
                    .iter()
                    .find(|(z, _)| z == zone)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default()
            })
            .collect();
        self
    }

    fn zone(&self, force: u16) -> Tz {
        self.zones
            .get(usize::from(force))
            .copied()
            .unwrap_or(chrono_tz::Europe::London)
    }

    /// Seconds east of UTC at `at` in the force's zone.
    fn offset(&self, force: u16, at: i64) -> i32 {
        let quarter = at.div_euclid(QUARTER) - self.first_quarter;
        let table = self.offsets.get(usize::from(force));
        match table.and_then(|t| usize::try_from(quarter).ok().and_then(|q| t.get(q))) {
            Some(&seconds) => seconds,
            None => offset_seconds(self.zone(force), at),
        }
    }

    /// The local reading of an instant.
    pub fn local(&self, force: u16, at: i64) -> NaiveDateTime {
        shifted(at, self.offset(force, at))
    }

    /// The date of the evening that starts the night `at` falls in; `None` by day.
    pub fn night_of(&self, force: u16, at: i64) -> Option<NaiveDate> {
        let local = self.local(force, at);
        if local.hour() >= self.night_start_hour {
            Some(local.date())
        } else if local.hour() < self.night_end_hour {
            local.date().pred_opt()
        } else {
            None
        }
    }

    /// The local calendar date.
    pub fn date(&self, force: u16, at: i64) -> NaiveDate {
        self.local(force, at).date()
    }

    /// ISO 8601 local time with its offset (`2025-08-26T21:40:00+01:00`), for tables.
    pub fn stamp(&self, force: u16, at: i64) -> String {
        let mut stamp = Vec::with_capacity(25);
        self.push_stamp(force, at, &mut stamp);
        stamp.into_iter().map(char::from).collect()
    }

    /// [`Clock::stamp`] appended to `out`, digit by digit (the tables write
    /// millions of these; formatting machinery was a tenth of detection).
    pub fn push_stamp(&self, force: u16, at: i64, out: &mut Vec<u8>) {
        let offset = self.offset(force, at);
        push_reading(shifted(at, offset), b'T', out);
        let sign = if offset < 0 { b'-' } else { b'+' };
        let offset = offset.unsigned_abs();
        for (separator, value) in [(sign, offset / 3600), (b':', offset / 60 % 60)] {
            out.push(separator);
            push_digits(out, value);
        }
    }

    /// The local wall-clock reading as a spreadsheet reads a date and time
    /// (`2025-08-26 21:40:00`): no offset, so the repeated October hour reads twice.
    pub fn push_wall_clock(&self, force: u16, at: i64, out: &mut Vec<u8>) {
        push_reading(self.local(force, at), b' ', out);
    }

    /// [`Clock::push_wall_clock`] as text.
    pub fn wall_clock(&self, force: u16, at: i64) -> String {
        let mut reading = Vec::with_capacity(19);
        self.push_wall_clock(force, at, &mut reading);
        reading.into_iter().map(char::from).collect()
    }

    /// An instant as two CSV fields: [`Clock::stamp`] and [`Clock::push_wall_clock`]
    /// (the column named by [`crate::wall_clock::local_column`]); two empty fields when there is none.
    pub fn stamp_fields(&self, line: &mut Line, force: u16, at: Option<i64>) {
        match at {
            Some(at) => {
                line.field_with(|out| self.push_stamp(force, at, out));
                line.field_with(|out| self.push_wall_clock(force, at, out));
            }
            None => {
                line.field("");
                line.field("");
            }
        }
    }

    /// `21:40` for sentences.
    pub fn time_text(&self, force: u16, at: i64) -> String {
        let local = self.local(force, at);
        format!("{:02}:{:02}", local.hour(), local.minute())
    }

    /// `26 August 2025` for sentences.
    pub fn date_text(&self, force: u16, at: i64) -> String {
        day_text(self.date(force, at))
    }
}

/// The wall-clock reading of UTC instant `at` (ms) at `offset` seconds east of UTC.
fn shifted(at: i64, offset: i32) -> NaiveDateTime {
    let local = at + i64::from(offset) * 1000;
    DateTime::from_timestamp_millis(local).unwrap_or_default().naive_utc()
}

/// `2025-08-26T21:40:00` (with `T` as `between`): a reading's date and time.
fn push_reading(local: NaiveDateTime, between: u8, out: &mut Vec<u8>) {
    match u32::try_from(local.year()) {
        Ok(year) if year <= 9999 => {
            push_digits(out, year / 100);
            push_digits(out, year % 100);
        }
        _ => out.extend_from_slice(format!("{:04}", local.year()).as_bytes()),
    }
    let parts = [
        (b'-', local.month()),
        (b'-', local.day()),
        (between, local.hour()),
        (b':', local.minute()),
        (b':', local.second()),
    ];
    for (separator, value) in parts {
        out.push(separator);
        push_digits(out, value);
    }
}

/// Two decimal digits (values up to 99).
fn push_digits(out: &mut Vec<u8>, value: u32) {
    out.push(b'0' + (value / 10 % 10) as u8);
    out.push(b'0' + (value % 10) as u8);
}

/// Seconds east of UTC at an instant in a zone.
fn offset_seconds(zone: Tz, at: i64) -> i32 {
    let utc = DateTime::from_timestamp_millis(at).unwrap_or_default().naive_utc();
    zone.offset_from_utc_datetime(&utc).fix().local_minus_utc()
}

/// `26 August 2025` (as chrono's `%-d %B %Y` writes it, without reading a pattern each time).
pub fn day_text(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match date.year() {
        year @ 0..=9999 => format!("{} {} {year:04}", date.day(), MONTHS[date.month0() as usize]),
        _ => date.format("%-d %B %Y").to_string(),
    }
}

/// A span of time as a reader would say it: `40 min`, `5.5 hours`, `12 days`.
pub fn span_text(millis: i64) -> String {
    let minutes = millis as f64 / 60_000.0;
    if minutes < 120.0 {
        format!("{} min", minutes.round() as i64)
    } else if minutes < 48.0 * 60.0 {
        format!("{:.1} hours", minutes / 60.0)
    } else {
        format!("{} days", (minutes / 1440.0).round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamps::resolve_local;
    use chrono_tz::Europe::London;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        let reading = NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap();
        resolve_local(reading, London).unwrap()
    }

    fn clock() -> Clock {
        Clock::new(vec![London], 18, 6)
    }

    #[test]
    fn day_text_writes_what_chronos_pattern_writes() {
        let mut day = NaiveDate::from_ymd_opt(-3, 12, 25).unwrap();
        while day.year() < 10_002 {
            assert_eq!(day_text(day), day.format("%-d %B %Y").to_string());
            day = day + chrono::Days::new(37);
        }
    }

    #[test]
    fn the_offset_table_agrees_with_the_time_zone_database_across_both_changes() {
        let (from, until) = (at(2024, 10, 20, 0, 0), at(2025, 4, 6, 0, 0));
        let tabulated = clock().covering(from, until);
        let direct = clock();
        let mut instant = from - 3_600_000;
        while instant < until + 3_600_000 {
            assert_eq!(tabulated.stamp(0, instant), direct.stamp(0, instant));
            instant += 7 * 60_000;
        }
    }

    #[test]
    fn stamps_are_written_as_the_time_zone_database_formats_them() {
        use chrono_tz::{America::St_Johns, Asia::Kolkata};
        let zones = vec![London, St_Johns, Kolkata];
        let clock = Clock::new(zones.clone(), 18, 6);
        let mut instant = at(1999, 12, 31, 23, 0);
        while instant < at(2031, 1, 1, 0, 0) {
            for (force, zone) in zones.iter().enumerate() {
                let expected = DateTime::from_timestamp_millis(instant)
                    .unwrap()
                    .with_timezone(zone)
                    .format("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string();
                assert_eq!(clock.stamp(force as u16, instant), expected);
            }
            instant += 433 * 60_000 + 17_250;
        }
    }

    #[test]
    fn a_night_runs_from_the_evening_to_the_next_morning_in_local_time() {
        let c = clock();
        let evening = NaiveDate::from_ymd_opt(2025, 8, 25);
        assert_eq!(c.night_of(0, at(2025, 8, 25, 18, 0)), evening);
        assert_eq!(c.night_of(0, at(2025, 8, 26, 5, 59)), evening);
        assert_eq!(c.night_of(0, at(2025, 8, 26, 6, 0)), None);
        assert_eq!(c.night_of(0, at(2025, 8, 25, 17, 59)), None);
    }

    #[test]
    fn both_passes_of_the_october_hour_keep_their_offset_and_read_the_same_on_the_wall_clock() {
        let c = clock();
        let first = at(2024, 10, 27, 0, 30) + 3_600_000;
        let second = first + 3_600_000;
        let mut line_bytes = Vec::new();
        let mut line = Line::new(&mut line_bytes);
        c.stamp_fields(&mut line, 0, Some(first));
        c.stamp_fields(&mut line, 0, Some(second));
        c.stamp_fields(&mut line, 0, None);
        line.end();
        assert_eq!(
            String::from_utf8(line_bytes).unwrap(),
            "2024-10-27T01:30:00+01:00,2024-10-27 01:30:00,2024-10-27T01:30:00+00:00,2024-10-27 01:30:00,,\n"
        );
    }

    #[test]
    fn the_october_night_is_thirteen_hours_and_the_march_night_eleven() {
        let c = clock();
        let october = NaiveDate::from_ymd_opt(2024, 10, 26);
        let (start, end) = (at(2024, 10, 26, 18, 0), at(2024, 10, 27, 5, 59));
        assert_eq!(c.night_of(0, start), october);
        assert_eq!(c.night_of(0, end), october);
        assert_eq!((end - start) / 60_000, 13 * 60 - 1);
        // The second 01:30 (GMT) is in the same night as the first (BST).
        let second_half_past_one = at(2024, 10, 27, 0, 30) + 2 * 3_600_000;
        assert_eq!(c.local(0, second_half_past_one).hour(), 1);
        assert_eq!(c.night_of(0, second_half_past_one), october);
        assert_eq!(c.stamp(0, second_half_past_one), "2024-10-27T01:30:00+00:00");
        let march = NaiveDate::from_ymd_opt(2025, 3, 29);
        let (start, end) = (at(2025, 3, 29, 18, 0), at(2025, 3, 30, 5, 59));
        assert_eq!(c.night_of(0, end), march);
        assert_eq!((end - start) / 60_000, 11 * 60 - 1);
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span_text(40 * 60_000), "40 min");
        assert_eq!(span_text(330 * 60_000), "5.5 hours");
        assert_eq!(span_text(12 * 86_400_000), "12 days");
    }
}
