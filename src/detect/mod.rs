//! The detect stage: rules over every timeline raise flags with their
//! evidence; a signal met by a response gap in the same episode is a missed
//! opportunity; victims and perpetrators get an RFG-style priority score.
//!
//! Folders: `input/` reads the earlier stages' tables; `model/` holds the
//! timelines, local time, flags and what every rule sees; `rules/` the rules
//! (with the table pairing each with its function) and missed
//! opportunities; `rank/` the priority lists; `output/` writes the tables.
//! Scoring against the simulator's planted scenarios is `crate::truth`'s.

mod input;
mod model;
mod output;
mod rank;
mod rules;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use input::identities::Identity;
pub use input::lexicon::Lexicon;
pub use input::people::{MentionRow, People};
pub use input::records::{Call, Incident, Records};
pub use model::clock::Clock;
pub use model::context::ForceRules;
pub use model::coverage::{
    blocked_by, needs as rule_needs, unassessable, unmet, warnings as coverage_warnings, RuleSet, Unassessable,
};
pub use model::flag::{Family, Flag, Rule, Severity, SubjectKind, SubjectRef};
pub use model::flag_id::FlagId;
pub use model::harm::{HarmTable, HarmTableError};
pub use model::subjects::{Subject, Subjects};
pub use output::tables::{flag_table, missed_table, priority_table, select_rows, Table};
pub use output::write::{write, DETECTED};
pub use rank::priority::{Priority, Ranked};

use crate::config::{Config, DetectSettings};
use crate::generation::{Generation, GenerationError};
use model::context::Context;

/// Why detection could not run.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("{path}: {reason}; run `vigil run` (or `vigil ingest` then `vigil link`) first to make it")]
    Missing { path: PathBuf, reason: String },
    #[error("{path} cannot be read: {reason}")]
    Table { path: PathBuf, reason: String },
    #[error(transparent)]
    Harm(#[from] HarmTableError),
    #[error("{path}: {reason}")]
    Scenarios { path: PathBuf, reason: String },
    #[error(transparent)]
    Generation(#[from] GenerationError),
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

impl DetectError {
    pub fn exit_code(&self) -> i32 {
        match self {
            DetectError::Write { .. } => 1,
            DetectError::Missing { .. } | DetectError::Harm(_) | DetectError::Scenarios { .. } => 2,
            DetectError::Table { .. } => 3,
            DetectError::Generation(e) => e.exit_code(),
        }
    }
}

/// Everything detection found.
pub struct Detected {
    pub records: Records,
    pub people: People,
    pub subjects: Subjects,
    pub harm: HarmTable,
    pub clock: Clock,
    /// Signals, gaps and context flags, then missed opportunities; ids in this order.
    pub flags: Vec<Flag>,
    pub victims: Vec<Ranked>,
    pub perpetrators: Vec<Ranked>,
    /// The run whose tables these were computed from ([`crate::generation`]);
    /// none for records made in memory.
    pub generation: Option<Generation>,
}

impl Detected {
    /// How many flags each rule raised, every rule listed, in rule order.
    pub fn flags_per_rule(&self) -> Vec<(Rule, usize)> {
        let mut counts = vec![0; Rule::ALL.len()];
        for flag in &self.flags {
            counts[flag.rule as usize] += 1;
        }
        Rule::ALL.iter().copied().zip(counts).collect()
    }
}

/// Reads the canonical and linked tables under `out` and runs every rule.
pub fn detect(config: &Config, out: &Path) -> Result<Detected, DetectError> {
    let ids: Vec<String> = config.forces.iter().map(|f| f.id.clone()).collect();
    let lexicon = Lexicon::new(&config.spec.detect.narrative_words);
    let records = Records::read(&out.join("canonical"), &ids, &lexicon)?;
    let generation = Generation::of_folder(out)?;
    generation.check(out, crate::persons::LINKED, "`vigil link`")?;
    let mut people = People::read(out, &records)?;
    people.attach_identities(input::identities::read(&out.join(crate::persons::LINKED))?);
    let config_dir = config.path.parent().unwrap_or(Path::new("."));
    let harm = HarmTable::configured(config.spec.detect.harm_weights.as_deref(), config_dir)?;
    let forces = force_rules(config, &records);
    let zones = records.forces.iter().map(|id| config.time_zone(id)).collect();
    let mut detected = run_rules(records, people, harm, &config.spec.detect, forces, zones);
    detected.generation = Some(generation);
    Ok(detected)
}

/// Each force's targets, pilot start and assessable rules (forces not configured get the defaults).
pub fn force_rules(config: &Config, records: &Records) -> Vec<ForceRules> {
    records
        .forces
        .iter()
        .map(|id| match config.force(id) {
            Some(force) => ForceRules {
                targets: force.targets,
                specialist_reviews_from: force.specialist_reviews_from,
                assessable: RuleSet::assessable_for(force),
                no_attendance_needed: force.no_attendance_needed.clone(),
            },
            None => ForceRules::default(),
        })
        .collect()
}

/// Runs every rule on records already in memory.
pub fn run_rules(
    records: Records,
    people: People,
    harm: HarmTable,
    settings: &DetectSettings,
    forces: Vec<ForceRules>,
    zones: Vec<chrono_tz::Tz>,
) -> Detected {
    let subjects = Subjects::build(&records, &people);
    let first = records.incidents.iter().map(|i| i.contact_at).min().unwrap_or(0);
    let clock = Clock::new(zones, settings.night_start_hour, settings.night_end_hour).covering(first, records.data_end);
    let (flags, victims, perpetrators) = {
        let context = Context::new((&records, &people, &subjects), clock.clone(), settings, &harm, forces);
        let mut flags = rules::raise(&context);
        order(&mut flags);
        let mut missed = rules::episode::missed_opportunities(&context, &flags);
        order(&mut missed);
        flags.extend(missed);
        model::flag_id::identify(&mut flags, &records);
        let (victims, perpetrators) = ranked_lists(&context, &flags, records.data_end);
        (flags, victims, perpetrators)
    };
    Detected {
        records,
        people,
        subjects,
        harm,
        clock,
        flags,
        victims,
        perpetrators,
        generation: None,
    }
}

/// The victims' and perpetrators' lists as they stood at `now`.
fn ranked_lists(context: &Context, flags: &[Flag], now: i64) -> (Vec<Ranked>, Vec<Ranked>) {
    rayon::join(
        || rank::priority::ranked(context, flags, SubjectKind::Victim, now),
        || rank::priority::ranked(context, flags, SubjectKind::Perpetrator, now),
    )
}

/// The victims' and perpetrators' lists of a finished run as they stood at
/// `now` (the end of a reviewed week): nothing known only later counts.
pub fn ranked_as_of(detected: &Detected, config: &Config, now: i64) -> (Vec<Ranked>, Vec<Ranked>) {
    let settings = &config.spec.detect;
    let records = &detected.records;
    let data = (records, &detected.people, &detected.subjects);
    let forces = force_rules(config, records);
    let context = Context::new(data, detected.clock.clone(), settings, &detected.harm, forces);
    ranked_lists(&context, &detected.flags, now.min(records.data_end))
}

/// Sorts flags into a fixed order (subject, window, rule, evidence). The
/// sort is in place (a stable sort's buffer was a copy of every flag): two
/// flags equal on all of these would be one flag raised twice, and the
/// unstable sort still orders the same input the same way.
fn order(flags: &mut [Flag]) {
    flags.par_sort_unstable_by(|a, b| {
        (&a.subject, a.start, a.rule, a.end, &a.incidents, &a.loose_calls).cmp(&(
            &b.subject,
            b.start,
            b.rule,
            b.end,
            &b.incidents,
            &b.loose_calls,
        ))
    });
}

/// The output folder's detect tables.
pub fn detected_dir(out: &Path) -> PathBuf {
    out.join(DETECTED)
}
