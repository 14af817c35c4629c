//! One person's history, `cases/<person id>/`: every incident naming them as
//! victim or suspect, in time order, with its grade, attendance against the
//! target, risk, referrals and the flags citing it (`history.csv`), and the
//! same on a time axis (`timeline.svg`, `timeline.png`).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use serde_json::json;

use super::charts::{self, Attendance, CaseContact, CaseFlag, Timeline};
use super::facts::IncidentFact;
use super::pack::Pack;
use super::provenance::{manifest, seconds, Counts};
use super::{ReportData, ReportError};
use crate::csv_out::write_rows;
use crate::detect::{Flag, Rule, SubjectKind};
use crate::wall_clock::header_with_wall_clocks;

/// The folder of the case histories inside the output folder.
pub const CASES: &str = "cases";

const DAY_MS: f64 = 86_400_000.0;

/// What was written.
#[derive(Debug, Clone)]
pub struct CaseSummary {
    pub path: std::path::PathBuf,
    pub incidents: usize,
    pub flags: usize,
}

/// Writes the case of `person` (a person id of the linked tables).
pub fn write_case(data: &ReportData, person: &str) -> Result<CaseSummary, ReportError> {
    let started = Instant::now();
    let detected = data.detected;
    let number = detected
        .people
        .person_ids
        .iter()
        .position(|p| p == person)
        .ok_or_else(|| {
            ReportError::Usage(format!(
                "no person `{person}` is named as victim or suspect in any incident; person ids are in linked/persons.csv and the priority lists"
            ))
        })? as u32;
    let target = data.out.join(CASES).join(person);
    let pack = Pack::start(&target)?;
    let (incidents, flags) = write_case_files(data, (person, number), (pack.dir(), charts::Files::SvgAndPng))?;
    let timings = BTreeMap::from([("case", seconds(started))]);
    pack.commit(manifest(
        data,
        json!({"kind": "case", "person_id": person}),
        Counts::Open,
        timings,
    ))?;
    Ok(CaseSummary {
        path: target,
        incidents,
        flags,
    })
}

/// Writes a person's (id and number) `history.csv` and `timeline` chart
/// (as `files`) into `dir` (a case folder, or one inside a weekly pack); how
/// many incidents and flags they hold.
pub fn write_case_files(
    data: &ReportData,
    (person, number): (&str, u32),
    (dir, files): (&Path, charts::Files),
) -> Result<(usize, usize), ReportError> {
    let incidents = incidents_of(data, number);
    let flags: Vec<&Flag> = data.detected.flags.iter().filter(|f| concerns(f, person)).collect();
    std::fs::create_dir_all(dir).map_err(|e| ReportError::write(dir, e))?;
    write_history(data, dir, &incidents, &flags)?;
    let chart = timeline(data, person, &incidents, &flags);
    charts::save_as(&chart, dir, "timeline", files).map_err(|e| ReportError::write(dir, e))?;
    Ok((incidents.len(), flags.len()))
}

/// The person's incidents with their role, in time order.
fn incidents_of<'a>(data: &'a ReportData, person: u32) -> Vec<(&'a IncidentFact, &'static str)> {
    let people = &data.detected.people;
    let mut found: Vec<(&IncidentFact, &'static str)> = data
        .facts
        .iter()
        .filter_map(|fact| {
            let i = fact.incident as usize;
            let victim = people.victims[i].contains(&person);
            let suspect = people.suspects[i].contains(&person);
            let role = match (victim, suspect) {
                (true, true) => "VICTIM|SUSPECT",
                (true, false) => "VICTIM",
                (false, true) => "SUSPECT",
                _ => return None,
            };
            Some((fact, role))
        })
        .collect();
    let records = &data.detected.records;
    found.sort_by_key(|(f, _)| (records.incidents[f.incident as usize].contact_at, f.incident));
    found
}

/// Whether a flag is about the person, alone or in a dyad.
fn concerns(flag: &Flag, person: &str) -> bool {
    match flag.subject.kind {
        SubjectKind::Victim | SubjectKind::Perpetrator => flag.subject.id == person,
        SubjectKind::Dyad => flag.subject.id.split('+').any(|p| p == person),
        _ => false,
    }
}

/// How the incident was attended against its target, as it happened (an
/// arrival near the data's end counts, though the KPIs leave it out).
fn attendance(fact: &IncidentFact) -> Attendance {
    match (fact.response_minutes, fact.target_minutes, fact.within_target) {
        (Some(taken), Some(target), _) if taken <= f64::from(target) => Attendance::OnTime,
        (Some(_), Some(_), _) => Attendance::Late,
        (None, _, Some(false)) => Attendance::NotAttended,
        _ => Attendance::NotExpected,
    }
}

fn attendance_code(attendance: Attendance) -> &'static str {
    match attendance {
        Attendance::OnTime => "ON_TIME",
        Attendance::Late => "LATE",
        Attendance::NotAttended => "NOT_ATTENDED",
        Attendance::NotExpected => "NOT_EXPECTED",
    }
}

fn write_history(
    data: &ReportData,
    dir: &Path,
    incidents: &[(&IncidentFact, &str)],
    flags: &[&Flag],
) -> Result<(), ReportError> {
    let detected = data.detected;
    let records = &detected.records;
    let clock = &detected.clock;
    let header = header_with_wall_clocks(&[
        "seq",
        "role",
        "force",
        "incident_ref",
        "first_contact",
        "calls",
        "channel",
        "domestic",
        "opening",
        "closing",
        "initial_grade",
        "final_grade",
        "final_grade_raw",
        "arrived_at",
        "response_minutes",
        "target_minutes",
        "attendance",
        "risk_tool",
        "risk_level",
        "risk_score",
        "marac_referral_at",
        "idva_referral_at",
        "specialist_review_at",
        "outcome",
        "offence_code",
        "flags",
    ]);
    let code = |text: Option<String>| text.unwrap_or_default();
    let rows: Vec<Vec<String>> = incidents
        .iter()
        .enumerate()
        .map(|(seq, (fact, role))| {
            let incident = &records.incidents[fact.incident as usize];
            let stamp = |at: Option<i64>| match at {
                Some(t) => [clock.stamp(incident.force, t), clock.wall_clock(incident.force, t)],
                None => [String::new(), String::new()],
            };
            let citing: Vec<String> = flags
                .iter()
                .filter(|f| f.incidents.contains(&fact.incident))
                .map(|f| format!("{}:{}", f.id, f.rule.code()))
                .collect();
            let [first_contact, first_contact_local] = stamp(Some(incident.contact_at));
            let [arrived, arrived_local] = stamp(incident.arrived_at);
            let [marac, marac_local] = stamp(incident.marac_at);
            let [idva, idva_local] = stamp(incident.idva_at);
            let [review, review_local] = stamp(incident.review_at);
            vec![
                (seq + 1).to_string(),
                role.to_string(),
                records.force_id(incident.force).to_string(),
                incident.incident_ref.to_string(),
                first_contact,
                first_contact_local,
                incident.calls.len().to_string(),
                fact.channel.to_string(),
                incident.domestic.to_string(),
                code(incident.opening.map(|c| c.code().to_string())),
                code(incident.closing.map(|c| c.code().to_string())),
                code(incident.initial_grade.map(|g| g.code().to_string())),
                code(incident.final_grade.map(|g| g.code().to_string())),
                incident.final_grade_raw.to_string(),
                arrived,
                arrived_local,
                fact.response_minutes.map_or(String::new(), |m| format!("{m:.0}")),
                fact.target_minutes.map_or(String::new(), |m| m.to_string()),
                attendance_code(attendance(fact)).to_string(),
                code(incident.risk_tool.map(|t| t.code().to_string())),
                code(incident.risk_level.map(|l| l.code().to_string())),
                code(incident.risk_score.map(|s| s.to_string())),
                marac,
                marac_local,
                idva,
                idva_local,
                review,
                review_local,
                code(incident.outcome.as_deref().map(str::to_string)),
                code(incident.offence_code.as_deref().map(str::to_string)),
                citing.join("|"),
            ]
        })
        .collect();
    let path = dir.join("history.csv");
    write_rows(&path, &header, rows.len(), |i| rows[i].clone()).map_err(|e| ReportError::write(&path, e))
}

fn timeline(data: &ReportData, person: &str, incidents: &[(&IncidentFact, &str)], flags: &[&Flag]) -> Timeline {
    let detected = data.detected;
    let records = &detected.records;
    let force = incidents
        .first()
        .map_or(0, |(f, _)| records.incidents[f.incident as usize].force);
    let first_at = incidents.first().map_or(records.data_end, |(f, _)| {
        records.incidents[f.incident as usize].contact_at
    });
    let first_date = detected.clock.date(force, first_at);
    let midnight = first_date.and_hms_opt(0, 0, 0).unwrap_or_default();
    let day = |at: i64| {
        let local = detected.clock.local(force, at);
        (local - midnight).num_milliseconds() as f64 / DAY_MS
    };
    Timeline {
        title: format!("Case {person}: {} incidents, {} flags", incidents.len(), flags.len()),
        first_date,
        contacts: incidents
            .iter()
            .map(|(fact, _)| CaseContact {
                day: day(records.incidents[fact.incident as usize].contact_at),
                grade: fact.initial_grade.or(fact.final_grade),
                attendance: attendance(fact),
            })
            .collect(),
        flags: flags
            .iter()
            .map(|f| CaseFlag {
                rule: f.rule.code().to_string(),
                start: day(f.start),
                end: day(f.end),
                shaded: f.rule == Rule::NightCluster,
            })
            .collect(),
    }
}
