//! ISO weeks (Monday to Sunday, local time): the unit of the weekly review,
//! written `2025-W08`.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// One ISO week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Week {
    /// Its Monday.
    monday: NaiveDate,
}

impl Week {
    /// The week a local date falls in.
    pub fn of(date: NaiveDate) -> Week {
        let back = u64::from(date.weekday().num_days_from_monday());
        Week {
            monday: date.checked_sub_days(Days::new(back)).unwrap_or(date),
        }
    }

    pub fn monday(self) -> NaiveDate {
        self.monday
    }

    pub fn sunday(self) -> NaiveDate {
        self.monday.checked_add_days(Days::new(6)).unwrap_or(self.monday)
    }

    /// The week `n` weeks before this one.
    pub fn back(self, n: u32) -> Week {
        Week {
            monday: self
                .monday
                .checked_sub_days(Days::new(7 * u64::from(n)))
                .unwrap_or(self.monday),
        }
    }

    /// The latest week that is complete on `last_day` (a week ending that day counts).
    pub fn latest_complete(last_day: NaiveDate) -> Week {
        let week = Week::of(last_day);
        if last_day == week.sunday() {
            week
        } else {
            week.back(1)
        }
    }
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let iso = self.monday.iso_week();
        write!(f, "{}-W{:02}", iso.year(), iso.week())
    }
}

impl FromStr for Week {
    type Err = String;

    /// Parses `2026-W47` (or `2026W47`).
    fn from_str(text: &str) -> Result<Week, String> {
        let wrong = || format!("`{text}` is not an ISO week like 2026-W47");
        let upper = text.trim().to_ascii_uppercase();
        let (year, week) = upper.split_once('W').ok_or_else(wrong)?;
        let year: i32 = year.trim_end_matches('-').parse().map_err(|_| wrong())?;
        let week: u32 = week.parse().map_err(|_| wrong())?;
        let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .ok_or_else(|| format!("{year} has no ISO week {week}"))?;
        Ok(Week { monday })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn weeks_print_and_parse_in_iso_form() {
        assert_eq!(Week::of(day("2025-02-21")).to_string(), "2025-W08");
        assert_eq!(
            Week::of(day("2024-12-30")).to_string(),
            "2025-W01",
            "ISO year differs from calendar year"
        );
        let week: Week = "2026-W47".parse().unwrap();
        assert_eq!(week.monday(), day("2026-11-16"));
        assert_eq!(week.sunday(), day("2026-11-22"));
        assert!("2025-W54".parse::<Week>().is_err());
        assert!("last week".parse::<Week>().is_err());
    }

    #[test]
    fn the_latest_complete_week_ends_on_or_before_the_last_day() {
        assert_eq!(Week::latest_complete(day("2025-05-07")).to_string(), "2025-W18");
        assert_eq!(
            Week::latest_complete(day("2025-05-04")).to_string(),
            "2025-W18",
            "a Sunday completes its week"
        );
        assert_eq!(Week::of(day("2025-05-07")).back(12).to_string(), "2025-W07");
    }
}
