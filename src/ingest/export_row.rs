//! What a row of each kind of export becomes: the record it is read into,
//! and how it joins the canonical tables.

use super::calls::CallRecord;
use super::incidents::IncidentRecord;
use super::mentions::MentionRecord;
use super::row::{RowFault, RowView};
use super::tables::{reserve_touched, Canonical, Sourced};

/// A row of one kind of export, read through the export's mapping.
pub trait ExportRow: Sized + Send + Sync {
    /// Whether a row whose incident reference another row already holds is quarantined;
    /// when it is not, the row is kept without its incident.
    const REPEATED_INCIDENT_REJECTS: bool = true;

    fn read(view: &RowView) -> Result<Self, RowFault>;

    /// Makes room for a file's rows at once rather than growing row by row.
    fn reserve(tables: &mut Canonical, rows: usize);

    /// Adds the row to the tables (its keys are settled once the whole file is in).
    fn add(self, place: Sourced<()>, tables: &mut Canonical);
}

impl ExportRow for CallRecord {
    fn read(view: &RowView) -> Result<Self, RowFault> {
        CallRecord::from_row(view)
    }

    fn reserve(tables: &mut Canonical, rows: usize) {
        reserve_touched(&mut tables.calls, rows);
    }

    fn add(self, place: Sourced<()>, tables: &mut Canonical) {
        tables.calls.push(place.with(self));
    }
}

impl ExportRow for IncidentRecord {
    fn read(view: &RowView) -> Result<Self, RowFault> {
        IncidentRecord::from_row(view, None)
    }

    fn reserve(tables: &mut Canonical, rows: usize) {
        reserve_touched(&mut tables.incidents, rows);
    }

    fn add(self, place: Sourced<()>, tables: &mut Canonical) {
        tables.incidents.push(place.with(self));
    }
}

impl ExportRow for MentionRecord {
    fn read(view: &RowView) -> Result<Self, RowFault> {
        MentionRecord::from_row(view)
    }

    fn reserve(tables: &mut Canonical, rows: usize) {
        reserve_touched(&mut tables.mentions, rows);
    }

    fn add(self, place: Sourced<()>, tables: &mut Canonical) {
        tables.mentions.push(place.with(self));
    }
}

/// A row of a combined export: one call, and the incident it is about.
pub struct CombinedRow {
    call: CallRecord,
    incident: IncidentRecord,
}

impl ExportRow for CombinedRow {
    /// Later calls about an incident repeat its fields: the first row stands for it.
    const REPEATED_INCIDENT_REJECTS: bool = false;

    fn read(view: &RowView) -> Result<Self, RowFault> {
        let call = CallRecord::from_row(view)?;
        let incident = IncidentRecord::from_row(view, Some(call.received_at))?;
        Ok(CombinedRow { call, incident })
    }

    fn reserve(tables: &mut Canonical, rows: usize) {
        reserve_touched(&mut tables.calls, rows);
        reserve_touched(&mut tables.incidents, rows);
    }

    fn add(self, place: Sourced<()>, tables: &mut Canonical) {
        tables.incidents.push(place.with(self.incident));
        tables.calls.push(place.with(self.call));
    }
}
