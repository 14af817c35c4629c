//! `vigil draft-dialect` on each of the five pilot dialects, as written by
//! hand (the fixtures) and by the simulator at volume (the sample data): the
//! drafted block, with only its marked choices filled in from the shipped
//! configuration, ingests exactly the rows the shipped configuration does,
//! and most of the block was proposed, not left to the analyst.

use std::fs;
use std::path::{Path, PathBuf};

use toml::Value;

use crate::scratch::ScratchDir;
use crate::support::*;

const UNCHOSEN: &str = "?";

/// Drafts every force of the configuration in `data`, fills the marked
/// choices from it, and checks that the two ingest alike.
fn drafted_blocks_ingest_as_the_shipped_configuration(data: &Path) {
    let scratch = ScratchDir::new();
    let copy = scratch.path().join("data");
    copy_dir(data, &copy);
    let shipped_path = copy.join("vigil.toml");
    let shipped: Value = toml::from_str(&fs::read_to_string(&shipped_path).unwrap()).unwrap();
    let mut filled_config = shipped.clone();
    let mut filled_forces = Vec::new();
    for force in shipped["force"].as_array().unwrap() {
        let id = force["id"].as_str().unwrap();
        let drafted = draft(&copy, force);
        let mut block: Value = toml::from_str(&drafted).unwrap_or_else(|e| panic!("{id}: not TOML: {e}"));
        let drafted_force = block["force"].as_array_mut().unwrap().remove(0);
        let (proposed, shipped_columns) = proposed_as_shipped(&drafted_force, force);
        assert!(
            proposed * 10 >= shipped_columns * 9,
            "{id}: only {proposed} of the {shipped_columns} shipped column mappings were proposed\n{drafted}"
        );
        filled_forces.push(filled(drafted_force, force, id));
    }
    filled_config["force"] = Value::Array(filled_forces);
    let filled_path = copy.join("filled.toml");
    fs::write(&filled_path, toml::to_string(&filled_config).unwrap()).unwrap();

    let shipped_out = ingest(&shipped_path, &scratch.path().join("shipped"));
    let filled_out = ingest(&filled_path, &scratch.path().join("filled"));
    for table in ["calls", "incidents", "mentions"] {
        let file = format!("canonical/{table}.parquet");
        let (a, b) = (
            read_parquet(&shipped_out.join(&file)),
            read_parquet(&filled_out.join(&file)),
        );
        assert!(a.height() > 0, "{table} is empty");
        assert!(a.equals_missing(&b), "{table} differs:\n{a}\n{b}");
    }
    let counts = |out: &Path| -> Vec<String> {
        let manifest: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
        manifest["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let keys = [
                    "path",
                    "rows_read",
                    "rows_accepted",
                    "rows_quarantined",
                    "duplicate_rows",
                    "rows_filtered",
                ];
                keys.iter().map(|k| i[*k].to_string()).collect::<Vec<_>>().join(" ")
            })
            .collect()
    };
    let mut shipped_counts = counts(&shipped_out);
    let mut filled_counts = counts(&filled_out);
    shipped_counts.sort();
    filled_counts.sort();
    assert_eq!(shipped_counts, filled_counts);
}

/// Runs `vigil draft-dialect` on the force's export files; the block it wrote.
fn draft(data: &Path, force: &Value) -> String {
    let id = force["id"].as_str().unwrap();
    let files: Vec<PathBuf> = force["export"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| data.join(e["path"].as_str().unwrap()))
        .collect();
    let out = data.join(format!("draft_{id}.toml"));
    let output = vigil()
        .arg("draft-dialect")
        .args(&files)
        .args(["--force", id, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("choice(s) marked CHOOSE"),
        "{}",
        stdout(&output)
    );
    fs::read_to_string(out).unwrap()
}

/// How many of the shipped column mappings the draft proposed as shipped, of how many.
fn proposed_as_shipped(drafted: &Value, shipped: &Value) -> (usize, usize) {
    let mut same = 0;
    let mut total = 0;
    for export in shipped["export"].as_array().unwrap() {
        let drafted_export = matching_export(drafted, export);
        for (field, source) in export["columns"].as_table().unwrap() {
            total += 1;
            if drafted_export.and_then(|d| d["columns"].get(field)) == Some(source) {
                same += 1;
            }
        }
    }
    (same, total)
}

fn matching_export<'a>(force: &'a Value, export: &Value) -> Option<&'a Value> {
    force["export"]
        .as_array()?
        .iter()
        .find(|d| d.get("path") == export.get("path"))
}

/// The drafted force with each `"?"` replaced by the shipped value at the same place, or removed where none is.
fn filled(mut drafted: Value, shipped: &Value, id: &str) -> Value {
    let table = drafted.as_table_mut().unwrap();
    for key in ["id", "name"] {
        fill_entry(table, key, shipped.get(key));
    }
    if let Some(codes) = table.get_mut("codes").and_then(Value::as_table_mut) {
        for (name, entries) in codes.iter_mut() {
            let shipped_table = shipped.get("codes").and_then(|c| c.get(name));
            let entries = entries.as_table_mut().unwrap();
            let keys: Vec<String> = entries.keys().cloned().collect();
            for key in keys {
                let shipped_value = shipped_table
                    .and_then(Value::as_table)
                    .and_then(|t| t.iter().find(|(k, _)| k.eq_ignore_ascii_case(&key)).map(|(_, v)| v));
                fill_entry(entries, &key, shipped_value);
            }
        }
    }
    for export in table.get_mut("export").and_then(Value::as_array_mut).unwrap() {
        let shipped_export = shipped["export"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e.get("path") == export.get("path"))
            .unwrap_or_else(|| panic!("{id}: a drafted export no shipped export has: {export}"));
        let export = export.as_table_mut().unwrap();
        let keys: Vec<String> = export.keys().cloned().collect();
        for key in keys {
            fill_entry(export, &key, shipped_export.get(&key));
        }
        let columns = export.get_mut("columns").and_then(Value::as_table_mut).unwrap();
        let keys: Vec<String> = columns.keys().cloned().collect();
        for key in keys {
            fill_entry(columns, &key, shipped_export["columns"].get(&key));
        }
    }
    drafted
}

/// A marked choice takes the shipped value, or goes when there is none; any other entry stays.
fn fill_entry(table: &mut toml::map::Map<String, Value>, key: &str, shipped: Option<&Value>) {
    if table.get(key).and_then(Value::as_str) != Some(UNCHOSEN) {
        return;
    }
    match shipped {
        Some(value) => table.insert(key.to_string(), value.clone()),
        None => table.remove(key),
    };
}

fn ingest(config: &Path, out: &Path) -> PathBuf {
    let output = stage_command("ingest", config, out).output().unwrap();
    assert!(output.status.success(), "{}: {}", config.display(), stderr(&output));
    out.to_path_buf()
}

#[test]
fn drafts_of_the_hand_written_pilot_exports_ingest_as_shipped() {
    drafted_blocks_ingest_as_the_shipped_configuration(&fixtures());
}

#[test]
fn drafts_of_the_simulated_pilot_exports_ingest_as_shipped() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    drafted_blocks_ingest_as_the_shipped_configuration(&sample);
}

/// A US city's CAD log, a file per week with police, fire and EMS rows:
/// one export over both files, a filter keeping police rows, the 12-hour
/// month-first format, and places from block addresses and coordinates.
#[test]
fn a_draft_of_a_us_cad_weekly_export_proposes_its_pattern_filter_format_and_places() {
    let scratch = ScratchDir::new();
    let data = scratch.path().join("data");
    let files = crate::us_cad::write_weekly_files(&data, &crate::us_cad::events());
    let mut weekly: Vec<PathBuf> = fs::read_dir(data.join("cad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    weekly.sort();
    assert_eq!(weekly.len(), files);
    let out = data.join("draft.toml");
    let output = vigil()
        .arg("draft-dialect")
        .args(&weekly)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = fs::read_to_string(&out).unwrap();
    let block: Value = toml::from_str(&text).unwrap();
    let exports = block["force"][0]["export"].as_array().unwrap();
    assert_eq!(exports.len(), 1, "the weekly files are one export:\n{text}");
    let export = &exports[0];
    assert_eq!(export["path"].as_str(), Some("cad/calls_*.csv"));
    assert_eq!(export["kind"].as_str(), Some("combined"));
    assert_eq!(export["timestamp_format"].as_str(), Some("%m/%d/%Y %I:%M:%S %p"));
    assert_eq!(export["keep"]["Agency"].as_array().unwrap(), &[Value::from("POLICE")]);
    let columns = &export["columns"];
    for (field, column) in [
        ("call_id", "Incident Number"),
        ("incident_ref", "Incident Number"),
        ("received_at", "Call Received"),
        ("dispatched_at", "Dispatched"),
        ("arrived_at", "On Scene"),
        ("closed_at", "Cleared"),
        ("opening_code", "Call Type"),
        ("initial_grade", "Priority"),
        ("block_address", "Block Address"),
        ("latitude", "Latitude"),
        ("longitude", "Longitude"),
    ] {
        assert_eq!(
            columns.get(field).and_then(Value::as_str),
            Some(column),
            "{field}:\n{text}"
        );
    }
    assert!(text.contains("NULL ("), "the NULLs it saw are reported:\n{text}");
    let category = &block["force"][0]["codes"]["category"];
    assert_eq!(category["DOMESTIC DISTURBANCE"].as_str(), Some("DOMESTIC"));
    assert_eq!(
        block["force"][0]["codes"]["grade"]["1"].as_str(),
        Some(UNCHOSEN),
        "a bare number says no grade: the analyst chooses"
    );
}
