//! Integration tests: the real `vigil` binary and library on fixture exports.
//! One test binary for all of them (linking polars once is slow).

#[path = "../../src/scratch.rs"]
mod scratch;
mod support;

mod cell_safety;
mod config_errors;
mod corrupt_inputs;
mod daylight_saving;
mod detect_rules;
mod detect_sample;
mod detect_signals;
mod detect_world;
mod draft_dialect;
mod evaluation_groups;
mod ingest_fixtures;
mod ingest_properties;
mod interrupted_runs;
mod link;
mod many_files;
mod missing_values;
mod persons;
mod places;
mod queries;
mod repeated_hour;
mod repeated_rows;
mod reports;
mod row_filters;
mod simulate;
mod unrecorded_fields;
mod us_cad;
mod weekly_review;
mod workbook;
