//! One export file read for drafting: its format, encoding and delimiter as
//! found (each with the reason), its header, and its values column by column.

use std::path::{Path, PathBuf};

use crate::config::{FileFormat, TextEncoding};
use crate::ingest::read_parquet;

/// At most this many rows of a file are read.
pub const SAMPLE_ROWS: usize = 200_000;

/// Delimiters tried, in order of preference when two fit equally.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// A file as read for drafting.
#[derive(Debug)]
pub struct SampledFile {
    /// As given on the command line.
    pub path: PathBuf,
    pub format: FileFormat,
    pub encoding: TextEncoding,
    pub encoding_reason: String,
    pub delimiter: u8,
    pub delimiter_reason: String,
    pub header: Vec<String>,
    /// Values column by column, in header order; a short row reads as empty.
    pub columns: Vec<Vec<String>>,
    pub rows: usize,
    /// Whether the file has more rows than were read.
    pub truncated: bool,
}

/// Reads a file's sample; the error names the file and says what is wrong.
pub fn sample_file(path: &Path) -> Result<SampledFile, String> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if bytes.is_empty() {
        return Err(format!("{shown} is empty"));
    }
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet")) {
        return sample_parquet(path, &bytes);
    }
    let (text, encoding, encoding_reason) = decode(bytes);
    let (delimiter, delimiter_reason) = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header of {shown}: {e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut columns = vec![Vec::new(); header.len()];
    let mut rows = 0;
    let mut truncated = false;
    for record in reader.records() {
        let record = record.map_err(|e| format!("cannot read {shown} as CSV: {e}"))?;
        if rows == SAMPLE_ROWS {
            truncated = true;
            break;
        }
        for (i, column) in columns.iter_mut().enumerate() {
            column.push(record.get(i).unwrap_or("").to_string());
        }
        rows += 1;
    }
    Ok(SampledFile {
        path: path.to_path_buf(),
        format: FileFormat::Csv,
        encoding,
        encoding_reason,
        delimiter,
        delimiter_reason,
        header,
        columns,
        rows,
        truncated,
    })
}

fn sample_parquet(path: &Path, bytes: &[u8]) -> Result<SampledFile, String> {
    let (header, table) = read_parquet(path, bytes).map_err(|e| e.to_string())?;
    let rows = table.len().min(SAMPLE_ROWS);
    let columns = (0..header.len())
        .map(|i| {
            (0..rows)
                .map(|r| table.row(r).get(i).unwrap_or("").to_string())
                .collect()
        })
        .collect();
    Ok(SampledFile {
        path: path.to_path_buf(),
        format: FileFormat::Parquet,
        encoding: TextEncoding::Utf8,
        encoding_reason: "Parquet".into(),
        delimiter: b',',
        delimiter_reason: String::new(),
        header,
        columns,
        rows,
        truncated: table.len() > rows,
    })
}

/// The text, its encoding and why: UTF-8 when every byte is, else Windows-1252.
fn decode(bytes: Vec<u8>) -> (String, TextEncoding, String) {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let body = bytes.strip_prefix(BOM).unwrap_or(&bytes);
    match std::str::from_utf8(body) {
        Ok(text) if text.is_ascii() => (text.to_string(), TextEncoding::Utf8, "every byte is ASCII".into()),
        Ok(text) => (text.to_string(), TextEncoding::Utf8, "the bytes are valid UTF-8".into()),
        Err(error) => {
            let line = body[..error.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
            let text = encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(body)
                .0
                .into_owned();
            let reason = format!("line {line} holds a byte that is not UTF-8; Windows-1252 reads every byte");
            (text, TextEncoding::Windows1252, reason)
        }
    }
}

/// The delimiter that splits the first lines into the most columns, the same
/// number on every line.
fn sniff_delimiter(text: &str) -> (u8, String) {
    let mut best: Option<(u8, usize, usize)> = None;
    for delimiter in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .take(50)
            .map_while(Result::ok)
            .map(|r| r.len())
            .collect();
        let Some(&width) = counts.first() else { continue };
        if width < 2 || counts.iter().any(|c| *c != width) {
            continue;
        }
        if best.is_none_or(|(_, w, _)| width > w) {
            best = Some((delimiter, width, counts.len()));
        }
    }
    match best {
        Some((delimiter, width, lines)) => (
            delimiter,
            format!("splits each of the first {lines} lines into {width} columns"),
        ),
        None => (
            b',',
            "no delimiter splits the first lines evenly; CHECK the file".into(),
        ),
    }
}
