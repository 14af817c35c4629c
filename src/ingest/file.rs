//! Ingest of one export file: read it, map every row, and account for every
//! row as accepted, quarantined, an exact duplicate of an earlier row, or
//! filtered out as not the force's (`filter.rs`).
//!
//! Rows are read into records in parallel, a batch at a time (rayon keeps
//! their order), and join the tables in file order, each batch while the next
//! one is read. Once the whole file is in, its call ids and incident
//! references are settled (`settle`): the first row with a key holds it, and
//! later rows with the same key leave the tables for the quarantine. So the
//! outcome is deterministic.

use std::ops::Range;

use polars::prelude::PlRandomState;
use rayon::prelude::*;

use super::calls::CallRecord;
use super::claims::SeenKeys;
use super::error::IngestError;
use super::export_row::{CombinedRow, ExportRow};
use super::filter::RowFilter;
use super::incidents::IncidentRecord;
use super::mentions::MentionRecord;
use super::quarantine::QuarantineEntry;
use super::report::FileReport;
use super::row::{ColumnIndex, RowFault, RowView};
use super::rows::{TextRow, TextRows};
use super::source::read_export;
use super::tables::{Canonical, Sourced};
use crate::config::{Export, ExportKind, Force};

/// Rows read in parallel before they are accepted in file order; bounds the
/// memory held by records that are not yet in the tables.
const BATCH_ROWS: usize = 1 << 13;

/// Reads one export of `force` into `tables`, recording its quarantined rows in `quarantine`.
pub fn ingest_file(
    force: &Force,
    export: &Export,
    seen: &mut SeenKeys,
    tables: &mut Canonical,
    quarantine: &mut Vec<QuarantineEntry>,
) -> Result<FileReport, IngestError> {
    let source = read_export(export)?;
    let reading = Reading {
        force,
        export,
        index: ColumnIndex::resolve(export, &source.header)?,
        filter: RowFilter::resolve(export, &source.header)?,
        rows: &source.rows,
        duplicate: exact_duplicates(&source.rows),
    };
    let mut report = FileReport::new(force, export, &source);
    let mut accepting = Accepting {
        force,
        export,
        file: tables.add_file(&force.id, &export.path),
        rows: &source.rows,
        report: &mut report,
        seen,
        tables,
        quarantine,
    };
    match export.kind {
        ExportKind::Calls => ingest_rows::<CallRecord>(&reading, &mut accepting),
        ExportKind::Incidents => ingest_rows::<IncidentRecord>(&reading, &mut accepting),
        ExportKind::Combined => ingest_rows::<CombinedRow>(&reading, &mut accepting),
        ExportKind::Nominals => ingest_rows::<MentionRecord>(&reading, &mut accepting),
    }
    Ok(report)
}

/// Reads the file's rows as `R`, a batch at a time, each batch accepted while the next is read.
fn ingest_rows<R: ExportRow>(reading: &Reading, accepting: &mut Accepting) {
    R::reserve(accepting.tables, reading.rows.len());
    let added = accepting.added_from();
    let batches: Vec<Range<usize>> = (0..reading.rows.len())
        .step_by(BATCH_ROWS)
        .map(|start| start..(start + BATCH_ROWS).min(reading.rows.len()))
        .collect();
    let mut read = batches
        .first()
        .map(|b| reading.batch::<R>(b.clone()))
        .unwrap_or_default();
    for (k, batch) in batches.iter().enumerate() {
        let current = std::mem::take(&mut read);
        let (next, ()) = rayon::join(
            || {
                batches
                    .get(k + 1)
                    .map(|b| reading.batch::<R>(b.clone()))
                    .unwrap_or_default()
            },
            || accepting.batch(batch.start, current),
        );
        read = next;
    }
    accepting.order_times(added);
    accepting.settle_keys(added, R::REPEATED_INCIDENT_REJECTS);
}

/// What became of a row read.
enum Read<R> {
    /// Not the force's business (the export's `keep` and `drop`).
    Filtered,
    /// The same, field for field, as an earlier row of the file.
    Duplicate,
    Record(R),
    /// Every failing field of the row.
    Fault(Vec<RowFault>),
}

/// What reading a file's rows needs.
struct Reading<'a> {
    force: &'a Force,
    export: &'a Export,
    index: ColumnIndex,
    filter: RowFilter,
    rows: &'a TextRows,
    duplicate: Vec<bool>,
}

impl Reading<'_> {
    fn batch<R: ExportRow>(&self, rows: Range<usize>) -> Vec<Read<R>> {
        rows.into_par_iter()
            .map(|i| {
                let row = self.rows.row(i);
                if !self.filter.passes(&row) {
                    Read::Filtered
                } else if self.duplicate[i] {
                    Read::Duplicate
                } else {
                    match self.row(row) {
                        Ok(record) => Read::Record(record),
                        Err(faults) => Read::Fault(faults),
                    }
                }
            })
            .collect()
    }

    fn row<R: ExportRow>(&self, row: TextRow) -> Result<R, Vec<RowFault>> {
        if row.len() != self.index.width() {
            return Err(vec![RowFault::whole_row(format!(
                "the row has {} fields but the header has {} (a truncated line, or a delimiter or quote inside a value?)",
                row.len(),
                self.index.width()
            ))]);
        }
        let view = RowView {
            export: self.export,
            force: self.force,
            index: &self.index,
            record: row,
        };
        R::read(&view).map_err(|first| view.every_fault(first))
    }
}

/// The state one file's rows are accepted into, in file order.
pub(super) struct Accepting<'a> {
    pub force: &'a Force,
    pub export: &'a Export,
    /// The file's number in the tables' list of source files.
    file: u32,
    rows: &'a TextRows,
    pub report: &'a mut FileReport,
    pub seen: &'a mut SeenKeys,
    pub tables: &'a mut Canonical,
    pub quarantine: &'a mut Vec<QuarantineEntry>,
}

impl Accepting<'_> {
    /// Accepts a batch of rows read, the first being the file's row `first`.
    fn batch<R: ExportRow>(&mut self, first: usize, read: Vec<Read<R>>) {
        for (i, row) in read.into_iter().enumerate() {
            let line = self.rows.row(first + i).line;
            match row {
                Read::Filtered => self.report.rows_filtered += 1,
                Read::Duplicate => self.report.duplicate_rows += 1,
                Read::Record(record) => {
                    record.add(Sourced::place(self.file, line), self.tables);
                    self.report.rows_accepted += 1;
                }
                Read::Fault(faults) => self.quarantine_row(line, faults),
            }
        }
    }

    /// Sets a row aside: one quarantine entry for each of its faults.
    pub fn quarantine_row(&mut self, line: u64, faults: Vec<RowFault>) {
        self.report.rows_quarantined += 1;
        for fault in faults {
            let entry = QuarantineEntry::new(&self.force.id, &self.export.path, line, fault);
            self.quarantine.push(entry);
        }
    }
}

/// Marks rows identical, field for field, to an earlier row of the file.
///
/// Rows are hashed in parallel and sorted by hash; only rows with equal
/// hashes are compared, and the first of each group of equal rows is kept.
fn exact_duplicates(rows: &TextRows) -> Vec<bool> {
    let state = PlRandomState::default();
    let mut hashed: Vec<(u64, usize)> = (0..rows.len())
        .into_par_iter()
        .map(|i| (rows.row(i).hash_with(&state), i))
        .collect();
    hashed.par_sort_unstable();
    let mut duplicate = vec![false; rows.len()];
    for group in hashed.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        // Within a group, rows are in file order; a row repeats the first earlier row equal to it.
        for (k, &(_, i)) in group.iter().enumerate() {
            let row = rows.row(i);
            duplicate[i] = group[..k]
                .iter()
                .any(|&(_, j)| !duplicate[j] && rows.row(j).same_fields(&row));
        }
    }
    duplicate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_repeats_of_an_earlier_identical_row_are_duplicates() {
        let mut rows = TextRows::default();
        for (line, fields) in [["a", "1"], ["b", "1"], ["a", "1"], ["a", "2"], ["b", "1"], ["a", "1"]]
            .iter()
            .enumerate()
        {
            rows.push(line as u64 + 2, fields.iter().copied());
        }
        assert_eq!(exact_duplicates(&rows), [false, false, true, false, true, true]);
    }
}
