//! The records to link: one or two CSV or Parquet files read into compact
//! text columns, put in a canonical order (input, then id) so that the
//! order of rows in a file can never change the result.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

use crate::text_pieces::{pieces, Piece};

use super::LinkError;

/// One column's text for every record, in one buffer; an empty value is missing.
#[derive(Debug, Default, Clone)]
pub struct TextColumn {
    text: String,
    ends: Vec<u32>,
}

impl TextColumn {
    fn push(&mut self, value: &str) {
        self.text.push_str(value.trim());
        self.ends.push(self.text.len() as u32);
    }

    fn append(&mut self, other: &TextColumn) {
        let offset = self.text.len() as u32;
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e + offset));
    }

    pub fn get(&self, row: usize) -> &str {
        let start = if row == 0 { 0 } else { self.ends[row - 1] as usize };
        &self.text[start..self.ends[row] as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn reordered(&self, order: &[u32]) -> TextColumn {
        let mut out = TextColumn {
            text: String::with_capacity(self.text.len()),
            ends: Vec::with_capacity(order.len()),
        };
        for &row in order {
            out.push(self.get(row as usize));
        }
        out
    }
}

/// Every record of the inputs, in canonical order.
#[derive(Debug, Clone)]
pub struct Records {
    /// The compared columns' names, in input order (id and truth excluded).
    pub names: Vec<String>,
    pub columns: Vec<TextColumn>,
    pub ids: TextColumn,
    pub truth: Option<TextColumn>,
    /// Records sharing a value here are different entities (never compared, never linked).
    pub distinct_within: Option<TextColumn>,
    /// ...unless they also share a value of this compared column (a force's own person id).
    pub same_when_equal: Option<usize>,
    /// Which input each record came from (0 or 1).
    pub input: Vec<u8>,
}

impl Records {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// For each compared column, how many records hold its most common value.
    pub fn commonest_counts(&self) -> Vec<usize> {
        self.columns
            .iter()
            .map(|column| {
                let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
                for value in (0..column.len()).map(|r| column.get(r)).filter(|v| !v.is_empty()) {
                    *counts.entry(value).or_default() += 1;
                }
                counts.values().copied().max().unwrap_or(0)
            })
            .collect()
    }

    /// Records from columns in memory: `names[i]` is `columns[i]`; every
    /// column, `ids`, `truth` and `distinct_within` hold one value per record ("" when missing).
    pub fn from_columns(
        names: Vec<String>,
        columns: &[Vec<&str>],
        ids: &[&str],
        (truth, distinct_within): (Option<&[&str]>, Option<&[&str]>),
        label: &Path,
    ) -> Result<Records, LinkError> {
        let text = |values: &[&str]| {
            let mut column = TextColumn::default();
            for value in values {
                column.push(value);
            }
            column
        };
        let records = Records {
            names,
            columns: columns.par_iter().map(|c| text(c)).collect(),
            ids: text(ids),
            truth: truth.map(text),
            distinct_within: distinct_within.map(text),
            same_when_equal: None,
            input: vec![0; ids.len()],
        };
        canonical_order(records, &[label.to_path_buf()])
    }

    /// Empty records with the same columns.
    fn shape(&self) -> Records {
        Records {
            names: self.names.clone(),
            columns: vec![TextColumn::default(); self.columns.len()],
            ids: TextColumn::default(),
            truth: self.truth.as_ref().map(|_| TextColumn::default()),
            distinct_within: self.distinct_within.as_ref().map(|_| TextColumn::default()),
            same_when_equal: self.same_when_equal,
            input: Vec::new(),
        }
    }

    /// Appends `part`'s records, all from `input`.
    fn append(&mut self, part: Records, input: u8) {
        self.ids.append(&part.ids);
        if let (Some(truth), Some(more)) = (self.truth.as_mut(), part.truth.as_ref()) {
            truth.append(more);
        }
        if let (Some(apart), Some(more)) = (self.distinct_within.as_mut(), part.distinct_within.as_ref()) {
            apart.append(more);
        }
        for (column, more) in self.columns.iter_mut().zip(&part.columns) {
            column.append(more);
        }
        self.input.extend(std::iter::repeat_n(input, part.ids.len()));
    }

    pub fn column(&self, name: &str) -> Option<&TextColumn> {
        self.names.iter().position(|n| n == name).map(|i| &self.columns[i])
    }
}

/// Which columns hold the record id and the true entity.
#[derive(Debug, Clone)]
pub struct InputColumns {
    pub id: String,
    pub truth: Option<String>,
    /// Records sharing a value of this column are different entities.
    pub distinct_within: Option<String>,
}

impl InputColumns {
    /// Whether `name` is one of the columns that are read but never compared.
    fn is_side_column(&self, name: &str) -> bool {
        name == self.id || Some(name) == self.truth.as_deref() || Some(name) == self.distinct_within.as_deref()
    }
}

/// Reads every input; a second input must have the first one's columns.
pub fn read_inputs(paths: &[PathBuf], columns: &InputColumns) -> Result<Records, LinkError> {
    let mut records: Option<Records> = None;
    for (input, path) in paths.iter().enumerate() {
        let input = input as u8;
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet")) {
            let (header, rows) = read_parquet(path)?;
            let records = records.get_or_insert_with(|| empty_records(&header, columns));
            let layout = Layout::new(records, &header, columns, path)?;
            for row in rows.chunks_exact(header.len().max(1)) {
                layout.push(records, |i| row[i].as_str(), input);
            }
        } else {
            read_csv(path, columns, &mut records, input)?;
        }
    }
    let records = records.unwrap_or_else(|| empty_records(&[], columns));
    canonical_order(records, paths)
}

fn empty_records(header: &[String], columns: &InputColumns) -> Records {
    let names: Vec<String> = header.iter().filter(|h| !columns.is_side_column(h)).cloned().collect();
    Records {
        columns: vec![TextColumn::default(); names.len()],
        names,
        ids: TextColumn::default(),
        truth: columns.truth.as_ref().map(|_| TextColumn::default()),
        distinct_within: columns.distinct_within.as_ref().map(|_| TextColumn::default()),
        same_when_equal: None,
        input: Vec::new(),
    }
}

/// Where each of the records' columns sits in one input's rows.
struct Layout {
    id: usize,
    truth: Option<usize>,
    distinct_within: Option<usize>,
    compared: Vec<usize>,
}

impl Layout {
    fn new(records: &Records, header: &[String], columns: &InputColumns, path: &Path) -> Result<Layout, LinkError> {
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| LinkError::MissingColumn {
                    path: path.to_path_buf(),
                    column: name.to_string(),
                    found: header.join(", "),
                })
        };
        Ok(Layout {
            id: find(&columns.id)?,
            truth: columns.truth.as_deref().map(find).transpose()?,
            distinct_within: columns.distinct_within.as_deref().map(find).transpose()?,
            compared: records.names.iter().map(|n| find(n)).collect::<Result<_, _>>()?,
        })
    }

    fn push<'a>(&self, records: &mut Records, cell: impl Fn(usize) -> &'a str, input: u8) {
        records.ids.push(cell(self.id));
        if let (Some(column), Some(t)) = (records.truth.as_mut(), self.truth) {
            column.push(cell(t));
        }
        if let (Some(column), Some(d)) = (records.distinct_within.as_mut(), self.distinct_within) {
            column.push(cell(d));
        }
        for (column, &p) in records.columns.iter_mut().zip(&self.compared) {
            column.push(cell(p));
        }
        records.input.push(input);
    }
}

/// Sorts records by (input, id) and refuses duplicate or empty ids.
fn canonical_order(records: Records, paths: &[PathBuf]) -> Result<Records, LinkError> {
    let mut keyed: Vec<(u8, &str, u32)> = (0..records.len())
        .map(|r| (records.input[r], records.ids.get(r), r as u32))
        .collect();
    keyed.par_sort_unstable();
    let order: Vec<u32> = keyed.into_iter().map(|(_, _, r)| r).collect();
    for pair in order.windows(2) {
        let (a, b) = (pair[0] as usize, pair[1] as usize);
        if records.input[a] == records.input[b] && records.ids.get(a) == records.ids.get(b) {
            return Err(LinkError::DuplicateId {
                path: paths[records.input[a] as usize].clone(),
                id: records.ids.get(a).to_string(),
            });
        }
    }
    if let Some(&row) = order.iter().find(|&&r| records.ids.get(r as usize).is_empty()) {
        return Err(LinkError::EmptyId {
            path: paths[records.input[row as usize] as usize].clone(),
        });
    }
    Ok(Records {
        names: records.names,
        columns: records.columns.par_iter().map(|c| c.reordered(&order)).collect(),
        ids: records.ids.reordered(&order),
        truth: records.truth.as_ref().map(|c| c.reordered(&order)),
        distinct_within: records.distinct_within.as_ref().map(|c| c.reordered(&order)),
        same_when_equal: records.same_when_equal,
        input: order.iter().map(|&r| records.input[r as usize]).collect(),
    })
}

/// A header and the cells of every row, row after row.
type Table = (Vec<String>, Vec<String>);

/// Reads a CSV file's rows into `records` (created from its header if this is
/// the first input); a large quote-free file is parsed in pieces in parallel.
fn read_csv(path: &Path, columns: &InputColumns, records: &mut Option<Records>, input: u8) -> Result<(), LinkError> {
    let text = std::fs::read(path).map_err(|source| LinkError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(text).map_err(|e| LinkError::BadCsv {
        path: path.to_path_buf(),
        line: 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64,
        reason: "the text is not UTF-8; convert the file to UTF-8".into(),
    })?;
    let header: Vec<String> = csv::Reader::from_reader(text.as_bytes())
        .headers()
        .map_err(|e| bad_csv(path, &e, 0))?
        .iter()
        .map(str::to_string)
        .collect();
    let records = records.get_or_insert_with(|| empty_records(&header, columns));
    let layout = Layout::new(records, &header, columns, path)?;
    let parts: Vec<Result<Records, LinkError>> = pieces(&text)
        .par_iter()
        .enumerate()
        .map(|(k, piece)| read_piece(path, piece, k == 0, &layout, records.shape()))
        .collect();
    for part in parts {
        records.append(part?, input);
    }
    Ok(())
}

fn read_piece(
    path: &Path,
    piece: &Piece,
    has_header: bool,
    layout: &Layout,
    shape: Records,
) -> Result<Records, LinkError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .has_headers(has_header)
        .from_reader(piece.text.as_bytes());
    let mut part = shape;
    let mut row = csv::StringRecord::new();
    while reader
        .read_record(&mut row)
        .map_err(|e| bad_csv(path, &e, piece.lines_before))?
    {
        layout.push(&mut part, |i| &row[i], 0);
    }
    Ok(part)
}

fn bad_csv(path: &Path, error: &csv::Error, lines_before: u64) -> LinkError {
    let line = lines_before + error.position().map(|p| p.line()).unwrap_or(0);
    let reason = match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8; convert the file to UTF-8".to_string(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields where the header has {expected_len}; check quoting")
        }
        _ => "unreadable CSV".to_string(),
    };
    LinkError::BadCsv {
        path: path.to_path_buf(),
        line,
        reason,
    }
}

fn read_parquet(path: &Path) -> Result<Table, LinkError> {
    let fail = |e: PolarsError| LinkError::BadParquet {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(|source| LinkError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let frame = ParquetReader::new(file).finish().map_err(fail)?;
    let header: Vec<String> = frame.get_column_names().iter().map(|n| n.to_string()).collect();
    let mut text_columns = Vec::with_capacity(header.len());
    for column in frame.columns() {
        let cast = column.cast(&DataType::String).map_err(fail)?;
        let values: Vec<String> = cast
            .str()
            .map_err(fail)?
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect();
        text_columns.push(values);
    }
    let rows = (0..frame.height())
        .flat_map(|r| text_columns.iter().map(move |c| c[r].clone()))
        .collect();
    Ok((header, rows))
}
