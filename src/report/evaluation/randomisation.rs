//! Difference-in-differences of a proportion with randomisation inference,
//! which holds with as few as five treated forces where clustered standard
//! errors do not (Bertrand, Duflo and Mullainathan 2004).
//!
//! For a pilot force `i` with start `s`, its effect is the change in its
//! rate across `s` less the mean change of the comparison forces across the
//! same day; the estimate is the mean over the pilot forces. Its reference
//! distribution comes from re-assigning the pilot, with its start dates, to
//! other sets of forces: every set when there are at most `MAX_DRAWS`, else
//! `MAX_DRAWS` sets drawn with a fixed seed, so the same data gives the same
//! interval. The p-value is the share of assignments (the actual one
//! included) whose estimate is at least as far from zero. The 95 % interval
//! inverts the test: the effects `t` whose null (each pilot incident's
//! outcome moved by `t` from its force's start) the test does not reject at
//! 5 %. Under that null every assignment's estimate is linear in `t`, so the
//! interval's ends are found by bisection on exact values.

use crate::random::Random;

/// Assignments of the reference distribution at most.
pub const MAX_DRAWS: usize = 1_999;

/// One force's counts split at one day: before it and from it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Split {
    pub hits_before: u64,
    pub cases_before: u64,
    pub hits_after: u64,
    pub cases_after: u64,
    /// Of the cases before and after the split, those from the force's own
    /// pilot start on (zero for a comparison force): under a null effect
    /// `t`, each of them moves by `t`.
    pub piloted_before: u64,
    pub piloted_after: u64,
}

impl Split {
    fn change(&self, effect: f64) -> Option<f64> {
        if self.cases_before == 0 || self.cases_after == 0 {
            return None;
        }
        let rate = |hits: u64, cases: u64, piloted: u64| (hits as f64 - effect * piloted as f64) / cases as f64;
        Some(
            rate(self.hits_after, self.cases_after, self.piloted_after)
                - rate(self.hits_before, self.cases_before, self.piloted_before),
        )
    }
}

/// The forces' counts: `splits[f][s]` is force `f` split at start `s`.
pub struct Design {
    pub splits: Vec<Vec<Split>>,
    /// The pilot: (force, its start's index), in force order.
    pub pilot: Vec<(usize, usize)>,
    /// The forces in play, in order: the pilot and those it is compared
    /// with (one pilot force alone is compared with the comparison forces,
    /// not with the other pilot forces, whose own pilot would bias it).
    pub pool: Vec<usize>,
}

/// The estimate, its randomisation p-value and 95 % interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Inference {
    pub estimate: f64,
    pub p_value: f64,
    /// The interval's ends; `None` where the test rejects no effect that far
    /// (too few assignments to bound it: with 10, no p-value is under 0.1).
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Assignments in the reference distribution, the actual one included.
    pub assignments: usize,
    pub exhaustive: bool,
}

impl Design {
    /// The estimate for an assignment (forces, each with a start) under the null effect `effect`.
    fn estimate(&self, assigned: &[(usize, usize)], effect: f64) -> Option<f64> {
        let treated: Vec<usize> = assigned.iter().map(|&(f, _)| f).collect();
        let mut sum = 0.0;
        for &(force, start) in assigned {
            let own = self.splits[force][start].change(effect)?;
            let others: Vec<f64> = (self.pool.iter().copied())
                .filter(|f| !treated.contains(f))
                .filter_map(|f| self.splits[f][start].change(effect))
                .collect();
            if others.is_empty() {
                return None;
            }
            sum += own - others.iter().sum::<f64>() / others.len() as f64;
        }
        Some(sum / assigned.len() as f64)
    }

    /// The assignments of the reference distribution, the actual one first.
    fn assignments(&self, seed: u64) -> (Vec<Vec<(usize, usize)>>, bool) {
        let (n, k) = (self.pool.len(), self.pilot.len());
        let starts: Vec<usize> = self.pilot.iter().map(|&(_, s)| s).collect();
        let mut all = vec![self.pilot.clone()];
        if choose(n, k) <= MAX_DRAWS as u128 {
            for set in combinations(n, k) {
                let forces = set.into_iter().map(|i| self.pool[i]);
                let assigned: Vec<(usize, usize)> = forces.zip(starts.iter().copied()).collect();
                if assigned != self.pilot {
                    all.push(assigned);
                }
            }
            return (all, true);
        }
        let mut random = Random::stream(seed, &[0x0052_4931]);
        while all.len() < MAX_DRAWS {
            let mut forces = self.pool.clone();
            for i in 0..k {
                let j = i + random.below((n - i) as u64) as usize;
                forces.swap(i, j);
            }
            all.push(forces[..k].iter().copied().zip(starts.iter().copied()).collect());
        }
        (all, false)
    }

    /// The estimate with its inference, or `None` when it cannot be made
    /// (no comparison force, or a pilot force with no cases on a side of its start).
    pub fn infer(&self, seed: u64) -> Option<Inference> {
        let estimate = self.estimate(&self.pilot, 0.0)?;
        let (assignments, exhaustive) = self.assignments(seed);
        // Each assignment's estimate is a + b·t under the null effect t.
        let lines: Vec<(f64, f64)> = assignments
            .iter()
            .filter_map(|a| Some((self.estimate(a, 0.0)?, self.estimate(a, 1.0)?)))
            .map(|(at0, at1)| (at0, at1 - at0))
            .collect();
        let p_at = |t: f64| {
            let (a, b) = lines[0];
            let observed = (a + b * t).abs();
            let extreme = lines
                .iter()
                .filter(|(a, b)| (a + b * t).abs() >= observed - 1e-12)
                .count();
            extreme as f64 / lines.len() as f64
        };
        let p_value = p_at(0.0);
        let (low, high) = interval(estimate, &p_at);
        Some(Inference {
            estimate,
            p_value,
            low,
            high,
            assignments: lines.len(),
            exhaustive,
        })
    }
}

/// The effects not rejected at 5 %, from the estimate outwards; an end is
/// `None` when even the largest possible effect (a change of rates lies in
/// [-2, 2]) is not rejected.
fn interval(estimate: f64, p_at: &dyn Fn(f64) -> f64) -> (Option<f64>, Option<f64>) {
    let end = |toward: f64| {
        let (mut inside, mut outside) = (estimate, toward);
        if p_at(outside) > 0.05 {
            return None;
        }
        for _ in 0..60 {
            let middle = (inside + outside) / 2.0;
            if p_at(middle) > 0.05 {
                inside = middle;
            } else {
                outside = middle;
            }
        }
        Some(inside)
    };
    (end(-2.0), end(2.0))
}

fn choose(n: usize, k: usize) -> u128 {
    (0..k).fold(1u128, |acc, i| acc * (n - i) as u128 / (i + 1) as u128)
}

/// Every k-subset of 0..n, in lexicographic order.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut set: Vec<usize> = (0..k).collect();
    if k > n {
        return out;
    }
    loop {
        out.push(set.clone());
        let Some(i) = (0..k).rev().find(|&i| set[i] < n - k + i) else {
            return out;
        };
        set[i] += 1;
        for j in i + 1..k {
            set[j] = set[j - 1] + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A force whose rate goes from `before` to `after` over 1,000 cases each
    /// side; a pilot force's cases after the split are all piloted.
    fn force(before: f64, after: f64, pilot: bool) -> Vec<Split> {
        vec![Split {
            hits_before: (before * 1000.0) as u64,
            cases_before: 1000,
            hits_after: (after * 1000.0) as u64,
            cases_after: 1000,
            piloted_before: 0,
            piloted_after: if pilot { 1000 } else { 0 },
        }]
    }

    #[test]
    fn the_estimate_is_the_pilot_change_less_the_comparison_change() {
        let mut splits = vec![force(0.20, 0.50, true), force(0.30, 0.60, true)];
        splits.extend((0..8).map(|i| force(0.25 + 0.01 * i as f64, 0.30 + 0.01 * i as f64, false)));
        let design = Design {
            pool: (0..splits.len()).collect(),
            splits,
            pilot: vec![(0, 0), (1, 0)],
        };
        let inference = design.infer(7).unwrap();
        // 0.25, as the rates' thousandths round.
        assert!((inference.estimate - 0.25).abs() < 1e-3, "{inference:?}");
        // 45 assignments; the actual one is the most extreme.
        assert!(inference.exhaustive && inference.assignments == 45);
        assert!((inference.p_value - 1.0 / 45.0).abs() < 1e-9);
        let (low, high) = (inference.low.unwrap(), inference.high.unwrap());
        assert!(
            low > 0.0 && low < inference.estimate && high > inference.estimate,
            "{inference:?}"
        );
    }

    #[test]
    fn with_no_effect_the_test_does_not_reject_and_the_interval_holds_zero() {
        let mut splits: Vec<Vec<Split>> = (0..12)
            .map(|i| force(0.2 + 0.02 * i as f64, 0.25 + 0.02 * i as f64, i < 3))
            .collect();
        splits[1] = force(0.24, 0.27, true);
        let design = Design {
            pool: (0..splits.len()).collect(),
            splits,
            pilot: vec![(0, 0), (1, 0), (2, 0)],
        };
        let inference = design.infer(7).unwrap();
        assert!(inference.p_value > 0.05, "{inference:?}");
        assert!(inference.low.is_none_or(|l| l <= 0.0), "{inference:?}");
        assert!(inference.high.is_none_or(|h| h >= 0.0), "{inference:?}");
    }

    #[test]
    fn many_forces_draw_a_seeded_sample_of_assignments() {
        let splits: Vec<Vec<Split>> = (0..43)
            .map(|i| force(0.3, 0.3 + 0.001 * (i % 7) as f64, i < 5))
            .collect();
        let design = Design {
            pool: (0..splits.len()).collect(),
            splits,
            pilot: (0..5).map(|f| (f, 0)).collect(),
        };
        let first = design.infer(11).unwrap();
        assert!(!first.exhaustive && first.assignments == MAX_DRAWS);
        assert_eq!(first, design.infer(11).unwrap(), "the same seed, the same interval");
    }

    #[test]
    fn one_pilot_force_is_compared_with_the_comparison_forces_only() {
        // Force 1 is another pilot force with a large change of its own.
        let mut splits = vec![force(0.2, 0.3, true), force(0.2, 0.9, true)];
        splits.extend((0..6).map(|_| force(0.2, 0.2, false)));
        let design = Design {
            pool: [0].into_iter().chain(2..8).collect(),
            splits,
            pilot: vec![(0, 0)],
        };
        let inference = design.infer(7).unwrap();
        assert!((inference.estimate - 0.1).abs() < 1e-9, "{inference:?}");
        assert_eq!(inference.assignments, 7, "itself and the six comparison forces");
    }

    #[test]
    fn no_comparison_force_means_no_estimate() {
        let design = Design {
            splits: vec![force(0.2, 0.4, true), force(0.3, 0.5, true)],
            pilot: vec![(0, 0), (1, 0)],
            pool: vec![0, 1],
        };
        assert!(design.infer(7).is_none());
    }
}
