//! Reading one export file into a header and text rows, with the structural
//! checks that stop a run: missing or empty file, bytes that are not in the
//! declared encoding, unreadable Parquet, CSV that cannot be parsed.
//!
//! A UTF-8 byte-order mark is removed. Parquet columns are read as text (each
//! cast to a string), so the export's formats apply to Parquet as to CSV.
//! Rows keep their line number in the file (the header is line 1); for
//! Parquet the "line" is the row number plus one, so the two read alike.

use std::path::Path;

use polars::prelude::*;

use super::csv_text::read_csv;
use super::error::IngestError;
use super::rows::TextRows;
use crate::config::{Export, FileFormat, TextEncoding};
use crate::hashing::sha256_hex;

/// A file read as text rows.
#[derive(Debug)]
pub struct SourceTable {
    pub header: Vec<String>,
    pub rows: TextRows,
    pub sha256: String,
    pub bytes: u64,
}

/// Reads an export, checking its structure.
pub fn read_export(export: &Export) -> Result<SourceTable, IngestError> {
    let path = &export.resolved_path;
    if !path.exists() {
        return Err(IngestError::MissingFile { path: path.clone() });
    }
    let bytes = std::fs::read(path).map_err(|source| IngestError::Unreadable {
        path: path.clone(),
        source,
    })?;
    let size = bytes.len() as u64;
    let (sha256, (header, rows)) = match export.format {
        FileFormat::Csv => {
            let text = decode(path, bytes, export.encoding)?;
            let (sha256, found) = rayon::join(
                || sha256_hex(text.file_bytes()),
                || read_csv(path, &text.text, text.body_start, export.delimiter),
            );
            let (header, rows) = found?;
            (sha256, (header, rows.with_text(text.text)))
        }
        FileFormat::Parquet => {
            let (sha256, table) = rayon::join(|| sha256_hex(&bytes), || read_parquet(path, &bytes));
            (sha256, table?)
        }
    };
    Ok(SourceTable {
        header,
        rows,
        sha256,
        bytes: size,
    })
}

/// A CSV file's text, and the file's own bytes where the text is a transcoding of them.
struct DecodedText {
    text: String,
    /// Where the text starts after any byte-order mark.
    body_start: usize,
    transcoded_from: Option<Vec<u8>>,
}

impl DecodedText {
    /// The bytes of the file as read.
    fn file_bytes(&self) -> &[u8] {
        self.transcoded_from.as_deref().unwrap_or(self.text.as_bytes())
    }
}

/// The file's text (UTF-8 as read, without a copy; Windows-1252 transcoded), with any byte-order mark skipped.
fn decode(path: &Path, bytes: Vec<u8>, encoding: TextEncoding) -> Result<DecodedText, IngestError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let body_start = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    if encoding == TextEncoding::Windows1252 && body_start == 0 {
        let text = encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned();
        return Ok(DecodedText {
            text,
            body_start,
            transcoded_from: Some(bytes),
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(DecodedText {
            text,
            body_start,
            transcoded_from: None,
        }),
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let valid = &error.as_bytes()[body_start..valid_up_to];
            let line = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            Err(IngestError::NotUtf8 {
                path: path.to_path_buf(),
                line,
                byte: valid.len() - line_start + 1,
            })
        }
    }
}

/// A Parquet file's header and rows, every column cast to text.
pub fn read_parquet(path: &Path, bytes: &[u8]) -> Result<(Vec<String>, TextRows), IngestError> {
    let bad = |reason: String| IngestError::BadParquet {
        path: path.to_path_buf(),
        reason,
    };
    if bytes.is_empty() {
        return Err(IngestError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let frame = ParquetReader::new(std::io::Cursor::new(bytes))
        .finish()
        .map_err(|e| bad(first_line(&e.to_string())))?;
    let header: Vec<String> = frame.get_column_names().iter().map(|n| n.to_string()).collect();
    let mut texts = Vec::with_capacity(header.len());
    for column in frame.columns() {
        let text = column
            .as_materialized_series()
            .cast(&DataType::String)
            .map_err(|e| bad(first_line(&e.to_string())))?;
        texts.push(text);
    }
    let columns: Vec<&StringChunked> = texts
        .iter()
        .map(|s| s.str())
        .collect::<PolarsResult<_>>()
        .map_err(|e| bad(first_line(&e.to_string())))?;
    let mut iters: Vec<_> = columns.iter().map(|c| c.iter()).collect();
    let mut rows = TextRows::with_capacity(0, frame.height());
    for i in 0..frame.height() {
        rows.push(
            i as u64 + 2,
            iters.iter_mut().map(|it| it.next().flatten().unwrap_or("")),
        );
    }
    Ok((header, rows))
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_string()
}
