//! The run's tables as SQL tables (polars SQL), and the queries shipped in
//! `queries/`. A query sees each table of an output folder that it names,
//! under its file's name: the canonical `calls`, `incidents`, `mentions`;
//! link's `persons`, `person_mentions`, `victims`, `perpetrators`, `dyads`;
//! detect's `flags`, `missed_opportunities`, `priority_victims`,
//! `priority_perpetrators`, `timelines`; and the reports' `incident_facts`.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars::sql::SQLContext;

use super::error::ReportError;
use crate::generation::Generation;

/// Where the reports' own table is written, inside the output folder.
pub const FACTS_FILE: &str = "facts/incident_facts.parquet";

/// A query shipped in `queries/`, named by its file (named once, so name and text cannot drift apart).
macro_rules! shipped {
    ($file:literal) => {
        Query {
            name: $file,
            text: include_str!(concat!("../../queries/", $file)),
        }
    };
}

/// The queries the packs run.
pub const WEEKLY_KPIS: Query = shipped!("weekly_kpis.sql");
pub const RESPONSE_BY_GRADE: Query = shipped!("response_by_grade.sql");
pub const FLAGS_BY_RULE: Query = shipped!("flags_by_rule.sql");
pub const REPEAT_VICTIMS: Query = shipped!("repeat_victims.sql");

/// Every shipped query.
pub const SHIPPED: [Query; 4] = [WEEKLY_KPIS, RESPONSE_BY_GRADE, FLAGS_BY_RULE, REPEAT_VICTIMS];

/// A named SQL text.
#[derive(Debug, Clone, Copy)]
pub struct Query {
    pub name: &'static str,
    pub text: &'static str,
}

/// The tables of an output folder: (SQL name, file inside the folder).
const TABLE_FILES: &[(&str, &str)] = &[
    ("calls", "canonical/calls.parquet"),
    ("incidents", "canonical/incidents.parquet"),
    ("mentions", "canonical/mentions.parquet"),
    ("persons", "linked/persons.csv"),
    ("person_mentions", "linked/person_mentions.parquet"),
    ("organisations", "linked/organisations.csv"),
    ("victims", "linked/victims.csv"),
    ("perpetrators", "linked/perpetrators.csv"),
    ("dyads", "linked/dyads.csv"),
    ("flags", "detect/flags.csv"),
    ("missed_opportunities", "detect/missed_opportunities.csv"),
    ("priority_victims", "detect/priority_victims.csv"),
    ("priority_perpetrators", "detect/priority_perpetrators.csv"),
    ("timelines", "detect/timelines.csv"),
    ("incident_facts", FACTS_FILE),
];

/// The tables of `out` that exist: (SQL name, path).
pub fn tables_in(out: &Path) -> Vec<(&'static str, PathBuf)> {
    TABLE_FILES
        .iter()
        .map(|(name, file)| (*name, out.join(file)))
        .filter(|(_, path)| path.is_file())
        .collect()
}

/// A SQL context over the tables of `out` that `query` names as a word.
///
/// Tables are read into memory here: polars' lazy file scans need its
/// streaming engine, which vigil leaves out of the build (it brings a cloud
/// stack), and reading only the tables a query names keeps that cheap.
pub fn context_for(out: &Path, query: &str) -> Result<SQLContext, ReportError> {
    let words = words_of(query);
    let named: Vec<(&str, PathBuf)> = tables_in(out)
        .into_iter()
        .filter(|(name, _)| words.contains(*name))
        .collect();
    check_one_generation(out, &named)?;
    let context = SQLContext::new();
    for (name, path) in named {
        context.register(name, read_table(&path)?.lazy());
    }
    Ok(context)
}

/// The stage folders of `tables` hold the generation that `manifest.json`
/// records, so a query never joins tables of two runs.
fn check_one_generation(out: &Path, tables: &[(&str, PathBuf)]) -> Result<(), ReportError> {
    let generation = Generation::of_folder(out)?;
    for (stage, rerun) in [
        ("linked", "`vigil link`"),
        ("detect", "`vigil detect`"),
        ("facts", "`vigil weekly`"),
    ] {
        if tables.iter().any(|(_, path)| path.starts_with(out.join(stage))) {
            generation.check(out, stage, rerun)?;
        }
    }
    Ok(())
}

/// The lower-case words of a SQL text (runs of letters, digits and `_`).
fn words_of(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

fn read_table(path: &Path) -> Result<DataFrame, ReportError> {
    let unreadable = |e: PolarsError| ReportError::Input {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(|e| ReportError::Input {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if path.extension().is_some_and(|e| e == "parquet") {
        ParquetReader::new(file).finish().map_err(unreadable)
    } else {
        CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(None)
            .into_reader_with_file_handle(file)
            .finish()
            .map_err(unreadable)
    }
}

/// Runs one query and collects its result.
pub fn run(context: &mut SQLContext, file: &str, text: &str) -> Result<DataFrame, ReportError> {
    let failed = |e: PolarsError| ReportError::Query {
        file: file.to_string(),
        reason: one_line(&e.to_string()),
    };
    context.execute(text).map_err(failed)?.collect().map_err(failed)
}

/// Reads a query file.
pub fn read_query(path: &Path) -> Result<String, ReportError> {
    std::fs::read_to_string(path).map_err(|e| ReportError::Input {
        path: PathBuf::from(path),
        reason: e.to_string(),
    })
}

/// Writes a frame as CSV: floats to two places, empty for missing,
/// formula-like texts neutralised ([`crate::cell_safety`]).
pub fn write_csv(frame: &DataFrame, out: &mut dyn std::io::Write) -> PolarsResult<()> {
    let mut safe = crate::cell_safety::neutralised_frame(frame)?;
    CsvWriter::new(out)
        .include_header(true)
        .with_float_precision(Some(2))
        .with_float_scientific(Some(false))
        .finish(&mut safe)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
