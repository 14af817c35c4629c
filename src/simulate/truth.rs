//! The simulator's ground truth under `DIR/truth/`: who every mention really
//! is, the planted scenarios and what they must raise, the planted faults,
//! the dyads with their incident counts and harm, and the world's summary.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::files::{PlantedFault, TruthMention};
use super::scenarios::Scenario;

/// One scenario's evidence, gathered from every hosting force.
#[derive(Debug, Clone, Default)]
pub struct ScenarioEvidence {
    pub forces: Vec<String>,
    pub people: Vec<String>,
    pub incident_refs: Vec<String>,
    pub call_ids: Vec<String>,
}

pub fn mentions_header() -> &'static str {
    "force,incident_ref,mention_id,role,true_person_id,noise,planted_fault\n"
}

/// Appends mention rows (no header) to a writer.
pub fn write_mentions(out: &mut impl Write, mentions: &[TruthMention]) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(out);
    for m in mentions {
        let faulty = if m.faulty { "true" } else { "false" };
        writer.write_record([
            m.force.as_str(),
            &m.incident_ref,
            &m.mention_id,
            m.role,
            &m.true_person_id,
            &m.noise,
            faulty,
        ])?;
    }
    writer.flush()
}

pub fn write_scenarios(path: &Path, scenarios: &[(Scenario, ScenarioEvidence)]) -> io::Result<()> {
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record([
        "scenario_id",
        "kind",
        "forces",
        "true_person_ids",
        "incident_refs",
        "call_ids",
        "expected_rules",
    ])?;
    for (scenario, evidence) in scenarios {
        writer.write_record([
            scenario.id(),
            scenario.kind.code().to_string(),
            evidence.forces.join("|"),
            evidence.people.join("|"),
            evidence.incident_refs.join("|"),
            evidence.call_ids.join("|"),
            scenario.kind.expected_rules().join("|"),
        ])?;
    }
    writer.flush()
}

pub fn write_faults(path: &Path, faults: &[PlantedFault]) -> io::Result<()> {
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record(["force", "file", "line", "column", "kind", "incident_ref"])?;
    for f in faults {
        writer.write_record([
            &f.force,
            &f.file,
            &f.line.to_string(),
            &f.column,
            f.kind,
            &f.incident_ref,
        ])?;
    }
    writer.flush()
}

/// One dyad: its people, incident count and total (simulation) harm.
#[derive(Debug, Clone, PartialEq)]
pub struct DyadTruth {
    pub dyad_id: String,
    pub victim: String,
    pub perpetrator: String,
    pub incidents: u64,
    pub harm: f64,
}

pub fn write_dyads(path: &Path, dyads: &[DyadTruth]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(BufWriter::new(File::create(path)?));
    writer.write_record(["dyad_id", "victim_id", "perpetrator_id", "incidents", "harm"])?;
    for d in dyads {
        writer.write_record([
            &d.dyad_id,
            &d.victim,
            &d.perpetrator,
            &d.incidents.to_string(),
            &format!("{:.1}", d.harm),
        ])?;
    }
    writer.flush()
}
