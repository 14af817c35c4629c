//! The `[report]` section of vigil.toml: what the weekly and evaluation packs
//! need beyond the data: the pilot start, the small-count threshold, the
//! bootstrap seed, and where the pseudonymisation key lives.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Settings of the report packs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportSettings {
    /// First day of the Raneem's Law pilot (21 February 2025); the evaluation's
    /// baseline ends the day before and its pilot period starts here.
    pub pilot_start: String,
    /// Counts from 1 to this (and rates revealing one) are suppressed in the evaluation pack.
    pub suppress_up_to: u64,
    /// Seed of the bootstrap intervals for medians.
    pub bootstrap_seed: u64,
    /// Weeks before the reviewed week shown beside it in the weekly pack.
    pub weekly_history_weeks: u32,
    /// Rows of each priority list in the weekly page (the CSV files hold all).
    pub page_rows: usize,
    /// A file holding the pseudonymisation key (hex, 32 bytes or more); relative
    /// to the configuration file. Never commit it. `VIGIL_PSEUDONYM_KEY` overrides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_file: Option<String>,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            pilot_start: "2025-02-21".into(),
            suppress_up_to: 4,
            bootstrap_seed: 20250221,
            weekly_history_weeks: 12,
            page_rows: 15,
            key_file: None,
        }
    }
}

impl ReportSettings {
    /// The pilot's first day.
    pub fn pilot_start_date(&self) -> Result<NaiveDate, String> {
        NaiveDate::parse_from_str(self.pilot_start.trim(), "%Y-%m-%d").map_err(|_| {
            format!(
                "report.pilot_start `{}` is not a date like 2025-02-21",
                self.pilot_start
            )
        })
    }

    pub fn check(&self) -> Result<(), String> {
        self.pilot_start_date()?;
        if self.weekly_history_weeks > 520 {
            return Err(format!(
                "report.weekly_history_weeks is {}; at most 520 weeks can be shown",
                self.weekly_history_weeks
            ));
        }
        Ok(())
    }
}

/// The `[review]` section: the weekly review's loop.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReviewSettings {
    /// The reviewers' decisions (CSV: id,status,reason,owner,note,decided_on),
    /// relative to the configuration file; `--decisions` overrides it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<String>,
}

impl ReviewSettings {
    pub fn is_unset(&self) -> bool {
        self.decisions.is_none()
    }
}
