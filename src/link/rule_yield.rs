//! A costly rule's worth, measured before all its pairs are compared: a
//! random sample of the pairs it proposes, scored with a model trained on the
//! pairs of the cheaper rules, says how many likely matches no other rule
//! finds it would bring. A rule whose pairs would add fewer than a small
//! share of the likely matches already found is skipped and reported, as a
//! rule over its pair budget is.

use super::compare::{compare, Rows};
use super::encode::Field;
use super::keys::KeyRows;
use super::model::Model;
use crate::random::Random;

/// Pairs drawn from a costly rule's blocks to weigh it.
pub const SAMPLE_PAIRS: u64 = 50_000;
/// A costly rule must add at least this share of the likely matches already found.
pub const MIN_ADDED_SHARE: f64 = 0.002;

/// What a sample of a rule's pairs says it would bring.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct RuleYield {
    /// Pairs the rule proposes.
    pub proposed: u64,
    /// Of the sampled pairs: how many, how many no rule already run proposes, and how many of those score as matches.
    pub sampled: u64,
    pub new: u64,
    pub likely: u64,
    /// Likely matches already found by the rules run before.
    pub found_before: f64,
}

impl RuleYield {
    /// New likely matches per million pairs proposed.
    pub fn per_million(&self) -> f64 {
        self.likely as f64 / self.sampled.max(1) as f64 * 1e6
    }

    /// The new likely matches expected from all of the rule's pairs.
    pub fn expected(&self) -> f64 {
        self.per_million() * self.proposed as f64 / 1e6
    }

    /// Whether the rule brings too little to be worth its pairs.
    pub fn too_little(&self) -> bool {
        self.expected() < MIN_ADDED_SHARE * self.found_before
    }
}

/// What weighing a rule needs: the records, the rules' keys, the rules
/// already run (a bit each), and the model of their pairs.
pub struct Scales<'a> {
    pub fields: &'a [Field],
    pub rows: &'a Rows,
    pub keys: &'a KeyRows,
    pub run: u32,
    pub model: &'a Model,
    /// The match weight at the threshold.
    pub threshold: f64,
    pub found_before: f64,
}

/// Weighs rule `rule` from a seeded sample of the pairs of its blocks
/// (`blocks`, each a list of records); `allows` says which pairs are in scope.
pub fn weigh(rule: usize, blocks: &[&[u32]], scales: &Scales, allows: impl Fn(usize, usize) -> bool) -> RuleYield {
    let mut cumulative = Vec::with_capacity(blocks.len());
    let mut total = 0u64;
    for block in blocks {
        let n = block.len() as u64;
        total += n * (n - 1) / 2;
        cumulative.push(total);
    }
    let mut found = RuleYield {
        proposed: total,
        found_before: scales.found_before,
        ..RuleYield::default()
    };
    let mut random = Random::stream(0x1E1D, &[rule as u64]);
    for _ in 0..SAMPLE_PAIRS.min(total) {
        let target = random.below(total);
        let block = blocks[cumulative.partition_point(|&c| c <= target)];
        let n = block.len() as u64;
        let i = random.below(n) as usize;
        let j = (i + 1 + random.below(n - 1) as usize) % block.len();
        let (a, b) = (block[i.min(j)] as usize, block[i.max(j)] as usize);
        if !allows(a, b) {
            continue;
        }
        found.sampled += 1;
        if scales.keys.agreeing(a, b) & scales.run != 0 {
            continue;
        }
        found.new += 1;
        let pattern = compare(scales.fields, scales.rows, a, b);
        if scales.model.match_weight(scales.fields, pattern, a, b) >= scales.threshold {
            found.likely += 1;
        }
    }
    found
}
