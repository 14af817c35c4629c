//! The mentions of the canonical table as person records for the linker, and
//! the linkage spec used on them.
//!
//! A force's own person id (`person_ref`) is compared as `force_person`,
//! the force and the id together, so it is strong evidence within a force and
//! no evidence across forces, where only names, dates of birth, phones and
//! places can say two mentions are one person.

use std::path::Path;

use super::tables::date_text;
use crate::ingest::Canonical;
use crate::link::{Comparison, Kind, LinkError, Records, Spec};

/// The compared columns, in order: (name, kind, weighted by rarity).
const COLUMNS: [(&str, Kind, bool); 8] = [
    ("forename", Kind::Forename, true),
    ("surname", Kind::Surname, true),
    ("dob", Kind::Date, false),
    ("phone", Kind::Phone, false),
    ("postcode", Kind::Postcode, false),
    ("address", Kind::Address, false),
    ("sex", Kind::Exact, true),
    ("force_person", Kind::Exact, false),
];

/// Blocking rules: the force's own id, contact details, and name and date pairs that survive typical errors.
const BLOCKING: [&str; 10] = [
    "force_person",
    "phone",
    "forename & surname",
    "surname & dob",
    "forename & dob",
    "dob & postcode",
    "surname & postcode",
    "soundex(surname) & year(dob)",
    "initial(forename) & soundex(surname) & postcode",
    "soundex(forename) & soundex(surname) & dob",
];

/// The spec vigil links mentions with.
pub fn mention_spec() -> Spec {
    Spec {
        threshold: 0.9,
        max_block: 2000,
        max_pairs_per_rule: None,
        blocking: BLOCKING.iter().map(|r| r.to_string()).collect(),
        comparisons: COLUMNS
            .iter()
            .map(|&(column, kind, term_frequency)| Comparison {
                column: column.to_string(),
                kind,
                term_frequency,
            })
            .collect(),
        ignored: Vec::new(),
    }
}

/// Every mention as a record, with its mention id (`ids`, in table order) as the record id.
pub fn mention_records(canonical: &Canonical, ids: &[String]) -> Result<Records, LinkError> {
    let dobs: Vec<String> = canonical
        .mentions
        .iter()
        .map(|m| m.record.dob.map(date_text).unwrap_or_default())
        .collect();
    let force_persons: Vec<String> = canonical
        .mentions
        .iter()
        .map(|m| {
            m.record
                .person_ref
                .as_ref()
                .map(|p| format!("{}#{p}", m.force))
                .unwrap_or_default()
        })
        .collect();
    let mut columns: Vec<Vec<&str>> = vec![Vec::with_capacity(ids.len()); COLUMNS.len()];
    for (i, mention) in canonical.mentions.iter().enumerate() {
        let m = &mention.record;
        let row = [
            or_empty(m.forename_norm.as_deref()),
            or_empty(m.surname_norm.as_deref()),
            dobs[i].as_str(),
            or_empty(m.phone.as_deref()),
            or_empty(m.postcode.as_deref()),
            or_empty(m.address.as_deref()),
            or_empty(m.sex.canonical().filter(|s| *s != "UNKNOWN")),
            force_persons[i].as_str(),
        ];
        for (column, value) in columns.iter_mut().zip(row) {
            column.push(value);
        }
    }
    let names = COLUMNS.iter().map(|(name, _, _)| name.to_string()).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    Records::from_columns(names, &columns, &id_refs, None, Path::new("mentions"))
}

fn or_empty(value: Option<&str>) -> &str {
    value.unwrap_or("")
}
