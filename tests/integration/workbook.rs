//! The weekly pack's `review.xlsx`, read back with an independent reader
//! (calamine): a sheet per list in the stated order, each with its CSV's
//! rows in its CSV's order, dates and local times as real Excel dates,
//! numbers as numbers, and a Columns sheet giving every column a meaning.

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::{Duration, NaiveDate};

use crate::reports::sample_run;

const SHEETS: [(&str, &str); 9] = [
    ("New", "review_new.csv"),
    ("Carried over", "review_carried.csv"),
    ("Closed", "review_closed.csv"),
    ("Expired", "review_expired.csv"),
    ("Priority victims", "priority_victims.csv"),
    ("Priority perpetrators", "priority_perpetrators.csv"),
    ("Missed opportunities", "missed_opportunities.csv"),
    ("Flags", "flags.csv"),
    ("KPIs", "kpis.csv"),
];

/// An Excel serial date as the CSV writes it: a date (`2025-05-05`) or a
/// date and time (`2025-05-05 00:00:00`), as the CSV cell is.
fn excel_text(serial: f64, like: &str) -> String {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let at = epoch + Duration::milliseconds((serial * 86_400_000.0).round() as i64);
    match like.len() {
        10 => at.format("%Y-%m-%d").to_string(),
        _ => at.format("%Y-%m-%d %H:%M:%S").to_string(),
    }
}

/// Whether a workbook cell holds what the CSV cell says, and its kind.
fn same(cell: &Data, text: &str) -> (bool, &'static str) {
    match cell {
        Data::Empty => (text.is_empty(), "empty"),
        Data::String(s) => (s == text, "text"),
        Data::Float(v) => (text.parse::<f64>().is_ok_and(|t| (t - v).abs() < 1e-9), "number"),
        Data::Int(v) => (text.parse::<i64>() == Ok(*v), "number"),
        Data::DateTime(d) => (excel_text(d.as_f64(), text) == text, "date"),
        other => (
            false,
            if matches!(other, Data::Bool(_)) {
                "bool"
            } else {
                "other"
            },
        ),
    }
}

fn pack() -> &'static Path {
    static PACK: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PACK.get_or_init(|| sample_run().join("weekly/west_midlands/2025-W18"))
}

#[test]
fn every_list_is_a_sheet_with_its_csvs_rows_in_order_and_real_dates_and_numbers() {
    let mut workbook: Xlsx<_> = open_workbook(pack().join("review.xlsx")).unwrap();
    let mut expected: Vec<&str> = vec!["About"];
    expected.extend(SHEETS.iter().map(|(sheet, _)| *sheet));
    expected.push("Columns");
    assert_eq!(workbook.sheet_names(), expected);
    let mut kinds: std::collections::BTreeMap<(String, &str), usize> = Default::default();
    for (sheet, file) in SHEETS {
        let range = workbook.worksheet_range(sheet).unwrap();
        let mut csv = csv::Reader::from_path(pack().join(file)).unwrap();
        let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
        let sheet_rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(sheet_rows.len(), rows.len() + 1, "{sheet}: header and every row");
        let names: Vec<String> = sheet_rows[0].iter().map(|c| c.to_string()).collect();
        assert_eq!(names, header, "{sheet}");
        for (r, (cells, row)) in sheet_rows[1..].iter().zip(&rows).enumerate() {
            for (c, text) in row.iter().enumerate() {
                let cell = cells.get(c).unwrap_or(&Data::Empty);
                let (equal, kind) = same(cell, text);
                assert!(
                    equal,
                    "{sheet} row {} column {}: {cell:?} for {text:?}",
                    r + 2,
                    header[c]
                );
                *kinds.entry((header[c].clone(), kind)).or_default() += 1;
            }
        }
    }
    let kind_of = |column: &str, kind: &str| kinds.get(&(column.to_string(), kind)).copied().unwrap_or(0);
    for (column, kind) in [
        ("dob", "date"),
        ("detected_at_local", "date"),
        ("decided_on", "empty"),
        ("score", "number"),
        ("rank", "number"),
        ("da_incidents", "number"),
        ("within_target_pct", "number"),
        ("person_refs", "text"),
        ("force_last_incident_ref", "text"),
        ("detected_at", "text"),
    ] {
        assert!(kind_of(column, kind) > 0, "{column} written as {kind}");
    }
    assert_eq!(
        kind_of("dob", "text") + kind_of("score", "text") + kind_of("rank", "text"),
        0
    );
}

#[test]
fn the_columns_sheet_says_what_every_column_of_every_list_means() {
    let mut workbook: Xlsx<_> = open_workbook(pack().join("review.xlsx")).unwrap();
    let range = workbook.worksheet_range("Columns").unwrap();
    let described: Vec<(String, String, String)> = range
        .rows()
        .skip(1)
        .map(|r| (r[0].to_string(), r[2].to_string(), r[3].to_string()))
        .collect();
    for (sheet, _) in SHEETS {
        let header = workbook.worksheet_range(sheet).unwrap();
        for name in header.rows().next().unwrap() {
            let name = name.to_string();
            let entry = described
                .iter()
                .find(|(column, _, sheets)| *column == name && sheets.split(", ").any(|s| s == sheet));
            let (_, meaning, _) = entry.unwrap_or_else(|| panic!("{sheet}: {name} is not on the Columns sheet"));
            assert!(!meaning.is_empty(), "{sheet}: {name} has no meaning");
        }
    }
    // A column that means different things on different sheets is described once for each.
    let missed: Vec<_> = described
        .iter()
        .filter(|(c, _, _)| c == "missed_opportunities")
        .collect();
    assert_eq!(missed.len(), 2, "{missed:?}");
}
