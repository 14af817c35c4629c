//! Rows that are not the force's business: a CAD export shared with fire and
//! ambulance holds their rows too. An export keeps only rows whose column
//! holds one of some values (`keep`), and sets aside rows whose column holds
//! one of others (`drop`); values compare trimmed, ignoring case. Such rows
//! are counted as filtered, never quarantined, so read = accepted +
//! quarantined + duplicates + filtered still holds.

use super::error::IngestError;
use super::rows::TextRow;
use crate::config::Export;
use crate::normalise::trimmed;

/// An export's `keep` and `drop`, resolved against a file's header.
#[derive(Debug, Default)]
pub struct RowFilter {
    keep: Vec<(usize, Vec<String>)>,
    drop: Vec<(usize, Vec<String>)>,
}

impl RowFilter {
    /// Finds each named column in `header`, or names the first one missing.
    pub fn resolve(export: &Export, header: &[String]) -> Result<RowFilter, IngestError> {
        let resolve = |rules: &[(String, Vec<String>)], rule: &'static str| {
            rules
                .iter()
                .map(|(column, values)| {
                    let position =
                        header
                            .iter()
                            .position(|h| h == column)
                            .ok_or_else(|| IngestError::FilterColumn {
                                path: export.resolved_path.clone(),
                                column: column.clone(),
                                rule,
                                found: header.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", "),
                            })?;
                    Ok((position, values.iter().map(|v| v.trim().to_string()).collect()))
                })
                .collect::<Result<Vec<_>, IngestError>>()
        };
        Ok(RowFilter {
            keep: resolve(&export.keep, "keep")?,
            drop: resolve(&export.drop, "drop")?,
        })
    }

    /// Whether the row is the force's: it holds a kept value in every `keep`
    /// column and no dropped value in any `drop` column. A row too short to
    /// hold a column passes (and is quarantined as ragged).
    pub fn passes(&self, row: &TextRow) -> bool {
        let holds = |position: usize, values: &[String]| {
            row.get(position)
                .map(|value| values.iter().any(|v| v.eq_ignore_ascii_case(trimmed(value))))
        };
        self.keep.iter().all(|(p, values)| holds(*p, values).unwrap_or(true))
            && !self.drop.iter().any(|(p, values)| holds(*p, values).unwrap_or(false))
    }
}
