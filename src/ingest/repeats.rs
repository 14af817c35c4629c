//! Rows that repeat a record already read. Many exports write a call or an
//! incident once per person involved, or once per unit sent, repeating its
//! fields on every row: a row whose key an earlier row holds, with the same
//! value in every field the export maps, is that record again. It is counted
//! with the duplicates, never quarantined. A row that disagrees in any field
//! is a conflict, quarantined with the fields that differ named.

use polars::prelude::{PlHashMap, PlHashSet};

use super::calls::CallRecord;
use super::incidents::IncidentRecord;
use super::tables::{Canonical, Sourced};

/// A record two rows may both hold, compared field by field.
pub trait Repeatable {
    /// The canonical fields in which two readings disagree.
    fn differing_fields(&self, other: &Self) -> Vec<&'static str>;
}

impl Repeatable for CallRecord {
    fn differing_fields(&self, other: &Self) -> Vec<&'static str> {
        CallRecord::differing_fields(self, other)
    }
}

impl Repeatable for IncidentRecord {
    fn differing_fields(&self, other: &Self) -> Vec<&'static str> {
        IncidentRecord::differing_fields(self, other)
    }
}

/// How each row that gave way to an earlier holder of its key compares with it.
#[derive(Debug, Default)]
pub struct Compared {
    /// Rows that repeat their holder (table positions).
    pub repeats: PlHashSet<usize>,
    /// Rows that disagree with their holder, with the fields that differ.
    pub conflicts: PlHashMap<usize, Vec<&'static str>>,
}

impl Compared {
    /// Compares each row (table position) with its holder.
    pub fn of<T: Repeatable>(losers: &PlHashMap<usize, usize>, table: &[Sourced<T>]) -> Compared {
        let mut compared = Compared::default();
        for (&row, &holder) in losers {
            compared.add(row, table[row].record.differing_fields(&table[holder].record));
        }
        compared
    }

    /// Compares the calls of a combined export's rows with their holders',
    /// and each such row's incident with its holder row's: a row repeats only
    /// when both agree (its incident is otherwise lost with it).
    pub fn of_combined_calls(losers: &PlHashMap<usize, usize>, tables: &Canonical) -> Compared {
        let calls = &tables.calls;
        let incident_at = incidents_by_place(losers, tables);
        let incident = |call: usize| {
            incident_at
                .get(&(calls[call].file, calls[call].line))
                .map(|&i| &tables.incidents[i].record)
        };
        let mut compared = Compared::default();
        for (&row, &holder) in losers {
            let mut differ = calls[row].record.differing_fields(&calls[holder].record);
            match (incident(row), incident(holder)) {
                (Some(mine), Some(theirs)) => differ.extend(mine.differing_fields(theirs)),
                _ => differ.push("the incident of the row that holds it"),
            }
            compared.add(row, differ);
        }
        compared
    }

    fn add(&mut self, row: usize, differ: Vec<&'static str>) {
        if differ.is_empty() {
            self.repeats.insert(row);
        } else {
            self.conflicts.insert(row, differ);
        }
    }
}

/// Where the incidents of the losers' and holders' rows are in the incidents table.
fn incidents_by_place(losers: &PlHashMap<usize, usize>, tables: &Canonical) -> PlHashMap<(u32, u64), usize> {
    let places: PlHashSet<(u32, u64)> = losers
        .iter()
        .flat_map(|(&row, &holder)| [row, holder])
        .map(|call| (tables.calls[call].file, tables.calls[call].line))
        .collect();
    if places.is_empty() {
        return PlHashMap::default();
    }
    tables
        .incidents
        .iter()
        .enumerate()
        .filter(|(_, incident)| places.contains(&(incident.file, incident.line)))
        .map(|(i, incident)| ((incident.file, incident.line), i))
        .collect()
}
