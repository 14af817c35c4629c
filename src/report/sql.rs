//! The run's tables as SQL tables (polars SQL), and the queries shipped in
//! `queries/`. Every table of an output folder that exists is registered
//! under its file's name: the canonical `calls`, `incidents`, `mentions`;
//! link's `persons`, `person_mentions`, `victims`, `perpetrators`, `dyads`;
//! detect's `flags`, `missed_opportunities`, `priority_victims`,
//! `priority_perpetrators`, `timelines`; and the reports' `incident_facts`.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars::sql::SQLContext;

use super::error::ReportError;

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

/// A SQL context over the tables found in `out`; the names of those registered.
pub fn register_folder(out: &Path) -> Result<(SQLContext, Vec<&'static str>), ReportError> {
    let context = SQLContext::new();
    let mut registered = Vec::new();
    for (name, file) in TABLE_FILES {
        let path = out.join(file);
        if path.is_file() {
            context.register(name, scan(&path)?);
            registered.push(*name);
        }
    }
    Ok((context, registered))
}

fn scan(path: &Path) -> Result<LazyFrame, ReportError> {
    let unreadable = |e: PolarsError| ReportError::Input {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let source = PlRefPath::try_from_path(path).map_err(unreadable)?;
    if path.extension().is_some_and(|e| e == "parquet") {
        LazyFrame::scan_parquet(source, ScanArgsParquet::default()).map_err(unreadable)
    } else {
        LazyCsvReader::new(source)
            .with_has_header(true)
            .with_infer_schema_length(None)
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

/// Writes a frame as CSV: floats to two places, empty for missing.
pub fn write_csv(frame: &mut DataFrame, out: &mut dyn std::io::Write) -> PolarsResult<()> {
    CsvWriter::new(out)
        .include_header(true)
        .with_float_precision(Some(2))
        .with_float_scientific(Some(false))
        .finish(frame)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
