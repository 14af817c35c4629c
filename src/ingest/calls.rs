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
                .ok_or_else(|| RowFault::whole_row("the required field `received_at` is empty"))?,
            answered_at: row.instant(Field::AnsweredAt)?,
            ended_at: row.instant(Field::EndedAt)?,
            caller_number: caller_number_raw.as_deref().and_then(to_e164).map(PlSmallStr::from),
            caller_number_raw,
            abandoned: row.flag(Field::Abandoned)?,
            silent: row.flag(Field::Silent)?,
        })
    }
}
