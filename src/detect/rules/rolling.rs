//! Rolling-window runs: the stretches of a time-ordered list at which a
//! count over the trailing window (incidents, distinct victims) meets a
//! threshold, merged while consecutive entries keep meeting it.

use crate::detect::model::context::Context;
use crate::detect::model::flag::{Flag, Rule, Severity};
use crate::detect::model::subjects::Subject;

/// One run, as positions in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// The first entry counted by the first entry that met the threshold.
    pub first: usize,
    /// The first entry at which the threshold was met: when the pattern became visible.
    pub met: usize,
    /// The last entry that met it.
    pub last: usize,
}

/// Runs over `times` (ascending); `count(first, last)` counts the entries
/// `first..=last`, all inside one window (an entry exactly `window` before
/// another is outside it).
pub fn threshold_runs(times: &[i64], threshold: usize, window: i64, count: impl Fn(usize, usize) -> usize) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut first = 0;
    for last in 0..times.len() {
        while times[last] - times[first] >= window {
            first += 1;
        }
        if count(first, last) < threshold {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.last + 1 == last => run.last = last,
            _ => runs.push(Run { first, met: last, last }),
        }
    }
    runs
}

/// The flag of one run over a subject's `incidents` (the list the run's
/// positions are into): the run's incidents as evidence, dated by the
/// incident at which the threshold was met.
pub fn run_flag(
    context: &Context,
    (rule, severity): (Rule, Severity),
    subject: &Subject,
    incidents: &[u32],
    run: Run,
    sentence: String,
) -> Flag {
    let evidence = incidents[run.first..=run.last].to_vec();
    let met = context.times[incidents[run.met] as usize];
    context.completed_flag(rule, severity, subject.reference.clone(), evidence, sentence, met)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(runs: Vec<Run>) -> Vec<(usize, usize, usize)> {
        runs.into_iter().map(|r| (r.first, r.met, r.last)).collect()
    }

    #[test]
    fn rolling_counts_merge_into_runs_and_respect_the_window_edge() {
        let count = |first: usize, last: usize| last - first + 1;
        // 3 within 10: met at the third; the 4th (at 30) counts only itself.
        assert_eq!(spans(threshold_runs(&[0, 4, 9, 30], 3, 10, count)), vec![(0, 2, 2)]);
        // Exactly one window apart is outside it.
        assert_eq!(spans(threshold_runs(&[0, 5, 10], 3, 10, count)), vec![]);
        assert_eq!(spans(threshold_runs(&[0, 5, 9, 12, 13], 3, 10, count)), vec![(0, 2, 4)]);
    }
}
