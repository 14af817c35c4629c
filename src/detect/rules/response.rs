//! Response gaps on one domestic-abuse incident: UNDER_GRADED, DOWNGRADED,
//! LATE_ATTENDANCE, NOT_ATTENDED, NO_SPECIALIST_REVIEW and CODE_MISMATCH.
//! NOT_ATTENDED and CODE_MISMATCH are not raised where the force closed the
//! incident with a code it lists as needing no attendance (a duplicate, a
//! cancelled call, advice given).
//! Each is filed under the incident's primary subject (its victim, where
//! named); a deadline that has not yet passed at the end of the data raises
//! nothing.

use crate::config::code_key;
use crate::detect::input::records::Incident;
use crate::detect::model::clock::span_text;
use crate::detect::model::context::{capital, plural, Context, HOUR};
use crate::detect::model::flag::{Flag, Rule, Severity};
use crate::detect::rules::history::prior_da;
use crate::schema::{Category, Grade};

fn gap(context: &Context, rule: Rule, severity: Severity, incident: u32, evidence: Vec<u32>, sentence: String) -> Flag {
    let subject = context.subjects.primary(context.records, incident);
    let at = context.times[incident as usize];
    let mut flag = context.completed_flag(rule, severity, subject, evidence, sentence, at);
    flag.about = Some(incident);
    (flag.start, flag.end) = (flag.start.min(at), flag.end.max(at));
    flag
}

/// UNDER_GRADED: graded below PRIORITY although the subject had domestic-abuse history.
pub fn under_graded(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    if !record.domestic || record.grade()? <= Grade::Priority {
        return None;
    }
    let prior = prior_da(context, incident)?;
    let latest = *prior.incidents.last()?;
    let sentence = format!(
        "{} at {} although {} had {} domestic incident{} in the previous {} days, the last at {} ({})",
        capital(&context.grade_text(incident)),
        context.when(record.force, context.times[incident as usize]),
        prior.subject.kind.noun(),
        prior.incidents.len(),
        plural(prior.incidents.len()),
        context.settings.history_days,
        context.when(context.incident(latest).force, context.times[latest as usize]),
        context.reference(latest),
    );
    let mut evidence = prior.incidents;
    evidence.push(incident);
    let mut flag = gap(context, Rule::UnderGraded, Severity::High, incident, evidence, sentence);
    flag.start = context.times[incident as usize];
    Some(flag)
}

/// DOWNGRADED: the grade was lowered before anyone arrived.
pub fn downgraded(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    let (initial, last) = (record.initial_grade?, record.final_grade?);
    if !record.domestic || last <= initial {
        return None;
    }
    let before_arrival = match (record.regraded_at, record.arrived_at) {
        (Some(regraded), Some(arrived)) => regraded < arrived,
        _ => true,
    };
    if !before_arrival {
        return None;
    }
    let when = record.regraded_at.map_or_else(
        || "at a time not recorded".to_string(),
        |at| format!("at {}", context.when(record.force, at)),
    );
    let attendance = match record.arrived_at {
        Some(at) => format!("attended at {}", context.when(record.force, at)),
        None => "never attended".into(),
    };
    let sentence = format!("Graded {initial}, lowered to {last} {when} before anyone arrived; {attendance}");
    let mut flag = gap(
        context,
        Rule::Downgraded,
        Severity::Medium,
        incident,
        vec![incident],
        sentence,
    );
    let lowered = record.regraded_at.unwrap_or(record.contact_at);
    flag.timed(lowered, lowered);
    Some(flag)
}

/// The attendance target of an incident's grade in its area, in
/// milliseconds, with the grade it belongs to and the words that name it; an
/// unknown area gets the force's stated area for unrecorded ones (rural, the
/// longer target, by default). Judged by the final grade, or with
/// `strictest` by whichever of the first and final grades has the shorter
/// target (a call lowered before anyone arrived does not escape its first
/// grade's target; the lowering is DOWNGRADED's gap).
fn target(context: &Context, incident: u32, strictest: bool) -> Option<(i64, Grade, String)> {
    let record = context.incident(incident);
    let targets = &context.forces[usize::from(record.force)].targets;
    let judged = |grade: Grade| targets.minutes(grade, record.area).map(|minutes| (minutes, grade));
    let final_target = record.final_grade.or(record.initial_grade).and_then(judged);
    let first_target = record.initial_grade.and_then(judged).filter(|_| strictest);
    let (minutes, grade) = [final_target, first_target].into_iter().flatten().min()?;
    let area_text = match (grade, record.area) {
        (Grade::Emergency, Some(area)) => format!(" {}", area.code().to_lowercase()),
        (Grade::Emergency, None) => format!(
            " (area not recorded: {} target)",
            targets.unrecorded_area.code().to_lowercase()
        ),
        _ => String::new(),
    };
    let lowered = match record.final_grade {
        Some(last) if last != grade => format!(", its first grade (lowered to {last})"),
        _ => String::new(),
    };
    Some((
        i64::from(minutes) * 60_000,
        grade,
        format!("{grade}{area_text}{lowered}"),
    ))
}

/// LATE_ATTENDANCE: arrival after the target for the grade and area, counted
/// from the first contact, judged by the first grade as well as the final one.
pub fn late_attendance(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    let arrived = record.arrived_at?;
    let (limit, grade, named) = target(context, incident, true)?;
    let taken = arrived - record.contact_at;
    if !record.domestic || taken <= limit {
        return None;
    }
    let severity = if grade == Grade::Emergency {
        Severity::High
    } else {
        Severity::Medium
    };
    let sentence = format!(
        "Attended {} after the first contact at {}, against the {} target for {named}",
        span_text(taken),
        context.when(record.force, record.contact_at),
        span_text(limit),
    );
    let mut flag = gap(
        context,
        Rule::LateAttendance,
        severity,
        incident,
        vec![incident],
        sentence,
    );
    flag.end = arrived;
    flag.timed(record.contact_at, record.contact_at + limit);
    Some(flag)
}

/// NOT_ATTENDED: a deployable grade, no arrival, and the target long past.
pub fn not_attended(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    if !record.domestic || record.arrived_at.is_some() || needed_no_attendance(context, record) {
        return None;
    }
    let (limit, _, named) = target(context, incident, false)?;
    if !context.past(record.contact_at, limit) {
        return None;
    }
    let sentence = format!(
        "{} at {} and never attended (the {named} target is {})",
        capital(&context.grade_text(incident)),
        context.when(record.force, record.contact_at),
        span_text(limit)
    );
    let mut flag = gap(
        context,
        Rule::NotAttended,
        Severity::High,
        incident,
        vec![incident],
        sentence,
    );
    flag.timed(record.contact_at, record.contact_at + limit);
    Some(flag)
}

/// Whether the force closed the incident with a raw closing code, raw
/// outcome or outcome it lists as needing no attendance (a duplicate, a
/// cancelled call, advice given).
fn needed_no_attendance(context: &Context, record: &Incident) -> bool {
    let listed = &context.forces[usize::from(record.force)].no_attendance_needed;
    let closings = [&record.closing_code_raw, &record.outcome_raw, &record.outcome];
    !listed.is_empty()
        && closings
            .into_iter()
            .flatten()
            .any(|code| listed.contains(&code_key(code)))
}

/// NO_SPECIALIST_REVIEW: a domestic-abuse contact in the force's pilot period with no specialist review in time.
pub fn no_specialist_review(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    let from = context.forces[usize::from(record.force)].specialist_reviews_from?;
    let allowed = i64::from(context.settings.specialist_review_hours) * HOUR;
    if !record.domestic || record.contact_at < from || !context.past(record.contact_at, allowed) {
        return None;
    }
    let outcome = match record.review_at {
        Some(at) if at - record.contact_at <= allowed => return None,
        Some(at) => format!("reviewed {} after it", span_text(at - record.contact_at)),
        None => "no specialist review is recorded".into(),
    };
    let sentence = format!(
        "Domestic-abuse contact at {} in the pilot period; {outcome} (expected within {} hours)",
        context.when(record.force, record.contact_at),
        context.settings.specialist_review_hours
    );
    let mut flag = gap(
        context,
        Rule::NoSpecialistReview,
        Severity::Low,
        incident,
        vec![incident],
        sentence,
    );
    flag.timed(record.contact_at, record.contact_at + allowed);
    Some(flag)
}

/// CODE_MISMATCH: opened as domestic and closed otherwise, or the reverse.
pub fn code_mismatch(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    let (opening, closing) = (record.opening?, record.closing?);
    let domestic = Category::Domestic;
    // Closed as a duplicate or cancelled: no reclassification.
    if (opening == domestic) == (closing == domestic) || needed_no_attendance(context, record) {
        return None;
    }
    let sentence = format!(
        "Opened as {opening} and closed as {closing} at {}",
        context.when(record.force, record.contact_at)
    );
    Some(gap(
        context,
        Rule::CodeMismatch,
        Severity::Low,
        incident,
        vec![incident],
        sentence,
    ))
}
