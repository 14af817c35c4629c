//! Risk on one domestic-abuse incident: HIGH_RISK (a signal: DASH 14+ or a
//! high level on any tool), NO_RISK_ASSESSMENT and HIGH_RISK_NO_REFERRAL
//! (response gaps; nothing is raised before the deadline has passed).

use crate::detect::model::clock::span_text;
use crate::detect::model::context::{capital, Context, DAY, HOUR};
use crate::detect::model::flag::{Flag, Rule, Severity};

/// Whether the incident was assessed as high risk, and how it reads.
fn high_risk(context: &Context, incident: u32) -> Option<String> {
    let record = context.incident(incident);
    let threshold = context.settings.high_risk_dash_score;
    if !record.high_risk(threshold) {
        return None;
    }
    let tool = record.risk_tool.map_or("risk".to_string(), |t| t.code().to_string());
    Some(match record.risk_score {
        Some(score) if score >= threshold => format!("{tool} score {score} (high risk from {threshold})"),
        _ => format!("{tool} level HIGH"),
    })
}

/// A flag about one incident, filed under its primary subject.
pub(super) fn filed(context: &Context, rule: Rule, severity: Severity, incident: u32, sentence: String) -> Flag {
    let subject = context.subjects.primary(context.records, incident);
    let mut flag = context.incident_flag(rule, severity, subject, vec![incident], sentence);
    flag.about = Some(incident);
    flag
}

/// HIGH_RISK.
pub fn high_risk_signal(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    if !record.domestic {
        return None;
    }
    let assessed = high_risk(context, incident)?;
    let at = record.risk_assessed_at.unwrap_or(record.contact_at);
    let sentence = format!("Assessed high risk: {assessed}, at {}", context.when(record.force, at));
    let mut flag = filed(context, Rule::HighRisk, Severity::High, incident, sentence);
    flag.timed(at, at);
    Some(flag)
}

/// NO_RISK_ASSESSMENT: attended, and no DASH/DARA within the allowed hours of arrival.
pub fn no_risk_assessment(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    let arrived = record.arrived_at?;
    let allowed = i64::from(context.settings.risk_assessment_hours) * HOUR;
    if !record.domestic || !context.past(arrived, allowed) {
        return None;
    }
    let outcome = match (record.assessed(), record.risk_assessed_at) {
        (true, Some(at)) if at - arrived > allowed => {
            format!("the assessment came {} after arrival", span_text(at - arrived))
        }
        (true, _) => return None,
        (false, _) => "no risk assessment is recorded".into(),
    };
    let sentence = format!(
        "Attended at {}; {outcome} (expected within {} hours)",
        context.when(record.force, arrived),
        context.settings.risk_assessment_hours
    );
    let mut flag = filed(context, Rule::NoRiskAssessment, Severity::Medium, incident, sentence);
    flag.end = arrived;
    flag.timed(arrived, arrived + allowed);
    Some(flag)
}

/// HIGH_RISK_NO_REFERRAL: high risk, and no MARAC or IDVA referral in time,
/// on this incident or any other about the same victim.
pub fn high_risk_no_referral(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    if !record.domestic {
        return None;
    }
    let assessed = high_risk(context, incident)?;
    let from = record.risk_assessed_at.unwrap_or(record.contact_at);
    let allowed = i64::from(context.settings.referral_days) * DAY;
    if !context.past(from, allowed) || referred_within(context, incident, from, from + allowed) {
        return None;
    }
    let sentence = format!(
        "{} at {}; no MARAC or IDVA referral within {} days",
        capital(&format!("assessed high risk ({assessed})")),
        context.when(record.force, from),
        context.settings.referral_days
    );
    let mut flag = filed(context, Rule::HighRiskNoReferral, Severity::High, incident, sentence);
    flag.timed(from, from + allowed);
    Some(flag)
}

/// A MARAC or IDVA referral by `until` on this incident, or dated in
/// `from..=until` on another incident about one of its victims.
fn referred_within(context: &Context, incident: u32, from: i64, until: i64) -> bool {
    let referred = |i: u32| {
        let record = context.incident(i);
        [record.marac_at, record.idva_at]
            .into_iter()
            .flatten()
            .any(|at| (from..=until).contains(&at))
    };
    let record = context.incident(incident);
    if [record.marac_at, record.idva_at]
        .into_iter()
        .flatten()
        .any(|at| at <= until)
    {
        return true;
    }
    context.people.victims[incident as usize].iter().any(|&victim| {
        context.subjects.of_incident[incident as usize].iter().any(|&s| {
            let subject = &context.subjects.list[s as usize];
            subject.reference.kind == crate::detect::model::flag::SubjectKind::Victim
                && subject.reference.id == context.people.person_ids[victim as usize]
                && subject.incidents.iter().any(|&i| referred(i))
        })
    })
}
