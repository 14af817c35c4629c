//! An export shared with fire and ambulance keeps only the force's rows:
//! `keep` and `drop` set the others aside, counted as filtered, and every
//! row read is still accounted for.

use crate::support::*;

/// West Midlands' call log with an agency column: six police calls (one in
/// lower case), a fire call and an ambulance call, ids WM-C-0001 to -0008.
fn with_agencies(ws: &Workspace) {
    let agencies = [
        "POLICE",
        "POLICE",
        "FIRE",
        "POLICE",
        "police",
        "AMBULANCE",
        "POLICE",
        "POLICE",
    ];
    ws.edit("west_midlands/calls.csv", |text| {
        let mut lines = text.lines();
        let mut out = format!("{},Agency\n", lines.next().unwrap());
        for (line, agency) in lines.zip(agencies) {
            out.push_str(&format!("{line},{agency}\n"));
        }
        out
    });
}

fn with_rule(ws: &Workspace, rule: &str) {
    ws.edit("vigil.toml", |t| {
        t.replacen(
            "path = \"west_midlands/calls.csv\"",
            &format!("path = \"west_midlands/calls.csv\"\n{rule}"),
            1,
        )
    });
}

fn call_ids(ws: &Workspace) -> Vec<String> {
    strings(&ws.table("calls"), "call_id").into_iter().flatten().collect()
}

#[test]
fn keep_sets_aside_the_other_agencies_rows_and_accounts_for_them() {
    let ws = Workspace::new();
    with_agencies(&ws);
    with_rule(&ws, "keep = { Agency = [\"POLICE\"] }");
    let output = ws.ingest(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let calls = ws.input("west_midlands/calls.csv");
    assert_eq!(calls["rows_read"], 8);
    assert_eq!(calls["rows_filtered"], 2);
    assert_eq!(calls["rows_accepted"], 6);
    assert_reconciles(&ws.manifest());
    let ids = call_ids(&ws);
    assert!(
        !ids.contains(&"WM-C-0003".to_string()) && !ids.contains(&"WM-C-0006".to_string()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"WM-C-0005".to_string()),
        "lower-case police kept: {ids:?}"
    );
    assert!(
        ws.quarantine().iter().all(|r| !r[1].contains("calls.csv")),
        "filtered rows are not quarantined"
    );
    assert!(stdout(&output).contains("filtered"), "{}", stdout(&output));
}

#[test]
fn drop_sets_aside_only_the_named_values() {
    let ws = Workspace::new();
    with_agencies(&ws);
    with_rule(&ws, "drop = { Agency = [\"FIRE\"] }");
    assert!(ws.ingest(&[]).status.success());
    assert_eq!(ws.input("west_midlands/calls.csv")["rows_filtered"], 1);
    let ids = call_ids(&ws);
    assert!(
        !ids.contains(&"WM-C-0003".to_string()) && ids.contains(&"WM-C-0006".to_string()),
        "{ids:?}"
    );
    assert_reconciles(&ws.manifest());
}

#[test]
fn a_filter_on_a_column_the_file_lacks_is_named() {
    let ws = Workspace::new();
    with_rule(&ws, "keep = { Agency = [\"POLICE\"] }");
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(message.contains("`Agency`") && message.contains("`keep`"), "{message}");
}
