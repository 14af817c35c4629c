//! Clusters of contacts: NIGHT_CLUSTER (several incidents about one subject
//! in one local night) and RAPID_REPEAT (each contact within N hours of the
//! one before, over at least two incidents). A contact is a call, or an
//! incident that came in with no call; only domestic-abuse contacts count.
//! The thresholds count distinct incidents (a call with no incident record
//! is one of its own), so a chase-up call, or a neighbour and the victim
//! both ringing about one incident, does not make a cluster; the number of
//! calls stays in the sentence.

use crate::detect::model::clock::span_text;
use crate::detect::model::context::{plural, Contact, Context};
use crate::detect::model::flag::{Flag, Rule, Severity, SubjectKind};
use crate::detect::model::subjects::Subject;

/// Subjects whose contacts are clustered: victims, and contacts that name nobody.
fn clustered(subject: &Subject) -> bool {
    matches!(
        subject.reference.kind,
        SubjectKind::Victim | SubjectKind::Phone | SubjectKind::Address
    )
}

/// NIGHT_CLUSTER: at least `night_cluster_contacts` contacts in one night.
pub fn night_clusters(context: &Context, subject: &Subject) -> Vec<Flag> {
    if !clustered(subject) {
        return Vec::new();
    }
    let contacts = context.da_contacts(subject);
    let mut flags = Vec::new();
    let mut start = 0;
    while start < contacts.len() {
        let night = context.night_of(&contacts[start]);
        let mut end = start + 1;
        while end < contacts.len() && night.is_some() && context.night_of(&contacts[end]) == night {
            end += 1;
        }
        let group = &contacts[start..end];
        let completing = completing(group, context.settings.night_cluster_contacts);
        if let (Some(night), Some(completing)) = (night, completing) {
            let severity = if distinct_incidents(group) >= 3 {
                Severity::High
            } else {
                Severity::Medium
            };
            let sentence = format!(
                "{} about {} between {} and {} on the night of {}; {}",
                incidents_text(context, group),
                subject.reference.kind.noun(),
                context.clock_time(&group[0]),
                context.clock_time(&group[group.len() - 1]),
                crate::detect::model::clock::day_text(night),
                context.last_grade_text(group),
            );
            let mut flag = context.contact_flag(Rule::NightCluster, severity, subject, group, sentence);
            flag.timed(group[completing].at, group[completing].at);
            flags.push(flag);
        }
        start = end;
    }
    flags
}

/// RAPID_REPEAT: a chain of at least `rapid_repeat_contacts` contacts, each within the window of the one before.
pub fn rapid_repeats(context: &Context, subject: &Subject) -> Vec<Flag> {
    if !clustered(subject) {
        return Vec::new();
    }
    let window = i64::from(context.settings.rapid_repeat_hours) * 3_600_000;
    let contacts = context.da_contacts(subject);
    let mut flags = Vec::new();
    let mut start = 0;
    while start < contacts.len() {
        let mut end = start + 1;
        while end < contacts.len() && contacts[end].at - contacts[end - 1].at <= window {
            end += 1;
        }
        let group = &contacts[start..end];
        if let Some(completing) = completing(group, context.settings.rapid_repeat_contacts.max(2)) {
            let sentence = format!(
                "{} about {} within {} ({} to {}), each contact within {} hours of the one before; {}",
                incidents_text(context, group),
                subject.reference.kind.noun(),
                span_text(group[group.len() - 1].at - group[0].at),
                context.clock_when(&group[0]),
                context.clock_when(&group[group.len() - 1]),
                context.settings.rapid_repeat_hours,
                context.last_grade_text(group),
            );
            let mut flag = context.contact_flag(Rule::RapidRepeat, Severity::Medium, subject, group, sentence);
            flag.timed(group[completing].at, group[completing].at);
            flags.push(flag);
        }
        start = end;
    }
    flags
}

/// What a contact is about: its incident, or for a call with no incident record the call itself.
fn about(contact: &Contact) -> (Option<u32>, Option<u32>) {
    match contact.incident {
        Some(i) => (Some(i), None),
        None => (None, contact.call),
    }
}

/// How many distinct incidents the contacts are about.
fn distinct_incidents(group: &[Contact]) -> usize {
    let mut seen: Vec<(Option<u32>, Option<u32>)> = group.iter().map(about).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// The position of the contact that brings the group to `needed` distinct incidents, if it gets there.
fn completing(group: &[Contact], needed: usize) -> Option<usize> {
    let mut seen: Vec<(Option<u32>, Option<u32>)> = Vec::new();
    for (position, contact) in group.iter().enumerate() {
        if !seen.contains(&about(contact)) {
            seen.push(about(contact));
        }
        if seen.len() >= needed.max(1) {
            return Some(position);
        }
    }
    None
}

/// "2 incidents (3 calls)", or "2 calls" when each call is its own incident.
fn incidents_text(context: &Context, group: &[Contact]) -> String {
    let incidents = distinct_incidents(group);
    if incidents == group.len() {
        return context.contact_count(group);
    }
    format!(
        "{incidents} incident{} ({})",
        plural(incidents),
        context.contact_count(group)
    )
}
