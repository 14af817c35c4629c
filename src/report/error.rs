//! Why a report could not be made, and the exit code of each reason.

use std::path::PathBuf;

use crate::detect::DetectError;
use crate::generation::GenerationError;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Detect(#[from] DetectError),
    /// No pseudonymisation key, or a bad one: the evaluation pack is refused.
    #[error("{0}")]
    Key(String),
    /// A bad argument: an unknown force, a week or period outside the data, an unknown person.
    #[error("{0}")]
    Usage(String),
    #[error("{file}: {reason}")]
    Query { file: String, reason: String },
    #[error("{path} cannot be read: {reason}; run `vigil run` first to make it")]
    Input { path: PathBuf, reason: String },
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error(transparent)]
    Generation(#[from] GenerationError),
}

impl ReportError {
    pub fn exit_code(&self) -> i32 {
        match self {
            ReportError::Detect(e) => e.exit_code(),
            ReportError::Key(_) | ReportError::Usage(_) | ReportError::Query { .. } | ReportError::Input { .. } => 2,
            ReportError::Write { .. } => 1,
            ReportError::Generation(e) => e.exit_code(),
        }
    }

    /// A write failure at `path`.
    pub fn write(path: &std::path::Path, reason: impl std::fmt::Display) -> ReportError {
        ReportError::Write {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        }
    }
}
