//! Scoring: every candidate pair's match weight under the model, keeping the
//! pairs at or above the threshold as links.

use rayon::prelude::*;

use super::apart::KeptApart;
use super::blocking::Candidates;
use super::cluster::Edge;
use super::compare::Pattern;
use super::encode::Field;
use super::model::{probability, Model};

/// A pair at or above the threshold.
#[derive(Debug, Clone, Copy)]
pub struct ScoredLink {
    pub a: u32,
    pub b: u32,
    pub pattern: Pattern,
    pub weight: f64,
}

impl ScoredLink {
    pub fn probability(&self) -> f64 {
        probability(self.weight)
    }
}

/// The match weight (log2 odds) of a probability.
pub fn weight_of(probability: f64) -> f64 {
    (probability / (1.0 - probability)).log2()
}

/// Every candidate's match weight, in candidate order.
pub fn weights(model: &Model, fields: &[Field], candidates: &Candidates) -> Vec<f64> {
    (0..candidates.len())
        .into_par_iter()
        .map(|i| {
            let (a, b) = (candidates.left[i] as usize, candidates.right[i] as usize);
            model.match_weight(fields, candidates.patterns[i], a, b)
        })
        .collect()
}

/// The candidates at or above `threshold`, in record order, and how many
/// such pairs were between records kept apart (and so are not links).
pub fn links(
    candidates: &Candidates,
    weights: &[f64],
    threshold: f64,
    apart: Option<&KeptApart>,
) -> (Vec<ScoredLink>, u64) {
    let cut = weight_of(threshold);
    let allowed = |i: usize| apart.is_none_or(|a| a.allows(candidates.left[i], candidates.right[i]));
    let above: Vec<usize> = (0..candidates.len()).filter(|&i| weights[i] >= cut).collect();
    let mut links: Vec<ScoredLink> = above
        .iter()
        .copied()
        .filter(|&i| allowed(i))
        .map(|i| ScoredLink {
            a: candidates.left[i],
            b: candidates.right[i],
            pattern: candidates.patterns[i],
            weight: weights[i],
        })
        .collect();
    let held_apart = (above.len() - links.len()) as u64;
    links.par_sort_unstable_by_key(|l| (l.a, l.b));
    (links, held_apart)
}

/// Every candidate pair with its weight, for clustering.
pub fn edges(candidates: &Candidates, weights: &[f64]) -> Vec<Edge> {
    (0..candidates.len())
        .map(|i| Edge {
            a: candidates.left[i],
            b: candidates.right[i],
            weight: weights[i] as f32,
        })
        .collect()
}
