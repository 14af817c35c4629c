//! The mentions of the canonical table as person records for the linker, and
//! the linkage spec used on them.
//!
//! A force's own person id (`person_ref`) is compared as `force_person`,
//! the force and the id together, so it is strong evidence within a force and
//! no evidence across forces, where only names, dates of birth, phones and
//! places can say two mentions are one person.
//!
//! People named in one incident are different people (a victim and the
//! partner who shares her surname, address and landline above all), unless
//! the force's own id says they are one: the linker is told to keep them
//! apart (`distinct_within` the incident, the same when `force_person` agrees).

use std::path::Path;

use rayon::prelude::*;

use super::tables::date_text;
use crate::ingest::{Canonical, MentionRecord, Sourced};
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

/// The mentions at `people` (positions in the canonical table, in order) as
/// records, each with its mention id (`ids`, in table order) as the record id.
pub fn mention_records(canonical: &Canonical, ids: &[String], people: &[usize]) -> Result<Records, LinkError> {
    let mentions: Vec<&Sourced<MentionRecord>> = people.iter().map(|&i| &canonical.mentions[i]).collect();
    let (dobs, (force_persons, incidents)): (Vec<String>, (Vec<String>, Vec<String>)) = mentions
        .par_iter()
        .map(|m| {
            let force = canonical.force_of(m);
            let dob = m.record.dob.map(date_text).unwrap_or_default();
            let force_person = m.record.person_ref.as_ref().map(|p| format!("{force}#{p}"));
            let incident = format!("{force}#{}", m.record.incident_ref);
            (dob, (force_person.unwrap_or_default(), incident))
        })
        .unzip();
    let column = |c: usize| -> Vec<&str> {
        mentions
            .iter()
            .enumerate()
            .map(|(i, mention)| {
                let m = &mention.record;
                match c {
                    0 => or_empty(m.forename_norm.as_deref()),
                    1 => or_empty(m.surname_norm.as_deref()),
                    2 => dobs[i].as_str(),
                    3 => or_empty(m.phone.as_deref()),
                    4 => or_empty(m.postcode.as_deref()),
                    5 => or_empty(m.address.as_deref()),
                    6 => or_empty(m.sex.canonical().filter(|s| *s != "UNKNOWN")),
                    _ => force_persons[i].as_str(),
                }
            })
            .collect()
    };
    let columns: Vec<Vec<&str>> = (0..COLUMNS.len()).into_par_iter().map(column).collect();
    let names = COLUMNS.iter().map(|(name, _, _)| name.to_string()).collect();
    let id_refs: Vec<&str> = people.iter().map(|&i| ids[i].as_str()).collect();
    let incident_refs: Vec<&str> = incidents.iter().map(String::as_str).collect();
    let mut records = Records::from_columns(
        names,
        &columns,
        &id_refs,
        (None, Some(&incident_refs)),
        Path::new("mentions"),
    )?;
    records.same_when_equal = COLUMNS.iter().position(|(name, _, _)| *name == "force_person");
    Ok(records)
}

fn or_empty(value: Option<&str>) -> &str {
    value.unwrap_or("")
}
