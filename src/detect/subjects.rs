//! Timelines: for every victim, perpetrator and dyad, the incidents that
//! name them; for contacts that name nobody, the calls by caller number and
//! the incidents by postcode. Each timeline is in order of first contact.

use polars::prelude::PlHashMap;
use rayon::prelude::*;

use super::flag::{SubjectKind, SubjectRef};
use super::people::People;
use super::records::Records;

/// One subject and its timeline.
#[derive(Debug, Clone)]
pub struct Subject {
    pub reference: SubjectRef,
    /// Incidents, in order of first contact.
    pub incidents: Vec<u32>,
    /// The domestic-abuse ones among them, in the same order (what signals read).
    pub domestic: Vec<u32>,
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

/// A subject while timelines are gathered: its kind and one or two numbers
/// (a person, a victim and a perpetrator, an interned number or postcode).
type Key = (SubjectKind, u32, u32);

/// A subject's incidents and loose calls while they are gathered.
type Lists = (Vec<u32>, Vec<u32>);

impl Subjects {
    pub fn build(records: &Records, people: &People) -> Subjects {
        let mut texts = Interner::default();
        let mut timelines: PlHashMap<Key, Lists> = PlHashMap::default();
        for i in 0..records.incidents.len() {
            for key in incident_keys(records, people, &mut texts, i) {
                timelines.entry(key).or_default().0.push(i as u32);
            }
        }
        for (c, call) in records.calls.iter().enumerate() {
            if let (None, Some(number)) = (call.incident, &call.number) {
                let key = (SubjectKind::Phone, texts.number(number), 0);
                timelines.entry(key).or_default().1.push(c as u32);
            }
        }
        let name = |(kind, a, b): Key| -> String {
            match kind {
                SubjectKind::Victim | SubjectKind::Perpetrator => people.person_ids[a as usize].clone(),
                SubjectKind::Dyad => format!("{}+{}", people.person_ids[a as usize], people.person_ids[b as usize]),
                _ => texts.list[a as usize].clone(),
            }
        };
        let keyed: Vec<(Key, Lists)> = timelines.into_iter().collect();
        let mut named: Vec<(SubjectRef, Lists)> = keyed
            .into_par_iter()
            .map(|(key, (mut incidents, mut loose_calls))| {
                incidents.sort_unstable_by_key(|&i| (records.incidents[i as usize].contact_at, i));
                incidents.dedup();
                loose_calls.sort_unstable_by_key(|&c| (records.calls[c as usize].received_at, c));
                let reference = SubjectRef {
                    kind: key.0,
                    id: name(key),
                };
                (reference, (incidents, loose_calls))
            })
            .collect();
        named.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut subjects = Subjects {
            list: Vec::with_capacity(named.len()),
            of_incident: vec![Vec::new(); records.incidents.len()],
        };
        for (reference, (incidents, loose_calls)) in named {
            let number = subjects.list.len() as u32;
            for &i in &incidents {
                subjects.of_incident[i as usize].push(number);
            }
            let domestic = incidents
                .iter()
                .copied()
                .filter(|&i| records.incidents[i as usize].domestic)
                .collect();
            subjects.list.push(Subject {
                reference,
                incidents,
                domestic,
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

/// The subjects whose timeline holds incident `i`.
fn incident_keys(records: &Records, people: &People, texts: &mut Interner, i: usize) -> Vec<Key> {
    let (victims, suspects) = (&people.victims[i], &people.suspects[i]);
    let mut keys: Vec<Key> = Vec::new();
    keys.extend(victims.iter().map(|&v| (SubjectKind::Victim, v, 0)));
    keys.extend(suspects.iter().map(|&s| (SubjectKind::Perpetrator, s, 0)));
    for &v in victims {
        keys.extend(suspects.iter().map(|&s| (SubjectKind::Dyad, v, s)));
    }
    if !people.named[i] {
        let incident = &records.incidents[i];
        for &c in &incident.calls {
            if let Some(number) = &records.calls[c as usize].number {
                keys.push((SubjectKind::Phone, texts.number(number), 0));
            }
        }
        if let Some(postcode) = &incident.postcode {
            keys.push((SubjectKind::Address, texts.number(postcode), 0));
        }
        keys.sort_unstable();
        keys.dedup();
    }
    keys
}

/// Phone numbers and postcodes as numbers, each text once.
#[derive(Default)]
struct Interner {
    list: Vec<String>,
    numbers: PlHashMap<String, u32>,
}

impl Interner {
    fn number(&mut self, text: &str) -> u32 {
        if let Some(&n) = self.numbers.get(text) {
            return n;
        }
        self.list.push(text.to_string());
        self.numbers.insert(text.to_string(), (self.list.len() - 1) as u32);
        (self.list.len() - 1) as u32
    }
}
