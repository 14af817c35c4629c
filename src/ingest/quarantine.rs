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

/// Writes the entries as CSV with a header, in the order given (the raw
/// values neutralised where a spreadsheet would read them as formulas).
pub fn write_quarantine(path: &Path, entries: &[QuarantineEntry]) -> Result<(), IngestError> {
    let header = ["force", "file", "line", "column", "value", "reason"].map(String::from);
    crate::csv_out::write_lines(path, &header, entries.len(), |i, line| {
        let e = &entries[i];
        line.field(&e.force);
        line.field(&e.file);
        line.number(e.line);
        line.field(&e.column);
        line.field(&e.value);
        line.field(&e.reason);
    })
    .map_err(|e| IngestError::write(path, e))
}
