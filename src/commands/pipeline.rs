//! `vigil run`: the whole pipeline, ingest, link, detect, then the weekly
//! packs of every force and the evaluation pack, with a summary of each
//! stage; with `--truth`, the linkage and detection scored against a
//! simulated world's truth.

use std::fmt::Write;
use std::path::PathBuf;
use std::time::Instant;

use super::detect::DetectOptions;
use super::ingest::{read_checked, write, IngestOptions};
use super::progress::Progress;
use crate::config::Config;
use crate::error::VigilError;
use crate::generation::Generation;
use crate::ingest::{run_generation, Canonical, WriteOptions};
use crate::persons::{self, OrganisationWords, PersonOptions, LINKED};
use crate::truth::{self, TruthDir};

/// Options of `vigil run`.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub out_dir: PathBuf,
    /// An earlier run's output folder: persons seen before keep their ids.
    pub previous: Option<PathBuf>,
    /// A simulated world's truth to score the linkage and the flags against.
    pub truth: Option<TruthDir>,
    /// A spinner on stderr naming the stage (on a terminal only).
    pub progress: bool,
    /// The reviewers' decisions file (`--decisions`), else `[review] decisions`.
    pub decisions: Option<PathBuf>,
    /// Also write the evaluation's row-level flags (`--microdata`).
    pub microdata: bool,
}

pub fn run(config: &Config, options: &RunOptions) -> Result<String, VigilError> {
    // Read first, so a malformed decisions file stops the run before any work.
    let decisions = super::report::load_decisions(config, options.decisions.as_deref())?;
    if let Some(dir) = &options.previous {
        let file = persons::previous_file(dir);
        if !file.is_file() {
            return Err(VigilError::Usage(format!(
                "--previous {}: no {} there; give the output folder of an earlier run",
                dir.display(),
                file.display()
            )));
        }
    }
    let ingest = IngestOptions {
        out_dir: options.out_dir.clone(),
        write: WriteOptions::default(),
        quarantine_limit: None,
    };
    let progress = Progress::new(options.progress);
    let mut clock = StageClock::start();
    progress.stage("ingest: reading the exports");
    let ingested = read_checked(config, &ingest)?;
    clock.lap("ingest (read)");
    progress.stage("ingest: writing the canonical tables, and link: joining mentions into persons");
    // The canonical tables are written while the mentions are linked from
    // memory: the two share nothing but what was read, and overlapping
    // them keeps both cores busy through each one's sequential stretches.
    let (written, linked) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| write(config, &ingest, &ingested));
        let generation = run_generation(config, &ingested.files);
        let linked = link_stage(config, &ingested.canonical, &generation, options);
        let written = writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (written, linked)
    });
    let (_, mut summary) = written?;
    summary.push('\n');
    summary.push_str(&linked?);
    // Freeing millions of small allocations takes a second; let it happen beside detection.
    std::thread::spawn(move || drop(ingested));
    clock.lap("ingest (write) and link");
    summary.push('\n');
    let detect = DetectOptions {
        out_dir: options.out_dir.clone(),
        truth: options.truth.clone(),
    };
    progress.stage("detect: flags and priority lists");
    let (detected, detect_summary) = super::detect::stage(config, &detect)?;
    summary.push_str(&detect_summary);
    summary.push('\n');
    clock.lap("detect");
    let memory = (&decisions, options.previous.as_deref());
    let evaluate = super::report::EvaluateOptions {
        out_dir: options.out_dir.clone(),
        microdata: options.microdata,
        ..Default::default()
    };
    let packs = super::report::packs(config, &evaluate, &detected, memory, &progress);
    clock.lap("reports");
    progress.finish();
    std::thread::spawn(move || drop(detected));
    match packs {
        Ok(text) => Ok(summary + &text + &super::report::pack_folders(&options.out_dir) + &clock.line()),
        Err(VigilError::Incomplete { done, reason }) => Err(VigilError::Incomplete {
            done: summary + &done,
            reason,
        }),
        Err(other) => Err(other),
    }
}

/// `vigil link` with the configuration: read the exports and link their mentions (nothing else written).
pub fn link(config: &Config, options: &RunOptions) -> Result<String, VigilError> {
    let ingested = crate::ingest::read_all(config)?;
    link_stage(
        config,
        &ingested.canonical,
        &run_generation(config, &ingested.files),
        options,
    )
}

/// Links the mentions and writes the persons, marked as of `generation`.
fn link_stage(
    config: &Config,
    canonical: &Canonical,
    generation: &Generation,
    options: &RunOptions,
) -> Result<String, VigilError> {
    let mut summary = String::new();
    let started = Instant::now();
    let organisation_words = match &config.spec.link.organisation_words {
        Some(words) => OrganisationWords::new(words.iter().map(String::as_str)),
        None => OrganisationWords::default(),
    };
    let person_options = PersonOptions {
        previous: options.previous.clone(),
        organisation_words,
    };
    let resolved = persons::resolve(canonical, &person_options)?;
    let zone_of = |force: &str| config.time_zone(force);
    // The tables are written while the persons are scored against the truth, if asked.
    let (written, scores) = rayon::join(
        || persons::write(&resolved, &options.out_dir, generation, &zone_of),
        || {
            let truth = options.truth.as_ref();
            truth
                .map(|t| truth::score_persons(&resolved, &t.mentions()))
                .transpose()
        },
    );
    written?;
    let scores = scores?;
    let victims = resolved.persons.iter().filter(|p| p.victim_mentions > 0).count();
    let perpetrators = resolved.persons.iter().filter(|p| p.suspect_mentions > 0).count();
    let _ = writeln!(
        summary,
        "link: {} mentions -> {} persons ({victims} victims, {perpetrators} perpetrators) and {} organisations, {} dyads, in {:.1} s; wrote {}",
        resolved.mentions.len(),
        resolved.persons.len(),
        resolved.organisations.len(),
        resolved.dyads.len(),
        started.elapsed().as_secs_f64(),
        options.out_dir.join(LINKED).display()
    );
    let _ = writeln!(
        summary,
        "  people named in one incident kept apart: {} pairs at or above the threshold not linked, {} merges refused",
        resolved.linked.held_apart, resolved.linked.refused_merges
    );
    if let Some(d) = scores.as_ref().and_then(|s| s.dyads) {
        let _ = writeln!(
            summary,
            "dyads against the simulator's truth: {} found of the {} true dyads named together in an incident ({} in all); {} of {} found dyads are true ({} repeat a true dyad, one of whose persons was split)",
            d.recovered,
            d.named_together,
            d.true_dyads,
            d.correct,
            d.found,
            d.correct - d.recovered
        );
    }
    if let Some(q) = scores.map(|s| s.quality) {
        let _ = writeln!(
            summary,
            "linkage against the simulator's truth (mentions as persons): {}\n{}",
            q.bcubed_line(),
            q.pairwise_line()
        );
    }
    Ok(summary)
}

/// Wall-clock time of each stage of a run.
struct StageClock {
    started: Instant,
    last: Instant,
    laps: Vec<(&'static str, f64)>,
}

impl StageClock {
    fn start() -> StageClock {
        let now = Instant::now();
        StageClock {
            started: now,
            last: now,
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, (now - self.last).as_secs_f64()));
        self.last = now;
    }

    /// `run: ingest 1.0 s, link 0.4 s, ...; 2.1 s in all`.
    fn line(&self) -> String {
        let laps: Vec<String> = self.laps.iter().map(|(stage, s)| format!("{stage} {s:.1} s")).collect();
        format!(
            "run: {}; {:.1} s in all\n",
            laps.join(", "),
            self.started.elapsed().as_secs_f64()
        )
    }
}
