//! The weekly review pack as an analyst reads it, on the bundled sample:
//! every list names the people on it (name, date of birth, the force's own
//! references, their latest contact with the force), the week's flags come
//! in order of risk, the KPIs say how much there was to decide, and last
//! week's decisions come back as carried over, closed and unmatched.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use crate::reports::{sample_config, sample_run};
use crate::support::{csv_file, run_pipeline, stderr, vigil};

const FORCE: &str = "west_midlands";
const WEEK: &str = "2025-W18";

fn severity_rank(severity: &str) -> u8 {
    ["HIGH", "MEDIUM", "LOW", "INFO"]
        .iter()
        .position(|s| *s == severity)
        .unwrap_or_else(|| panic!("severity {severity}")) as u8
}

#[test]
fn every_list_names_the_person_with_the_forces_own_references() {
    let out = sample_run();
    let persons: HashMap<String, BTreeMap<String, String>> = csv_file(&out.join("linked/persons.csv"))
        .into_iter()
        .map(|p| (p["person_id"].clone(), p))
        .collect();
    let pack = out.join("weekly").join(FORCE).join(WEEK);
    let mut checked = 0;
    for (file, id_column) in [
        ("priority_victims.csv", "person_id"),
        ("priority_perpetrators.csv", "person_id"),
        ("flags.csv", "subject_id"),
        ("missed_opportunities.csv", "subject_id"),
    ] {
        for row in csv_file(&pack.join(file)) {
            let id = row[id_column].split('+').next().unwrap();
            let Some(person) = persons.get(id) else { continue };
            let surname = person["surname"].to_uppercase();
            assert!(row["name"].contains(&surname), "{file}: {} for {surname}", row["name"]);
            assert_eq!(row["dob"], person["dob"], "{file}");
            let refs: Vec<String> = person["person_refs"]
                .split(';')
                .filter_map(|r| r.strip_prefix(&format!("{FORCE}:")).map(str::to_string))
                .collect();
            let shown: Vec<&str> = row["person_refs"].split('|').filter(|r| !r.is_empty()).collect();
            assert_eq!(shown, refs, "{file}: only the force's own references, all of them");
            if !row["force_last_incident_ref"].is_empty() {
                assert!(row["force_last_contact"].starts_with("202"), "{file}");
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "named rows checked: {checked}");
}

#[test]
fn every_tier_1_and_2_person_has_a_case_timeline_linked_from_the_page() {
    let pack = sample_run().join("weekly").join(FORCE).join(WEEK);
    let page = std::fs::read_to_string(pack.join("index.html")).unwrap();
    let mut cases = 0;
    for file in ["priority_victims.csv", "priority_perpetrators.csv"] {
        for row in csv_file(&pack.join(file)).iter().filter(|r| r["tier"] != "3") {
            let folder = pack.join("cases").join(&row["person_id"]);
            assert!(
                folder.join("timeline.svg").exists() && folder.join("history.csv").exists(),
                "{folder:?}"
            );
            assert!(!folder.join("timeline.png").exists(), "SVG only in a pack");
            assert!(page.contains(&format!("href=\"cases/{}/timeline.svg\"", row["person_id"])));
            cases += 1;
        }
    }
    assert!(cases > 0);
    let folders = std::fs::read_dir(pack.join("cases")).unwrap().count();
    assert!(folders <= cases, "only tier 1 and 2 persons get a case");
}

#[test]
fn the_weeks_flags_come_in_order_of_risk_and_the_kpis_count_what_needs_a_decision() {
    let pack = sample_run().join("weekly").join(FORCE).join(WEEK);
    let mut tier: HashMap<String, u8> = HashMap::new();
    for file in ["priority_victims.csv", "priority_perpetrators.csv"] {
        for row in csv_file(&pack.join(file)) {
            tier.insert(row["person_id"].clone(), row["tier"].parse().unwrap());
        }
    }
    let flags = csv_file(&pack.join("flags.csv"));
    assert!(flags.len() > 20);
    let keys: Vec<(u8, u8, Reverse<String>)> = flags
        .iter()
        .map(|f| {
            let subject_tier = match f["subject_type"].as_str() {
                "VICTIM" | "PERPETRATOR" => tier.get(&f["subject_id"]).copied().unwrap_or(u8::MAX),
                _ => u8::MAX,
            };
            (
                subject_tier,
                severity_rank(&f["severity"]),
                Reverse(f["detected_at"].clone()),
            )
        })
        .collect();
    assert!(
        keys.windows(2).all(|pair| pair[0] <= pair[1]),
        "tier, then severity, then newest first"
    );
    assert!(keys[0].0 == 1, "the page opens on tier 1");

    let missed = csv_file(&pack.join("missed_opportunities.csv")).len();
    let high = flags
        .iter()
        .filter(|f| f["severity"] == "HIGH" && ["SIGNAL", "GAP"].contains(&f["family"].as_str()))
        .count();
    let kpis = csv_file(&pack.join("kpis.csv"));
    let week = kpis.iter().find(|k| k["week"] == WEEK).unwrap();
    assert_eq!(week["needing_decision"], (missed + high).to_string());
    assert_eq!(week["flags_detected"], (missed + flags.len()).to_string());
    let incidents: f64 = week["da_incidents"].parse().unwrap();
    let per_100: f64 = week["flags_per_100_da_incidents"].parse().unwrap();
    assert!((per_100 - 100.0 * (missed + flags.len()) as f64 / incidents).abs() < 0.05);
    let page = std::fs::read_to_string(pack.join("index.html")).unwrap();
    assert!(page.contains("need a decision this week"));
}

/// A priority list row's place: force, tier, the larger acute night,
/// severity (none last), the later day of the last contact, the higher score.
type RiskOrder = (String, u8, Reverse<u32>, u8, Reverse<String>, Reverse<i64>);

#[test]
fn the_priority_lists_are_in_order_of_tier_then_severity_then_recency_then_score() {
    let out = sample_run();
    let pack = out.join("weekly").join(FORCE).join(WEEK);
    let tenths = |text: &str| (text.parse::<f64>().unwrap() * 10.0).round() as i64;
    for list in [
        pack.join("priority_victims.csv"),
        pack.join("priority_perpetrators.csv"),
        out.join("detect/priority_victims.csv"),
        out.join("detect/priority_perpetrators.csv"),
    ] {
        let rows = csv_file(&list);
        assert!(rows.len() > 100, "{list:?}");
        // Within each force's list.
        let keys: Vec<RiskOrder> = rows
            .iter()
            .map(|r| {
                let severity = match r["severity"].as_str() {
                    "" => u8::MAX,
                    s => severity_rank(s),
                };
                (
                    r["force"].clone(),
                    r["tier"].parse().unwrap(),
                    Reverse(r["acute_night_incidents"].parse().unwrap()),
                    severity,
                    Reverse(r["last_contact_local"][..10].to_string()),
                    Reverse(tenths(&r["score"])),
                )
            })
            .collect();
        for (n, pair) in keys.windows(2).enumerate().filter(|(_, p)| p[0].0 == p[1].0) {
            assert!(pair[0] <= pair[1], "{list:?} rows {} and {}: {pair:?}", n + 1, n + 2);
        }
        let severities: std::collections::HashSet<u8> = keys.iter().map(|k| k.3).collect();
        assert!(
            severities.len() >= 3,
            "the order is tested across severities: {severities:?}"
        );
    }
}

/// `vigil weekly` for the sample's West Midlands in `week`, with a decisions file if given.
fn weekly(
    config: &std::path::Path,
    out: &std::path::Path,
    week: &str,
    decisions: Option<&std::path::Path>,
) -> std::process::Output {
    let mut command = vigil();
    command.arg("weekly").arg("--config").arg(config).arg("--out").arg(out);
    command.args(["--force", FORCE, "--week", week]);
    if let Some(file) = decisions {
        command.arg("--decisions").arg(file);
    }
    command.output().unwrap()
}

#[test]
fn decisions_come_back_the_next_week_as_carried_over_closed_and_unmatched() {
    let dir = crate::scratch::ScratchDir::new();
    let out = dir.path().join("out");
    let config = sample_config();
    run_pipeline(&config, &out);
    let first = weekly(&config, &out, "2025-W17", None);
    assert!(first.status.success(), "{}", stderr(&first));
    let w17 = out.join("weekly").join(FORCE).join("2025-W17");
    // An earlier week's lists are as they stood at its end: no later contact, flag or referral.
    for file in ["priority_victims.csv", "priority_perpetrators.csv"] {
        let rows = csv_file(&w17.join(file));
        assert!(!rows.is_empty());
        for row in rows {
            assert!(
                row["last_contact"].as_str() < "2025-04-28",
                "{file}: {}",
                row["last_contact"]
            );
            assert!(
                row["last_referral"].as_str() < "2025-04-28",
                "{file}: {}",
                row["last_referral"]
            );
        }
    }
    let template = csv_file(&w17.join("decisions_template.csv"));
    let new: Vec<String> = csv_file(&w17.join("review_new.csv"))
        .into_iter()
        .filter(|r| r["id"].starts_with('F') && r["status"] == "OPEN")
        .map(|r| r["id"].clone())
        .collect();
    assert!(new.len() >= 2 && template.len() >= new.len());
    assert!(
        new.iter().all(|id| template.iter().any(|t| &t["id"] == id)),
        "the template holds every open item"
    );
    let (closed, actioned) = (&new[0], &new[1]);

    // The analyst fills the template in: one closed, one actioned, one id that is no flag, the rest untouched.
    let mut filled = String::from("id,status,reason,owner,note,decided_on\n");
    for row in &template {
        let id = &row["id"];
        filled += &match id {
            id if id == closed => format!("{id},CLOSED,safeguarding in place,A. Analyst,,2025-04-29\n"),
            id if id == actioned => format!("{id},ACTIONED,,B. Supervisor,\"called back, no answer\",2025-04-28\n"),
            id => format!("{id},,,,,\n"),
        };
    }
    filled += "Fdeadbeefdeadbeef,CLOSED,duplicate,A. Analyst,,2025-04-30\n";
    let decisions = dir.path().join("decisions.csv");
    std::fs::write(&decisions, filled).unwrap();

    let second = weekly(&config, &out, WEEK, Some(&decisions));
    assert!(second.status.success(), "{}", stderr(&second));
    let w18 = out.join("weekly").join(FORCE).join(WEEK);
    let closed_rows = csv_file(&w18.join("review_closed.csv"));
    let row = closed_rows
        .iter()
        .find(|r| &r["id"] == closed)
        .expect("the closed item is listed as closed");
    assert_eq!(
        (row["reason"].as_str(), row["owner"].as_str()),
        ("safeguarding in place", "A. Analyst")
    );
    let carried = csv_file(&w18.join("review_carried.csv"));
    assert!(!carried.iter().any(|r| &r["id"] == closed), "closed is not carried");
    let row = carried
        .iter()
        .find(|r| &r["id"] == actioned)
        .expect("the actioned item is carried over");
    assert_eq!(
        (row["status"].as_str(), row["owner"].as_str()),
        ("ACTIONED", "B. Supervisor")
    );
    if let Some(undecided) = new.get(2) {
        assert!(
            carried.iter().any(|r| &r["id"] == undecided),
            "undecided items carry over"
        );
    }
    let unmatched = csv_file(&w18.join("decisions_unmatched.csv"));
    assert_eq!(unmatched.len(), 1);
    assert_eq!(unmatched[0]["id"], "Fdeadbeefdeadbeef");
    for row in csv_file(&w18.join("review_new.csv")) {
        assert!(
            row["detected_at"].as_str() >= "2025-04-28",
            "new this week: {}",
            row["detected_at"]
        );
    }

    std::fs::write(
        &decisions,
        "id,status,reason,owner,note,decided_on\nF1,FINISHED,,,,2025-04-29\n",
    )
    .unwrap();
    let refused = weekly(&config, &out, WEEK, Some(&decisions));
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("line 2, column status: `FINISHED` is not OPEN, ACTIONED or CLOSED"),
        "{}",
        stderr(&refused)
    );
}

/// `vigil simulate` of the sample's world into `dir`, exported at the end of
/// `day` if given; without planted faults, which would fall on other rows of
/// a longer export.
fn sample_world(dir: &std::path::Path, exported_on: Option<&str>) -> std::path::PathBuf {
    let mut command = vigil();
    command.args(["simulate", "--out"]).arg(dir);
    command.args(crate::simulate::SAMPLE_ARGS).args(["--faults", "0"]);
    if let Some(day) = exported_on {
        command.args(["--exported-on", day]);
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    dir.join("vigil.toml")
}

#[test]
fn next_weeks_export_accounts_for_every_item_last_weeks_pack_left_open() {
    let dir = crate::scratch::ScratchDir::new();
    // Monday's export of week 17, then of week 18: one world, a week more of it.
    let early = sample_world(&dir.path().join("w17"), Some("2025-04-27"));
    let late = sample_world(&dir.path().join("w18"), None);
    let incidents = |config: &std::path::Path| csv_file(&config.with_file_name("west_midlands/incidents.csv"));
    let (before, after) = (incidents(&early), incidents(&late));
    assert!(before.len() < after.len());
    assert!(
        before.iter().any(|r| r["CloseCode"].is_empty()),
        "some incidents still open"
    );
    for row in &before {
        let full = after.iter().find(|r| r["IncidentNo"] == row["IncidentNo"]).unwrap();
        assert_eq!(row["Created"], full["Created"], "the same incident, the same reference");
    }

    let first_out = dir.path().join("out17");
    run_pipeline(&early, &first_out);
    let w17 = first_out.join("weekly").join(FORCE).join("2025-W17");
    let open: Vec<BTreeMap<String, String>> = ["review_new.csv", "review_carried.csv"]
        .iter()
        .flat_map(|f| csv_file(&w17.join(f)))
        .filter(|r| r["status"] != "CLOSED")
        .collect();
    let new: Vec<&String> = open
        .iter()
        .filter(|r| r["detected_at"].as_str() >= "2025-04-21")
        .map(|r| &r["id"])
        .collect();
    assert!(open.len() > 100 && new.len() >= 2);
    let (closed, actioned) = (new[0], new[1]);
    let mut filled = String::from("id,status,reason,owner,note,decided_on\n");
    filled += &format!("{closed},CLOSED,safeguarding in place,A. Analyst,,2025-04-29\n");
    filled += &format!("{actioned},ACTIONED,,B. Supervisor,\"called back, no answer\",2025-04-28\n");
    filled += "Fdeadbeefdeadbeef,CLOSED,duplicate,A. Analyst,,2025-04-30\n";
    let decisions = dir.path().join("decisions.csv");
    std::fs::write(&decisions, filled).unwrap();

    // Next Monday: a new run on the new export, keeping person ids from the last one.
    let second_out = dir.path().join("out18");
    let output = crate::support::stage_command("run", &late, &second_out)
        .arg("--previous")
        .arg(&first_out)
        .arg("--decisions")
        .arg(&decisions)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let w18 = second_out.join("weekly").join(FORCE).join(WEEK);
    let mut found: HashMap<String, (String, BTreeMap<String, String>)> = HashMap::new();
    for list in ["carried", "closed", "expired"] {
        for row in csv_file(&w18.join(format!("review_{list}.csv"))) {
            let earlier = found.insert(row["id"].clone(), (list.to_string(), row));
            assert!(earlier.is_none(), "an item on two lists");
        }
    }
    let mut by_list: BTreeMap<&str, usize> = BTreeMap::new();
    for item in &open {
        let (list, row) = found
            .get(&item["id"])
            .unwrap_or_else(|| panic!("{} was open last week and is on no list now", item["id"]));
        *by_list.entry(list.as_str()).or_default() += 1;
        if list == "closed" {
            assert!(!row["reason"].is_empty(), "a closed item says why: {row:?}");
        }
    }
    assert!(by_list["carried"] > 100, "{by_list:?}");
    let (list, row) = &found[closed];
    assert_eq!(
        (list.as_str(), row["reason"].as_str()),
        ("closed", "safeguarding in place")
    );
    let (list, row) = &found[actioned];
    assert_eq!((list.as_str(), row["owner"].as_str()), ("carried", "B. Supervisor"));
    let unmatched = csv_file(&w18.join("decisions_unmatched.csv"));
    assert_eq!(
        unmatched.iter().map(|r| r["id"].as_str()).collect::<Vec<_>>(),
        ["Fdeadbeefdeadbeef"]
    );
}
