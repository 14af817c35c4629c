//! Missing values written as `NULL`, `N/A`, `-` and the like are read as
//! missing, in every field of every dialect: the canonical tables come out
//! the same as when the exports leave those cells empty, and no row is
//! quarantined for them.

use std::fs;
use std::path::Path;

use polars::prelude::*;

use crate::support::*;

/// How exports spell "no value" (each column gets one, so rows that were
/// exact duplicates stay so).
const TOKENS: [&str; 8] = ["NULL", "null", "N/A", "#N/A", "NA", "-", "(null)", "  NULL "];

/// Writes a token into every empty cell of a CSV export; how many it wrote.
fn fill_csv(path: &Path, delimiter: u8) -> usize {
    let rows = csv_records(path, delimiter);
    let mut filled = 0;
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_path(path).unwrap();
    for (n, row) in rows.iter().enumerate() {
        let cells: Vec<&[u8]> = row
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                if n > 0 && cell.iter().all(u8::is_ascii_whitespace) {
                    filled += 1;
                    TOKENS[column % TOKENS.len()].as_bytes()
                } else {
                    cell.as_slice()
                }
            })
            .collect();
        writer.write_record(cells).unwrap();
    }
    writer.flush().unwrap();
    filled
}

/// Writes a token into every missing text of a Parquet export; how many it wrote.
fn fill_parquet(path: &Path) -> usize {
    let mut frame = read_parquet(path);
    let mut filled = 0;
    for (column, name) in frame.get_column_names_owned().into_iter().enumerate() {
        let current = frame.column(&name).unwrap();
        if current.dtype() != &DataType::String {
            continue;
        }
        filled += current.null_count();
        let token = TOKENS[column % TOKENS.len()];
        let values: Vec<&str> = current.str().unwrap().iter().map(|v| v.unwrap_or(token)).collect();
        let replaced = Column::new(name.clone(), values);
        frame.replace(&name, replaced).unwrap();
    }
    ParquetWriter::new(fs::File::create(path).unwrap())
        .finish(&mut frame)
        .unwrap();
    filled
}

#[test]
fn missing_value_texts_in_every_dialect_read_as_missing() {
    let plain = Workspace::new();
    assert!(plain.ingest(&[]).status.success());
    let tokens = Workspace::new();
    let filled = rewrite_exports(&tokens.config(), fill_csv, fill_parquet);
    assert!(filled > 100, "only {filled} empty cells to fill");
    let output = tokens.ingest(&[]);
    assert!(output.status.success(), "{}", stderr(&output));

    for table in ["calls", "incidents", "mentions"] {
        let (before, after) = (plain.table(table), tokens.table(table));
        assert!(
            before.equals_missing(&after),
            "{table} differs when missing values are spelt out"
        );
    }
    let reasons = |ws: &Workspace| -> Vec<String> { ws.quarantine().iter().map(|r| r[5].to_string()).collect() };
    assert_eq!(reasons(&plain), reasons(&tokens));
    assert_reconciles(&tokens.manifest());
}

#[test]
fn an_export_can_replace_the_missing_value_texts() {
    let ws = Workspace::new();
    // West Midlands says its `-` is a value, and writes `UNK` for none.
    ws.edit("vigil.toml", |t| {
        t.replacen(
            "path = \"west_midlands/nominals.csv\"",
            "path = \"west_midlands/nominals.csv\"\nmissing_values = [\"UNK\"]",
            1,
        )
    });
    let text = fs::read_to_string(ws.data("west_midlands/nominals.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let forename = header
        .iter()
        .position(|h| h.to_lowercase().contains("fore"))
        .expect("a forename column");
    let mut first: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    first[forename] = "UNK".into();
    lines[1] = first.join(",");
    let mut second: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    second[forename] = "NULL".into();
    lines[2] = second.join(",");
    fs::write(ws.data("west_midlands/nominals.csv"), lines.join("\n") + "\n").unwrap();
    let output = ws.ingest(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let forenames = strings(&ws.table("mentions"), "forename");
    assert!(!forenames.contains(&Some("UNK".to_string())), "UNK read as a name");
    assert!(
        forenames.contains(&Some("NULL".to_string())),
        "NULL is a value once the set is replaced"
    );
}
