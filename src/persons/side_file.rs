//! The CSV files the link stage reads beside the exports (an earlier run's
//! `person_mentions.csv`, the simulator's truth): two named columns of each row.

use std::path::Path;

use crate::link::LinkError;

/// The values of columns `first` and `second` in every row of `path`;
/// `hint` (what to do) follows the message when the file cannot be opened.
pub fn column_pairs(path: &Path, first: &str, second: &str, hint: &str) -> Result<Vec<(String, String)>, LinkError> {
    let bad = |reason: String| LinkError::BadSideFile {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| bad(format!("{e}{hint}")))?;
    let header = reader.headers().map_err(|e| bad(e.to_string()))?.clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad(format!("no `{name}` column")))
    };
    let (a, b) = (column(first)?, column(second)?);
    let mut pairs = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| bad(e.to_string()))?;
        pairs.push((row[a].to_string(), row[b].to_string()));
    }
    Ok(pairs)
}
