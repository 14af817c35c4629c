//! Clusters of contacts: NIGHT_CLUSTER (several about one subject in one
//! local night) and RAPID_REPEAT (each within N hours of the one before).
//! A contact is a call, or an incident that came in with no call; only
//! domestic-abuse contacts count.

use crate::detect::model::clock::span_text;
use crate::detect::model::context::Context;
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
        if let (Some(night), true) = (night, group.len() >= context.settings.night_cluster_contacts) {
            let severity = if group.len() >= 3 {
                Severity::High
            } else {
                Severity::Medium
            };
            let sentence = format!(
                "{} about {} between {} and {} on the night of {}; {}",
                context.contact_count(group),
                subject.reference.kind.noun(),
                context.clock_time(&group[0]),
                context.clock_time(&group[group.len() - 1]),
                crate::detect::model::clock::day_text(night),
                context.last_grade_text(group),
            );
            let mut flag = context.contact_flag(Rule::NightCluster, severity, subject, group, sentence);
            let completed = group[context.settings.night_cluster_contacts - 1].at;
            flag.timed(completed, completed);
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
        if group.len() >= context.settings.rapid_repeat_contacts {
            let sentence = format!(
                "{} about {} within {} ({} to {}), each within {} hours of the one before; {}",
                context.contact_count(group),
                subject.reference.kind.noun(),
                span_text(group[group.len() - 1].at - group[0].at),
                context.clock_when(&group[0]),
                context.clock_when(&group[group.len() - 1]),
                context.settings.rapid_repeat_hours,
                context.last_grade_text(group),
            );
            let mut flag = context.contact_flag(Rule::RapidRepeat, Severity::Medium, subject, group, sentence);
            let completed = group[context.settings.rapid_repeat_contacts - 1].at;
            flag.timed(completed, completed);
            flags.push(flag);
        }
        start = end;
    }
    flags
}
