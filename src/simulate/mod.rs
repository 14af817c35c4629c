//! `vigil simulate`: realistic synthetic exports for any of the 43 forces of
//! England and Wales, in the five pilot dialects, with ground truth.
//!
//! The world is built force by force, in parallel; every part of it is a pure
//! function of the seed (see `random.rs`), so the same seed and arguments give
//! the same bytes, and a force never needs another force's data in memory.

mod background;
pub mod dialect;
mod dyads;
mod events;
mod exported_on;
mod files;
mod forces;
pub mod household_file;
pub mod names;
mod noise;
mod numbering;
mod offences;
mod organisations;
mod people;
pub mod pilot_effect;
mod places;
mod relatives;
mod render;
mod response;
mod scenarios;
mod stats;
mod truth;
mod world;

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

pub use forces::{by_id, pilot_forces, ForceProfile, ALL_FORCES};
pub use stats::WorldSummary;

use crate::config::{Config, ConfigSpec, ForceSpec, IngestSettings};
use events::{DyadId, Noise, SimIncident};
use files::{write_force, PlantedFault};
use people::{PersonKey, Window};
use scenarios::{catalogue, local, Scenario};
use truth::{DyadTruth, ScenarioEvidence};
use world::{force_incidents, WorldSpec};

/// What to simulate.
#[derive(Debug, Clone)]
pub struct SimulateOptions {
    pub seed: u64,
    /// People in domestic-abuse dyads, across all simulated forces.
    pub people: u64,
    pub start: NaiveDate,
    pub weeks: u32,
    pub forces: Vec<ForceProfile>,
    pub out: PathBuf,
    /// Multiplies every record-noise rate (0 = clean records).
    pub noise: f64,
    /// Row faults planted per force (listed in `truth/faults.csv`).
    pub faults: usize,
    pub scenarios: bool,
    pub pilot_start: NaiveDate,
    /// Export as taken at the end of this local day (`exported_on.rs`); `None`: after everything.
    pub exported_on: Option<NaiveDate>,
    /// What the pilot forces change from their start (`pilot_effect.rs`).
    pub pilot_effect: pilot_effect::PilotEffect,
}

#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error("cannot write the simulated data under {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error(
        "{path} already holds files that `vigil simulate` did not write; choose an empty or new folder \
         (a previous simulation there is replaced)"
    )]
    NotEmpty { path: PathBuf },
    #[error("the configuration written for the simulated data does not load: {0}")]
    Config(#[from] crate::config::ConfigError),
}

/// What one force contributed.
struct ForceResult {
    incidents: u64,
    domestic: u64,
    calls: u64,
    mentions: u64,
    bytes: u64,
    noise: BTreeMap<Noise, u64>,
    faults: Vec<PlantedFault>,
    dyads: Vec<(DyadId, Option<PersonKey>, Option<PersonKey>, f64)>,
    /// Scenario number to what this force recorded of it.
    scenarios: BTreeMap<usize, ScenarioEvidence>,
}

/// Writes the world under `options.out` and returns its summary.
pub fn simulate(options: &SimulateOptions) -> Result<WorldSummary, SimulateError> {
    let out = &options.out;
    let write_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SimulateError::Write {
            path: path.clone(),
            source,
        }
    };
    clear_previous_run(out)?;
    fs::create_dir_all(out.join("truth")).map_err(write_error(out))?;
    let start = local(options.start, 0, 0, 0);
    let spec = WorldSpec {
        seed: options.seed,
        people: options.people,
        window: Window {
            start,
            end: local(options.start, i64::from(options.weeks) * 7, 0, 0),
        },
        forces: options.forces.clone(),
        noise: noise::NoiseRates::scaled(options.noise),
        pilot_start: local(options.pilot_start, 0, 0, 0),
        background_per_dyad: 2.5,
        scenarios: options.scenarios,
        pilot_effect: options.pilot_effect,
    };
    let config = write_config(out, &options.forces, options.pilot_start)?;
    let results: Vec<ForceResult> = (0..spec.forces.len())
        .into_par_iter()
        .map(|position| simulate_force(&spec, &config, position, options))
        .collect::<Result<_, _>>()?;
    join_mentions(out, &spec.forces).map_err(write_error(out))?;
    summarise(options, &spec, results)
}

/// Makes `out` ready: new, empty, or a previous simulation, whose exports,
/// configuration and truth are removed (other files, such as a README, stay).
fn clear_previous_run(out: &Path) -> Result<(), SimulateError> {
    let fail = |source| SimulateError::Write {
        path: out.to_path_buf(),
        source,
    };
    let entries: Vec<PathBuf> = match fs::read_dir(out) {
        Ok(entries) => entries
            .map(|e| e.map(|e| e.path()))
            .collect::<io::Result<_>>()
            .map_err(fail)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(fail(e)),
    };
    if entries.is_empty() {
        return Ok(());
    }
    if !out.join("truth/summary.json").is_file() {
        return Err(SimulateError::NotEmpty {
            path: out.to_path_buf(),
        });
    }
    for entry in entries {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let owned = name == "truth" || name == "vigil.toml" || ALL_FORCES.iter().any(|f| f.id == name);
        match (owned, entry.is_dir()) {
            (true, true) => fs::remove_dir_all(&entry).map_err(fail)?,
            (true, false) => fs::remove_file(&entry).map_err(fail)?,
            (false, _) => {}
        }
    }
    Ok(())
}

fn write_config(out: &Path, forces: &[ForceProfile], pilot_start: NaiveDate) -> Result<Config, SimulateError> {
    let template = dialect::template_forces();
    let force_spec = |force: &ForceProfile| ForceSpec {
        specialist_reviews_from: force.pilot.then(|| pilot_start.format("%Y-%m-%d").to_string()),
        ..dialect::force_spec(&template, force)
    };
    let spec = ConfigSpec {
        ingest: IngestSettings::default(),
        link: Default::default(),
        detect: Default::default(),
        report: crate::config::ReportSettings {
            pilot_start: pilot_start.format("%Y-%m-%d").to_string(),
            ..Default::default()
        },
        review: Default::default(),
        forces: forces.iter().map(force_spec).collect(),
    };
    let text = format!(
        "# Written by `vigil simulate`: the export dialects of the simulated forces.\n{}",
        toml::to_string_pretty(&spec).unwrap_or_default()
    );
    let path = out.join("vigil.toml");
    fs::write(&path, text).map_err(|source| SimulateError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(Config::load(&path)?)
}

fn simulate_force(
    spec: &WorldSpec,
    config: &Config,
    position: usize,
    options: &SimulateOptions,
) -> Result<ForceResult, SimulateError> {
    let context = spec.context(position);
    let force = &config.forces[position];
    let style = dialect::STYLES[context.profile.dialect];
    let mut incidents = force_incidents(&context);
    numbering::number(&mut incidents, context.profile, style.references, force.timezone);
    if let Some(day) = options.exported_on {
        incidents = exported_on::as_exported_at(incidents, local(day, 1, 0, 0) - 1);
    }
    let written = write_force(
        &options.out,
        &config.spec.forces[position],
        force,
        style,
        &incidents,
        options.faults,
        options.seed,
    )
    .map_err(|source| SimulateError::Write {
        path: options.out.clone(),
        source,
    })?;
    let part = options.out.join(format!("truth/.mentions-{}.part", force.id));
    let mut file = BufWriter::new(File::create(&part).map_err(|source| SimulateError::Write {
        path: part.clone(),
        source,
    })?);
    truth::write_mentions(&mut file, &written.mentions).map_err(|source| SimulateError::Write {
        path: part.clone(),
        source,
    })?;
    file.flush().map_err(|source| SimulateError::Write {
        path: part.clone(),
        source,
    })?;
    let mut noise = BTreeMap::new();
    for kind in incidents.iter().flat_map(|i| &i.mentions).flat_map(|m| &m.noise) {
        *noise.entry(*kind).or_insert(0) += 1;
    }
    Ok(ForceResult {
        incidents: incidents.len() as u64,
        domestic: incidents.iter().filter(|i| i.domestic).count() as u64,
        calls: incidents.iter().map(|i| i.calls.len() as u64).sum(),
        mentions: written.mentions.len() as u64,
        bytes: written.bytes,
        noise,
        faults: written.faults,
        dyads: incidents
            .iter()
            .filter_map(|i| i.dyad.map(|d| (d, i.victim, i.perpetrator, i.harm())))
            .collect(),
        scenarios: scenario_parts(&incidents, &force.id),
    })
}

fn scenario_parts(incidents: &[SimIncident], force: &str) -> BTreeMap<usize, ScenarioEvidence> {
    let mut by_scenario: BTreeMap<usize, ScenarioEvidence> = BTreeMap::new();
    for incident in incidents {
        let Some(number) = incident.scenario else { continue };
        let entry = by_scenario.entry(number).or_insert_with(|| ScenarioEvidence {
            forces: vec![force.to_string()],
            ..ScenarioEvidence::default()
        });
        entry.incident_refs.push(incident.reference.clone());
        entry.call_ids.extend(incident.calls.iter().map(|c| c.call_id.clone()));
        entry
            .people
            .extend(incident.mentions.iter().map(|m| m.person.true_id()));
        entry.people.extend(incident.victim.iter().map(|k| k.true_id()));
    }
    by_scenario
}

/// Concatenates the forces' mention parts into `truth/mentions.csv`, in force order.
fn join_mentions(out: &Path, forces: &[ForceProfile]) -> io::Result<()> {
    let mut joined = BufWriter::new(File::create(out.join("truth/mentions.csv"))?);
    joined.write_all(truth::mentions_header().as_bytes())?;
    for force in forces {
        let part = out.join(format!("truth/.mentions-{}.part", force.id));
        io::copy(&mut File::open(&part)?, &mut joined)?;
        fs::remove_file(part)?;
    }
    joined.flush()
}

fn summarise(
    options: &SimulateOptions,
    spec: &WorldSpec,
    results: Vec<ForceResult>,
) -> Result<WorldSummary, SimulateError> {
    let out = &options.out;
    let fail = |source| SimulateError::Write {
        path: out.clone(),
        source,
    };
    let mut dyads: BTreeMap<DyadId, DyadTruth> = BTreeMap::new();
    let mut noise: BTreeMap<Noise, u64> = BTreeMap::new();
    let mut evidence: HashMap<usize, ScenarioEvidence> = HashMap::new();
    let mut faults = Vec::new();
    for result in &results {
        for (id, victim, perpetrator, harm) in &result.dyads {
            let entry = dyads.entry(*id).or_insert_with(|| DyadTruth {
                dyad_id: format!("D{:02}-{}", id.force, id.index),
                victim: victim.map(|k| k.true_id()).unwrap_or_default(),
                perpetrator: perpetrator.map(|k| k.true_id()).unwrap_or_default(),
                incidents: 0,
                harm: 0.0,
            });
            entry.incidents += 1;
            entry.harm += harm;
        }
        for (kind, count) in &result.noise {
            *noise.entry(*kind).or_insert(0) += count;
        }
        for (number, part) in &result.scenarios {
            let entry = evidence.entry(*number).or_default();
            entry.forces.extend(part.forces.iter().cloned());
            entry.incident_refs.extend(part.incident_refs.iter().cloned());
            entry.call_ids.extend(part.call_ids.iter().cloned());
            entry.people.extend(part.people.iter().cloned());
        }
        faults.extend(result.faults.iter().cloned());
    }
    let pilots: Vec<usize> = (0..spec.forces.len()).filter(|p| spec.forces[*p].pilot).collect();
    let planted: Vec<(Scenario, ScenarioEvidence)> = if options.scenarios {
        catalogue(&pilots, spec.forces.len())
    } else {
        Vec::new()
    }
    .into_iter()
    .map(|s| {
        let mut e = evidence.remove(&s.number).unwrap_or_default();
        e.people.sort();
        e.people.dedup();
        (s, e)
    })
    .collect();
    let dyads: Vec<DyadTruth> = dyads.into_values().collect();
    truth::write_dyads(&out.join("truth/dyads.csv"), &dyads).map_err(fail)?;
    truth::write_scenarios(&out.join("truth/scenarios.csv"), &planted).map_err(fail)?;
    truth::write_faults(&out.join("truth/faults.csv"), &faults).map_err(fail)?;
    options
        .pilot_effect
        .write(&out.join("truth/pilot_effects.csv"))
        .map_err(fail)?;
    let mentions: u64 = results.iter().map(|r| r.mentions).sum();
    let harms: Vec<f64> = dyads.iter().map(|d| d.harm).collect();
    let summary = WorldSummary {
        seed: options.seed,
        start: options.start.to_string(),
        weeks: options.weeks,
        forces: spec.forces.iter().map(|f| f.id.to_string()).collect(),
        incidents: results.iter().map(|r| r.incidents).sum(),
        domestic_incidents: results.iter().map(|r| r.domestic).sum(),
        calls: results.iter().map(|r| r.calls).sum(),
        mentions,
        dyads: dyads.len() as u64,
        dyads_without_repeat: dyads.iter().filter(|d| d.incidents == 1).count() as f64 / dyads.len().max(1) as f64,
        harm_in_top_2_percent_of_dyads: stats::top_share(&harms, 0.02),
        mention_noise: stats::noise_shares(&noise, mentions),
        scenarios: planted.len(),
        planted_faults: faults.len(),
        bytes_written: results.iter().map(|r| r.bytes).sum(),
    };
    let json = serde_json::to_string_pretty(&summary).unwrap_or_default() + "\n";
    fs::write(out.join("truth/summary.json"), json).map_err(fail)?;
    Ok(summary)
}
