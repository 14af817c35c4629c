//! The records to link: one or two CSV or Parquet files read into compact
//! text columns, put in a canonical order (input, then id) so that the
//! order of rows in a file can never change the result.

use std::path::{Path, PathBuf};

use polars::prelude::*;

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

    pub fn column(&self, name: &str) -> Option<&TextColumn> {
        self.names.iter().position(|n| n == name).map(|i| &self.columns[i])
    }
}

/// Which columns hold the record id and the true entity.
#[derive(Debug, Clone)]
pub struct InputColumns {
    pub id: String,
    pub truth: Option<String>,
}

/// Reads every input; a second input must have the first one's columns.
pub fn read_inputs(paths: &[PathBuf], columns: &InputColumns) -> Result<Records, LinkError> {
    let mut records: Option<Records> = None;
    for (input, path) in paths.iter().enumerate() {
        let (header, rows) = read_table(path)?;
        let records = records.get_or_insert_with(|| empty_records(&header, columns));
        let layout = Layout::new(records, &header, columns, path)?;
        for row in rows.chunks_exact(header.len().max(1)) {
            layout.push(records, row, input as u8);
        }
    }
    let records = records.unwrap_or_else(|| empty_records(&[], columns));
    canonical_order(records, paths)
}

fn empty_records(header: &[String], columns: &InputColumns) -> Records {
    let names: Vec<String> = header
        .iter()
        .filter(|h| **h != columns.id && Some(*h) != columns.truth.as_ref())
        .cloned()
        .collect();
    Records {
        columns: vec![TextColumn::default(); names.len()],
        names,
        ids: TextColumn::default(),
        truth: columns.truth.as_ref().map(|_| TextColumn::default()),
        input: Vec::new(),
    }
}

/// Where each of the records' columns sits in one input's rows.
struct Layout {
    id: usize,
    truth: Option<usize>,
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
            compared: records.names.iter().map(|n| find(n)).collect::<Result<_, _>>()?,
        })
    }

    fn push(&self, records: &mut Records, row: &[String], input: u8) {
        records.ids.push(&row[self.id]);
        if let (Some(column), Some(t)) = (records.truth.as_mut(), self.truth) {
            column.push(&row[t]);
        }
        for (column, &p) in records.columns.iter_mut().zip(&self.compared) {
            column.push(&row[p]);
        }
        records.input.push(input);
    }
}

/// Sorts records by (input, id) and refuses duplicate or empty ids.
fn canonical_order(records: Records, paths: &[PathBuf]) -> Result<Records, LinkError> {
    let mut order: Vec<u32> = (0..records.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        (records.input[a], records.ids.get(a)).cmp(&(records.input[b], records.ids.get(b)))
    });
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
        columns: records.columns.iter().map(|c| c.reordered(&order)).collect(),
        ids: records.ids.reordered(&order),
        truth: records.truth.as_ref().map(|c| c.reordered(&order)),
        input: order.iter().map(|&r| records.input[r as usize]).collect(),
    })
}

/// A header and the cells of every row, row after row.
type Table = (Vec<String>, Vec<String>);

fn read_table(path: &Path) -> Result<Table, LinkError> {
    let is_parquet = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    if is_parquet {
        read_parquet(path)
    } else {
        read_csv(path)
    }
}

fn read_csv(path: &Path) -> Result<Table, LinkError> {
    let io = |source| LinkError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| io(std::io::Error::other(e)))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad_csv(path, &e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad_csv(path, &e))?;
        rows.extend(record.iter().map(str::to_string));
    }
    Ok((header, rows))
}

fn bad_csv(path: &Path, error: &csv::Error) -> LinkError {
    let line = error.position().map(|p| p.line()).unwrap_or(0);
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
