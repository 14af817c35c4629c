//! The link stage of the pipeline: the mentions of every force become
//! persons (with the general linker of `crate::link` and the spec in
//! `mention_records.rs`), and the persons become victims, perpetrators and
//! dyads. `write` publishes the tables. Scoring against a simulated world's
//! truth is `crate::truth`'s, not this stage's.

mod mention_records;
mod organisations;
pub(crate) mod side_file;
mod stable_ids;
mod tables;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use mention_records::mention_spec;
pub use organisations::{Organisation, OrganisationWords, DEFAULT_ORGANISATION_WORDS};
pub use tables::{Dyad, Person, PersonMention, Seen, ZoneOf};

use polars::prelude::PlHashMap;
use rayon::prelude::*;

use crate::csv_out::write_rows;
use crate::generation::{self, Generation};
use crate::ingest::{mention_ids, Canonical};
use crate::link::{self, LinkError, Linked, Mode};
use crate::schema::columns as c;
use crate::staging::Staging;
use crate::wall_clock::header_with_wall_clocks;
use tables::{in_role, instant_fields};

/// What the link stage produced.
pub struct Persons {
    pub linked: Linked,
    pub mentions: Vec<PersonMention>,
    pub persons: Vec<Person>,
    /// Named mentions that are organisations, not people (never linked into persons).
    pub organisations: Vec<Organisation>,
    pub dyads: Vec<Dyad>,
}

/// Options of the stage.
#[derive(Debug, Clone, Default)]
pub struct PersonOptions {
    /// An earlier run's output folder: persons seen before keep their ids.
    pub previous: Option<PathBuf>,
    /// Names holding these words are organisations, kept out of the persons.
    pub organisation_words: OrganisationWords,
}

/// Links every mention of `canonical` into persons.
pub fn resolve(canonical: &Canonical, options: &PersonOptions) -> Result<Persons, LinkError> {
    let ids = mention_ids(canonical);
    let words = &options.organisation_words;
    let is_organisation: Vec<bool> = canonical
        .mentions
        .par_iter()
        .map(|m| words.names_one(&[m.record.forename.as_deref(), m.record.surname.as_deref()]))
        .collect();
    let (organisation_at, person_at): (Vec<usize>, Vec<usize>) =
        (0..canonical.mentions.len()).partition(|&i| is_organisation[i]);
    let records = mention_records::mention_records(canonical, &ids, &person_at)?;
    let linked = link::link_records(records, mention_spec(), Mode::Dedupe, None)?;
    let previous = match &options.previous {
        Some(dir) => stable_ids::read_previous(&previous_file(dir))?,
        None => HashMap::new(),
    };
    let person_of_record = person_ids(&linked, &previous);
    let position: PlHashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let mention_of_record: Vec<usize> = (0..linked.records.len())
        .into_par_iter()
        .map(|r| position[linked.records.ids.get(r)])
        .collect();
    let mut mentions = tables::person_mentions(canonical, &linked, &person_of_record, &mention_of_record);
    mentions.extend(organisations::organisation_mentions(canonical, &ids, &organisation_at));
    mentions.par_sort_unstable_by_key(|m| m.mention);
    let persons = tables::persons(canonical, &mentions);
    let organisations = organisations::organisations(canonical, &mentions);
    let dyads = tables::dyads(&mentions);
    Ok(Persons {
        linked,
        mentions,
        persons,
        organisations,
        dyads,
    })
}

/// Each record's person id (records are in mention id order, so each cluster's first mention is its smallest).
fn person_ids(linked: &Linked, previous: &stable_ids::Previous) -> Vec<String> {
    // Records grouped by cluster, clusters in label order, records in order within each.
    let mut by_cluster: Vec<(u32, u32)> = linked
        .clusters
        .iter()
        .enumerate()
        .map(|(r, &cluster)| (cluster, r as u32))
        .collect();
    by_cluster.par_sort_unstable();
    let groups: Vec<&[(u32, u32)]> = by_cluster.chunk_by(|a, b| a.0 == b.0).collect();
    let lists: Vec<Vec<&str>> = groups
        .par_iter()
        .map(|group| group.iter().map(|&(_, r)| linked.records.ids.get(r as usize)).collect())
        .collect();
    let names = stable_ids::name_clusters(&lists, previous);
    let name_of: PlHashMap<u32, &String> = groups.iter().map(|group| group[0].0).zip(&names).collect();
    linked.clusters.par_iter().map(|c| name_of[c].clone()).collect()
}

/// The file of an earlier run that `--previous DIR` reads.
pub fn previous_file(dir: &Path) -> PathBuf {
    dir.join(LINKED).join("person_mentions.csv")
}

/// The folder (inside the run's output) holding the stage's tables.
pub const LINKED: &str = "linked";

/// `person_mentions.csv` again, as Parquet: the detect stage's fast read.
pub const MENTIONS_PARQUET: &str = "person_mentions.parquet";

/// Writes `persons.csv`, `person_mentions.csv` (and its Parquet copy),
/// `organisations.csv`, `victims.csv`, `perpetrators.csv`, `dyads.csv` and the model into
/// `out/linked/`, together, and last the generation they come from;
/// `zone_of` gives each force's time zone for the wall-clock columns.
pub fn write(persons: &Persons, out: &Path, generation: &Generation, zone_of: ZoneOf) -> Result<(), LinkError> {
    let target = out.join(LINKED);
    let fail = |source: std::io::Error| LinkError::Write {
        path: target.clone(),
        source,
    };
    let staging = Staging::new(&target, "persons").map_err(fail)?;
    let victims = in_role(&persons.persons, &persons.mentions, "VICTIM");
    let perpetrators = in_role(&persons.persons, &persons.mentions, "SUSPECT");
    let tables: [(&str, Table); 6] = [
        ("person_mentions.csv", mention_table(&persons.mentions)),
        ("persons.csv", person_table(&persons.persons, zone_of)),
        ("organisations.csv", organisation_table(&persons.organisations, zone_of)),
        ("victims.csv", role_table(&victims, zone_of)),
        ("perpetrators.csv", role_table(&perpetrators, zone_of)),
        ("dyads.csv", dyad_table(&persons.dyads, zone_of)),
    ];
    for (name, (header, rows, row)) in &tables {
        write_rows(&staging.path(name).map_err(fail)?, header, *rows, row).map_err(fail)?;
    }
    let model = serde_json::to_string_pretty(&persons.linked.model).expect("a model is plain data");
    std::fs::write(staging.path("model.json").map_err(fail)?, model + "\n").map_err(fail)?;
    tables::write_mention_parquet(&persons.mentions, &staging.path(MENTIONS_PARQUET).map_err(fail)?).map_err(fail)?;
    generation.write_marker(staging.dir()).map_err(fail)?;
    let mut entries: Vec<&str> = tables.iter().map(|(n, _)| *n).collect();
    entries.extend(["model.json", MENTIONS_PARQUET]);
    staging.commit(&entries, generation::MARKER).map_err(fail)
}

/// A table to write: header, number of rows, and the i-th row.
type Table<'a> = (Vec<String>, usize, Box<dyn Fn(usize) -> Vec<String> + Sync + 'a>);

fn strings<const N: usize>(values: [&str; N]) -> Vec<String> {
    header_with_wall_clocks(&values)
}

fn mention_table(mentions: &[PersonMention]) -> Table<'_> {
    let header = strings([
        c::MENTION_ID,
        c::FORCE,
        c::INCIDENT_REF,
        c::ROLE,
        c::PERSON_ID,
        "organisation_id",
        "match_probability",
    ]);
    let row = |i: usize| {
        let m = &mentions[i];
        vec![
            m.mention_id.clone(),
            m.force.clone(),
            m.incident_ref.clone(),
            m.role.clone(),
            m.person_id.clone(),
            m.organisation_id.clone(),
            m.match_probability.map(|p| format!("{p:.4}")).unwrap_or_default(),
        ]
    };
    (header, mentions.len(), Box::new(row))
}

fn person_table<'a>(persons: &'a [Person], zone_of: ZoneOf<'a>) -> Table<'a> {
    let header = strings([
        "person_id",
        "mentions",
        "incidents",
        "forces",
        "victim_mentions",
        "suspect_mentions",
        "forename",
        "surname",
        "dob",
        "person_refs",
        "first_seen",
        "last_seen",
    ]);
    let row = move |i: usize| {
        let p = &persons[i];
        let mut row = vec![
            p.person_id.clone(),
            p.mentions.to_string(),
            p.incidents.to_string(),
            p.forces.join(";"),
            p.victim_mentions.to_string(),
            p.suspect_mentions.to_string(),
            p.forename.clone(),
            p.surname.clone(),
            p.dob.clone(),
            p.person_refs.join(";"),
        ];
        row.extend(instant_fields(&p.first_seen, zone_of));
        row.extend(instant_fields(&p.last_seen, zone_of));
        row
    };
    (header, persons.len(), Box::new(row))
}

fn organisation_table<'a>(organisations: &'a [Organisation], zone_of: ZoneOf<'a>) -> Table<'a> {
    let header = strings([
        "organisation_id",
        "name",
        "place",
        "mentions",
        "incidents",
        "forces",
        "first_seen",
        "last_seen",
    ]);
    let row = move |i: usize| {
        let o = &organisations[i];
        let mut row = vec![
            o.organisation_id.clone(),
            o.name.clone(),
            o.place.clone(),
            o.mentions.to_string(),
            o.incidents.to_string(),
            o.forces.join(";"),
        ];
        row.extend(instant_fields(&o.first_seen, zone_of));
        row.extend(instant_fields(&o.last_seen, zone_of));
        row
    };
    (header, organisations.len(), Box::new(row))
}

fn role_table<'a>(people: &'a [(&'a Person, usize)], zone_of: ZoneOf<'a>) -> Table<'a> {
    let header = strings(["person_id", "incidents", "forces", "first_seen", "last_seen"]);
    let row = move |i: usize| {
        let (p, incidents) = people[i];
        let mut row = vec![p.person_id.clone(), incidents.to_string(), p.forces.join(";")];
        row.extend(instant_fields(&p.first_seen, zone_of));
        row.extend(instant_fields(&p.last_seen, zone_of));
        row
    };
    (header, people.len(), Box::new(row))
}

fn dyad_table<'a>(dyads: &'a [Dyad], zone_of: ZoneOf<'a>) -> Table<'a> {
    let header = strings([
        "victim_person_id",
        "perpetrator_person_id",
        "incidents",
        "forces",
        "first_contact",
        "last_contact",
    ]);
    let row = move |i: usize| {
        let d = &dyads[i];
        let mut row = vec![
            d.victim.clone(),
            d.perpetrator.clone(),
            d.incidents.to_string(),
            d.forces.join(";"),
        ];
        row.extend(instant_fields(&d.first_contact, zone_of));
        row.extend(instant_fields(&d.last_contact, zone_of));
        row
    };
    (header, dyads.len(), Box::new(row))
}
