//! Blocking: the union of several rules, each a key made of column values or
//! simple functions of them (`soundex(surname) & year(dob)`), proposes the
//! pairs worth comparing. A pair is compared once, under the first rule that
//! proposes it; which rules agree on it is kept for training.
//!
//! Functions: `soundex(c)`, `initial(c)` (first letter), `year(c)` (first
//! four characters of a date), `words(c)` (the distinct words, sorted),
//! `prefix3(c)` (first three characters).

use polars::prelude::PlHashMap;

use rayon::prelude::*;

use super::compare::{compare, Pattern, Rows};
use super::encode::{Field, MISSING};
use super::soundex::soundex;
use super::LinkError;

/// How a column's value becomes part of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    Value,
    Soundex,
    Initial,
    Year,
    Words,
    Prefix3,
}

/// One term of a rule: a transform of one compared column.
#[derive(Debug, Clone)]
pub struct Term {
    pub field: usize,
    pub transform: Transform,
}

/// A parsed blocking rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub text: String,
    pub terms: Vec<Term>,
}

impl Rule {
    /// Parses `"soundex(surname) & year(dob)"` against the compared columns.
    pub fn parse(text: &str, fields: &[Field]) -> Result<Rule, LinkError> {
        let bad = |reason: String| LinkError::BadRule {
            rule: text.to_string(),
            reason,
        };
        let mut terms = Vec::new();
        for part in text.split('&').map(str::trim) {
            let (transform, column) = match part.split_once('(') {
                Some((name, rest)) => {
                    let column = rest
                        .strip_suffix(')')
                        .ok_or_else(|| bad(format!("`{part}` lacks its `)`")))?;
                    (
                        transform_named(name.trim()).ok_or_else(|| bad(format!("no function `{name}`")))?,
                        column.trim(),
                    )
                }
                None => (Transform::Value, part),
            };
            let field = fields
                .iter()
                .position(|f| f.column == column)
                .ok_or_else(|| bad(format!("`{column}` is not a compared column")))?;
            terms.push(Term { field, transform });
        }
        Ok(Rule {
            text: text.to_string(),
            terms,
        })
    }

    /// The columns this rule's keys are made of.
    pub fn fields(&self) -> impl Iterator<Item = usize> + '_ {
        self.terms.iter().map(|t| t.field)
    }
}

fn transform_named(name: &str) -> Option<Transform> {
    Some(match name {
        "soundex" => Transform::Soundex,
        "initial" => Transform::Initial,
        "year" => Transform::Year,
        "words" => Transform::Words,
        "prefix3" => Transform::Prefix3,
        _ => return None,
    })
}

/// A record's key under each rule (`None`: the record has a missing term).
pub struct Keys {
    per_rule: Vec<Vec<Option<u64>>>,
}

/// The keys of the rules in use, record by record (`NO_KEY` for none), so
/// that finding which rules agree on a pair reads two short rows.
struct KeyRows {
    rules: Vec<usize>,
    keys: Vec<u64>,
}

const NO_KEY: u64 = u64::MAX;

impl KeyRows {
    fn new(keys: &Keys, in_use: Vec<usize>) -> KeyRows {
        let records = keys.per_rule.first().map_or(0, Vec::len);
        let mut rows = Vec::with_capacity(records * in_use.len());
        for record in 0..records {
            rows.extend(in_use.iter().map(|&r| keys.per_rule[r][record].unwrap_or(NO_KEY)));
        }
        KeyRows {
            rules: in_use,
            keys: rows,
        }
    }

    /// A bit per rule (by its index in the spec) that gives `a` and `b` the same key.
    fn agreeing(&self, a: usize, b: usize) -> u32 {
        let width = self.rules.len();
        let (x, y) = (
            &self.keys[a * width..(a + 1) * width],
            &self.keys[b * width..(b + 1) * width],
        );
        let mut mask = 0;
        for ((&p, &q), &rule) in x.iter().zip(y).zip(&self.rules) {
            if p != NO_KEY && p == q {
                mask |= 1 << rule;
            }
        }
        mask
    }
}

impl Keys {
    pub fn build(rules: &[Rule], fields: &[Field]) -> Keys {
        let records = fields.first().map_or(0, |f| f.values.len());
        let per_rule = rules
            .par_iter()
            .map(|rule| {
                let transformed: Vec<Vec<u32>> = rule
                    .terms
                    .iter()
                    .map(|t| transformed_ids(&fields[t.field].pool, t.transform))
                    .collect();
                (0..records)
                    .map(|r| record_key(rule, fields, &transformed, r))
                    .collect()
            })
            .collect();
        Keys { per_rule }
    }
}

/// SplitMix64's finaliser: a bijection of u64 that scatters every input bit.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A record's key: its terms' transformed ids, the first two packed exactly,
/// any more mixed in (two different keys then collide with odds of about 2^-64).
fn record_key(rule: &Rule, fields: &[Field], transformed: &[Vec<u32>], record: usize) -> Option<u64> {
    let mut key: u64 = 0;
    for (i, (term, ids)) in rule.terms.iter().zip(transformed).enumerate() {
        let value = fields[term.field].values[record];
        if value == MISSING || ids[value as usize] == MISSING {
            return None;
        }
        let id = ids[value as usize] as u64;
        key = match i {
            0 => id,
            1 => (key << 32) | id,
            _ => mix(mix(key) ^ id),
        };
    }
    Some(key)
}

/// For each value of a pool, the id of its transformed text (`MISSING` when the transform leaves nothing).
fn transformed_ids(pool: &[String], transform: Transform) -> Vec<u32> {
    if transform == Transform::Value {
        return (0..pool.len() as u32).collect();
    }
    let mut ids: PlHashMap<String, u32> = PlHashMap::default();
    pool.iter()
        .map(|value| match transformed(value, transform) {
            Some(text) if !text.is_empty() => {
                let next = ids.len() as u32;
                *ids.entry(text).or_insert(next)
            }
            _ => MISSING,
        })
        .collect()
}

fn transformed(value: &str, transform: Transform) -> Option<String> {
    Some(match transform {
        Transform::Value => value.to_string(),
        Transform::Soundex => soundex(value)?,
        Transform::Initial => value.chars().next()?.to_string(),
        Transform::Year => value.get(..4)?.to_string(),
        Transform::Prefix3 => value.chars().take(3).collect(),
        Transform::Words => {
            let mut words: Vec<&str> = value.split_whitespace().collect();
            words.sort_unstable();
            words.dedup();
            words.join(" ")
        }
    })
}

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
}

#[derive(Debug, Default, Clone, Copy)]
pub struct RuleCount {
    pub pairs: u64,
    pub skipped_blocks: u64,
    pub skipped_records: u64,
    /// Set when the whole rule was skipped: the pairs it would have proposed.
    pub over_budget: Option<u64>,
}

/// How much work one rule may cause.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Blocks with more records are skipped.
    pub max_block: usize,
    /// A rule proposing more pairs (before deduplication) is skipped.
    pub max_pairs_per_rule: u64,
}

impl Candidates {
    pub fn len(&self) -> usize {
        self.left.len()
    }

    fn append(&mut self, mut other: Candidates) {
        self.left.append(&mut other.left);
        self.right.append(&mut other.right);
        self.patterns.append(&mut other.patterns);
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

/// Proposes and compares every candidate pair of every rule.
///
/// First every rule's blocks are formed and checked against the limits; a
/// record in a skipped block (or under a skipped rule) has no key under that
/// rule, so a pair it would have proposed is left to the next rule that does.
pub fn candidates(rules: &[Rule], fields: &[Field], scope: PairScope, limits: Limits) -> Candidates {
    let mut keys = Keys::build(rules, fields);
    let rows = Rows::new(fields);
    let mut all = Candidates::default();
    let mut plans = Vec::with_capacity(rules.len());
    for r in 0..rules.len() {
        let (blocks, count) = Blocks::of(&keys.per_rule[r]).within(limits, scope, &mut keys.per_rule[r]);
        plans.push(blocks);
        all.per_rule.push(count);
    }
    let in_use = (0..rules.len())
        .filter(|&r| all.per_rule[r].over_budget.is_none())
        .collect();
    let keys = KeyRows::new(&keys, in_use);
    for (r, blocks) in plans.iter().enumerate() {
        let kept: Vec<&[u32]> = blocks.iter().collect();
        let found: Vec<Candidates> = kept
            .par_chunks(256)
            .map(|chunk| compare_blocks(chunk, r, &keys, (fields, &rows), scope))
            .collect();
        for batch in found {
            all.per_rule[r].pairs += batch.len() as u64;
            all.append(batch);
        }
    }
    all
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
}

fn compare_blocks(
    blocks: &[&[u32]],
    rule: usize,
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
                if mask.trailing_zeros() as usize != rule {
                    continue;
                }
                let pattern = compare(fields, rows, a, b);
                out.left.push(a as u32);
                out.right.push(b as u32);
                out.patterns.push(pattern);
                *out.tally.entry((pattern, mask)).or_default() += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::spec::Kind;

    fn field(column: &str, values: Vec<u32>) -> Field {
        let distinct = values.iter().filter(|&&v| v != MISSING).max().map_or(0, |m| m + 1);
        Field {
            column: column.into(),
            kind: Kind::Exact,
            term_frequency: false,
            present: values.len() as u32,
            counts: vec![1; distinct as usize],
            pool: (0..distinct).map(|i| format!("v{i}")).collect(),
            values,
            words: Vec::new(),
        }
    }

    #[test]
    fn keys_of_three_terms_differ_whenever_a_term_differs() {
        // (5, 3, 0) and (6, 0, 0): 5 ^ 3 == 6 ^ 0, which once made them one block.
        let fields = vec![
            field("a", vec![5, 6, 5]),
            field("b", vec![3, 0, 3]),
            field("c", vec![0, 0, 0]),
        ];
        let rule = Rule::parse("a & b & c", &fields).unwrap();
        let keys = Keys::build(&[rule], &fields);
        assert_ne!(keys.per_rule[0][0], keys.per_rule[0][1]);
        assert_eq!(keys.per_rule[0][0], keys.per_rule[0][2]);
    }

    #[test]
    fn a_record_missing_a_term_has_no_key() {
        let fields = vec![field("a", vec![1, MISSING]), field("b", vec![2, 2])];
        let rule = Rule::parse("a & b", &fields).unwrap();
        let keys = Keys::build(&[rule], &fields);
        assert!(keys.per_rule[0][0].is_some() && keys.per_rule[0][1].is_none());
    }

    #[test]
    fn unknown_columns_and_functions_are_refused() {
        let fields = vec![field("a", vec![1])];
        assert!(Rule::parse("nope", &fields).is_err());
        assert!(Rule::parse("metaphone(a)", &fields).is_err());
        assert!(Rule::parse("soundex(a", &fields).is_err());
    }
}
