//! The ingest stage: every force's exports, in their own dialects, into the
//! canonical `calls`, `incidents` and `mentions` tables, with every input row
//! accounted for as accepted, quarantined (with a reason) or an exact
//! duplicate.
//!
//! [`read_all`] does the reading and mapping; [`check_quarantine_limit`] stops
//! a run whose files were rejected beyond the configured share; [`write`]
//! publishes the tables, `quarantine.csv`, `data_quality.csv` and
//! `manifest.json` together.

mod calls;
mod claims;
mod csv_text;
mod error;
mod export_files;
mod export_row;
mod file;
mod filter;
mod frame;
mod incidents;
mod manifest;
mod mentions;
mod place;
mod quality;
mod quarantine;
mod repeats;
mod report;
mod row;
mod row_faults;
mod rows;
mod settle;
mod source;
mod tables;
mod time_order;
mod write;

use std::time::{Duration, Instant};

pub use calls::CallRecord;
pub use error::IngestError;
pub use incidents::{GradeChange, IncidentRecord};
pub use manifest::run_generation;
pub use mentions::{mention_id, MentionRecord};
pub use quality::QualityRow;
pub use quarantine::QuarantineEntry;
pub use report::{FileReport, Totals};
pub use row::Coded;
pub use rows::{TextRow, TextRows};
pub use source::read_parquet;
pub use tables::{mention_ids, Canonical, CanonicalFrames, Sourced};
pub use write::{write, WriteOptions, Written};

use crate::config::Config;
use claims::SeenKeys;
use export_files::export_files;
use file::ingest_file;

/// Everything read from the exports.
#[derive(Debug)]
pub struct Ingested {
    pub canonical: Canonical,
    pub quarantine: Vec<QuarantineEntry>,
    pub files: Vec<FileReport>,
    pub elapsed: Duration,
}

/// Reads every export of every force, in configuration order.
pub fn read_all(config: &Config) -> Result<Ingested, IngestError> {
    let started = Instant::now();
    let mut canonical = Canonical::default();
    let mut quarantine = Vec::new();
    let mut files = Vec::new();
    for force in &config.forces {
        let mut seen = SeenKeys::default();
        for export in &force.exports {
            for file in export_files(export)? {
                files.push(ingest_file(force, &file, &mut seen, &mut canonical, &mut quarantine)?);
            }
        }
    }
    Ok(Ingested {
        canonical,
        quarantine,
        files,
        elapsed: started.elapsed(),
    })
}

/// The files whose quarantined share is above `limit`.
pub fn over_quarantine_limit(files: &[FileReport], limit: f64) -> Vec<&FileReport> {
    files.iter().filter(|f| f.quarantine_rate() > limit).collect()
}

/// Fails with [`IngestError::QuarantineLimit`] when any file was rejected beyond `limit`,
/// after writing the quarantined rows to `rejected` so they can be inspected.
pub fn check_quarantine_limit(ingested: &Ingested, limit: f64, rejected: &std::path::Path) -> Result<(), IngestError> {
    let over = over_quarantine_limit(&ingested.files, limit);
    if over.is_empty() {
        return Ok(());
    }
    if let Some(parent) = rejected.parent() {
        std::fs::create_dir_all(parent).map_err(|e| IngestError::write(parent, e))?;
    }
    quarantine::write_quarantine(rejected, &ingested.quarantine)?;
    let summary = over
        .iter()
        .map(|f| {
            format!(
                "{} ({} of {} rows quarantined, {:.1}%)",
                f.path,
                f.rows_quarantined,
                f.rows_read - f.duplicate_rows - f.rows_filtered,
                100.0 * f.quarantine_rate()
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Err(IngestError::QuarantineLimit {
        summary,
        limit_percent: format!("{}", limit * 100.0),
        rejected: rejected.to_path_buf(),
    })
}
