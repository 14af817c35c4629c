//! Baseline against pilot: each proportion of `measures.rs` and the median
//! minutes to attend by grade, per force and per group pooled, with the
//! difference and its 95 % interval (Newcombe's hybrid score method; a
//! seeded percentile bootstrap for medians), suppressed where a count would
//! reveal a small number.

use super::super::charts::{IntervalPanel, IntervalRow, Intervals};
use super::super::interval::{
    bootstrap_median_difference, median_of_sorted, newcombe_difference, Estimate, BOOTSTRAP_RESAMPLES, Z95,
};
use super::super::kpis::NOT_RECORDED;
use super::super::measures::{Measure, MEASURES};
use super::super::pack::Pack;
use super::super::suppress::SUPPRESSED;
use super::super::ReportError;
use super::groups::Scope;
use super::periods::Period;
use super::{write_table, Evaluation};
use crate::schema::Grade;

/// One compared figure for one force (or one group pooled).
pub struct Comparison {
    force: String,
    name: String,
    label: String,
    unit: &'static str,
    /// (numerator or responses, denominator) per period.
    baseline: (u64, u64),
    pilot: (u64, u64),
    /// Period values (percent or minutes), difference and interval; `None` when suppressed or not computable.
    values: Option<(f64, f64, Estimate)>,
    /// Hidden because a count would reveal a small number (else `values` is
    /// missing only where a period has no cases at all).
    suppressed: bool,
    /// A force's exports lack a field the measure reads.
    not_recorded: bool,
    method: &'static str,
}

const NEWCOMBE: &str = "Newcombe hybrid score, 95 %";
const BOOTSTRAP: &str = "percentile bootstrap of medians, 95 %";

impl Evaluation<'_> {
    pub fn comparisons(&self) -> Vec<Comparison> {
        let mut rows = Vec::new();
        for (name, force) in self.scopes() {
            for measure in MEASURES {
                rows.push(self.proportion(&name, force, measure));
            }
            for grade in [Grade::Emergency, Grade::Priority] {
                rows.push(self.median(&name, force, grade));
            }
        }
        rows
    }

    /// Whether force `n` records what `measure` reads.
    pub(super) fn records(&self, n: u16, measure: &Measure) -> bool {
        let forces = &self.data.detected.records.forces;
        forces
            .get(usize::from(n))
            .is_none_or(|id| measure.recorded_by(self.data.config, id))
    }

    /// A share over the forces that record what it reads; for a force that
    /// does not (or when none does) it is "not recorded", never 0 %.
    fn proportion(&self, name: &str, force: Scope, measure: &Measure) -> Comparison {
        let recording = |period| self.facts_of(force, period).filter(|f| self.records(f.force, measure));
        let baseline = measure.tally(recording(Period::Baseline));
        let pilot = measure.tally(recording(Period::Pilot));
        let forces = self.data.detected.records.forces.len() as u16;
        let not_recorded = (0..forces)
            .filter(|&n| self.groups.holds(force, n))
            .all(|n| !self.records(n, measure));
        let hidden =
            self.suppression.hides_rate(baseline.0, baseline.1) || self.suppression.hides_rate(pilot.0, pilot.1);
        let values = if hidden {
            None
        } else {
            newcombe_difference(pilot.0, pilot.1, baseline.0, baseline.1, Z95).map(|d| {
                let percent = |(x, n): (u64, u64)| 100.0 * x as f64 / n as f64;
                let scaled = Estimate {
                    value: 100.0 * d.value,
                    low: 100.0 * d.low,
                    high: 100.0 * d.high,
                };
                (percent(baseline), percent(pilot), scaled)
            })
        };
        Comparison {
            force: name.to_string(),
            name: measure.name.to_string(),
            label: measure.label.to_string(),
            unit: "percent",
            baseline,
            pilot,
            values: values.filter(|_| !not_recorded),
            suppressed: hidden && !not_recorded,
            not_recorded,
            method: NEWCOMBE,
        }
    }

    fn median(&self, name: &str, force: Scope, grade: Grade) -> Comparison {
        let minutes = |period| -> Vec<f64> {
            self.facts_of(force, period)
                .filter(|f| f.domestic && f.final_grade == Some(grade))
                .filter_map(|f| f.response_minutes)
                .collect()
        };
        let (baseline, pilot) = (minutes(Period::Baseline), minutes(Period::Pilot));
        let hidden = self.suppression.hides(baseline.len() as u64) || self.suppression.hides(pilot.len() as u64);
        let seed = self.data.config.spec.report.bootstrap_seed;
        let values = if hidden {
            None
        } else {
            bootstrap_median_difference(&pilot, &baseline, seed, BOOTSTRAP_RESAMPLES).map(|d| {
                let median = |values: &[f64]| {
                    let mut sorted = values.to_vec();
                    sorted.sort_by(f64::total_cmp);
                    median_of_sorted(&sorted).unwrap_or(f64::NAN)
                };
                (median(&baseline), median(&pilot), d)
            })
        };
        Comparison {
            force: name.to_string(),
            name: format!("median_response_{}", grade.code().to_lowercase()),
            label: format!("median minutes to attend, {grade}"),
            unit: "minutes",
            baseline: (baseline.len() as u64, baseline.len() as u64),
            pilot: (pilot.len() as u64, pilot.len() as u64),
            values,
            suppressed: hidden,
            not_recorded: false,
            method: BOOTSTRAP,
        }
    }
}

pub fn comparison_chart(comparisons: &[Comparison]) -> Intervals {
    let shown = [
        "within_target",
        "risk_assessed",
        "repeat_30d",
        "missed_opportunity",
        "marac_referred",
        "median_response_emergency",
    ];
    let panels = shown
        .iter()
        .map(|name| {
            let rows: Vec<&Comparison> = comparisons.iter().filter(|c| c.name == *name).collect();
            IntervalPanel {
                title: rows.first().map_or(name.to_string(), |c| c.label.clone()),
                unit: rows
                    .first()
                    .map_or("", |c| {
                        if c.unit == "percent" {
                            "percentage points"
                        } else {
                            "minutes"
                        }
                    })
                    .to_string(),
                rows: rows
                    .iter()
                    .map(|c| IntervalRow {
                        label: c.force.clone(),
                        estimate: c.values.map(|(_, _, d)| (d.value, d.low, d.high)),
                    })
                    .collect(),
            }
        })
        .collect();
    Intervals {
        title: "Pilot minus baseline, with 95 % intervals".into(),
        panels,
    }
}

pub fn write_comparisons(pack: &Pack, comparisons: &[Comparison]) -> Result<(), ReportError> {
    let header = [
        "force",
        "measure",
        "label",
        "unit",
        "baseline_numerator",
        "baseline_denominator",
        "baseline",
        "pilot_numerator",
        "pilot_denominator",
        "pilot",
        "difference",
        "ci_low",
        "ci_high",
        "method",
    ]
    .map(String::from);
    let rows: Vec<Vec<String>> = comparisons.iter().map(comparison_row).collect();
    write_table(pack, "comparison.csv", &header, &rows)
}

fn comparison_row(c: &Comparison) -> Vec<String> {
    let counts = [c.baseline.0, c.baseline.1, c.pilot.0, c.pilot.1].map(|n| n.to_string());
    let (counts, figures) = match c.values {
        _ if c.not_recorded => (
            [(); 4].map(|_| String::new()),
            [(); 5].map(|_| NOT_RECORDED.to_string()),
        ),
        _ if c.suppressed => (
            [(); 4].map(|_| SUPPRESSED.to_string()),
            [(); 5].map(|_| SUPPRESSED.to_string()),
        ),
        Some((baseline, pilot, d)) => (
            counts,
            [baseline, pilot, d.value, d.low, d.high].map(|v| format!("{v:.1}")),
        ),
        None => {
            // No difference without cases in both periods; a period's own share still shows.
            let share = |(x, n): (u64, u64)| match c.unit {
                "percent" if n > 0 => format!("{:.1}", 100.0 * x as f64 / n as f64),
                _ => String::new(),
            };
            let mut figures = [(); 5].map(|_| String::new());
            figures[0] = share(c.baseline);
            figures[1] = share(c.pilot);
            (counts, figures)
        }
    };
    let mut row = vec![c.force.clone(), c.name.clone(), c.label.clone(), c.unit.to_string()];
    row.extend(counts[..2].iter().cloned());
    row.push(figures[0].clone());
    row.extend(counts[2..].iter().cloned());
    row.extend(figures[1..].iter().cloned());
    row.push(c.method.to_string());
    row
}
