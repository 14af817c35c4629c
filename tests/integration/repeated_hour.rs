//! Nights across both clock changes, a call every seven minutes, in a log
//! that writes local time with no offset: every call and incident gets its
//! true instant, so every response time is the true one and none is
//! negative. The repeated October hour is placed from the evidence of the
//! file's order and of each row's own times; a row whose times cannot be put
//! in order is quarantined.

use chrono::{DateTime, NaiveDate, TimeZone};
use chrono_tz::Europe::London;
use polars::prelude::DataFrame;

use crate::support::*;

const MINUTE: i64 = 60_000;

/// True UTC instants: a call every seven minutes from 22:00 UTC on `day` for six hours.
fn night(day: NaiveDate) -> Vec<i64> {
    let start = chrono::Utc
        .from_utc_datetime(&day.and_hms_opt(22, 0, 0).unwrap())
        .timestamp_millis();
    (0..52).map(|k| start + k * 7 * MINUTE).collect()
}

/// West Midlands' wall clock for an instant, as its export writes it.
fn wall(at: i64) -> String {
    DateTime::from_timestamp_millis(at)
        .unwrap()
        .with_timezone(&London)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// Replaces West Midlands' calls and incidents with the night's: each call
/// opens an incident a minute later, dispatched after 3 minutes, arrived
/// after 7, closed after an hour.
fn write_night(ws: &Workspace, calls: &[i64]) {
    ws.edit("west_midlands/calls.csv", |t| {
        let mut out = format!("{}\n", t.lines().next().unwrap());
        for (k, &at) in calls.iter().enumerate() {
            out.push_str(&format!(
                "N-C-{k:03},N-{k:03},999,{},{},{},07700 900{k:03},N,N\n",
                wall(at),
                wall(at),
                wall(at + 4 * MINUTE)
            ));
        }
        out
    });
    ws.edit("west_midlands/incidents.csv", |t| {
        let mut out = format!("{}\n", t.lines().next().unwrap());
        for (k, &at) in calls.iter().enumerate() {
            let [created, dispatched, arrived, closed] = [1, 3, 7, 60].map(|m| wall(at + m * MINUTE));
            out.push_str(&format!(
                "N-{k:03},{created},DOM,DOM,Y,G1,G1,,{dispatched},{arrived},{closed},B91 3QS,U,DASH,S,5,{closed},,,,ADVICE,,night\n"
            ));
        }
        out
    });
}

/// A time column of the rows whose key starts with `N-`, in key order.
fn night_times(frame: &DataFrame, key: &str, column: &str) -> Vec<i64> {
    let keys = strings(frame, key);
    let times = millis(frame, column);
    let mut rows: Vec<(String, i64)> = keys
        .into_iter()
        .zip(times)
        .filter_map(|(k, t)| Some((k?, t?)))
        .filter(|(k, _)| k.starts_with("N-"))
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, t)| t).collect()
}

fn ingest_night(day: NaiveDate) -> (Workspace, Vec<i64>) {
    let ws = Workspace::new();
    let calls = night(day);
    write_night(&ws, &calls);
    let output = ws.ingest(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    (ws, calls)
}

fn quality_row(ws: &Workspace, table: &str, field: &str) -> Row {
    csv_file(&ws.out().join("data_quality.csv"))
        .into_iter()
        .find(|r| r["force"] == "west_midlands" && r["table"] == table && r["field"] == field)
        .expect("a data quality row")
}

#[test]
fn the_night_the_clocks_go_back_every_time_is_its_true_instant() {
    let (ws, calls) = ingest_night(NaiveDate::from_ymd_opt(2025, 10, 25).unwrap());
    assert!(ws.quarantine().is_empty(), "{:?}", ws.quarantine());
    let received = night_times(&ws.table("calls"), "call_id", "received_at");
    assert_eq!(received, calls, "every call at its true instant");
    let incidents = ws.table("incidents");
    let created = night_times(&incidents, "incident_ref", "created_at");
    let arrived = night_times(&incidents, "incident_ref", "arrived_at");
    let closed = night_times(&incidents, "incident_ref", "closed_at");
    for k in 0..calls.len() {
        assert_eq!(created[k], calls[k] + MINUTE, "incident {k} created");
        assert_eq!(arrived[k] - created[k], 6 * MINUTE, "incident {k}: a 6-minute response");
        assert_eq!(closed[k], calls[k] + 60 * MINUTE, "incident {k} closed");
    }
    // Readings of 01:00-01:59: 8 calls in the first pass, 9 in the second, found by the jump back.
    let counts = quality_row(&ws, "calls", "received_at");
    assert_eq!(
        (
            &counts["repeated_hour"][..],
            &counts["repeated_hour_second_pass"][..],
            &counts["repeated_hour_by_default"][..]
        ),
        ("17", "9", "0"),
        "{counts:?}"
    );
    let arrivals = quality_row(&ws, "incidents", "arrived_at");
    assert!(
        arrivals["repeated_hour_second_pass"].parse::<u32>().unwrap() >= 8,
        "{arrivals:?}"
    );
}

#[test]
fn the_night_the_clocks_go_forward_every_time_is_its_true_instant() {
    let (ws, calls) = ingest_night(NaiveDate::from_ymd_opt(2025, 3, 29).unwrap());
    assert!(ws.quarantine().is_empty());
    assert_eq!(night_times(&ws.table("calls"), "call_id", "received_at"), calls);
    let incidents = ws.table("incidents");
    let created = night_times(&incidents, "incident_ref", "created_at");
    let arrived = night_times(&incidents, "incident_ref", "arrived_at");
    assert!(created.iter().zip(&arrived).all(|(c, a)| a - c == 6 * MINUTE));
}

#[test]
fn a_lone_reading_of_the_repeated_hour_stays_in_the_first_pass_and_is_counted() {
    let ws = Workspace::new();
    let at = London
        .from_local_datetime(
            &NaiveDate::from_ymd_opt(2025, 10, 26)
                .unwrap()
                .and_hms_opt(1, 20, 0)
                .unwrap(),
        )
        .earliest()
        .unwrap()
        .timestamp_millis();
    write_night(&ws, &[at - 3 * 60 * MINUTE, at, at + 4 * 60 * MINUTE]);
    assert!(ws.ingest(&[]).status.success());
    let counts = quality_row(&ws, "calls", "received_at");
    assert_eq!(
        (&counts["repeated_hour"][..], &counts["repeated_hour_by_default"][..]),
        ("1", "1")
    );
    assert_eq!(night_times(&ws.table("calls"), "call_id", "received_at")[1], at);
}

#[test]
fn a_row_whose_times_run_backwards_is_quarantined_naming_them() {
    let ws = Workspace::new();
    let calls = night(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
    write_night(&ws, &calls[..3]);
    ws.edit("west_midlands/incidents.csv", |t| {
        // The second incident arrives before it was dispatched.
        let second = t.lines().nth(2).unwrap().to_string();
        let fields: Vec<&str> = second.split(',').collect();
        let backwards = second.replacen(fields[9], &wall(calls[1] - 30 * MINUTE), 1);
        t.replacen(&second, &backwards, 1)
    });
    assert!(ws.ingest(&["--quarantine-limit", "0.5"]).status.success());
    let rows = ws.quarantine();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((&rows[0][2], &rows[0][3]), ("3", "OnScene"));
    assert!(
        rows[0][5].contains("`arrived_at` is 33.0 minutes before `dispatched_at`"),
        "{}",
        &rows[0][5]
    );
    assert_eq!(
        night_times(&ws.table("incidents"), "incident_ref", "arrived_at").len(),
        2
    );
    assert_reconciles(&ws.manifest());
}
