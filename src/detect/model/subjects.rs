//! Timelines: for every victim, perpetrator and dyad, the incidents that
//! name them; for contacts that name nobody, the calls by caller number and
//! the incidents by place (an address, a grid square or a postcode). Each
//! timeline is in order of first contact.

use polars::prelude::PlHashMap;
use rayon::prelude::*;

use crate::detect::input::lists::Lists;
use crate::detect::input::people::People;
use crate::detect::input::records::{Incident, Records};
use crate::detect::model::flag::{SubjectKind, SubjectRef};

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
    pub of_incident: Lists<u32>,
}

/// A subject while timelines are gathered: its kind and one or two numbers
/// (a person, a victim and a perpetrator, an interned number or postcode).
type Key = (SubjectKind, u32, u32);

/// One record of a timeline while they are gathered: the subject's key,
/// then an incident (`false`) or a loose call (`true`) and its position.
type Entry = (Key, bool, u32);

impl Subjects {
    pub fn build(records: &Records, people: &People) -> Subjects {
        let (mut entries, texts) = entries(records, people);
        // Each subject's records become one run: its incidents, then its loose calls.
        entries.par_sort_unstable();
        let runs: Vec<&[Entry]> = entries.chunk_by(|a, b| a.0 == b.0).collect();
        let mut list: Vec<Subject> = runs
            .into_par_iter()
            .map(|run| subject(records, people, &texts, run))
            .collect();
        list.par_sort_unstable_by(|a, b| a.reference.cmp(&b.reference));
        let of_incident = owners(&list, records.incidents.len());
        Subjects { list, of_incident }
    }

    /// The subject of a reference, found by its place in the list (which is in reference order).
    pub fn position(&self, reference: &SubjectRef) -> Option<usize> {
        self.list
            .binary_search_by(|subject| subject.reference.cmp(reference))
            .ok()
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

/// Every timeline entry, and the phone numbers and postcodes their keys
/// number. Incidents that name people (no texts to number) are keyed in
/// parallel; the others and the loose calls share one interner.
fn entries(records: &Records, people: &People) -> (Vec<Entry>, Vec<String>) {
    let mut entries: Vec<Entry> = (0..records.incidents.len())
        .into_par_iter()
        .filter(|&i| people.named[i])
        .flat_map_iter(|i| {
            person_keys(people, i)
                .into_iter()
                .map(move |key| (key, false, i as u32))
        })
        .collect();
    let mut texts = Interner::default();
    for (i, incident) in records.incidents.iter().enumerate() {
        if !people.named[i] {
            for key in contact_keys(records, incident, &mut texts) {
                entries.push((key, false, i as u32));
            }
        }
    }
    for (c, call) in records.calls.iter().enumerate() {
        if let (None, Some(number)) = (call.incident, &call.number) {
            entries.push(((SubjectKind::Phone, texts.number(number), 0), true, c as u32));
        }
    }
    (entries, texts.list)
}

/// The victims, perpetrators and dyads an incident names.
fn person_keys(people: &People, i: usize) -> Vec<Key> {
    let (victims, suspects) = (&people.victims[i], &people.suspects[i]);
    let mut keys: Vec<Key> = Vec::new();
    keys.extend(victims.iter().map(|&v| (SubjectKind::Victim, v, 0)));
    keys.extend(suspects.iter().map(|&s| (SubjectKind::Perpetrator, s, 0)));
    for &v in victims {
        keys.extend(suspects.iter().map(|&s| (SubjectKind::Dyad, v, s)));
    }
    keys
}

/// For an incident that names nobody: its callers' numbers and its postcode.
fn contact_keys(records: &Records, incident: &Incident, texts: &mut Interner) -> Vec<Key> {
    let mut keys: Vec<Key> = Vec::new();
    for &c in &incident.calls {
        if let Some(number) = &records.calls[c as usize].number {
            keys.push((SubjectKind::Phone, texts.number(number), 0));
        }
    }
    if let Some(place) = &incident.place {
        keys.push((SubjectKind::Address, texts.number(place), 0));
    }
    keys
}

/// One subject from its run of entries (sorted, so incidents come first).
fn subject(records: &Records, people: &People, texts: &[String], run: &[Entry]) -> Subject {
    let key = run[0].0;
    let calls_from = run.partition_point(|entry| !entry.1);
    let mut incidents: Vec<u32> = run[..calls_from].iter().map(|entry| entry.2).collect();
    incidents.dedup();
    incidents.sort_unstable_by_key(|&i| (records.incidents[i as usize].contact_at, i));
    let mut loose_calls: Vec<u32> = run[calls_from..].iter().map(|entry| entry.2).collect();
    loose_calls.sort_unstable_by_key(|&c| (records.calls[c as usize].received_at, c));
    let domestic = incidents
        .iter()
        .copied()
        .filter(|&i| records.incidents[i as usize].domestic)
        .collect();
    Subject {
        reference: SubjectRef {
            kind: key.0,
            id: name(people, texts, key),
        },
        incidents,
        domestic,
        loose_calls,
    }
}

/// A subject's id: its person id, its two person ids, or its number or postcode.
fn name(people: &People, texts: &[String], (kind, a, b): Key) -> String {
    match kind {
        SubjectKind::Victim | SubjectKind::Perpetrator => people.person_ids[a as usize].clone(),
        SubjectKind::Dyad => format!("{}+{}", people.person_ids[a as usize], people.person_ids[b as usize]),
        _ => texts[a as usize].clone(),
    }
}

/// Per incident, the subjects (by number, ascending) whose timeline holds it.
fn owners(list: &[Subject], incidents: usize) -> Lists<u32> {
    let pairs: Vec<(u32, u32)> = list
        .par_iter()
        .enumerate()
        .flat_map_iter(|(s, subject)| subject.incidents.iter().map(move |&i| (i, s as u32)))
        .collect();
    Lists::from_pairs(incidents, pairs)
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
