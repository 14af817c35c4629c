//! The deterministic random source of the simulator's worlds and the linker's
//! samples: xoshiro256** seeded through SplitMix64, with the few
//! distributions they need.
//!
//! Written here rather than taken from `rand` so that a seed means the same
//! world for as long as this file is unchanged, whatever version of a
//! dependency is resolved: "same seed and arguments, same bytes" is a promise
//! the sample data and every test rely on. Streams are derived from a seed
//! and a path of numbers (force, dyad, …), so any part of the world can be
//! regenerated alone, in any order, on any thread.

/// A deterministic generator.
#[derive(Debug, Clone)]
pub struct Random {
    state: [u64; 4],
}

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Random {
    /// The stream for `seed` and a path such as `[force, dyad]`.
    pub fn stream(seed: u64, path: &[u64]) -> Random {
        let mut mix = seed;
        let mut key = splitmix(&mut mix);
        for part in path {
            let mut folded = key ^ part.wrapping_mul(0xD6E8_FEB8_6659_FD93);
            key = splitmix(&mut folded);
        }
        let mut state = [0; 4];
        for slot in &mut state {
            *slot = splitmix(&mut key);
        }
        Random { state }
    }

    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.state;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in lo..=hi.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    pub fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Log-normal with the given median and log-scale spread: long right tails.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given (unnormalised) weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut target = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if target < *w {
                return i;
            }
            target -= w;
        }
        weights.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Random::stream(7, &[1, 2]).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Random::stream(7, &[1, 2]).next_u64(),
            Random::stream(7, &[2, 1]).next_u64()
        );
        assert_ne!(Random::stream(7, &[1]).next_u64(), Random::stream(8, &[1]).next_u64());
    }

    #[test]
    fn distributions_have_their_expected_centres() {
        let mut r = Random::stream(1, &[]);
        let n = 20_000;
        let mean_unit = (0..n).map(|_| r.unit()).sum::<f64>() / n as f64;
        assert!((mean_unit - 0.5).abs() < 0.01);
        let mut logs: Vec<f64> = (0..n).map(|_| r.lognormal(10.0, 1.0)).collect();
        logs.sort_by(f64::total_cmp);
        assert!((logs[n / 2] - 10.0).abs() < 0.6, "median {}", logs[n / 2]);
        assert!((0..1000).all(|_| r.below(3) < 3));
        let counts = (0..n).fold([0; 2], |mut c, _| {
            c[r.weighted(&[1.0, 3.0])] += 1;
            c
        });
        assert!((counts[1] as f64 / n as f64 - 0.75).abs() < 0.02);
    }
}
