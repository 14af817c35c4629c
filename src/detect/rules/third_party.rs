//! THIRD_PARTY_REPORTS: domestic-abuse incidents about a victim reported by
//! someone else (a neighbour, a relative: a linked person recorded as the
//! CALLER who is neither a victim nor a suspect of the incident). Abuse
//! that others hear and report is abuse the victim may not be reporting
//! herself; the threshold (2 within 12 months) is our choice. Organisations
//! that call are never persons, so they do not count.

use crate::detect::model::context::{plural, Context, DAY};
use crate::detect::model::flag::{Flag, Rule, Severity, SubjectKind};
use crate::detect::model::subjects::Subject;
use crate::detect::rules::rolling::{threshold_runs, Run};

/// The people who reported incident `i` on someone else's behalf.
fn third_parties(context: &Context, i: u32) -> Vec<u32> {
    let people = context.people;
    let named = |p: &u32| people.victims[i as usize].contains(p) || people.suspects[i as usize].contains(p);
    people.callers[i as usize]
        .iter()
        .copied()
        .filter(|p| !named(p))
        .collect()
}

/// THIRD_PARTY_REPORTS: runs of a victim's domestic incidents at which those
/// reported by someone else within the window reach the threshold.
pub fn third_party_reports(context: &Context, subject: &Subject) -> Vec<Flag> {
    if subject.reference.kind != SubjectKind::Victim {
        return Vec::new();
    }
    let settings = context.settings;
    let reported: Vec<(u32, Vec<u32>)> = subject
        .domestic
        .iter()
        .map(|&i| (i, third_parties(context, i)))
        .filter(|(_, callers)| !callers.is_empty())
        .collect();
    let times: Vec<i64> = reported.iter().map(|(i, _)| context.times[*i as usize]).collect();
    let window = i64::from(settings.third_party_days) * DAY;
    threshold_runs(&times, settings.third_party_reports, window, |first, last| last - first + 1)
        .into_iter()
        .map(|Run { first, met, last }| {
            let run = &reported[first..=last];
            let mut callers: Vec<&str> = run
                .iter()
                .flat_map(|(_, callers)| callers.iter())
                .map(|&p| context.people.person_ids[p as usize].as_str())
                .collect();
            callers.sort_unstable();
            callers.dedup();
            let (start, end) = (run[0].0, run[run.len() - 1].0);
            let sentence = format!(
                "{} domestic incident{} about this victim within {} days reported by someone else ({} caller{}: {}), from {} to {}",
                run.len(),
                plural(run.len()),
                settings.third_party_days,
                callers.len(),
                plural(callers.len()),
                callers.join(", "),
                context.clock.date_text(context.incident(start).force, times[first]),
                context.clock.date_text(context.incident(end).force, times[last]),
            );
            let mut flag = context.incident_flag(
                Rule::ThirdPartyReports,
                Severity::Low,
                subject.reference.clone(),
                run.iter().map(|(i, _)| *i).collect(),
                sentence,
            );
            flag.timed(times[met], times[met]);
            flag
        })
        .collect()
}
