//! One export as drafted: one file, or several that share a header (a file
//! per week), read together; what was found in it and how sure each finding is.

use std::path::Path;

use super::formats::{candidates, choose, FormatChoice, Shape};
use super::mapping::{map_file, Mapping, Source};
use super::profile::{profile, ColumnProfile};
use super::sample::SampledFile;
use super::words::words;
use crate::config::{Field, FieldType, FileFormat, TextEncoding};

/// Words that name a column saying which service a row is for.
const SERVICE_WORDS: [&str; 6] = ["agency", "service", "discipline", "department", "dept", "organisation"];

/// A row filter the draft proposes: keep rows whose column holds one of `keep`.
#[derive(Debug)]
pub struct ServiceFilter {
    pub column: String,
    pub keep: Vec<String>,
    /// Every value of the column, with its count.
    pub values: Vec<(String, usize)>,
}

/// The drafted export.
#[derive(Debug)]
pub struct ExportDraft {
    /// The path to write in the configuration (a pattern for several files).
    pub path: String,
    pub files: Vec<String>,
    pub rows: usize,
    pub truncated: bool,
    pub format: FileFormat,
    pub encoding: TextEncoding,
    pub encoding_reason: String,
    pub delimiter: u8,
    pub delimiter_reason: String,
    pub profiles: Vec<ColumnProfile>,
    pub mapping: Mapping,
    pub timestamp: Option<FormatChoice>,
    pub date: Option<FormatChoice>,
    pub time: Option<FormatChoice>,
    pub dob: Option<FormatChoice>,
    pub service: Option<ServiceFilter>,
}

/// Drafts an export from files that share a header; `path` is what the configuration will say.
pub fn draft_export(files: &[SampledFile], path: String, shown: Vec<String>) -> ExportDraft {
    let first = &files[0];
    let candidates = candidates();
    let profiles: Vec<ColumnProfile> = first
        .header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Vec<String> = files.iter().flat_map(|f| f.columns[i].iter().cloned()).collect();
            profile(name, &values, &candidates)
        })
        .collect();
    let mapping = map_file(&profiles, &candidates);
    let of_shape = |shape: Shape, wanted: &dyn Fn(Field, Source) -> Option<usize>| {
        let columns: Vec<&ColumnProfile> = mapping
            .proposals
            .iter()
            .filter_map(|(field, _)| mapping.found(*field).and_then(|o| wanted(*field, o.source)))
            .map(|c| &profiles[c])
            .collect();
        (!columns.is_empty()).then(|| choose(&columns, shape, &candidates))
    };
    let single_instant = |field: Field, source: Source| match source {
        Source::Column(c) if field.field_type() == FieldType::Instant => Some(c),
        _ => None,
    };
    let pair_date = |_: Field, source: Source| match source {
        Source::Pair { date, .. } => Some(date),
        _ => None,
    };
    let pair_time = |_: Field, source: Source| match source {
        Source::Pair { time, .. } => Some(time),
        _ => None,
    };
    let birth = |field: Field, source: Source| match source {
        Source::Column(c) if field == Field::DateOfBirth => Some(c),
        _ => None,
    };
    ExportDraft {
        timestamp: of_shape(Shape::Timestamp, &single_instant),
        date: of_shape(Shape::Date, &pair_date),
        time: of_shape(Shape::Time, &pair_time),
        dob: of_shape(Shape::Date, &birth),
        service: service_filter(&profiles),
        path,
        files: shown,
        rows: files.iter().map(|f| f.rows).sum(),
        truncated: files.iter().any(|f| f.truncated),
        format: first.format,
        encoding: first.encoding,
        encoding_reason: first.encoding_reason.clone(),
        delimiter: first.delimiter,
        delimiter_reason: first.delimiter_reason.clone(),
        profiles,
        mapping,
    }
}

/// A column naming the service a row is for, holding police rows and others.
fn service_filter(profiles: &[ColumnProfile]) -> Option<ServiceFilter> {
    profiles.iter().find_map(|p| {
        let named = p.words.iter().any(|w| SERVICE_WORDS.contains(&w.as_str()));
        if !named || p.distinct.len() > 12 {
            return None;
        }
        let police: Vec<String> = p
            .distinct
            .iter()
            .filter(|(v, _)| words(v).iter().any(|w| w == "police" || w == "pd"))
            .map(|(v, _)| v.clone())
            .collect();
        (!police.is_empty() && police.len() < p.distinct.len()).then(|| ServiceFilter {
            column: p.name.clone(),
            keep: police,
            values: p.distinct.clone(),
        })
    })
}

/// The files' common path: the file itself, or `folder/prefix*suffix` for
/// several, the prefix and suffix holding no digits, so that next month's
/// `calls_2025-W50.csv` matches the pattern drawn from `calls_2025-W44.csv`.
pub fn shared_path(paths: &[String]) -> String {
    if paths.len() == 1 {
        return paths[0].clone();
    }
    let folder = |p: &str| Path::new(p).parent().map(|f| f.to_string_lossy().replace('\\', "/"));
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            Path::new(p)
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    let prefix = common_len(names.iter().map(|n| n.chars().collect::<Vec<_>>()));
    let suffix = common_len(names.iter().map(|n| n.chars().rev().collect::<Vec<_>>()));
    let shortest = names.iter().map(|n| n.chars().count()).min().unwrap_or(0);
    let suffix = suffix.min(shortest.saturating_sub(prefix));
    let first: Vec<char> = names[0].chars().collect();
    let prefix = first[..prefix].iter().position(char::is_ascii_digit).unwrap_or(prefix);
    let tail = &first[first.len() - suffix..];
    let suffix = tail.iter().rev().position(char::is_ascii_digit).unwrap_or(suffix);
    let pattern: String = first[..prefix]
        .iter()
        .chain(std::iter::once(&'*'))
        .chain(&first[first.len() - suffix..])
        .collect();
    match folder(&paths[0]).filter(|f| !f.is_empty()) {
        Some(folder) => format!("{folder}/{pattern}"),
        None => pattern,
    }
}

/// How many leading items every sequence shares.
fn common_len(mut sequences: impl Iterator<Item = Vec<char>>) -> usize {
    let Some(first) = sequences.next() else { return 0 };
    sequences.fold(first.len(), |len, other| {
        first.iter().zip(&other).take(len).take_while(|(a, b)| a == b).count()
    })
}

#[cfg(test)]
mod tests {
    use super::shared_path;

    #[test]
    fn files_of_one_export_share_a_pattern() {
        let weeks = [
            "cad/calls_2025-W44.csv".to_string(),
            "cad/calls_2025-W45.csv".to_string(),
        ];
        assert_eq!(shared_path(&weeks), "cad/calls_*.csv");
        assert_eq!(shared_path(&["a.csv".to_string(), "ab.csv".to_string()]), "a*.csv");
        assert_eq!(shared_path(&["x/calls.csv".to_string()]), "x/calls.csv");
    }
}
