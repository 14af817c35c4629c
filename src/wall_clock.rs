//! Time columns a spreadsheet understands. Every instant in a CSV is written
//! as ISO 8601 with its offset (`2025-04-25T00:26:00+01:00`, exact, which
//! Excel opens as text) and, in the column after it named `<column>_local`,
//! as the local wall-clock reading (`2025-04-25 00:26:00`, which Excel opens
//! as a date and time). Sort and compare by the first; filter and chart by
//! the second (which reads the repeated October hour twice).

use chrono::DateTime;
use chrono_tz::Tz;

/// The name of the wall-clock column beside the time column `name`.
pub fn local_column(name: &str) -> String {
    format!("{name}_local")
}

/// The time columns of vigil's tables, each written as two fields: ISO 8601
/// with the offset, and the wall clock (`crate::detect::Clock::stamp_fields`).
pub const TIME_COLUMNS: [&str; 13] = [
    "first_seen",
    "last_seen",
    "window_start",
    "window_end",
    "event_at",
    "detected_at",
    "last_contact",
    "last_referral",
    "first_contact",
    "arrived_at",
    "marac_referral_at",
    "idva_referral_at",
    "specialist_review_at",
];

/// A table's header: each name, and after each of [`TIME_COLUMNS`] its
/// wall-clock twin (`arrived_at_local`).
pub fn header_with_wall_clocks(names: &[&str]) -> Vec<String> {
    let mut header = Vec::with_capacity(names.len() * 2);
    for name in names {
        header.push(name.to_string());
        if TIME_COLUMNS.contains(name) {
            header.push(local_column(name));
        }
    }
    header
}

/// The wall-clock reading of UTC milliseconds `at` in `zone`; empty for none.
pub fn wall_clock_text(at: Option<i64>, zone: Tz) -> String {
    at.and_then(DateTime::from_timestamp_millis)
        .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_columns_get_their_wall_clock_twin_after_them() {
        assert_eq!(local_column("arrived_at"), "arrived_at_local");
        assert_eq!(
            header_with_wall_clocks(&["id", "last_seen", "n"]),
            ["id", "last_seen", "last_seen_local", "n"]
        );
    }

    #[test]
    fn the_wall_clock_is_the_zones_reading() {
        let summer = Some(1_745_537_160_000); // 2025-04-24T23:26:00Z
        assert_eq!(
            wall_clock_text(summer, chrono_tz::Europe::London),
            "2025-04-25 00:26:00"
        );
        assert_eq!(wall_clock_text(summer, chrono_tz::UTC), "2025-04-24 23:26:00");
        assert_eq!(wall_clock_text(None, chrono_tz::UTC), "");
    }
}
