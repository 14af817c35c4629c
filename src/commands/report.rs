//! `vigil weekly`, `vigil evaluate`, `vigil case`, `vigil query` and
//! `vigil keygen`: the packs and tables the users open, made from the output
//! folder of an earlier `vigil run` (detection is re-run in memory; it is
//! deterministic, so its flag ids match `detect/flags.csv`).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::detect::{self, Detected};
use crate::error::VigilError;
use crate::report::decisions::Decisions;
use crate::report::{
    self, pseudonym, sql, KeySources, Periods, PseudonymKey, ReportData, ReportError, Week, EVALUATION, WEEKLY,
};

/// Options of `vigil weekly`.
#[derive(Debug, Clone)]
pub struct WeeklyOptions {
    pub out_dir: PathBuf,
    /// One force, or every force of the data.
    pub force: Option<String>,
    pub week: Option<Week>,
    /// The reviewers' decisions file (`--decisions`), else `[review] decisions`.
    pub decisions: Option<PathBuf>,
}

/// Options of `vigil evaluate`.
#[derive(Debug, Clone, Default)]
pub struct EvaluateOptions {
    pub out_dir: PathBuf,
    pub baseline: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub pilot: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub key_file: Option<PathBuf>,
    /// Also write the row-level flags, pseudonymised, into `evaluation_microdata/`.
    pub microdata: bool,
}

pub fn weekly(config: &Config, options: &WeeklyOptions) -> Result<String, VigilError> {
    let detected = detect::detect(config, &options.out_dir).map_err(ReportError::from)?;
    let data = ReportData::build(config, &options.out_dir, &detected)?;
    let decisions = load_decisions(config, options.decisions.as_deref())?;
    weekly_packs(&data, options.force.as_deref(), options.week, (&decisions, None))
}

/// The reviewers' decisions: the file given, else `[review] decisions`
/// (relative to the configuration), else none.
pub fn load_decisions(config: &Config, given: Option<&Path>) -> Result<Decisions, VigilError> {
    let configured = config.spec.review.decisions.as_deref().map(|file| {
        let dir = config.path.parent().unwrap_or(Path::new("."));
        dir.join(file)
    });
    match given.map(Path::to_path_buf).or(configured) {
        Some(path) => Ok(Decisions::read(&path)?),
        None => Ok(Decisions::default()),
    }
}

/// Writes the weekly packs (one force or all) and says where they are.
pub fn weekly_packs(
    data: &ReportData,
    force: Option<&str>,
    week: Option<Week>,
    memory: (&Decisions, Option<&Path>),
) -> Result<String, VigilError> {
    let forces: Vec<String> = match force {
        Some(force) => vec![force.to_string()],
        None => data.detected.records.forces.clone(),
    };
    let packs: Vec<_> = forces
        .par_iter()
        .map(|force| report::write_weekly(data, force, week, memory))
        .collect::<Result<_, _>>()?;
    let mut summary = String::new();
    for (force, written) in forces.iter().zip(packs) {
        let _ = writeln!(
            summary,
            "weekly pack {force} {}: {} missed opportunit{} and {} other flag{} detected that week; {}",
            written.week,
            written.missed,
            if written.missed == 1 { "y" } else { "ies" },
            written.flags,
            if written.flags == 1 { "" } else { "s" },
            written.path.join("index.html").display()
        );
    }
    Ok(summary)
}

pub fn evaluate(config: &Config, options: &EvaluateOptions) -> Result<String, VigilError> {
    let key = load_key(config, options.key_file.clone())?;
    let detected = detect::detect(config, &options.out_dir).map_err(ReportError::from)?;
    let data = ReportData::build(config, &options.out_dir, &detected)?;
    evaluation_pack(&data, options, &key)
}

/// Writes the evaluation pack and says where it is.
pub fn evaluation_pack(data: &ReportData, options: &EvaluateOptions, key: &PseudonymKey) -> Result<String, VigilError> {
    let defaults = Periods::defaults(data)?;
    let periods = Periods {
        baseline: options.baseline.unwrap_or(defaults.baseline),
        pilot: options.pilot.unwrap_or(defaults.pilot),
    };
    let written = report::write_evaluation(data, periods, (key, options.microdata))?;
    let mut summary = format!(
        "evaluation pack: baseline {} to {}, pilot {} to {}, {} comparisons (person ids pseudonymised with the key from {}); {}\n",
        periods.baseline.0,
        periods.baseline.1,
        periods.pilot.0,
        periods.pilot.1,
        written.comparisons,
        key.origin,
        written.path.join("index.html").display()
    );
    if let Some(folder) = written.microdata {
        let _ = writeln!(
            summary,
            "evaluation microdata (personal data, for sharing only under a data-sharing agreement): {}",
            folder.display()
        );
    }
    Ok(summary)
}

/// The pseudonymisation key: `--key-file`, `VIGIL_PSEUDONYM_KEY`, `[report] key_file`, or the user's key file.
pub fn load_key(config: &Config, key_file: Option<PathBuf>) -> Result<PseudonymKey, ReportError> {
    let config_dir = config.path.parent().unwrap_or(Path::new("."));
    let configured = config.spec.report.key_file.as_ref().map(|f| config_dir.join(f));
    KeySources::from_environment(key_file, configured)
        .load()
        .map_err(ReportError::Key)
}

/// `vigil case PERSON_ID`.
pub fn case(config: &Config, out_dir: &Path, person: &str) -> Result<String, VigilError> {
    let detected = detect::detect(config, out_dir).map_err(ReportError::from)?;
    let data = ReportData::build(config, out_dir, &detected)?;
    let written = report::write_case(&data, person)?;
    Ok(format!(
        "case {person}: {} incidents, {} flags; {} and {}\n",
        written.incidents,
        written.flags,
        written.path.join("history.csv").display(),
        written.path.join("timeline.svg").display()
    ))
}

/// `vigil query FILE.sql`: the result as CSV, to `out` or returned for stdout.
pub fn query(out_dir: &Path, file: &Path, out: Option<&Path>) -> Result<String, VigilError> {
    let text = sql::read_query(file)?;
    if sql::tables_in(out_dir).is_empty() {
        return Err(ReportError::Usage(format!(
            "{} holds none of vigil's tables; give the output folder of `vigil run` with --dir",
            out_dir.display()
        ))
        .into());
    }
    let mut context = sql::context_for(out_dir, &text)?;
    let frame = sql::run(&mut context, &file.display().to_string(), &text)?;
    let mut bytes = Vec::new();
    sql::write_csv(&frame, &mut bytes).map_err(|e| ReportError::write(out.unwrap_or(file), e))?;
    match out {
        Some(path) => {
            std::fs::write(path, &bytes).map_err(|e| ReportError::write(path, e))?;
            Ok(format!("{} rows -> {}\n", frame.height(), path.display()))
        }
        None => Ok(String::from_utf8_lossy(&bytes).into_owned()),
    }
}

/// `vigil keygen`: a new key in the user's key file (or `path`), unless one is there.
pub fn keygen(path: Option<PathBuf>) -> Result<String, VigilError> {
    let path = path
        .or_else(pseudonym::user_key_file)
        .ok_or_else(|| VigilError::Usage("no home folder to keep the key in; give --out FILE".into()))?;
    if path.is_file() {
        return Ok(format!(
            "pseudonymisation key kept: {} already exists\n",
            path.display()
        ));
    }
    let write = || -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, pseudonym::new_key_hex()? + "\n")?;
        restrict(&path)
    };
    write().map_err(|e| ReportError::write(&path, e))?;
    Ok(format!(
        "pseudonymisation key written to {} (keep it out of any repository; the same key gives the same pseudonyms)\n",
        path.display()
    ))
}

#[cfg(unix)]
fn restrict(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// The packs of `vigil run`: every force's weekly pack, then the evaluation pack (which needs the key).
pub fn packs(
    config: &Config,
    options: &EvaluateOptions,
    detected: &Detected,
    memory: (&Decisions, Option<&Path>),
    progress: &super::progress::Progress,
) -> Result<String, VigilError> {
    let key = load_key(config, options.key_file.clone());
    progress.stage("report: incident facts and weekly KPIs");
    let started = std::time::Instant::now();
    let data = ReportData::build(config, &options.out_dir, detected)?;
    let built = started.elapsed().as_secs_f64();
    progress.stage("weekly packs and the evaluation pack");
    // Independent packs, each parallel inside; together they fill both cores.
    let (weekly, evaluation) = rayon::join(
        || weekly_packs(&data, None, None, memory),
        || key.as_ref().ok().map(|key| evaluation_pack(&data, options, key)),
    );
    let mut summary = weekly?;
    let packs = started.elapsed().as_secs_f64() - built;
    match (evaluation, key) {
        (Some(written), _) => {
            summary.push_str(&written?);
            let _ = writeln!(
                summary,
                "report: facts and KPIs in {built:.1} s, the weekly and evaluation packs in {packs:.1} s"
            );
            Ok(summary)
        }
        (None, Err(reason)) => Err(VigilError::Incomplete {
            done: summary,
            reason: Box::new(reason.into()),
        }),
        (None, Ok(_)) => Ok(summary),
    }
}

/// Where the packs of a run are.
pub fn pack_folders(out_dir: &Path) -> String {
    format!(
        "packs: {} (one folder per force and week) and {}\n",
        out_dir.join(WEEKLY).display(),
        out_dir.join(EVALUATION).display()
    )
}
