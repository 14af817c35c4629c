//! What can stop a link run, each message naming the file and what to do.
//! Record values never appear in these messages (ids excepted).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("{0}")]
    Usage(String),
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}, line {line}: {reason}")]
    BadCsv { path: PathBuf, line: u64, reason: String },
    #[error("{path}: not a readable Parquet file ({reason})")]
    BadParquet { path: PathBuf, reason: String },
    #[error(
        "{path} has no column `{column}` (it has: {found}); name the right one with --id-column or --truth-column"
    )]
    MissingColumn {
        path: PathBuf,
        column: String,
        found: String,
    },
    #[error("{path}: record id `{id}` appears more than once; ids must be unique within an input")]
    DuplicateId { path: PathBuf, id: String },
    #[error("{path}: a record has an empty id; every record needs one")]
    EmptyId { path: PathBuf },
    #[error("{path}: {reason}")]
    BadSpec { path: PathBuf, reason: String },
    #[error("blocking rule `{rule}`: {reason}")]
    BadRule { rule: String, reason: String },
    /// A file read beside the records: an earlier run's persons, or the simulator's truth.
    #[error("{path}: {reason}")]
    BadSideFile { path: PathBuf, reason: String },
    #[error("{path}: {reason}; train a new model by leaving out --model")]
    BadModel { path: PathBuf, reason: String },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

impl LinkError {
    /// 2 for usage and configuration, 3 for input data, 1 for failures to write.
    pub fn exit_code(&self) -> i32 {
        match self {
            LinkError::Usage(_)
            | LinkError::BadSpec { .. }
            | LinkError::BadRule { .. }
            | LinkError::BadModel { .. } => 2,
            LinkError::MissingColumn { .. } | LinkError::BadSideFile { .. } => 2,
            LinkError::Read { .. } | LinkError::BadCsv { .. } | LinkError::BadParquet { .. } => 3,
            LinkError::DuplicateId { .. } | LinkError::EmptyId { .. } => 3,
            LinkError::Write { .. } => 1,
        }
    }
}
