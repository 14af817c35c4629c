//! The Fellegi-Sunter model: for each column and level, m (how often true
//! matches reach it) and u (how often two random records do), and the prior
//! (the chance that two random records in scope are the same entity). Written
//! as readable JSON and reusable with `--model`.

use serde::{Deserialize, Serialize};

use super::compare::{level_labels, level_of, Pattern, EXACT_LEVEL, MISSING_LEVEL};
use super::encode::Field;
use super::home::Together;
use super::moves;
use super::spec::Kind;

/// The model file's format version.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub format: u32,
    /// Probability that two random records in scope are the same entity.
    pub prior: f64,
    pub comparisons: Vec<ColumnModel>,
    /// u of exact agreement on combinations of the columns a household
    /// shares (`home.rs`): agreeing on several counts each only by what it
    /// adds to the others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub together: Vec<Together>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnModel {
    pub column: String,
    pub kind: Kind,
    pub term_frequency: bool,
    /// Levels from exact (first) to disagreement (last); missing values weigh nothing.
    pub levels: Vec<LevelModel>,
    /// How m was estimated (which rules trained it), for the reader.
    #[serde(default)]
    pub trained_by: Vec<String>,
    /// For a column of the home: m of each level among matches whose home
    /// already differed on an earlier column (`moves.rs`); empty
    /// when not measured.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub m_after_a_move: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelModel {
    pub label: String,
    pub m: f64,
    pub u: f64,
}

impl LevelModel {
    /// log2(m / u): the evidence this level gives for a match.
    pub fn weight(&self) -> f64 {
        (self.m / self.u).log2()
    }
}

impl ColumnModel {
    /// The starting model of a column: m leaning to agreement, u uniform (replaced by estimates).
    pub fn initial(field: &Field) -> ColumnModel {
        let labels = level_labels(field.kind);
        let others = (labels.len() - 1).max(1) as f64;
        let levels = labels
            .iter()
            .enumerate()
            .map(|(i, label)| LevelModel {
                label: label.to_string(),
                m: if i == 0 { 0.9 } else { 0.1 / others },
                u: 1.0 / labels.len() as f64,
            })
            .collect();
        ColumnModel {
            column: field.column.clone(),
            kind: field.kind,
            term_frequency: field.term_frequency,
            levels,
            trained_by: Vec::new(),
            m_after_a_move: Vec::new(),
        }
    }

    /// The weight of `level` (0 for a missing value).
    pub fn weight(&self, level: u8) -> f64 {
        if level == MISSING_LEVEL {
            0.0
        } else {
            self.levels[level as usize - 1].weight()
        }
    }

    /// The weight of an exact match on a value with this frequency: log2(m / frequency).
    pub fn exact_weight_for(&self, frequency: f64) -> f64 {
        (self.levels[0].m / frequency.max(1e-12)).log2()
    }
}

impl Model {
    /// log2 of the prior odds: the weight every pair starts from.
    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }

    /// The summed level weights of a pattern (no term-frequency adjustment).
    pub fn pattern_weight(&self, pattern: Pattern) -> f64 {
        let mut weights: Vec<f64> = self
            .comparisons
            .iter()
            .enumerate()
            .map(|(c, column)| column.weight(level_of(pattern, c)))
            .collect();
        self.count_home_jointly(pattern, &mut weights);
        self.count_a_move_once(pattern, &mut weights);
        weights.iter().sum()
    }

    /// Each column of the home after one that differs weighs by its
    /// m among matches who moved (`moves.rs`); an exact agreement keeps its
    /// u (and its value's frequency), with the m of a mover.
    fn count_a_move_once(&self, pattern: Pattern, weights: &mut [f64]) {
        let marked = moves::after_a_move(self.comparisons.iter().map(|c| c.kind), pattern);
        if marked == 0 {
            return;
        }
        for (c, column) in self.comparisons.iter().enumerate() {
            let level = level_of(pattern, c);
            if marked & (1 << c) == 0 || level == MISSING_LEVEL || column.m_after_a_move.is_empty() {
                continue;
            }
            let i = level as usize - 1;
            weights[c] = if level == EXACT_LEVEL {
                weights[c] + (column.m_after_a_move[i] / column.levels[i].m).log2()
            } else {
                (column.m_after_a_move[i] / column.levels[i].u).log2()
            };
        }
    }

    /// Each exact agreement on a column a household shares, after the first,
    /// counts by how often random pairs agreeing on the earlier ones agree on
    /// it too (so a household's surname, address and landline are not three
    /// independent signs of one person).
    fn count_home_jointly(&self, pattern: Pattern, weights: &mut [f64]) {
        if self.together.is_empty() {
            return;
        }
        let mut agreeing = (0..self.comparisons.len())
            .filter(|&c| self.comparisons[c].kind.shared_by_a_household() && level_of(pattern, c) == EXACT_LEVEL);
        let Some(first) = agreeing.next() else {
            return;
        };
        let mut mask = 1u16 << first;
        let mut u_so_far = self.comparisons[first].levels[0].u;
        for c in agreeing {
            mask |= 1 << c;
            let Some(joint) = self.together.iter().find(|t| t.mask == mask) else {
                return;
            };
            let given_the_others = (joint.u / u_so_far).min(1.0);
            weights[c] = (self.comparisons[c].levels[0].m / given_the_others).log2();
            u_so_far = joint.u;
        }
    }

    /// The weight each column contributes to the pair (`a`, `b`) with this pattern.
    pub fn contributions(&self, fields: &[Field], pattern: Pattern, a: usize, b: usize) -> Vec<f64> {
        let mut weights = self.column_weights(fields, pattern, a, b);
        self.count_home_jointly(pattern, &mut weights);
        self.count_a_move_once(pattern, &mut weights);
        weights
    }

    fn column_weights(&self, fields: &[Field], pattern: Pattern, a: usize, b: usize) -> Vec<f64> {
        self.comparisons
            .iter()
            .zip(fields)
            .enumerate()
            .map(|(c, (column, field))| {
                let level = level_of(pattern, c);
                if level == EXACT_LEVEL && column.term_frequency {
                    let value = field.values[a];
                    debug_assert_eq!(value, field.values[b]);
                    column.exact_weight_for(field.frequency(value))
                } else {
                    column.weight(level)
                }
            })
            .collect()
    }

    /// The match weight of a pair: prior plus every column's contribution.
    pub fn match_weight(&self, fields: &[Field], pattern: Pattern, a: usize, b: usize) -> f64 {
        self.prior_weight() + self.contributions(fields, pattern, a, b).iter().sum::<f64>()
    }

    /// Checks that a model read from a file describes these columns.
    pub fn fits(&self, fields: &[Field]) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!("model format {} (this vigil reads {FORMAT})", self.format));
        }
        let ours: Vec<(&str, Kind)> = fields.iter().map(|f| (f.column.as_str(), f.kind)).collect();
        let theirs: Vec<(&str, Kind)> = self.comparisons.iter().map(|c| (c.column.as_str(), c.kind)).collect();
        if ours != theirs {
            return Err(format!("the model compares {theirs:?}, the spec {ours:?}"));
        }
        for c in &self.comparisons {
            if !c.m_after_a_move.is_empty() && c.m_after_a_move.len() != c.levels.len() {
                return Err(format!(
                    "column {} has {} values in m_after_a_move, expected {} (one per level) or none",
                    c.column,
                    c.m_after_a_move.len(),
                    c.levels.len()
                ));
            }
            if c.levels.len() != level_labels(c.kind).len() {
                return Err(format!(
                    "column {} has {} levels, expected {}",
                    c.column,
                    c.levels.len(),
                    level_labels(c.kind).len()
                ));
            }
        }
        Ok(())
    }
}

/// Probability from a match weight (log2 odds).
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// Reads a model written by an earlier run and checks it fits these columns.
pub fn load(path: &std::path::Path, fields: &[Field]) -> Result<Model, super::LinkError> {
    let bad = |reason: String| super::LinkError::BadModel {
        path: path.to_path_buf(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let model: Model = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    model.fits(fields).map_err(bad)?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_file_whose_move_weights_do_not_fit_its_levels_is_refused() {
        let mut field = Field::exact_for_tests("address", vec![0, 1]);
        field.kind = Kind::Address;
        let fields = vec![field];
        let mut model = Model {
            format: FORMAT,
            prior: 0.01,
            comparisons: fields.iter().map(ColumnModel::initial).collect(),
            together: Vec::new(),
        };
        assert_eq!(model.fits(&fields), Ok(()));
        model.comparisons[0].m_after_a_move = vec![0.2; 5];
        assert_eq!(model.fits(&fields), Ok(()));
        model.comparisons[0].m_after_a_move = vec![1.0];
        let refused = model.fits(&fields).unwrap_err();
        assert!(refused.contains("m_after_a_move"), "{refused}");
    }
}
