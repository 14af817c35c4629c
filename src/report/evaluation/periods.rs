//! The periods the evaluation compares: the baseline before the pilot and
//! the pilot itself, local dates with both ends included.

use chrono::{Days, NaiveDate};

use super::super::{ReportData, ReportError};

/// The compared periods, local dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    pub baseline: (NaiveDate, NaiveDate),
    pub pilot: (NaiveDate, NaiveDate),
}

/// Which period a date falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Baseline,
    Pilot,
}

impl Periods {
    /// Defaults: the baseline from the first day of the data to the day before
    /// the pilot start, the pilot from its start to the last day of the data.
    pub fn defaults(data: &ReportData) -> Result<Periods, ReportError> {
        let start = data.config.spec.report.pilot_start_date().map_err(ReportError::Usage)?;
        let first = data.facts.iter().map(|f| f.date).min().unwrap_or(start);
        let last = (0..data.detected.records.forces.len() as u16)
            .map(|f| data.last_date(f))
            .max()
            .unwrap_or(start);
        let day_before = start.checked_sub_days(Days::new(1)).unwrap_or(start);
        Ok(Periods {
            baseline: (first.min(day_before), day_before),
            pilot: (start, last.max(start)),
        })
    }

    /// Parses `FROM..TO` (ISO dates, both included).
    pub fn parse_range(text: &str) -> Result<(NaiveDate, NaiveDate), String> {
        let wrong = || format!("`{text}` is not a period like 2024-10-07..2025-02-20");
        let (from, to) = text.split_once("..").ok_or_else(wrong)?;
        let from: NaiveDate = from.trim().parse().map_err(|_| wrong())?;
        let to: NaiveDate = to.trim().parse().map_err(|_| wrong())?;
        if to < from {
            return Err(format!("the period {text} ends before it starts"));
        }
        Ok((from, to))
    }

    pub fn of(&self, date: NaiveDate) -> Option<Period> {
        let within = |(from, to): (NaiveDate, NaiveDate)| date >= from && date <= to;
        if within(self.baseline) {
            Some(Period::Baseline)
        } else if within(self.pilot) {
            Some(Period::Pilot)
        } else {
            None
        }
    }
}

pub fn period_code(period: Period) -> &'static str {
    match period {
        Period::Baseline => "BASELINE",
        Period::Pilot => "PILOT",
    }
}
