//! 95 % confidence intervals for the evaluation's baseline-against-pilot
//! comparisons: Wilson's score interval for one proportion, Newcombe's
//! hybrid score interval (his method 10, 1998) for a difference of two, and a
//! percentile bootstrap with a fixed seed for a difference of two medians.

use crate::random::Random;

/// The standard normal quantile for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Resamples drawn for a bootstrap interval.
pub const BOOTSTRAP_RESAMPLES: usize = 2000;

/// An estimate with its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// Wilson's score interval for `successes` out of `trials` (Newcombe 1998, method 3).
/// `None` when there are no trials.
pub fn wilson(successes: u64, trials: u64, z: f64) -> Option<Estimate> {
    if trials == 0 || successes > trials {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let denominator = 1.0 + z2 / n;
    Some(Estimate {
        value: p,
        low: ((centre - spread) / denominator).max(0.0),
        high: ((centre + spread) / denominator).min(1.0),
    })
}

/// Newcombe's hybrid score interval for the difference `p1 - p2` of two
/// independent proportions (Newcombe 1998, "Interval estimation for the
/// difference between independent proportions", method 10).
pub fn newcombe_difference(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> Option<Estimate> {
    let first = wilson(x1, n1, z)?;
    let second = wilson(x2, n2, z)?;
    let difference = first.value - second.value;
    let below = ((first.value - first.low).powi(2) + (second.high - second.value).powi(2)).sqrt();
    let above = ((first.high - first.value).powi(2) + (second.value - second.low).powi(2)).sqrt();
    Some(Estimate {
        value: difference,
        low: difference - below,
        high: difference + above,
    })
}

/// The median of sorted values (the mean of the middle two for an even count).
pub fn median_of_sorted(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// A quantile of sorted values by linear interpolation between order
/// statistics (Hyndman and Fan type 7, as in R's default and polars' `linear`).
pub fn quantile_of_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = q.clamp(0.0, 1.0) * last as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let weight = position - below as f64;
    Some(sorted[below] + (sorted[above] - sorted[below]) * weight)
}

/// The difference of medians `median(pilot) - median(baseline)` with a
/// percentile bootstrap interval: both groups resampled with replacement
/// `resamples` times from the stream of `seed`, so the same data and seed
/// always give the same interval.
///
/// A resample's median is drawn directly rather than by drawing n values:
/// if n indices `floor(n U)` are drawn from uniforms `U`, the k-th smallest is
/// `floor(n U(k))`, where the k-th order statistic `U(k)` of n uniforms is
/// Beta(k, n - k + 1) distributed, and the next one lies above it by the
/// minimum of the n - k uniforms left on `[U(k), 1)`. So the resampled
/// median of the sorted values has exactly the bootstrap's distribution, at
/// a cost that does not grow with n.
pub fn bootstrap_median_difference(pilot: &[f64], baseline: &[f64], seed: u64, resamples: usize) -> Option<Estimate> {
    let sorted = |values: &[f64]| {
        let mut values = values.to_vec();
        values.sort_by(f64::total_cmp);
        values
    };
    let (pilot, baseline) = (sorted(pilot), sorted(baseline));
    let value = median_of_sorted(&pilot)? - median_of_sorted(&baseline)?;
    let mut random = Random::stream(seed, &[pilot.len() as u64, baseline.len() as u64]);
    let mut differences: Vec<f64> = (0..resamples.max(1))
        .map(|_| resampled_median(&pilot, &mut random) - resampled_median(&baseline, &mut random))
        .collect();
    differences.sort_by(f64::total_cmp);
    Some(Estimate {
        value,
        low: quantile_of_sorted(&differences, 0.025)?,
        high: quantile_of_sorted(&differences, 0.975)?,
    })
}

/// The median of one bootstrap resample of `sorted`, drawn by its order statistics.
fn resampled_median(sorted: &[f64], random: &mut Random) -> f64 {
    let n = sorted.len();
    let at = |u: f64| sorted[((u * n as f64) as usize).min(n - 1)];
    let k = n.div_ceil(2);
    let lower = beta(random, k as f64, (n - k + 1) as f64);
    if n % 2 == 1 {
        return at(lower);
    }
    let left = (n - k) as f64;
    let next = lower + (1.0 - lower) * (1.0 - (1.0 - random.unit()).powf(1.0 / left));
    (at(lower) + at(next)) / 2.0
}

/// A Beta(a, b) draw as the ratio of two gamma draws.
fn beta(random: &mut Random, a: f64, b: f64) -> f64 {
    let x = gamma(random, a);
    let y = gamma(random, b);
    x / (x + y)
}

/// A Gamma(shape, 1) draw for shape >= 1 (Marsaglia and Tsang 2000).
fn gamma(random: &mut Random, shape: f64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = random.normal();
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u = random.unit();
        if u < 1.0 - 0.0331 * x.powi(4) || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(estimate: Estimate, value: f64, low: f64, high: f64) {
        // The published figures are rounded to four places.
        let near = |a: f64, b: f64| (a - b).abs() <= 0.000_051;
        assert!(
            near(estimate.value, value) && near(estimate.low, low) && near(estimate.high, high),
            "{estimate:?} is not {value} ({low}, {high})"
        );
    }

    /// Newcombe (1998), "Two-sided confidence intervals for the single
    /// proportion", Statistics in Medicine 17:857-872, Table I, method 3.
    #[test]
    fn wilson_matches_newcombes_worked_examples() {
        close(wilson(81, 263, Z95).unwrap(), 81.0 / 263.0, 0.2553, 0.3662);
        close(wilson(15, 148, Z95).unwrap(), 15.0 / 148.0, 0.0624, 0.1605);
        close(wilson(0, 20, Z95).unwrap(), 0.0, 0.0, 0.1611);
        close(wilson(1, 29, Z95).unwrap(), 1.0 / 29.0, 0.0061, 0.1718);
        assert!(wilson(1, 0, Z95).is_none());
    }

    /// Newcombe (1998), "Interval estimation for the difference between
    /// independent proportions", Statistics in Medicine 17:873-890, Table II,
    /// method 10; each also recomputed independently from the formulas (Python, by hand).
    #[test]
    fn newcombe_matches_his_worked_examples() {
        close(newcombe_difference(56, 70, 48, 80, Z95).unwrap(), 0.2, 0.0524, 0.3339);
        close(newcombe_difference(9, 10, 3, 10, Z95).unwrap(), 0.6, 0.1705, 0.8090);
        close(newcombe_difference(6, 7, 2, 7, Z95).unwrap(), 4.0 / 7.0, 0.0582, 0.8062);
        close(
            newcombe_difference(5, 56, 0, 29, Z95).unwrap(),
            5.0 / 56.0,
            -0.0381,
            0.1926,
        );
    }

    #[test]
    fn quantiles_interpolate_like_r_type_7() {
        let values = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_of_sorted(&values, 0.5), Some(3.0));
        assert!(
            (quantile_of_sorted(&values, 0.9).unwrap() - 7.6).abs() < 1e-12,
            "4 + 0.6 x (10 - 4)"
        );
        assert_eq!(median_of_sorted(&[1.0, 2.0, 3.0, 4.0]), Some(2.5));
    }

    /// The order-statistic draw against drawing every value of the resample:
    /// the frequencies of every median value agree (20,000 draws each).
    #[test]
    fn a_resampled_median_has_the_distribution_of_a_drawn_resample() {
        for n in [1usize, 2, 7, 12, 51] {
            let values: Vec<f64> = (0..n).map(|i| (i * i) as f64).collect();
            let mut direct = Random::stream(1, &[n as u64]);
            let mut drawn: Vec<f64> = (0..20_000)
                .map(|_| {
                    let mut draw: Vec<f64> = (0..n).map(|_| values[direct.below(n as u64) as usize]).collect();
                    draw.sort_by(f64::total_cmp);
                    median_of_sorted(&draw).unwrap()
                })
                .collect();
            let mut stats = Random::stream(2, &[n as u64]);
            let mut ordered: Vec<f64> = (0..20_000).map(|_| resampled_median(&values, &mut stats)).collect();
            let frequencies = |medians: &[f64]| {
                let mut counts = std::collections::BTreeMap::new();
                for m in medians {
                    *counts.entry(m.to_bits()).or_insert(0.0) += 1.0 / medians.len() as f64;
                }
                counts
            };
            let (a, b) = (frequencies(&drawn), frequencies(&ordered));
            for key in a.keys().chain(b.keys()) {
                let (p, q) = (a.get(key).copied().unwrap_or(0.0), b.get(key).copied().unwrap_or(0.0));
                assert!(
                    (p - q).abs() < 0.02,
                    "n = {n}, median {}: {p} against {q}",
                    f64::from_bits(*key)
                );
            }
            drawn.sort_by(f64::total_cmp);
            ordered.sort_by(f64::total_cmp);
            let middle = |v: &[f64]| quantile_of_sorted(v, 0.5).unwrap();
            assert!(
                (middle(&drawn) - middle(&ordered)).abs() <= 0.05 * values[n - 1].max(1.0),
                "n = {n}"
            );
        }
    }

    #[test]
    fn bootstrap_is_repeatable_and_covers_a_clear_shift() {
        let baseline: Vec<f64> = (0..200).map(|i| 20.0 + f64::from(i % 17)).collect();
        let pilot: Vec<f64> = baseline.iter().map(|v| v - 5.0).collect();
        let first = bootstrap_median_difference(&pilot, &baseline, 7, BOOTSTRAP_RESAMPLES).unwrap();
        let again = bootstrap_median_difference(&pilot, &baseline, 7, BOOTSTRAP_RESAMPLES).unwrap();
        assert_eq!(first, again);
        assert_eq!(first.value, -5.0);
        assert!(first.low <= -5.0 && first.high >= -5.0 && first.high < 0.0, "{first:?}");
        assert!(bootstrap_median_difference(&[], &baseline, 7, 10).is_none());
    }
}
