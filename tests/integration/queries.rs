//! The SQL of `queries/` run by `vigil query` on the sample run: each result
//! against its snapshot (`tests/snapshots/queries/`, rewritten with
//! `VIGIL_UPDATE_SNAPSHOTS=1`), and against figures counted independently
//! from the canonical and detect tables; the evaluation's proportions against
//! the query's counts.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::reports::{sample_config, sample_run};
use crate::support::{csv_text, stderr, stdout, vigil, Row};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn query(file: &Path) -> String {
    let output = vigil()
        .arg("query")
        .arg(file)
        .arg("--dir")
        .arg(sample_run())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}: {}", file.display(), stderr(&output));
    stdout(&output)
}

fn sum(rows: &[Row], column: &str, force: Option<&str>) -> u64 {
    rows.iter()
        .filter(|r| force.is_none_or(|f| r["force"] == f))
        .map(|r| r[column].parse::<u64>().unwrap_or(0))
        .sum()
}

#[test]
fn every_shipped_query_matches_its_snapshot() {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    assert!(files.len() >= 4);
    let update = std::env::var_os("VIGIL_UPDATE_SNAPSHOTS").is_some();
    for file in files {
        let result = query(&file);
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let snapshot = root().join("tests/snapshots/queries").join(format!("{stem}.csv"));
        if update {
            fs::write(&snapshot, &result).unwrap();
        }
        let expected = fs::read_to_string(&snapshot).unwrap_or_else(|_| panic!("{}: no snapshot", snapshot.display()));
        assert!(
            result == expected,
            "{stem}: the result differs from {}",
            snapshot.display()
        );
    }
}

#[test]
fn weekly_kpis_count_what_the_tables_hold() {
    let kpis = csv_text(&query(&root().join("queries/weekly_kpis.sql")));
    let incidents = ParquetReader::new(fs::File::open(sample_run().join("canonical/incidents.parquet")).unwrap())
        .finish()
        .unwrap();
    let force = incidents.column("force").unwrap().str().unwrap();
    let domestic = incidents.column("domestic").unwrap().bool().unwrap();
    let mut expected: BTreeMap<&str, u64> = BTreeMap::new();
    for (force, domestic) in force.iter().zip(domestic.iter()) {
        if domestic == Some(true) {
            *expected.entry(force.unwrap()).or_default() += 1;
        }
    }
    for (force, count) in &expected {
        assert_eq!(sum(&kpis, "da_incidents", Some(force)), *count, "{force}");
        let channels: u64 = ["via_999", "via_101", "via_online", "via_other"]
            .iter()
            .map(|c| sum(&kpis, c, Some(force)))
            .sum();
        assert_eq!(channels, *count, "{force}: every incident has one first channel");
    }
    let by_grade = csv_text(&query(&root().join("queries/response_by_grade.sql")));
    assert_eq!(sum(&by_grade, "within_target", None), sum(&kpis, "within_target", None));
    let flags = csv_text(&query(&root().join("queries/flags_by_rule.sql")));
    let written = fs::read_to_string(sample_run().join("detect/flags.csv")).unwrap();
    let flag_rows = csv::Reader::from_reader(written.as_bytes()).records().count() as u64;
    assert_eq!(
        flags.iter().map(|r| r["flags"].parse::<u64>().unwrap()).sum::<u64>(),
        flag_rows
    );
    let repeat = csv_text(&query(&root().join("queries/repeat_victims.sql")));
    assert!(repeat
        .iter()
        .any(|r| r["victim_id"] == "Pb3ed3a37f029" && r["da_incidents"] == "13"));
}

#[test]
fn the_evaluations_proportions_are_the_querys_counts() {
    let config = vigil::config::Config::load(&sample_config()).unwrap();
    let detected = vigil::detect::detect(&config, sample_run()).unwrap();
    let copy = crate::scratch::ScratchDir::new();
    for dir in ["canonical", "linked", "detect"] {
        crate::reports::copy_tree(&sample_run().join(dir), &copy.path().join(dir));
    }
    let data = vigil::report::ReportData::build(&config, copy.path(), &detected).unwrap();
    for measure in vigil::report::MEASURES {
        let (numerator, denominator) = measure.tally(data.facts.iter());
        let summed = |column: &str| data.weekly.iter().map(|w| w.count(column)).sum::<u64>();
        assert_eq!(numerator, summed(measure.numerator_column), "{}", measure.name);
        assert_eq!(denominator, summed(measure.denominator_column), "{}", measure.name);
        assert!(denominator > 0, "{} has cases on the sample", measure.name);
    }
}

#[test]
fn a_bad_query_names_its_file_and_the_problem() {
    let dir = crate::scratch::ScratchDir::new();
    let file = dir.path().join("broken.sql");
    fs::write(&file, "SELECT no_such_column FROM incidents").unwrap();
    let output = vigil()
        .arg("query")
        .arg(&file)
        .arg("--dir")
        .arg(sample_run())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("broken.sql") && message.contains("no_such_column"),
        "{message}"
    );
    let empty = vigil()
        .arg("query")
        .arg(&file)
        .arg("--dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("none of vigil's tables"));
}

/// A measure with a deadline counts an incident only once the data reaches
/// its deadline: a high-risk incident in the data's last 7 days is in no
/// referral rate (it would read as a failure, or an early success), one
/// a fortnight before the end is.
#[test]
fn an_incident_whose_deadline_is_after_the_data_end_is_in_no_denominator() {
    let facts = crate::support::read_parquet(&sample_run().join("facts/incident_facts.parquet"));
    let text = |name: &str| crate::support::strings(&facts, name);
    let (forces, dates, high_risk, referred, reviewed, expected) = (
        text("force"),
        text("date"),
        text("high_risk"),
        text("marac_referred"),
        text("reviewed"),
        text("review_expected"),
    );
    let mut last: BTreeMap<&str, &str> = BTreeMap::new();
    for (force, date) in forces.iter().zip(&dates) {
        let (force, date) = (force.as_deref().unwrap(), date.as_deref().unwrap());
        let latest = last.entry(force).or_insert(date);
        *latest = (*latest).max(date);
    }
    let days_before_end = |n: usize| {
        let force = forces[n].as_deref().unwrap();
        let end = chrono::NaiveDate::parse_from_str(last[force], "%Y-%m-%d").unwrap();
        let date = chrono::NaiveDate::parse_from_str(dates[n].as_deref().unwrap(), "%Y-%m-%d").unwrap();
        (end - date).num_days()
    };
    let (mut pending, mut due) = (0, 0);
    for n in 0..dates.len() {
        if high_risk[n].as_deref() == Some("true") {
            match days_before_end(n) {
                0..=5 => assert!(referred[n].is_none(), "row {n}: referral not yet due"),
                14.. => assert!(referred[n].is_some(), "row {n}: referral due"),
                _ => {}
            }
            pending += usize::from(referred[n].is_none());
            due += usize::from(referred[n].is_some());
        } else {
            assert!(referred[n].is_none(), "row {n}: not high risk, no referral measure");
        }
        if expected[n].as_deref() == Some("true") && days_before_end(n) >= 2 {
            assert!(reviewed[n].is_some(), "row {n}: review due");
        }
    }
    assert!(pending > 5 && due > 100, "pending {pending}, due {due}");
    let kpis = csv_text(&query(&root().join("queries/weekly_kpis.sql")));
    let last_week = kpis
        .iter()
        .find(|r| r["force"] == "west_midlands" && r["week"] == "2025-W18")
        .unwrap();
    assert!(last_week["high_risk"].parse::<u32>().unwrap() > 0);
    assert_eq!(
        last_week["referral_due"], "0",
        "no referral deadline of the last week has passed"
    );
    assert_eq!(last_week["high_risk_marac_referred"], "0");
}
