//! Ingest of one export file: read it, map every row, and account for every
//! row as accepted, quarantined or an exact duplicate of an earlier row.
//!
//! Rows are mapped in parallel (rayon keeps their order); the checks that need
//! what came before — exact duplicates, a call id or incident reference seen
//! twice — run after, in file order, so the outcome is deterministic.

use std::collections::hash_map::{DefaultHasher, Entry};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use super::calls::CallRecord;
use super::error::IngestError;
use super::incidents::IncidentRecord;
use super::mentions::MentionRecord;
use super::quarantine::QuarantineEntry;
use super::report::FileReport;
use super::row::{ColumnIndex, RowFault, RowView};
use super::source::{read_export, SourceRow};
use super::tables::{Canonical, Sourced};
use crate::config::{Export, ExportKind, Force};

/// What one row became.
enum RowOutput {
    Call(CallRecord),
    Incident(IncidentRecord),
    Combined(CallRecord, IncidentRecord),
    Mention(MentionRecord),
}

/// Call ids and incident references already accepted for one force, with where they were seen.
#[derive(Default)]
pub struct SeenKeys {
    call_ids: HashMap<String, (Arc<str>, u64)>,
    incident_refs: HashMap<String, (Arc<str>, u64)>,
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
    let outputs: Vec<Option<Result<RowOutput, RowFault>>> = source
        .rows
        .par_iter()
        .zip(duplicate.par_iter())
        .map(|(row, is_duplicate)| (!is_duplicate).then(|| map_row(force, export, &index, row)))
        .collect();

    let mut report = FileReport::new(force, export, &source);
    let file: Arc<str> = Arc::from(export.path.as_str());
    let force_id: Arc<str> = Arc::from(force.id.as_str());
    let place = |line| Sourced::place(&force_id, &file, line);
    for (row, output) in source.rows.iter().zip(outputs) {
        let accepted = match output {
            None => {
                report.duplicate_rows += 1;
                continue;
            }
            Some(Err(fault)) => Err(fault),
            Some(Ok(output)) => accept(output, place(row.line), seen, tables),
        };
        match accepted {
            Ok(()) => report.rows_accepted += 1,
            Err(fault) => {
                report.rows_quarantined += 1;
                quarantine.push(QuarantineEntry::new(&force.id, &export.path, row.line, fault));
            }
        }
    }
    Ok(report)
}

fn map_row(force: &Force, export: &Export, index: &ColumnIndex, row: &SourceRow) -> Result<RowOutput, RowFault> {
    if row.record.len() != index.width() {
        return Err(RowFault::whole_row(format!(
            "the row has {} fields but the header has {} (a truncated line, or a delimiter or quote inside a value?)",
            row.record.len(),
            index.width()
        )));
    }
    let view = RowView {
        export,
        force,
        index,
        record: &row.record,
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

fn claim(
    taken: &mut HashMap<String, (Arc<str>, u64)>,
    key: &str,
    place: &Sourced<()>,
    what: &str,
) -> Result<(), RowFault> {
    match taken.entry(key.to_string()) {
        Entry::Vacant(slot) => {
            slot.insert((place.file.clone(), place.line));
            Ok(())
        }
        Entry::Occupied(first) => {
            let (file, line) = first.get();
            Err(RowFault::whole_row(format!(
                "this {what} was already used by a different row ({file}, line {line}); the first row is kept"
            )))
        }
    }
}

/// Marks rows identical, field for field, to an earlier row of the file.
fn exact_duplicates(rows: &[SourceRow]) -> Vec<bool> {
    let hashes: Vec<u64> = rows
        .par_iter()
        .map(|row| {
            let mut hasher = DefaultHasher::new();
            row.record.iter().for_each(|field| field.hash(&mut hasher));
            hasher.finish()
        })
        .collect();
    let mut first_with_hash: HashMap<u64, Vec<usize>> = HashMap::with_capacity(rows.len());
    let mut duplicate = vec![false; rows.len()];
    for (i, hash) in hashes.into_iter().enumerate() {
        let earlier = first_with_hash.entry(hash).or_default();
        if earlier.iter().any(|&j| rows[j].record == rows[i].record) {
            duplicate[i] = true;
        } else {
            earlier.push(i);
        }
    }
    duplicate
}
