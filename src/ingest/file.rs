//! Ingest of one export file: read it, map every row, and account for every
//! row as accepted, quarantined or an exact duplicate of an earlier row.
//!
//! Rows are mapped in parallel, a chunk at a time (rayon keeps their order);
//! the checks that need what came before — exact duplicates, a call id or
//! incident reference seen twice — run in file order, so the outcome is
//! deterministic.

use std::ops::Range;
use std::sync::Arc;

use polars::prelude::{PlHashMap, PlRandomState, PlSmallStr};
use rayon::prelude::*;

use super::calls::CallRecord;
use super::error::IngestError;
use super::incidents::IncidentRecord;
use super::mentions::MentionRecord;
use super::quarantine::QuarantineEntry;
use super::report::FileReport;
use super::row::{ColumnIndex, RowFault, RowView};
use super::rows::{TextRow, TextRows};
use super::source::read_export;
use super::tables::{Canonical, Sourced};
use crate::config::{Export, ExportKind, Force};

/// What one row became.
enum RowOutput {
    Call(CallRecord),
    Incident(IncidentRecord),
    Combined(CallRecord, IncidentRecord),
    Mention(MentionRecord),
}

/// Rows mapped in parallel before their results are accepted in file order;
/// bounds the memory held by mapped rows that are not yet in the tables.
const CHUNK_ROWS: usize = 1 << 13;

/// Where a key was first seen: file and line.
type FirstSeen = PlHashMap<PlSmallStr, (Arc<str>, u64)>;

/// Call ids and incident references already accepted for one force, with where they were seen.
#[derive(Default)]
pub struct SeenKeys {
    call_ids: FirstSeen,
    incident_refs: FirstSeen,
}

/// Reads one export of `force` into `tables`, recording its quarantined rows in `quarantine`.
pub fn ingest_file(
    force: &Force,
    export: &Export,
    seen: &mut SeenKeys,
    tables: &mut Canonical,
    quarantine: &mut Vec<QuarantineEntry>,
) -> Result<FileReport, IngestError> {
    let source = read_export(export)?;
    let index = ColumnIndex::resolve(export, &source.header)?;
    let duplicate = exact_duplicates(&source.rows);
    reserve(tables, seen, export.kind, source.rows.len());

    let mut report = FileReport::new(force, export, &source);
    let mut accepting = Accepting {
        force,
        export,
        file: Arc::from(export.path.as_str()),
        force_id: Arc::from(force.id.as_str()),
        report: &mut report,
        seen,
        tables,
        quarantine,
    };
    let map_chunk = |chunk: Range<usize>| -> Vec<Mapped> {
        chunk
            .into_par_iter()
            .map(|i| (!duplicate[i]).then(|| map_row(force, export, &index, source.rows.row(i))))
            .collect()
    };
    // Each chunk is accepted while the next one is mapped.
    let chunks: Vec<Range<usize>> = (0..source.rows.len())
        .step_by(CHUNK_ROWS)
        .map(|start| start..(start + CHUNK_ROWS).min(source.rows.len()))
        .collect();
    let mut mapped = chunks.first().cloned().map(map_chunk).unwrap_or_default();
    for (k, chunk) in chunks.iter().enumerate() {
        let current = std::mem::take(&mut mapped);
        let (next, ()) = rayon::join(
            || chunks.get(k + 1).cloned().map(map_chunk).unwrap_or_default(),
            || accepting.chunk(chunk.clone(), current, &source.rows),
        );
        mapped = next;
    }
    Ok(report)
}

/// A mapped row: `None` for an exact duplicate, else the row or why it was quarantined.
type Mapped = Option<Result<RowOutput, RowFault>>;

/// The state one file's rows are accepted into, in file order.
struct Accepting<'a> {
    force: &'a Force,
    export: &'a Export,
    file: Arc<str>,
    force_id: Arc<str>,
    report: &'a mut FileReport,
    seen: &'a mut SeenKeys,
    tables: &'a mut Canonical,
    quarantine: &'a mut Vec<QuarantineEntry>,
}

impl Accepting<'_> {
    fn chunk(&mut self, chunk: Range<usize>, outputs: Vec<Mapped>, rows: &TextRows) {
        for (i, output) in chunk.zip(outputs) {
            let line = rows.row(i).line;
            let accepted = match output {
                None => {
                    self.report.duplicate_rows += 1;
                    continue;
                }
                Some(Err(fault)) => Err(fault),
                Some(Ok(output)) => {
                    let place = Sourced::place(&self.force_id, &self.file, line);
                    accept(output, place, self.seen, self.tables)
                }
            };
            match accepted {
                Ok(()) => self.report.rows_accepted += 1,
                Err(fault) => {
                    self.report.rows_quarantined += 1;
                    let entry = QuarantineEntry::new(&self.force.id, &self.export.path, line, fault);
                    self.quarantine.push(entry);
                }
            }
        }
    }
}

/// Makes room for a file's rows at once rather than growing row by row.
fn reserve(tables: &mut Canonical, seen: &mut SeenKeys, kind: ExportKind, rows: usize) {
    match kind {
        ExportKind::Calls | ExportKind::Combined => {
            tables.calls.reserve(rows);
            seen.call_ids.reserve(rows);
        }
        ExportKind::Incidents => {
            tables.incidents.reserve(rows);
            seen.incident_refs.reserve(rows);
        }
        ExportKind::Nominals => tables.mentions.reserve(rows),
    }
}

fn map_row(force: &Force, export: &Export, index: &ColumnIndex, row: TextRow) -> Result<RowOutput, RowFault> {
    if row.len() != index.width() {
        return Err(RowFault::whole_row(format!(
            "the row has {} fields but the header has {} (a truncated line, or a delimiter or quote inside a value?)",
            row.len(),
            index.width()
        )));
    }
    let view = RowView {
        export,
        force,
        index,
        record: row,
    };
    Ok(match export.kind {
        ExportKind::Calls => RowOutput::Call(CallRecord::from_row(&view)?),
        ExportKind::Incidents => RowOutput::Incident(IncidentRecord::from_row(&view, None)?),
        ExportKind::Combined => {
            let call = CallRecord::from_row(&view)?;
            let incident = IncidentRecord::from_row(&view, Some(call.received_at))?;
            RowOutput::Combined(call, incident)
        }
        ExportKind::Nominals => RowOutput::Mention(MentionRecord::from_row(&view)?),
    })
}

/// Adds a mapped row to the tables, unless its key was already taken by a different row.
fn accept(output: RowOutput, place: Sourced<()>, seen: &mut SeenKeys, tables: &mut Canonical) -> Result<(), RowFault> {
    match output {
        RowOutput::Call(call) => {
            claim(&mut seen.call_ids, &call.call_id, &place, "call id")?;
            tables.calls.push(place.with(call));
        }
        RowOutput::Incident(incident) => {
            claim(
                &mut seen.incident_refs,
                &incident.incident_ref,
                &place,
                "incident reference",
            )?;
            tables.incidents.push(place.with(incident));
        }
        RowOutput::Combined(call, incident) => {
            claim(&mut seen.call_ids, &call.call_id, &place, "call id")?;
            // Later calls about the same incident repeat its fields: the first row stands for it.
            if claim(
                &mut seen.incident_refs,
                &incident.incident_ref,
                &place,
                "incident reference",
            )
            .is_ok()
            {
                tables.incidents.push(place.clone().with(incident));
            }
            tables.calls.push(place.with(call));
        }
        RowOutput::Mention(mention) => tables.mentions.push(place.with(mention)),
    }
    Ok(())
}

fn claim(taken: &mut FirstSeen, key: &PlSmallStr, place: &Sourced<()>, what: &str) -> Result<(), RowFault> {
    match taken.try_insert(key.clone(), (place.file.clone(), place.line)) {
        Ok(_) => Ok(()),
        Err(taken_before) => {
            let (file, line) = taken_before.entry.get();
            Err(RowFault::whole_row(format!(
                "this {what} was already used by a different row ({file}, line {line}); the first row is kept"
            )))
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
