//! A run on an export shaped like a US city's CAD weekly files, as a new
//! user would meet it: police, fire and EMS rows in one log, a row per unit
//! sent, `NULL` for what was not recorded, 12-hour clock times with no
//! offset, a file per week across the night the clocks go back, block
//! addresses and map coordinates, and no persons. Every row is accounted for, every police call
//! gets its true instant, and the run says what it could not assess.

use std::fs;
use std::path::Path;

use chrono::{DateTime, TimeZone};
use chrono_tz::America::Chicago;

use crate::scratch::ScratchDir;
use crate::support::*;

const MINUTE: i64 = 60_000;

/// One dispatched event of the log.
pub struct Event {
    number: String,
    agency: &'static str,
    call_type: &'static str,
    priority: u32,
    received: i64,
    arrived: Option<i64>,
    units: usize,
}

/// An event every 11 minutes for two weeks from Monday 27 October 2025,
/// 00:05 Chicago time; the clocks go back at 02:00 on Sunday 2 November.
pub fn events() -> Vec<Event> {
    let start = Chicago
        .with_ymd_and_hms(2025, 10, 27, 0, 5, 0)
        .single()
        .unwrap()
        .timestamp_millis();
    (0..14 * 24 * 60 / 11)
        .map(|k: usize| {
            let agency = match k % 5 {
                1 => "FIRE",
                3 => "EMS",
                _ => "POLICE",
            };
            let call_type = match k % 4 {
                0 => "DOMESTIC DISTURBANCE",
                1 => "TRAFFIC STOP",
                2 => "THEFT",
                _ => "SUSPICIOUS PERSON",
            };
            let received = start + k as i64 * 11 * MINUTE;
            Event {
                number: format!("P25{k:06}"),
                agency,
                call_type,
                priority: k as u32 % 3 + 1,
                received,
                arrived: (k % 6 != 0).then_some(received + 9 * MINUTE),
                units: if k % 7 == 0 { 2 } else { 1 },
            }
        })
        .collect()
}

fn clock(at: i64) -> String {
    DateTime::from_timestamp_millis(at)
        .unwrap()
        .with_timezone(&Chicago)
        .format("%m/%d/%Y %I:%M:%S %p")
        .to_string()
}

const HEADER: &str = "Incident Number,Agency,Call Type,Priority,Call Received,Dispatched,On Scene,Cleared,Disposition,Unit,Block Address,Latitude,Longitude";

/// Writes the log as one file per week (by the week of the call), `NULL` for the missing.
pub fn write_weekly_files(dir: &Path, events: &[Event]) -> usize {
    fs::create_dir_all(dir.join("cad")).unwrap();
    let mut files: std::collections::BTreeMap<String, String> = Default::default();
    for e in events {
        let week = DateTime::from_timestamp_millis(e.received)
            .unwrap()
            .with_timezone(&Chicago)
            .format("%G-W%V")
            .to_string();
        let text = files.entry(week).or_insert_with(|| format!("{HEADER}\n"));
        for unit in 0..e.units {
            let arrived = e.arrived.map_or("NULL".to_string(), clock);
            let disposition = if e.arrived.is_some() { "REPORT" } else { "NULL" };
            text.push_str(&format!(
                "{},{},{},{},{},{},{},{},{disposition},{}{unit},12XX N MAIN ST,41.88{:02},-87.63{:02}\n",
                e.number,
                e.agency,
                e.call_type,
                e.priority,
                clock(e.received),
                clock(e.received + 2 * MINUTE),
                arrived,
                clock(e.received + 50 * MINUTE),
                &e.agency[..1],
                e.priority,
                e.priority,
            ));
        }
    }
    for (week, text) in &files {
        fs::write(dir.join(format!("cad/calls_{week}.csv")), text).unwrap();
    }
    files.len()
}

const CONFIG: &str = r#"
[report]
pilot_start = "2025-11-03"

[[force]]
id = "metro"
name = "Metro City Police"
timezone = "America/Chicago"

[force.targets]
unrecorded_area = "urban"

[force.codes.grade]
"1" = "EMERGENCY"
"2" = "PRIORITY"
"3" = "SCHEDULED"

[force.codes.category]
"DOMESTIC DISTURBANCE" = "DOMESTIC"
"TRAFFIC STOP" = "TRAFFIC"
"THEFT" = "THEFT"
"SUSPICIOUS PERSON" = "SUSPICIOUS"

[[force.export]]
kind = "combined"
path = "cad/calls_*.csv"
timestamp_format = "%m/%d/%Y %I:%M:%S %p"
keep = { Agency = ["POLICE"] }
[force.export.columns]
call_id = "Incident Number"
incident_ref = "Incident Number"
received_at = "Call Received"
opening_code = "Call Type"
initial_grade = "Priority"
dispatched_at = "Dispatched"
arrived_at = "On Scene"
closed_at = "Cleared"
block_address = "Block Address"
latitude = "Latitude"
longitude = "Longitude"
"#;

#[test]
fn a_us_cad_weekly_export_runs_with_every_row_accounted_for() {
    let scratch = ScratchDir::new();
    let data = scratch.path().join("data");
    let events = events();
    let files = write_weekly_files(&data, &events);
    fs::write(data.join("vigil.toml"), CONFIG).unwrap();
    let out = scratch.path().join("out");
    let printed = run_pipeline(&data.join("vigil.toml"), &out);

    let rows: usize = events.iter().map(|e| e.units).sum();
    let police: Vec<&Event> = events.iter().filter(|e| e.agency == "POLICE").collect();
    let other_rows: usize = events.iter().filter(|e| e.agency != "POLICE").map(|e| e.units).sum();
    let repeats: usize = police.iter().map(|e| e.units - 1).sum();
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!((files, inputs.len()), (2, 2), "a file per week, each its own input");
    let total = |key: &str| inputs.iter().map(|i| i[key].as_u64().unwrap() as usize).sum::<usize>();
    assert_eq!(total("rows_read"), rows);
    assert_eq!(total("rows_filtered"), other_rows, "fire and EMS rows");
    assert_eq!(total("duplicate_rows"), repeats, "a row per unit sent");
    assert_eq!(total("rows_accepted"), police.len());
    assert_eq!(total("rows_quarantined"), 0);
    assert_reconciles(&manifest);

    // Every police call at its true instant, across the night the clocks went back.
    let calls = read_parquet(&out.join("canonical/calls.parquet"));
    let mut received = millis(&calls, "received_at");
    received.sort();
    let truth: Vec<Option<i64>> = police.iter().map(|e| Some(e.received)).collect();
    assert_eq!(received, truth);
    let quality = csv_file(&out.join("data_quality.csv"));
    let arrived = quality
        .iter()
        .find(|r| r["table"] == "incidents" && r["field"] == "arrived_at")
        .unwrap();
    let unattended = police.iter().filter(|e| e.arrived.is_none()).count();
    assert_eq!(
        arrived["missing"],
        unattended.to_string(),
        "NULL is missing, not a bad time"
    );
    let repeated = quality
        .iter()
        .find(|r| r["table"] == "calls" && r["field"] == "received_at")
        .unwrap();
    assert!(
        repeated["repeated_hour_second_pass"].parse::<u32>().unwrap() > 0,
        "{repeated:?}"
    );

    // With no postcode and no person, repeat calls still meet at their place (a 100 m grid square).
    let incidents = read_parquet(&out.join("canonical/incidents.parquet"));
    assert!(strings(&incidents, "place_kind")
        .iter()
        .all(|k| k.as_deref() == Some("GRID")));
    let address_flags = csv_file(&out.join("detect/flags.csv"))
        .into_iter()
        .filter(|f| f["subject_type"] == "ADDRESS")
        .count();
    assert!(address_flags > 0, "repeat calls to one place are seen");

    // What could not be assessed is said, not flagged.
    assert!(printed.contains("warning: metro: not assessable"), "{printed}");
    assert!(printed.contains("NO_RISK_ASSESSMENT"), "{printed}");
    assert!(printed.contains("warning: metro: none of its"), "{printed}");
    let flags = csv_file(&out.join("detect/flags.csv"));
    assert!(flags
        .iter()
        .all(|f| f["rule"] != "NO_RISK_ASSESSMENT" && f["rule"] != "NO_SPECIALIST_REVIEW"));
    eprintln!(
        "US CAD run: {} files, {rows} rows read, {other_rows} filtered, {repeats} repeats, {} accepted, 0 quarantined; {} flags; {}",
        files,
        police.len(),
        flags.len(),
        repeated.iter().filter(|(k, _)| k.starts_with("repeated_hour")).map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
    );
}
