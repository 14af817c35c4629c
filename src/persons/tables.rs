//! The link stage's tables: every mention's person, the persons, the victims,
//! the perpetrators, and the dyads (victim person x suspect person named in
//! the same incident), each sorted so the same input gives the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::ingest::{mention_ids, Canonical};
use crate::link::Linked;

/// One mention's person.
#[derive(Debug, Clone)]
pub struct PersonMention {
    pub mention_id: String,
    pub force: String,
    pub incident_ref: String,
    pub role: String,
    pub person_id: String,
    /// The strongest link that holds the mention in its person (none for a person of one mention).
    pub match_probability: Option<f64>,
    /// When the incident was created (UTC milliseconds), if the incident is known.
    pub at: Option<i64>,
}

/// A person and what is known of them.
#[derive(Debug, Clone)]
pub struct Person {
    pub person_id: String,
    pub mentions: usize,
    pub incidents: usize,
    pub forces: Vec<String>,
    pub victim_mentions: usize,
    pub suspect_mentions: usize,
    pub forename: String,
    pub surname: String,
    pub dob: String,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
}

/// A victim and a suspect named together.
#[derive(Debug, Clone)]
pub struct Dyad {
    pub victim: String,
    pub perpetrator: String,
    pub incidents: usize,
    pub forces: Vec<String>,
    pub first_contact: Option<i64>,
    pub last_contact: Option<i64>,
}

/// Each mention's person, in mention id order.
pub fn person_mentions(canonical: &Canonical, linked: &Linked, person_of_record: &[String]) -> Vec<PersonMention> {
    let ids = mention_ids(&canonical.mentions);
    let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let created: HashMap<(&str, &str), i64> = canonical
        .incidents
        .iter()
        .map(|i| ((&*i.force, i.record.incident_ref.as_str()), i.record.created_at))
        .collect();
    let mut strongest: Vec<Option<f64>> = vec![None; linked.records.len()];
    for link in &linked.links {
        let (a, b) = (link.a as usize, link.b as usize);
        if linked.clusters[a] == linked.clusters[b] {
            let p = link.probability();
            for r in [a, b] {
                strongest[r] = Some(strongest[r].map_or(p, |q: f64| q.max(p)));
            }
        }
    }
    (0..linked.records.len())
        .map(|r| {
            let mention = &canonical.mentions[index[linked.records.ids.get(r)]];
            PersonMention {
                mention_id: linked.records.ids.get(r).to_string(),
                force: mention.force.to_string(),
                incident_ref: mention.record.incident_ref.clone(),
                role: mention.record.role.canonical().unwrap_or("").to_string(),
                person_id: person_of_record[r].clone(),
                match_probability: strongest[r],
                at: created
                    .get(&(&*mention.force, mention.record.incident_ref.as_str()))
                    .copied(),
            }
        })
        .collect()
}

/// The persons, by id.
pub fn persons(canonical: &Canonical, mentions: &[PersonMention]) -> Vec<Person> {
    let ids = mention_ids(&canonical.mentions);
    let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let mut by_person: BTreeMap<&str, Vec<&PersonMention>> = BTreeMap::new();
    for m in mentions {
        by_person.entry(&m.person_id).or_default().push(m);
    }
    by_person
        .into_iter()
        .map(|(person_id, list)| {
            let records: Vec<_> = list
                .iter()
                .map(|m| &canonical.mentions[index[m.mention_id.as_str()]].record)
                .collect();
            let commonest = |values: Vec<Option<String>>| {
                let mut counts: BTreeMap<String, usize> = BTreeMap::new();
                for v in values.into_iter().flatten() {
                    *counts.entry(v).or_default() += 1;
                }
                counts
                    .into_iter()
                    .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
                    .map(|(v, _)| v)
                    .unwrap_or_default()
            };
            let incidents: BTreeSet<(&str, &str)> = list
                .iter()
                .map(|m| (m.force.as_str(), m.incident_ref.as_str()))
                .collect();
            Person {
                person_id: person_id.to_string(),
                mentions: list.len(),
                incidents: incidents.len(),
                forces: distinct(list.iter().map(|m| m.force.as_str())),
                victim_mentions: list.iter().filter(|m| m.role == "VICTIM").count(),
                suspect_mentions: list.iter().filter(|m| m.role == "SUSPECT").count(),
                forename: commonest(records.iter().map(|r| r.forename.clone()).collect()),
                surname: commonest(records.iter().map(|r| r.surname.clone()).collect()),
                dob: commonest(records.iter().map(|r| r.dob.map(date_text)).collect()),
                first_seen: list.iter().filter_map(|m| m.at).min(),
                last_seen: list.iter().filter_map(|m| m.at).max(),
            }
        })
        .collect()
}

/// The persons named in `role` (VICTIM or SUSPECT) at least once, with the incidents in that role.
pub fn in_role<'a>(persons: &'a [Person], mentions: &[PersonMention], role: &str) -> Vec<(&'a Person, usize)> {
    let mut incidents: HashMap<&str, BTreeSet<(&str, &str)>> = HashMap::new();
    for m in mentions.iter().filter(|m| m.role == role) {
        incidents
            .entry(&m.person_id)
            .or_default()
            .insert((&m.force, &m.incident_ref));
    }
    persons
        .iter()
        .filter_map(|p| incidents.get(p.person_id.as_str()).map(|set| (p, set.len())))
        .collect()
}

/// Every (victim person, suspect person) pair named in one incident, with its first and last contact.
pub fn dyads(mentions: &[PersonMention]) -> Vec<Dyad> {
    let mut by_incident: BTreeMap<(&str, &str), Vec<&PersonMention>> = BTreeMap::new();
    for m in mentions {
        by_incident.entry((&m.force, &m.incident_ref)).or_default().push(m);
    }
    let mut pairs: BTreeMap<(&str, &str), Vec<&PersonMention>> = BTreeMap::new();
    for list in by_incident.values() {
        let victims: BTreeSet<&str> = list
            .iter()
            .filter(|m| m.role == "VICTIM")
            .map(|m| m.person_id.as_str())
            .collect();
        let suspects: BTreeSet<&str> = list
            .iter()
            .filter(|m| m.role == "SUSPECT")
            .map(|m| m.person_id.as_str())
            .collect();
        for v in &victims {
            for s in suspects.iter().filter(|s| *s != v) {
                pairs.entry((v, s)).or_default().push(list[0]);
            }
        }
    }
    pairs
        .into_iter()
        .map(|((victim, perpetrator), incidents)| Dyad {
            victim: victim.to_string(),
            perpetrator: perpetrator.to_string(),
            incidents: incidents.len(),
            forces: distinct(incidents.iter().map(|m| m.force.as_str())),
            first_contact: incidents.iter().filter_map(|m| m.at).min(),
            last_contact: incidents.iter().filter_map(|m| m.at).max(),
        })
        .collect()
}

fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    values
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Days since 1970-01-01 as `YYYY-MM-DD`.
pub fn date_text(days: i32) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
    (epoch + chrono::Duration::days(days as i64)).to_string()
}

/// UTC milliseconds as RFC 3339 (`2024-10-07T21:40:00Z`).
pub fn instant_text(millis: Option<i64>) -> String {
    millis
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}
