//! Properties of ingest over generated exports: whatever text sits in any
//! field, ingest never panics, and every row read is accepted, quarantined or
//! counted as a duplicate (a quarantined row has an entry for each of its faults).

use std::fs;

use proptest::prelude::*;
use vigil::config::Config;
use vigil::ingest::read_all;

use crate::support::Workspace;

/// Writes `rows` under `header` (quoted as needed) over the fixture file `relative`.
fn write_export(ws: &Workspace, relative: &str, header: &[&str], rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(ws.data(relative)).unwrap();
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

fn header_of(ws: &Workspace, relative: &str) -> Vec<String> {
    let text = fs::read_to_string(ws.data(relative)).unwrap();
    text.lines().next().unwrap().split(',').map(str::to_string).collect()
}

fn rows(width: usize) -> impl Strategy<Value = Vec<Vec<String>>> {
    let field = prop_oneof![
        any::<String>(),
        "[0-9/: ]{0,20}",
        Just(String::new()),
        Just("01/03/2025 21:40".to_string()),
        Just("30/03/2025 01:30".to_string()),
    ];
    prop::collection::vec(prop::collection::vec(field, width..=width), 0..30)
}

const FILES: [&str; 3] = [
    "west_midlands/calls.csv",
    "west_midlands/incidents.csv",
    "west_midlands/nominals.csv",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn arbitrary_field_text_never_panics_and_every_row_is_accounted_for(
        which in 0usize..3,
        generated in rows(23),
    ) {
        let ws = Workspace::new();
        let relative = FILES[which];
        let header = header_of(&ws, relative);
        let rows: Vec<Vec<String>> = generated.into_iter().map(|mut r| { r.truncate(header.len()); r }).collect();
        let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
        write_export(&ws, relative, &header_refs, &rows);

        let config = Config::load(&ws.config()).unwrap();
        let ingested = read_all(&config).unwrap();
        let report = ingested.files.iter().find(|f| f.path == relative).unwrap();
        prop_assert_eq!(report.rows_read, rows.len() as u64);
        for file in &ingested.files {
            prop_assert!(file.reconciles(), "{:?}", file);
        }
        let quarantined_lines: std::collections::BTreeSet<u64> =
            ingested.quarantine.iter().filter(|q| q.file == relative).map(|q| q.line).collect();
        prop_assert_eq!(quarantined_lines.len() as u64, report.rows_quarantined);
    }

    #[test]
    fn arbitrary_bytes_after_the_header_never_panic(
        which in 0usize..3,
        tail in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let ws = Workspace::new();
        let relative = FILES[which];
        let mut bytes = fs::read(ws.data(relative)).unwrap();
        bytes.extend_from_slice(&tail);
        fs::write(ws.data(relative), bytes).unwrap();

        let config = Config::load(&ws.config()).unwrap();
        // A structural fault (bytes that are not UTF-8) is an error, never a panic.
        if let Ok(ingested) = read_all(&config) {
            for file in &ingested.files {
                prop_assert!(file.reconciles(), "{:?}", file);
            }
        }
    }
}
