//! Per-file accounting: every row read is accepted, quarantined, an exact
//! duplicate of an earlier row of the same file, or filtered out as not the
//! force's business (the export's `keep` and `drop`).

use serde::Serialize;

use super::source::SourceTable;
use crate::config::{Export, ExportKind, Force};

/// What happened to one input file's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub force: String,
    pub kind: ExportKind,
    /// As written in the configuration, relative to its folder.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_quarantined: u64,
    pub duplicate_rows: u64,
    /// Rows the export's `keep` or `drop` set aside (fire and ambulance rows of a shared CAD log).
    pub rows_filtered: u64,
}

impl FileReport {
    pub fn new(force: &Force, export: &Export, source: &SourceTable) -> FileReport {
        FileReport {
            force: force.id.clone(),
            kind: export.kind,
            path: export.path.clone(),
            sha256: source.sha256.clone(),
            bytes: source.bytes,
            rows_read: source.rows.len() as u64,
            rows_accepted: 0,
            rows_quarantined: 0,
            duplicate_rows: 0,
            rows_filtered: 0,
        }
    }

    /// rows read = accepted + quarantined + duplicates + filtered.
    pub fn reconciles(&self) -> bool {
        self.rows_read == self.rows_accepted + self.rows_quarantined + self.duplicate_rows + self.rows_filtered
    }

    /// The share of the force's distinct rows that were quarantined.
    pub fn quarantine_rate(&self) -> f64 {
        let distinct = self.rows_read - self.duplicate_rows - self.rows_filtered;
        if distinct == 0 {
            0.0
        } else {
            self.rows_quarantined as f64 / distinct as f64
        }
    }
}

/// Totals over several files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub files: u64,
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_quarantined: u64,
    pub duplicate_rows: u64,
    pub rows_filtered: u64,
}

impl Totals {
    pub fn of<'a>(reports: impl IntoIterator<Item = &'a FileReport>) -> Totals {
        reports.into_iter().fold(Totals::default(), |t, r| Totals {
            files: t.files + 1,
            rows_read: t.rows_read + r.rows_read,
            rows_accepted: t.rows_accepted + r.rows_accepted,
            rows_quarantined: t.rows_quarantined + r.rows_quarantined,
            duplicate_rows: t.duplicate_rows + r.duplicate_rows,
            rows_filtered: t.rows_filtered + r.rows_filtered,
        })
    }
}
