//! Timelines: for every victim, perpetrator and dyad, the incidents that
//! name them; for contacts that name nobody, the calls by caller number and
//! the incidents by postcode. Each timeline is in order of first contact.

use std::collections::BTreeMap;

use super::flag::{SubjectKind, SubjectRef};
use super::people::People;
use super::records::Records;

/// One subject and its timeline.
#[derive(Debug, Clone)]
pub struct Subject {
    pub reference: SubjectRef,
    /// Incidents, in order of first contact.
    pub incidents: Vec<u32>,
    /// Calls that belong to no incident in the data (phone subjects only), in time order.
    pub loose_calls: Vec<u32>,
}

/// Every subject, in a fixed order (kind, then id).
#[derive(Debug, Clone, Default)]
pub struct Subjects {
    pub list: Vec<Subject>,
    /// Per incident, the subjects whose timeline holds it.
    pub of_incident: Vec<Vec<u32>>,
}

impl Subjects {
    pub fn build(records: &Records, people: &People) -> Subjects {
        let mut timelines: BTreeMap<SubjectRef, (Vec<u32>, Vec<u32>)> = BTreeMap::new();
        let person = |kind, n: u32| SubjectRef {
            kind,
            id: people.person_ids[n as usize].clone(),
        };
        for (i, incident) in records.incidents.iter().enumerate() {
            let i = i as u32;
            let (victims, suspects) = (&people.victims[i as usize], &people.suspects[i as usize]);
            let mut keys: Vec<SubjectRef> = Vec::new();
            keys.extend(victims.iter().map(|&v| person(SubjectKind::Victim, v)));
            keys.extend(suspects.iter().map(|&s| person(SubjectKind::Perpetrator, s)));
            for &v in victims {
                for &s in suspects {
                    keys.push(SubjectRef {
                        kind: SubjectKind::Dyad,
                        id: format!("{}+{}", people.person_ids[v as usize], people.person_ids[s as usize]),
                    });
                }
            }
            if !people.named[i as usize] {
                keys.extend(
                    caller_numbers(records, incident.calls.iter().copied()).map(|number| SubjectRef {
                        kind: SubjectKind::Phone,
                        id: number.to_string(),
                    }),
                );
                keys.extend(incident.postcode.iter().map(|postcode| SubjectRef {
                    kind: SubjectKind::Address,
                    id: postcode.clone(),
                }));
            }
            keys.dedup();
            for key in keys {
                timelines.entry(key).or_default().0.push(i);
            }
        }
        for (c, call) in records.calls.iter().enumerate() {
            if let (None, Some(number)) = (call.incident, &call.number) {
                let key = SubjectRef {
                    kind: SubjectKind::Phone,
                    id: number.clone(),
                };
                timelines.entry(key).or_default().1.push(c as u32);
            }
        }
        let mut subjects = Subjects {
            list: Vec::with_capacity(timelines.len()),
            of_incident: vec![Vec::new(); records.incidents.len()],
        };
        for (reference, (mut incidents, mut loose_calls)) in timelines {
            incidents.sort_unstable_by_key(|&i| (records.incidents[i as usize].contact_at, i));
            incidents.dedup();
            loose_calls.sort_unstable_by_key(|&c| (records.calls[c as usize].received_at, c));
            let number = subjects.list.len() as u32;
            for &i in &incidents {
                subjects.of_incident[i as usize].push(number);
            }
            subjects.list.push(Subject {
                reference,
                incidents,
                loose_calls,
            });
        }
        subjects
    }

    /// The subject an incident-level flag is filed under: its first victim,
    /// else its first suspect, else its caller's number, else its postcode.
    pub fn primary(&self, records: &Records, incident: u32) -> SubjectRef {
        let owners = &self.of_incident[incident as usize];
        for kind in [
            SubjectKind::Victim,
            SubjectKind::Perpetrator,
            SubjectKind::Phone,
            SubjectKind::Address,
        ] {
            if let Some(&s) = owners.iter().find(|&&s| self.list[s as usize].reference.kind == kind) {
                return self.list[s as usize].reference.clone();
            }
        }
        let incident = &records.incidents[incident as usize];
        SubjectRef {
            kind: SubjectKind::Incident,
            id: format!("{}/{}", records.force_id(incident.force), incident.incident_ref),
        }
    }
}

/// The distinct caller numbers of some calls, in call order.
fn caller_numbers(records: &Records, calls: impl Iterator<Item = u32>) -> impl Iterator<Item = &str> {
    let mut seen: Vec<&str> = Vec::new();
    for c in calls {
        if let Some(number) = records.calls[c as usize].number.as_deref() {
            if !seen.contains(&number) {
                seen.push(number);
            }
        }
    }
    seen.into_iter()
}
