//! `effects.csv`: the pilot's effect on each proportion, estimated against
//! the comparison forces (difference-in-differences, each pilot force split
//! at its own start, with randomisation inference: `randomisation.rs`), for
//! the pilot forces together and for each on its own. Needs at least one
//! comparison force; a row is suppressed where a pilot force in it has from
//! 1 to the threshold cases on a side of its start.

use chrono::NaiveDate;

use super::super::measures::{Measure, MEASURES};
use super::super::pack::Pack;
use super::super::suppress::SUPPRESSED;
use super::super::ReportError;
use super::groups::Group;
use super::randomisation::{Design, Inference, Split};
use super::{write_table, Evaluation};

const HEADER: [&str; 10] = [
    "scope",
    "measure",
    "label",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "assignments",
    "unit",
    "method",
];

impl Evaluation<'_> {
    /// Writes `effects.csv`; how many rows it holds.
    pub fn write_effects(&self, pack: &Pack) -> Result<usize, ReportError> {
        let pilots: Vec<u16> = self.groups.members(Group::Pilot).collect();
        let has_comparison = self.groups.members(Group::Comparison).next().is_some();
        let mut rows = Vec::new();
        if has_comparison && !pilots.is_empty() {
            for measure in MEASURES {
                let (splits, starts) = self.splits(measure);
                let at = |force: u16| -> (usize, usize) {
                    let start = self
                        .groups
                        .start(force)
                        .and_then(|s| starts.iter().position(|&d| d == s));
                    (usize::from(force), start.unwrap_or(0))
                };
                let scopes = std::iter::once((Group::Pilot.pooled_name().to_string(), pilots.clone())).chain(
                    pilots
                        .iter()
                        .map(|&f| (self.data.detected.records.force_id(f).to_string(), vec![f])),
                );
                for (scope, forces) in scopes {
                    // The pilot and the comparison forces; another pilot force is no comparison.
                    let pool = (0..self.data.detected.records.forces.len() as u16)
                        .filter(|&f| forces.contains(&f) || self.groups.group(f) == Group::Comparison)
                        .map(usize::from)
                        .collect();
                    let design = Design {
                        splits: splits.clone(),
                        pilot: forces.iter().map(|&f| at(f)).collect(),
                        pool,
                    };
                    let small = design.pilot.iter().any(|&(f, s)| self.too_small(&splits[f][s]));
                    rows.push(self.effect_row(&scope, measure, &design, small));
                }
            }
        }
        let header = HEADER.map(String::from);
        write_table(pack, "effects.csv", &header, &rows)?;
        Ok(rows.len())
    }

    /// Every force's counts of `measure` split at every pilot start, and the starts.
    fn splits(&self, measure: &Measure) -> (Vec<Vec<Split>>, Vec<NaiveDate>) {
        let mut starts: Vec<NaiveDate> = self
            .groups
            .members(Group::Pilot)
            .filter_map(|f| self.groups.start(f))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let forces = self.data.detected.records.forces.len();
        let mut splits = vec![vec![Split::default(); starts.len()]; forces];
        let recording: Vec<bool> = (0..forces as u16).map(|n| self.records(n, measure)).collect();
        for fact in self
            .data
            .facts
            .iter()
            .filter(|f| f.domestic && recording[usize::from(f.force)])
        {
            let (hit, counted) = (measure.counts)(fact);
            if !counted {
                continue;
            }
            let piloted = self.groups.start(fact.force).is_some_and(|s| fact.date >= s);
            for (split, &start) in splits[usize::from(fact.force)].iter_mut().zip(&starts) {
                let hit = u64::from(hit);
                if fact.date >= start {
                    (split.hits_after, split.cases_after) = (split.hits_after + hit, split.cases_after + 1);
                    split.piloted_after += u64::from(piloted);
                } else {
                    (split.hits_before, split.cases_before) = (split.hits_before + hit, split.cases_before + 1);
                    split.piloted_before += u64::from(piloted);
                }
            }
        }
        (splits, starts)
    }

    fn too_small(&self, split: &Split) -> bool {
        self.suppression.hides(split.cases_before) || self.suppression.hides(split.cases_after)
    }

    fn effect_row(&self, scope: &str, measure: &Measure, design: &Design, small: bool) -> Vec<String> {
        let mut row = vec![scope.to_string(), measure.name.to_string(), measure.label.to_string()];
        let seed = self.data.config.spec.report.bootstrap_seed;
        let inference = (!small).then(|| design.infer(seed)).flatten();
        let points = |v: f64| format!("{:.1}", 100.0 * v);
        // An end the test cannot bound (too few forces) is left blank.
        let end = |v: Option<f64>| v.map_or(String::new(), points);
        match (&inference, small) {
            (Some(i), _) => row.extend([
                points(i.estimate),
                end(i.low),
                end(i.high),
                format!("{:.3}", i.p_value),
                i.assignments.to_string(),
            ]),
            (None, true) => row.extend([(); 5].map(|_| SUPPRESSED.to_string())),
            (None, false) => row.extend([(); 5].map(|_| String::new())),
        }
        row.push("percentage points".into());
        row.push(method(inference.as_ref(), seed));
        row
    }
}

fn method(inference: Option<&Inference>, seed: u64) -> String {
    let draws = match inference {
        Some(i) if i.exhaustive => "every assignment of the pilot to as many forces".to_string(),
        Some(i) => format!(
            "{} assignments of the pilot to as many forces, drawn with seed {seed}",
            i.assignments
        ),
        None => "not estimable: no cases on a side of a start, or no comparison force".to_string(),
    };
    format!(
        "difference-in-differences against the comparison forces, each pilot force split at its own start; \
         randomisation inference over {draws}; 95 % interval by inverting the test \
         (an end left blank: too few forces to bound it)"
    )
}
