//! A force that exports a file per week: an export's `path` may be a
//! pattern or a folder, every match read in name order as one export, each
//! its own input in the manifest; no match names the pattern.

use std::fs;

use crate::support::*;

/// Splits West Midlands' call log into two weekly files in `calls/`.
fn weekly_files(ws: &Workspace) {
    let text = fs::read_to_string(ws.data("west_midlands/calls.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    fs::create_dir_all(ws.data("west_midlands/calls")).unwrap();
    for (name, part) in [("week02.csv", &rows[4..]), ("week01.csv", &rows[..4])] {
        fs::write(
            ws.data(&format!("west_midlands/calls/{name}")),
            format!("{header}\n{}\n", part.join("\n")),
        )
        .unwrap();
    }
    fs::remove_file(ws.data("west_midlands/calls.csv")).unwrap();
}

fn with_path(ws: &Workspace, path: &str) {
    ws.edit("vigil.toml", |t| {
        t.replacen("path = \"west_midlands/calls.csv\"", &format!("path = \"{path}\""), 1)
    });
}

#[test]
fn a_pattern_or_a_folder_reads_every_weekly_file_as_one_export() {
    let whole = Workspace::new();
    assert!(whole.ingest(&[]).status.success());
    let calls = strings(&whole.table("calls"), "call_id");
    for path in ["west_midlands/calls/week*.csv", "west_midlands/calls"] {
        let ws = Workspace::new();
        weekly_files(&ws);
        with_path(&ws, path);
        let output = ws.ingest(&[]);
        assert!(output.status.success(), "{path}: {}", stderr(&output));
        let (first, second) = (
            ws.input("west_midlands/calls/week01.csv"),
            ws.input("west_midlands/calls/week02.csv"),
        );
        assert_eq!(
            (first["rows_read"].as_u64(), second["rows_read"].as_u64()),
            (Some(4), Some(4))
        );
        assert_ne!(first["sha256"], second["sha256"]);
        assert_reconciles(&ws.manifest());
        assert_eq!(
            strings(&ws.table("calls"), "call_id"),
            calls,
            "{path}: the same calls, in file-name order"
        );
    }
}

#[test]
fn a_pattern_that_matches_nothing_is_named() {
    let ws = Workspace::new();
    with_path(&ws, "west_midlands/week*.csv");
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("`west_midlands/week*.csv`"),
        "{}",
        stderr(&output)
    );
}
