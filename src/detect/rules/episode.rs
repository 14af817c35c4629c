//! MISSED_OPPORTUNITY: the signal was there to be seen and the response
//! fell short. A subject's episode runs from the contact that completed a
//! signal's pattern to `episode_days` after the signal's latest contact
//! (overlapping ones merge; a pattern over a long window, like CROSS_FORCE
//! over a whole history, still ends 28 days after its last contact, not
//! after its window). A gap joins it when the incident it is about is in the
//! subject's timeline (or the gap is filed under the subject), its event
//! falls inside, and it is of high or medium severity: NO_SPECIALIST_REVIEW
//! exists only in the pilot (the baseline could not have that kind of missed
//! opportunity) and CODE_MISMATCH is data-quality context. Each says
//! whether the force could see the signal's history in its own records or
//! only through linkage across forces. HARM_RISING is context, never a
//! signal here.

use std::collections::BTreeMap;

use polars::prelude::PlHashMap;
use rayon::prelude::*;

use crate::detect::input::records::Records;
use crate::detect::model::context::{Context, DAY};
use crate::detect::model::flag::{Family, Flag, Rule, Severity, SubjectRef};
use crate::detect::model::flag_id::FlagId;

/// The missed opportunities among `flags` (whose ids are already given).
pub fn missed_opportunities(context: &Context, flags: &[Flag]) -> Vec<Flag> {
    let mut signals: PlHashMap<&SubjectRef, Vec<usize>> = PlHashMap::default();
    let mut gaps_about: PlHashMap<u32, Vec<usize>> = PlHashMap::default();
    let mut gaps_of: PlHashMap<&SubjectRef, Vec<usize>> = PlHashMap::default();
    for (f, flag) in flags.iter().enumerate() {
        match flag.rule.family() {
            Family::Signal => signals.entry(&flag.subject).or_default().push(f),
            Family::Gap if can_be_missed(flag) => {
                if let Some(i) = flag.about {
                    gaps_about.entry(i).or_default().push(f);
                }
                gaps_of.entry(&flag.subject).or_default().push(f);
            }
            Family::Gap | Family::Context | Family::Missed => {}
        }
    }
    let signals: Vec<(&SubjectRef, Vec<usize>)> = signals.into_iter().collect();
    signals
        .par_iter()
        .flat_map_iter(|(subject, signal_flags)| {
            let mut candidates: Vec<usize> = gaps_of.get(subject).cloned().unwrap_or_default();
            if let Some(s) = context.subjects.position(subject) {
                for i in &context.subjects.list[s].incidents {
                    candidates.extend(gaps_about.get(i).into_iter().flatten().copied());
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            episodes(context, flags, signal_flags)
                .into_iter()
                .filter_map(move |(episode_signals, from, until)| {
                    let gaps: Vec<usize> = candidates
                        .iter()
                        .copied()
                        .filter(|&g| (from..=until).contains(&flags[g].event_at))
                        .collect();
                    (!gaps.is_empty()).then(|| joined(context, subject, flags, (&episode_signals, &gaps)))
                })
        })
        .collect()
}

/// Whether a gap can make a missed opportunity: high or medium severity, and
/// not NO_SPECIALIST_REVIEW (a pilot-only duty).
fn can_be_missed(gap: &Flag) -> bool {
    gap.severity <= Severity::Medium && gap.rule != Rule::NoSpecialistReview
}

/// Each signal from its completing contact to the episode length after its
/// latest contact, merged where they overlap.
fn episodes(context: &Context, flags: &[Flag], signals: &[usize]) -> Vec<(Vec<usize>, i64, i64)> {
    let stretch = i64::from(context.settings.episode_days) * DAY;
    let mut ordered = signals.to_vec();
    ordered.sort_by_key(|&f| (flags[f].event_at, f));
    let mut out: Vec<(Vec<usize>, i64, i64)> = Vec::new();
    for f in ordered {
        let (start, end) = (flags[f].event_at, flags[f].end + stretch);
        match out.last_mut() {
            Some(episode) if start <= episode.2 => {
                episode.0.push(f);
                episode.2 = episode.2.max(end);
            }
            _ => out.push((vec![f], start, end)),
        }
    }
    out
}

fn joined(context: &Context, subject: &SubjectRef, flags: &[Flag], (signals, gaps): (&[usize], &[usize])) -> Flag {
    let members: Vec<&Flag> = signals.iter().chain(gaps).map(|&f| &flags[f]).collect();
    let mut incidents: Vec<u32> = members.iter().flat_map(|f| f.incidents.iter().copied()).collect();
    incidents.sort_unstable();
    incidents.dedup();
    let mut loose_calls: Vec<u32> = members.iter().flat_map(|f| f.loose_calls.iter().copied()).collect();
    loose_calls.sort_unstable();
    loose_calls.dedup();
    let (signal_flags, gap_flags) = members.split_at(signals.len());
    let seen = if seen_in_own_records(context.records, signal_flags, gap_flags) {
        "the force could see the signal's history in its own records"
    } else {
        "the signal's history was to be seen only by linking records across forces"
    };
    let sentence = format!(
        "Signals {} met response gaps {} in one episode; {seen}. First signal: {}. First gap: {}",
        rule_counts(signals.iter().map(|&f| flags[f].rule)),
        rule_counts(gaps.iter().map(|&f| flags[f].rule)),
        flags[signals[0]].sentence,
        flags[gaps[0]].sentence,
    );
    Flag {
        id: FlagId::default(),
        rule: Rule::MissedOpportunity,
        severity: Severity::High,
        subject: subject.clone(),
        start: members.iter().map(|f| f.start).min().unwrap_or(0),
        end: members.iter().map(|f| f.end).max().unwrap_or(0),
        // When the response first fell short, and when a signal and a gap were first both to be seen.
        event_at: earliest(gaps.iter().map(|&f| flags[f].event_at)),
        detected_at: earliest(signals.iter().map(|&f| flags[f].detected_at))
            .max(earliest(gaps.iter().map(|&f| flags[f].detected_at))),
        incidents,
        loose_calls,
        about: None,
        sentence,
        joins: signals.iter().chain(gaps).copied().collect(),
    }
}

/// Whether the force whose response fell short (that of the first gap's
/// incident) held every contact behind one of the signals, up to the one
/// that completed it, in its own records.
pub fn seen_in_own_records(records: &Records, signals: &[&Flag], gaps: &[&Flag]) -> bool {
    let Some(gap) = gaps.first() else {
        return false;
    };
    let force = gap.home_force(records);
    signals.iter().any(|signal| {
        let incidents = signal
            .incidents
            .iter()
            .map(|&i| &records.incidents[i as usize])
            .filter(|i| i.contact_at <= signal.detected_at)
            .map(|i| i.force);
        let calls = signal
            .loose_calls
            .iter()
            .map(|&c| &records.calls[c as usize])
            .filter(|c| c.received_at <= signal.detected_at)
            .map(|c| c.force);
        incidents.chain(calls).all(|f| f == force)
    })
}

fn earliest(times: impl Iterator<Item = i64>) -> i64 {
    times.min().unwrap_or(0)
}

/// `NIGHT_CLUSTER, UNDER_GRADED x2`.
fn rule_counts(rules: impl Iterator<Item = Rule>) -> String {
    let mut counts: BTreeMap<Rule, usize> = BTreeMap::new();
    for rule in rules {
        *counts.entry(rule).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(rule, n)| {
            if n == 1 {
                rule.to_string()
            } else {
                format!("{rule} x{n}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
