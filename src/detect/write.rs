//! Writes the detect tables into `out/detect/`, together: `flags.csv`,
//! `missed_opportunities.csv`, `priority_victims.csv`,
//! `priority_perpetrators.csv`, `timelines.csv`, and `summary.json` last.
//! Instants are local time with their offset; evidence is `force/reference`
//! for incidents and `force/call id` for calls, `|`-separated.

use std::collections::BTreeMap;
use std::path::Path;

use super::flag::{Family, Flag, Rule};
use super::priority::Ranked;
use super::records::Records;
use super::{DetectError, Detected};
use crate::csv_out::write_rows;
use crate::staging::Staging;

/// The folder (inside the run's output) holding the stage's tables.
pub const DETECTED: &str = "detect";

/// A table to write: header, number of rows, and the i-th row.
type Table<'a> = (Vec<String>, usize, Box<dyn Fn(usize) -> Vec<String> + Sync + 'a>);

pub fn write(detected: &Detected, out: &Path) -> Result<(), DetectError> {
    let target = out.join(DETECTED);
    let fail = |source: std::io::Error| DetectError::Write {
        path: target.clone(),
        source,
    };
    let staging = Staging::new(&target, "detect").map_err(fail)?;
    let missed: Vec<&Flag> = detected
        .flags
        .iter()
        .filter(|f| f.rule.family() == Family::Missed)
        .collect();
    let tables: [(&str, Table); 5] = [
        ("flags.csv", flag_table(detected)),
        ("missed_opportunities.csv", missed_table(detected, &missed)),
        (
            "priority_victims.csv",
            priority_table(detected, &detected.victims, false),
        ),
        (
            "priority_perpetrators.csv",
            priority_table(detected, &detected.perpetrators, true),
        ),
        ("timelines.csv", timeline_table(detected)),
    ];
    for (name, (header, rows, row)) in &tables {
        write_rows(&staging.path(name).map_err(fail)?, header, *rows, row).map_err(fail)?;
    }
    let summary = serde_json::to_string_pretty(&summary(detected)).expect("a summary is plain data");
    std::fs::write(staging.path("summary.json").map_err(fail)?, summary + "\n").map_err(fail)?;
    let entries: Vec<&str> = tables.iter().map(|(n, _)| *n).collect();
    staging.commit(&entries, "summary.json").map_err(fail)
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// `force/ref|force/ref`.
fn incident_keys(records: &Records, incidents: &[u32]) -> String {
    incidents
        .iter()
        .map(|&i| {
            let incident = &records.incidents[i as usize];
            format!("{}/{}", records.force_id(incident.force), incident.incident_ref)
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// The calls of the incidents, then the loose calls, as `force/call id`.
fn call_keys(records: &Records, incidents: &[u32], loose: &[u32]) -> String {
    incidents
        .iter()
        .flat_map(|&i| records.incidents[i as usize].calls.iter().copied())
        .chain(loose.iter().copied())
        .map(|c| {
            let call = &records.calls[c as usize];
            format!("{}/{}", records.force_id(call.force), call.call_id)
        })
        .collect::<Vec<_>>()
        .join("|")
}

fn flag_forces(records: &Records, flag: &Flag) -> String {
    let mut forces: Vec<&str> = flag
        .incidents
        .iter()
        .map(|&i| records.force_id(records.incidents[i as usize].force))
        .chain(
            flag.loose_calls
                .iter()
                .map(|&c| records.force_id(records.calls[c as usize].force)),
        )
        .collect();
    forces.sort_unstable();
    forces.dedup();
    forces.join("|")
}

/// The force whose clock writes a flag's window: that of its first evidence.
fn flag_force(records: &Records, flag: &Flag) -> u16 {
    flag.incidents
        .first()
        .map(|&i| records.incidents[i as usize].force)
        .or_else(|| flag.loose_calls.first().map(|&c| records.calls[c as usize].force))
        .unwrap_or(0)
}

fn flag_table(detected: &Detected) -> Table<'_> {
    let header = strings(&[
        "flag_id",
        "rule",
        "family",
        "severity",
        "subject_type",
        "subject_id",
        "forces",
        "window_start",
        "window_end",
        "incidents",
        "calls",
        "sentence",
        "joins",
    ]);
    let row = move |i: usize| {
        let flag = &detected.flags[i];
        let records = &detected.records;
        let force = flag_force(records, flag);
        vec![
            flag.id.clone(),
            flag.rule.code().to_string(),
            family_code(flag.rule).to_string(),
            flag.severity.code().to_string(),
            flag.subject.kind.code().to_string(),
            flag.subject.id.clone(),
            flag_forces(records, flag),
            detected.clock.stamp(force, flag.start),
            detected.clock.stamp(force, flag.end),
            incident_keys(records, &flag.incidents),
            call_keys(records, &flag.incidents, &flag.loose_calls),
            flag.sentence.clone(),
            flag.joins.join("|"),
        ]
    };
    (header, detected.flags.len(), Box::new(row))
}

fn family_code(rule: Rule) -> &'static str {
    match rule.family() {
        Family::Signal => "SIGNAL",
        Family::Gap => "GAP",
        Family::Context => "CONTEXT",
        Family::Missed => "MISSED_OPPORTUNITY",
    }
}

fn missed_table<'a>(detected: &'a Detected, missed: &'a [&'a Flag]) -> Table<'a> {
    let header = strings(&[
        "missed_opportunity_id",
        "subject_type",
        "subject_id",
        "forces",
        "window_start",
        "window_end",
        "signal_rules",
        "gap_rules",
        "signal_flags",
        "gap_flags",
        "incidents",
        "calls",
        "sentence",
    ]);
    let rule_of: BTreeMap<&str, &Flag> = detected.flags.iter().map(|f| (f.id.as_str(), f)).collect();
    let row = move |i: usize| {
        let flag = missed[i];
        let records = &detected.records;
        let force = flag_force(records, flag);
        let members: Vec<&Flag> = flag
            .joins
            .iter()
            .filter_map(|id| rule_of.get(id.as_str()).copied())
            .collect();
        let part = |family: Family| -> (String, String) {
            let chosen: Vec<&&Flag> = members.iter().filter(|f| f.rule.family() == family).collect();
            let mut rules: Vec<&str> = chosen.iter().map(|f| f.rule.code()).collect();
            rules.sort_unstable();
            rules.dedup();
            let ids: Vec<&str> = chosen.iter().map(|f| f.id.as_str()).collect();
            (rules.join("|"), ids.join("|"))
        };
        let (signal_rules, signal_flags) = part(Family::Signal);
        let (gap_rules, gap_flags) = part(Family::Gap);
        vec![
            flag.id.clone(),
            flag.subject.kind.code().to_string(),
            flag.subject.id.clone(),
            flag_forces(records, flag),
            detected.clock.stamp(force, flag.start),
            detected.clock.stamp(force, flag.end),
            signal_rules,
            gap_rules,
            signal_flags,
            gap_flags,
            incident_keys(records, &flag.incidents),
            call_keys(records, &flag.incidents, &flag.loose_calls),
            flag.sentence.clone(),
        ]
    };
    (header, missed.len(), Box::new(row))
}

fn priority_table<'a>(detected: &'a Detected, rows: &'a [Ranked], perpetrators: bool) -> Table<'a> {
    let mut header = strings(&[
        "force",
        "rank",
        "tier",
        "person_id",
        "score",
        "recency",
        "frequency",
        "gravity",
        "flag_points",
    ]);
    if perpetrators {
        header.insert(8, "victim_points".into());
    }
    header.extend(strings(&[
        "forces",
        "last_contact",
        "days_since_last_contact",
        "da_incidents",
        "harm_days",
        "victims",
        "signals",
        "missed_opportunities",
        "open_missed_opportunities",
        "last_referral",
        "rules",
        "flag_ids",
    ]));
    let row = move |i: usize| {
        let ranked = &rows[i];
        let p = &ranked.priority;
        let records = &detected.records;
        let mut row = vec![
            records.force_id(ranked.force).to_string(),
            ranked.rank.to_string(),
            p.tier.level.to_string(),
            p.subject.id.clone(),
            format!("{:.1}", p.score),
            format!("{:.1}", p.recency),
            format!("{:.1}", p.frequency),
            format!("{:.1}", p.gravity),
            format!("{:.1}", p.flag_points),
        ];
        if perpetrators {
            row.insert(8, format!("{:.1}", p.victim_points));
        }
        let forces: Vec<&str> = p.forces.iter().map(|&f| records.force_id(f)).collect();
        row.extend([
            forces.join("|"),
            detected.clock.stamp(ranked.force, p.last_contact),
            format!("{:.1}", p.days_since_last),
            p.incidents.to_string(),
            format!("{:.1}", p.harm_days),
            p.victims.to_string(),
            p.signals.to_string(),
            p.missed.to_string(),
            p.tier.open_missed.to_string(),
            p.last_referral
                .map(|at| detected.clock.stamp(ranked.force, at))
                .unwrap_or_default(),
            p.rules.clone(),
            p.flag_ids.join("|"),
        ]);
        row
    };
    (header, rows.len(), Box::new(row))
}

fn timeline_table(detected: &Detected) -> Table<'_> {
    let header = strings(&[
        "subject_type",
        "subject_id",
        "seq",
        "first_contact",
        "force",
        "incident_ref",
        "calls",
        "domestic",
        "opening",
        "closing",
        "initial_grade",
        "final_grade",
        "final_grade_raw",
        "arrived_at",
        "risk_tool",
        "risk_level",
        "risk_score",
        "marac_referral_at",
        "idva_referral_at",
        "specialist_review_at",
        "outcome",
        "offence_code",
    ]);
    let mut rows: Vec<(u32, u32, u32)> = Vec::new();
    for (s, subject) in detected.subjects.list.iter().enumerate() {
        rows.extend(
            subject
                .incidents
                .iter()
                .enumerate()
                .map(|(n, &i)| (s as u32, n as u32 + 1, i)),
        );
    }
    let count = rows.len();
    let row = move |r: usize| {
        let (s, seq, i) = rows[r];
        let subject = &detected.subjects.list[s as usize];
        let records = &detected.records;
        let incident = &records.incidents[i as usize];
        let clock = &detected.clock;
        let stamp = |at: Option<i64>| at.map(|t| clock.stamp(incident.force, t)).unwrap_or_default();
        let code = |text: Option<&'static str>| text.unwrap_or("").to_string();
        vec![
            subject.reference.kind.code().to_string(),
            subject.reference.id.clone(),
            seq.to_string(),
            clock.stamp(incident.force, incident.contact_at),
            records.force_id(incident.force).to_string(),
            incident.incident_ref.clone(),
            call_keys(records, &[i], &[]),
            incident.domestic.to_string(),
            code(incident.opening.map(|c| c.code())),
            code(incident.closing.map(|c| c.code())),
            code(incident.initial_grade.map(|g| g.code())),
            code(incident.final_grade.map(|g| g.code())),
            incident.final_grade_raw.clone(),
            stamp(incident.arrived_at),
            code(incident.risk_tool.map(|t| t.code())),
            code(incident.risk_level.map(|l| l.code())),
            incident.risk_score.map(|s| s.to_string()).unwrap_or_default(),
            stamp(incident.marac_at),
            stamp(incident.idva_at),
            stamp(incident.review_at),
            incident.outcome.clone().unwrap_or_default(),
            incident.offence_code.clone().unwrap_or_default(),
        ]
    };
    (header, count, Box::new(row))
}

/// Counts per rule and the settings behind them.
fn summary(detected: &Detected) -> serde_json::Value {
    let mut per_rule: BTreeMap<&str, usize> = Rule::ALL.iter().map(|r| (r.code(), 0)).collect();
    for flag in &detected.flags {
        *per_rule.entry(flag.rule.code()).or_default() += 1;
    }
    serde_json::json!({
        "vigil_version": env!("CARGO_PKG_VERSION"),
        "incidents": detected.records.incidents.len(),
        "calls": detected.records.calls.len(),
        "subjects": detected.subjects.list.len(),
        "flags": detected.flags.len(),
        "flags_per_rule": per_rule,
        "victims_ranked": detected.victims.len(),
        "perpetrators_ranked": detected.perpetrators.len(),
        "data_end": detected.clock.stamp(0, detected.records.data_end),
        "harm_weights_version": detected.harm.version,
        "harm_weights_origin": detected.harm.origin,
    })
}
