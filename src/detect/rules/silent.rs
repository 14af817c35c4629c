//! SILENT_CALL_NO_RESPONSE: a silent or abandoned 999 call (flagged so by
//! the export, or opened as ABANDONED_CALL where the export has no such
//! flag) from a number, or at a place, with domestic-abuse history, that
//! got neither an emergency grade nor a dispatch within the configured
//! minutes (IOPC, Hampshire 2023). Call-backs are not in the canonical data,
//! so a prompt call-back cannot clear a call; the sentence says what was
//! recorded.

use crate::detect::model::context::{plural, Context};
use crate::detect::model::flag::{Flag, Rule, Severity, SubjectKind, SubjectRef};
use crate::detect::rules::history::DaIndex;
use crate::schema::{Category, Channel, Grade};

/// Whether a call is a silent or abandoned 999 call.
pub fn is_silent(context: &Context, call: u32) -> bool {
    let record = &context.records.calls[call as usize];
    let incident = record.incident.map(|i| context.incident(i));
    let classified = incident.is_some_and(|i| i.opening == Some(Category::AbandonedCall));
    record.channel == Some(Channel::Emergency999) && (record.silent || record.abandoned || classified)
}

/// Checks one silent or abandoned 999 call (see [`is_silent`]).
pub fn silent_call(context: &Context, history: &DaIndex, call: u32) -> Option<Flag> {
    let record = &context.records.calls[call as usize];
    let incident = record.incident.map(|i| context.incident(i));
    let at = record.received_at;
    let by_number = record
        .number
        .as_deref()
        .map(|n| history.number_before(context, n, at))
        .unwrap_or_default();
    let (prior, joined_by) = if by_number.is_empty() {
        let place = incident.and_then(|i| i.place.as_deref())?;
        (history.place_before(context, place, at, record.incident), "at a place")
    } else {
        (by_number, "from a number")
    };
    let latest = *prior.last()?;
    let allowed = i64::from(context.settings.silent_call_response_minutes) * 60_000;
    let response = match incident {
        Some(i) if i.grade() == Some(Grade::Emergency) => return None,
        Some(i) if i.dispatched_at.is_some_and(|d| d - at <= allowed) => return None,
        Some(_) => format!(
            "{}, with no dispatch within {} minutes",
            context.grade_text(record.incident?),
            context.settings.silent_call_response_minutes
        ),
        None => "no incident was opened".into(),
    };
    if !context.past(at, allowed) {
        return None;
    }
    let kind = match (record.silent, record.abandoned) {
        (true, _) => "Silent 999 call",
        (false, true) => "Abandoned 999 call",
        (false, false) => "999 call opened as ABANDONED_CALL",
    };
    let sentence = format!(
        "{kind} at {} {joined_by} with {} domestic incident{} in the previous {} days (the last {}); {response}",
        context.when(record.force, at),
        prior.len(),
        plural(prior.len()),
        context.settings.history_days,
        context.reference(latest),
    );
    let subject = subject_of(context, record.number.as_deref(), latest);
    let mut evidence = prior;
    evidence.extend(record.incident);
    let mut flag = context.incident_flag(Rule::SilentCallNoResponse, Severity::High, subject, evidence, sentence);
    flag.about = record.incident;
    if record.incident.is_none() {
        flag.loose_calls.push(call);
    }
    (flag.start, flag.end) = (at, at);
    flag.timed(at, at + allowed);
    Some(flag)
}

/// The victim of the latest history incident when there is one, else the number.
fn subject_of(context: &Context, number: Option<&str>, latest: u32) -> SubjectRef {
    if let Some(&victim) = context.people.victims[latest as usize].first() {
        return SubjectRef {
            kind: SubjectKind::Victim,
            id: context.people.person_ids[victim as usize].clone(),
        };
    }
    match number {
        Some(number) => SubjectRef {
            kind: SubjectKind::Phone,
            id: number.to_string(),
        },
        None => context.subjects.primary(context.records, latest),
    }
}
