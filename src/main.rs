//! The `vigil` binary: parse the command line, run one command, map its
//! error to an exit code (see `error.rs` for the table).

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command, ConfigArgs};
use vigil::commands::report::{EvaluateOptions, WeeklyOptions};
use vigil::commands::{self, detect::DetectOptions, ingest::IngestOptions, link::LinkCommand, pipeline::RunOptions};
use vigil::config::Config;
use vigil::error::VigilError;
use vigil::ingest::WriteOptions;
use vigil::link::{InputColumns, LinkOptions};
use vigil::simulate::pilot_effect::PilotEffect;
use vigil::simulate::SimulateOptions;
use vigil::truth::TruthDir;

/// Ingest allocates a few small strings per field of millions of rows, in
/// parallel; mimalloc does that markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(output) => {
            if !cli.quiet {
                print!("{output}");
            }
            ExitCode::SUCCESS
        }
        Err(VigilError::Incomplete { done, reason }) => {
            if !cli.quiet {
                print!("{done}");
            }
            eprintln!("error: {reason:#}");
            ExitCode::from(reason.exit_code() as u8)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(error.exit_code() as u8)
        }
    }
}

fn run(cli: &Cli) -> Result<String, VigilError> {
    match &cli.command {
        Command::Config(args) => Ok(commands::config::run(&load(args)?)),
        Command::Ingest(args) => {
            let options = IngestOptions {
                out_dir: args.stage.out.clone(),
                write: WriteOptions { csv: args.csv },
                quarantine_limit: args.quarantine_limit,
            };
            Ok(commands::ingest::run(&load(&args.stage.config)?, &options)?.1)
        }
        Command::Link(args) if args.input.is_empty() => {
            let options = RunOptions {
                out_dir: args.out.clone().unwrap_or_else(|| "reports".into()),
                previous: args.previous.clone(),
                truth: truth_dir(args.truth.as_deref())?,
                progress: false,
                decisions: None,
                microdata: false,
            };
            commands::pipeline::link(&load(&args.config)?, &options)
        }
        Command::Link(args) => Ok(commands::link::run(&link_command(args))?),
        Command::Detect(args) => {
            let options = DetectOptions {
                out_dir: args.stage.out.clone(),
                truth: truth_dir(args.truth.as_deref())?,
            };
            commands::detect::run(&load(&args.stage.config)?, &options)
        }
        Command::Simulate(args) => Ok(commands::simulate::run(&simulate_options(args)?)?),
        Command::Run(args) => {
            let options = RunOptions {
                out_dir: args.stage.out.clone(),
                previous: args.previous.clone(),
                truth: truth_dir(args.truth.as_deref())?,
                progress: !cli.quiet,
                decisions: args.decisions.clone(),
                microdata: args.microdata,
            };
            commands::pipeline::run(&load(&args.stage.config)?, &options)
        }
        Command::Weekly(args) => {
            let options = WeeklyOptions {
                out_dir: args.stage.out.clone(),
                force: args.force.clone(),
                week: args.week,
                decisions: args.decisions.clone(),
            };
            commands::report::weekly(&load(&args.stage.config)?, &options)
        }
        Command::Evaluate(args) => {
            let options = EvaluateOptions {
                out_dir: args.stage.out.clone(),
                baseline: args.baseline,
                pilot: args.pilot,
                key_file: args.key_file.clone(),
                microdata: args.microdata,
            };
            commands::report::evaluate(&load(&args.stage.config)?, &options)
        }
        Command::Case(args) => commands::report::case(&load(&args.stage.config)?, &args.stage.out, &args.person_id),
        Command::Query(args) => commands::report::query(&args.dir, &args.file, args.out.as_deref()),
        Command::DraftDialect(args) => commands::draft::run(&vigil::draft::DraftRequest {
            files: args.files.clone(),
            force: args.force.clone(),
            out: args.out.clone(),
        }),
        Command::Keygen(args) => commands::report::keygen(args.out.clone()),
    }
}

fn link_command(args: &cli::LinkArgs) -> LinkCommand {
    LinkCommand {
        link: LinkOptions {
            inputs: args.input.clone(),
            columns: InputColumns {
                id: args.id_column.clone(),
                truth: args.truth_column.clone(),
                distinct_within: args.distinct_within.clone(),
            },
            spec: args.spec.clone(),
            mode: args.mode,
            threshold: args.threshold,
            model: args.model.clone(),
        },
        out: args.out.clone().unwrap_or_else(|| "link-out".into()),
        spec_dump: args.spec_dump,
    }
}

fn simulate_options(args: &cli::SimulateArgs) -> Result<SimulateOptions, VigilError> {
    Ok(SimulateOptions {
        seed: args.seed,
        people: args.people,
        start: args.start,
        weeks: args.weeks,
        forces: commands::simulate::parse_forces(&args.forces)?,
        out: args.out.clone(),
        noise: args.noise,
        faults: args.faults,
        scenarios: !args.no_scenarios,
        pilot_start: args.pilot_start,
        exported_on: args.exported_on,
        pilot_effect: match &args.pilot_effect {
            Some(text) => PilotEffect::parse(text).map_err(VigilError::Usage)?,
            None => PilotEffect::default(),
        },
    })
}

fn load(args: &ConfigArgs) -> Result<Config, VigilError> {
    let path = match &args.config {
        Some(path) => path.clone(),
        None => commands::default_config_path()?,
    };
    Ok(Config::load(&path)?)
}

fn truth_dir(dir: Option<&std::path::Path>) -> Result<Option<TruthDir>, VigilError> {
    dir.map(TruthDir::open).transpose()
}
