//! `manifest.json` of an ingest run: the vigil version, the configuration's
//! hash, each input file with its SHA-256 and row accounting, totals per
//! force, the size of each canonical table, and timings.

use std::collections::BTreeMap;

use serde::Serialize;

use super::report::{FileReport, Totals};
use crate::config::Config;
use crate::generation::Generation;

#[derive(Debug, Serialize)]
pub struct ConfigRef {
    pub file: String,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct ForceTotals {
    pub force: String,
    #[serde(flatten)]
    pub totals: Totals,
}

#[derive(Debug, Serialize)]
pub struct IngestManifest {
    pub vigil_version: &'static str,
    pub stage: &'static str,
    /// The digest of what this run read ([`crate::generation`]).
    pub generation: String,
    pub config: ConfigRef,
    pub inputs: Vec<FileReport>,
    pub forces: Vec<ForceTotals>,
    pub totals: Totals,
    /// Every input file reconciles: rows read = accepted + quarantined + duplicates + filtered.
    pub reconciled: bool,
    pub tables: BTreeMap<&'static str, u64>,
    pub timings_ms: BTreeMap<&'static str, u64>,
}

/// The generation of a run of `config` that read `files`.
pub fn run_generation(config: &Config, files: &[FileReport]) -> Generation {
    Generation::of_inputs(
        &config.sha256,
        files.iter().map(|f| (f.path.as_str(), f.sha256.as_str())),
    )
}

impl IngestManifest {
    pub fn new(
        config: &Config,
        files: &[FileReport],
        tables: BTreeMap<&'static str, u64>,
        timings_ms: BTreeMap<&'static str, u64>,
    ) -> Self {
        let forces = config
            .forces
            .iter()
            .map(|f| ForceTotals {
                force: f.id.clone(),
                totals: Totals::of(files.iter().filter(|r| r.force == f.id)),
            })
            .collect();
        IngestManifest {
            vigil_version: env!("CARGO_PKG_VERSION"),
            stage: "ingest",
            generation: run_generation(config, files).as_str().to_string(),
            config: ConfigRef {
                file: config
                    .path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                sha256: config.sha256.clone(),
            },
            inputs: files.to_vec(),
            forces,
            totals: Totals::of(files),
            reconciled: files.iter().all(FileReport::reconciles),
            tables,
            timings_ms,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a manifest always serialises") + "\n"
    }
}
