//! Repeat and escalation on a victim's domestic-abuse incidents:
//! MARAC_THRESHOLD (3+ in a rolling 12 months), REPEAT_AFTER_MARAC (a new
//! incident within 12 months of a MARAC referral), FREQUENCY_ESCALATION
//! (gaps shortening) and HARM_RISING (context only: Bland & Ariel found
//! frequency, not severity, escalates reliably).

use crate::detect::model::clock::span_text;
use crate::detect::model::context::{plural, Context, DAY};
use crate::detect::model::flag::{Flag, Rule, Severity, SubjectKind};
use crate::detect::model::subjects::Subject;
use crate::detect::rules::rolling::{threshold_runs, Run};

/// MARAC_THRESHOLD.
pub fn marac_threshold(context: &Context, subject: &Subject) -> Vec<Flag> {
    if subject.reference.kind != SubjectKind::Victim {
        return Vec::new();
    }
    let settings = context.settings;
    let incidents = &subject.domestic;
    let times: Vec<i64> = incidents.iter().map(|&i| context.times[i as usize]).collect();
    let window = i64::from(settings.marac_window_days) * DAY;
    threshold_runs(&times, settings.marac_incidents, window, |first, last| last - first + 1)
        .into_iter()
        .map(|Run { first, met, last }| {
            let run = &incidents[first..=last];
            let referral = run.iter().filter_map(|&i| context.incident(i).marac_at).min();
            let last_incident = context.incident(run[run.len() - 1]);
            let (severity, referral_text) = match referral {
                Some(at) => (
                    Severity::Low,
                    format!(
                        "a MARAC referral was made on {}",
                        context.clock.date_text(last_incident.force, at)
                    ),
                ),
                None => (
                    Severity::High,
                    "no MARAC referral is recorded on any of them".to_string(),
                ),
            };
            let sentence = format!(
                "{} domestic incidents about this victim within {} days, from {} to {}; {}",
                run.len(),
                settings.marac_window_days,
                context.clock.date_text(context.incident(run[0]).force, times[first]),
                context.clock.date_text(last_incident.force, times[last]),
                referral_text
            );
            context.completed_flag(
                Rule::MaracThreshold,
                severity,
                subject.reference.clone(),
                run.to_vec(),
                sentence,
                times[met],
            )
        })
        .collect()
}

/// REPEAT_AFTER_MARAC: one flag per referral followed within the window by
/// new incidents of the same victim and perpetrator (any perpetrator when the
/// referral names none), saying whether the case was re-referred.
pub fn repeat_after_marac(context: &Context, subject: &Subject) -> Vec<Flag> {
    if subject.reference.kind != SubjectKind::Victim {
        return Vec::new();
    }
    let window = i64::from(context.settings.repeat_marac_days) * DAY;
    let incidents = &subject.domestic;
    let mut flags = Vec::new();
    let mut covered_until = i64::MIN;
    for &referred in incidents {
        let Some(at) = context.incident(referred).marac_at else {
            continue;
        };
        // The same perpetrator, where the referral names one (else any new incident about the victim).
        let perpetrators = &context.people.suspects[referred as usize];
        let same_dyad = |i: u32| {
            perpetrators.is_empty()
                || context.people.suspects[i as usize]
                    .iter()
                    .any(|s| perpetrators.contains(s))
        };
        let after: Vec<u32> = incidents
            .iter()
            .copied()
            .filter(|&i| i != referred && context.times[i as usize] > at.max(covered_until))
            .filter(|&i| context.times[i as usize] <= at + window && same_dyad(i))
            .collect();
        if after.is_empty() {
            continue;
        }
        covered_until = context.times[after[after.len() - 1] as usize];
        let force = context.incident(referred).force;
        let about = if perpetrators.is_empty() {
            "this victim"
        } else {
            "this victim and the same perpetrator"
        };
        let re_referral = after
            .iter()
            .filter_map(|&i| context.incident(i).marac_at.map(|when| (when, i)))
            .min();
        let re_referred = match re_referral {
            Some((when, i)) => format!(
                "re-referred to MARAC on {}",
                context.clock.date_text(context.incident(i).force, when)
            ),
            None => "not re-referred to MARAC".into(),
        };
        let sentence = format!(
            "{} new domestic incident{} about {about} within {} days of the MARAC referral of {} (incident {}): repeat MARAC criteria met; {re_referred}",
            after.len(),
            plural(after.len()),
            context.settings.repeat_marac_days,
            context.clock.date_text(force, at),
            context.reference(referred)
        );
        let first_after = context.times[after[0] as usize];
        let mut evidence = after;
        evidence.push(referred);
        flags.push(context.completed_flag(
            Rule::RepeatAfterMarac,
            Severity::High,
            subject.reference.clone(),
            evidence,
            sentence,
            first_after,
        ));
    }
    flags
}

/// FREQUENCY_ESCALATION: `shortening_gaps` gaps in a row, each shorter than the gap before it
/// (with the default 3: five incidents, four gaps, three shortenings).
pub fn frequency_escalation(context: &Context, subject: &Subject) -> Vec<Flag> {
    if subject.reference.kind != SubjectKind::Victim {
        return Vec::new();
    }
    let needed = context.settings.shortening_gaps;
    let incidents = &subject.domestic;
    let times: Vec<i64> = incidents.iter().map(|&i| context.times[i as usize]).collect();
    let gaps: Vec<i64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    let mut flags = Vec::new();
    let mut start = 0;
    while start < gaps.len() {
        let mut end = start + 1;
        while end < gaps.len() && gaps[end] < gaps[end - 1] {
            end += 1;
        }
        if end - start > needed {
            let run = &incidents[start..=end];
            let spans: Vec<String> = gaps[start..end].iter().map(|&g| span_text(g)).collect();
            let force = context.incident(run[0]).force;
            let sentence = format!(
                "gaps between domestic incidents about this victim shortened {} times in a row: {} ({} to {})",
                end - start - 1,
                spans.join(", "),
                context.clock.date_text(force, times[start]),
                context
                    .clock
                    .date_text(context.incident(run[run.len() - 1]).force, times[end]),
            );
            let completed = times[start + needed + 1];
            flags.push(context.completed_flag(
                Rule::FrequencyEscalation,
                Severity::Medium,
                subject.reference.clone(),
                run.to_vec(),
                sentence,
                completed,
            ));
        }
        start = end;
    }
    flags
}

/// HARM_RISING (context only): consecutive recorded offences of strictly rising harm.
pub fn harm_rising(context: &Context, subject: &Subject) -> Vec<Flag> {
    if subject.reference.kind != SubjectKind::Victim {
        return Vec::new();
    }
    let needed = context.settings.harm_rising_incidents;
    let offences: Vec<(u32, &str, f64)> = subject
        .domestic
        .iter()
        .copied()
        .filter_map(|i| {
            let code = context.incident(i).offence_code.as_deref()?;
            context.harm.listed(code).map(|weight| (i, code, weight))
        })
        .collect();
    let mut flags = Vec::new();
    let mut start = 0;
    while start < offences.len() {
        let mut end = start + 1;
        while end < offences.len() && offences[end].2 > offences[end - 1].2 {
            end += 1;
        }
        let run = &offences[start..end];
        if run.len() >= needed {
            let steps: Vec<String> = run
                .iter()
                .map(|(_, code, days)| format!("{code} (weight {days})"))
                .collect();
            let sentence = format!(
                "harm of the offences recorded in {} consecutive domestic incidents about this victim rose: {}; context only, since severity trends do not predict (Bland & Ariel 2015)",
                run.len(),
                steps.join(" then ")
            );
            let evidence = run.iter().map(|(i, _, _)| *i).collect();
            // The rise is complete at the `needed`-th offence of the run.
            let completed = context.times[run[needed.max(1) - 1].0 as usize];
            flags.push(context.completed_flag(
                Rule::HarmRising,
                Severity::Info,
                subject.reference.clone(),
                evidence,
                sentence,
                completed,
            ));
        }
        start = end;
    }
    flags
}
