//! Local wall-clock time to UTC, with a documented rule for clock changes.
//!
//! Force exports record Europe/London wall-clock time. Twice a year that is
//! not a one-to-one mapping:
//! - in October one hour happens twice (01:00-01:59 first in BST, then in
//!   GMT). vigil resolves such a reading to the **earlier** instant (the BST
//!   one). Both readings are equally plausible from the value alone, and the
//!   earlier one is the choice that a log written in time order most often
//!   means; being a fixed rule, it is deterministic.
//! - in March one hour never happens (01:00-01:59 GMT does not exist). A
//!   reading in it cannot be a real clock reading, so the row is quarantined
//!   with that reason rather than guessed.

use chrono::{LocalResult, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// Why a local reading has no instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    #[error("local time {0} does not exist in {1}: it falls in the hour skipped when the clocks go forward")]
    SkippedByClockChange(String, Tz),
}

/// Milliseconds since the Unix epoch for a wall-clock reading in `zone`.
pub fn resolve_local(reading: NaiveDateTime, zone: Tz) -> Result<i64, LocalTimeError> {
    match zone.from_local_datetime(&reading) {
        LocalResult::Single(instant) => Ok(instant.timestamp_millis()),
        LocalResult::Ambiguous(earlier, _later) => Ok(earlier.timestamp_millis()),
        LocalResult::None => Err(LocalTimeError::SkippedByClockChange(
            reading.format("%Y-%m-%d %H:%M").to_string(),
            zone,
        )),
    }
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
    fn missing_march_hour_is_an_error_naming_the_reading() {
        // 30 March 2025: clocks jump from 01:00 GMT to 02:00 BST.
        let error = resolve_local(reading(2025, 3, 30, 1, 30), London).unwrap_err();
        assert!(error.to_string().contains("2025-03-30 01:30"));
        assert!(resolve_local(reading(2025, 3, 30, 2, 0), London).is_ok());
    }
}
