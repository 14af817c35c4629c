//! The detect stage: rules over every timeline raise flags with their
//! evidence; a signal met by a response gap in the same episode is a missed
//! opportunity; victims and perpetrators get an RFG-style priority score.
//!
//! Files: `records.rs` and `people.rs` read the earlier stages' tables
//! a piece at a time (`parquet_table.rs`; `reference_index.rs` finds an
//! incident by force and reference, `lists.rs` holds an incident's victims,
//! suspects and numbers),
//! `subjects.rs` builds the timelines, `clock.rs` reads local time,
//! `context.rs` is what every rule sees, `flag.rs` what a rule raises. The
//! rules, one family per file: `clusters.rs`, `repeats.rs`, `reach.rs`,
//! `risk.rs`, `response.rs`, `silent.rs` (with `history.rs`); then
//! `episode.rs`, `harm.rs`, `priority.rs` (with `tier.rs`); `write.rs`
//! publishes the tables of `tables.rs` (incident and call texts from `cells.rs`).
//! Scoring against the simulator's planted scenarios is `crate::truth`'s.

mod cells;
mod clock;
mod clusters;
mod context;
mod coverage;
mod episode;
mod flag;
mod harm;
mod history;
mod lists;
mod parquet_table;
mod people;
mod priority;
mod reach;
mod records;
mod reference_index;
mod repeats;
mod response;
mod risk;
mod rolling;
mod silent;
mod subjects;
mod tables;
mod tier;
mod write;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use clock::Clock;
pub use context::ForceRules;
pub use coverage::{
    blocked_by, needs as rule_needs, unassessable, unmet, warnings as coverage_warnings, RuleSet, Unassessable,
};
pub use flag::{Family, Flag, FlagId, Rule, Severity, SubjectKind, SubjectRef};
pub use harm::{HarmTable, HarmTableError};
pub use people::{MentionRow, People};
pub use priority::{Priority, Ranked};
pub use records::{Call, Incident, Records};
pub use subjects::{Subject, Subjects};
pub use tables::{flag_table, missed_table, priority_table, select_rows, Table};
pub use write::{write, DETECTED};

use crate::config::{Config, DetectSettings};
use crate::generation::{Generation, GenerationError};
use context::Context;

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
    let records = Records::read(&out.join("canonical"), &ids)?;
    let generation = Generation::of_folder(out)?;
    generation.check(out, crate::persons::LINKED, "`vigil link`")?;
    let people = People::read(out, &records)?;
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
        let context = Context {
            records: &records,
            people: &people,
            subjects: &subjects,
            clock: clock.clone(),
            settings,
            harm: &harm,
            forces,
            times: records.incidents.iter().map(|i| i.contact_at).collect(),
        };
        let mut flags = raise(&context);
        number(&mut flags, FlagId::flag);
        let mut missed = episode::missed_opportunities(&context, &flags);
        number(&mut missed, FlagId::missed);
        flags.extend(missed);
        let (victims, perpetrators) = rayon::join(
            || priority::ranked(&context, &flags, SubjectKind::Victim),
            || priority::ranked(&context, &flags, SubjectKind::Perpetrator),
        );
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

/// Every rule over every subject, incident and call.
fn raise(context: &Context) -> Vec<Flag> {
    type SubjectRule = fn(&Context, &Subject) -> Vec<Flag>;
    type IncidentRule = fn(&Context, u32) -> Option<Flag>;
    const SUBJECT_RULES: [SubjectRule; 8] = [
        clusters::night_clusters,
        clusters::rapid_repeats,
        repeats::marac_threshold,
        repeats::repeat_after_marac,
        repeats::frequency_escalation,
        repeats::harm_rising,
        reach::serial_perpetrator,
        reach::cross_force,
    ];
    const INCIDENT_RULES: [(Rule, IncidentRule); 9] = [
        (Rule::HighRisk, risk::high_risk_signal),
        (Rule::UnderGraded, response::under_graded),
        (Rule::Downgraded, response::downgraded),
        (Rule::LateAttendance, response::late_attendance),
        (Rule::NotAttended, response::not_attended),
        (Rule::NoRiskAssessment, risk::no_risk_assessment),
        (Rule::HighRiskNoReferral, risk::high_risk_no_referral),
        (Rule::NoSpecialistReview, response::no_specialist_review),
        (Rule::CodeMismatch, response::code_mismatch),
    ];
    let assessable = |rule: Rule, force: u16| context.forces[usize::from(force)].assessable.contains(rule);
    // Each rule family's flags are gathered in parts of [`PART`] subjects,
    // incidents or calls, then moved once into a list sized for them all.
    let subject_count = context.subjects.list.len();
    let by_subject = parts(subject_count, |s| {
        let subject = &context.subjects.list[s];
        SUBJECT_RULES.iter().flat_map(move |rule| rule(context, subject))
    });
    let by_incident = parts(context.records.incidents.len(), |i| {
        let force = context.records.incidents[i].force;
        INCIDENT_RULES
            .iter()
            .filter(move |(rule, _)| assessable(*rule, force))
            .filter_map(move |(_, rule)| rule(context, i as u32))
    });
    let silent_calls: Vec<u32> = (0..context.records.calls.len() as u32)
        .into_par_iter()
        .filter(|&c| assessable(Rule::SilentCallNoResponse, context.records.calls[c as usize].force))
        .filter(|&c| silent::is_silent(context, c))
        .collect();
    let history = history::DaIndex::build(context, &silent_calls);
    let by_silent_call = parts(silent_calls.len(), |n| {
        silent::silent_call(context, &history, silent_calls[n]).into_iter()
    });
    let gathered = [by_subject, by_incident, by_silent_call];
    let count: usize = gathered.iter().flatten().map(Vec::len).sum();
    // Room for the missed opportunities that follow (room never written costs no memory).
    let mut flags = Vec::with_capacity(count + count / 4);
    for part in gathered.into_iter().flatten() {
        flags.extend(part);
    }
    flags
}

/// Items per part of [`parts`].
const PART: usize = 4_096;

/// The flags `raise` gives for items `0..count`, in item order, in parts of
/// [`PART`] items made in parallel (so no list of them all is grown and
/// copied on the way).
fn parts<I>(count: usize, raise: impl Fn(usize) -> I + Sync) -> Vec<Vec<Flag>>
where
    I: Iterator<Item = Flag>,
{
    (0..count.div_ceil(PART))
        .into_par_iter()
        .map(|k| (k * PART..((k + 1) * PART).min(count)).flat_map(&raise).collect())
        .collect()
}

/// Sorts flags into a fixed order (subject, window, rule, evidence) and
/// numbers them. The sort is in place (a stable sort's buffer was a copy of
/// every flag): two flags equal on all of these would be one flag raised
/// twice, and the unstable sort still orders the same input the same way.
fn number(flags: &mut [Flag], id: fn(u32) -> FlagId) {
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
    flags
        .par_iter_mut()
        .enumerate()
        .for_each(|(n, flag)| flag.id = id(n as u32 + 1));
}

/// The output folder's detect tables.
pub fn detected_dir(out: &Path) -> PathBuf {
    out.join(DETECTED)
}
