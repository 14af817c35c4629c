//! The link stage: probabilistic record linkage in the Fellegi-Sunter
//! tradition, on any table of person records described by a [`Spec`].
//!
//! [`link`] reads the inputs (`input.rs`), encodes each compared column once
//! (`encode.rs`), proposes pairs by a union of blocking rules and compares
//! them (`rule.rs`, `keys.rs`, `blocking.rs`, `compare.rs`,
//! `similarity.rs`), trains m, u and the prior without labels (`train.rs`,
//! `model.rs`), scores the pairs (`score.rs`), clusters the links with a
//! guard against chaining (`cluster.rs`), and scores itself against known
//! entities when they are given (`evaluate.rs`). `write.rs` publishes it all.

mod apart;
mod blocking;
mod cluster;
mod compare;
mod encode;
mod error;
mod evaluate;
mod home;
mod input;
mod keys;
mod model;
mod moves;
mod rule;
mod rule_yield;
mod score;
mod similarity;
mod soundex;
mod spec;
mod train;
mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::LinkError;
pub use evaluate::{evaluate, Quality};
pub use input::{InputColumns, Records};
pub use model::Model;
pub use score::ScoredLink;
pub use spec::{Comparison, Kind, Mode, Spec};
pub use write::write;

use apart::KeptApart;
pub use blocking::RuleCount;
use blocking::{Judge, Limits, PairScope};
use compare::{Rows, MAX_COLUMNS};
use encode::Field;
use rule::Rule;

/// What to link and how.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    pub inputs: Vec<PathBuf>,
    pub columns: InputColumns,
    pub spec: Option<PathBuf>,
    pub mode: Option<Mode>,
    pub threshold: Option<f64>,
    pub model: Option<PathBuf>,
}

/// Everything a link run found.
#[derive(Debug)]
pub struct Linked {
    pub records: Records,
    pub spec: Spec,
    pub mode: Mode,
    pub model: Model,
    pub rules: Vec<String>,
    pub candidates: u64,
    /// Candidates no rule proposed (every pair of a small input is compared).
    pub unblocked: u64,
    pub pairs_per_rule: Vec<RuleCount>,
    pub links: Vec<score::ScoredLink>,
    /// Pairs at or above the threshold between records kept apart (not links).
    pub held_apart: u64,
    /// Merges of two clusters refused because they held records kept apart.
    pub refused_merges: u64,
    pub clusters: Vec<u32>,
    pub quality: Option<Quality>,
    /// Share of the true pairs that blocking proposed (with a truth column).
    pub blocking_recall: Option<f64>,
    pub timings: Vec<(&'static str, Duration)>,
    pub(crate) fields: Vec<Field>,
}

impl Linked {
    /// The number of clusters (a record alone is a cluster of one).
    pub fn cluster_count(&self) -> usize {
        let mut ids = self.clusters.clone();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }
}

/// The spec to use: the file's, else one inferred from the columns; checked against them.
pub fn resolve_spec(options: &LinkOptions, records: &Records) -> Result<Spec, LinkError> {
    let mut spec = match &options.spec {
        Some(path) => Spec::load(path)?,
        None => Spec::infer(&records.names, &records.commonest_counts()),
    };
    if let Some(threshold) = options.threshold {
        spec.threshold = threshold;
    }
    if !(0.0..1.0).contains(&spec.threshold) || spec.threshold <= 0.0 {
        return Err(LinkError::Usage(format!(
            "threshold {} is not a probability between 0 and 1",
            spec.threshold
        )));
    }
    for c in &spec.comparisons {
        if records.column(&c.column).is_none() {
            return Err(LinkError::Usage(format!(
                "the spec compares `{}`, which the input does not have (it has: {})",
                c.column,
                records.names.join(", ")
            )));
        }
    }
    if spec.comparisons.is_empty() || spec.comparisons.len() > MAX_COLUMNS {
        return Err(LinkError::Usage(format!(
            "the spec compares {} columns; it must compare between 1 and {MAX_COLUMNS}",
            spec.comparisons.len()
        )));
    }
    Ok(spec)
}

/// Reads the inputs and resolves the spec, without linking (for `--spec-dump`).
pub fn prepare(options: &LinkOptions) -> Result<(Records, Spec), LinkError> {
    if options.inputs.is_empty() || options.inputs.len() > 2 {
        return Err(LinkError::Usage("give one input (dedupe) or two (link)".into()));
    }
    let records = input::read_inputs(&options.inputs, &options.columns)?;
    let spec = resolve_spec(options, &records)?;
    Ok((records, spec))
}

/// Links the records of the inputs.
pub fn link(options: &LinkOptions) -> Result<Linked, LinkError> {
    let started = Instant::now();
    let (records, spec) = prepare(options)?;
    let mode = options.mode.unwrap_or(if options.inputs.len() == 2 {
        Mode::Link
    } else {
        Mode::Dedupe
    });
    if mode == Mode::Link && options.inputs.len() != 2 {
        return Err(LinkError::Usage("link mode needs two inputs".into()));
    }
    let read = started.elapsed();
    let mut linked = link_records(records, spec, mode, options.model.as_deref())?;
    linked.timings.insert(0, ("read", read));
    Ok(linked)
}

/// Links records already in memory under `spec` (a saved model, if given, instead of training).
pub fn link_records(records: Records, spec: Spec, mode: Mode, model: Option<&Path>) -> Result<Linked, LinkError> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let fields = encode::encode(&records, &spec.comparisons);
    let rules: Vec<Rule> = spec
        .blocking
        .iter()
        .map(|r| Rule::parse(r, &fields))
        .collect::<Result<_, _>>()?;
    if rules.is_empty() || rules.len() > 32 {
        return Err(LinkError::Usage(format!(
            "{} blocking rules; give between 1 and 32",
            rules.len()
        )));
    }
    lap("encode", &mut timings);
    let scope = PairScope {
        input: &records.input,
        across_only: mode == Mode::Link,
    };
    let limits = Limits {
        max_block: spec.max_block,
        max_pairs_per_rule: spec.pair_budget(records.len()),
        free_pairs: FREE_PAIRS_PER_RECORD * (records.len() as u64).max(1_000_000),
        compare_all_up_to: COMPARE_ALL_UP_TO,
    };
    let rows = Rows::new(&fields);
    let saved = model.map(|path| model::load(path, &fields)).transpose()?;
    let read_from_file = saved.is_some();
    let start = saved.unwrap_or_else(|| train::untrained((&fields, &rows), scope));
    let train_on = |so_far: &blocking::Candidates| {
        if read_from_file {
            start.clone()
        } else {
            train::train(&start, &fields, &rules, so_far, scope)
        }
    };
    let judge = Judge {
        train: &train_on,
        threshold: score::weight_of(spec.threshold),
    };
    let candidates = blocking::candidates(&rules, (&fields, &rows), scope, limits, &judge);
    lap("block and compare", &mut timings);
    let model = train_on(&candidates);
    lap("train", &mut timings);
    let weights = score::weights(&model, &fields, &candidates);
    let apart = KeptApart::of(&records);
    let (links, held_apart) = score::links(&candidates, &weights, spec.threshold, apart.as_ref());
    lap("score", &mut timings);
    let edges = score::edges(&candidates, &weights);
    let clustered = cluster::cluster(records.len(), &edges, score::weight_of(spec.threshold), apart.as_ref());
    drop(edges);
    let clusters = clustered.clusters;
    lap("cluster", &mut timings);
    let truth: Option<Vec<&str>> = records.truth.as_ref().map(|t| (0..t.len()).map(|r| t.get(r)).collect());
    let quality = truth
        .as_ref()
        .map(|t| evaluate(&clusters, t, &records.input, mode == Mode::Link));
    let blocking_recall = truth.as_ref().zip(quality.as_ref()).map(|(t, q)| {
        let found = (0..candidates.len())
            .filter(|&i| t[candidates.left[i] as usize] == t[candidates.right[i] as usize])
            .count();
        found as f64 / q.true_pairs.max(1) as f64
    });
    let pairs_per_rule = candidates.per_rule.clone();
    if truth.is_some() {
        lap("evaluate", &mut timings);
    }
    Ok(Linked {
        candidates: candidates.len() as u64,
        unblocked: candidates.unblocked,
        pairs_per_rule,
        rules: spec.blocking.clone(),
        records,
        spec,
        mode,
        model,
        links,
        held_apart,
        refused_merges: clustered.refused_merges,
        clusters,
        quality,
        blocking_recall,
        timings,
        fields,
    })
}

/// Inputs with at most this many pairs in scope have every pair compared.
const COMPARE_ALL_UP_TO: u64 = 2_000_000;

/// A rule may propose twice as many pairs as there are records (and two
/// million whatever the input) before it is weighed against what it adds.
const FREE_PAIRS_PER_RECORD: u64 = 2;
