//! A compiled timestamp format: a small, fast subset of strftime.
//!
//! Supported directives: `%Y` (four-digit year), `%y` (two-digit year: 00-68
//! is 2000-2068, 69-99 is 1969-1999, as POSIX reads it), `%m`, `%d`, `%H`,
//! `%M`, `%S` (one or two digits), `%e` (a day that may be padded with a
//! space), `%b` / `%B` (a month's English name, whole or in three letters,
//! any case), `%I` with `%p` (a 12-hour clock and `AM`/`PM`, also `a.m.`,
//! any case), `%.f` (optional fraction of a second), `%z` / `%:z` (an offset
//! `+hhmm`, `+hh:mm` or `Z`), `%%`, and literal characters. A `T` in a
//! pattern also matches a space. The word `iso8601` stands for
//! `%Y-%m-%dT%H:%M:%S%.f%:z`. Formats are compiled once per export, and parsing is a
//! single pass over the bytes with no allocation, which keeps ingest fast.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::calendar::wall_clock_millis;
use super::directives::{
    month_abbreviation, take_digits, take_fraction, take_meridiem, take_month_name, take_offset, take_short_year,
};
use super::fixed::FixedLayout;
use crate::normalise::trimmed;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    Year,
    /// Two digits, 00-68 in this century, 69-99 in the last.
    ShortYear,
    Month,
    /// An English month name, whole or its first three letters.
    MonthName,
    Day,
    /// A day of one or two digits, perhaps after a space.
    SpacePaddedDay,
    Hour,
    /// 1 to 12, made a 24-hour reading by [`Piece::Meridiem`].
    Hour12,
    /// `AM` or `PM`.
    Meridiem,
    Minute,
    Second,
    Fraction,
    Offset,
    /// A literal byte; `T` also matches a space, as ISO 8601 readers expect.
    Literal(u8),
}

/// A timestamp, date or time-of-day format, compiled from its pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeFormat {
    pattern: String,
    pieces: Vec<Piece>,
    /// Where full-width values put each field, when the format allows it.
    fixed: Option<FixedLayout>,
}

/// What a format read from a value: a date and/or a time, and an offset if the value carried one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    /// Offset east of UTC, in seconds.
    pub offset_seconds: Option<i32>,
}

/// Clock and calendar components to write, with the UTC offset in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub offset_seconds: i32,
}

impl Reading {
    /// The wall-clock reading of an instant (UTC milliseconds) in `zone`.
    pub fn of_instant(millis: i64, zone: chrono_tz::Tz) -> Option<Reading> {
        use chrono::{Datelike, Offset, Timelike};
        let local = chrono::DateTime::from_timestamp_millis(millis)?.with_timezone(&zone);
        Some(Reading {
            year: local.year(),
            month: local.month(),
            day: local.day(),
            hour: local.hour(),
            minute: local.minute(),
            second: local.second(),
            offset_seconds: local.offset().fix().local_minus_utc(),
        })
    }

    /// A calendar date, at midnight, offset zero.
    pub fn of_date(date: NaiveDate) -> Reading {
        use chrono::Datelike;
        Reading {
            year: date.year(),
            month: date.month(),
            day: date.day(),
            hour: 0,
            minute: 0,
            second: 0,
            offset_seconds: 0,
        }
    }
}

impl Parsed {
    /// The date and time together, when the value had both.
    pub fn date_time(&self) -> Option<NaiveDateTime> {
        Some(self.date?.and_time(self.time?))
    }
}

impl TimeFormat {
    /// Compiles a pattern; the error names the directive that is not supported.
    pub fn compile(pattern: &str) -> Result<TimeFormat, String> {
        let expanded = if pattern.eq_ignore_ascii_case("iso8601") {
            "%Y-%m-%dT%H:%M:%S%.f%:z"
        } else {
            pattern
        };
        let mut pieces = Vec::new();
        let mut bytes = expanded.bytes();
        while let Some(byte) = bytes.next() {
            if byte != b'%' {
                pieces.push(Piece::Literal(byte));
                continue;
            }
            let piece = match bytes.next() {
                Some(b'Y') => Piece::Year,
                Some(b'y') => Piece::ShortYear,
                Some(b'm') => Piece::Month,
                Some(b'b' | b'B' | b'h') => Piece::MonthName,
                Some(b'd') => Piece::Day,
                Some(b'e') => Piece::SpacePaddedDay,
                Some(b'H') => Piece::Hour,
                Some(b'I') => Piece::Hour12,
                Some(b'p' | b'P') => Piece::Meridiem,
                Some(b'M') => Piece::Minute,
                Some(b'S') => Piece::Second,
                Some(b'z') => Piece::Offset,
                Some(b'%') => Piece::Literal(b'%'),
                Some(b':') if bytes.next() == Some(b'z') => Piece::Offset,
                Some(b'.') if bytes.next() == Some(b'f') => Piece::Fraction,
                other => return Err(unsupported(pattern, other)),
            };
            pieces.push(piece);
        }
        if pieces.contains(&Piece::Hour12) != pieces.contains(&Piece::Meridiem) {
            return Err(format!(
                "timestamp format `{pattern}` has one of %I and %p without the other: a 12-hour \
                 clock needs its AM/PM (use %H for a 24-hour clock)"
            ));
        }
        Ok(TimeFormat {
            pattern: pattern.to_string(),
            fixed: FixedLayout::of(&pieces),
            pieces,
        })
    }

    /// The pattern as written in the configuration.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Whether values in this format carry their own UTC offset.
    pub fn has_offset(&self) -> bool {
        self.pieces.contains(&Piece::Offset)
    }

    /// Whether the format has year, month and day.
    pub fn has_date(&self) -> bool {
        let has = |either: &[Piece]| either.iter().any(|p| self.pieces.contains(p));
        has(&[Piece::Year, Piece::ShortYear])
            && has(&[Piece::Month, Piece::MonthName])
            && has(&[Piece::Day, Piece::SpacePaddedDay])
    }

    /// Whether the format has at least hours and minutes.
    pub fn has_time(&self) -> bool {
        let has_hour = self.pieces.contains(&Piece::Hour) || self.pieces.contains(&Piece::Hour12);
        has_hour && self.pieces.contains(&Piece::Minute)
    }

    /// Writes a reading in this format. Components are written as given, so an
    /// impossible date can be produced on purpose (the simulator plants faults).
    /// A fraction is left out; an offset is written `+hh:mm`.
    pub fn format(&self, reading: Reading) -> String {
        let mut out = String::with_capacity(self.pieces.len() + 12);
        for piece in &self.pieces {
            match piece {
                Piece::Year => out.push_str(&format!("{:04}", reading.year)),
                Piece::ShortYear => out.push_str(&format!("{:02}", reading.year.rem_euclid(100))),
                Piece::Month => out.push_str(&format!("{:02}", reading.month)),
                Piece::MonthName => out.push_str(month_abbreviation(reading.month)),
                Piece::Day => out.push_str(&format!("{:02}", reading.day)),
                Piece::SpacePaddedDay => out.push_str(&format!("{:>2}", reading.day)),
                Piece::Hour => out.push_str(&format!("{:02}", reading.hour)),
                Piece::Hour12 => out.push_str(&format!("{:02}", (reading.hour + 11) % 12 + 1)),
                Piece::Meridiem => out.push_str(if reading.hour < 12 { "AM" } else { "PM" }),
                Piece::Minute => out.push_str(&format!("{:02}", reading.minute)),
                Piece::Second => out.push_str(&format!("{:02}", reading.second)),
                Piece::Fraction => {}
                Piece::Offset => {
                    let sign = if reading.offset_seconds < 0 { '-' } else { '+' };
                    let minutes = reading.offset_seconds.abs() / 60;
                    out.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
                }
                Piece::Literal(byte) => out.push(*byte as char),
            }
        }
        out
    }

    /// Reads a value; the error says in plain words what did not fit.
    pub fn parse(&self, value: &str) -> Result<Parsed, String> {
        self.fields(value)?.build()
    }

    /// Reads a value that should hold a date and a time: the same outcome as
    /// [`Self::parse`] then [`Parsed::date_time`] (`None` when the format has
    /// no complete date and time), worked out without calendar types when the
    /// fields are plainly valid. A full-width value is read by position.
    pub fn parse_wall_clock(&self, value: &str) -> Result<Option<WallClock>, String> {
        let by_position = self
            .fixed
            .as_ref()
            .and_then(|layout| layout.wall_millis(trimmed(value).as_bytes()));
        if let Some(millis) = by_position {
            return Ok(Some(WallClock {
                millis,
                offset_seconds: None,
            }));
        }
        self.walk_wall_clock(value)
    }

    /// [`Self::parse_wall_clock`] by walking the pattern.
    fn walk_wall_clock(&self, value: &str) -> Result<Option<WallClock>, String> {
        let fields = self.fields(value)?;
        if let Some(millis) = fields.wall_millis() {
            return Ok(Some(WallClock {
                millis,
                offset_seconds: fields.offset,
            }));
        }
        let parsed = fields.build()?;
        Ok(parsed.date_time().map(|reading| WallClock {
            millis: reading.and_utc().timestamp_millis(),
            offset_seconds: parsed.offset_seconds,
        }))
    }

    // Inlined: handing the fields back through memory cost more than reading them.
    #[inline(always)]
    fn fields(&self, value: &str) -> Result<Fields, String> {
        let mismatch = || format!("does not match the format `{}`", self.pattern);
        let mut fields = Fields::default();
        let mut rest = trimmed(value).as_bytes();
        for piece in &self.pieces {
            rest = match piece {
                Piece::Literal(b'T') => match rest.first() {
                    Some(b'T' | b't' | b' ') => &rest[1..],
                    _ => return Err(mismatch()),
                },
                Piece::Literal(byte) => match rest.first() {
                    Some(found) if found == byte => &rest[1..],
                    _ => return Err(mismatch()),
                },
                Piece::Year => take_digits(rest, 4, 4, &mut fields.year).ok_or_else(mismatch)?,
                Piece::ShortYear => take_short_year(rest, &mut fields.year).ok_or_else(mismatch)?,
                Piece::Month => take_digits(rest, 1, 2, &mut fields.month).ok_or_else(mismatch)?,
                Piece::MonthName => take_month_name(rest, &mut fields.month).ok_or_else(mismatch)?,
                Piece::Day => take_digits(rest, 1, 2, &mut fields.day).ok_or_else(mismatch)?,
                Piece::SpacePaddedDay => {
                    let digits = rest.strip_prefix(b" ").unwrap_or(rest);
                    take_digits(digits, 1, 2, &mut fields.day).ok_or_else(mismatch)?
                }
                Piece::Hour => take_digits(rest, 1, 2, &mut fields.hour).ok_or_else(mismatch)?,
                Piece::Hour12 => take_digits(rest, 1, 2, &mut fields.hour12).ok_or_else(mismatch)?,
                Piece::Meridiem => take_meridiem(rest, &mut fields.afternoon).ok_or_else(mismatch)?,
                Piece::Minute => take_digits(rest, 1, 2, &mut fields.minute).ok_or_else(mismatch)?,
                Piece::Second => take_digits(rest, 1, 2, &mut fields.second).ok_or_else(mismatch)?,
                Piece::Fraction => take_fraction(rest, &mut fields.nanos).ok_or_else(mismatch)?,
                Piece::Offset => take_offset(rest, &mut fields.offset).ok_or_else(mismatch)?,
            };
        }
        if !rest.is_empty() {
            return Err(mismatch());
        }
        fields.settle_twelve_hour_clock()?;
        Ok(fields)
    }
}

/// The refusal of a directive, naming it and listing those vigil reads.
fn unsupported(pattern: &str, directive: Option<u8>) -> String {
    let named = match directive {
        Some(byte) => format!("%{}", char::from(byte)),
        None => "a lone % at the end".to_string(),
    };
    format!(
        "timestamp format `{pattern}` uses {named}, which vigil does not support \
         (supported: %Y %y %m %b %B %d %e %H %I %p %M %S %.f %z %:z %%, or the word iso8601)"
    )
}

/// The numbers a value gave for each field of its format.
#[derive(Debug, Default, Clone, Copy)]
struct Fields {
    year: Option<u32>,
    month: Option<u32>,
    day: Option<u32>,
    hour: Option<u32>,
    minute: Option<u32>,
    second: Option<u32>,
    nanos: Option<u32>,
    offset: Option<i32>,
    hour12: Option<u32>,
    afternoon: Option<bool>,
}

impl Fields {
    /// Turns a 12-hour reading and its AM/PM into the hour of the day.
    fn settle_twelve_hour_clock(&mut self) -> Result<(), String> {
        let (Some(hour12), Some(afternoon)) = (self.hour12, self.afternoon) else {
            return Ok(());
        };
        if !(1..=12).contains(&hour12) {
            return Err(format!("is not a real time of day (hour {hour12} on a 12-hour clock)"));
        }
        self.hour = Some(hour12 % 12 + if afternoon { 12 } else { 0 });
        Ok(())
    }

    /// Milliseconds since 1970-01-01T00:00 on the wall clock, when the fields
    /// hold a date and a time that are plainly real (else `build` decides).
    fn wall_millis(&self) -> Option<i64> {
        let millis = wall_clock_millis(
            self.year?,
            self.month?,
            self.day?,
            self.hour?,
            self.minute?,
            self.second.unwrap_or(0),
        )?;
        Some(millis + i64::from(self.nanos.unwrap_or(0) / 1_000_000))
    }

    fn build(self) -> Result<Parsed, String> {
        let date = match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => Some(
                NaiveDate::from_ymd_opt(y as i32, m, d)
                    .ok_or_else(|| format!("is not a real date (year {y}, month {m}, day {d})"))?,
            ),
            _ => None,
        };
        let time = match (self.hour, self.minute) {
            (Some(h), Some(mi)) => {
                let s = self.second.unwrap_or(0);
                Some(
                    NaiveTime::from_hms_nano_opt(h, mi, s, self.nanos.unwrap_or(0))
                        .filter(|_| s < 60)
                        .ok_or_else(|| format!("is not a real time of day ({h:02}:{mi:02}:{s:02})"))?,
                )
            }
            _ => None,
        };
        Ok(Parsed {
            date,
            time,
            offset_seconds: self.offset,
        })
    }
}

/// What a value read on a wall clock says: milliseconds since 1970-01-01T00:00
/// as if the clock were UTC, and the offset from UTC the value carried, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallClock {
    pub millis: i64,
    /// Offset east of UTC, in seconds.
    pub offset_seconds: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn ymd_hms(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
    }

    #[test]
    fn wall_clock_readings_equal_chronos_for_every_day_and_reject_what_it_rejects() {
        let format = TimeFormat::compile("%Y-%m-%d %H:%M:%S%.f").unwrap();
        let mut day = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
        let mut checked = 0;
        while let Some(next) = day.succ_opt().filter(|d| d.year() <= 9999) {
            let value = format!("{} 23:59:58.9999", day.format("%Y-%m-%d"));
            let expected = ymd_hms(day.year(), day.month(), day.day(), 23, 59, 58)
                .and_utc()
                .timestamp_millis()
                + 999;
            let fields = format.fields(&value).unwrap();
            assert_eq!(fields.wall_millis(), Some(expected), "{value}");
            day = next;
            checked += 1;
        }
        assert!(checked > 3_000_000);
        for value in [
            "2023-02-29 10:00:00",
            "2024-04-31 10:00:00",
            "2024-13-01 10:00:00",
            "2024-00-10 10:00:00",
            "2024-01-01 24:00:00",
            "2024-01-01 10:60:00",
            "2024-01-01 10:00:60",
        ] {
            assert_eq!(format.fields(value).unwrap().wall_millis(), None, "{value}");
            assert_eq!(
                format.parse_wall_clock(value),
                format.parse(value).map(|_| None),
                "{value}"
            );
            assert!(format.parse_wall_clock(value).is_err(), "{value}");
        }
        assert_eq!(
            format.fields("2024-02-29 00:00:00").unwrap().wall_millis(),
            Some(1_709_164_800_000)
        );
        assert_eq!(format.fields("1900-02-29 00:00:00").unwrap().wall_millis(), None);
        assert_eq!(
            format.fields("2000-02-29 00:00:00").unwrap().wall_millis(),
            Some(951_782_400_000)
        );
    }

    #[test]
    fn wall_clock_keeps_the_offset_a_value_carries() {
        let format = TimeFormat::compile("iso8601").unwrap();
        let read = format.parse_wall_clock("2025-03-30T02:30:00+01:00").unwrap().unwrap();
        assert_eq!(read.offset_seconds, Some(3600));
        assert_eq!(read.millis, ymd_hms(2025, 3, 30, 2, 30, 0).and_utc().timestamp_millis());
        let date_only = TimeFormat::compile("%d/%m/%Y").unwrap();
        assert_eq!(date_only.parse_wall_clock("01/02/2025"), Ok(None));
    }

    #[test]
    fn reads_uk_day_first_format() {
        let format = TimeFormat::compile("%d/%m/%Y %H:%M").unwrap();
        let parsed = format.parse("26/08/2018 21:40").unwrap();
        assert_eq!(parsed.date_time(), Some(ymd_hms(2018, 8, 26, 21, 40, 0)));
        assert_eq!(parsed.offset_seconds, None);
        assert!(!format.has_offset());
    }

    #[test]
    fn reads_iso8601_with_offset_fraction_and_zulu() {
        let format = TimeFormat::compile("iso8601").unwrap();
        let parsed = format.parse("2025-03-30T00:26:05.250+01:00").unwrap();
        assert_eq!(parsed.offset_seconds, Some(3600));
        assert_eq!(parsed.time.unwrap().format("%H:%M:%S%.3f").to_string(), "00:26:05.250");
        assert_eq!(format.parse("2025-03-30 00:26:05Z").unwrap().offset_seconds, Some(0));
        assert_eq!(
            format.parse("2025-03-30T00:26:05-0130").unwrap().offset_seconds,
            Some(-5400)
        );
    }

    #[test]
    fn rejects_impossible_and_malformed_values() {
        let format = TimeFormat::compile("%Y-%m-%d %H:%M:%S").unwrap();
        assert!(format
            .parse("2025-02-30 10:00:00")
            .unwrap_err()
            .contains("not a real date"));
        assert!(format
            .parse("2025-02-10 24:00:00")
            .unwrap_err()
            .contains("not a real time"));
        assert!(format.parse("2025-02-10 10:00").unwrap_err().contains("does not match"));
        assert!(format.parse("2025-02-10 10:00:00 junk").is_err());
        assert!(format.parse("").is_err());
    }

    #[test]
    fn separate_date_and_time_formats() {
        let date = TimeFormat::compile("%d.%m.%Y").unwrap();
        let time = TimeFormat::compile("%H%M").unwrap();
        assert!(date.has_date() && !date.has_time());
        assert!(time.has_time() && !time.has_date());
        assert_eq!(time.parse("0026").unwrap().time, NaiveTime::from_hms_opt(0, 26, 0));
    }

    #[test]
    fn formatting_and_parsing_agree() {
        for pattern in ["iso8601", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%H:%M"] {
            let format = TimeFormat::compile(pattern).unwrap();
            let reading = Reading::of_instant(1_743_297_000_000, chrono_tz::Europe::London).unwrap();
            let text = format.parse(&format.format(reading)).unwrap();
            if format.has_time() {
                assert_eq!(
                    text.time.unwrap().format("%H:%M").to_string(),
                    format!("{:02}:{:02}", reading.hour, reading.minute)
                );
            }
            if format.has_date() {
                assert_eq!(text.date.unwrap().format("%Y-%m-%d").to_string(), "2025-03-30");
            }
        }
        assert_eq!(
            TimeFormat::compile("iso8601")
                .unwrap()
                .format(Reading::of_instant(1_743_297_000_000, chrono_tz::Europe::London).unwrap()),
            "2025-03-30T02:10:00+01:00"
        );
    }

    #[test]
    fn full_width_values_are_read_by_position_and_others_walked() {
        let format = TimeFormat::compile("%d/%m/%Y %H:%M").unwrap();
        let layout = format.fixed.as_ref().expect("every field can be written at full width");
        let value = "26/08/2018 21:40";
        assert_eq!(
            layout.wall_millis(value.as_bytes()),
            Some(1_535_319_600_000),
            "2018-08-26T21:40 on the wall clock"
        );
        assert_eq!(
            layout.wall_millis(b"6/08/2018 21:40"),
            None,
            "a one-digit day is walked"
        );
        assert_eq!(layout.wall_millis(b"26-08-2018 21:40"), None);
        assert_eq!(layout.wall_millis(b"26/08/2018 21:4x"), None);
        assert_eq!(
            layout.wall_millis(b"31/09/2018 21:40"),
            None,
            "an unreal date is left to the walk to explain"
        );
        assert_eq!(
            format.parse_wall_clock("6/8/2018 21:40"),
            format.parse_wall_clock("06/08/2018 21:40")
        );
        assert!(
            TimeFormat::compile("iso8601").unwrap().fixed.is_none(),
            "offsets are walked"
        );
        assert!(
            TimeFormat::compile("%H:%M %H").unwrap().fixed.is_none(),
            "a field given twice is walked"
        );
    }

    /// A value near the shape of `format`: each piece written at a width of
    /// the seed's choosing, now and then a stray byte, around spaces or none.
    fn near_value(format: &TimeFormat, seeds: &[u32]) -> String {
        let mut value = String::new();
        for (piece, seed) in format.pieces.iter().zip(seeds.iter().cycle()) {
            let (mode, number) = (seed % 16, seed / 16);
            if mode == 0 {
                value.push([' ', 'T', 't', '/', ':', '-', 'x', '0', '9'][number as usize % 9]);
                continue;
            }
            match piece {
                Piece::Literal(byte) => value.push(char::from(*byte)),
                Piece::Year if mode == 1 => value.push_str(&(number % 100_000).to_string()),
                Piece::Year => value.push_str(&format!("{:04}", number % 10_000)),
                Piece::Fraction if mode < 8 => {}
                Piece::Fraction => value.push_str(&format!(".{}", number % 1000)),
                Piece::Offset => value.push_str(["Z", "+01:00", "-0530", "+1"][number as usize % 4]),
                _ if mode == 1 => value.push_str(&(number % 100).to_string()),
                _ => value.push_str(&format!("{:02}", number % 100)),
            }
        }
        match seeds.first().map(|s| s % 7) {
            Some(0) => format!(" {value}"),
            Some(1) => format!("{value} "),
            _ => value,
        }
    }

    proptest::proptest! {
        #[test]
        fn reading_by_position_agrees_with_walking_the_pattern(
            which in 0usize..7,
            seeds in proptest::collection::vec(proptest::prelude::any::<u32>(), 1..24),
        ) {
            let pattern = [
                "%d/%m/%Y %H:%M",
                "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%dT%H:%M:%S",
                "%Y%m%d%H%M%S",
                "%d.%m.%Y",
                "%H%M",
                "iso8601",
            ][which];
            let format = TimeFormat::compile(pattern).unwrap();
            let value = near_value(&format, &seeds);
            proptest::prop_assert_eq!(format.parse_wall_clock(&value), format.walk_wall_clock(&value), "{:?}", value);
        }
    }

    #[test]
    fn unsupported_directives_are_refused_naming_the_directive_and_the_supported_ones() {
        let refusal = TimeFormat::compile("%j/%Y").unwrap_err();
        assert!(refusal.contains("`%j/%Y`") && refusal.contains("uses %j"), "{refusal}");
        assert!(refusal.contains("%y") && refusal.contains("%I %p"), "{refusal}");
        assert!(TimeFormat::compile("%Y-%m-%d %").unwrap_err().contains("lone %"));
        let half_clock = TimeFormat::compile("%d/%m/%Y %I:%M").unwrap_err();
        assert!(half_clock.contains("%I and %p"), "{half_clock}");
    }

    /// The shapes people write dates in, as seen in real exports.
    #[test]
    fn dates_as_people_write_them() {
        let read = |pattern: &str, value: &str| {
            TimeFormat::compile(pattern)
                .unwrap()
                .parse_wall_clock(value)
                .unwrap_or_else(|e| panic!("{pattern} on {value}: {e}"))
                .map(|clock| clock.millis)
        };
        let at = |y, mo, d, h, mi, s| Some(ymd_hms(y, mo, d, h, mi, s).and_utc().timestamp_millis());
        assert_eq!(read("%m/%d/%y %I:%M %p", "3/7/25 9:05 PM"), at(2025, 3, 7, 21, 5, 0));
        assert_eq!(read("%m/%d/%y %I:%M %p", "03/07/99 12:05 am"), at(1999, 3, 7, 0, 5, 0));
        assert_eq!(
            read("%m/%d/%Y %I:%M:%S %p", "10/26/2025 12:30:00 P.M."),
            at(2025, 10, 26, 12, 30, 0)
        );
        assert_eq!(read("%d-%b-%Y %H:%M", "26-OCT-2025 01:30"), at(2025, 10, 26, 1, 30, 0));
        assert_eq!(
            read("%d %B %Y %H:%M", "7 september 2025 23:59"),
            at(2025, 9, 7, 23, 59, 0)
        );
        assert_eq!(read("%d %b %Y %H:%M", "7 Sept 2025 23:59"), at(2025, 9, 7, 23, 59, 0));
        assert_eq!(read("%b %e %Y %H:%M", "Mar  7 2025 08:00"), at(2025, 3, 7, 8, 0, 0));
        assert_eq!(
            read("%Y-%m-%dT%H:%M:%S%.f", "2025-03-07 08:00:00.500"),
            Some(at(2025, 3, 7, 8, 0, 0).unwrap() + 500)
        );
        assert_eq!(read("%y%m%d %H%M", "250307 0800"), at(2025, 3, 7, 8, 0, 0));
        let twelve = TimeFormat::compile("%m/%d/%Y %I:%M %p").unwrap();
        for bad in [
            "03/07/2025 13:05 PM",
            "03/07/2025 0:05 AM",
            "03/07/2025 9:05 XM",
            "03/07/2025 9:05",
        ] {
            assert!(twelve.parse_wall_clock(bad).is_err(), "{bad}");
        }
        assert!(TimeFormat::compile("%d %b %Y").unwrap().parse("7 Foo 2025").is_err());
    }

    #[test]
    fn new_directives_write_what_they_read() {
        let reading = Reading::of_instant(1_761_442_200_000, chrono_tz::UTC).unwrap(); // 2025-10-26 01:30
        for pattern in ["%d-%b-%y %I:%M %p", "%B %e %Y %I:%M:%S %p", "%y%m%d%H%M"] {
            let format = TimeFormat::compile(pattern).unwrap();
            let written = format.format(reading);
            let back = format.parse_wall_clock(&written).unwrap().unwrap();
            assert_eq!(back.millis, 1_761_442_200_000, "{pattern}: {written}");
        }
    }
}
