//! Blocking: the union of several rules (`rule.rs`), each grouping records
//! by a key (`keys.rs`), proposes the pairs worth comparing. A pair is
//! compared once, under the first rule that proposes it; which rules agree on
//! it is kept for training. Oversized blocks and rules over their pair
//! budget are skipped and counted. Rules proposing more than a free amount
//! of pairs run last, each first weighed (`rule_yield.rs`) and skipped when
//! it would add too few likely matches.

use polars::prelude::PlHashMap;
use rayon::prelude::*;

use super::compare::{compare, Pattern, Rows};
use super::encode::Field;
use super::keys::{KeyRows, Keys};
use super::model::Model;
use super::rule::Rule;
use super::rule_yield::{weigh, RuleYield, Scales};

/// The compared candidate pairs: record indices, comparison vector, and
/// the number of pairs with each (vector, agreeing rules) combination.
#[derive(Debug, Default)]
pub struct Candidates {
    pub left: Vec<u32>,
    pub right: Vec<u32>,
    pub patterns: Vec<Pattern>,
    pub tally: PlHashMap<(Pattern, u32), u64>,
    /// Per rule: pairs first proposed by it, and blocks skipped as too large.
    pub per_rule: Vec<RuleCount>,
    /// Pairs no rule proposed, compared because the input is small enough to compare every pair.
    pub unblocked: u64,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct RuleCount {
    pub pairs: u64,
    pub skipped_blocks: u64,
    pub skipped_records: u64,
    /// Set when the whole rule was skipped: the pairs it would have proposed.
    pub over_budget: Option<u64>,
    /// Set when the rule was skipped as bringing too few likely matches for its pairs.
    pub low_yield: Option<RuleYield>,
}

/// How much work one rule may cause.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Blocks with more records are skipped.
    pub max_block: usize,
    /// A rule proposing more pairs (before deduplication) is skipped.
    pub max_pairs_per_rule: u64,
    /// A rule proposing more pairs than this is weighed before it is run.
    pub free_pairs: u64,
    /// When the pairs in scope are no more than this, every pair is compared
    /// (those no rule proposed train nothing, but are scored and clustered).
    pub compare_all_up_to: u64,
}

impl Candidates {
    pub fn len(&self) -> usize {
        self.left.len()
    }

    fn push(&mut self, a: usize, b: usize, pattern: Pattern, mask: u32) {
        self.left.push(a as u32);
        self.right.push(b as u32);
        self.patterns.push(pattern);
        *self.tally.entry((pattern, mask)).or_default() += 1;
    }

    /// Keeps, of the rules agreeing on each pair, only those in `rules` (a bit each).
    fn keep_rules(&mut self, rules: u32) {
        let mut tally = PlHashMap::default();
        for ((pattern, mask), count) in self.tally.drain() {
            *tally.entry((pattern, mask & rules)).or_default() += count;
        }
        self.tally = tally;
    }

    /// The tallied pairs that `model` scores at or above the weight `threshold`.
    fn likely_matches(&self, model: &Model, threshold: f64) -> f64 {
        let prior = model.prior_weight();
        let likely = self
            .tally
            .iter()
            .filter(|((pattern, _), _)| prior + model.pattern_weight(*pattern) >= threshold);
        likely.map(|(_, &count)| count as f64).sum()
    }

    fn append(&mut self, mut other: Candidates) {
        self.left.append(&mut other.left);
        self.right.append(&mut other.right);
        self.patterns.append(&mut other.patterns);
        self.unblocked += other.unblocked;
        for (key, count) in other.tally {
            *self.tally.entry(key).or_default() += count;
        }
    }
}

/// Which pairs may be compared: all (dedupe) or only across inputs (link).
#[derive(Debug, Clone, Copy)]
pub struct PairScope<'a> {
    pub input: &'a [u8],
    pub across_only: bool,
}

impl PairScope<'_> {
    pub fn allows(&self, a: usize, b: usize) -> bool {
        !self.across_only || self.input[a] != self.input[b]
    }

    /// All pairs in scope.
    pub fn total_pairs(&self) -> f64 {
        let n = self.input.len() as f64;
        if self.across_only {
            let first = self.input.iter().filter(|&&i| i == 0).count() as f64;
            first * (n - first)
        } else {
            n * (n - 1.0) / 2.0
        }
    }

    /// The pairs in scope within one block.
    fn pairs_in(&self, block: &[u32]) -> u64 {
        let n = block.len() as u64;
        if self.across_only {
            let first = block.iter().filter(|&&r| self.input[r as usize] == 0).count() as u64;
            first * (n - first)
        } else {
            n * (n - 1) / 2
        }
    }
}

/// How costly rules are weighed: a model trained on the candidates so far, and the match weight at the threshold.
pub struct Judge<'a> {
    pub train: &'a (dyn Fn(&Candidates) -> Model + Sync),
    pub threshold: f64,
}

/// Proposes and compares every candidate pair of every rule.
///
/// First every rule's blocks are formed and checked against the limits; a
/// record in a skipped block (or under a skipped rule) has no key under that
/// rule, so a pair it would have proposed is left to the next rule that does.
/// Rules within the free amount of pairs run first; then each costlier rule
/// is weighed by `judge` against what they found, and run unless it would add
/// too few likely matches. A pair is compared once: under the first cheap
/// rule proposing it, else under the first costly rule kept.
pub fn candidates(
    rules: &[Rule],
    (fields, rows): (&[Field], &Rows),
    scope: PairScope,
    limits: Limits,
    judge: &Judge,
) -> Candidates {
    let mut keys = Keys::build(rules, fields);
    let mut all = Candidates::default();
    let mut plans = Vec::with_capacity(rules.len());
    for r in 0..rules.len() {
        let (blocks, count) = Blocks::of(&keys.per_rule[r]).within(limits, scope, &mut keys.per_rule[r]);
        plans.push(blocks);
        all.per_rule.push(count);
    }
    let in_use: Vec<usize> = (0..rules.len())
        .filter(|&r| all.per_rule[r].over_budget.is_none())
        .collect();
    let key_rows = KeyRows::new(&keys, in_use.clone());
    drop(keys);
    let (cheap, costly): (Vec<usize>, Vec<usize>) = in_use
        .iter()
        .partition(|&&r| plans[r].proposed(scope) <= limits.free_pairs);
    let cheap_bits = cheap.iter().fold(0u32, |mask, &r| mask | 1 << r);
    let compare_rule = |r: usize, owners: u32, excluded: u32, all: &mut Candidates| {
        let kept: Vec<&[u32]> = plans[r].iter().collect();
        let found: Vec<Candidates> = kept
            .par_chunks(256)
            .map(|chunk| compare_blocks(chunk, (r, owners, excluded), &key_rows, (fields, rows), scope))
            .collect();
        for batch in found {
            all.per_rule[r].pairs += batch.len() as u64;
            all.append(batch);
        }
    };
    for &r in &cheap {
        compare_rule(r, cheap_bits, 0, &mut all);
    }
    let kept = weigh_costly(
        &costly,
        &plans,
        &mut all,
        (cheap_bits, &key_rows),
        (fields, rows),
        scope,
        judge,
    );
    for &r in costly.iter().filter(|&&r| kept & 1 << r != 0) {
        compare_rule(r, kept, cheap_bits, &mut all);
    }
    let run = cheap_bits | kept;
    all.keep_rules(run);
    if scope.total_pairs() <= limits.compare_all_up_to as f64 {
        compare_unblocked(&mut all, (run, &key_rows), (fields, rows), scope);
    }
    all
}

/// Compares every pair in scope that no rule run proposed (a small input loses nothing to blocking).
fn compare_unblocked(
    all: &mut Candidates,
    (run, keys): (u32, &KeyRows),
    (fields, rows): (&[Field], &Rows),
    scope: PairScope,
) {
    let records = rows.records();
    let found: Vec<Candidates> = (0..records)
        .into_par_iter()
        .map(|a| {
            let mut out = Candidates::default();
            for b in a + 1..records {
                if scope.allows(a, b) && keys.agreeing(a, b) & run == 0 {
                    out.push(a, b, compare(fields, rows, a, b), 0);
                }
            }
            out
        })
        .collect();
    for batch in found {
        all.unblocked += batch.len() as u64;
        all.append(batch);
    }
}

/// Weighs each costly rule (in order) against the pairs found so far; the
/// rules kept, a bit each. Those skipped are marked in `all.per_rule`.
fn weigh_costly(
    costly: &[usize],
    plans: &[Blocks],
    all: &mut Candidates,
    (cheap, keys): (u32, &KeyRows),
    (fields, rows): (&[Field], &Rows),
    scope: PairScope,
    judge: &Judge,
) -> u32 {
    if costly.is_empty() {
        return 0;
    }
    let mut so_far = Candidates {
        tally: all.tally.clone(),
        ..Candidates::default()
    };
    so_far.keep_rules(cheap);
    let model = (judge.train)(&so_far);
    let found_before = so_far.likely_matches(&model, judge.threshold);
    let mut scales = Scales {
        fields,
        rows,
        keys,
        run: cheap,
        model: &model,
        threshold: judge.threshold,
        found_before,
    };
    let mut kept = 0;
    for &r in costly {
        let blocks: Vec<&[u32]> = plans[r].iter().collect();
        let weighed = weigh(r, &blocks, &scales, |a, b| scope.allows(a, b));
        if weighed.too_little() {
            all.per_rule[r].low_yield = Some(weighed);
        } else {
            kept |= 1 << r;
            scales.run |= 1 << r;
        }
    }
    kept
}

/// Where one block's records sit in `Blocks::members` (start, end).
type Bounds = (usize, usize);

/// Groups of two or more records sharing a key, each in record order.
struct Blocks {
    members: Vec<u32>,
    bounds: Vec<Bounds>,
}

impl Blocks {
    fn of(keys: &[Option<u64>]) -> Blocks {
        let mut keyed: Vec<(u64, u32)> = keys
            .iter()
            .enumerate()
            .filter_map(|(r, k)| k.map(|k| (k, r as u32)))
            .collect();
        keyed.par_sort_unstable();
        let members: Vec<u32> = keyed.iter().map(|&(_, r)| r).collect();
        let mut bounds = Vec::new();
        let mut start = 0;
        for group in keyed.chunk_by(|x, y| x.0 == y.0) {
            if group.len() > 1 {
                bounds.push((start, start + group.len()));
            }
            start += group.len();
        }
        Blocks { members, bounds }
    }

    /// The blocks kept under `limits`; the keys of records left out are cleared.
    fn within(mut self, limits: Limits, scope: PairScope, keys: &mut [Option<u64>]) -> (Blocks, RuleCount) {
        let mut count = RuleCount::default();
        let (kept, skipped): (Vec<Bounds>, Vec<Bounds>) =
            self.bounds.iter().partition(|&&(a, b)| b - a <= limits.max_block);
        count.skipped_blocks = skipped.len() as u64;
        count.skipped_records = skipped.iter().map(|&(a, b)| (b - a) as u64).sum();
        for &(a, b) in &skipped {
            for &record in &self.members[a..b] {
                keys[record as usize] = None;
            }
        }
        let proposed: u64 = kept.iter().map(|&(a, b)| scope.pairs_in(&self.members[a..b])).sum();
        if proposed > limits.max_pairs_per_rule {
            count.over_budget = Some(proposed);
            keys.fill(None);
            self.bounds.clear();
        } else {
            self.bounds = kept;
        }
        (self, count)
    }

    fn iter(&self) -> impl Iterator<Item = &[u32]> {
        self.bounds.iter().map(|&(a, b)| &self.members[a..b])
    }

    /// The pairs in scope the blocks propose.
    fn proposed(&self, scope: PairScope) -> u64 {
        self.iter().map(|block| scope.pairs_in(block)).sum()
    }
}

/// Compares the pairs of `blocks` that are `rule`'s: the first of the rules
/// `owners` (a bit each) to propose them, and proposed by none of `excluded`.
fn compare_blocks(
    blocks: &[&[u32]],
    (rule, owners, excluded): (usize, u32, u32),
    keys: &KeyRows,
    (fields, rows): (&[Field], &Rows),
    scope: PairScope,
) -> Candidates {
    let mut out = Candidates::default();
    for block in blocks {
        for (i, &a) in block.iter().enumerate() {
            for &b in &block[i + 1..] {
                let (a, b) = (a as usize, b as usize);
                if !scope.allows(a, b) {
                    continue;
                }
                let mask = keys.agreeing(a, b);
                if mask & excluded != 0 || (mask & owners).trailing_zeros() as usize != rule {
                    continue;
                }
                out.push(a, b, compare(fields, rows, a, b), mask);
            }
        }
    }
    out
}
