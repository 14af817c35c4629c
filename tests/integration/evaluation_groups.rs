//! The evaluation with a comparison group: on a simulated world of two
//! pilot forces and three comparison forces, every table keeps the groups
//! apart (each pooled on its own, never together), and the panel gives one
//! row per force and whole week with the force's group, its own pilot start,
//! the weeks since it, and the counts exactly as the pack publishes them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::support::{csv_file, run_pipeline, stderr, vigil};

const PILOT: [&str; 2] = ["bedfordshire", "humberside"];
const COMPARISON: [&str; 3] = ["cumbria", "durham", "wiltshire"];

/// The world's evaluation pack, made once.
fn evaluation() -> &'static PathBuf {
    static PACK: OnceLock<(crate::scratch::ScratchDir, PathBuf)> = OnceLock::new();
    let (_, pack) = PACK.get_or_init(|| {
        let dir = crate::scratch::ScratchDir::new();
        let data = dir.path().join("data");
        let forces = [PILOT.as_slice(), COMPARISON.as_slice()].concat().join(",");
        let output = vigil()
            .args(["simulate", "--out"])
            .arg(&data)
            .args(["--people", "4000", "--weeks", "26", "--forces", &forces])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let out = dir.path().join("out");
        run_pipeline(&data.join("vigil.toml"), &out);
        (dir, out.join("evaluation"))
    });
    pack
}

#[test]
fn pilot_and_comparison_forces_are_pooled_each_on_their_own_never_together() {
    let rows = csv_file(&evaluation().join("comparison.csv"));
    let scopes: BTreeSet<&str> = rows.iter().map(|r| r["force"].as_str()).collect();
    assert!(scopes.contains("all_pilot_forces") && scopes.contains("all_comparison_forces"));
    assert!(!scopes.contains("all_forces"), "{scopes:?}");
    // A pooled group's denominators are its own forces' and no other's.
    let column = "baseline_denominator";
    for (group, members) in [
        ("all_pilot_forces", PILOT.as_slice()),
        ("all_comparison_forces", COMPARISON.as_slice()),
    ] {
        let pooled = rows
            .iter()
            .find(|r| r["force"] == group && r["measure"] == "graded_emergency")
            .unwrap();
        let sum: u64 = rows
            .iter()
            .filter(|r| members.contains(&r["force"].as_str()) && r["measure"] == "graded_emergency")
            .map(|r| r[column].parse::<u64>().unwrap())
            .sum();
        assert_eq!(pooled[column].parse::<u64>().unwrap(), sum, "{group}");
    }
    let flags = csv_file(&evaluation().join("flags_by_rule.csv"));
    let flag_scopes: BTreeSet<&str> = flags.iter().map(|r| r["force"].as_str()).collect();
    assert!(flag_scopes.contains("all_pilot_forces") && !flag_scopes.contains("all_forces"));
}

#[test]
fn the_panel_has_a_row_per_force_and_whole_week_with_its_group_and_pilot_start() {
    let panel = csv_file(&evaluation().join("panel.csv"));
    let weekly: BTreeMap<(String, String), BTreeMap<String, String>> =
        csv_file(&evaluation().join("kpis_by_force_week.csv"))
            .into_iter()
            .map(|r| ((r["force"].clone(), r["week"].clone()), r))
            .collect();
    assert!(panel.len() > 100);
    let mut groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for row in &panel {
        let published = &weekly[&(row["force"].clone(), row["week"].clone())];
        assert_eq!(published["partial_week"], "false", "only whole weeks: {}", row["week"]);
        for count in [
            "da_incidents",
            "high_risk",
            "referral_due",
            "review_due",
            "within_target",
        ] {
            assert_eq!(row[count], published[count], "{count} as the pack publishes it");
        }
        groups.entry(&row["group"]).or_default().insert(&row["force"]);
        let since = &row["weeks_since_start"];
        match row["group"].as_str() {
            "pilot" => {
                assert_eq!(row["pilot_start"], "2025-02-21");
                let since: i64 = since.parse().unwrap();
                assert_eq!(row["post"], if since >= 0 { "1" } else { "0" });
                if row["week"] == "2025-W08" {
                    assert_eq!(since, 0, "the start's week is week 0");
                }
            }
            _ => assert!(row["pilot_start"].is_empty() && since.is_empty() && row["post"] == "0"),
        }
    }
    assert_eq!(groups["pilot"], PILOT.into_iter().collect());
    assert_eq!(groups["comparison"], COMPARISON.into_iter().collect());
    let partial = weekly.values().filter(|r| r["partial_week"] == "true").count();
    assert_eq!(panel.len(), weekly.len() - partial, "every whole week, no partial one");
    // The Parquet holds the same cells, a suppressed count as null.
    let frame = crate::support::read_parquet(&evaluation().join("panel.parquet"));
    assert_eq!(frame.height(), panel.len());
    for column in [
        "force",
        "group",
        "week",
        "weeks_since_start",
        "high_risk",
        "referral_due",
    ] {
        let cells = crate::support::strings(&frame, column);
        for (cell, row) in cells.iter().zip(&panel) {
            let expected = match row[column].as_str() {
                "" | "[c]" => None,
                text => Some(text.to_string()),
            };
            assert_eq!(cell, &expected, "{column}");
        }
    }
}

#[test]
fn a_week_the_data_covers_only_in_part_is_not_a_week_of_the_panel() {
    let pack = crate::reports::sample_run().join("evaluation");
    let weekly = csv_file(&pack.join("kpis_by_force_week.csv"));
    let partial: BTreeSet<(String, String)> = weekly
        .iter()
        .filter(|r| r["partial_week"] == "true")
        .map(|r| (r["force"].clone(), r["week"].clone()))
        .collect();
    assert!(!partial.is_empty(), "the sample ends inside a week");
    let panel = csv_file(&pack.join("panel.csv"));
    assert_eq!(panel.len(), weekly.len() - partial.len());
    assert!(panel
        .iter()
        .all(|r| !partial.contains(&(r["force"].clone(), r["week"].clone()))));
}

#[test]
fn the_pilot_effect_is_estimated_against_the_comparison_forces_with_randomisation_inference() {
    let rows = csv_file(&evaluation().join("effects.csv"));
    let measures: BTreeSet<&str> = rows.iter().map(|r| r["measure"].as_str()).collect();
    assert!(measures.len() >= 10, "{measures:?}");
    for measure in &measures {
        let scopes: BTreeSet<&str> = rows
            .iter()
            .filter(|r| r["measure"] == *measure)
            .map(|r| r["scope"].as_str())
            .collect();
        let expected: BTreeSet<&str> = ["all_pilot_forces", PILOT[0], PILOT[1]].into_iter().collect();
        assert_eq!(
            scopes, expected,
            "{measure}: the pilot together and each pilot force; no comparison force"
        );
    }
    let estimated: Vec<_> = rows.iter().filter(|r| !r["estimate"].is_empty()).collect();
    assert!(estimated.len() >= 20);
    for row in estimated {
        // Five forces: the pilot pair has 10 possible places; a pilot force
        // alone is compared with the three comparison forces only, so 4.
        let expected = if row["scope"] == "all_pilot_forces" { "10" } else { "4" };
        assert_eq!(row["assignments"], expected, "{row:?}");
        let p: f64 = row["p_value"].parse().unwrap();
        assert!(p >= 0.1 - 1e-9, "no p-value under 1/10 with 10 assignments: {row:?}");
        assert!(
            row["ci_low"].is_empty() && row["ci_high"].is_empty(),
            "too few forces to bound it: {row:?}"
        );
        assert!(row["method"].contains("randomisation inference over every assignment"));
    }
    // Without a comparison force there is nothing to estimate against.
    let sample = csv_file(&crate::reports::sample_run().join("evaluation/effects.csv"));
    assert!(sample.is_empty());
}

#[test]
fn a_planted_pilot_effect_is_found_and_the_others_are_not() {
    let dir = crate::scratch::ScratchDir::new();
    let data = dir.path().join("data");
    let output = vigil()
        .args(["simulate", "--out"])
        .arg(&data)
        .args([
            "--people",
            "20000",
            "--weeks",
            "40",
            "--forces",
            "national",
            "--no-scenarios",
        ])
        .args(["--pilot-effect", "risk_assessed=-0.3"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let truth = csv_file(&data.join("truth/pilot_effects.csv"));
    assert_eq!(truth[0]["measure"], "risk_assessed");
    assert_eq!(truth[0]["change"], "-0.3");
    let out = dir.path().join("out");
    run_pipeline(&data.join("vigil.toml"), &out);
    let effects = csv_file(&out.join("evaluation/effects.csv"));
    let pooled = |measure: &str| {
        effects
            .iter()
            .find(|r| r["scope"] == "all_pilot_forces" && r["measure"] == measure)
            .unwrap()
            .clone()
    };
    let planted = pooled("risk_assessed");
    let number = |cell: &str| cell.parse::<f64>().unwrap();
    assert!(number(&planted["p_value"]) < 0.05, "{planted:?}");
    assert!(
        number(&planted["ci_low"]) <= -30.0 && -30.0 <= number(&planted["ci_high"]),
        "the interval holds the planted -30 points: {planted:?}"
    );
    assert!(number(&planted["estimate"]) < -15.0, "{planted:?}");
    let untouched = pooled("graded_emergency");
    assert!(
        number(&untouched["ci_low"]) <= 0.0 && 0.0 <= number(&untouched["ci_high"]),
        "{untouched:?}"
    );

    let refused = vigil()
        .args(["simulate", "--out"])
        .arg(dir.path().join("other"))
        .args(["--pilot-effect", "risk_assessed=+0.5"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("from -0.90 to +0.10"), "{}", stderr(&refused));
}
