//! The weekly KPI rows of `queries/weekly_kpis.sql`, read back from polars,
//! and written as the packs' KPI tables: counts, the median and 90th
//! percentile response, and the shares of `measures.rs`; in the evaluation
//! pack with small counts suppressed.

use polars::prelude::*;

use super::measures::MEASURES;
use super::suppress::{Suppression, SUPPRESSED};
use crate::config::Config;

/// The count columns of `weekly_kpis.sql`, in its order.
pub const COUNT_COLUMNS: &[&str] = &[
    "da_incidents",
    "via_999",
    "via_101",
    "via_online",
    "via_other",
    "graded_emergency",
    "graded_priority",
    "graded_scheduled",
    "graded_no_deployment",
    "upgraded",
    "downgraded",
    "attended",
    "attendance_due",
    "within_target",
    "responses",
    "risk_assessed",
    "assessment_due",
    "high_risk",
    "high_risk_marac_referred",
    "high_risk_idva_referred",
    "referral_due",
    "review_expected",
    "reviewed",
    "review_due",
    "with_victim",
    "repeat_24h",
    "repeat_7d",
    "repeat_30d",
    "missed_opportunities",
    "with_missed_opportunity",
];

/// One force's week.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekKpis {
    pub force: String,
    pub week: String,
    /// Aligned with [`COUNT_COLUMNS`].
    pub counts: Vec<u64>,
    pub median_response: Option<f64>,
    pub p90_response: Option<f64>,
}

impl WeekKpis {
    /// An empty week (no domestic incidents).
    pub fn empty(force: &str, week: &str) -> WeekKpis {
        WeekKpis {
            force: force.to_string(),
            week: week.to_string(),
            counts: vec![0; COUNT_COLUMNS.len()],
            median_response: None,
            p90_response: None,
        }
    }

    /// A count by its column name (0 for an unknown name).
    pub fn count(&self, name: &str) -> u64 {
        COUNT_COLUMNS
            .iter()
            .position(|c| *c == name)
            .map_or(0, |n| self.counts[n])
    }

    /// A share in percent, if it has a denominator.
    pub fn percent(&self, numerator: &str, denominator: &str) -> Option<f64> {
        let n = self.count(denominator);
        (n > 0).then(|| 100.0 * self.count(numerator) as f64 / n as f64)
    }
}

/// Reads the rows of a `weekly_kpis.sql` result.
pub fn read_weekly(frame: &DataFrame) -> PolarsResult<Vec<WeekKpis>> {
    let text = |name: &str| -> PolarsResult<Vec<String>> {
        Ok(frame
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect())
    };
    let number = |name: &str| -> PolarsResult<Vec<Option<f64>>> {
        Ok(frame.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
    };
    let (forces, weeks) = (text("force")?, text("week")?);
    let counts: Vec<Vec<Option<f64>>> = COUNT_COLUMNS.iter().map(|c| number(c)).collect::<PolarsResult<_>>()?;
    let (median, p90) = (number("median_response_minutes")?, number("p90_response_minutes")?);
    Ok((0..frame.height())
        .map(|i| WeekKpis {
            force: forces[i].clone(),
            week: weeks[i].clone(),
            counts: counts.iter().map(|c| c[i].unwrap_or(0.0) as u64).collect(),
            median_response: median[i],
            p90_response: p90[i],
        })
        .collect())
}

/// The header of a KPI table: force, week, counts, response minutes, shares.
pub fn header() -> Vec<String> {
    let mut header: Vec<String> = vec!["force".into(), "week".into()];
    header.extend(COUNT_COLUMNS.iter().map(|c| c.to_string()));
    header.push("median_response_minutes".into());
    header.push("p90_response_minutes".into());
    header.extend(MEASURES.iter().map(|m| format!("{}_pct", m.name)));
    header.push("days_with_data".into());
    header.push("partial_week".into());
    header
}

/// The coverage cells: the days of the week the data covers (`4/7`, a
/// share of the week, never read as a count of people), and whether it is partial.
fn coverage_cells(days: u32) -> [String; 2] {
    [format!("{days}/7"), super::coverage::is_partial(days).to_string()]
}

/// What a share reads where the force does not export a field it needs.
pub const NOT_RECORDED: &str = "not recorded";

/// For each of [`MEASURES`], whether the force records what it reads.
pub fn recorded(config: &Config, force_id: &str) -> Vec<bool> {
    MEASURES.iter().map(|m| m.recorded_by(config, force_id)).collect()
}

/// A row as published inside a force: every figure, and "not recorded" for a
/// share whose fields the force does not export (`recorded`, aligned with [`MEASURES`]).
pub fn open_row(row: &WeekKpis, recorded: &[bool], days: u32) -> Vec<String> {
    let mut cells = vec![row.force.clone(), row.week.clone()];
    cells.extend(row.counts.iter().map(u64::to_string));
    cells.push(minutes(row.median_response));
    cells.push(minutes(row.p90_response));
    cells.extend(MEASURES.iter().zip(recorded).map(|(m, &recorded)| {
        if !recorded {
            return NOT_RECORDED.to_string();
        }
        row.percent(m.numerator_column, m.denominator_column)
            .map_or(String::new(), |p| format!("{p:.1}"))
    }));
    cells.extend(coverage_cells(days));
    cells
}

/// The position of a count column.
fn column(name: &str) -> usize {
    COUNT_COLUMNS.iter().position(|c| *c == name).unwrap_or(0)
}

/// Count columns that add up to another: first contact channels and first grades, to all DA incidents.
fn additive_groups() -> Vec<(Vec<usize>, usize)> {
    let parts = |names: &[&str]| names.iter().map(|n| column(n)).collect();
    vec![
        (
            parts(&["via_999", "via_101", "via_online", "via_other"]),
            column("da_incidents"),
        ),
        (
            parts(&[
                "graded_emergency",
                "graded_priority",
                "graded_scheduled",
                "graded_no_deployment",
            ]),
            column("da_incidents"),
        ),
    ]
}

/// A row as published to the evaluators: small counts, and any figure that
/// would reveal one (by its rate or by subtraction), suppressed; the days of
/// the week the data covers last.
pub fn suppressed_row(row: &WeekKpis, suppression: Suppression, recorded: &[bool], days: u32) -> Vec<String> {
    let hidden = hidden_counts(row, suppression);
    let mut cells = vec![row.force.clone(), row.week.clone()];
    cells.extend(
        row.counts
            .iter()
            .zip(&hidden)
            .map(|(&n, &hide)| if hide { SUPPRESSED.into() } else { n.to_string() }),
    );
    let responses = row.count("responses");
    for value in [row.median_response, row.p90_response] {
        cells.push(if suppression.hides(responses) {
            SUPPRESSED.into()
        } else {
            minutes(value)
        });
    }
    cells.extend(MEASURES.iter().zip(recorded).map(|(m, &recorded)| {
        let (numerator, denominator) = (column(m.numerator_column), column(m.denominator_column));
        if !recorded {
            NOT_RECORDED.into()
        } else if hidden[numerator] || hidden[denominator] {
            SUPPRESSED.into()
        } else {
            suppression.percent(row.counts[numerator], row.counts[denominator])
        }
    }));
    cells.extend(coverage_cells(days));
    cells
}

/// Each measure's (numerator, denominator) count columns.
fn measure_pairs() -> Vec<(usize, usize)> {
    MEASURES
        .iter()
        .map(|m| (column(m.numerator_column), column(m.denominator_column)))
        .collect()
}

/// Which of a week's counts (aligned with [`COUNT_COLUMNS`]) are published
/// suppressed: small ones and any that would reveal one.
pub fn hidden_counts(row: &WeekKpis, suppression: Suppression) -> Vec<bool> {
    suppression.protect(&row.counts, &measure_pairs(), &additive_groups())
}

/// Minutes to one decimal place; empty when missing.
pub fn minutes(value: Option<f64>) -> String {
    value.map_or(String::new(), |v| format!("{v:.1}"))
}
