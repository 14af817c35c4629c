//! Small-count suppression for the evaluation pack (statistical disclosure
//! control): a count from 1 to the threshold is never published, and neither
//! is a rate whose numerator, denominator or complement (denominator minus
//! numerator) is such a count, since any of them would let a reader work
//! the small count out. Zero is published: it reveals no one.

/// What a suppressed cell shows (the ONS convention for "confidential").
pub const SUPPRESSED: &str = "[c]";

/// Suppression with its threshold.
#[derive(Debug, Clone, Copy)]
pub struct Suppression {
    pub up_to: u64,
}

impl Suppression {
    /// Whether publishing `count` would reveal a small number of people or events.
    pub fn hides(self, count: u64) -> bool {
        (1..=self.up_to).contains(&count)
    }

    /// Whether a rate of `numerator` out of `denominator` must be hidden.
    pub fn hides_rate(self, numerator: u64, denominator: u64) -> bool {
        self.hides(numerator) || self.hides(denominator) || self.hides(denominator.saturating_sub(numerator))
    }

    /// Which of a row's `counts` to hide so that no small count can be read or
    /// worked out: the small counts themselves; the part of each (part, whole)
    /// pair whose rate would reveal one; and, in each group of parts adding up
    /// to a published whole, a second part wherever only one is hidden (so
    /// that subtraction recovers nothing). Repeated until nothing changes.
    pub fn protect(self, counts: &[u64], pairs: &[(usize, usize)], groups: &[(Vec<usize>, usize)]) -> Vec<bool> {
        let mut hidden: Vec<bool> = counts.iter().map(|&n| self.hides(n)).collect();
        loop {
            let before = hidden.clone();
            for &(part, whole) in pairs {
                if self.hides_rate(counts[part], counts[whole]) {
                    hidden[part] = true;
                }
            }
            for (parts, whole) in groups {
                let open = parts.iter().filter(|&&p| hidden[p]).count() == 1 && !hidden[*whole];
                if open {
                    let second = parts
                        .iter()
                        .copied()
                        .filter(|&p| !hidden[p] && counts[p] > 0)
                        .min_by_key(|&p| (counts[p], p));
                    if let Some(p) = second {
                        hidden[p] = true;
                    }
                }
            }
            if hidden == before {
                return hidden;
            }
        }
    }

    /// A count as published.
    pub fn count(self, count: u64) -> String {
        if self.hides(count) {
            SUPPRESSED.into()
        } else {
            count.to_string()
        }
    }

    /// A percentage (one decimal) of `numerator` out of `denominator` as published; empty when there is no denominator.
    pub fn percent(self, numerator: u64, denominator: u64) -> String {
        if denominator == 0 {
            String::new()
        } else if self.hides_rate(numerator, denominator) {
            SUPPRESSED.into()
        } else {
            format!("{:.1}", 100.0 * numerator as f64 / denominator as f64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOUR: Suppression = Suppression { up_to: 4 };

    #[test]
    fn counts_from_one_to_the_threshold_are_hidden() {
        let shown: Vec<String> = [0, 1, 4, 5, 120].iter().map(|&n| FOUR.count(n)).collect();
        assert_eq!(shown, ["0", "[c]", "[c]", "5", "120"]);
    }

    #[test]
    fn a_small_count_cannot_be_recovered_by_subtraction() {
        // read = accepted + quarantined + duplicates: 3527 = 3525 + 2 + 0.
        let counts = [3527, 3525, 2, 0];
        let hidden = FOUR.protect(&counts, &[], &[(vec![1, 2, 3], 0)]);
        assert_eq!(hidden, [false, true, true, false]);
        // A rate revealing a small complement hides its numerator: 48 of 50.
        let hidden = FOUR.protect(&[48, 50], &[(0, 1)], &[]);
        assert_eq!(hidden, [true, false]);
    }

    #[test]
    fn rates_that_reveal_a_small_count_are_hidden() {
        assert_eq!(FOUR.percent(3, 50), "[c]", "small numerator");
        assert_eq!(FOUR.percent(0, 4), "[c]", "small denominator");
        assert_eq!(FOUR.percent(48, 50), "[c]", "complement of 2");
        assert_eq!(FOUR.percent(45, 50), "90.0");
        assert_eq!(FOUR.percent(0, 50), "0.0");
        assert_eq!(FOUR.percent(50, 50), "100.0");
        assert_eq!(FOUR.percent(0, 0), "");
    }
}
