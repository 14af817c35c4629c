//! A pack's own CSV read back whole (the workbook's sheets, last week's
//! review): its header and rows as text, exactly as written.

use std::path::Path;

use super::ReportError;

/// A CSV's header and rows.
pub struct CsvTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    pub fn read(path: &Path) -> Result<CsvTable, ReportError> {
        let input = |e: csv::Error| ReportError::Input {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let mut reader = csv::Reader::from_path(path).map_err(input)?;
        let header = reader.headers().map_err(input)?.iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|row| row.map(|r| r.iter().map(String::from).collect()))
            .collect::<Result<_, _>>()
            .map_err(input)?;
        Ok(CsvTable { header, rows })
    }

    /// A row's cell in `column` (empty if the table has no such column).
    pub fn cell<'a>(&'a self, row: &'a [String], column: &str) -> &'a str {
        let at = self.header.iter().position(|h| h == column);
        at.and_then(|c| row.get(c)).map_or("", String::as_str)
    }
}
