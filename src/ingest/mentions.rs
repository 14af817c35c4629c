//! A canonical mention: one person named in an incident, with the role they
//! play and the identifying fields normalised for linking.

use super::row::{Coded, RowFault, RowView};
use crate::config::Field;
use crate::normalise::{normalise_name, normalise_postcode, split_full_name, to_e164};
use crate::schema::{Role, Sex};

/// One person named in one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionRecord {
    pub incident_ref: String,
    pub role: Coded<Role>,
    /// The force's own person id, where the export has one.
    pub person_ref: Option<String>,
    pub forename: Option<String>,
    pub surname: Option<String>,
    pub forename_norm: Option<String>,
    pub surname_norm: Option<String>,
    /// Days since 1970-01-01.
    pub dob: Option<i32>,
    pub phone_raw: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub postcode_raw: Option<String>,
    pub postcode: Option<String>,
    pub sex: Coded<Sex>,
}

impl MentionRecord {
    pub fn from_row(row: &RowView) -> Result<MentionRecord, RowFault> {
        let (forename, surname) = names(row);
        let phone_raw = row.text(Field::Phone).map(str::to_string);
        let postcode_raw = row.text(Field::Postcode).map(str::to_string);
        Ok(MentionRecord {
            incident_ref: row.required_text(Field::IncidentRef)?.to_string(),
            role: row.code(Field::Role, &row.force.codes.role),
            person_ref: row.text(Field::PersonRef).map(str::to_string),
            forename_norm: forename.as_deref().and_then(normalise_name),
            surname_norm: surname.as_deref().and_then(normalise_name),
            forename,
            surname,
            dob: row.date(Field::DateOfBirth)?,
            phone: phone_raw.as_deref().and_then(to_e164),
            phone_raw,
            address: row.text(Field::Address).map(str::to_string),
            postcode: postcode_raw.as_deref().and_then(normalise_postcode),
            postcode_raw,
            sex: row.code(Field::Sex, &row.force.codes.sex),
        })
    }
}

/// Forename and surname columns where mapped, else the full name split.
fn names(row: &RowView) -> (Option<String>, Option<String>) {
    let forename = row.text(Field::Forename).map(str::to_string);
    let surname = row.text(Field::Surname).map(str::to_string);
    if forename.is_some() || surname.is_some() {
        return (forename, surname);
    }
    row.text(Field::FullName).map(split_full_name).unwrap_or((None, None))
}

/// `force/incident_ref/n`: the id of the n-th person (from 1) named in an incident, in file order.
pub fn mention_id(force: &str, incident_ref: &str, ordinal: u32) -> String {
    format!("{force}/{incident_ref}/{ordinal}")
}
