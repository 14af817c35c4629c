//! Settling a file's keys once its rows are in the tables: a row whose call
//! id, or incident reference, an earlier row of the force holds leaves the
//! tables, as a repeat of that row when it agrees in every mapped field
//! (`repeats`), else for the quarantine, naming where the first row is and
//! the fields that differ. A combined
//! export's later calls about one incident keep their call and only drop the
//! repeated incident, since the first row stands for it.
//!
//! The outcome is what accepting rows one by one would give: call ids are
//! settled first, and a row that lost its call id claims no incident.

use polars::prelude::{PlHashMap, PlHashSet, PlSmallStr};
use rayon::prelude::*;

use super::claims::{Contest, HeldKeys};
use super::file::Accepting;
use super::repeats::Compared;
use super::row::RowFault;
use super::tables::{Canonical, Sourced};
use crate::config::ExportKind;

/// Where a file's rows start in each table and in the quarantine.
#[derive(Debug, Clone, Copy)]
pub struct Added {
    pub calls: usize,
    pub incidents: usize,
    quarantine: usize,
}

impl Accepting<'_> {
    /// Where the rows the file is about to add will start.
    pub fn added_from(&self) -> Added {
        Added {
            calls: self.tables.calls.len(),
            incidents: self.tables.incidents.len(),
            quarantine: self.quarantine.len(),
        }
    }

    /// Settles the keys of the rows the file added, from `added` on.
    pub fn settle_keys(&mut self, added: Added, repeated_incident_rejects: bool) {
        let tables = &*self.tables;
        let call_keys: Vec<Option<&str>> = tables.calls[added.calls..]
            .par_iter()
            .map(|call| Some(call.record.call_id.as_str()))
            .collect();
        let calls = self
            .seen
            .call_ids
            .contest(&call_keys, added.calls, |t| tables.calls[t].record.call_id.as_str());
        // A combined row that lost its call id claims no incident.
        let lost_lines: PlHashSet<u64> = calls.losers.keys().map(|&t| tables.calls[t].line).collect();
        let incident_keys: Vec<Option<&str>> = tables.incidents[added.incidents..]
            .par_iter()
            .map(|incident| {
                let lost = !lost_lines.is_empty() && lost_lines.contains(&incident.line);
                (!lost).then_some(incident.record.incident_ref.as_str())
            })
            .collect();
        let incidents = self.seen.incident_refs.contest(&incident_keys, added.incidents, |t| {
            tables.incidents[t].record.incident_ref.as_str()
        });
        // Incidents that lost their own key, and those of rows that lost their call id (no key).
        let without_key = incident_keys.iter().enumerate().filter(|(_, key)| key.is_none());
        let dropped_incidents: Vec<usize> = incidents
            .losers
            .keys()
            .copied()
            .chain(without_key.map(|(k, _)| added.incidents + k))
            .collect();

        let compared_calls = if self.export.kind == ExportKind::Combined {
            Compared::of_combined_calls(&calls.losers, tables)
        } else {
            Compared::of(&calls.losers, &tables.calls)
        };
        let compared_incidents = if repeated_incident_rejects {
            Compared::of(&incidents.losers, &tables.incidents)
        } else {
            Compared::default()
        };
        let mut faults = taken_keys(&compared_calls, &calls.losers, &tables.calls, tables, "call id");
        faults.extend(taken_keys(
            &compared_incidents,
            &incidents.losers,
            &tables.incidents,
            tables,
            "incident reference",
        ));
        let repeats = (compared_calls.repeats.len() + compared_incidents.repeats.len()) as u64;
        let calls_moved = drop_rows(&mut self.tables.calls, calls.losers.keys().copied().collect());
        let incidents_moved = drop_rows(&mut self.tables.incidents, dropped_incidents);
        self.quarantine_taken(faults, added.quarantine);
        self.report.rows_accepted -= repeats;
        self.report.duplicate_rows += repeats;
        self.hold_keys(
            added,
            (!calls_moved).then_some(calls),
            (!incidents_moved).then_some(incidents),
        );
    }

    /// Moves rows that lost their key from accepted to quarantined, keeping the file's quarantine in line order.
    fn quarantine_taken(&mut self, faults: Vec<(u64, RowFault)>, quarantine_from: usize) {
        if faults.is_empty() {
            return;
        }
        self.report.rows_accepted -= faults.len() as u64;
        for (line, fault) in faults {
            self.quarantine_row(line, vec![fault]);
        }
        self.quarantine[quarantine_from..].sort_by_key(|entry| entry.line);
    }

    /// Records the keys the file's remaining rows hold, so later files of the
    /// force give way to them.
    fn hold_keys(&mut self, added: Added, calls: Option<Contest>, incidents: Option<Contest>) {
        let tables = &*self.tables;
        hold_rows(&mut self.seen.call_ids, calls, &tables.calls, added.calls, |c| {
            &c.call_id
        });
        hold_rows(
            &mut self.seen.incident_refs,
            incidents,
            &tables.incidents,
            added.incidents,
            |i| &i.incident_ref,
        );
    }
}

/// Holds the keys of a table's rows from `from` on: straight from their
/// contest when all its rows stayed in place, else hashed again.
fn hold_rows<T: Sync>(
    held: &mut HeldKeys,
    contest: Option<Contest>,
    rows: &[Sourced<T>],
    from: usize,
    key: impl Fn(&T) -> &PlSmallStr + Sync + Send,
) {
    match contest {
        Some(contest) => held.hold_contested(contest),
        None => held.hold(from, rows[from..].par_iter().map(|row| key(&row.record).as_str())),
    }
}

/// The line and quarantine reason of each row that lost its key to a row
/// it disagrees with, in table order.
fn taken_keys<T>(
    compared: &Compared,
    lost: &PlHashMap<usize, usize>,
    table: &[Sourced<T>],
    tables: &Canonical,
    what: &str,
) -> Vec<(u64, RowFault)> {
    let mut rows: Vec<(usize, &Vec<&str>)> = compared.conflicts.iter().map(|(&row, differ)| (row, differ)).collect();
    rows.sort_unstable();
    rows.into_iter()
        .map(|(row, differ)| {
            let first = &table[lost[&row]];
            let reason = format!(
                "this {what} was already used by a different row ({}, line {}) that differs in {}; the first row is kept",
                tables.file_of(first),
                first.line,
                differ.iter().map(|field| format!("`{field}`")).collect::<Vec<_>>().join(", ")
            );
            (table[row].line, RowFault::whole_row(reason))
        })
        .collect()
}

/// Removes the rows at `positions` (rare: most files lose none); whether any went.
pub(super) fn drop_rows<T>(rows: &mut Vec<T>, mut positions: Vec<usize>) -> bool {
    positions.sort_unstable();
    let Some(&first) = positions.first() else {
        return false;
    };
    let mut kept = rows.split_off(first);
    let mut at = first;
    kept.retain(|_| {
        at += 1;
        positions.binary_search(&(at - 1)).is_err()
    });
    rows.append(&mut kept);
    true
}
