//! One row per incident of what the reports count: its week, channel and
//! grades, how long attendance took against its target, whether it was risk
//! assessed, referred and reviewed in time, whether its victim had called
//! shortly before, and the missed opportunities raised at it. Every
//! definition is the one the detect rules use (same targets, same
//! deadlines), so a KPI and the flags beside it never disagree. A measure
//! with a deadline (attendance target, risk assessment, referral, review)
//! is `None` for an incident whose deadline falls after the data's end, so
//! it stays out of that measure's denominator rather than counting as a
//! failure, or as a success seen early, in the last days of the data. The SQL in
//! `queries/` aggregates this table; the evaluation's intervals read it too.

use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;

use super::week::Week;
use crate::config::{AttendanceTargets, Config, DetectSettings};
use crate::detect::{force_rules, Detected, Family, Incident};
use crate::schema::Grade;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// What the reports count about one incident.
#[derive(Debug, Clone)]
pub struct IncidentFact {
    /// Index into `Detected::records.incidents`.
    pub incident: u32,
    pub force: u16,
    /// Local date and ISO week of its first contact.
    pub date: NaiveDate,
    pub week: Week,
    pub domestic: bool,
    /// Channel of its first call (`NONE` when no call reached it).
    pub channel: &'static str,
    pub initial_grade: Option<Grade>,
    pub final_grade: Option<Grade>,
    pub upgraded: bool,
    pub downgraded: bool,
    /// First contact to arrival, in minutes.
    pub response_minutes: Option<f64>,
    pub target_minutes: Option<u32>,
    /// Attended within the target for its grade and area; `None` where no
    /// attendance is expected or its deadline is after the data's end.
    pub within_target: Option<bool>,
    pub attended: bool,
    /// Assessed (DASH/DARA) within the configured hours of arrival; `None`
    /// when not attended or that deadline is after the data's end.
    pub risk_assessed: Option<bool>,
    pub high_risk: bool,
    /// Referred within the configured days; `None` when not high risk or
    /// that deadline is after the data's end.
    pub marac_referred: Option<bool>,
    pub idva_referred: Option<bool>,
    /// In the force's pilot period, so a specialist review is expected.
    pub review_expected: bool,
    /// Reviewed within the configured hours; `None` when no review is
    /// expected or that deadline is after the data's end.
    pub reviewed: Option<bool>,
    /// Index into `People::person_ids` of its first victim.
    pub victim: Option<u32>,
    pub perpetrator: Option<u32>,
    /// The victim's previous domestic incident was within 24 hours, 7 days, 30 days.
    pub repeat_24h: bool,
    pub repeat_7d: bool,
    pub repeat_30d: bool,
    /// Missed opportunities whose signal was raised at this incident.
    pub missed_opportunities: u32,
    /// Harm weight of its offence code (0 when none is recorded).
    pub harm: f64,
}

/// Builds the facts of every incident, in the records' order.
pub fn incident_facts(detected: &Detected, config: &Config) -> Vec<IncidentFact> {
    let settings = &config.spec.detect;
    let records = &detected.records;
    let forces = force_rules(config, records);
    let missed = missed_per_incident(detected);
    let mut facts: Vec<IncidentFact> = records
        .incidents
        .par_iter()
        .enumerate()
        .map(|(i, incident)| {
            let rules = &forces[usize::from(incident.force)];
            let mut fact = one_fact(detected, settings, &rules.targets, rules.specialist_reviews_from, i);
            fact.missed_opportunities = missed[i];
            fact
        })
        .collect();
    mark_repeats(&mut facts, records.incidents.as_slice());
    facts
}

fn one_fact(
    detected: &Detected,
    settings: &DetectSettings,
    targets: &AttendanceTargets,
    pilot_from: Option<i64>,
    i: usize,
) -> IncidentFact {
    let records = &detected.records;
    let incident = &records.incidents[i];
    let date = detected.clock.date(incident.force, incident.contact_at);
    let channel = incident
        .calls
        .first()
        .and_then(|&c| records.calls[c as usize].channel)
        .map_or("NONE", |c| c.code());
    let response = incident.arrived_at.map(|at| at - incident.contact_at);
    let target = incident.target_minutes(targets);
    // A deadline `span` after `from` that the data has reached.
    let due = |from: i64, span: i64| from + span <= records.data_end;
    let within_target = target
        .map(|minutes| i64::from(minutes) * MINUTE)
        .filter(|&limit| due(incident.contact_at, limit))
        .map(|limit| response.is_some_and(|taken| taken <= limit));
    let in_time = |at: Option<i64>, from: i64, span: i64| at.is_some_and(|t| t >= from && t - from <= span);
    let assessment_span = i64::from(settings.risk_assessment_hours) * HOUR;
    let risk_assessed = (incident.arrived_at)
        .filter(|&arrived| due(arrived, assessment_span))
        .map(|arrived| {
            incident.assessed()
                && incident
                    .risk_assessed_at
                    .is_none_or(|at| at - arrived <= assessment_span)
        });
    let high_risk = incident.high_risk(settings.high_risk_dash_score);
    let referral_span = i64::from(settings.referral_days) * DAY;
    let referral_due = high_risk && due(incident.contact_at, referral_span);
    let referred = |at: Option<i64>| referral_due.then(|| in_time(at, incident.contact_at, referral_span));
    let review_expected = pilot_from.is_some_and(|from| incident.contact_at >= from);
    let review_span = i64::from(settings.specialist_review_hours) * HOUR;
    let review_due = review_expected && due(incident.contact_at, review_span);
    let people = &detected.people;
    IncidentFact {
        incident: i as u32,
        force: incident.force,
        date,
        week: Week::of(date),
        domestic: incident.domestic,
        channel,
        initial_grade: incident.initial_grade,
        final_grade: incident.final_grade,
        upgraded: matches!((incident.initial_grade, incident.final_grade), (Some(a), Some(b)) if b < a),
        downgraded: matches!((incident.initial_grade, incident.final_grade), (Some(a), Some(b)) if b > a),
        response_minutes: response.map(|ms| ms as f64 / MINUTE as f64),
        target_minutes: target,
        within_target,
        attended: incident.arrived_at.is_some(),
        risk_assessed,
        high_risk,
        marac_referred: referred(incident.marac_at),
        idva_referred: referred(incident.idva_at),
        review_expected,
        reviewed: review_due.then(|| in_time(incident.review_at, incident.contact_at, review_span)),
        victim: people.victims.get(i).and_then(|v| v.first().copied()),
        perpetrator: people.suspects.get(i).and_then(|s| s.first().copied()),
        repeat_24h: false,
        repeat_7d: false,
        repeat_30d: false,
        missed_opportunities: 0,
        harm: detected.harm.weight(incident.offence_code.as_deref()),
    }
}

/// Each missed opportunity counted at the incident where it was detected:
/// the latest of its evidence incidents whose first contact is at or before
/// that moment (its first incident when none is).
fn missed_per_incident(detected: &Detected) -> Vec<u32> {
    let incidents = &detected.records.incidents;
    let mut counts = vec![0u32; incidents.len()];
    for flag in detected.flags.iter().filter(|f| f.rule.family() == Family::Missed) {
        let at = flag
            .incidents
            .iter()
            .copied()
            .filter(|&i| incidents[i as usize].contact_at <= flag.detected_at)
            .max_by_key(|&i| (incidents[i as usize].contact_at, i))
            .or_else(|| flag.incidents.first().copied());
        if let Some(i) = at {
            counts[i as usize] += 1;
        }
    }
    counts
}

/// Marks repeat contacts: a domestic incident whose victim's previous domestic incident is recent.
fn mark_repeats(facts: &mut [IncidentFact], incidents: &[Incident]) {
    let mut by_victim: Vec<(u32, i64, usize)> = facts
        .iter()
        .enumerate()
        .filter(|(_, f)| f.domestic)
        .filter_map(|(n, f)| Some((f.victim?, incidents[f.incident as usize].contact_at, n)))
        .collect();
    by_victim.sort_unstable();
    for pair in by_victim.windows(2) {
        let ((victim, before, _), (same, at, n)) = (pair[0], pair[1]);
        if victim != same {
            continue;
        }
        let gap = at - before;
        let fact = &mut facts[n];
        fact.repeat_24h = gap <= DAY;
        fact.repeat_7d = gap <= 7 * DAY;
        fact.repeat_30d = gap <= 30 * DAY;
    }
}

/// The facts as the `incident_facts` table of the SQL queries (see README for its columns).
pub fn facts_frame(facts: &[IncidentFact], detected: &Detected) -> PolarsResult<DataFrame> {
    let records = &detected.records;
    let people = &detected.people;
    let text = |name: &str, f: &dyn Fn(&IncidentFact) -> Option<String>| {
        Column::new(name.into(), facts.iter().map(f).collect::<Vec<Option<String>>>())
    };
    let flag = |name: &str, f: &dyn Fn(&IncidentFact) -> bool| {
        Column::new(name.into(), facts.iter().map(f).collect::<Vec<bool>>())
    };
    // A measure with a deadline: null until the data reaches it.
    let maybe = |name: &str, f: &dyn Fn(&IncidentFact) -> Option<bool>| {
        Column::new(name.into(), facts.iter().map(f).collect::<Vec<Option<bool>>>())
    };
    let person = |index: Option<u32>| index.map(|p| people.person_ids[p as usize].clone());
    let grade = |g: Option<Grade>| g.map(|g| g.code().to_string());
    let columns = vec![
        text("force", &|f| Some(records.force_id(f.force).to_string())),
        text("incident_ref", &|f| {
            Some(records.incidents[f.incident as usize].incident_ref.to_string())
        }),
        text("week", &|f| Some(f.week.to_string())),
        text("date", &|f| Some(f.date.to_string())),
        flag("domestic", &|f| f.domestic),
        text("channel", &|f| Some(f.channel.to_string())),
        text("initial_grade", &|f| grade(f.initial_grade)),
        text("final_grade", &|f| grade(f.final_grade)),
        flag("upgraded", &|f| f.upgraded),
        flag("downgraded", &|f| f.downgraded),
        Column::new(
            "response_minutes".into(),
            facts.iter().map(|f| f.response_minutes).collect::<Vec<Option<f64>>>(),
        ),
        Column::new(
            "target_minutes".into(),
            facts.iter().map(|f| f.target_minutes).collect::<Vec<Option<u32>>>(),
        ),
        maybe("within_target", &|f| f.within_target),
        flag("attended", &|f| f.attended),
        maybe("risk_assessed", &|f| f.risk_assessed),
        flag("high_risk", &|f| f.high_risk),
        maybe("marac_referred", &|f| f.marac_referred),
        maybe("idva_referred", &|f| f.idva_referred),
        flag("review_expected", &|f| f.review_expected),
        maybe("reviewed", &|f| f.reviewed),
        text("victim_id", &|f| person(f.victim)),
        text("perpetrator_id", &|f| person(f.perpetrator)),
        flag("repeat_24h", &|f| f.repeat_24h),
        flag("repeat_7d", &|f| f.repeat_7d),
        flag("repeat_30d", &|f| f.repeat_30d),
        Column::new(
            "missed_opportunities".into(),
            facts.iter().map(|f| f.missed_opportunities).collect::<Vec<u32>>(),
        ),
        Column::new("harm".into(), facts.iter().map(|f| f.harm).collect::<Vec<f64>>()),
    ];
    DataFrame::new(facts.len(), columns)
}
