//! Training without labels: u from random pairs; m by expectation-maximisation
//! over the counts of comparison vectors, once per blocking rule with the
//! rule's own columns left out (a pair proposed because the surnames agree says
//! nothing about how often true matches agree on surname); the prior last.
//!
//! Only rules that a household alone cannot satisfy train m: a rule on
//! surname and postcode, or on a shared landline, proposes mostly relatives,
//! and EM over those pairs learns a household (relatives agree on everything
//! but given name and birth date, so those would weigh almost nothing). A rule
//! that names a given name, a birth date, an e-mail or an identifier proposes
//! mostly one person's records.

use rayon::prelude::*;

use super::blocking::{Candidates, PairScope};
use super::compare::{compare, level_of, Pattern, Rows, EXACT_LEVEL, MISSING_LEVEL, SWAPPED_LEVEL};
use super::encode::{Field, MISSING};
use super::home;
use super::model::{ColumnModel, Model, FORMAT};
use super::moves;
use super::rule::Rule;
use super::spec::Kind;
use crate::random::Random;

/// Random pairs drawn to estimate u of the levels below exact.
const RANDOM_PAIRS: usize = 300_000;
const EM_ITERATIONS: usize = 100;
const EM_TOLERANCE: f64 = 1e-6;
/// u never reaches zero.
const FLOOR: f64 = 1e-6;
/// Nor does m, and not nearly: true matches do disagree now and then (people
/// move, clerks mistype), so no single level may count for much more than
/// about ten bits against a match.
const M_FLOOR: f64 = 1e-3;
/// A column on which this share of a rule's pairs agree exactly is as good as
/// blocked by that rule (a city beside a postcode, say), so that rule does not train it.
const ALMOST_ALL: f64 = 0.95;

/// What training starts from: u of every level (from random pairs and the
/// values' counts) and of the combinations a household shares, with m as
/// first guessed. It does not depend on the candidates, so it is measured
/// once however often m is trained.
pub fn untrained((fields, rows): (&[Field], &Rows), scope: PairScope) -> Model {
    let mut comparisons: Vec<ColumnModel> = fields.iter().map(ColumnModel::initial).collect();
    estimate_u(&mut comparisons, (fields, rows), scope);
    Model {
        format: FORMAT,
        prior: 1e-4,
        comparisons,
        together: home::joint_u(fields, scope),
    }
}

/// Trains m and the prior on the candidates, from `start`'s u.
pub fn train(start: &Model, fields: &[Field], rules: &[Rule], candidates: &Candidates, scope: PairScope) -> Model {
    let mut model = start.clone();
    estimate_m(&mut model.comparisons, fields, rules, candidates);
    model.prior = estimate_prior(&model, candidates, scope.total_pairs());
    model
}

fn estimate_u(comparisons: &mut [ColumnModel], (fields, rows): (&[Field], &Rows), scope: PairScope) {
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
                let pattern = compare(fields, rows, a, b);
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
    for ((column, count), field) in comparisons.iter_mut().zip(&counts).zip(fields) {
        let levels = column.levels.len();
        let exact = exact_agreement(field, scope).clamp(FLOOR, 1.0 - FLOOR);
        column.levels[0].u = exact;
        let seen: u64 = count[2..=levels].iter().sum();
        for (i, level) in column.levels.iter_mut().enumerate().skip(1) {
            // Half a pair added to every level: a level never seen among random pairs is rare, not impossible.
            let share = (count[i + 1] as f64 + 0.5) / (seen as f64 + 0.5 * (levels - 1) as f64);
            level.u = ((1.0 - exact) * share).max(FLOOR);
        }
    }
    estimate_swapped_u(comparisons);
}

/// u of a given name swapped with the family name: at most the chance that
/// a random pair agrees on both names, so a swap never counts for more than
/// the two names agreeing where they belong (too rare among random pairs to
/// sample, and, where given and family names are drawn from lists that
/// barely overlap, rarer still).
fn estimate_swapped_u(comparisons: &mut [ColumnModel]) {
    let first = |kind: Kind| comparisons.iter().position(|c| c.kind == kind);
    if let Some((given, family)) = first(Kind::Forename).zip(first(Kind::Surname)) {
        let both = comparisons[given].levels[0].u * comparisons[family].levels[0].u;
        comparisons[given].levels[SWAPPED_LEVEL as usize - 1].u = both.max(FLOOR);
    }
}

/// The chance that two random records in scope (both with a value) hold the
/// same value: computed from the value counts, not sampled, since for a
/// date of birth or an e-mail address it is far too small to sample well.
fn exact_agreement(field: &Field, scope: PairScope) -> f64 {
    let (same, pairs) = if scope.across_only {
        let mut sides = vec![[0u64; 2]; field.pool.len()];
        for (record, &value) in field.values.iter().enumerate() {
            if value != MISSING {
                sides[value as usize][scope.input[record].min(1) as usize] += 1;
            }
        }
        let totals = sides.iter().fold([0u64; 2], |t, c| [t[0] + c[0], t[1] + c[1]]);
        let same: u64 = sides.iter().map(|c| c[0] * c[1]).sum();
        (same as f64, totals[0] as f64 * totals[1] as f64)
    } else {
        let same: u64 = field
            .counts
            .iter()
            .map(|&c| c as u64 * (c as u64).saturating_sub(1))
            .sum();
        let present = field.present as f64;
        (same as f64, present * (present - 1.0).max(0.0))
    };
    if pairs == 0.0 {
        0.0
    } else {
        same / pairs
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

/// m of each column: the median, level by level, of the estimates of every
/// rule that does not block on it (renormalised). A median, not a mean: one
/// rule whose pairs are dominated by look-alikes (people sharing a common
/// name, say) can teach EM that look-alikes are matches; it is outvoted.
fn estimate_m(comparisons: &mut [ColumnModel], fields: &[Field], rules: &[Rule], candidates: &Candidates) {
    let tallies = tallies_per_rule(rules, candidates);
    let columns = comparisons.len();
    let mut estimates: Vec<Vec<Vec<f64>>> = vec![Vec::new(); columns];
    let mut trained_by: Vec<Vec<String>> = vec![Vec::new(); columns];
    let mut move_estimates: Vec<Vec<Vec<f64>>> = vec![Vec::new(); columns];
    let person_rules: Vec<bool> = rules
        .iter()
        .map(|r| r.fields().any(|f| fields[f].kind.tells_relatives_apart()))
        .collect();
    let any_person_rule = person_rules.contains(&true);
    for ((rule, tally), _) in rules
        .iter()
        .zip(&tallies)
        .zip(&person_rules)
        .filter(|(_, &person)| person || !any_person_rule)
    {
        let blocked: Vec<usize> = rule.fields().collect();
        let free: Vec<bool> = (0..columns)
            .map(|c| !blocked.contains(&c) && exact_share(tally, c) < ALMOST_ALL)
            .collect();
        if tally.is_empty() || !free.iter().any(|&f| f) {
            continue;
        }
        let fit = expectation_maximisation(comparisons, tally, &free);
        if fit.matches < MIN_TRAINING_MATCHES {
            continue;
        }
        for c in (0..columns).filter(|&c| free[c] && fit.after_a_move[c] >= MIN_TRAINING_MATCHES) {
            move_estimates[c].push(fit.m_after_a_move[c].clone());
        }
        for c in (0..columns).filter(|&c| free[c]) {
            estimates[c].push(fit.m[c].clone());
            trained_by[c].push(rule.text.clone());
        }
    }
    for (c, column) in comparisons.iter_mut().enumerate() {
        if !estimates[c].is_empty() {
            for (level, value) in column.levels.iter_mut().zip(normalised_medians(&estimates[c])) {
                level.m = value;
            }
        }
        if !move_estimates[c].is_empty() {
            column.m_after_a_move = normalised_medians(&move_estimates[c]);
        }
        column.trained_by = std::mem::take(&mut trained_by[c]);
    }
}

/// The median of the estimates level by level, renormalised, each at least [`M_FLOOR`].
fn normalised_medians(estimates: &[Vec<f64>]) -> Vec<f64> {
    let levels = estimates[0].len();
    let medians: Vec<f64> = (0..levels)
        .map(|level| median(estimates.iter().map(|e| e[level]).collect()))
        .collect();
    let total: f64 = medians.iter().sum();
    medians.iter().map(|value| (value / total).max(M_FLOOR)).collect()
}

/// The share of a tally's pairs (with values on both sides) that agree exactly on column `c`.
fn exact_share(tally: &[(Pattern, u64)], c: usize) -> f64 {
    let (mut exact, mut present) = (0u64, 0u64);
    for &(pattern, count) in tally {
        match level_of(pattern, c) {
            MISSING_LEVEL => {}
            EXACT_LEVEL => {
                exact += count;
                present += count;
            }
            _ => present += count,
        }
    }
    exact as f64 / present.max(1) as f64
}

/// A rule whose pairs hold fewer expected matches than this trains nothing.
const MIN_TRAINING_MATCHES: f64 = 10.0;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// What EM settled on for one rule's tally: every column's m (unchanged for
/// the columns it did not train), the same among matches whose home already
/// differed (`moves.rs`) with how many such matches each rests on,
/// the share of matches and their expected number.
struct Fit {
    m: Vec<Vec<f64>>,
    m_after_a_move: Vec<Vec<f64>>,
    after_a_move: Vec<f64>,
    lambda: f64,
    matches: f64,
}

impl Fit {
    fn start(columns: &[ColumnModel]) -> Fit {
        let m: Vec<Vec<f64>> = columns.iter().map(|c| c.levels.iter().map(|l| l.m).collect()).collect();
        // After a move nothing is assumed: every level as likely as another.
        let m_after_a_move = m.iter().map(|l| vec![1.0 / l.len() as f64; l.len()]).collect();
        Fit {
            m,
            m_after_a_move,
            after_a_move: vec![0.0; columns.len()],
            lambda: 0.1,
            matches: 0.0,
        }
    }

    /// m of column `c` in a pair whose marks (`moves::after_a_move`) are `marked`.
    fn m_of(&self, c: usize, marked: u16) -> &[f64] {
        if marked & (1 << c) != 0 {
            &self.m_after_a_move[c]
        } else {
            &self.m[c]
        }
    }

    /// The chance that a pair with `pattern` is a match, from the `free` columns' m and u.
    fn posterior(&self, u: &[Vec<f64>], (pattern, marked): (Pattern, u16), free: &[bool]) -> f64 {
        let mut ratio = 0.0;
        for c in (0..u.len()).filter(|&c| free[c]) {
            let level = level_of(pattern, c);
            if level != MISSING_LEVEL {
                let i = level as usize - 1;
                ratio += (self.m_of(c, marked)[i] / u[c][i]).ln();
            }
        }
        1.0 / (1.0 + (1.0 - self.lambda) / self.lambda * (-ratio).exp())
    }
}

/// EM over one rule's tally, estimating m of the `free` columns (others
/// ignored). A column of the home after one that differs has its
/// own m: a move changes them together, and counted as independent a move
/// would weigh so much against a match that EM would learn that people never
/// move.
fn expectation_maximisation(start: &[ColumnModel], tally: &[(Pattern, u64)], free: &[bool]) -> Fit {
    let u: Vec<Vec<f64>> = start.iter().map(|c| c.levels.iter().map(|l| l.u).collect()).collect();
    let marks: Vec<u16> = tally
        .iter()
        .map(|&(pattern, _)| moves::after_a_move(start.iter().map(|c| c.kind), pattern))
        .collect();
    let total: f64 = tally.iter().map(|&(_, n)| n as f64).sum();
    let mut fit = Fit::start(start);
    for _ in 0..EM_ITERATIONS {
        let zeros = |m: &Vec<Vec<f64>>| -> Vec<Vec<f64>> { m.iter().map(|l| vec![0.0; l.len()]).collect() };
        let (mut next, mut next_after) = (zeros(&fit.m), zeros(&fit.m));
        fit.matches = 0.0;
        for (&(pattern, count), &marked) in tally.iter().zip(&marks) {
            let expected = fit.posterior(&u, (pattern, marked), free) * count as f64;
            fit.matches += expected;
            for c in (0..u.len()).filter(|&c| free[c]) {
                let level = level_of(pattern, c);
                if level != MISSING_LEVEL {
                    let sums = if marked & (1 << c) != 0 {
                        &mut next_after
                    } else {
                        &mut next
                    };
                    sums[c][level as usize - 1] += expected;
                }
            }
        }
        let mut change: f64 = (fit.matches / total - fit.lambda).abs();
        fit.lambda = (fit.matches / total).clamp(FLOOR, 1.0 - FLOOR);
        for c in (0..u.len()).filter(|&c| free[c]) {
            change = change.max(maximise(&mut fit.m[c], &next[c]));
            change = change.max(maximise(&mut fit.m_after_a_move[c], &next_after[c]));
            fit.after_a_move[c] = next_after[c].iter().sum();
        }
        if change < EM_TOLERANCE {
            break;
        }
    }
    fit
}

/// Sets `m` to the expected counts' shares (unless there are none); returns the largest change.
fn maximise(m: &mut [f64], expected: &[f64]) -> f64 {
    let sum: f64 = expected.iter().sum();
    if sum <= 0.0 {
        return 0.0;
    }
    let mut change: f64 = 0.0;
    for (old, new) in m.iter_mut().zip(expected) {
        let value = (new / sum).max(FLOOR);
        change = change.max((value - *old).abs());
        *old = value;
    }
    change
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
