//! The link stage's tables: every mention's person, the persons, the victims,
//! the perpetrators, and the dyads (victim person x suspect person named in
//! the same incident), each sorted so the same input gives the same bytes.

use std::collections::BTreeSet;

use polars::prelude::PlHashMap as HashMap;
use rayon::prelude::*;

use crate::ingest::Canonical;
use crate::link::Linked;
use crate::schema::columns as c;
use crate::wall_clock::wall_clock_text;

/// One mention's person.
#[derive(Debug, Clone)]
pub struct PersonMention {
    pub mention_id: String,
    /// The mention's position in the canonical mentions table.
    pub mention: usize,
    pub force: String,
    pub incident_ref: String,
    pub role: String,
    /// Empty for a mention of an organisation.
    pub person_id: String,
    /// Set for a mention of an organisation (`organisations.rs`), never linked into a person.
    pub organisation_id: String,
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
    /// Each force's own references for the person (`force:ref`), distinct, in order.
    pub person_refs: Vec<String>,
    pub first_seen: Option<Seen>,
    pub last_seen: Option<Seen>,
}

/// When, and in which force, a person or dyad was in contact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seen {
    /// UTC milliseconds.
    pub at: i64,
    pub force: String,
}

impl PersonMention {
    /// The person or the organisation the mention is of.
    pub fn entity(&self) -> &str {
        if self.person_id.is_empty() {
            &self.organisation_id
        } else {
            &self.person_id
        }
    }
}

/// The earliest and latest contacts of `mentions`.
pub(super) fn seen_span<'m>(mentions: impl Iterator<Item = &'m PersonMention> + Clone) -> (Option<Seen>, Option<Seen>) {
    let seen = |m: &PersonMention| {
        m.at.map(|at| Seen {
            at,
            force: m.force.clone(),
        })
    };
    (mentions.clone().filter_map(seen).min(), mentions.filter_map(seen).max())
}

/// A victim and a suspect named together.
#[derive(Debug, Clone)]
pub struct Dyad {
    pub victim: String,
    pub perpetrator: String,
    pub incidents: usize,
    pub forces: Vec<String>,
    pub first_contact: Option<Seen>,
    pub last_contact: Option<Seen>,
}

/// Each mention's person, in mention id order; `mention_of_record[r]` is record r's
/// position in the canonical mentions table.
pub fn person_mentions(
    canonical: &Canonical,
    linked: &Linked,
    person_of_record: &[String],
    mention_of_record: &[usize],
) -> Vec<PersonMention> {
    let created = creation_times(canonical);
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
        .into_par_iter()
        .map(|r| {
            let mention = &canonical.mentions[mention_of_record[r]];
            PersonMention {
                mention_id: linked.records.ids.get(r).to_string(),
                mention: mention_of_record[r],
                force: canonical.force_of(mention).to_string(),
                incident_ref: mention.record.incident_ref.to_string(),
                role: mention.record.role.canonical().unwrap_or("").to_string(),
                person_id: person_of_record[r].clone(),
                organisation_id: String::new(),
                match_probability: strongest[r],
                at: created
                    .get(&(canonical.force_of(mention), mention.record.incident_ref.as_str()))
                    .copied(),
            }
        })
        .collect()
}

/// When each incident was created (UTC milliseconds), by force and reference.
pub(super) fn creation_times(canonical: &Canonical) -> HashMap<(&str, &str), i64> {
    canonical
        .incidents
        .iter()
        .map(|i| {
            (
                (canonical.force_of(i), i.record.incident_ref.as_str()),
                i.record.created_at,
            )
        })
        .collect()
}

/// The persons, by id.
pub fn persons(canonical: &Canonical, mentions: &[PersonMention]) -> Vec<Person> {
    let mut order: Vec<usize> = (0..mentions.len())
        .filter(|&m| !mentions[m].person_id.is_empty())
        .collect();
    order.par_sort_unstable_by(|&a, &b| mentions[a].person_id.cmp(&mentions[b].person_id).then(a.cmp(&b)));
    let groups: Vec<&[usize]> = order
        .chunk_by(|&a, &b| mentions[a].person_id == mentions[b].person_id)
        .collect();
    groups
        .par_iter()
        .map(|group| {
            let list: Vec<&PersonMention> = group.iter().map(|&i| &mentions[i]).collect();
            let records: Vec<_> = list.iter().map(|m| &canonical.mentions[m.mention].record).collect();
            let incidents: BTreeSet<(&str, &str)> = list
                .iter()
                .map(|m| (m.force.as_str(), m.incident_ref.as_str()))
                .collect();
            let dobs: Vec<String> = records.iter().filter_map(|r| r.dob.map(date_text)).collect();
            let refs = list
                .iter()
                .zip(&records)
                .filter_map(|(m, r)| Some(format!("{}:{}", m.force, r.person_ref.as_deref()?)));
            let (first_seen, last_seen) = seen_span(list.iter().copied());
            Person {
                person_id: list[0].person_id.clone(),
                mentions: list.len(),
                incidents: incidents.len(),
                forces: distinct(list.iter().map(|m| m.force.as_str())),
                victim_mentions: list.iter().filter(|m| m.role == "VICTIM").count(),
                suspect_mentions: list.iter().filter(|m| m.role == "SUSPECT").count(),
                forename: commonest(records.iter().filter_map(|r| r.forename.as_deref())),
                surname: commonest(records.iter().filter_map(|r| r.surname.as_deref())),
                dob: commonest(dobs.iter().map(String::as_str)),
                person_refs: refs.collect::<BTreeSet<String>>().into_iter().collect(),
                first_seen,
                last_seen,
            }
        })
        .collect()
}

/// The commonest value (ties: the first in sort order), or "" when there is none.
fn commonest<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut values: Vec<&str> = values.collect();
    values.sort_unstable();
    values
        .chunk_by(|a, b| a == b)
        .max_by(|x, y| x.len().cmp(&y.len()).then(y[0].cmp(x[0])))
        .map_or(String::new(), |run| run[0].to_string())
}

/// The persons named in `role` (VICTIM or SUSPECT) at least once, with the incidents in that role.
pub fn in_role<'a>(persons: &'a [Person], mentions: &[PersonMention], role: &str) -> Vec<(&'a Person, usize)> {
    let mut incidents: HashMap<&str, BTreeSet<(&str, &str)>> = HashMap::default();
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
    let mut by_incident: HashMap<(&str, &str), Vec<&PersonMention>> = HashMap::default();
    for m in mentions {
        by_incident.entry((&m.force, &m.incident_ref)).or_default().push(m);
    }
    // Each pair's incidents are only counted and measured, so the order the
    // incidents are met in does not matter; the pairs are sorted at the end.
    let mut pairs: HashMap<(&str, &str), Vec<&PersonMention>> = HashMap::default();
    for list in by_incident.values() {
        let named_as = |role: &str| -> BTreeSet<&str> {
            list.iter()
                .filter(|m| m.role == role && !m.person_id.is_empty())
                .map(|m| m.person_id.as_str())
                .collect()
        };
        let (victims, suspects) = (named_as("VICTIM"), named_as("SUSPECT"));
        for v in &victims {
            for s in suspects.iter().filter(|s| *s != v) {
                pairs.entry((v, s)).or_default().push(list[0]);
            }
        }
    }
    let mut pairs: Vec<((&str, &str), Vec<&PersonMention>)> = pairs.into_iter().collect();
    pairs.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    pairs
        .into_par_iter()
        .map(|((victim, perpetrator), incidents)| {
            let (first_contact, last_contact) = seen_span(incidents.iter().copied());
            Dyad {
                victim: victim.to_string(),
                perpetrator: perpetrator.to_string(),
                incidents: incidents.len(),
                forces: distinct(incidents.iter().map(|m| m.force.as_str())),
                first_contact,
                last_contact,
            }
        })
        .collect()
}

pub(super) fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
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

/// A contact as two fields: UTC as RFC 3339 (`2024-10-07T21:40:00Z`), and
/// the wall clock of the force it was in ([`crate::wall_clock`]).
pub fn instant_fields(seen: &Option<Seen>, zone_of: ZoneOf) -> [String; 2] {
    let utc = seen
        .as_ref()
        .and_then(|s| chrono::DateTime::from_timestamp_millis(s.at))
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default();
    let local = seen
        .as_ref()
        .map(|s| wall_clock_text(Some(s.at), zone_of(&s.force)))
        .unwrap_or_default();
    [utc, local]
}

/// The time zone of a force, by id.
pub type ZoneOf<'a> = &'a (dyn Fn(&str) -> chrono_tz::Tz + Sync);

/// Writes the mentions' force, incident, role, person and organisation as Parquet.
pub fn write_mention_parquet(mentions: &[PersonMention], path: &std::path::Path) -> std::io::Result<()> {
    use polars::prelude::*;
    let column = |name: &str, value: fn(&PersonMention) -> &str| {
        Column::new(name.into(), mentions.iter().map(value).collect::<Vec<&str>>())
    };
    let columns = vec![
        column(c::MENTION_ID, |m| &m.mention_id),
        column(c::FORCE, |m| &m.force),
        column(c::INCIDENT_REF, |m| &m.incident_ref),
        column(c::ROLE, |m| &m.role),
        column(c::PERSON_ID, |m| &m.person_id),
        column("organisation_id", |m| &m.organisation_id),
    ];
    let mut frame = DataFrame::new(mentions.len(), columns).map_err(std::io::Error::other)?;
    let file = std::fs::File::create(path)?;
    // LZ4, as the canonical tables: detection reads this straight back.
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Lz4Raw)
        .finish(&mut frame)
        .map(|_| ())
        .map_err(std::io::Error::other)
}
