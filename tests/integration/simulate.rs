//! `vigil simulate`: deterministic worlds that ingest cleanly, whose truth
//! matches what ingest reads, with the shape and noise the research describes.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Europe::London;

use crate::support::*;

/// The command documented in sample_data/README.md.
pub const SAMPLE_ARGS: [&str; 10] = [
    "--seed",
    "20250221",
    "--people",
    "5000",
    "--start",
    "2024-10-07",
    "--weeks",
    "30",
    "--forces",
    "pilot",
];

/// A simulated world in its own temporary folder, ingested on request.
struct World {
    dir: crate::scratch::ScratchDir,
    stdout: String,
}

impl World {
    fn simulate(args: &[&str]) -> World {
        let dir = crate::scratch::ScratchDir::new();
        let output = vigil()
            .args(["simulate", "--out"])
            .arg(dir.path().join("data"))
            .args(args)
            .output()
            .expect("vigil runs");
        assert!(output.status.success(), "{}", stderr(&output));
        World {
            dir,
            stdout: stdout(&output),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn ingested(&self) -> Ingested {
        let out = self.dir.path().join("ingested");
        let output = vigil()
            .args(["ingest", "--config"])
            .arg(self.data().join("vigil.toml"))
            .arg("--out")
            .arg(&out)
            .output()
            .expect("vigil runs");
        assert!(output.status.success(), "{}", stderr(&output));
        Ingested { out }
    }

    fn truth(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        read_csv(&self.data().join("truth").join(name))
    }

    fn summary(&self) -> serde_json::Value {
        let text = fs::read_to_string(self.data().join("truth/summary.json")).expect("summary.json");
        serde_json::from_str(&text).expect("valid JSON")
    }
}

struct Ingested {
    out: PathBuf,
}

impl Ingested {
    fn table(&self, name: &str) -> polars::prelude::DataFrame {
        read_parquet(&self.out.join(format!("canonical/{name}.parquet")))
    }

    fn csv(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        read_csv(&self.out.join(name))
    }
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            header
                .iter()
                .map(str::to_string)
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// Every file under `root`, relative path to bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(root).expect("under root").to_path_buf();
                files.insert(relative, fs::read(&path).expect("readable"));
            }
        }
    }
    files
}

fn local_millis(date: NaiveDate) -> i64 {
    London
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .expect("midnight exists")
        .timestamp_millis()
}

#[test]
fn one_seed_gives_identical_bytes_and_another_seed_differs() {
    let args = ["--people", "1200", "--weeks", "12"];
    let first = tree(&World::simulate(&args).data());
    let again = tree(&World::simulate(&args).data());
    assert!(first.len() >= 15, "exports, vigil.toml and truth: {:?}", first.keys());
    assert!(first == again, "the same seed and arguments must give the same bytes");

    let other = tree(&World::simulate(&[&args[..], &["--seed", "7"]].concat()).data());
    assert_eq!(first.keys().collect::<Vec<_>>(), other.keys().collect::<Vec<_>>());
    let differing = first.iter().filter(|(path, bytes)| other[*path] != **bytes).count();
    assert!(differing >= 12, "only {differing} files differ between seeds");
}

#[test]
fn the_committed_sample_data_is_one_run_of_the_documented_command() {
    let world = World::simulate(&SAMPLE_ARGS);
    let generated = tree(&world.data());
    let mut committed = tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data"));
    committed.remove(Path::new("README.md"));
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/README.md"))
        .expect("sample_data/README.md");
    assert!(
        readme.contains(&SAMPLE_ARGS.join(" ")),
        "the README documents the command"
    );
    assert_eq!(
        generated.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &generated {
        assert!(
            committed[path] == *bytes,
            "sample_data/{} differs from the simulator's output: regenerate it with the command in sample_data/README.md",
            path.display()
        );
    }
}

#[test]
fn ingest_quarantines_exactly_the_planted_faults() {
    let world = World::simulate(&SAMPLE_ARGS);
    let ingested = world.ingested();
    let key = |r: &BTreeMap<String, String>| {
        (
            r["force"].clone(),
            r["file"].clone(),
            r["line"].clone(),
            r["column"].clone(),
        )
    };
    let planted = world.truth("faults.csv");
    let quarantined: BTreeSet<_> = ingested.csv("quarantine.csv").iter().map(key).collect();
    assert_eq!(planted.len(), 10, "two per force by default");
    assert_eq!(quarantined, planted.iter().map(key).collect::<BTreeSet<_>>());

    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(ingested.out.join("manifest.json")).unwrap()).unwrap();
    assert_reconciles(&manifest);

    // No unknown code anywhere; the only unmatched references are mentions of
    // incidents whose own row was a planted fault.
    let faulty_incidents: BTreeSet<&str> = planted.iter().map(|f| f["incident_ref"].as_str()).collect();
    for row in ingested.csv("data_quality.csv") {
        if row["field"] != "incident_ref" {
            assert_eq!(row["unrecognised"], "0", "{row:?}");
        }
    }
    let incidents = ingested.table("incidents");
    let known: BTreeSet<String> = strings(&incidents, "incident_ref").into_iter().flatten().collect();
    let mentions = ingested.table("mentions");
    for reference in strings(&mentions, "incident_ref").into_iter().flatten() {
        assert!(
            known.contains(&reference) || faulty_incidents.contains(reference.as_str()),
            "{reference}"
        );
    }
}

#[test]
fn truth_names_the_person_behind_every_ingested_mention() {
    let world = World::simulate(&SAMPLE_ARGS);
    let mentions = world.ingested().table("mentions");
    let ingested: BTreeMap<String, String> = strings(&mentions, "mention_id")
        .into_iter()
        .zip(strings(&mentions, "role"))
        .map(|(id, role)| (id.unwrap(), role.unwrap()))
        .collect();
    let truth = world.truth("mentions.csv");
    let mut lost_to_faults = 0;
    for row in &truth {
        match ingested.get(&row["mention_id"]) {
            Some(role) => assert_eq!(role, &row["role"], "{row:?}"),
            None => {
                assert_eq!(row["planted_fault"], "true", "{row:?} was not ingested");
                lost_to_faults += 1;
            }
        }
        assert!(row["true_person_id"].starts_with('T'), "{row:?}");
    }
    assert_eq!(truth.len(), ingested.len() + lost_to_faults);
    assert!(lost_to_faults <= 5);
}

#[test]
fn the_world_has_the_shape_the_research_describes() {
    let world = World::simulate(&SAMPLE_ARGS);
    let summary = world.summary();
    let share = |key: &str| summary[key].as_f64().expect("a share");
    // Bland & Ariel (2015): 76 % of dyads had no repeat call; a few dyads hold most harm.
    assert!((0.70..=0.84).contains(&share("dyads_without_repeat")), "{summary}");
    assert!(share("harm_in_top_2_percent_of_dyads") >= 0.40, "{summary}");
    assert!(summary["dyads"].as_u64().unwrap() > 2000);
    let domestic = summary["domestic_incidents"].as_u64().unwrap() as f64;
    let incidents = summary["incidents"].as_u64().unwrap() as f64;
    assert!(
        (0.2..0.5).contains(&(domestic / incidents)),
        "background calls are most of the volume"
    );

    let noise = summary["mention_noise"].as_object().expect("noise shares");
    for kind in [
        "typo",
        "transposition",
        "nickname",
        "names_swapped",
        "day_month_swapped",
        "missing_dob",
        "missing_phone",
        "changed_phone",
        "old_address",
        "ex_partner_only",
        "duplicate_nominal",
    ] {
        let rate = noise[kind].as_f64().expect("a share");
        assert!((0.002..0.2).contains(&rate), "{kind}: {rate}");
    }
    for line in [
        "dyads with no repeat incident",
        "harm held by the top 2% of dyads",
        "mentions with noise: changed_phone",
    ] {
        assert!(world.stdout.contains(line), "{}", world.stdout);
    }

    // With noise switched off, only life changes (a new phone) remain.
    let clean = World::simulate(&[&SAMPLE_ARGS[..], &["--noise", "0"]].concat()).summary();
    for (kind, rate) in clean["mention_noise"].as_object().unwrap() {
        if kind != "changed_phone" {
            assert_eq!(rate.as_f64(), Some(0.0), "{kind}");
        }
    }
}

#[test]
fn every_scenario_kind_is_planted_and_points_at_ingested_records() {
    let world = World::simulate(&SAMPLE_ARGS);
    let ingested = world.ingested();
    let incidents = ingested.table("incidents");
    let calls = ingested.table("calls");
    let known_incidents: BTreeSet<(String, String)> = strings(&incidents, "force")
        .into_iter()
        .zip(strings(&incidents, "incident_ref"))
        .map(|(f, r)| (f.unwrap(), r.unwrap()))
        .collect();
    let known_calls: BTreeSet<String> = strings(&calls, "call_id").into_iter().flatten().collect();
    let scenarios = world.truth("scenarios.csv");
    let kinds: BTreeSet<&str> = scenarios.iter().map(|s| s["kind"].as_str()).collect();
    for kind in [
        "night_cluster",
        "night_cluster_clock_change",
        "marac_threshold_no_referral",
        "shortening_gaps",
        "serial_perpetrator",
        "cross_force_victim",
        "silent_call_no_response",
        "late_attendance",
        "under_grading",
        "high_risk_no_referral",
        "no_risk_assessment",
        "raneem_shaped",
        "control_same_address",
        "control_frequent_caller",
    ] {
        assert!(kinds.contains(kind), "no {kind} scenario");
    }
    for scenario in &scenarios {
        let is_control = scenario["kind"].starts_with("control_");
        assert_eq!(scenario["expected_rules"].is_empty(), is_control, "{scenario:?}");
        let forces: Vec<&str> = scenario["forces"].split('|').collect();
        for reference in scenario["incident_refs"].split('|') {
            assert!(
                forces
                    .iter()
                    .any(|f| known_incidents.contains(&(f.to_string(), reference.to_string()))),
                "{} names {reference}, which was not ingested",
                scenario["scenario_id"]
            );
        }
        for call in scenario["call_ids"].split('|').filter(|c| !c.is_empty()) {
            assert!(
                known_calls.contains(call),
                "{} names call {call}",
                scenario["scenario_id"]
            );
        }
        if scenario["kind"] == "cross_force_victim" {
            assert_eq!(forces.len(), 2, "{scenario:?}");
        }
    }
    let raneem = scenarios.iter().find(|s| s["kind"] == "raneem_shaped").unwrap();
    assert!(raneem["incident_refs"].split('|').count() >= 10, "{raneem:?}");
}

#[test]
fn a_clock_change_scenario_spans_both_changes() {
    let world = World::simulate(&SAMPLE_ARGS);
    let incidents = world.ingested().table("incidents");
    let scenario = world
        .truth("scenarios.csv")
        .into_iter()
        .find(|s| s["kind"] == "night_cluster_clock_change")
        .unwrap();
    let refs: BTreeSet<&str> = scenario["incident_refs"].split('|').collect();
    let created = millis(&incidents, "created_at");
    let times: Vec<i64> = strings(&incidents, "incident_ref")
        .iter()
        .zip(created)
        .filter(|(r, _)| r.as_deref().is_some_and(|r| refs.contains(r)))
        .filter_map(|(_, at)| at)
        .collect();
    for night in [
        NaiveDate::from_ymd_opt(2024, 10, 26).unwrap(),
        NaiveDate::from_ymd_opt(2025, 3, 29).unwrap(),
    ] {
        let from = local_millis(night) + 12 * 3_600_000;
        let to = local_millis(night.succ_opt().unwrap()) + 12 * 3_600_000;
        let that_night = times.iter().filter(|t| (from..to).contains(*t)).count();
        assert!(
            that_night >= 3,
            "{that_night} scenario incidents on the night of {night}"
        );
    }
}

#[test]
fn the_response_follows_each_force_practice() {
    let world = World::simulate(&SAMPLE_ARGS);
    let incidents = world.ingested().table("incidents");
    let forces = strings(&incidents, "force");
    let tools = strings(&incidents, "risk_tool");
    let scores = strings(&incidents, "risk_score");
    let assessed = millis(&incidents, "risk_assessed_at");
    let reviews = millis(&incidents, "specialist_review_at");
    let postcodes = strings(&incidents, "postcode");

    // Each force used DASH (with a score) until a switch date, then DARA.
    let mut last_dash: BTreeMap<&str, i64> = BTreeMap::new();
    let mut first_dara: BTreeMap<&str, i64> = BTreeMap::new();
    for i in 0..forces.len() {
        let (Some(force), Some(tool), Some(at)) = (forces[i].as_deref(), tools[i].as_deref(), assessed[i]) else {
            continue;
        };
        match tool {
            "DASH" => {
                // Northumbria's export has no score column.
                if force != "northumbria" {
                    assert!(scores[i].is_some(), "a DASH assessment carries a score");
                }
                let last = last_dash.entry(force).or_insert(at);
                *last = (*last).max(at);
            }
            "DARA" => {
                let first = first_dara.entry(force).or_insert(at);
                *first = (*first).min(at);
            }
            other => panic!("risk tool {other}"),
        }
    }
    for (force, dara) in &first_dara {
        assert!(
            last_dash.get(force).is_none_or(|dash| dash < dara),
            "{force} used DASH after DARA"
        );
    }
    assert!(!last_dash.is_empty() && !first_dara.is_empty());

    // Specialist reviews exist only from the pilot start.
    let pilot_start = local_millis(NaiveDate::from_ymd_opt(2025, 2, 21).unwrap());
    let reviewed: Vec<i64> = reviews.iter().flatten().copied().collect();
    assert!(reviewed.len() > 50);
    assert!(reviewed.iter().all(|at| *at >= pilot_start));

    // Incidents happen in the force's own postcode areas.
    let areas: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("west_midlands", &["B", "CV", "WS", "WV", "DY"][..]),
        ("northumbria", &["NE", "SR"][..]),
        ("northamptonshire", &["NN"][..]),
        ("bedfordshire", &["LU", "MK"][..]),
        ("humberside", &["HU", "DN"][..]),
    ]);
    for (force, postcode) in forces.iter().zip(&postcodes) {
        let (Some(force), Some(postcode)) = (force.as_deref(), postcode.as_deref()) else {
            continue;
        };
        let area: String = postcode.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        assert!(areas[force].contains(&area.as_str()), "{force}: {postcode}");
    }
}

#[test]
fn national_simulates_all_43_forces_and_they_ingest() {
    let world = World::simulate(&[
        "--forces",
        "national",
        "--people",
        "20000",
        "--weeks",
        "4",
        "--no-scenarios",
    ]);
    let summary = world.summary();
    assert_eq!(summary["forces"].as_array().unwrap().len(), 43);
    assert_eq!(summary["scenarios"], 0);
    let ingested = world.ingested();
    let planted = world.truth("faults.csv");
    let forces_with_faults: BTreeSet<&str> = planted.iter().map(|f| f["force"].as_str()).collect();
    assert!(forces_with_faults.len() >= 40, "{forces_with_faults:?}");
    let key = |r: &BTreeMap<String, String>| (r["file"].clone(), r["line"].clone());
    let quarantined: BTreeSet<_> = ingested.csv("quarantine.csv").iter().map(key).collect();
    assert_eq!(quarantined, planted.iter().map(key).collect::<BTreeSet<_>>());
}

#[test]
fn it_refuses_a_folder_it_did_not_write() {
    let dir = crate::scratch::ScratchDir::new();
    fs::write(dir.path().join("notes.txt"), "keep me").unwrap();
    let output = vigil().args(["simulate", "--out"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("choose an empty or new folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "keep me");
}

#[test]
fn a_rerun_replaces_a_previous_simulation_and_keeps_other_files() {
    let world = World::simulate(&["--people", "600", "--weeks", "6"]);
    fs::write(world.data().join("README.md"), "about this data").unwrap();
    let output = vigil()
        .args([
            "simulate",
            "--people",
            "600",
            "--weeks",
            "6",
            "--forces",
            "northumbria",
            "--out",
        ])
        .arg(world.data())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(world.data().join("README.md").exists());
    assert!(world.data().join("northumbria").exists());
    assert!(
        !world.data().join("west_midlands").exists(),
        "stale exports are removed"
    );
}

#[test]
fn the_fixtures_configuration_is_the_simulators_dialect_template() {
    let fixture = fs::read_to_string(fixtures().join("vigil.toml")).unwrap();
    assert_eq!(fixture, vigil::simulate::dialect::TEMPLATE, "update one from the other");
}

#[test]
fn one_dialect_writes_null_for_what_was_not_recorded_and_it_reads_as_missing() {
    let world = World::simulate(&["--seed", "5", "--people", "400", "--weeks", "12"]);
    let log = fs::read_to_string(world.data().join("humberside/incident_log.tsv")).unwrap();
    let header: Vec<&str> = log.lines().next().unwrap().split('\t').collect();
    let arrived = header.iter().position(|h| *h == "Arrived").unwrap();
    let null_arrivals = log
        .lines()
        .skip(1)
        .filter(|l| l.split('\t').nth(arrived) == Some("NULL"))
        .count();
    assert!(
        null_arrivals > 0,
        "the simulator writes NULL for a call nobody attended"
    );
    let ingested = world.ingested();
    let quality = ingested.csv("data_quality.csv");
    let row = quality
        .iter()
        .find(|r| r["force"] == "humberside" && r["table"] == "incidents" && r["field"] == "arrived_at")
        .unwrap();
    // A combined log repeats an incident on each of its calls; the canonical table holds it once.
    let missing: usize = row["missing"].parse().unwrap();
    assert!(missing > 0 && missing <= null_arrivals, "{row:?}");
    assert!(
        ingested
            .csv("quarantine.csv")
            .iter()
            .all(|q| !q["reason"].contains("does not match")),
        "no NULL is read as a bad time"
    );
}
