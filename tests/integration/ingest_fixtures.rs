//! The five dialects ingest cleanly, every row is accounted for, and the
//! canonical values are what the exports meant.

use std::fs;

use crate::support::*;

#[test]
fn all_five_dialects_ingest_with_every_file_reconciled() {
    let ws = Workspace::new();
    let output = ws.ingest(&[]);
    assert!(output.status.success(), "{}", stderr(&output));

    let manifest = ws.manifest();
    assert_reconciles(&manifest);
    let forces: Vec<&str> = manifest["forces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["force"].as_str().unwrap())
        .collect();
    assert_eq!(
        forces,
        [
            "west_midlands",
            "northumbria",
            "northamptonshire",
            "bedfordshire",
            "humberside"
        ]
    );
    assert_eq!(manifest["totals"]["rows_quarantined"], 0);
    assert_eq!(manifest["totals"]["files"], 13);
    // Rows counted by hand from the fixture files.
    assert_eq!(manifest["tables"]["calls"], 23);
    assert_eq!(
        manifest["tables"]["incidents"], 21,
        "combined exports give one incident per reference"
    );
    assert_eq!(manifest["tables"]["mentions"], 32);
    for input in manifest["inputs"].as_array().unwrap() {
        assert_eq!(input["sha256"].as_str().unwrap().len(), 64);
    }

    let summary = stdout(&output);
    for force in forces {
        assert!(summary.contains(force), "{summary}");
    }
    assert!(summary.contains("total"), "{summary}");
    assert!(ws.out().join("data_quality.csv").exists());
    assert!(!ws.out().join(".staging-ingest").exists());
}

#[test]
fn grades_codes_and_encodings_map_to_the_canonical_vocabulary() {
    let ws = Workspace::new();
    assert!(ws.ingest(&["--csv"]).status.success());
    let incidents = ws.table("incidents");
    let grade_of = |reference: &str| {
        let refs = strings(&incidents, "incident_ref");
        let grades = strings(&incidents, "initial_grade");
        let at = refs
            .iter()
            .position(|r| r.as_deref() == Some(reference))
            .expect(reference);
        grades[at].clone()
    };
    assert_eq!(grade_of("20250301-0057").as_deref(), Some("SCHEDULED")); // G3
    assert_eq!(grade_of("NB-250114-0031").as_deref(), Some("EMERGENCY")); // P1
    assert_eq!(grade_of("NN/250601/0101").as_deref(), Some("NO_DEPLOYMENT")); // words, from Parquet
    assert_eq!(grade_of("BD-2025-00078").as_deref(), Some("SCHEDULED")); // 4 = appointment
    assert_eq!(grade_of("HU-25-004502").as_deref(), Some("SCHEDULED")); // "Grade 3"

    let changes = strings(&incidents, "grade_change");
    assert!(changes.iter().any(|c| c.as_deref() == Some("DOWNGRADED")));
    assert!(changes.iter().any(|c| c.as_deref() == Some("UPGRADED")));

    let mentions = ws.table("mentions");
    let surnames = strings(&mentions, "surname");
    assert!(
        surnames.contains(&Some("Brontë".into())),
        "Windows-1252 decoded: {surnames:?}"
    );
    let norm = strings(&mentions, "surname_norm");
    assert!(norm.contains(&Some("BRONTE".into())));
    assert!(
        norm.contains(&Some("HALL".into())),
        "surname-first full names are split"
    );
    let phones = strings(&mentions, "phone");
    assert!(phones.contains(&Some("+447700900101".into())));
    let postcodes = strings(&mentions, "postcode");
    assert!(postcodes.contains(&Some("WS1 1AA".into())), "postcodes normalised");
    assert!(ws.out().join("canonical/mentions.csv").exists());
}

#[test]
fn dash_scores_raise_the_recorded_level_and_referral_types_become_dates() {
    let ws = Workspace::new();
    assert!(ws.ingest(&[]).status.success());
    let incidents = ws.table("incidents");
    let refs = strings(&incidents, "incident_ref");
    let at = |r: &str| refs.iter().position(|x| x.as_deref() == Some(r)).unwrap();
    // Recorded Medium with a DASH score of 15: 14+ is high.
    assert_eq!(
        strings(&incidents, "risk_level")[at("NN/250207/0011")].as_deref(),
        Some("HIGH")
    );
    assert_eq!(
        strings(&incidents, "risk_level_raw")[at("NN/250207/0011")].as_deref(),
        Some("Medium")
    );
    // Northumbria writes one referral type and one date.
    let marac = strings(&incidents, "marac_referral_at");
    let idva = strings(&incidents, "idva_referral_at");
    assert!(marac[at("NB-250114-0031")].is_some() && idva[at("NB-250114-0031")].is_some());
    assert!(marac[at("NB-250330-0008")].is_some() && idva[at("NB-250330-0008")].is_none());
}

#[test]
fn unknown_codes_are_kept_and_counted_not_dropped() {
    let ws = Workspace::new();
    ws.edit("west_midlands/incidents.csv", |t| {
        t.replacen(",DOM,DOM,Y,G2,G2,", ",DOMX,DOM,Y,G9,G2,", 1)
    });
    assert!(ws.ingest(&[]).status.success());
    assert_eq!(ws.manifest()["totals"]["rows_quarantined"], 0);
    let incidents = ws.table("incidents");
    assert!(strings(&incidents, "initial_grade").contains(&Some("UNKNOWN".into())));
    assert!(strings(&incidents, "initial_grade_raw").contains(&Some("G9".into())));
    let quality = csv_file(&ws.out().join("data_quality.csv"));
    let of = |field: &str| {
        quality
            .iter()
            .find(|r| r["force"] == "west_midlands" && r["table"] == "incidents" && r["field"] == field)
            .expect("a data quality row")
    };
    let grade = of("initial_grade");
    assert_eq!(
        (
            &grade["unrecognised"][..],
            &grade["unrecognised_rate"][..],
            &grade["unrecognised_codes"][..]
        ),
        ("1", "0.1250", "G9"),
        "{grade:?}"
    );
    assert_eq!(of("opening_code")["unrecognised_codes"], "DOMX");
}

#[test]
fn two_runs_write_identical_bytes() {
    let ws = Workspace::new();
    assert!(ws.ingest(&["--csv"]).status.success());
    let first: Vec<Vec<u8>> = outputs(&ws);
    assert!(ws.ingest(&["--csv"]).status.success());
    assert_eq!(first, outputs(&ws));
}

fn outputs(ws: &Workspace) -> Vec<Vec<u8>> {
    [
        "canonical/calls.parquet",
        "canonical/incidents.parquet",
        "canonical/mentions.parquet",
        "canonical/calls.csv",
        "quarantine.csv",
        "data_quality.csv",
    ]
    .iter()
    .map(|p| fs::read(ws.out().join(p)).unwrap())
    .collect()
}

#[test]
fn config_command_prints_the_effective_configuration() {
    let output = vigil()
        .args(["config", "--config"])
        .arg(fixtures().join("vigil.toml"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("quarantine_limit = 0.05"));
    assert!(text.contains("emergency_rural_minutes = 20"), "defaults are filled in");
}
