//! Blocking: the union of several rules, each a key made of column values or
//! simple functions of them (`soundex(surname) & year(dob)`), proposes the
//! pairs worth comparing. A pair is compared once, under the first rule that
//! proposes it; which rules agree on it is kept for training.
//!
//! Functions: `soundex(c)`, `initial(c)` (first letter), `year(c)` (first
//! four characters of a date), `words(c)` (the distinct words, sorted),
//! `prefix3(c)` (first three characters).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::compare::{compare, Pattern};
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

impl Keys {
    pub fn build(rules: &[Rule], fields: &[Field]) -> Keys {
        let records = fields.first().map_or(0, |f| f.values.len());
        let per_rule = rules
            .par_iter()
            .map(|rule| {
                let transformed: Vec<Vec<Option<u64>>> = rule
                    .terms
                    .iter()
                    .map(|t| {
                        fields[t.field]
                            .pool
                            .iter()
                            .map(|v| transformed_hash(v, t.transform))
                            .collect()
                    })
                    .collect();
                (0..records)
                    .map(|r| record_key(rule, fields, &transformed, r))
                    .collect()
            })
            .collect();
        Keys { per_rule }
    }

    /// A bit per rule that gives `a` and `b` the same key.
    fn agreeing(&self, a: usize, b: usize) -> u32 {
        let mut mask = 0;
        for (r, keys) in self.per_rule.iter().enumerate() {
            if keys[a].is_some() && keys[a] == keys[b] {
                mask |= 1 << r;
            }
        }
        mask
    }
}

fn record_key(rule: &Rule, fields: &[Field], transformed: &[Vec<Option<u64>>], record: usize) -> Option<u64> {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (term, values) in rule.terms.iter().zip(transformed) {
        let value = fields[term.field].values[record];
        if value == MISSING {
            return None;
        }
        values[value as usize]?.hash(&mut hasher);
    }
    Some(hasher.finish())
}

fn transformed_hash(value: &str, transform: Transform) -> Option<u64> {
    let text: String = match transform {
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
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    (!text.is_empty()).then(|| hasher.finish())
}

/// The compared candidate pairs: record indices, comparison vector, and
/// the number of pairs with each (vector, agreeing rules) combination.
#[derive(Debug, Default)]
pub struct Candidates {
    pub left: Vec<u32>,
    pub right: Vec<u32>,
    pub patterns: Vec<Pattern>,
    pub tally: HashMap<(Pattern, u32), u64>,
    /// Per rule: pairs first proposed by it, and blocks skipped as too large.
    pub per_rule: Vec<RuleCount>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct RuleCount {
    pub pairs: u64,
    pub skipped_blocks: u64,
    pub skipped_records: u64,
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
}

/// Proposes and compares every candidate pair of every rule.
pub fn candidates(rules: &[Rule], fields: &[Field], scope: PairScope, max_block: usize) -> Candidates {
    let keys = Keys::build(rules, fields);
    let mut all = Candidates::default();
    for r in 0..rules.len() {
        let blocks = Blocks::of(&keys.per_rule[r]);
        let (kept, skipped): (Vec<&[u32]>, Vec<&[u32]>) = blocks.iter().partition(|b| b.len() <= max_block);
        let found: Vec<Candidates> = kept
            .par_chunks(256)
            .map(|chunk| compare_blocks(chunk, r, &keys, fields, scope))
            .collect();
        let mut count = RuleCount {
            skipped_blocks: skipped.len() as u64,
            skipped_records: skipped.iter().map(|b| b.len() as u64).sum(),
            ..RuleCount::default()
        };
        for batch in found {
            count.pairs += batch.len() as u64;
            all.append(batch);
        }
        all.per_rule.push(count);
    }
    all
}

/// Groups of two or more records sharing a key, each in record order.
struct Blocks {
    members: Vec<u32>,
    bounds: Vec<(usize, usize)>,
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

    fn iter(&self) -> impl Iterator<Item = &[u32]> {
        self.bounds.iter().map(|&(a, b)| &self.members[a..b])
    }
}

fn compare_blocks(blocks: &[&[u32]], rule: usize, keys: &Keys, fields: &[Field], scope: PairScope) -> Candidates {
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
                let pattern = compare(fields, a, b);
                out.left.push(a as u32);
                out.right.push(b as u32);
                out.patterns.push(pattern);
                *out.tally.entry((pattern, mask)).or_default() += 1;
            }
        }
    }
    out
}
