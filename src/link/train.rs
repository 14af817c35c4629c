//! Training without labels: u from random pairs; m by expectation-maximisation
//! over the counts of comparison vectors, once per blocking rule with the
//! rule's own columns left out (a pair proposed because the surnames agree says
//! nothing about how often true matches agree on surname); the prior last.

use rayon::prelude::*;

use super::blocking::{Candidates, PairScope, Rule};
use super::compare::{compare, level_of, Pattern, MISSING_LEVEL};
use super::encode::Field;
use super::model::{ColumnModel, Model, FORMAT};
use crate::random::Random;

/// Random pairs drawn to estimate u.
const RANDOM_PAIRS: usize = 1_000_000;
const EM_ITERATIONS: usize = 100;
const EM_TOLERANCE: f64 = 1e-6;
/// m and u never reach zero: no level may veto a match outright.
const FLOOR: f64 = 1e-6;

/// Trains a model on the candidates; `total_pairs` is the number of pairs in scope.
pub fn train(fields: &[Field], rules: &[Rule], candidates: &Candidates, scope: PairScope, total_pairs: f64) -> Model {
    let mut comparisons: Vec<ColumnModel> = fields.iter().map(ColumnModel::initial).collect();
    estimate_u(&mut comparisons, fields, scope);
    estimate_m(&mut comparisons, rules, candidates);
    let mut model = Model {
        format: FORMAT,
        prior: 1e-4,
        comparisons,
    };
    model.prior = estimate_prior(&model, candidates, total_pairs);
    model
}

fn estimate_u(comparisons: &mut [ColumnModel], fields: &[Field], scope: PairScope) {
    let records = scope.input.len();
    let sides: [Vec<u32>; 2] = if scope.across_only {
        let of = |side: u8| {
            (0..records as u32)
                .filter(|&r| scope.input[r as usize] == side)
                .collect()
        };
        [of(0), of(1)]
    } else {
        let all: Vec<u32> = (0..records as u32).collect();
        [all.clone(), all]
    };
    if sides[0].is_empty() || sides[1].is_empty() || records < 2 {
        return;
    }
    let chunks = 64;
    let per_chunk = RANDOM_PAIRS / chunks;
    let counts = (0..chunks as u64)
        .into_par_iter()
        .map(|chunk| {
            let mut random = Random::stream(0x5EED, &[chunk]);
            let mut counts = vec![[0u64; 16]; fields.len()];
            let mut drawn = 0;
            while drawn < per_chunk {
                let a = sides[0][random.below(sides[0].len() as u64) as usize] as usize;
                let b = sides[1][random.below(sides[1].len() as u64) as usize] as usize;
                if a == b {
                    continue;
                }
                drawn += 1;
                let pattern = compare(fields, a, b);
                for (c, column) in counts.iter_mut().enumerate() {
                    column[level_of(pattern, c) as usize] += 1;
                }
            }
            counts
        })
        .reduce(
            || vec![[0u64; 16]; fields.len()],
            |mut x, y| {
                for (a, b) in x.iter_mut().zip(&y) {
                    for (p, q) in a.iter_mut().zip(b) {
                        *p += q;
                    }
                }
                x
            },
        );
    for (column, count) in comparisons.iter_mut().zip(&counts) {
        let levels = column.levels.len();
        let seen: u64 = count[1..=levels].iter().sum();
        for (i, level) in column.levels.iter_mut().enumerate() {
            // Half a pair added to every level: a level never seen among random pairs is rare, not impossible.
            level.u = ((count[i + 1] as f64 + 0.5) / (seen as f64 + 0.5 * levels as f64)).max(FLOOR);
        }
    }
}

/// The (pattern, count) tallies of the candidates each rule agrees on.
fn tallies_per_rule(rules: &[Rule], candidates: &Candidates) -> Vec<Vec<(Pattern, u64)>> {
    let mut per_rule: Vec<std::collections::HashMap<Pattern, u64>> = vec![Default::default(); rules.len()];
    for (&(pattern, mask), &count) in &candidates.tally {
        for (r, tally) in per_rule.iter_mut().enumerate() {
            if mask & (1 << r) != 0 {
                *tally.entry(pattern).or_default() += count;
            }
        }
    }
    per_rule
        .into_iter()
        .map(|t| {
            let mut list: Vec<(Pattern, u64)> = t.into_iter().collect();
            list.sort_unstable();
            list
        })
        .collect()
}

fn estimate_m(comparisons: &mut [ColumnModel], rules: &[Rule], candidates: &Candidates) {
    let tallies = tallies_per_rule(rules, candidates);
    let columns = comparisons.len();
    // Per column: summed m estimates weighted by each rule's expected matches.
    let mut sums: Vec<Vec<f64>> = comparisons.iter().map(|c| vec![0.0; c.levels.len()]).collect();
    let mut weights = vec![0.0; columns];
    let mut trained_by: Vec<Vec<String>> = vec![Vec::new(); columns];
    for (rule, tally) in rules.iter().zip(&tallies) {
        let blocked: Vec<usize> = rule.fields().collect();
        let free: Vec<bool> = (0..columns).map(|c| !blocked.contains(&c)).collect();
        if tally.is_empty() || !free.iter().any(|&f| f) {
            continue;
        }
        let (m, matches) = expectation_maximisation(comparisons, tally, &free);
        if matches < 1.0 {
            continue;
        }
        for c in (0..columns).filter(|&c| free[c]) {
            for (sum, value) in sums[c].iter_mut().zip(&m[c]) {
                *sum += value * matches;
            }
            weights[c] += matches;
            trained_by[c].push(rule.text.clone());
        }
    }
    for (c, column) in comparisons.iter_mut().enumerate() {
        if weights[c] > 0.0 {
            for (level, sum) in column.levels.iter_mut().zip(&sums[c]) {
                level.m = (sum / weights[c]).max(FLOOR);
            }
        }
        column.trained_by = std::mem::take(&mut trained_by[c]);
    }
}

/// EM over one rule's tally, estimating m of the `free` columns (others ignored).
/// Returns every column's m (unchanged for the ignored ones) and the expected matches.
fn expectation_maximisation(start: &[ColumnModel], tally: &[(Pattern, u64)], free: &[bool]) -> (Vec<Vec<f64>>, f64) {
    let mut m: Vec<Vec<f64>> = start.iter().map(|c| c.levels.iter().map(|l| l.m).collect()).collect();
    let u: Vec<Vec<f64>> = start.iter().map(|c| c.levels.iter().map(|l| l.u).collect()).collect();
    let total: f64 = tally.iter().map(|&(_, n)| n as f64).sum();
    let mut lambda = 0.1;
    let mut matches = 0.0;
    for _ in 0..EM_ITERATIONS {
        let mut next: Vec<Vec<f64>> = m.iter().map(|l| vec![0.0; l.len()]).collect();
        matches = 0.0;
        for &(pattern, count) in tally {
            let mut ratio = 0.0;
            for c in (0..m.len()).filter(|&c| free[c]) {
                let level = level_of(pattern, c);
                if level != MISSING_LEVEL {
                    let i = level as usize - 1;
                    ratio += (m[c][i] / u[c][i]).ln();
                }
            }
            let posterior = 1.0 / (1.0 + (1.0 - lambda) / lambda * (-ratio).exp());
            let expected = posterior * count as f64;
            matches += expected;
            for (c, levels) in next.iter_mut().enumerate().filter(|(c, _)| free[*c]) {
                let level = level_of(pattern, c);
                if level != MISSING_LEVEL {
                    levels[level as usize - 1] += expected;
                }
            }
        }
        let mut change: f64 = (matches / total - lambda).abs();
        lambda = (matches / total).clamp(FLOOR, 1.0 - FLOOR);
        for c in (0..m.len()).filter(|&c| free[c]) {
            let sum: f64 = next[c].iter().sum();
            if sum <= 0.0 {
                continue;
            }
            for (old, new) in m[c].iter_mut().zip(&next[c]) {
                let value = (new / sum).max(FLOOR);
                change = change.max((value - *old).abs());
                *old = value;
            }
        }
        if change < EM_TOLERANCE {
            break;
        }
    }
    (m, matches)
}

/// The prior: expected matches among the candidates (given the model) over all pairs in scope,
/// solved as a fixed point since each pair's match probability depends on the prior.
fn estimate_prior(model: &Model, candidates: &Candidates, total_pairs: f64) -> f64 {
    let mut patterns: std::collections::HashMap<Pattern, u64> = Default::default();
    for (&(pattern, _), &count) in &candidates.tally {
        *patterns.entry(pattern).or_default() += count;
    }
    let mut patterns: Vec<(Pattern, u64)> = patterns.into_iter().collect();
    patterns.sort_unstable();
    let weighted: Vec<(f64, f64)> = patterns
        .iter()
        .map(|&(p, n)| (model.pattern_weight(p), n as f64))
        .collect();
    let mut prior = 1.0 / total_pairs.max(2.0);
    for _ in 0..200 {
        let odds = (prior / (1.0 - prior)).log2();
        let expected: f64 = weighted.iter().map(|&(w, n)| n / (1.0 + (-(odds + w)).exp2())).sum();
        let next = (expected / total_pairs).clamp(1e-12, 0.5);
        if (next - prior).abs() < prior * 1e-6 {
            return next;
        }
        prior = next;
    }
    prior
}
