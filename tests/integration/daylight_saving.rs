//! Clock changes: the repeated October hour resolves to the earlier instant,
//! the missing March hour is quarantined, and nights across either change keep
//! their true order and gaps.

use crate::support::*;

fn received_at_utc(ws: &Workspace, call_ids: &[&str]) -> Vec<i64> {
    let calls = ws.table("calls");
    let ids = strings(&calls, "call_id");
    let times = calls
        .column("received_at")
        .unwrap()
        .datetime()
        .unwrap()
        .physical()
        .clone();
    call_ids
        .iter()
        .map(|id| {
            let at = ids.iter().position(|x| x.as_deref() == Some(*id)).expect(id);
            times.get(at).expect("a time")
        })
        .collect()
}

fn minutes(millis: i64) -> i64 {
    millis / 60_000
}

#[test]
fn a_night_across_the_october_change_keeps_order_and_true_gaps() {
    let ws = Workspace::new();
    assert!(ws.ingest(&[]).status.success());
    // Local 23:50 BST, 01:10 (first, BST), 01:40 (first, BST), 02:20 GMT on 25-26 October 2025.
    let t = received_at_utc(&ws, &["WM-C-0004", "WM-C-0005", "WM-C-0006", "WM-C-0007"]);
    let expected_utc = [
        "2025-10-25T22:50",
        "2025-10-26T00:10",
        "2025-10-26T00:40",
        "2025-10-26T02:20",
    ];
    for (millis, expected) in t.iter().zip(expected_utc) {
        let shown = chrono::DateTime::from_timestamp_millis(*millis)
            .unwrap()
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        assert_eq!(shown, expected);
    }
    // 01:40 BST to 02:20 GMT is 100 minutes of real time, not 40.
    assert_eq!(minutes(t[3] - t[2]), 100);
    assert!(t.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn a_night_across_the_march_change_is_23_hours_of_local_clock() {
    let ws = Workspace::new();
    assert!(ws.ingest(&[]).status.success());
    // Northumbria writes offsets: 00:55 GMT, then 02:10 BST = 01:10 UTC, 15 minutes later.
    let t = received_at_utc(&ws, &["NB-000104", "NB-000105"]);
    assert_eq!(minutes(t[1] - t[0]), 15);
}

#[test]
fn a_local_time_in_the_missing_march_hour_is_quarantined_with_its_reason() {
    let ws = Workspace::new();
    ws.edit("west_midlands/calls.csv", |t| {
        t + "WM-C-0009,20250330-0001,999,30/03/2025 01:30,30/03/2025 01:30,30/03/2025 01:35,07700 900101,N,N\n"
    });
    let output = ws.ingest(&["--quarantine-limit", "0.5"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows = ws.quarantine();
    // Every time of the row is in the missing hour, and each is named.
    let columns: Vec<&str> = rows.iter().map(|r| &r[3]).collect();
    assert_eq!(columns, ["TimeReceived", "TimeAnswered", "TimeEnded"]);
    assert!(rows.iter().all(|r| &r[2] == "10"));
    let row = &rows[0];
    assert_eq!(&row[1], "west_midlands/calls.csv");
    assert_eq!(&row[2], "10", "header is line 1, the added row line 10");
    assert_eq!(&row[3], "TimeReceived");
    assert_eq!(&row[4], "30/03/2025 01:30");
    assert!(
        row[5].contains("does not exist") && row[5].contains("clocks go forward"),
        "{}",
        &row[5]
    );
    assert_reconciles(&ws.manifest());
    assert_eq!(ws.input("west_midlands/calls.csv")["rows_quarantined"], 1);
}

#[test]
fn split_date_and_time_columns_follow_the_same_rules() {
    let ws = Workspace::new();
    ws.edit("bedfordshire/calls.csv", |t| {
        t + "BD25/0004;BD-2025-00200;999;26/10/2025;01:30;26/10/2025;01:30;;N;N\n"
    });
    assert!(ws.ingest(&["--quarantine-limit", "0.5"]).status.success());
    let t = received_at_utc(&ws, &["BD25/0004"]);
    let shown = chrono::DateTime::from_timestamp_millis(t[0])
        .unwrap()
        .format("%H:%M")
        .to_string();
    assert_eq!(shown, "00:30", "the earlier (BST) 01:30");
}
