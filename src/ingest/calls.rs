//! A canonical call, read from a `calls` or `combined` export row.

use polars::prelude::PlSmallStr;

use super::row::{Coded, RowFault, RowView};
use crate::config::Field;
use crate::normalise::to_e164;
use crate::schema::Channel;

/// One call to the force. Instants are UTC milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    pub call_id: PlSmallStr,
    pub incident_ref: Option<PlSmallStr>,
    pub channel: Coded<Channel>,
    pub received_at: i64,
    pub answered_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub caller_number_raw: Option<PlSmallStr>,
    /// E.164, when the raw number is a plausible one.
    pub caller_number: Option<PlSmallStr>,
    pub abandoned: Option<bool>,
    pub silent: Option<bool>,
}

impl CallRecord {
    pub fn from_row(row: &RowView) -> Result<CallRecord, RowFault> {
        let caller_number_raw = row.short_text(Field::CallerNumber);
        Ok(CallRecord {
            call_id: row.required_text(Field::CallId)?.into(),
            incident_ref: row.short_text(Field::IncidentRef),
            channel: row.code(Field::Channel, &row.force.codes.channel),
            received_at: row
                .instant(Field::ReceivedAt)?
                .ok_or_else(|| row.empty_required(Field::ReceivedAt))?,
            answered_at: row.instant(Field::AnsweredAt)?,
            ended_at: row.instant(Field::EndedAt)?,
            caller_number: caller_number_raw.as_deref().and_then(to_e164).map(PlSmallStr::from),
            caller_number_raw,
            abandoned: row.flag(Field::Abandoned)?,
            silent: row.flag(Field::Silent)?,
        })
    }

    /// The fields in which two readings of one call disagree.
    pub fn differing_fields(&self, other: &CallRecord) -> Vec<&'static str> {
        let pairs = [
            (self.incident_ref == other.incident_ref, Field::IncidentRef),
            (self.channel == other.channel, Field::Channel),
            (self.received_at == other.received_at, Field::ReceivedAt),
            (self.answered_at == other.answered_at, Field::AnsweredAt),
            (self.ended_at == other.ended_at, Field::EndedAt),
            (self.caller_number_raw == other.caller_number_raw, Field::CallerNumber),
            (self.abandoned == other.abandoned, Field::Abandoned),
            (self.silent == other.silent, Field::Silent),
        ];
        pairs
            .iter()
            .filter(|(same, _)| !same)
            .map(|(_, field)| field.name())
            .collect()
    }
}
