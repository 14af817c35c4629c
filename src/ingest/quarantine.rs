//! Quarantined rows: where each came from and why it was set aside.
//!
//! `quarantine.csv` is the one output that holds raw values of rejected rows,
//! so that the people who own the export can fix them. Log lines and error
//! messages only ever count them.

use std::path::Path;

use super::error::IngestError;
use super::row::RowFault;

/// One quarantined row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineEntry {
    pub force: String,
    pub file: String,
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl QuarantineEntry {
    pub fn new(force: &str, file: &str, line: u64, fault: RowFault) -> QuarantineEntry {
        QuarantineEntry {
            force: force.to_string(),
            file: file.to_string(),
            line,
            column: fault.column,
            value: fault.value,
            reason: fault.reason,
        }
    }
}

/// Writes the entries as CSV with a header, in the order given.
pub fn write_quarantine(path: &Path, entries: &[QuarantineEntry]) -> Result<(), IngestError> {
    let fail = |e: csv::Error| IngestError::write(path, e);
    let mut writer = csv::Writer::from_path(path).map_err(fail)?;
    writer
        .write_record(["force", "file", "line", "column", "value", "reason"])
        .map_err(fail)?;
    for e in entries {
        let line = e.line.to_string();
        writer
            .write_record([&e.force, &e.file, &line, &e.column, &e.value, &e.reason])
            .map_err(fail)?;
    }
    writer.flush().map_err(|e| IngestError::write(path, e))
}
