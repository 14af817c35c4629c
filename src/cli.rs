//! The command line (clap derive): flags only, no work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "vigil",
    version,
    about = "Joins up police domestic-abuse contacts: ingest, link, detect, report"
)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole pipeline (ingest, link, detect, weekly and evaluation packs); with no arguments, on sample_data/.
    Run(RunArgs),
    /// Read every force's exports into the canonical tables.
    Ingest(IngestArgs),
    /// Print the effective configuration.
    Config(ConfigArgs),
    /// Link the records of one file (dedupe) or two (link) probabilistically; with no --input, the configured exports' mentions into persons.
    Link(LinkArgs),
    /// Flag escalation, response gaps and missed opportunities; rank victims and perpetrators.
    Detect(DetectArgs),
    /// Draft a force's dialect (a commented [[force]] block) from its export files.
    DraftDialect(DraftDialectArgs),
    /// Write realistic synthetic exports, in the forces' dialects, with ground truth.
    Simulate(SimulateArgs),
    /// Write a force's weekly review pack (all forces without --force).
    Weekly(WeeklyArgs),
    /// Write the pseudonymised evaluation pack: the forces before and after the pilot.
    Evaluate(EvaluateArgs),
    /// Write one person's history: a CSV and a timeline chart.
    Case(CaseArgs),
    /// Run a SQL file over the run's tables; CSV to stdout or --out.
    Query(QueryArgs),
    /// Make a pseudonymisation key (kept if one exists).
    Keygen(KeygenArgs),
}

#[derive(Debug, Args)]
pub struct WeeklyArgs {
    #[command(flatten)]
    pub stage: StageArgs,
    /// The force (its id in the configuration); every force without it.
    #[arg(long)]
    pub force: Option<String>,
    /// ISO week, like 2026-W47 (default: the latest complete week of the data).
    #[arg(long, value_parser = week)]
    pub week: Option<vigil::report::Week>,
    /// The reviewers' decisions (CSV: id,status,reason,owner,note,decided_on), as the last pack's decisions_template.csv filled in.
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    #[command(flatten)]
    pub stage: StageArgs,
    /// The baseline period, FROM..TO (dates, both included; default: the data's start to the day before the pilot).
    #[arg(long, value_name = "FROM..TO", value_parser = period)]
    pub baseline: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// The pilot period, FROM..TO (default: the pilot start to the data's end).
    #[arg(long, value_name = "FROM..TO", value_parser = period)]
    pub pilot: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// A file holding the pseudonymisation key (hex); see `vigil keygen`.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Also write every flag, its subject pseudonymised, into
    /// `evaluation_microdata/`: row-level personal data, for sharing only
    /// under a data-sharing agreement (the pack itself holds aggregates).
    #[arg(long)]
    pub microdata: bool,
}

#[derive(Debug, Args)]
pub struct CaseArgs {
    /// A person id (as in linked/persons.csv and the priority lists).
    pub person_id: String,
    #[command(flatten)]
    pub stage: StageArgs,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The SQL file (one SELECT; the tables are listed in the README).
    pub file: PathBuf,
    /// The output folder of `vigil run` whose tables are queried.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub dir: PathBuf,
    /// Write the CSV here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DraftDialectArgs {
    /// The force's export files (several files sharing a header are one export).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The force's id in the configuration.
    #[arg(long)]
    pub force: Option<String>,
    /// A new file to write the block to (default: print it); its paths are relative to this file's folder.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write the key (default: ~/.config/vigil/pseudonym.key).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn week(text: &str) -> Result<vigil::report::Week, String> {
    text.parse()
}

fn period(text: &str) -> Result<(chrono::NaiveDate, chrono::NaiveDate), String> {
    vigil::report::Periods::parse_range(text)
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Random seed: the same seed and arguments give the same bytes.
    #[arg(long, default_value_t = 20250221)]
    pub seed: u64,
    /// People in domestic-abuse relationships, across all simulated forces.
    #[arg(long, default_value_t = 5000)]
    pub people: u64,
    /// First day simulated (local date).
    #[arg(long, value_name = "DATE", default_value = "2024-10-07")]
    pub start: chrono::NaiveDate,
    /// Number of weeks simulated.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=520))]
    pub weeks: u32,
    /// Comma-separated force ids, `pilot` (the five pilot forces) or `national` (all 43).
    #[arg(long, default_value = "pilot")]
    pub forces: String,
    /// Output folder (gets the exports, a vigil.toml that ingests them, and truth/).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Multiplies every record-noise rate (0 gives clean records).
    #[arg(long, default_value_t = 1.0)]
    pub noise: f64,
    /// Rows per force given a deliberate fault (listed in truth/faults.csv); files under 100 rows get none.
    #[arg(long, default_value_t = 2)]
    pub faults: usize,
    /// Leave out the planted scenarios.
    #[arg(long)]
    pub no_scenarios: bool,
    /// Start of the Raneem's Law pilot (specialist reviews from this date).
    #[arg(long, value_name = "DATE", default_value = "2025-02-21")]
    pub pilot_start: chrono::NaiveDate,
    /// Write the exports as taken at the end of this local day: later
    /// incidents and calls left out, and what comes later (arrival, risk
    /// assessment, referrals, review, closing) not yet recorded. The world is
    /// the same as without it, so a later day of the same seed is next week's export.
    #[arg(long, value_name = "DATE")]
    pub exported_on: Option<chrono::NaiveDate>,
    /// Plant what the pilot forces change from their start, so the
    /// evaluation can be checked against a known answer:
    /// `risk_assessed=+0.05,marac_referred=-0.2,idva_referred=+0.1` (changes
    /// in the KPI's share); written to truth/pilot_effects.csv.
    #[arg(long, value_name = "KPI=CHANGE,...")]
    pub pilot_effect: Option<String>,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// A CSV or Parquet file of records; give two to link one against the other.
    /// Without it, the mentions of the configured exports are linked into persons.
    #[arg(long, value_name = "FILE")]
    pub input: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// With the configured exports: an earlier run's output folder, whose persons keep their ids.
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    /// With the configured exports: score the persons against a simulated world's `truth/` folder.
    #[arg(long, value_name = "DIR")]
    pub truth: Option<PathBuf>,
    /// The column that identifies each record.
    #[arg(long, value_name = "COLUMN", default_value = "id")]
    pub id_column: String,
    /// A column holding the true entity: the run then scores itself (never used for linking).
    #[arg(long, value_name = "COLUMN")]
    pub truth_column: Option<String>,
    /// Records sharing a value of this column are different entities (rows
    /// of one document, people named in one incident): never linked, never compared.
    #[arg(long, value_name = "COLUMN")]
    pub distinct_within: Option<String>,
    /// A linkage spec (TOML); without one, comparisons and blocking are inferred from column names.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// Print the effective spec and stop.
    #[arg(long)]
    pub spec_dump: bool,
    /// dedupe (within the records) or link (only pairs across two inputs); default from the number of inputs.
    #[arg(long, value_enum)]
    pub mode: Option<vigil::link::Mode>,
    /// Match probability at or above which a pair is a link (default 0.9, or the spec's).
    #[arg(long, value_name = "P")]
    pub threshold: Option<f64>,
    /// Reuse a model written by an earlier run instead of training one.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Output folder (default: link-out, or reports with the configured exports).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    /// The configuration and the output folder of an earlier `vigil run` (its canonical and linked tables).
    #[command(flatten)]
    pub stage: StageArgs,
    /// Score the flags against a simulated world's truth (the `truth/` folder `vigil simulate` wrote).
    #[arg(long, value_name = "DIR")]
    pub truth: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Configuration file (default: vigil.toml in the current folder, else sample_data/vigil.toml there).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StageArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub stage: StageArgs,
    /// An earlier run's output folder: persons seen in it keep their ids.
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    /// Score the linkage and the flags against a simulated world's truth (the `truth/` folder `vigil simulate` wrote).
    #[arg(long, value_name = "DIR")]
    pub truth: Option<PathBuf>,
    /// The reviewers' decisions for the weekly packs (see `vigil weekly --decisions`).
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    /// Also write the evaluation's row-level flags, pseudonymised, into
    /// `evaluation_microdata/` (personal data: see `vigil evaluate --microdata`).
    #[arg(long)]
    pub microdata: bool,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub stage: StageArgs,
    /// Also write the canonical tables as CSV.
    #[arg(long)]
    pub csv: bool,
    /// Largest share (0 to 1) of a file's rows that may be quarantined; overrides the configuration.
    #[arg(long, value_name = "SHARE", value_parser = share)]
    pub quarantine_limit: Option<f64>,
}

fn share(text: &str) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not a share between 0 and 1"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
