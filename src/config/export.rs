//! One export file of a force: where it is, how it is encoded, and how its
//! columns map onto canonical fields. [`ExportSpec`] is the file as written in
//! `vigil.toml`; [`Export`] is the checked, compiled form ingest works from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::field::{field_named, ExportKind, Field, FieldType};
use super::missing::{MissingValues, MissingValuesSpec};
use crate::timestamps::TimeFormat;

/// File format of an export; inferred from the extension when not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Csv,
    Parquet,
}

/// Text encoding of a CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TextEncoding {
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "windows-1252")]
    Windows1252,
}

/// Where a field's value comes from: one column, or a date column and a time column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ColumnSource {
    Column(String),
    DateAndTime { date: String, time: String },
}

impl ColumnSource {
    /// The file columns this source reads.
    pub fn columns(&self) -> Vec<&str> {
        match self {
            ColumnSource::Column(name) => vec![name],
            ColumnSource::DateAndTime { date, time } => vec![date, time],
        }
    }
}

/// An export as configured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportSpec {
    pub kind: ExportKind,
    /// Relative to the folder of the configuration file.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<FileFormat>,
    #[serde(default)]
    pub encoding: TextEncoding,
    #[serde(default = "default_delimiter")]
    pub delimiter: char,
    /// Format of single-column timestamps (`%d/%m/%Y %H:%M`, `iso8601`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_format: Option<String>,
    /// Formats of split date and time columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_format: Option<String>,
    /// Format of dates of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob_format: Option<String>,
    /// Texts that mean a missing value (default [`crate::config::DEFAULT_MISSING_VALUES`]):
    /// a list replaces the defaults, `{ add = [...] }` adds to them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_values: Option<MissingValuesSpec>,
    /// Only rows whose column holds one of these values are the force's
    /// (`keep = { Agency = ["POLICE"] }`); others are counted as filtered.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keep: BTreeMap<String, Vec<String>>,
    /// Rows whose column holds one of these values are not the force's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub drop: BTreeMap<String, Vec<String>>,
    /// The side in metres of the grid squares coordinates are snapped to, to
    /// make a place of them (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_metres: Option<f64>,
    /// Canonical field name → column(s) in the file.
    pub columns: BTreeMap<String, ColumnSource>,
}

fn default_delimiter() -> char {
    ','
}

/// A checked export, ready for ingest.
#[derive(Debug, Clone)]
pub struct Export {
    pub kind: ExportKind,
    /// As written in the configuration (used in reports, so they do not depend on where the data sits).
    pub path: String,
    pub resolved_path: PathBuf,
    /// The configuration's folder, which `path` is relative to.
    pub base_dir: PathBuf,
    pub format: FileFormat,
    pub encoding: TextEncoding,
    pub delimiter: u8,
    pub timestamp: Option<TimeFormat>,
    pub date: Option<TimeFormat>,
    pub time: Option<TimeFormat>,
    pub dob: Option<TimeFormat>,
    pub missing: MissingValues,
    /// (column, values) a row must hold one of, for every entry.
    pub keep: Vec<(String, Vec<String>)>,
    /// (column, values) a row must hold none of, for every entry.
    pub drop: Vec<(String, Vec<String>)>,
    /// The side in metres of the grid squares coordinates are snapped to.
    pub grid_metres: f64,
    pub columns: Vec<(Field, ColumnSource)>,
}

impl Export {
    /// The source of a field, if the export maps it.
    pub fn source(&self, field: Field) -> Option<&ColumnSource> {
        self.columns.iter().find(|(f, _)| *f == field).map(|(_, s)| s)
    }
}

impl ExportSpec {
    /// Checks the spec and compiles its formats. Errors are one line, without the location prefix.
    pub fn compile(&self, base_dir: &Path) -> Result<Export, String> {
        let format = match self.format {
            Some(format) => format,
            None if self.path.to_ascii_lowercase().ends_with(".parquet") => FileFormat::Parquet,
            None => FileFormat::Csv,
        };
        if !self.delimiter.is_ascii() {
            return Err(format!(
                "delimiter `{}` must be a single ASCII character",
                self.delimiter
            ));
        }
        let compile = |pattern: &Option<String>| pattern.as_deref().map(TimeFormat::compile).transpose();
        let export = Export {
            kind: self.kind,
            path: self.path.clone(),
            resolved_path: base_dir.join(&self.path),
            base_dir: base_dir.to_path_buf(),
            format,
            encoding: self.encoding,
            delimiter: self.delimiter as u8,
            timestamp: compile(&self.timestamp_format)?,
            date: compile(&self.date_format)?,
            time: compile(&self.time_format)?,
            dob: compile(&self.dob_format)?,
            missing: MissingValues::configured(self.missing_values.as_ref()),
            keep: self.keep.clone().into_iter().collect(),
            drop: self.drop.clone().into_iter().collect(),
            grid_metres: match self.grid_metres {
                Some(metres) if !(1.0..=10_000.0).contains(&metres) => {
                    return Err(format!("grid_metres = {metres} must be from 1 to 10000"))
                }
                Some(metres) => metres,
                None => 100.0,
            },
            columns: self.mapped_fields()?,
        };
        export.check_formats()?;
        Ok(export)
    }

    fn mapped_fields(&self) -> Result<Vec<(Field, ColumnSource)>, String> {
        let mut columns = Vec::new();
        for (name, source) in &self.columns {
            let field = field_named(name).ok_or_else(|| unknown_field(name, self.kind))?;
            if !self.kind.accepts(field) {
                return Err(unknown_field(name, self.kind));
            }
            let split = matches!(source, ColumnSource::DateAndTime { .. });
            if split && field.field_type() != FieldType::Instant {
                return Err(format!(
                    "columns.{name}: only timestamps can be read from separate date and time columns"
                ));
            }
            columns.push((field, source.clone()));
        }
        for required in self.kind.required() {
            if !columns.iter().any(|(f, _)| f == required) {
                return Err(format!(
                    "a {} export must map the field `{}`",
                    self.kind,
                    required.name()
                ));
            }
        }
        columns.sort_by_key(|(field, _)| *field);
        Ok(columns)
    }
}

impl Export {
    fn check_formats(&self) -> Result<(), String> {
        for (field, source) in &self.columns {
            match (field.field_type(), source) {
                (FieldType::Instant, ColumnSource::Column(_)) => match &self.timestamp {
                    Some(f) if f.has_date() && f.has_time() => {}
                    Some(f) => return Err(format!("timestamp_format `{}` needs a date and a time", f.pattern())),
                    None => {
                        return Err(format!(
                            "columns.{} is a timestamp column, so timestamp_format is needed",
                            field.name()
                        ))
                    }
                },
                (FieldType::Instant, ColumnSource::DateAndTime { .. }) => match (&self.date, &self.time) {
                    (Some(d), Some(t)) if d.has_date() && t.has_time() => {}
                    _ => {
                        return Err(format!(
                            "columns.{} is split into date and time, so date_format and time_format are needed",
                            field.name()
                        ))
                    }
                },
                (FieldType::Date, _) => match &self.dob {
                    Some(f) if f.has_date() => {}
                    _ => {
                        return Err(format!(
                            "columns.{} is a date, so dob_format (with %Y, %m and %d) is needed",
                            field.name()
                        ))
                    }
                },
                _ => {}
            }
        }
        Ok(())
    }
}

fn unknown_field(name: &str, kind: ExportKind) -> String {
    let accepted: Vec<&str> = kind.accepted_fields().iter().map(|f| f.name()).collect();
    let nearest = accepted
        .iter()
        .min_by_key(|candidate| strsim::levenshtein(name, candidate))
        .filter(|candidate| strsim::levenshtein(name, candidate) <= 3);
    let hint = nearest.map(|n| format!(" Did you mean `{n}`?")).unwrap_or_default();
    format!(
        "`{name}` is not a field of a {kind} export.{hint} Fields: {}",
        accepted.join(", ")
    )
}
