//! `vigil detect`: flags, missed opportunities and priority lists from the
//! canonical and linked tables of an output folder; with `--truth`, the
//! run scored against a simulated world's planted scenarios.

use std::fmt::Write;
use std::path::PathBuf;
use std::time::Instant;

use crate::config::Config;
use crate::detect::{self, Family};
use crate::error::VigilError;
use crate::truth::{self, TruthDir};

/// Options of `vigil detect`.
#[derive(Debug, Clone)]
pub struct DetectOptions {
    /// The output folder of an earlier ingest and link; the tables go to its `detect/`.
    pub out_dir: PathBuf,
    /// A simulated world's truth to score the flags against.
    pub truth: Option<TruthDir>,
}

pub fn run(config: &Config, options: &DetectOptions) -> Result<String, VigilError> {
    let (detected, summary) = stage(config, options)?;
    // Freeing a national run's millions of small allocations takes most of a
    // second; let it happen beside whatever the caller does next (or exit).
    std::thread::spawn(move || drop(detected));
    Ok(summary)
}

/// Detects, writes the tables and summarises, handing back what was found.
pub fn stage(config: &Config, options: &DetectOptions) -> Result<(detect::Detected, String), VigilError> {
    let started = Instant::now();
    let detected = detect::detect(config, &options.out_dir)?;
    detect::write(&detected, &options.out_dir)?;
    let mut summary = String::new();
    let missed = detected
        .flags
        .iter()
        .filter(|f| f.rule.family() == Family::Missed)
        .count();
    let _ = writeln!(
        summary,
        "detect: {} incidents, {} calls, {} timelines -> {} flags ({} missed opportunities), {} victims and {} perpetrators ranked, in {:.1} s; wrote {}",
        detected.records.incidents.len(),
        detected.records.calls.len(),
        detected.subjects.list.len(),
        detected.flags.len() - missed,
        missed,
        distinct(detected.victims.iter().map(|r| r.priority.subject.id.as_str())),
        distinct(detected.perpetrators.iter().map(|r| r.priority.subject.id.as_str())),
        started.elapsed().as_secs_f64(),
        detect::detected_dir(&options.out_dir).display()
    );
    let counts: Vec<String> = detected
        .flags_per_rule()
        .into_iter()
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect();
    let _ = writeln!(summary, "flags per rule: {}", counts.join(", "));
    for warning in detect::coverage_warnings(config, &detected.records, &detected.people) {
        let _ = writeln!(summary, "{warning}");
    }
    if let Some(truth) = &options.truth {
        let evaluation = truth::evaluate(&truth.scenarios(), &detected.records, &detected.flags)?;
        summary.push_str(&evaluation.report());
    }
    Ok((detected, summary))
}

fn distinct<'a>(ids: impl Iterator<Item = &'a str>) -> usize {
    ids.collect::<polars::prelude::PlHashSet<_>>().len()
}
