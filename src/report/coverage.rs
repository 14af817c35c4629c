//! Which days of a week a force's data covers: from its first contact (a
//! call received, or an incident created) to its last, on the force's clock.
//! Closing times do not extend the data. A week not wholly covered is
//! partial, and the packs say so rather than present it as whole.

use chrono::NaiveDate;

use super::week::Week;
use crate::detect::Detected;

/// The local days a force's data runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Coverage {
    /// Each force's coverage, by force number (none for a force with no contact).
    pub fn of_forces(detected: &Detected) -> Vec<Option<Coverage>> {
        let records = &detected.records;
        let mut spans: Vec<Option<(i64, i64)>> = vec![None; records.forces.len()];
        let contacts = records
            .incidents
            .iter()
            .map(|i| (i.force, i.created_at.min(i.contact_at)))
            .chain(records.calls.iter().map(|c| (c.force, c.received_at)));
        for (force, at) in contacts {
            let span = &mut spans[usize::from(force)];
            *span = Some(span.map_or((at, at), |(first, last)| (first.min(at), last.max(at))));
        }
        spans
            .iter()
            .enumerate()
            .map(|(force, span)| {
                span.map(|(first, last)| Coverage {
                    first: detected.clock.date(force as u16, first),
                    last: detected.clock.date(force as u16, last),
                })
            })
            .collect()
    }

    /// How many of the week's seven days the data covers (the first and last days count).
    pub fn days_in(&self, week: Week) -> u32 {
        let from = week.monday().max(self.first);
        let to = week.sunday().min(self.last);
        u32::try_from((to - from).num_days() + 1).unwrap_or(0)
    }
}

/// Whether a week is partial: covered on fewer than seven days.
pub fn is_partial(days: u32) -> bool {
    days < 7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_week_is_whole_only_when_the_data_covers_all_seven_days() {
        let coverage = Coverage {
            first: day("2025-04-03"),
            last: day("2025-04-27"),
        };
        let week = |monday: &str| Week::of(day(monday));
        assert_eq!(coverage.days_in(week("2025-03-31")), 4, "Thursday to Sunday");
        assert_eq!(coverage.days_in(week("2025-04-07")), 7);
        assert_eq!(coverage.days_in(week("2025-04-21")), 7, "the last day is a Sunday");
        assert_eq!(coverage.days_in(week("2025-04-28")), 0);
        assert_eq!(coverage.days_in(week("2025-03-24")), 0);
        assert!(is_partial(4) && !is_partial(7));
    }
}
