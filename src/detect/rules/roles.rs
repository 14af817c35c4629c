//! Who a victim is named against: COUNTER_ALLEGATION (a victim recorded as
//! the suspect against the same partner in another incident: College of
//! Policing APP on domestic abuse asks officers to identify the primary
//! perpetrator when allegations run both ways, and perpetrators use
//! counter-allegations) and SEVERAL_PERPETRATORS (a victim named with two or
//! more different perpetrators within a window: DASH asks whether anyone
//! else is harming the victim, the mark of family and honour-based abuse;
//! "different" as their records show it, so that one perpetrator the
//! linker left in two pieces is not two).

use crate::detect::model::context::{plural, Context, DAY};
use crate::detect::model::flag::{Flag, Rule, Severity, SubjectKind, SubjectRef};
use crate::detect::model::subjects::Subject;
use crate::detect::rules::rolling::{run_flag, threshold_runs};

/// The number of the person a victim subject is (found on its first incident).
fn victim_number(context: &Context, subject: &Subject) -> Option<u32> {
    let first = *subject.incidents.first()?;
    context.people.victims[first as usize]
        .iter()
        .copied()
        .find(|&v| context.people.person_ids[v as usize] == subject.reference.id)
}

/// The domestic incidents of `victim`'s timeline that name `suspect`.
fn incidents_naming(context: &Context, victim: u32, suspect: u32) -> Vec<u32> {
    let reference = SubjectRef {
        kind: SubjectKind::Victim,
        id: context.people.person_ids[victim as usize].clone(),
    };
    let Some(s) = context.subjects.position(&reference) else {
        return Vec::new();
    };
    context.subjects.list[s]
        .domestic
        .iter()
        .copied()
        .filter(|&i| context.people.suspects[i as usize].contains(&suspect))
        .collect()
}

/// COUNTER_ALLEGATION: one flag per pair of people each recorded as the
/// victim of the other within the window, filed under the one who was the
/// victim first, dated by the first incident that turned the roles round.
pub fn counter_allegation(context: &Context, subject: &Subject) -> Vec<Flag> {
    if subject.reference.kind != SubjectKind::Victim {
        return Vec::new();
    }
    let Some(victim) = victim_number(context, subject) else {
        return Vec::new();
    };
    let window = i64::from(context.settings.counter_allegation_days) * DAY;
    let mut partners: Vec<u32> = subject
        .domestic
        .iter()
        .flat_map(|&i| context.people.suspects[i as usize].iter().copied())
        .filter(|&s| s != victim)
        .collect();
    partners.sort_unstable();
    partners.dedup();
    let order = |i: u32| (context.times[i as usize], i);
    let mut flags = Vec::new();
    for partner in partners {
        let alleged = incidents_naming(context, victim, partner);
        let countered = incidents_naming(context, partner, victim);
        let (Some(&first), Some(&first_counter)) = (alleged.first(), countered.first()) else {
            continue;
        };
        // The pair's flag belongs to whoever was the victim first.
        if order(first_counter) <= order(first) {
            continue;
        }
        let turned = countered.iter().copied().find(|&c| {
            alleged
                .iter()
                .any(|&a| order(a) < order(c) && within(context, a, c, window))
        });
        let Some(turned) = turned else { continue };
        let before = alleged.iter().filter(|&&a| order(a) < order(turned)).count();
        let mut evidence: Vec<u32> = alleged
            .iter()
            .chain(&countered)
            .copied()
            .filter(|&i| order(i) <= order(turned))
            .collect();
        evidence.sort_unstable_by_key(|&i| order(i));
        flags.push(counter_flag(context, subject, partner, &evidence, turned, before));
    }
    flags
}

fn within(context: &Context, earlier: u32, later: u32, window: i64) -> bool {
    context.times[later as usize] - context.times[earlier as usize] < window
}

/// The flag of a pair: `evidence` in time order up to the incident that
/// `turned` the roles, `before` of them with the subject as the victim.
fn counter_flag(
    context: &Context,
    subject: &Subject,
    partner: u32,
    evidence: &[u32],
    turned: u32,
    before: usize,
) -> Flag {
    let first = evidence[0];
    let at = context.times[turned as usize];
    let sentence = format!(
        "This victim was recorded as the victim of {} on {} (incident {}), then as the suspect against them on {} (incident {}), within {} days: allegations run both ways, so the primary perpetrator needs identifying ({} incident{} with this victim as the victim before the roles turned)",
        context.people.person_ids[partner as usize],
        context.clock.date_text(context.incident(first).force, context.times[first as usize]),
        context.reference(first),
        context.clock.date_text(context.incident(turned).force, at),
        context.reference(turned),
        context.settings.counter_allegation_days,
        before,
        plural(before),
    );
    context.completed_flag(
        Rule::CounterAllegation,
        Severity::Medium,
        subject.reference.clone(),
        evidence.to_vec(),
        sentence,
        at,
    )
}

/// Of some persons, those whose records show each to be a different person
/// from every one kept before it (two pieces of one perpetrator the linker
/// left apart count once: same name either way round, a shared name, or
/// too little recorded to tell; `Identity::different_from`).
fn different_people(context: &Context, persons: Vec<u32>) -> Vec<u32> {
    let mut kept: Vec<u32> = Vec::new();
    for person in persons {
        if kept.iter().all(|&k| context.people.different(k, person).is_some()) {
            kept.push(person);
        }
    }
    kept
}

/// SEVERAL_PERPETRATORS: runs of a victim's domestic incidents at which the
/// perpetrators named within the window whose records show different
/// people reach the threshold.
pub fn several_perpetrators(context: &Context, subject: &Subject) -> Vec<Flag> {
    if subject.reference.kind != SubjectKind::Victim {
        return Vec::new();
    }
    let settings = context.settings;
    let victim = victim_number(context, subject);
    let incidents: Vec<u32> = subject
        .domestic
        .iter()
        .copied()
        .filter(|&i| !context.people.suspects[i as usize].is_empty())
        .collect();
    let perpetrators_between = |first: usize, last: usize| {
        let mut named: Vec<u32> = incidents[first..=last]
            .iter()
            .flat_map(|&i| context.people.suspects[i as usize].iter().copied())
            .filter(|&s| Some(s) != victim)
            .collect();
        named.sort_unstable();
        named.dedup();
        different_people(context, named)
    };
    let times: Vec<i64> = incidents.iter().map(|&i| context.times[i as usize]).collect();
    let window = i64::from(settings.several_perpetrators_days) * DAY;
    threshold_runs(&times, settings.several_perpetrators, window, |first, last| {
        perpetrators_between(first, last).len()
    })
    .into_iter()
    .map(|run| {
        let perpetrators = perpetrators_between(run.first, run.last);
        let mut reasons: Vec<&str> = perpetrators
            .windows(2)
            .filter_map(|pair| context.people.different(pair[0], pair[1]))
            .collect();
        reasons.sort_unstable();
        reasons.dedup();
        let count = run.last - run.first + 1;
        let sentence = format!(
            "{} different perpetrators ({}; {}) named against this victim within {} days: {count} domestic incident{} {}",
            perpetrators.len(),
            context.person_list(perpetrators.iter().copied()),
            reasons.join(", "),
            settings.several_perpetrators_days,
            plural(count),
            context.dates_from_to(incidents[run.first], incidents[run.last]),
        );
        let rule = (Rule::SeveralPerpetrators, Severity::Medium);
        run_flag(context, rule, subject, &incidents, run, sentence)
    })
    .collect()
}
