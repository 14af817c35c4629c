//! The errors a command can end with, and the process exit code of each.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | run-time failure (e.g. an output could not be written) |
//! | 2 | usage or configuration error |
//! | 3 | input data rejected: a structural fault in an export, or more rows quarantined than allowed |

use crate::config::ConfigError;
use crate::detect::DetectError;
use crate::ingest::IngestError;
use crate::link::LinkError;
use crate::report::ReportError;
use crate::simulate::SimulateError;

#[derive(Debug, thiserror::Error)]
pub enum VigilError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Simulate(#[from] SimulateError),
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error(transparent)]
    Detect(#[from] DetectError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("{0}")]
    Usage(String),
    /// Part of the work was done (`done` says what) before `reason` stopped the rest.
    #[error("{reason}")]
    Incomplete { done: String, reason: Box<VigilError> },
}

impl VigilError {
    pub fn exit_code(&self) -> i32 {
        match self {
            VigilError::Config(_) => 2,
            VigilError::Ingest(e) => e.exit_code(),
            VigilError::Simulate(SimulateError::NotEmpty { .. }) => 2,
            VigilError::Simulate(_) => 1,
            VigilError::Link(e) => e.exit_code(),
            VigilError::Detect(e) => e.exit_code(),
            VigilError::Report(e) => e.exit_code(),
            VigilError::Usage(_) => 2,
            VigilError::Incomplete { reason, .. } => reason.exit_code(),
        }
    }
}
