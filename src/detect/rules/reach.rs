//! Reach: SERIAL_PERPETRATOR (one perpetrator, several victims over two or
//! more incidents within a window; Northumbria's definition is 2+ within 3
//! years) and CROSS_FORCE
//! (a victim or perpetrator known to more than one force).

use std::collections::BTreeMap;

use crate::detect::model::context::{capital, plural, Context, DAY};
use crate::detect::model::flag::{Flag, Rule, Severity, SubjectKind};
use crate::detect::model::subjects::Subject;
use crate::detect::rules::rolling::{run_flag, threshold_runs};

/// SERIAL_PERPETRATOR: runs of incidents at which the victims named within the window reach the threshold.
pub fn serial_perpetrator(context: &Context, subject: &Subject) -> Vec<Flag> {
    if subject.reference.kind != SubjectKind::Perpetrator {
        return Vec::new();
    }
    let settings = context.settings;
    let window = i64::from(settings.serial_window_days) * DAY;
    let incidents: Vec<u32> = subject
        .domestic
        .iter()
        .copied()
        .filter(|&i| !context.people.victims[i as usize].is_empty())
        .collect();
    let victims_between = |first: usize, last: usize| {
        let mut victims: Vec<u32> = incidents[first..=last]
            .iter()
            .flat_map(|&i| context.people.victims[i as usize].iter().copied())
            .collect();
        victims.sort_unstable();
        victims.dedup();
        victims
    };
    let times: Vec<i64> = incidents.iter().map(|&i| context.times[i as usize]).collect();
    // Two incidents at least: one incident naming two victims is not a series.
    let runs = threshold_runs(&times, settings.serial_victims, window, |first, last| {
        if last > first {
            victims_between(first, last).len()
        } else {
            0
        }
    });
    runs.into_iter()
        .map(|run| {
            let victims = victims_between(run.first, run.last);
            let count = run.last - run.first + 1;
            let sentence = format!(
                "{} different victims ({}) within {} days: {count} domestic incident{} {}",
                victims.len(),
                context.person_list(victims.iter().copied()),
                settings.serial_window_days,
                plural(count),
                context.dates_from_to(incidents[run.first], incidents[run.last]),
            );
            let rule = (Rule::SerialPerpetrator, Severity::High);
            run_flag(context, rule, subject, &incidents, run, sentence)
        })
        .collect()
}

/// CROSS_FORCE: one flag per victim or perpetrator whose domestic incidents span the threshold of forces.
pub fn cross_force(context: &Context, subject: &Subject) -> Vec<Flag> {
    if !matches!(subject.reference.kind, SubjectKind::Victim | SubjectKind::Perpetrator) {
        return Vec::new();
    }
    let incidents = &subject.domestic;
    let mut by_force: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for &i in incidents {
        by_force
            .entry(context.records.force_id(context.incident(i).force))
            .or_default()
            .push(i);
    }
    if by_force.len() < context.settings.cross_force_forces {
        return Vec::new();
    }
    let parts: Vec<String> = by_force
        .iter()
        .map(|(force, list)| {
            let last = list[list.len() - 1];
            format!(
                "{force} ({} domestic incident{}, the last on {})",
                list.len(),
                plural(list.len()),
                context
                    .clock
                    .date_text(context.incident(last).force, context.times[last as usize])
            )
        })
        .collect();
    let sentence = format!(
        "{} is known to {} forces: {}",
        capital(subject.reference.kind.noun()),
        by_force.len(),
        parts.join("; ")
    );
    let mut firsts: Vec<i64> = by_force.values().map(|list| context.times[list[0] as usize]).collect();
    firsts.sort_unstable();
    let completed = firsts[context.settings.cross_force_forces - 1];
    vec![context.completed_flag(
        Rule::CrossForce,
        Severity::Medium,
        subject.reference.clone(),
        incidents.clone(),
        sentence,
        completed,
    )]
}
