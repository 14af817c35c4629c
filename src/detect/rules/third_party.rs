//! THIRD_PARTY_REPORTS: domestic-abuse incidents about a victim reported by
//! someone else (a neighbour, a relative: a linked person recorded as the
//! CALLER who is neither a victim nor a suspect of the incident). Abuse
//! that others hear and report is abuse the victim may not be reporting
//! herself; the threshold (2 within 12 months) is our choice. Organisations
//! that call are never persons, so they do not count.

use crate::detect::model::context::{plural, Context, DAY};
use crate::detect::model::flag::{Flag, Rule, Severity, SubjectKind};
use crate::detect::model::subjects::Subject;
use crate::detect::rules::rolling::{run_flag, threshold_runs};

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
    let incidents: Vec<u32> = reported.iter().map(|(i, _)| *i).collect();
    let times: Vec<i64> = incidents.iter().map(|&i| context.times[i as usize]).collect();
    let window = i64::from(settings.third_party_days) * DAY;
    threshold_runs(&times, settings.third_party_reports, window, |first, last| last - first + 1)
        .into_iter()
        .map(|run| {
            let count = run.last - run.first + 1;
            let mut callers: Vec<u32> = reported[run.first..=run.last]
                .iter()
                .flat_map(|(_, callers)| callers.iter().copied())
                .collect();
            callers.sort_unstable();
            callers.dedup();
            let sentence = format!(
                "{count} domestic incident{} about this victim within {} days reported by someone else ({} caller{}: {}), {}",
                plural(count),
                settings.third_party_days,
                callers.len(),
                plural(callers.len()),
                context.person_list(callers.iter().copied()),
                context.dates_from_to(incidents[run.first], incidents[run.last]),
            );
            let rule = (Rule::ThirdPartyReports, Severity::Low);
            run_flag(context, rule, subject, &incidents, run, sentence)
        })
        .collect()
}
