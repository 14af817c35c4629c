//! The report stage: what the users open. From the detect stage's results
//! it builds one table of facts per incident (`facts.rs`), aggregates it with
//! the SQL of `queries/` (`sql.rs`, `kpis.rs`), and writes the packs: each
//! force's weekly review (`weekly.rs`), the pseudonymised evaluation pack
//! comparing the forces before and after the pilot (`evaluation/`, with
//! `interval.rs`, `suppress.rs`, `pseudonym.rs`, `harm.rs`), and one
//! person's case history (`case.rs`). Packs are written atomically with a
//! manifest (`pack.rs`, `provenance.rs`); pages and charts come from
//! `html.rs` and `charts/`.

mod case;
pub mod charts;
mod coverage;
pub mod decisions;
mod error;
mod evaluation;
mod facts;
mod findable;
mod force_flags;
mod harm;
mod html;
pub mod interval;
mod kpis;
mod last_week;
mod measures;
mod pack;
mod pack_csv;
mod provenance;
pub mod pseudonym;
mod review;
pub mod sql;
mod suppress;
mod week;
mod weekly;
mod workbook;

use std::path::Path;

use polars::prelude::*;

pub use case::{write_case, CASES};
pub use error::ReportError;
pub use evaluation::{write_evaluation, Periods, EVALUATION};
pub use facts::{incident_facts, IncidentFact};
pub use kpis::{read_weekly, WeekKpis, COUNT_COLUMNS};
pub use measures::{Measure, MEASURES};
pub use pack::MANIFEST;
pub use pseudonym::{KeySources, PseudonymKey};
pub use suppress::{Suppression, SUPPRESSED};
pub use week::Week;
pub use weekly::{write_weekly, WEEKLY};

use crate::config::Config;
use crate::detect::Detected;
use crate::generation::Generation;
use crate::staging::Staging;

/// Everything the packs are made from.
pub struct ReportData<'a> {
    pub config: &'a Config,
    /// The run's output folder (its canonical, linked and detect tables).
    pub out: &'a Path,
    pub detected: &'a Detected,
    pub facts: Vec<IncidentFact>,
    /// `weekly_kpis.sql` over the facts, every force and week with a domestic incident.
    pub weekly: Vec<WeekKpis>,
    /// The ingest stage's manifest (inputs, their SHA-256 and row counts), read once.
    pub ingest_manifest: serde_json::Value,
    /// SHA-256 of the stage tables the packs are made from, for their manifests.
    pub stage_digests: std::collections::BTreeMap<&'static str, String>,
    /// The days each force's data covers, by force number.
    pub coverage: Vec<Option<coverage::Coverage>>,
}

impl<'a> ReportData<'a> {
    /// Builds the facts, writes them to `out/facts/incident_facts.parquet`
    /// (for `vigil query`), and runs the weekly KPI query over them.
    pub fn build(config: &'a Config, out: &'a Path, detected: &'a Detected) -> Result<ReportData<'a>, ReportError> {
        let (stage_digests, built) = rayon::join(
            || provenance::stage_digests(out),
            || facts_and_kpis(config, out, detected),
        );
        let (facts, weekly) = built?;
        Ok(ReportData {
            config,
            out,
            detected,
            facts,
            weekly,
            ingest_manifest: provenance::ingest_manifest(out),
            stage_digests,
            coverage: coverage::Coverage::of_forces(detected),
        })
    }

    /// The number of a force by its id.
    pub fn force_number(&self, id: &str) -> Option<u16> {
        self.detected
            .records
            .forces
            .iter()
            .position(|f| f == id)
            .map(|n| n as u16)
    }

    /// How many days of a week (`2025-W08`) the force's data covers; 0 for a
    /// force or week it does not know.
    pub fn days_with_data(&self, force: &str, week: &str) -> u32 {
        let coverage = self.force_number(force).and_then(|n| self.coverage[usize::from(n)]);
        match (coverage, week.parse::<week::Week>()) {
            (Some(coverage), Ok(week)) => coverage.days_in(week),
            _ => 0,
        }
    }

    /// The local date of the end of the data, on the force's clock.
    pub fn last_date(&self, force: u16) -> chrono::NaiveDate {
        self.detected.clock.date(force, self.detected.records.data_end)
    }
}

/// The facts of every incident (also written for `vigil query`) and the weekly KPIs over them.
fn facts_and_kpis(
    config: &Config,
    out: &Path,
    detected: &Detected,
) -> Result<(Vec<IncidentFact>, Vec<WeekKpis>), ReportError> {
    let facts = incident_facts(detected, config);
    let mut frame = facts::facts_frame(&facts, detected).map_err(|e| ReportError::write(out, e))?;
    write_facts(out, &mut frame, detected.generation.as_ref())?;
    let mut context = polars::sql::SQLContext::new();
    context.register("incident_facts", frame.lazy());
    let kpis = sql::run(&mut context, sql::WEEKLY_KPIS.name, sql::WEEKLY_KPIS.text)?;
    let weekly = read_weekly(&kpis).map_err(|e| ReportError::Query {
        file: sql::WEEKLY_KPIS.name.into(),
        reason: e.to_string(),
    })?;
    Ok((facts, weekly))
}

/// Publishes `facts/incident_facts.parquet`, and last the generation it comes from.
fn write_facts(out: &Path, frame: &mut DataFrame, generation: Option<&Generation>) -> Result<(), ReportError> {
    let target = out.join("facts");
    let failed = |e: &dyn std::fmt::Display| ReportError::write(&target, e);
    let staging = Staging::new(&target, "facts").map_err(|e| failed(&e))?;
    let path = staging.path("incident_facts.parquet").map_err(|e| failed(&e))?;
    let file = std::fs::File::create(&path).map_err(|e| failed(&e))?;
    ParquetWriter::new(file).finish(frame).map_err(|e| failed(&e))?;
    if let Some(generation) = generation {
        generation.write_marker(staging.dir()).map_err(|e| failed(&e))?;
    }
    staging
        .commit(&["incident_facts.parquet"], crate::generation::MARKER)
        .map_err(|e| failed(&e))
}
