//! `vigil.toml`: the forces, their export dialects and code tables, and the
//! run's settings. Read with serde; unknown keys are refused with the key and
//! file named. [`Config::load`] returns a checked configuration whose exports
//! are compiled and whose paths are resolved against the file's folder.

mod codes;
mod detect;
mod export;
mod field;
mod force;
mod link;
mod missing;
mod report;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use codes::{CodeTable, CodeTables};
pub use detect::{DetectSettings, PriorityWeights};
pub use export::{ColumnSource, Export, ExportSpec, FileFormat, TextEncoding};
pub use field::{field_named, ExportKind, Field, FieldType};
pub use force::{code_key, AttendanceTargets, Force, ForceSpec};
pub use link::LinkSettings;
pub use missing::{MissingValues, MissingValuesSpec, DEFAULT_MISSING_VALUES};
pub use report::{ReportSettings, ReviewSettings};

/// A configuration problem: what, where, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Settings for the ingest stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestSettings {
    /// Largest share of a file's rows that may be quarantined before the run stops (exit code 3).
    pub quarantine_limit: f64,
}

impl Default for IngestSettings {
    fn default() -> Self {
        IngestSettings { quarantine_limit: 0.05 }
    }
}

/// The file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSpec {
    #[serde(default)]
    pub ingest: IngestSettings,
    #[serde(default, skip_serializing_if = "LinkSettings::is_unset")]
    pub link: LinkSettings,
    #[serde(default)]
    pub detect: DetectSettings,
    #[serde(default)]
    pub report: ReportSettings,
    #[serde(default, skip_serializing_if = "ReviewSettings::is_unset")]
    pub review: ReviewSettings,
    #[serde(rename = "force")]
    pub forces: Vec<ForceSpec>,
}

/// A checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The configuration file.
    pub path: PathBuf,
    /// Its bytes' SHA-256, recorded in manifests.
    pub sha256: String,
    pub spec: ConfigSpec,
    pub forces: Vec<Force>,
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let bytes = std::fs::read(path).map_err(|source| ConfigError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let text = String::from_utf8(bytes.clone()).map_err(|_| invalid("the file is not UTF-8 text".into()))?;
        let spec: ConfigSpec = toml::from_str(&text).map_err(|e| invalid(one_line(&e.to_string())))?;
        let base_dir = path.parent().unwrap_or(Path::new("."));
        let forces = spec.check(base_dir).map_err(invalid)?;
        Ok(Config {
            path: path.to_path_buf(),
            sha256: crate::hashing::sha256_hex(&bytes),
            spec,
            forces,
        })
    }

    /// The effective configuration as TOML, defaults filled in.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(&self.spec).unwrap_or_else(|e| format!("# cannot print the configuration: {e}\n"))
    }

    pub fn force(&self, id: &str) -> Option<&Force> {
        self.forces.iter().find(|f| f.id == id)
    }

    /// The time zone of force `id`; London for a force not configured.
    pub fn time_zone(&self, id: &str) -> chrono_tz::Tz {
        self.force(id).map_or(chrono_tz::Europe::London, |f| f.timezone)
    }
}

impl ConfigSpec {
    fn check(&self, base_dir: &Path) -> Result<Vec<Force>, String> {
        let limit = self.ingest.quarantine_limit;
        if !(0.0..=1.0).contains(&limit) {
            return Err(format!(
                "ingest.quarantine_limit is {limit}; it must be a share between 0 and 1"
            ));
        }
        self.detect.check()?;
        self.report.check()?;
        if self.forces.is_empty() {
            return Err("no [[force]] is configured".into());
        }
        let mut forces: Vec<Force> = Vec::new();
        for spec in &self.forces {
            if forces.iter().any(|f| f.id == spec.id) {
                return Err(format!("force `{}` is configured twice", spec.id));
            }
            forces.push(
                spec.compile(base_dir)
                    .map_err(|e| format!("force `{}`: {e}", spec.id))?,
            );
        }
        Ok(forces)
    }
}

/// toml's messages span several lines with a source excerpt; keep them readable on one line.
fn one_line(message: &str) -> String {
    message
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
