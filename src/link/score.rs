//! Scoring: every candidate pair's match weight under the model, keeping the
//! pairs at or above the threshold as links.

use rayon::prelude::*;

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

/// The candidates at or above `threshold`, in record order.
pub fn links(model: &Model, fields: &[Field], candidates: &Candidates, threshold: f64) -> Vec<ScoredLink> {
    let cut = weight_of(threshold);
    let mut links: Vec<ScoredLink> = (0..candidates.len())
        .into_par_iter()
        .filter_map(|i| {
            let (a, b, pattern) = (candidates.left[i], candidates.right[i], candidates.patterns[i]);
            let weight = model.match_weight(fields, pattern, a as usize, b as usize);
            (weight >= cut).then_some(ScoredLink { a, b, pattern, weight })
        })
        .collect();
    links.par_sort_unstable_by_key(|l| (l.a, l.b));
    links
}

/// Every candidate pair with its weight, for clustering.
pub fn edges(model: &Model, fields: &[Field], candidates: &Candidates) -> Vec<Edge> {
    (0..candidates.len())
        .into_par_iter()
        .map(|i| {
            let (a, b) = (candidates.left[i], candidates.right[i]);
            let weight = model.match_weight(fields, candidates.patterns[i], a as usize, b as usize) as f32;
            Edge { a, b, weight }
        })
        .collect()
}
