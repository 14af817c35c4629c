//! Rules and figures that know what a force does not record: a force whose
//! exports map no risk-assessment field raises no risk flags (each would be
//! about a field it does not export), the run says which rules were not
//! assessable and why, and its risk figures read "not recorded", never 0 %.

use std::fs;
use std::path::Path;

use crate::scratch::ScratchDir;
use crate::support::{csv_file, run_pipeline, stderr, vigil, Row};

const RISK_RULES: [&str; 3] = ["NO_RISK_ASSESSMENT", "HIGH_RISK", "HIGH_RISK_NO_REFERRAL"];

/// West Midlands' risk columns, as the simulator's configuration maps them.
const WEST_MIDLANDS_RISK: [&str; 4] = [
    "risk_assessed_at = \"RiskTime\"\n",
    "risk_level = \"RiskLevel\"\n",
    "risk_score = \"DASHScore\"\n",
    "risk_tool = \"RiskTool\"\n",
];

fn simulate(dir: &Path) {
    let simulated = vigil()
        .args(["simulate", "--seed", "11", "--people", "400", "--weeks", "20", "--out"])
        .arg(dir)
        .output()
        .expect("vigil runs");
    assert!(simulated.status.success(), "{}", stderr(&simulated));
}

/// Flags of the risk rules per force.
fn risk_flags(out: &Path, force: &str) -> usize {
    csv_file(&out.join("detect/flags.csv"))
        .iter()
        .filter(|f| RISK_RULES.contains(&f["rule"].as_str()) && f["forces"] == force)
        .count()
}

fn row_of<'a>(rows: &'a [Row], force: &str, key: &str, value: &str) -> &'a Row {
    rows.iter()
        .find(|r| r["force"] == force && r[key] == value)
        .unwrap_or_else(|| panic!("no row for {force} {key}={value}"))
}

#[test]
fn a_force_without_risk_fields_raises_no_risk_flags_and_its_risk_figures_are_not_recorded() {
    let scratch = ScratchDir::new();
    let data = scratch.path().join("data");
    simulate(&data);
    let config = data.join("vigil.toml");
    let mapped = scratch.path().join("mapped");
    run_pipeline(&config, &mapped);
    assert!(
        risk_flags(&mapped, "west_midlands") > 0,
        "the world raises risk flags there when mapped"
    );

    let text = fs::read_to_string(&config).unwrap();
    let unmapped_text = WEST_MIDLANDS_RISK.iter().fold(text.clone(), |t, line| {
        assert!(t.contains(line), "{line}");
        t.replacen(line, "", 1)
    });
    fs::write(&config, unmapped_text).unwrap();
    let unmapped = scratch.path().join("unmapped");
    let printed = run_pipeline(&config, &unmapped);

    assert_eq!(risk_flags(&unmapped, "west_midlands"), 0);
    for other in ["northumbria", "northamptonshire"] {
        assert_eq!(
            risk_flags(&unmapped, other),
            risk_flags(&mapped, other),
            "{other} is unchanged"
        );
    }
    let warning = printed
        .lines()
        .find(|l| l.starts_with("warning: west_midlands: not assessable"))
        .unwrap_or_else(|| panic!("no warning in:\n{printed}"));
    for rule in RISK_RULES {
        assert!(warning.contains(rule), "{warning}");
    }
    assert!(warning.contains("risk_level or risk_score"), "{warning}");
    assert!(
        printed
            .lines()
            .filter(|l| l.starts_with("warning: northumbria:"))
            .all(|l| !l.contains("NO_RISK_ASSESSMENT")),
        "northumbria maps its risk fields:\n{printed}"
    );

    let quality = csv_file(&unmapped.join("data_quality.csv"));
    let assessed = quality
        .iter()
        .find(|r| r["force"] == "west_midlands" && r["field"] == "risk_assessed_at")
        .unwrap();
    assert_eq!(assessed["mapped"], "false");
    assert!(
        assessed["rules_not_assessable"].contains("NO_RISK_ASSESSMENT"),
        "{assessed:?}"
    );

    let week = csv_file(&first_weekly_kpis(&unmapped, "west_midlands"));
    assert!(
        week.iter().all(|r| r["risk_assessed_pct"] == "not recorded"),
        "{week:?}"
    );
    assert!(week.iter().all(|r| r["within_target_pct"] != "not recorded"));
    let comparison = csv_file(&unmapped.join("evaluation/comparison.csv"));
    let risk = row_of(&comparison, "west_midlands", "measure", "risk_assessed");
    assert_eq!(
        (risk["baseline"].as_str(), risk["pilot"].as_str()),
        ("not recorded", "not recorded")
    );
    assert_eq!(risk["ci_low"], "not recorded");
    let elsewhere = row_of(&comparison, "northumbria", "measure", "risk_assessed");
    assert_ne!(elsewhere["pilot"], "not recorded");
    let by_week = csv_file(&unmapped.join("evaluation/kpis_by_force_week.csv"));
    assert!(by_week
        .iter()
        .filter(|r| r["force"] == "west_midlands")
        .all(|r| r["risk_assessed_pct"] == "not recorded"));
}

fn first_weekly_kpis(out: &Path, force: &str) -> std::path::PathBuf {
    let weeks = out.join("weekly").join(force);
    let week = fs::read_dir(&weeks).unwrap().next().unwrap().unwrap().path();
    week.join("kpis.csv")
}
