//! Local wall-clock time to UTC, with a documented rule for clock changes.
//!
//! Force exports record Europe/London wall-clock time. Twice a year that is
//! not a one-to-one mapping:
//! - in October one hour happens twice (01:00-01:59 first in BST, then in
//!   GMT). vigil resolves such a reading to the **earlier** instant (the BST
//!   one). Both readings are equally plausible from the value alone, and the
//!   earlier one is the choice that a log written in time order most often
//!   means; being a fixed rule, it is deterministic. Ingest then moves
//!   readings to the second pass where the file's order or the row's own
//!   times show it (`ingest::time_order`).
//! - in March one hour never happens (01:00-01:59 GMT does not exist). A
//!   reading in it cannot be a real clock reading, so the row is quarantined
//!   with that reason rather than guessed.

use std::cell::RefCell;

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// Why a local reading has no instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    #[error("local time {0} does not exist in {1}: it falls in the hour skipped when the clocks go forward")]
    SkippedByClockChange(String, Tz),
    #[error("the local time is outside the calendar's range")]
    OutOfRange,
}

/// Milliseconds since the Unix epoch for a wall-clock reading in `zone`.
///
/// A local hour with no clock change in it maps through one offset, which is
/// remembered (per thread), so most readings skip the time-zone lookup.
pub fn resolve_local(reading: NaiveDateTime, zone: Tz) -> Result<i64, LocalTimeError> {
    resolve_local_millis(reading.and_utc().timestamp_millis(), zone)
}

/// [`resolve_local`] for a reading given as milliseconds since 1970-01-01T00:00 on the wall clock.
pub fn resolve_local_millis(local_millis: i64, zone: Tz) -> Result<i64, LocalTimeError> {
    let hour = local_millis.div_euclid(HOUR_MILLIS);
    match STEADY_HOURS.with(|hours| hours.borrow_mut().offset(zone, hour)) {
        Some(offset_millis) => Ok(local_millis - offset_millis),
        None => match DateTime::from_timestamp_millis(local_millis) {
            Some(reading) => resolve_by_lookup(reading.naive_utc(), zone),
            None => Err(LocalTimeError::OutOfRange),
        },
    }
}

fn resolve_by_lookup(reading: NaiveDateTime, zone: Tz) -> Result<i64, LocalTimeError> {
    match zone.from_local_datetime(&reading) {
        LocalResult::Single(instant) => Ok(instant.timestamp_millis()),
        LocalResult::Ambiguous(earlier, _later) => Ok(earlier.timestamp_millis()),
        LocalResult::None => Err(LocalTimeError::SkippedByClockChange(
            reading.format("%Y-%m-%d %H:%M").to_string(),
            zone,
        )),
    }
}

const HOUR_MILLIS: i64 = 3_600_000;

/// Local hours per remembered block (about 11 months).
const BLOCK_HOURS: i64 = 8192;

/// Blocks remembered per thread; readings beyond them are looked up each time.
const MAX_BLOCKS: usize = 64;

/// A block's mark for an hour not resolved yet, and for an hour with a clock change in it.
const NOT_YET: i32 = i32::MAX;
const CHANGING: i32 = i32::MIN;

thread_local! {
    static STEADY_HOURS: RefCell<SteadyHours> = const { RefCell::new(SteadyHours { blocks: Vec::new(), last: 0 }) };
}

/// Local hours of a zone resolved so far, in blocks of consecutive hours: the
/// offset in seconds that holds through each hour, or [`CHANGING`].
struct SteadyHours {
    blocks: Vec<(Tz, i64, Box<[i32]>)>,
    /// The block used last: most readings fall in the same one as the reading before.
    last: usize,
}

impl SteadyHours {
    /// Local minus UTC in milliseconds through local `hour`; `None` when the
    /// clocks change in it, or when the hour is not remembered and no block is free.
    fn offset(&mut self, zone: Tz, hour: i64) -> Option<i64> {
        let (block, within) = (hour.div_euclid(BLOCK_HOURS), hour.rem_euclid(BLOCK_HOURS) as usize);
        let is_wanted = |(z, b, _): &(Tz, i64, Box<[i32]>)| *z == zone && *b == block;
        let last_fits = self.blocks.get(self.last).is_some_and(is_wanted);
        let found = if last_fits {
            Some(self.last)
        } else {
            self.blocks.iter().position(is_wanted)
        };
        let position = match found {
            Some(position) => position,
            None if self.blocks.len() < MAX_BLOCKS => {
                self.blocks
                    .push((zone, block, vec![NOT_YET; BLOCK_HOURS as usize].into()));
                self.blocks.len() - 1
            }
            // Beyond the remembered blocks: the caller looks the reading up once.
            None => return None,
        };
        self.last = position;
        let seconds = &mut self.blocks[position].2[within];
        if *seconds == NOT_YET {
            *seconds = steady_offset(zone, hour)
                .filter(|millis| millis % 1000 == 0)
                .and_then(|millis| i32::try_from(millis / 1000).ok())
                .unwrap_or(CHANGING);
        }
        (*seconds != CHANGING).then_some(i64::from(*seconds) * 1000)
    }
}

/// Local minus UTC, in milliseconds, when one offset holds from the first to the last millisecond of local `hour`.
fn steady_offset(zone: Tz, hour: i64) -> Option<i64> {
    let offset_at = |local_millis: i64| {
        let reading = DateTime::from_timestamp_millis(local_millis)?.naive_utc();
        match zone.from_local_datetime(&reading) {
            LocalResult::Single(instant) => Some(local_millis - instant.timestamp_millis()),
            _ => None,
        }
    };
    let first = offset_at(hour * HOUR_MILLIS)?;
    (offset_at(hour * HOUR_MILLIS + HOUR_MILLIS - 1)? == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate};
    use chrono_tz::Europe::London;

    fn reading(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    fn utc(millis: i64) -> String {
        DateTime::from_timestamp_millis(millis)
            .unwrap()
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    }

    #[test]
    fn summer_and_winter_readings_get_their_offsets() {
        assert_eq!(
            utc(resolve_local(reading(2025, 7, 1, 21, 40), London).unwrap()),
            "2025-07-01T20:40"
        );
        assert_eq!(
            utc(resolve_local(reading(2025, 1, 1, 21, 40), London).unwrap()),
            "2025-01-01T21:40"
        );
    }

    #[test]
    fn repeated_october_hour_resolves_to_the_earlier_instant() {
        // 26 October 2025: 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
        let resolved = resolve_local(reading(2025, 10, 26, 1, 30), London).unwrap();
        assert_eq!(utc(resolved), "2025-10-26T00:30");
    }

    #[test]
    fn remembered_hours_resolve_as_the_time_zone_database_does() {
        // Every 7 minutes across two years, clock changes included, in two zones, twice over
        // (the second pass reads the remembered hours).
        let start = reading(2024, 1, 1, 0, 3);
        for _pass in 0..2 {
            for zone in [London, chrono_tz::Australia::Lord_Howe] {
                for step in 0..(2 * 366 * 24 * 60 / 7) {
                    let local = start + chrono::Duration::minutes(7 * step);
                    assert_eq!(
                        resolve_local(local, zone),
                        resolve_by_lookup(local, zone),
                        "{local} in {zone}"
                    );
                }
            }
        }
    }

    #[test]
    fn missing_march_hour_is_an_error_naming_the_reading() {
        // 30 March 2025: clocks jump from 01:00 GMT to 02:00 BST.
        let error = resolve_local(reading(2025, 3, 30, 1, 30), London).unwrap_err();
        assert!(error.to_string().contains("2025-03-30 01:30"));
        assert!(resolve_local(reading(2025, 3, 30, 2, 0), London).is_ok());
    }
}
