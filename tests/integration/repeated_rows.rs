//! Exports that write a record once per person involved, or once per unit
//! sent: rows that repeat a call or an incident with the same value in every
//! mapped field are counted as duplicates, never quarantined; a repeat that
//! disagrees is quarantined naming the fields that differ.

use crate::support::*;

/// Adds an unmapped column `Involved` and writes every data row `copies`
/// times, each naming a different person in it.
fn one_row_per_person(text: String, delimiter: char, copies: usize) -> String {
    let mut lines = text.lines();
    let mut out = format!("{}{delimiter}Involved\n", lines.next().unwrap());
    for line in lines {
        for person in 0..copies {
            out.push_str(&format!("{line}{delimiter}person {person}\n"));
        }
    }
    out
}

/// The rows of a canonical table read from the input file `path`.
fn rows_from(ws: &Workspace, table: &str, path: &str) -> u64 {
    let files = strings(&ws.table(table), "source_file");
    files.iter().filter(|f| f.as_deref() == Some(path)).count() as u64
}

fn data_rows(ws: &Workspace, path: &str) -> u64 {
    std::fs::read_to_string(ws.data(path)).unwrap().lines().count() as u64 - 1
}

#[test]
fn an_incident_file_with_a_row_per_person_is_one_incident_each_not_a_conflict() {
    let ws = Workspace::new();
    let path = "west_midlands/incidents.csv";
    let incidents = data_rows(&ws, path);
    ws.edit(path, |t| one_row_per_person(t, ',', 3));
    assert!(ws.ingest(&[]).status.success());
    let input = ws.input(path);
    assert_eq!(input["rows_read"], 3 * incidents);
    assert_eq!(input["rows_accepted"], incidents);
    assert_eq!(
        input["duplicate_rows"],
        2 * incidents,
        "the repeats, each for one more person"
    );
    assert_eq!(input["rows_quarantined"], 0);
    assert!(ws.quarantine().is_empty());
    assert_eq!(rows_from(&ws, "incidents", path), incidents);
    assert_reconciles(&ws.manifest());
}

#[test]
fn a_repeated_incident_that_disagrees_is_quarantined_naming_the_fields() {
    let ws = Workspace::new();
    let path = "west_midlands/incidents.csv";
    ws.edit(path, |t| {
        let first = t.lines().nth(1).unwrap().to_string();
        let later_arrival = first.replacen("01/03/2025 22:35", "01/03/2025 22:55", 1);
        format!("{t}{first}\n{later_arrival}\n")
    });
    assert!(ws.ingest(&["--quarantine-limit", "0.5"]).status.success());
    let input = ws.input(path);
    assert_eq!(input["duplicate_rows"], 1, "the exact copy");
    assert_eq!(input["rows_quarantined"], 1);
    let rows = ws.quarantine();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0][5].contains("line 2")
            && rows[0][5].contains("differs in `arrived_at`")
            && !rows[0][5].contains("created_at"),
        "{}",
        &rows[0][5]
    );
    assert_reconciles(&ws.manifest());
}

#[test]
fn a_call_log_with_a_row_per_unit_sent_keeps_each_call_once() {
    let ws = Workspace::new();
    let path = "west_midlands/calls.csv";
    let calls = data_rows(&ws, path);
    ws.edit(path, |t| one_row_per_person(t, ',', 2));
    assert!(ws.ingest(&[]).status.success());
    let input = ws.input(path);
    assert_eq!(
        (input["rows_accepted"].as_u64(), input["duplicate_rows"].as_u64()),
        (Some(calls), Some(calls))
    );
    assert!(ws.quarantine().is_empty());
    assert_eq!(rows_from(&ws, "calls", path), calls);
    assert_reconciles(&ws.manifest());
}

#[test]
fn a_combined_log_with_a_row_per_unit_keeps_each_call_and_incident_once() {
    let ws = Workspace::new();
    let path = "northumbria/contacts.csv";
    let rows = data_rows(&ws, path);
    let before = {
        assert!(ws.ingest(&[]).status.success());
        (ws.table("calls").height(), ws.table("incidents").height())
    };
    ws.edit(path, |t| one_row_per_person(t, ',', 2));
    assert!(ws.ingest(&[]).status.success());
    let input = ws.input(path);
    assert_eq!(input["duplicate_rows"], rows);
    assert!(ws.quarantine().is_empty());
    assert_eq!((ws.table("calls").height(), ws.table("incidents").height()), before);
    assert_reconciles(&ws.manifest());
}

#[test]
fn a_combined_row_repeating_a_call_about_a_different_incident_state_is_a_conflict() {
    let ws = Workspace::new();
    let path = "northumbria/contacts.csv";
    ws.edit(path, |t| {
        let first = t.lines().nth(1).unwrap().to_string();
        let changed = first.replacen("Arrest", "No Further Action", 1);
        assert_ne!(first, changed);
        format!("{t}{changed}\n")
    });
    assert!(ws.ingest(&["--quarantine-limit", "0.5"]).status.success());
    let rows = ws.quarantine();
    assert_eq!(rows.len(), 1);
    assert!(rows[0][5].contains("differs in `outcome`"), "{}", &rows[0][5]);
    assert_reconciles(&ws.manifest());
}
