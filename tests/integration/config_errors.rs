//! Configuration faults stop the run with exit code 2 and say where the fault is.

use crate::support::*;

#[test]
fn an_unknown_key_is_named() {
    let ws = Workspace::new();
    ws.edit("vigil.toml", |t| {
        t.replacen(
            "quarantine_limit = 0.05",
            "quarantine_limit = 0.05\nquarantine_limt = 1",
            1,
        )
    });
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("vigil.toml") && message.contains("quarantine_limt"),
        "{message}"
    );
}

#[test]
fn an_unknown_field_in_a_mapping_suggests_the_nearest() {
    let ws = Workspace::new();
    ws.edit("vigil.toml", |t| {
        t.replacen("received_at = \"TimeReceived\"", "recieved_at = \"TimeReceived\"", 1)
    });
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("force `west_midlands`") && message.contains("Did you mean `received_at`?"),
        "{message}"
    );
}

#[test]
fn an_unknown_canonical_code_lists_the_valid_ones() {
    let ws = Workspace::new();
    ws.edit("vigil.toml", |t| t.replacen("G1 = \"EMERGENCY\"", "G1 = \"URGENT\"", 1));
    let output = ws.ingest(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("NO_DEPLOYMENT"), "{}", stderr(&output));
}

#[test]
fn a_missing_configuration_file_is_a_usage_error() {
    let output = vigil()
        .args(["ingest", "--config", "/nonexistent/vigil.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/vigil.toml"));
}

#[test]
fn without_config_vigil_reads_the_current_folders_and_says_what_it_looked_for() {
    let empty = crate::scratch::ScratchDir::new();
    let output = vigil().arg("config").current_dir(empty.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("vigil.toml") && message.contains("sample_data/vigil.toml") && message.contains("--config"),
        "{message}"
    );

    let ws = Workspace::new();
    let output = vigil().arg("config").current_dir(ws.data("")).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("west_midlands"), "{}", stdout(&output));
}
