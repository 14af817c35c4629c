//! Writing large CSV tables quickly: lines are formatted in parallel chunks,
//! a few batches of chunks at a time (so memory stays bounded), and written
//! in order, so the bytes are the same as writing row by row; fields are
//! quoted exactly as the `csv` crate quotes them.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

/// Rows per chunk formatted on one thread.
const CHUNK: usize = 16_384;

/// Writes a header and `rows` rows (`row(i)` gives the i-th) to `path`.
pub fn write_rows<F>(path: &Path, header: &[String], rows: usize, row: F) -> std::io::Result<()>
where
    F: Fn(usize) -> Vec<String> + Sync,
{
    write_lines(path, header, rows, |i, line| {
        for cell in row(i) {
            line.field(&cell);
        }
    })
}

/// One CSV line being written: each field is quoted only where CSV needs it
/// (a comma, a quote or a line break), as the `csv` crate writes them.
pub struct Line<'a> {
    out: &'a mut Vec<u8>,
    started: bool,
}

impl<'a> Line<'a> {
    /// A line appended to `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Line<'a> {
        Line { out, started: false }
    }

    pub fn field(&mut self, text: &str) {
        self.separate();
        escape_into(self.out, text);
    }

    /// Fields already escaped and joined by commas (written once by another [`Line`]).
    pub fn fragment(&mut self, escaped: &[u8]) {
        self.separate();
        self.out.extend_from_slice(escaped);
    }

    fn separate(&mut self) {
        if self.started {
            self.out.push(b',');
        }
        self.started = true;
    }
}

fn escape_into(out: &mut Vec<u8>, text: &str) {
    if !text.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    out.push(b'"');
    for b in text.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Writes a header and `rows` lines (`line(i, …)` writes the i-th) to `path`, like [`write_rows`].
pub fn write_lines<F>(path: &Path, header: &[String], rows: usize, line: F) -> std::io::Result<()>
where
    F: Fn(usize, &mut Line) + Sync,
{
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut head = Vec::new();
    let mut names = Line::new(&mut head);
    for name in header {
        names.field(name);
    }
    head.push(b'\n');
    file.write_all(&head)?;
    let chunks = rows.div_ceil(CHUNK);
    let batch = rayon::current_num_threads() * 4;
    for first in (0..chunks).step_by(batch) {
        let formatted_batch: Vec<Vec<u8>> = (first..(first + batch).min(chunks))
            .into_par_iter()
            .map(|k| {
                let mut out = Vec::new();
                for i in k * CHUNK..((k + 1) * CHUNK).min(rows) {
                    let mut current = Line::new(&mut out);
                    line(i, &mut current);
                    out.push(b'\n');
                }
                out
            })
            .collect();
        for chunk in formatted_batch {
            file.write_all(&chunk)?;
        }
    }
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_quote_exactly_as_the_csv_crate_does() {
        let fields = ["plain", "", "a,b", "say \"hi\"", "two\nlines", "cr\r", " spaced "];
        let dir = tempfile::tempdir().unwrap();
        let (by_rows, by_lines) = (dir.path().join("rows.csv"), dir.path().join("lines.csv"));
        let header = vec!["h".to_string(); fields.len()];
        let row = |_: usize| fields.iter().map(|f| f.to_string()).collect::<Vec<_>>();
        write_rows(&by_rows, &header, 3, row).unwrap();
        let mut rest = Vec::new();
        let mut written = Line::new(&mut rest);
        for field in &fields[1..] {
            written.field(field);
        }
        write_lines(&by_lines, &header, 3, |_, line| {
            line.field(fields[0]);
            line.fragment(&rest);
        })
        .unwrap();
        let mut expected = csv::Writer::from_writer(Vec::new());
        expected.write_record(&header).unwrap();
        for _ in 0..3 {
            expected.write_record(fields).unwrap();
        }
        let expected = expected.into_inner().unwrap();
        assert_eq!(std::fs::read(by_rows).unwrap(), expected);
        assert_eq!(std::fs::read(by_lines).unwrap(), expected);
    }
}
