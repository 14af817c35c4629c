//! The CSV files the link stage reads beside the exports (an earlier run's
//! `person_mentions.csv`, the simulator's truth): two named columns of each row.

use std::path::Path;

use polars::prelude::PlSmallStr;

use crate::link::LinkError;

/// The values of columns `first` and `second` in every row of `path`
/// (short texts such as ids, held inline); `hint` (what to do) follows the
/// message when the file cannot be opened.
pub fn column_pairs(
    path: &Path,
    first: &str,
    second: &str,
    hint: &str,
) -> Result<Vec<(PlSmallStr, PlSmallStr)>, LinkError> {
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
    let mut row = csv::ByteRecord::new();
    while reader.read_byte_record(&mut row).map_err(|e| bad(e.to_string()))? {
        let line = row.position().map_or(0, |p| p.line());
        let text = |c: usize| {
            let bytes = row.get(c).unwrap_or_default();
            std::str::from_utf8(bytes)
                .map(PlSmallStr::from)
                .map_err(|_| bad(format!("line {line}: column {} is not UTF-8", c + 1)))
        };
        pairs.push((text(a)?, text(b)?));
    }
    Ok(pairs)
}
