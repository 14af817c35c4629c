//! `vigil run` (ingest, link, detect) on simulated forces, checked against
//! the planted scenarios independently of `--truth`: every expected rule
//! cites every scenario of its kind, controls stay silent, and the
//! Raneem-shaped case tops its force's victim list as a missed opportunity.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{csv_file, run_pipeline, run_pipeline_scored, stderr, stdout, vigil};

fn split(text: &str) -> Vec<String> {
    text.split('|').filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// Checks a finished run against its data's `truth/scenarios.csv`.
fn check_scenarios(data: &Path, out: &Path) {
    let flags = csv_file(&out.join("detect/flags.csv"));
    let evidence: Vec<HashSet<String>> = flags
        .iter()
        .map(|f| split(&f["incidents"]).into_iter().chain(split(&f["calls"])).collect())
        .collect();
    let mut missing = Vec::new();
    for scenario in csv_file(&data.join("truth/scenarios.csv")) {
        let keys: HashSet<String> = split(&scenario["forces"])
            .iter()
            .flat_map(|force| {
                split(&scenario["incident_refs"])
                    .into_iter()
                    .chain(split(&scenario["call_ids"]))
                    .map(move |key| format!("{force}/{key}"))
            })
            .collect();
        let cites = |f: usize| !evidence[f].is_disjoint(&keys);
        let expected = split(&scenario["expected_rules"]);
        if expected.is_empty() {
            // Context (words in a narrative) describes an incident and claims nothing about its subject.
            let noisy: Vec<&str> = (0..flags.len())
                .filter(|&f| cites(f) && flags[f]["family"] != "CONTEXT")
                .map(|f| flags[f]["rule"].as_str())
                .collect();
            assert!(
                noisy.is_empty(),
                "control {} was flagged: {noisy:?}",
                scenario["scenario_id"]
            );
        }
        for rule in expected {
            if !(0..flags.len()).any(|f| flags[f]["rule"] == rule && cites(f)) {
                missing.push(format!("{} {rule}", scenario["scenario_id"]));
            }
        }
    }
    assert!(missing.is_empty(), "planted scenarios not found: {missing:?}");
}

/// The Raneem-shaped victim is first on its force's list, with an open missed
/// opportunity joining its night cluster and its under-grading.
fn check_raneem(data: &Path, out: &Path) {
    let scenario = csv_file(&data.join("truth/scenarios.csv"))
        .into_iter()
        .find(|s| s["kind"] == "raneem_shaped")
        .expect("a Raneem-shaped scenario");
    let force = &scenario["forces"];
    let last_night: Vec<String> = split(&scenario["incident_refs"])
        .iter()
        .rev()
        .take(4)
        .map(|r| format!("{force}/{r}"))
        .collect();
    let victims = csv_file(&out.join("detect/priority_victims.csv"));
    let top = victims
        .iter()
        .find(|v| &v["force"] == force && v["rank"] == "1")
        .expect("a ranked list");
    assert_ne!(top["open_missed_opportunities"], "0", "{top:?}");
    let missed = csv_file(&out.join("detect/missed_opportunities.csv"));
    let theirs = missed
        .iter()
        .find(|m| m["subject_id"] == top["person_id"] && last_night.iter().all(|r| split(&m["incidents"]).contains(r)))
        .unwrap_or_else(|| {
            panic!(
                "the top victim {} has no missed opportunity over the last night",
                top["person_id"]
            )
        });
    assert!(
        split(&theirs["signal_rules"]).contains(&"NIGHT_CLUSTER".to_string()),
        "{theirs:?}"
    );
    assert!(
        split(&theirs["gap_rules"]).contains(&"UNDER_GRADED".to_string()),
        "{theirs:?}"
    );
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

#[test]
fn every_planted_scenario_is_found_on_the_sample_data_and_the_controls_stay_silent() {
    let dir = crate::scratch::ScratchDir::new();
    let text = run_pipeline_scored(&sample().join("vigil.toml"), dir.path());
    assert!(text.contains("flags on the 10 control scenarios: 0"), "{text}");
    check_scenarios(&sample(), dir.path());
    check_raneem(&sample(), dir.path());
}

#[test]
fn every_planted_scenario_is_found_on_another_seed() {
    let dir = crate::scratch::ScratchDir::new();
    let data = dir.path().join("data");
    let output = vigil()
        .args(["simulate", "--seed", "99", "--people", "4000", "--weeks", "40", "--out"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let out = dir.path().join("out");
    run_pipeline(&data.join("vigil.toml"), &out);
    check_scenarios(&data, &out);
    check_raneem(&data, &out);
}

/// The detect tables a test compares between runs.
const DETECT_TABLES: [&str; 5] = [
    "flags.csv",
    "missed_opportunities.csv",
    "priority_victims.csv",
    "priority_perpetrators.csv",
    "timelines.csv",
];

fn detect_tables(out: &Path) -> Vec<Vec<u8>> {
    DETECT_TABLES
        .iter()
        .map(|name| fs::read(out.join("detect").join(name)).unwrap())
        .collect()
}

/// `vigil detect` again on the sample's output folder `out`, with `extra` arguments; it must succeed.
fn detect_again(out: &Path, extra: &[&Path]) -> std::process::Output {
    let mut command = vigil();
    command
        .arg("detect")
        .arg("--config")
        .arg(sample().join("vigil.toml"))
        .arg("--out")
        .arg(out);
    for argument in extra {
        command.arg(argument);
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    output
}

fn assert_same_tables(before: &[Vec<u8>], after: &[Vec<u8>], when: &str) {
    for ((name, before), after) in DETECT_TABLES.iter().zip(before).zip(after) {
        assert!(before == after, "{name} differs {when}");
    }
}

#[test]
fn detect_gives_the_same_bytes_twice_and_evaluates_on_request() {
    let dir = crate::scratch::ScratchDir::new();
    run_pipeline(&sample().join("vigil.toml"), dir.path());
    let first = detect_tables(dir.path());
    let text = stdout(&detect_again(dir.path(), &[]));
    assert!(!text.contains("planted scenarios"), "scored without --truth:\n{text}");
    let truth = sample().join("truth");
    let output = detect_again(dir.path(), &[Path::new("--truth"), &truth]);
    assert_same_tables(&first, &detect_tables(dir.path()), "between runs");
    let text = stdout(&output);
    let raneem = text
        .lines()
        .find(|l| l.trim_start().starts_with("raneem_shaped"))
        .expect(&text);
    assert!(raneem.contains("1 / 1"), "{raneem}");
}

#[test]
fn detect_reads_the_csv_person_mentions_the_same_when_the_parquet_copy_is_gone() {
    let dir = crate::scratch::ScratchDir::new();
    run_pipeline(&sample().join("vigil.toml"), dir.path());
    let first = detect_tables(dir.path());
    assert!(first[0].len() > 1000, "the sample raises flags");
    fs::remove_file(dir.path().join("linked/person_mentions.parquet")).unwrap();
    detect_again(dir.path(), &[]);
    assert_same_tables(&first, &detect_tables(dir.path()), "when read from person_mentions.csv");
}

#[test]
fn detect_before_ingest_says_what_to_run_first() {
    let dir = crate::scratch::ScratchDir::new();
    let output = vigil()
        .arg("detect")
        .arg("--config")
        .arg(sample().join("vigil.toml"))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("incidents.parquet") && message.contains("vigil run"),
        "{message}"
    );
}
