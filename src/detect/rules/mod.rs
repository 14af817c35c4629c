//! The rules, one family per file (`clusters.rs`, `repeats.rs`, `reach.rs`,
//! `roles.rs`, `third_party.rs`, `offences.rs`, `risk.rs`, `risk_trend.rs`,
//! `narrative.rs`, `response.rs`, `silent.rs` with `history.rs`, runs over
//! rolling windows in `rolling.rs`), and missed opportunities joining a
//! signal to a gap (`episode.rs`). [`RULES`] pairs every rule with the
//! function that raises it; [`raise`] runs them all.

pub(super) mod clusters;
pub(super) mod episode;
pub(super) mod history;
pub(super) mod narrative;
pub(super) mod offences;
pub(super) mod reach;
pub(super) mod repeats;
pub(super) mod response;
pub(super) mod risk;
pub(super) mod risk_trend;
pub(super) mod roles;
pub(super) mod rolling;
pub(super) mod silent;
pub(super) mod third_party;

use rayon::prelude::*;

use crate::detect::model::context::Context;
use crate::detect::model::flag::{Flag, Rule};
use crate::detect::model::subjects::Subject;

/// A rule over one timeline (victim, perpetrator, dyad, number or place).
pub type SubjectRule = fn(&Context, &Subject) -> Vec<Flag>;
/// A rule over one incident, by its position.
pub type IncidentRule = fn(&Context, u32) -> Option<Flag>;

/// How a rule is run.
#[derive(Clone, Copy)]
pub enum Check {
    /// Over every timeline (run for every force: a timeline can span several).
    Subject(SubjectRule),
    /// Over every incident of a force that can assess it.
    Incident(IncidentRule),
    /// Over every silent or abandoned 999 call (`silent.rs`).
    SilentCall,
    /// Over the flags the others raised (`episode.rs`).
    Missed,
}

/// Every rule and how it is raised, in the order the rules are listed.
pub const RULES: &[(Rule, Check)] = &[
    (Rule::NightCluster, Check::Subject(clusters::night_clusters)),
    (Rule::RapidRepeat, Check::Subject(clusters::rapid_repeats)),
    (Rule::MaracThreshold, Check::Subject(repeats::marac_threshold)),
    (Rule::RepeatAfterMarac, Check::Subject(repeats::repeat_after_marac)),
    (Rule::FrequencyEscalation, Check::Subject(repeats::frequency_escalation)),
    (Rule::HarmRising, Check::Subject(repeats::harm_rising)),
    (Rule::SerialPerpetrator, Check::Subject(reach::serial_perpetrator)),
    (Rule::CrossForce, Check::Subject(reach::cross_force)),
    (Rule::HighRisk, Check::Incident(risk::high_risk_signal)),
    (
        Rule::StalkingStrangulationThreats,
        Check::Incident(offences::stalking_strangulation_threats),
    ),
    (Rule::CounterAllegation, Check::Subject(roles::counter_allegation)),
    (Rule::SeveralPerpetrators, Check::Subject(roles::several_perpetrators)),
    (
        Rule::ThirdPartyReports,
        Check::Subject(third_party::third_party_reports),
    ),
    (Rule::RiskDowngraded, Check::Subject(risk_trend::risk_downgraded)),
    (Rule::NarrativeWords, Check::Incident(narrative::narrative_words)),
    (Rule::UnderGraded, Check::Incident(response::under_graded)),
    (Rule::Downgraded, Check::Incident(response::downgraded)),
    (Rule::LateAttendance, Check::Incident(response::late_attendance)),
    (Rule::NotAttended, Check::Incident(response::not_attended)),
    (Rule::SilentCallNoResponse, Check::SilentCall),
    (Rule::NoRiskAssessment, Check::Incident(risk::no_risk_assessment)),
    (Rule::HighRiskNoReferral, Check::Incident(risk::high_risk_no_referral)),
    (
        Rule::NoSpecialistReview,
        Check::Incident(response::no_specialist_review),
    ),
    (Rule::CodeMismatch, Check::Incident(response::code_mismatch)),
    (Rule::MissedOpportunity, Check::Missed),
];

/// Every rule over every subject, incident and call (not missed
/// opportunities, which join these flags).
pub fn raise(context: &Context) -> Vec<Flag> {
    let subject_rules: Vec<SubjectRule> = RULES
        .iter()
        .filter_map(|(_, check)| match check {
            Check::Subject(rule) => Some(*rule),
            _ => None,
        })
        .collect();
    let incident_rules: Vec<(Rule, IncidentRule)> = RULES
        .iter()
        .filter_map(|&(rule, check)| match check {
            Check::Incident(raise) => Some((rule, raise)),
            _ => None,
        })
        .collect();
    let assessable = |rule: Rule, force: u16| context.forces[usize::from(force)].assessable.contains(rule);
    // Each rule family's flags are gathered in parts of [`PART`] subjects,
    // incidents or calls, then moved once into a list sized for them all.
    let subject_count = context.subjects.list.len();
    let by_subject = parts(subject_count, |s| {
        let subject = &context.subjects.list[s];
        subject_rules.iter().flat_map(move |rule| rule(context, subject))
    });
    let by_incident = parts(context.records.incidents.len(), |i| {
        let force = context.records.incidents[i].force;
        incident_rules
            .iter()
            .filter(move |(rule, _)| assessable(*rule, force))
            .filter_map(move |(_, rule)| rule(context, i as u32))
    });
    let silent_calls: Vec<u32> = (0..context.records.calls.len() as u32)
        .into_par_iter()
        .filter(|&c| assessable(Rule::SilentCallNoResponse, context.records.calls[c as usize].force))
        .filter(|&c| silent::is_silent(context, c))
        .collect();
    let history = history::DaIndex::build(context, &silent_calls);
    let by_silent_call = parts(silent_calls.len(), |n| {
        silent::silent_call(context, &history, silent_calls[n]).into_iter()
    });
    let gathered = [by_subject, by_incident, by_silent_call];
    let count: usize = gathered.iter().flatten().map(Vec::len).sum();
    // Room for the missed opportunities that follow (room never written costs no memory).
    let mut flags = Vec::with_capacity(count + count / 4);
    for part in gathered.into_iter().flatten() {
        flags.extend(part);
    }
    flags
}

/// Items per part of [`parts`].
const PART: usize = 4_096;

/// The flags `raise` gives for items `0..count`, in item order, in parts of
/// [`PART`] items made in parallel (so no list of them all is grown and
/// copied on the way).
fn parts<I>(count: usize, raise: impl Fn(usize) -> I + Sync) -> Vec<Vec<Flag>>
where
    I: Iterator<Item = Flag>,
{
    (0..count.div_ceil(PART))
        .into_par_iter()
        .map(|k| (k * PART..((k + 1) * PART).min(count)).flat_map(&raise).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_registered_once_in_the_order_rules_are_listed() {
        let registered: Vec<Rule> = RULES.iter().map(|(rule, _)| *rule).collect();
        assert_eq!(
            registered,
            Rule::ALL,
            "RULES must list every rule once, in Rule::ALL's order"
        );
    }
}
