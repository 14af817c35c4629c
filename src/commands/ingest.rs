//! `vigil ingest` (and the ingest step of `vigil run`): read, check the
//! quarantine limit, write, and report what was read.

use std::path::PathBuf;

use super::summary::ingest_summary;
use crate::config::Config;
use crate::error::VigilError;
use crate::ingest::{self, Ingested, WriteOptions, Written};

/// Options of `vigil ingest`.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub out_dir: PathBuf,
    pub write: WriteOptions,
    /// Overrides `ingest.quarantine_limit` of the configuration.
    pub quarantine_limit: Option<f64>,
}

/// Runs the stage; returns what was written and the summary to print.
pub fn run(config: &Config, options: &IngestOptions) -> Result<(Written, String), VigilError> {
    let (_, written, summary) = stage(config, options)?;
    Ok((written, summary))
}

/// Runs the stage and keeps what was read, for the stages after it.
pub fn stage(config: &Config, options: &IngestOptions) -> Result<(Ingested, Written, String), VigilError> {
    let ingested = read_checked(config, options)?;
    let (written, summary) = write(config, options, &ingested)?;
    Ok((ingested, written, summary))
}

/// Reads every export and stops if more rows were quarantined than allowed.
pub fn read_checked(config: &Config, options: &IngestOptions) -> Result<Ingested, VigilError> {
    let ingested = ingest::read_all(config)?;
    let limit = options.quarantine_limit.unwrap_or(config.spec.ingest.quarantine_limit);
    let rejected = options.out_dir.join("quarantine.rejected.csv");
    ingest::check_quarantine_limit(&ingested, limit, &rejected)?;
    Ok(ingested)
}

/// Writes what was read and says what it was.
pub fn write(config: &Config, options: &IngestOptions, ingested: &Ingested) -> Result<(Written, String), VigilError> {
    let written = ingest::write(ingested, config, &options.out_dir, &options.write)?;
    let summary = ingest_summary(config, &written);
    Ok((written, summary))
}
