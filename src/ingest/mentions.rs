//! A canonical mention: one person named in an incident, with the role they
//! play and the identifying fields normalised for linking.

use polars::prelude::PlSmallStr;

use super::row::{Coded, RowFault, RowView};
use crate::config::Field;
use crate::normalise::{normalise_name, normalise_postcode, split_full_name, to_e164};
use crate::schema::{Role, Sex};

/// One person named in one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionRecord {
    pub incident_ref: PlSmallStr,
    pub role: Coded<Role>,
    /// The force's own person id, where the export has one.
    pub person_ref: Option<PlSmallStr>,
    pub forename: Option<PlSmallStr>,
    pub surname: Option<PlSmallStr>,
    pub forename_norm: Option<PlSmallStr>,
    pub surname_norm: Option<PlSmallStr>,
    /// Days since 1970-01-01.
    pub dob: Option<i32>,
    pub phone_raw: Option<PlSmallStr>,
    pub phone: Option<PlSmallStr>,
    pub address: Option<PlSmallStr>,
    pub postcode_raw: Option<PlSmallStr>,
    pub postcode: Option<PlSmallStr>,
    pub sex: Coded<Sex>,
}

impl MentionRecord {
    pub fn from_row(row: &RowView) -> Result<MentionRecord, RowFault> {
        let (forename, surname) = names(row);
        let phone_raw = row.short_text(Field::Phone);
        let postcode_raw = row.short_text(Field::Postcode);
        Ok(MentionRecord {
            incident_ref: row.required_text(Field::IncidentRef)?.into(),
            role: row.code(Field::Role, &row.force.codes.role),
            person_ref: row.short_text(Field::PersonRef),
            forename_norm: forename.as_deref().and_then(normalise_name).map(PlSmallStr::from),
            surname_norm: surname.as_deref().and_then(normalise_name).map(PlSmallStr::from),
            forename,
            surname,
            dob: row.date(Field::DateOfBirth)?,
            phone: phone_raw.as_deref().and_then(to_e164).map(PlSmallStr::from),
            phone_raw,
            address: row.short_text(Field::Address),
            postcode: postcode_raw
                .as_deref()
                .and_then(normalise_postcode)
                .map(PlSmallStr::from),
            postcode_raw,
            sex: row.code(Field::Sex, &row.force.codes.sex),
        })
    }
}

/// Forename and surname columns where mapped, else the full name split.
fn names(row: &RowView) -> (Option<PlSmallStr>, Option<PlSmallStr>) {
    let forename = row.short_text(Field::Forename);
    let surname = row.short_text(Field::Surname);
    if forename.is_some() || surname.is_some() {
        return (forename, surname);
    }
    let (forename, surname) = row.text(Field::FullName).map(split_full_name).unwrap_or((None, None));
    (forename.map(PlSmallStr::from), surname.map(PlSmallStr::from))
}

/// `force/incident_ref/n`: the id of the n-th person (from 1) named in an incident, in file order.
pub fn mention_id(force: &str, incident_ref: &str, ordinal: u32) -> String {
    format!("{force}/{incident_ref}/{ordinal}")
}
