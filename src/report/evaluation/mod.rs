//! The evaluation pack, `evaluation/`: the forces compared before and after
//! the pilot started, for the Home Office evaluators. KPIs by force and
//! week, and a force-by-week panel of every KPI's counts with each force's
//! group and pilot start; for each force, and for the pilot forces and the
//! comparison forces each pooled on its own, each proportion in the baseline
//! and the pilot period with the difference and its 95 % interval
//! (Newcombe's hybrid score method; medians by a seeded percentile
//! bootstrap); harm concentration and Lorenz curves; flags by rule; data
//! quality. Only on request (`--microdata`), every flag with its subject
//! pseudonymised goes to a folder of its own, `evaluation_microdata/`
//! (`flags.rs`). Nothing in either names anyone: no names, dates of birth,
//! numbers, addresses, postcodes, free text or raw references; person ids
//! are keyed hashes; counts from 1 to the threshold, and figures that would
//! reveal one, are suppressed.
//!
//! Files: `groups.rs` (pilot and comparison forces, never pooled together),
//! `panel.rs` (force-week counts for evaluators' own models), `effects.rs`
//! and `randomisation.rs` (the pilot's effect against the comparison forces
//! with randomisation inference), `periods.rs`
//! (the compared periods), `comparison.rs` (baseline against pilot with
//! intervals), `concentration.rs` (harm over dyads), `flags.rs` (counts by
//! rule; the microdata), `quality.rs`, `figures.rs` (the charts) and
//! `page.rs` (index.html).

mod comparison;
mod concentration;
mod effects;
mod figures;
mod flags;
mod groups;
mod page;
mod panel;
mod periods;
mod quality;
mod randomisation;

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::json;

use super::facts::IncidentFact;
use super::interval::BOOTSTRAP_RESAMPLES;
use super::kpis;
use super::pack::Pack;
use super::provenance::{manifest, seconds, Counts};
use super::pseudonym::PseudonymKey;
use super::suppress::Suppression;
use super::week::Week;
use super::{ReportData, ReportError};
use crate::csv_out::write_rows;
use comparison::write_comparisons;
use groups::{Groups, Scope};
use periods::Period;
pub use periods::Periods;

/// The folder of the evaluation pack inside the output folder.
pub const EVALUATION: &str = "evaluation";

/// What the written pack holds, for the command's summary.
#[derive(Debug, Clone)]
pub struct EvaluationSummary {
    pub path: std::path::PathBuf,
    pub periods: Periods,
    pub comparisons: usize,
    /// The microdata folder, when asked for.
    pub microdata: Option<std::path::PathBuf>,
}

/// Writes the evaluation pack.
pub fn write_evaluation(
    data: &ReportData,
    periods: Periods,
    (key, microdata): (&PseudonymKey, bool),
) -> Result<EvaluationSummary, ReportError> {
    let started = Instant::now();
    if periods.baseline.1 >= periods.pilot.0 {
        return Err(ReportError::Usage(format!(
            "the baseline ({}..{}) must end before the pilot period starts ({})",
            periods.baseline.0, periods.baseline.1, periods.pilot.0
        )));
    }
    let suppression = Suppression {
        up_to: data.config.spec.report.suppress_up_to,
    };
    let target = data.out.join(EVALUATION);
    let pack = Pack::start(&target)?;
    let evaluation = Evaluation::new(data, periods, suppression);
    write_weekly_kpis(&evaluation, &pack)?;
    evaluation.write_panel(&pack)?;
    evaluation.write_effects(&pack)?;
    let comparisons = evaluation.comparisons();
    write_comparisons(&pack, &comparisons)?;
    evaluation.write_harm(&pack)?;
    evaluation.write_flags(&pack)?;
    evaluation.write_quality(&pack)?;
    evaluation.write_charts(&pack, &comparisons)?;
    pack.write("index.html", evaluation.page(&pack)?.as_bytes())?;
    let timings = BTreeMap::from([("evaluation_pack", seconds(started))]);
    let about = json!({
        "kind": "evaluation",
        "baseline": [periods.baseline.0.to_string(), periods.baseline.1.to_string()],
        "pilot": [periods.pilot.0.to_string(), periods.pilot.1.to_string()],
        "suppressed_counts": format!("1 to {}", suppression.up_to),
        "pseudonym_key": "HMAC-SHA-256 with a key held outside the repository",
        "effects": "difference-in-differences against the comparison forces, randomisation inference (every assignment of the pilot to as many forces, or a seeded sample of them), 95 % interval by test inversion",
        "interval_methods": {
            "proportions": "Newcombe (1998) hybrid score interval for a difference of proportions (method 10), 95 %",
            "medians": format!("percentile bootstrap, {BOOTSTRAP_RESAMPLES} resamples, seed {}", data.config.spec.report.bootstrap_seed),
        },
    });
    pack.commit(manifest(data, about.clone(), Counts::Suppressed(suppression), timings))?;
    let microdata = microdata
        .then(|| write_microdata(&evaluation, key, about))
        .transpose()?;
    Ok(EvaluationSummary {
        path: target,
        periods,
        comparisons: comparisons.len(),
        microdata,
    })
}

/// The `--microdata` folder, beside the pack.
fn write_microdata(
    evaluation: &Evaluation,
    key: &PseudonymKey,
    mut about: serde_json::Value,
) -> Result<std::path::PathBuf, ReportError> {
    let started = Instant::now();
    let target = evaluation.data.out.join(flags::MICRODATA);
    let pack = Pack::start(&target)?;
    evaluation.write_microdata(&pack, key)?;
    about["kind"] = json!("evaluation microdata: personal data, shared only under a data-sharing agreement");
    let timings = BTreeMap::from([("microdata", seconds(started))]);
    pack.commit(manifest(evaluation.data, about, Counts::Open, timings))?;
    Ok(target)
}

struct Evaluation<'a> {
    data: &'a ReportData<'a>,
    periods: Periods,
    suppression: Suppression,
    groups: Groups,
    /// Positions in the facts, per force and per period (baseline, pilot), and per group.
    by_force: Vec<[Vec<usize>; 2]>,
    by_group: [[Vec<usize>; 2]; 2],
}

impl<'a> Evaluation<'a> {
    fn new(data: &'a ReportData<'a>, periods: Periods, suppression: Suppression) -> Evaluation<'a> {
        let groups = Groups::of(data);
        let mut by_force: Vec<[Vec<usize>; 2]> = vec![Default::default(); data.detected.records.forces.len()];
        let mut by_group: [[Vec<usize>; 2]; 2] = Default::default();
        for (i, fact) in data.facts.iter().enumerate() {
            if let Some(period) = periods.of(fact.date) {
                let slot = usize::from(period == Period::Pilot);
                by_force[usize::from(fact.force)][slot].push(i);
                by_group[groups.group(fact.force).slot()][slot].push(i);
            }
        }
        Evaluation {
            data,
            periods,
            suppression,
            groups,
            by_force,
            by_group,
        }
    }
}

impl Evaluation<'_> {
    /// The rows of a table: every force, then each group with a force, pooled.
    fn scopes(&self) -> Vec<(String, Scope)> {
        let forces = self.data.detected.records.forces.iter().enumerate();
        let mut scopes: Vec<(String, Scope)> = forces.map(|(n, id)| (id.clone(), Scope::Force(n as u16))).collect();
        scopes.extend((self.groups.present().into_iter()).map(|g| (g.pooled_name().to_string(), Scope::Group(g))));
        scopes
    }

    fn facts_of(&self, scope: Scope, period: Period) -> impl Iterator<Item = &IncidentFact> + '_ {
        let slot = usize::from(period == Period::Pilot);
        let positions = match scope {
            Scope::Force(n) => self.by_force.get(usize::from(n)).map(|g| &g[slot]),
            Scope::Group(group) => Some(&self.by_group[group.slot()][slot]),
        };
        positions.into_iter().flatten().map(|&i| &self.data.facts[i])
    }
}

fn write_weekly_kpis(evaluation: &Evaluation, pack: &Pack) -> Result<(), ReportError> {
    let rows: Vec<Vec<String>> = evaluation
        .data
        .weekly
        .iter()
        .filter(|w| {
            w.week.parse::<Week>().is_ok_and(|week| {
                evaluation.periods.of(week.monday()).is_some() || evaluation.periods.of(week.sunday()).is_some()
            })
        })
        .map(|w| {
            let recorded = kpis::recorded(evaluation.data.config, &w.force);
            let days = evaluation.data.days_with_data(&w.force, &w.week);
            kpis::suppressed_row(w, evaluation.suppression, &recorded, days)
        })
        .collect();
    write_table(pack, "kpis_by_force_week.csv", &kpis::header(), &rows)
}

fn write_table(pack: &Pack, name: &str, header: &[String], rows: &[Vec<String>]) -> Result<(), ReportError> {
    let path = pack.path(name)?;
    write_rows(&path, header, rows.len(), |i| rows[i].clone()).map_err(|e| ReportError::write(&path, e))
}
