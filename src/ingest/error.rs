//! Faults that stop an ingest run, each with what to do about it.
//!
//! None of these messages carries a value from a data row: they name files,
//! lines, columns and counts only. Row-level faults never come here; they are
//! quarantined (see `quarantine.rs`).

use std::path::PathBuf;

/// A fault that stops the run. `exit_code` gives the documented process exit code.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: the export file does not exist. Check its `path` in the configuration, or put the export there.")]
    MissingFile { path: PathBuf },
    #[error("no file matches `{pattern}` in {folder}. Check the export's `path` in the configuration, or put the exports there.")]
    NoMatch { pattern: String, folder: PathBuf },
    #[error("{path}: cannot read the file: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{path}: the file is empty (it has no header row). Export it again from the source system.")]
    EmptyFile { path: PathBuf },
    #[error(
        "{path}, line {line}, byte {byte} of that line: the file is declared utf-8 but holds bytes that are not UTF-8. \
         If the system exports Windows-1252, set encoding = \"windows-1252\" for this export; otherwise export it again."
    )]
    NotUtf8 { path: PathBuf, line: u64, byte: usize },
    #[error("{path}: column `{column}` (mapped to the field `{field}`) is not in the header.{hint} Columns found: {found}. Fix the mapping in the configuration or the export.")]
    MissingColumn {
        path: PathBuf,
        column: String,
        field: &'static str,
        found: String,
        hint: String,
    },
    #[error("{path}: column `{column}` (named in the export's `{rule}`) is not in the header. Columns found: {found}. Fix `{rule}` in the configuration.")]
    FilterColumn {
        path: PathBuf,
        column: String,
        rule: &'static str,
        found: String,
    },
    #[error("{path}: cannot read the file as Parquet ({reason}). Check that the export finished and the file is not truncated.")]
    BadParquet { path: PathBuf, reason: String },
    #[error("{path}, line {line}: the CSV cannot be parsed ({reason}).")]
    MalformedCsv { path: PathBuf, line: u64, reason: String },
    #[error(
        "{summary}: more than {limit_percent}% of rows were quarantined, so the run stopped and wrote no tables. \
         The quarantined rows and their reasons are in {rejected}. Fix the export or the mapping, \
         or raise ingest.quarantine_limit if this is expected."
    )]
    QuarantineLimit {
        summary: String,
        limit_percent: String,
        rejected: PathBuf,
    },
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
}

impl IngestError {
    /// 3 for input data rejected, 1 for a failure to write output.
    pub fn exit_code(&self) -> i32 {
        match self {
            IngestError::Write { .. } => 1,
            _ => 3,
        }
    }

    pub(crate) fn write(path: impl Into<PathBuf>, reason: impl ToString) -> IngestError {
        IngestError::Write {
            path: path.into(),
            reason: reason.to_string(),
        }
    }
}
