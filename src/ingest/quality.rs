//! Data quality of the accepted rows, per force, table and field: how often a
//! value is missing, and how often a present value was not understood (a
//! code missing from the force's code table, a phone number or postcode of
//! the wrong shape, a reference to an incident the force's exports lack).
//!
//! Unknown codes are listed, so the code tables can be completed; values of
//! personal fields (phones, postcodes) are only counted, never listed.

use std::collections::BTreeSet;
use std::path::Path;

use polars::prelude::*;

use super::error::IngestError;
use super::tables::CanonicalFrames;
use super::time_order::{RepeatedHourCounts, RepeatedHourTally};
use crate::config::{field_named, Config, ExportKind, Force};
use crate::schema::columns as c;
use crate::schema::UNKNOWN;

/// A field to check: its raw column, the column holding its understood form
/// (if any), and whether unrecognised raw values may be listed.
struct Check {
    field: &'static str,
    raw: &'static str,
    understood: Option<&'static str>,
    list_values: bool,
}

const fn plain(field: &'static str) -> Check {
    Check {
        field,
        raw: field,
        understood: None,
        list_values: false,
    }
}
const fn code(field: &'static str, raw: &'static str, canonical: &'static str) -> Check {
    Check {
        field,
        raw,
        understood: Some(canonical),
        list_values: true,
    }
}
const fn personal(field: &'static str, raw: &'static str, normal: &'static str) -> Check {
    Check {
        field,
        raw,
        understood: Some(normal),
        list_values: false,
    }
}

const CALLS: &[Check] = &[
    code(c::CHANNEL, c::CHANNEL_RAW, c::CHANNEL),
    plain(c::RECEIVED_AT),
    plain(c::ANSWERED_AT),
    plain(c::ENDED_AT),
    personal(c::CALLER_NUMBER, c::CALLER_NUMBER_RAW, c::CALLER_NUMBER),
    plain(c::ABANDONED),
    plain(c::SILENT),
];

const INCIDENTS: &[Check] = &[
    plain(c::CREATED_AT),
    code(c::OPENING_CODE, c::OPENING_CODE, c::OPENING_CATEGORY),
    code(c::CLOSING_CODE, c::CLOSING_CODE, c::CLOSING_CATEGORY),
    plain(c::DA_QUALIFIER),
    code(c::INITIAL_GRADE, c::INITIAL_GRADE_RAW, c::INITIAL_GRADE),
    code(c::FINAL_GRADE, c::FINAL_GRADE_RAW, c::FINAL_GRADE),
    plain(c::GRADED_AT),
    plain(c::DISPATCHED_AT),
    plain(c::ARRIVED_AT),
    plain(c::CLOSED_AT),
    personal(c::POSTCODE, c::POSTCODE_RAW, c::POSTCODE),
    code(c::AREA, c::AREA_RAW, c::AREA),
    code(c::RISK_TOOL, c::RISK_TOOL_RAW, c::RISK_TOOL),
    code(c::RISK_LEVEL, c::RISK_LEVEL_RAW, c::RISK_LEVEL),
    plain(c::RISK_SCORE),
    plain(c::RISK_ASSESSED_AT),
    plain(c::MARAC_REFERRAL_AT),
    plain(c::IDVA_REFERRAL_AT),
    plain(c::SPECIALIST_REVIEW_AT),
    code(c::OUTCOME, c::OUTCOME_RAW, c::OUTCOME),
    plain(c::OFFENCE_CODE),
];

const MENTIONS: &[Check] = &[
    code(c::ROLE, c::ROLE_RAW, c::ROLE),
    plain(c::PERSON_REF),
    personal(c::FORENAME, c::FORENAME, c::FORENAME_NORM),
    personal(c::SURNAME, c::SURNAME, c::SURNAME_NORM),
    plain(c::DOB),
    personal(c::PHONE, c::PHONE_RAW, c::PHONE),
    plain(c::ADDRESS),
    personal(c::POSTCODE, c::POSTCODE_RAW, c::POSTCODE),
    code(c::SEX, c::SEX_RAW, c::SEX),
];

/// One row of `data_quality.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityRow {
    pub force: String,
    pub table: &'static str,
    pub field: &'static str,
    pub mapped: bool,
    pub rows: u64,
    pub missing: u64,
    pub unrecognised: u64,
    pub unrecognised_codes: String,
    /// Rules the force cannot have assessed because no export maps this field (`|`-separated).
    pub rules_not_assessable: String,
    /// Readings in the hour the clocks go back, and how they were placed.
    pub repeated_hour: RepeatedHourCounts,
}

/// Measures every checked field for every force.
pub fn measure(
    frames: &CanonicalFrames,
    config: &Config,
    repeated: &RepeatedHourTally,
) -> PolarsResult<Vec<QualityRow>> {
    let known_incidents = incident_keys(&frames.incidents)?;
    let by_force = [
        ForceRows::of(&frames.calls)?,
        ForceRows::of(&frames.incidents)?,
        ForceRows::of(&frames.mentions)?,
    ];
    let mut rows = Vec::new();
    for force in &config.forces {
        let tables = [
            (
                "calls",
                &frames.calls,
                CALLS,
                &[ExportKind::Calls, ExportKind::Combined][..],
            ),
            (
                "incidents",
                &frames.incidents,
                INCIDENTS,
                &[ExportKind::Incidents, ExportKind::Combined][..],
            ),
            ("mentions", &frames.mentions, MENTIONS, &[ExportKind::Nominals][..]),
        ];
        for ((table, frame, checks, kinds), by_force) in tables.into_iter().zip(&by_force) {
            let of_force = by_force.frame(frame, &force.id)?;
            for check in checks {
                let mut row = measure_field(&of_force, force, table, check, kinds)?;
                let key = (force.id.clone(), table, check.field);
                row.repeated_hour = repeated.get(&key).copied().unwrap_or_default();
                rows.push(row);
            }
            if table != "incidents" {
                rows.push(unmatched_references(&of_force, force, table, &known_incidents)?);
            }
        }
    }
    Ok(rows)
}

/// Where each force's rows lie in a table: ingest writes them contiguously
/// (forces in configuration order), so a force's rows are a slice, no copy.
struct ForceRows {
    runs: PlHashMap<String, Vec<(usize, usize)>>,
}

impl ForceRows {
    fn of(frame: &DataFrame) -> PolarsResult<ForceRows> {
        let mut runs: PlHashMap<String, Vec<(usize, usize)>> = PlHashMap::new();
        let mut current: Option<(&str, usize, usize)> = None;
        for (row, force) in frame.column("force")?.str()?.iter().enumerate() {
            let force = force.unwrap_or_default();
            match &mut current {
                Some((id, _, length)) if *id == force => *length += 1,
                _ => {
                    if let Some((id, start, length)) = current.replace((force, row, 1)) {
                        runs.entry(id.to_string()).or_default().push((start, length));
                    }
                }
            }
        }
        if let Some((id, start, length)) = current {
            runs.entry(id.to_string()).or_default().push((start, length));
        }
        Ok(ForceRows { runs })
    }

    /// The force's rows of `frame` (the table these runs were found in).
    fn frame(&self, frame: &DataFrame, force: &str) -> PolarsResult<DataFrame> {
        match self.runs.get(force).map(Vec::as_slice) {
            None | Some([]) => Ok(frame.slice(0, 0)),
            Some([(start, length)]) => Ok(frame.slice(*start as i64, *length)),
            Some(_) => frame.filter(&frame.column("force")?.str()?.equal(force)),
        }
    }
}

fn is_mapped(force: &Force, field: &str, kinds: &[ExportKind]) -> bool {
    let Some(field) = field_named(field) else { return false };
    force
        .exports
        .iter()
        .any(|e| kinds.contains(&e.kind) && e.source(field).is_some())
}

fn measure_field(
    frame: &DataFrame,
    force: &Force,
    table: &'static str,
    check: &Check,
    kinds: &[ExportKind],
) -> PolarsResult<QualityRow> {
    let raw = frame.column(check.raw)?;
    let missing = raw.null_count() as u64;
    let mut unrecognised = 0;
    let mut codes = BTreeSet::new();
    if let Some(understood) = check.understood {
        let understood = frame.column(understood)?.str()?.clone();
        let raw_text = raw.cast(&DataType::String)?;
        for (raw_value, value) in raw_text.str()?.iter().zip(understood.iter()) {
            if let (Some(raw_value), None | Some(UNKNOWN)) = (raw_value, value) {
                unrecognised += 1;
                if check.list_values && codes.len() < 20 {
                    codes.insert(raw_value.to_string());
                }
            }
        }
    }
    Ok(QualityRow {
        force: force.id.clone(),
        table,
        field: check.field,
        mapped: is_mapped(force, check.field, kinds),
        rows: frame.height() as u64,
        missing,
        unrecognised,
        unrecognised_codes: codes.into_iter().collect::<Vec<_>>().join("|"),
        rules_not_assessable: rules_not_assessable(force, check.field),
        repeated_hour: RepeatedHourCounts::default(),
    })
}

fn incident_keys(incidents: &DataFrame) -> PolarsResult<PlHashSet<(&str, &str)>> {
    let forces = incidents.column("force")?.str()?;
    let refs = incidents.column("incident_ref")?.str()?;
    Ok(forces
        .iter()
        .zip(refs.iter())
        .filter_map(|(f, r)| Some((f?, r?)))
        .collect())
}

/// Rows whose incident reference names no incident of the force.
fn unmatched_references(
    frame: &DataFrame,
    force: &Force,
    table: &'static str,
    known: &PlHashSet<(&str, &str)>,
) -> PolarsResult<QualityRow> {
    let refs = frame.column("incident_ref")?.str()?;
    let unmatched = refs
        .iter()
        .flatten()
        .filter(|r| !known.contains(&(force.id.as_str(), *r)))
        .count() as u64;
    Ok(QualityRow {
        force: force.id.clone(),
        table,
        field: "incident_ref",
        mapped: true,
        rows: frame.height() as u64,
        missing: refs.null_count() as u64,
        unrecognised: unmatched,
        unrecognised_codes: String::new(),
        rules_not_assessable: String::new(),
        repeated_hour: RepeatedHourCounts::default(),
    })
}

/// The rules the force cannot have assessed for want of the field, `|`-separated.
fn rules_not_assessable(force: &Force, field: &str) -> String {
    let Some(field) = field_named(field) else {
        return String::new();
    };
    let rules: Vec<&str> = crate::detect::blocked_by(force, field)
        .iter()
        .map(|r| r.code())
        .collect();
    rules.join("|")
}

/// Writes `data_quality.csv`.
pub fn write_quality(path: &Path, rows: &[QualityRow]) -> Result<(), IngestError> {
    let header = [
        "force",
        "table",
        "field",
        "mapped",
        "rows",
        "missing",
        "missing_rate",
        "unrecognised",
        "unrecognised_rate",
        "unrecognised_codes",
        "rules_not_assessable",
        "repeated_hour",
        "repeated_hour_second_pass",
        "repeated_hour_by_default",
    ]
    .map(String::from);
    crate::csv_out::write_rows(path, &header, rows.len(), |i| {
        let r = &rows[i];
        vec![
            r.force.clone(),
            r.table.to_string(),
            r.field.to_string(),
            r.mapped.to_string(),
            r.rows.to_string(),
            r.missing.to_string(),
            rate(r.missing, r.rows),
            r.unrecognised.to_string(),
            rate(r.unrecognised, r.rows - r.missing),
            r.unrecognised_codes.clone(),
            r.rules_not_assessable.clone(),
            r.repeated_hour.read.to_string(),
            r.repeated_hour.second_pass.to_string(),
            r.repeated_hour.by_default.to_string(),
        ]
    })
    .map_err(|e| IngestError::write(path, e))
}

fn rate(part: u64, whole: u64) -> String {
    if whole == 0 {
        String::new()
    } else {
        format!("{:.4}", part as f64 / whole as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_force_gets_exactly_its_rows_contiguous_or_not() {
        let frame = df!(
            "force" => ["a", "a", "b", "c", "c", "b", "c"],
            "row" => [0, 1, 2, 3, 4, 5, 6],
        )
        .unwrap();
        let by_force = ForceRows::of(&frame).unwrap();
        let rows = |force: &str| -> Vec<i32> {
            let of_force = by_force.frame(&frame, force).unwrap();
            of_force
                .column("row")
                .unwrap()
                .i32()
                .unwrap()
                .into_no_null_iter()
                .collect()
        };
        assert_eq!(rows("a"), [0, 1]);
        assert_eq!(rows("b"), [2, 5]);
        assert_eq!(rows("c"), [3, 4, 6]);
        assert!(rows("d").is_empty());
    }
}
