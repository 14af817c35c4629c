//! Corrupted copies of the exports: each fault is quarantined with its reason,
//! or stops the run with the documented exit code and a message that names
//! file, line and column but no personal data; the accounting always holds.

use std::fs;

use crate::support::*;

/// Values from the fixtures that must never appear on stderr.
const PERSONAL: &[&str] = &["Amira", "Haddad", "07700", "B91 3QS", "Station Road", "1996"];

fn assert_no_personal_data(text: &str) {
    for value in PERSONAL {
        assert!(!text.contains(value), "personal data `{value}` in: {text}");
    }
}

#[test]
fn a_bad_date_is_quarantined_with_column_value_and_reason() {
    let ws = Workspace::new();
    ws.edit("west_midlands/nominals.csv", |t| {
        t.replacen("10/05/1996", "31/02/1996", 1)
    });
    let output = ws.ingest(&["--quarantine-limit", "0.5"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows = ws.quarantine();
    assert_eq!(rows.len(), 1);
    assert_eq!((&rows[0][2], &rows[0][3], &rows[0][4]), ("2", "DOB", "31/02/1996"));
    assert!(rows[0][5].contains("not a real date"));
    assert_reconciles(&ws.manifest());
    assert_no_personal_data(&stdout(&output));
}

#[test]
fn a_row_with_several_faults_names_every_one_in_one_pass() {
    let ws = Workspace::new();
    let path = "west_midlands/incidents.csv";
    ws.edit(path, |t| {
        let first = t.lines().nth(1).unwrap().to_string();
        let faulty = first
            .replacen("20250301-0042", "20250301-0999", 1)
            .replacen("01/03/2025 21:41", "01/13/2025 21:41", 1)
            .replacen(",Y,", ",MAYBE,", 1)
            .replacen(",12,", ",twelve,", 1)
            .replacen("01/03/2025 22:35", "1 March", 1);
        format!("{t}{faulty}\n")
    });
    assert!(ws.ingest(&["--quarantine-limit", "0.5"]).status.success());
    let rows = ws.quarantine();
    let columns: Vec<&str> = rows.iter().map(|r| &r[3]).collect();
    assert_eq!(
        columns,
        ["Created", "DAFlag", "OnScene", "DASHScore"],
        "in the file's column order"
    );
    assert!(rows.iter().all(|r| r[2] == rows[0][2]), "one row");
    assert!(
        rows[0][5].contains("not a real date") && rows[1][5].contains("yes/no") && rows[3][5].contains("whole number")
    );
    assert_eq!(
        ws.input(path)["rows_quarantined"],
        1,
        "a row is counted once, whatever its faults"
    );
    assert_reconciles(&ws.manifest());
}

#[test]
fn the_default_quarantine_limit_stops_the_run_and_keeps_the_previous_outputs() {
    let ws = Workspace::new();
    assert!(ws.ingest(&[]).status.success());
    let before = fs::read(ws.out().join("canonical/calls.parquet")).unwrap();

    ws.edit("west_midlands/nominals.csv", |t| {
        t.replacen("10/05/1996", "31/02/1996", 1)
    });
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(
        message.contains("west_midlands/nominals.csv") && message.contains("quarantine"),
        "{message}"
    );
    assert_no_personal_data(&message);
    assert!(ws.out().join("quarantine.rejected.csv").exists());
    assert_eq!(fs::read(ws.out().join("canonical/calls.parquet")).unwrap(), before);
    assert!(ws.out().join("manifest.json").exists());
}

#[test]
fn undecodable_bytes_in_a_utf8_file_stop_the_run_naming_the_line() {
    let ws = Workspace::new();
    let path = ws.data("west_midlands/nominals.csv");
    let mut bytes = fs::read(&path).unwrap();
    let third_line = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(1).unwrap().0 + 1;
    bytes.insert(third_line + 3, 0xE9);
    fs::write(&path, bytes).unwrap();
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(message.contains("nominals.csv, line 3, byte 4"), "{message}");
    assert!(message.contains("windows-1252"), "says what to do: {message}");
    assert_no_personal_data(&message);
    assert!(!ws.out().join("manifest.json").exists(), "nothing looks complete");
}

#[test]
fn a_truncated_last_line_is_quarantined() {
    let ws = Workspace::new();
    ws.edit("west_midlands/incidents.csv", |t| {
        let cut = t.trim_end().len() - 60;
        t[..cut].to_string()
    });
    assert!(ws.ingest(&["--quarantine-limit", "0.5"]).status.success());
    let rows = ws.quarantine();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][2], "9");
    assert!(rows[0][5].contains("fields but the header has 23"), "{}", &rows[0][5]);
    assert_reconciles(&ws.manifest());
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let ws = Workspace::new();
    ws.edit("humberside/nominals.csv", |t| format!("\u{feff}{t}"));
    let output = ws.ingest(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(ws.input("humberside/nominals.csv")["rows_accepted"], 3);
}

#[test]
fn duplicated_rows_are_counted_and_removed() {
    let ws = Workspace::new();
    ws.edit("northamptonshire/people.csv", |t| {
        let second = t.lines().nth(1).unwrap().to_string();
        format!("{t}{second}\n{second}\n")
    });
    assert!(ws.ingest(&[]).status.success());
    let input = ws.input("northamptonshire/people.csv");
    assert_eq!(input["rows_read"], 8);
    assert_eq!(input["duplicate_rows"], 2);
    assert_eq!(input["rows_accepted"], 6);
    assert_reconciles(&ws.manifest());
}

#[test]
fn a_reused_key_with_different_values_is_quarantined() {
    let ws = Workspace::new();
    ws.edit("west_midlands/calls.csv", |t| {
        t + "WM-C-0001,20250301-0042,101,01/03/2025 21:45,,,,N,N\n"
    });
    assert!(ws.ingest(&["--quarantine-limit", "0.5"]).status.success());
    let rows = ws.quarantine();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0][5].contains("call id was already used") && rows[0][5].contains("line 2"),
        "{}",
        &rows[0][5]
    );
}

/// The canonical rows of `table` from `file`, as (key, source line).
fn keys_and_lines(ws: &Workspace, table: &str, key: &str, file: &str) -> Vec<(String, i64)> {
    let frame = ws.table(table);
    let keys = strings(&frame, key);
    let files = strings(&frame, "source_file");
    let lines = millis(&frame, "source_line");
    (0..frame.height())
        .filter(|&i| files[i].as_deref() == Some(file))
        .map(|i| (keys[i].clone().unwrap(), lines[i].unwrap()))
        .collect()
}

#[test]
fn in_a_combined_export_a_row_that_reuses_a_call_id_claims_no_incident() {
    let ws = Workspace::new();
    let path = "northumbria/contacts.csv";
    let rows_before = fs::read_to_string(ws.data(path)).unwrap().lines().count() as i64;
    let (reused, fresh) = (rows_before + 1, rows_before + 2);
    ws.edit(path, |t| {
        let first = t.lines().nth(1).unwrap().to_string();
        // The first data row's call id again, about a new incident; then a new call about that incident.
        let reused_id =
            first
                .replacen("NB-250114-0031", "NB-251101-0001", 1)
                .replacen("07700 900201", "07700 900250", 1);
        let new_call = reused_id.replacen("NB-000101", "NB-000999", 1);
        format!("{t}{reused_id}\n{new_call}\n")
    });
    assert!(ws.ingest(&["--quarantine-limit", "0.5"]).status.success());
    let rows = ws.quarantine();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][2], reused.to_string());
    assert!(rows[0][5].contains("call id was already used") && rows[0][5].contains("line 2"));
    let incidents = keys_and_lines(&ws, "incidents", "incident_ref", path);
    let new_incident: Vec<_> = incidents.iter().filter(|(key, _)| key == "NB-251101-0001").collect();
    assert_eq!(
        new_incident,
        [&("NB-251101-0001".to_string(), fresh)],
        "held by the row that kept its call"
    );
    // Later calls about one incident keep their calls; the first row stands for the incident.
    let calls = keys_and_lines(&ws, "calls", "call_id", path);
    assert_eq!(calls.len() as i64, rows_before - 1 + 1, "every call but the reused id");
    let repeated: Vec<_> = incidents.iter().filter(|(key, _)| key == "NB-250114-0031").collect();
    assert_eq!(repeated, [&("NB-250114-0031".to_string(), 2)]);
    assert_reconciles(&ws.manifest());
}

#[test]
fn an_incident_reference_reused_in_a_later_row_names_the_first() {
    let ws = Workspace::new();
    let path = "west_midlands/incidents.csv";
    let lines = fs::read_to_string(ws.data(path)).unwrap().lines().count();
    ws.edit(path, |t| {
        let first = t.lines().nth(1).unwrap().to_string();
        let changed = first.replacen(",Y,", ",N,", 1);
        assert_ne!(first, changed, "the copy differs from the row it reuses the key of");
        format!("{t}{changed}\n")
    });
    assert!(ws.ingest(&["--quarantine-limit", "0.5"]).status.success());
    let rows = ws.quarantine();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][2], (lines + 1).to_string());
    assert!(rows[0][5].contains("incident reference was already used") && rows[0][5].contains("line 2"));
    let input = ws.input(path);
    assert_eq!(input["rows_quarantined"], 1);
    assert_eq!(keys_and_lines(&ws, "incidents", "incident_ref", path).len(), lines - 1);
    assert_reconciles(&ws.manifest());
}

#[test]
fn a_missing_required_column_names_it_lists_the_columns_and_suggests_one() {
    let ws = Workspace::new();
    ws.edit("west_midlands/calls.csv", |t| {
        t.replacen("TimeReceived", "TimeRecieved", 1)
    });
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(message.contains("column `TimeReceived`"), "{message}");
    assert!(message.contains("Did you mean `TimeRecieved`?"), "{message}");
    assert!(message.contains("`CallRef`"), "lists the columns found: {message}");
}

#[test]
fn an_empty_file_stops_the_run() {
    let ws = Workspace::new();
    fs::write(ws.data("humberside/nominals.csv"), "").unwrap();
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("nominals.csv: the file is empty"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_file_stops_the_run() {
    let ws = Workspace::new();
    fs::remove_file(ws.data("bedfordshire/calls.csv")).unwrap();
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("does not exist"));
}

#[test]
fn unreadable_parquet_stops_the_run() {
    let ws = Workspace::new();
    let path = ws.data("northamptonshire/incidents.parquet");
    let bytes = fs::read(&path).unwrap();
    fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("cannot read the file as Parquet"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_windows_1252_file_declared_utf8_is_caught() {
    let ws = Workspace::new();
    ws.edit("vigil.toml", |t| t.replace("encoding = \"windows-1252\"\n", ""));
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("bedfordshire/nominals.csv, line 2"),
        "{}",
        stderr(&output)
    );
}
