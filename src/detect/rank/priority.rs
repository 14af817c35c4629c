//! The RFG-style priority lists: every victim and perpetrator with a
//! domestic-abuse incident in the scoring window, scored on recency,
//! frequency, gravity (harm weights), victims (perpetrators only) and the
//! signals and missed opportunities raised about them, each component on
//! 0-100 and the score their weighted mean (weights in `[detect.priority]`).
//! Ranked within each force that knows the subject in order of risk: review
//! tier (see `tier.rs`: open missed opportunities first), then the most
//! severe flag raised about the subject in the window, then the day of its
//! last contact (the force's local day, latest first), then the score.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

use chrono::NaiveDate;
use polars::prelude::PlHashMap;
use rayon::prelude::*;

use crate::config::PriorityWeights;
use crate::detect::model::context::{Context, DAY};
use crate::detect::model::flag::{Family, Flag, Rule, Severity, SubjectKind, SubjectRef};
use crate::detect::model::flag_id::FlagId;
use crate::detect::rank::tier::{tier, Tier};

/// One subject's score and what it is made of.
#[derive(Debug, Clone)]
pub struct Priority {
    pub subject: SubjectRef,
    pub forces: Vec<u16>,
    pub last_contact: i64,
    pub days_since_last: f64,
    pub incidents: usize,
    pub harm: f64,
    pub victims: usize,
    pub signals: usize,
    pub missed: usize,
    /// The review tier (see `tier.rs`) and the open missed opportunities behind it.
    pub tier: Tier,
    /// The most severe flag raised about the subject in the window, if any.
    pub severity: Option<Severity>,
    /// The latest MARAC or IDVA referral on the subject's incidents.
    pub last_referral: Option<i64>,
    pub recency: f64,
    pub frequency: f64,
    pub gravity: f64,
    pub victim_points: f64,
    pub flag_points: f64,
    pub score: f64,
    /// Rules raised about the subject in the window, with counts.
    pub rules: String,
    /// Ids of its missed opportunities, then of its other flags, in the window.
    pub flag_ids: Vec<FlagId>,
}

/// A ranked row: the force whose list it is on, and its place there.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub force: u16,
    pub rank: usize,
    /// Shared by the lists of every force that knows the subject.
    pub priority: Arc<Priority>,
}

/// Scores every victim or perpetrator (by `kind`) and ranks them per force,
/// as the lists stood at `now` (UTC ms): only contacts, flags and referrals
/// known by then count (`now` is the end of the data for detect's own lists,
/// the end of a reviewed week for a weekly pack).
pub fn ranked(context: &Context, flags: &[Flag], kind: SubjectKind, now: i64) -> Vec<Ranked> {
    let weights = &context.settings.priority;
    let end = now;
    let from = end - i64::from(weights.window_days) * DAY;
    let recent_from = end - i64::from(context.settings.episode_days) * DAY;
    let mut by_subject: PlHashMap<&SubjectRef, Vec<&Flag>> = PlHashMap::default();
    let known = |f: &&Flag| f.subject.kind == kind && f.end > from && f.detected_at <= now;
    for flag in flags.iter().filter(known) {
        by_subject.entry(&flag.subject).or_default().push(flag);
    }
    let scored: Vec<Arc<Priority>> = context
        .subjects
        .list
        .par_iter()
        .filter(|s| s.reference.kind == kind)
        .filter_map(|subject| {
            let incidents: Vec<u32> = subject
                .domestic
                .iter()
                .copied()
                .filter(|&i| (from + 1..=now).contains(&context.times[i as usize]))
                .collect();
            let own = by_subject.get(&subject.reference).map_or(&[][..], |v| v.as_slice());
            let mut priority = score(context, weights, (&subject.reference, now), &incidents, own)?;
            priority.last_referral = last_referral(context, &subject.incidents, now);
            priority.tier = tier(own, flags, priority.last_referral, recent_from);
            priority.severity = own.iter().map(|f| f.severity).min();
            Some(Arc::new(priority))
        })
        .collect();
    let mut lists: BTreeMap<u16, Vec<&Arc<Priority>>> = BTreeMap::new();
    for priority in &scored {
        for &force in &priority.forces {
            lists.entry(force).or_default().push(priority);
        }
    }
    // Each force's list is sorted on its own, side by side.
    let per_force: Vec<Vec<Ranked>> = lists
        .into_par_iter()
        .map(|(force, list)| {
            // Each subject's local day of last contact, worked out once.
            let mut dated: Vec<_> = list
                .into_iter()
                .map(|p| (p, context.clock.date(force, p.last_contact)))
                .collect();
            dated.sort_by(|&(a, a_day), &(b, b_day)| in_order_of_risk((a, a_day), (b, b_day)));
            dated
                .into_iter()
                .enumerate()
                .map(|(r, (priority, _))| Ranked {
                    force,
                    rank: r + 1,
                    priority: Arc::clone(priority),
                })
                .collect()
        })
        .collect();
    per_force.concat()
}

/// The order of a force's list: tier (in tier 1 the larger acute night
/// first), then the most severe flag (none last), then the later day of the
/// last contact, then the higher score, then the id.
fn in_order_of_risk((a, a_day): (&Priority, NaiveDate), (b, b_day): (&Priority, NaiveDate)) -> std::cmp::Ordering {
    let severity = |p: &Priority| (p.severity.is_none(), p.severity);
    a.tier
        .precedence(&b.tier)
        .then_with(|| severity(a).cmp(&severity(b)))
        .then_with(|| b_day.cmp(&a_day))
        .then_with(|| b.score.total_cmp(&a.score))
        .then_with(|| a.subject.id.cmp(&b.subject.id))
}

fn score(
    context: &Context,
    weights: &PriorityWeights,
    (subject, now): (&SubjectRef, i64),
    incidents: &[u32],
    flags: &[&Flag],
) -> Option<Priority> {
    let last_contact = incidents.iter().map(|&i| context.times[i as usize]).max()?;
    let mut forces: Vec<u16> = incidents.iter().map(|&i| context.incident(i).force).collect();
    forces.sort_unstable();
    forces.dedup();
    let harm: f64 = incidents
        .iter()
        .map(|&i| context.harm.weight(context.incident(i).offence_code.as_deref()))
        .sum();
    let mut victims: Vec<u32> = incidents
        .iter()
        .flat_map(|&i| context.people.victims[i as usize].iter().copied())
        .collect();
    victims.sort_unstable();
    victims.dedup();
    let signals = flags.iter().filter(|f| f.rule.family() == Family::Signal).count();
    let missed = flags.iter().filter(|f| f.rule.family() == Family::Missed).count();
    let days_since_last = (now - last_contact) as f64 / DAY as f64;
    let recency = 100.0 * 0.5f64.powf(days_since_last / weights.recency_half_life_days);
    let frequency = 100.0 * (incidents.len() as f64 / weights.frequency_cap).min(1.0);
    let gravity = 100.0 * (harm.ln_1p() / weights.gravity_cap.ln_1p()).min(1.0);
    let is_perpetrator = subject.kind == SubjectKind::Perpetrator;
    let victim_points = 100.0 * (victims.len() as f64 / weights.victims_cap).min(1.0);
    let flag_points = 100.0 * ((signals + 2 * missed) as f64 / weights.flags_cap).min(1.0);
    let victims_weight = if is_perpetrator { weights.victims } else { 0.0 };
    let total = weights.recency + weights.frequency + weights.gravity + victims_weight + weights.flags;
    let score = (weights.recency * recency
        + weights.frequency * frequency
        + weights.gravity * gravity
        + victims_weight * victim_points
        + weights.flags * flag_points)
        / total;
    let mut ordered: Vec<&&Flag> = flags.iter().collect();
    ordered.sort_by_key(|f| (f.rule.family() != Family::Missed, f.severity, f.id));
    Some(Priority {
        subject: subject.clone(),
        forces,
        last_contact,
        days_since_last,
        incidents: incidents.len(),
        harm,
        victims: victims.len(),
        signals,
        missed,
        tier: Tier {
            level: 3,
            open_missed: 0,
            acute_incidents: 0,
        },
        severity: None,
        last_referral: None,
        recency,
        frequency,
        gravity,
        victim_points,
        flag_points,
        score,
        rules: rule_list(flags),
        flag_ids: ordered.iter().map(|f| f.id).collect(),
    })
}

/// The latest MARAC or IDVA referral recorded on any of the incidents by `now`.
fn last_referral(context: &Context, incidents: &[u32], now: i64) -> Option<i64> {
    incidents
        .iter()
        .flat_map(|&i| {
            let record = context.incident(i);
            [record.marac_at, record.idva_at]
        })
        .flatten()
        .filter(|&at| at <= now)
        .max()
}

/// `RULE:count` for each rule raised, in rule order, space-separated, built
/// in one string (half a million subjects are ranked at national scale).
fn rule_list(flags: &[&Flag]) -> String {
    let mut counts = [0usize; Rule::ALL.len()];
    for flag in flags {
        counts[flag.rule as usize] += 1;
    }
    let mut list = String::new();
    for (rule, n) in Rule::ALL.iter().zip(counts).filter(|&(_, n)| n > 0) {
        if !list.is_empty() {
            list.push(' ');
        }
        let _ = write!(list, "{rule}:{n}");
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Severity;

    #[test]
    fn rule_lists_count_each_rule_once_in_rule_order() {
        let subject = SubjectRef {
            kind: SubjectKind::Victim,
            id: "P1".into(),
        };
        let times = [0, 60_000];
        let flag = |rule| Flag::new(rule, Severity::Medium, subject.clone(), vec![0, 1], &times);
        let flags = [
            flag(Rule::UnderGraded),
            flag(Rule::NightCluster),
            flag(Rule::MissedOpportunity),
            flag(Rule::NightCluster),
        ];
        let refs: Vec<&Flag> = flags.iter().collect();
        assert_eq!(rule_list(&refs), "NIGHT_CLUSTER:2 UNDER_GRADED:1 MISSED_OPPORTUNITY:1");
        assert_eq!(rule_list(&[]), "");
    }
}
