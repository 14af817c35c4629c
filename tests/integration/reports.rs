//! The packs of `vigil run` on the bundled sample: every force's weekly pack
//! and the evaluation pack, complete, linked, deterministic, and (the
//! evaluation pack) free of personal data and of counts from 1 to 4; the
//! key requirement; `vigil weekly`, `vigil case` and `vigil query`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use polars::prelude::*;

use crate::support::{csv_file, run_pipeline, stderr, stdout, vigil};

const FORCES: [&str; 5] = [
    "west_midlands",
    "northumbria",
    "northamptonshire",
    "bedfordshire",
    "humberside",
];

pub fn sample_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/vigil.toml")
}

/// One `vigil run` on the sample, shared by the tests that only read it.
pub fn sample_run() -> &'static Path {
    static RUN: OnceLock<(crate::scratch::ScratchDir, PathBuf)> = OnceLock::new();
    let (_, out) = RUN.get_or_init(|| {
        let dir = crate::scratch::ScratchDir::new();
        let out = dir.path().join("out");
        run_pipeline(&sample_config(), &out);
        (dir, out)
    });
    out
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// The `src` and `href` targets of a page.
fn page_targets(html: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for piece in html.split(attribute).skip(1) {
            targets.push(piece.split('"').next().unwrap_or_default().to_string());
        }
    }
    targets
}

#[test]
fn the_sample_run_writes_a_complete_weekly_pack_per_force_and_the_evaluation_pack() {
    let out = sample_run();
    let mut pages = Vec::new();
    for force in FORCES {
        let weeks: Vec<PathBuf> = fs::read_dir(out.join("weekly").join(force))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(weeks.len(), 1, "{force}: one pack, the latest complete week");
        assert!(weeks[0].ends_with("2025-W18"), "{:?}", weeks[0]);
        pages.push(weeks[0].join("index.html"));
        let kpis = fs::read_to_string(weeks[0].join("kpis.csv")).unwrap();
        assert_eq!(kpis.lines().count(), 14, "header, the week and the 12 before");
    }
    pages.push(out.join("evaluation/index.html"));
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        let folder = page.parent().unwrap();
        let targets = page_targets(&html);
        assert!(
            targets.iter().filter(|t| t.ends_with(".svg")).count() >= 3,
            "{}: charts",
            page.display()
        );
        for target in targets {
            assert!(!target.contains("://"), "{}: no network: {target}", page.display());
            assert!(
                folder.join(&target).is_file(),
                "{}: {target} is missing",
                page.display()
            );
        }
        let manifest: serde_json::Value =
            serde_json::from_slice(&fs::read(folder.join("manifest.json")).unwrap()).unwrap();
        let listed = manifest["files"].as_object().unwrap();
        for file in files_under(folder) {
            let name = file.strip_prefix(folder).unwrap().to_string_lossy().to_string();
            if name != "manifest.json" {
                let digest = vigil::hashing::sha256_hex(&fs::read(&file).unwrap());
                assert_eq!(listed[&name], serde_json::json!(digest), "{}: {name}", page.display());
            }
        }
        assert_eq!(manifest["reconciled"], serde_json::json!(true));
    }
}

#[test]
fn charts_are_drawn_with_the_embedded_font() {
    let pack = sample_run().join("weekly/west_midlands/2025-W18");
    let svg = fs::read_to_string(pack.join("flags_by_rule.svg")).unwrap();
    assert!(
        svg.contains("<text") && svg.contains("NIGHT_CLUSTER"),
        "labels are text"
    );
    let png = fs::read(pack.join("flags_by_rule.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        png.len() > 10_000,
        "a drawn chart, not a blank one ({} bytes)",
        png.len()
    );
}

/// Every value of a personal or free-text field in the sample's canonical tables.
fn personal_values(out: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let read = |table: &str| {
        ParquetReader::new(fs::File::open(out.join("canonical").join(table)).unwrap())
            .finish()
            .unwrap()
    };
    let mut exact = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut take = |frame: &DataFrame, columns: &[&str], into_names: bool| {
        for column in columns {
            let values = frame.column(column).unwrap().cast(&DataType::String).unwrap();
            for value in values.str().unwrap().iter().flatten() {
                let value = value.trim();
                if into_names {
                    names.extend(value.split_whitespace().filter(|t| t.len() >= 2).map(str::to_string));
                } else if value.len() >= 5 {
                    exact.insert(value.to_string());
                }
            }
        }
    };
    let mentions = read("mentions.parquet");
    // Names of people; an organisation's ("City of ... Council") is not personal data.
    let words = vigil::persons::OrganisationWords::default();
    let name = |column: &str| mentions.column(column).unwrap().str().unwrap().clone();
    let (forenames, surnames) = (name("forename"), name("surname"));
    let people = forenames
        .iter()
        .zip(surnames.iter())
        .map(|(forename, surname)| !words.names_one(&[forename, surname]))
        .collect();
    let people = mentions.filter(&people).unwrap();
    take(&people, &["forename", "surname", "forename_norm", "surname_norm"], true);
    take(
        &mentions,
        &[
            "dob",
            "phone_raw",
            "phone",
            "address",
            "postcode_raw",
            "postcode",
            "person_ref",
        ],
        false,
    );
    let incidents = read("incidents.parquet");
    take(
        &incidents,
        &["incident_ref", "postcode_raw", "postcode", "narrative"],
        false,
    );
    let calls = read("calls.parquet");
    take(&calls, &["call_id", "caller_number_raw", "caller_number"], false);
    let persons = fs::read_to_string(out.join("linked/persons.csv")).unwrap();
    exact.extend(
        persons
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next())
            .map(str::to_string),
    );
    (exact, names)
}

#[test]
fn the_evaluation_pack_holds_no_personal_data_and_no_count_from_1_to_4() {
    let pack = sample_run().join("evaluation");
    let scanned = assert_names_nobody(&pack);
    assert!(scanned >= 13, "CSV, JSON, SVG and HTML files scanned: {scanned}");
    for file in files_under(&pack) {
        let extension = file.extension().unwrap_or_default().to_string_lossy().to_string();
        if extension == "csv" {
            let mut reader = csv::Reader::from_path(&file).unwrap();
            // The panel's design columns are positions in time, not counts.
            let header = reader.headers().unwrap().clone();
            let counted = |c: usize| !matches!(&header[c], "weeks_since_start" | "post");
            for record in reader.records() {
                for (_, cell) in record.unwrap().iter().enumerate().filter(|(c, _)| counted(*c)) {
                    if let Ok(n) = cell.parse::<i64>() {
                        assert!(n == 0 || n >= 5, "{}: the count {n}", file.display());
                    }
                }
            }
        }
        if extension == "json" {
            let text = fs::read_to_string(&file).unwrap();
            let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_no_small_count(&manifest, &file);
        }
    }
}

/// Checks that no text file under `dir` holds an input value (name, date of
/// birth, phone, address, reference...) or a name; how many it scanned.
fn assert_names_nobody(dir: &Path) -> usize {
    let (exact, names) = personal_values(sample_run());
    assert!(
        exact.len() > 10_000 && names.len() > 100,
        "the scan has values to look for"
    );
    // vigil's own codes may equal a name written in capitals (CROSS_FORCE and a surname Cross).
    let vocabulary: BTreeSet<&str> = vigil::detect::Rule::ALL
        .iter()
        .flat_map(|rule| rule.code().split('_'))
        .collect();
    let mut scanned = 0;
    for file in files_under(dir) {
        // Images; and the panel's Parquet, which holds panel.csv's cells (evaluation_groups.rs).
        if file.extension().is_some_and(|e| e == "png" || e == "parquet") {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        scanned += 1;
        for value in &exact {
            assert!(
                !text.contains(value.as_str()),
                "{}: holds an input value",
                file.display()
            );
        }
        for token in text.split(|c: char| !c.is_alphanumeric()) {
            let ours = vocabulary.contains(token);
            assert!(
                ours || !names.contains(token),
                "{}: holds a name ({} letters)",
                file.display(),
                token.len()
            );
        }
    }
    scanned
}

#[test]
fn row_level_flags_leave_the_evaluation_pack_and_come_only_with_microdata() {
    let out = sample_run();
    assert!(!out.join("evaluation/flags_pseudonymised.csv").exists());
    assert!(!out.join("evaluation_microdata").exists(), "not without --microdata");
    let dir = crate::scratch::ScratchDir::new();
    let copy = dir.path().join("out");
    copy_tree(out, &copy);
    let output = on_sample_run(&copy, &["evaluate", "--microdata"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("data-sharing agreement"));
    let microdata = copy.join("evaluation_microdata");
    let readme = fs::read_to_string(microdata.join("README.txt")).unwrap();
    assert!(readme.contains("data-sharing agreement") && readme.contains("personal data"));
    let rows = csv_file(&microdata.join("flags_pseudonymised.csv"));
    let flags =
        csv_file(&out.join("detect/flags.csv")).len() + csv_file(&out.join("detect/missed_opportunities.csv")).len();
    assert!(
        rows.len() > flags / 2 && rows.len() <= flags,
        "{} of {flags}",
        rows.len()
    );
    assert!(
        rows.iter()
            .all(|r| r["subject"].starts_with('H') && r["subject"].len() == 17),
        "keyed pseudonyms, not vigil's ids"
    );
    assert!(microdata.join("manifest.json").is_file());
    assert_names_nobody(&microdata);
    let page = fs::read_to_string(copy.join("evaluation/index.html")).unwrap();
    assert!(!page.contains("flags_pseudonymised"), "the pack does not link it");
}

fn assert_no_small_count(value: &serde_json::Value, file: &Path) {
    match value {
        serde_json::Value::Number(n) => {
            if let Some(n) = n.as_u64() {
                assert!(n == 0 || n >= 5, "{}: the count {n}", file.display());
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| assert_no_small_count(v, file)),
        serde_json::Value::Object(map) => map.values().for_each(|v| assert_no_small_count(v, file)),
        _ => {}
    }
}

/// Every file of a folder, the manifests without their timings.
fn pack_contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|file| {
            let mut bytes = fs::read(&file).unwrap();
            if file.file_name().is_some_and(|n| n == "manifest.json") {
                let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                manifest.as_object_mut().unwrap().remove("timings_seconds");
                bytes = manifest.to_string().into_bytes();
            }
            (file.strip_prefix(dir).unwrap().to_string_lossy().to_string(), bytes)
        })
        .collect()
}

#[test]
fn the_same_run_twice_writes_the_same_packs() {
    let first = sample_run();
    let again = crate::scratch::ScratchDir::new();
    run_pipeline(&sample_config(), &again.path().join("out"));
    for pack in ["weekly", "evaluation"] {
        let (a, b) = (
            pack_contents(&first.join(pack)),
            pack_contents(&again.path().join("out").join(pack)),
        );
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (name, bytes) in &a {
            assert!(bytes == &b[name], "{pack}/{name} differs between runs");
        }
    }
}

#[test]
fn without_a_key_the_evaluation_pack_is_refused_and_the_rest_written() {
    let dir = crate::scratch::ScratchDir::new();
    let out = dir.path().join("out");
    let output = vigil()
        .env_remove("VIGIL_PSEUDONYM_KEY")
        .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
        .arg("run")
        .arg("--config")
        .arg(sample_config())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("VIGIL_PSEUDONYM_KEY") && message.contains("vigil keygen"),
        "{message}"
    );
    assert!(
        stdout(&output).contains("weekly pack west_midlands"),
        "the rest is reported"
    );
    assert!(out.join("weekly/humberside/2025-W18/index.html").is_file());
    assert!(!out.join("evaluation").exists(), "no evaluation pack without a key");
}

#[test]
fn a_week_and_force_can_be_chosen_and_bad_ones_are_explained() {
    let dir = crate::scratch::ScratchDir::new();
    let out = dir.path().join("out");
    copy_tree(sample_run(), &out);
    let weekly = |args: &[&str]| on_sample_run(&out, &[&["weekly"], args].concat());
    let output = weekly(&["--force", "northumbria", "--week", "2025-W10"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pack = out.join("weekly/northumbria/2025-W10");
    let kpis = fs::read_to_string(pack.join("kpis.csv")).unwrap();
    assert!(kpis.lines().nth(1).unwrap().contains("2024-W50") && kpis.lines().last().unwrap().contains("2025-W10"));
    let flags = fs::read_to_string(pack.join("flags.csv")).unwrap();
    assert!(flags.lines().count() > 1);
    assert!(
        flags.lines().skip(1).all(|l| l.contains("northumbria")),
        "only the force's flags"
    );

    let unknown = weekly(&["--force", "kent"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("known forces: west_midlands"),
        "{}",
        stderr(&unknown)
    );
    let late = weekly(&["--force", "humberside", "--week", "2026-W47"]);
    assert_eq!(late.status.code(), Some(2));
    assert!(stderr(&late).contains("after the end of the data"), "{}", stderr(&late));
}

#[test]
fn a_week_the_data_covers_in_part_is_marked_partial_and_left_out_of_the_trend_charts() {
    let by_week = csv_file(&sample_run().join("evaluation/kpis_by_force_week.csv"));
    let week = |force: &str, week: &str| {
        by_week
            .iter()
            .find(|r| r["force"] == force && r["week"] == week)
            .cloned()
            .unwrap_or_else(|| panic!("{force} {week}"))
    };
    // The sample's data ends early in 2025-W19.
    let last = week("northumbria", "2025-W19");
    assert_eq!(last["partial_week"], "true", "{last:?}");
    assert_ne!(last["days_with_data"], "7/7", "{last:?}");
    let whole = week("northumbria", "2025-W18");
    assert_eq!(
        (&whole["partial_week"][..], &whole["days_with_data"][..]),
        ("false", "7/7")
    );

    let dir = crate::scratch::ScratchDir::new();
    let out = dir.path().join("out");
    copy_tree(sample_run(), &out);
    for (chosen, partial) in [("2025-W19", true), ("2025-W18", false)] {
        let output = on_sample_run(&out, &["weekly", "--force", "northumbria", "--week", chosen]);
        assert!(output.status.success(), "{}", stderr(&output));
        let pack = out.join("weekly/northumbria").join(chosen);
        let page = fs::read_to_string(pack.join("index.html")).unwrap();
        assert_eq!(page.contains("PARTIAL WEEK"), partial, "{chosen}");
        let kpis = csv_file(&pack.join("kpis.csv"));
        assert_eq!(kpis.last().unwrap()["partial_week"], partial.to_string(), "{chosen}");
    }
}

/// `vigil ARGS --config SAMPLE --out OUT`, run to its end.
fn on_sample_run(out: &Path, args: &[&str]) -> std::process::Output {
    vigil()
        .args(args)
        .arg("--config")
        .arg(sample_config())
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

pub fn copy_tree(from: &Path, to: &Path) {
    for file in files_under(from) {
        let target = to.join(file.strip_prefix(from).unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(&file, &target).unwrap();
    }
}

#[test]
fn a_case_shows_the_persons_contacts_and_flags() {
    let dir = crate::scratch::ScratchDir::new();
    let out = dir.path().join("out");
    copy_tree(sample_run(), &out);
    let raneem = "Pb3ed3a37f029";
    let output = on_sample_run(&out, &["case", raneem]);
    assert!(output.status.success(), "{}", stderr(&output));
    let case = out.join("cases").join(raneem);
    let history = fs::read_to_string(case.join("history.csv")).unwrap();
    let rows: Vec<&str> = history.lines().skip(1).collect();
    assert!(rows.len() >= 13, "every incident naming her: {}", rows.len());
    assert!(rows.iter().all(|r| r.contains("VICTIM")));
    assert!(rows.iter().any(|r| r.contains("NOT_ATTENDED")) && history.contains("NIGHT_CLUSTER"));
    let svg = fs::read_to_string(case.join("timeline.svg")).unwrap();
    assert!(svg.contains("NIGHT_CLUSTER") && svg.contains("not attended"));
    assert!(case.join("timeline.png").is_file());

    let unknown = vigil()
        .args(["case", "Pnobody", "--config"])
        .arg(sample_config())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}

/// Every time column of every CSV of a run has its wall-clock twin beside it,
/// holding the same instant as Excel reads a date and time.
#[test]
fn every_time_column_has_a_wall_clock_twin_that_agrees_with_it() {
    let mut twins = 0;
    for path in files_under(sample_run())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
    {
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let header = reader.headers().unwrap().clone();
        for name in vigil::wall_clock::TIME_COLUMNS {
            if let Some(at) = header.iter().position(|h| h == name) {
                let twin = format!("{name}_local");
                assert_eq!(header.get(at + 1), Some(twin.as_str()), "{}: {name}", path.display());
            }
        }
        let pairs: Vec<usize> = (1..header.len()).filter(|&i| header[i].ends_with("_local")).collect();
        for record in reader.records() {
            let record = record.unwrap();
            for &i in &pairs {
                let (exact, local) = (&record[i - 1], &record[i]);
                assert_eq!(
                    exact.is_empty(),
                    local.is_empty(),
                    "{}: {exact} / {local}",
                    path.display()
                );
                if exact.is_empty() {
                    continue;
                }
                let instant = chrono::DateTime::parse_from_rfc3339(exact).unwrap();
                let expected = if exact.ends_with('Z') {
                    instant.with_timezone(&chrono_tz::Europe::London).naive_local()
                } else {
                    instant.naive_local()
                };
                assert_eq!(
                    local,
                    expected.format("%Y-%m-%d %H:%M:%S").to_string(),
                    "{}",
                    path.display()
                );
                twins += 1;
            }
        }
    }
    assert!(twins > 10_000, "only {twins} wall-clock cells");
}
