//! Linkage quality against known entities: pairwise precision, recall and F1
//! over the pairs placed in one cluster (only pairs across inputs in link
//! mode), and B-cubed precision and recall per record.

use polars::prelude::PlHashMap as HashMap;

/// Pairwise and B-cubed figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quality {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub correct_pairs: u64,
}

impl Quality {
    /// `bcubed_precision=P bcubed_recall=R bcubed_f1=F`, four decimals.
    pub fn bcubed_line(&self) -> String {
        format!(
            "bcubed_precision={:.4} bcubed_recall={:.4} bcubed_f1={:.4}",
            self.bcubed_precision, self.bcubed_recall, self.bcubed_f1
        )
    }

    /// `precision=P recall=R f1=F`, four decimals: the last line of a scored run.
    pub fn pairwise_line(&self) -> String {
        format!(
            "precision={:.4} recall={:.4} f1={:.4}",
            self.precision, self.recall, self.f1
        )
    }
}

/// Scores `clusters` (a cluster number per record) against `truth` (an entity label per record).
pub fn evaluate(clusters: &[u32], truth: &[&str], input: &[u8], across_only: bool) -> Quality {
    let mut truth_ids: HashMap<&str, u32> = HashMap::default();
    let truth: Vec<u32> = truth
        .iter()
        .map(|t| {
            let next = truth_ids.len() as u32;
            *truth_ids.entry(t).or_insert(next)
        })
        .collect();
    let pairs = |groups: &HashMap<u64, [u64; 2]>| -> u64 {
        groups
            .values()
            .map(|&[a, b]| {
                if across_only {
                    a * b
                } else {
                    (a + b) * (a + b).saturating_sub(1) / 2
                }
            })
            .sum()
    };
    let mut by_cluster: HashMap<u64, [u64; 2]> = HashMap::default();
    let mut by_truth: HashMap<u64, [u64; 2]> = HashMap::default();
    let mut by_cell: HashMap<u64, [u64; 2]> = HashMap::default();
    for r in 0..clusters.len() {
        let side = input[r].min(1) as usize;
        by_cluster.entry(clusters[r] as u64).or_default()[side] += 1;
        by_truth.entry(truth[r] as u64).or_default()[side] += 1;
        by_cell
            .entry(((clusters[r] as u64) << 32) | truth[r] as u64)
            .or_default()[side] += 1;
    }
    let (predicted, actual, correct) = (pairs(&by_cluster), pairs(&by_truth), pairs(&by_cell));
    let precision = ratio(correct, predicted);
    let recall = ratio(correct, actual);
    let size = |map: &HashMap<u64, [u64; 2]>, key: u64| map[&key].iter().sum::<u64>() as f64;
    let (mut bp, mut br) = (0.0, 0.0);
    for r in 0..clusters.len() {
        let cell = size(&by_cell, ((clusters[r] as u64) << 32) | truth[r] as u64);
        bp += cell / size(&by_cluster, clusters[r] as u64);
        br += cell / size(&by_truth, truth[r] as u64);
    }
    let n = clusters.len().max(1) as f64;
    let (bcubed_precision, bcubed_recall) = (bp / n, br / n);
    Quality {
        precision,
        recall,
        f1: harmonic(precision, recall),
        bcubed_precision,
        bcubed_recall,
        bcubed_f1: harmonic(bcubed_precision, bcubed_recall),
        true_pairs: actual,
        predicted_pairs: predicted,
        correct_pairs: correct,
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_counted_example() {
        // Truth: {0,1,2} {3,4}. Clusters: {0,1} {2,3,4}.
        // Predicted pairs 1 + 3 = 4, true pairs 3 + 1 = 4, correct: (0,1) and (3,4) = 2.
        let q = evaluate(&[0, 0, 1, 1, 1], &["a", "a", "a", "b", "b"], &[0; 5], false);
        assert_eq!((q.predicted_pairs, q.true_pairs, q.correct_pairs), (4, 4, 2));
        assert!((q.precision - 0.5).abs() < 1e-12 && (q.recall - 0.5).abs() < 1e-12);
        // B-cubed precision: records 0,1: 2/2; 2: 1/3; 3,4: 2/3 → (1+1+1/3+2/3+2/3)/5.
        assert!((q.bcubed_precision - (11.0 / 3.0) / 5.0).abs() < 1e-12);
        // B-cubed recall: 0,1: 2/3; 2: 1/3; 3,4: 2/2 → (2/3+2/3+1/3+1+1)/5.
        assert!((q.bcubed_recall - (11.0 / 3.0) / 5.0).abs() < 1e-12);
    }

    #[test]
    fn link_mode_counts_only_pairs_across_inputs() {
        // Records 0,1 in input 0 and 2 in input 1, all one entity, all one cluster:
        // pairs across: (0,2), (1,2).
        let q = evaluate(&[7, 7, 7], &["x", "x", "x"], &[0, 0, 1], true);
        assert_eq!((q.predicted_pairs, q.true_pairs, q.correct_pairs), (2, 2, 2));
    }
}
