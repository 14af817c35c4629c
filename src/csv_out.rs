//! Writing large CSV tables quickly: lines are formatted in parallel chunks,
//! a few batches of chunks at a time (so memory stays bounded), and written
//! in order, so the bytes are the same as writing row by row; fields are
//! quoted exactly as the `csv` crate quotes them.
//!
//! Every text is made safe to open in a spreadsheet ([`crate::cell_safety`]):
//! one that Excel would read as a formula is written with a leading `'`
//! inside a quoted field.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::cell_safety::is_formula_like;

/// Rows per chunk formatted on one thread.
const CHUNK: usize = 4_096;

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
/// (a comma, a quote or a line break), as the `csv` crate writes them, or
/// where it must be neutralised as a formula.
pub struct Line<'a> {
    out: &'a mut Vec<u8>,
    start: usize,
    fields: usize,
}

impl<'a> Line<'a> {
    /// A line appended to `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Line<'a> {
        let start = out.len();
        Line { out, start, fields: 0 }
    }

    /// Ends the line. A line of one empty field is written `""`, as the
    /// `csv` crate writes it: a blank line would be skipped by a reader.
    pub fn end(self) {
        if self.fields == 1 && self.out.len() == self.start {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.push(b'\n');
    }

    pub fn field(&mut self, text: &str) {
        self.separate();
        escape_into(self.out, text.as_bytes());
    }

    /// Fields already escaped and joined by commas (written once by another [`Line`]).
    pub fn fragment(&mut self, escaped: &[u8]) {
        self.separate();
        self.out.extend_from_slice(escaped);
    }

    /// A field that `write` appends straight to the line (no text of its
    /// own to allocate), quoted afterwards where it needs it.
    pub fn field_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        self.separate();
        let start = self.out.len();
        write(self.out);
        let written = &self.out[start..];
        if needs_quotes(written) || is_formula_like(written) {
            let raw = self.out.split_off(start);
            escape_into(self.out, &raw);
        }
    }

    /// A whole number.
    pub fn number(&mut self, value: u64) {
        self.field_with(|out| push_decimal(out, value));
    }

    /// A whole number that may be negative.
    pub fn number_signed(&mut self, value: i64) {
        self.field_with(|out| {
            if value < 0 {
                out.push(b'-');
            }
            push_decimal(out, value.unsigned_abs());
        });
    }

    /// Texts joined by `|`, as one field.
    pub fn joined<'t>(&mut self, parts: impl IntoIterator<Item = &'t [u8]>) {
        self.joined_with(parts, |part, out| out.extend_from_slice(part));
    }

    /// Items joined by `|`, as one field, each appended by `write`.
    pub fn joined_with<T>(&mut self, items: impl IntoIterator<Item = T>, write: impl Fn(T, &mut Vec<u8>)) {
        self.field_with(|out| {
            for (n, item) in items.into_iter().enumerate() {
                if n > 0 {
                    out.push(b'|');
                }
                write(item, out);
            }
        });
    }

    fn separate(&mut self) {
        if self.fields > 0 {
            self.out.push(b',');
        }
        self.fields += 1;
    }
}

/// Looks at every byte without stopping early, which lets the compiler
/// compare many at a time (most fields need no quotes, so are read whole anyway).
fn needs_quotes(text: &[u8]) -> bool {
    text.iter()
        .fold(false, |found, &b| found | matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

fn escape_into(out: &mut Vec<u8>, text: &[u8]) {
    let formula = is_formula_like(text);
    if !formula && !needs_quotes(text) {
        out.extend_from_slice(text);
        return;
    }
    out.push(b'"');
    if formula {
        out.push(b'\'');
    }
    for (n, run) in text.split(|&b| b == b'"').enumerate() {
        if n > 0 {
            out.extend_from_slice(b"\"\"");
        }
        out.extend_from_slice(run);
    }
    out.push(b'"');
}

/// `value` in decimal digits, appended to `out`.
pub fn push_decimal(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

/// Writes a header and `rows` lines (`line(i, …)` writes the i-th) to `path`, like [`write_rows`].
pub fn write_lines<F>(path: &Path, header: &[String], rows: usize, line: F) -> std::io::Result<()>
where
    F: Fn(usize, &mut Line) + Sync,
{
    TableWriter::default().write_lines(path, header, rows, line)
}

/// Writes tables one after another through the same formatting buffers, so
/// a run that writes several large tables takes that memory once (fresh
/// buffers per table, each grown by doubling, were a tenth of a national
/// detect run's page faults).
#[derive(Default)]
pub struct TableWriter {
    /// Two sets of per-chunk buffers: one is formatted while the other is written.
    sets: [Vec<Vec<u8>>; 2],
}

impl TableWriter {
    /// Writes a header and `rows` lines (`line(i, …)` writes the i-th) to `path`.
    pub fn write_lines<F>(&mut self, path: &Path, header: &[String], rows: usize, line: F) -> std::io::Result<()>
    where
        F: Fn(usize, &mut Line) + Sync,
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        let mut head = Vec::new();
        let mut names = Line::new(&mut head);
        for name in header {
            names.field(name);
        }
        names.end();
        file.write_all(&head)?;
        let chunks = rows.div_ceil(CHUNK);
        let batch = rayon::current_num_threads() * 2;
        for set in &mut self.sets {
            if set.len() < batch {
                set.resize_with(batch, Vec::new);
            }
        }
        // Formats the chunks from `first` (a batch of them, or what is left)
        // into `buffers`; returns how many it formatted.
        let format_batch = |first: usize, buffers: &mut [Vec<u8>]| -> usize {
            let count = chunks.saturating_sub(first).min(batch);
            buffers[..count].par_iter_mut().enumerate().for_each(|(j, out)| {
                out.clear();
                let k = first + j;
                for i in k * CHUNK..((k + 1) * CHUNK).min(rows) {
                    let mut current = Line::new(out);
                    line(i, &mut current);
                    current.end();
                }
            });
            count
        };
        // Each batch is written while the next one is formatted; the two sets
        // of buffers take turns.
        let [formatted, spare] = &mut self.sets;
        let mut ready = format_batch(0, formatted);
        for first in (batch..chunks + batch).step_by(batch) {
            let (next, written) = rayon::join(
                || format_batch(first, spare),
                || formatted[..ready].iter().try_for_each(|chunk| file.write_all(chunk)),
            );
            written?;
            std::mem::swap(formatted, spare);
            ready = next;
        }
        file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_quote_exactly_as_the_csv_crate_does() {
        let fields = [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "\"\"lead\"",
            "two\nlines",
            "cr\r",
            " spaced ",
        ];
        let dir = crate::scratch::ScratchDir::new();
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

    #[test]
    fn fields_written_in_place_are_quoted_as_whole_fields_are() {
        let (mut whole, mut in_place) = (Vec::new(), Vec::new());
        let mut line = Line::new(&mut whole);
        let signed = [i64::MIN, -7, 0, i64::MAX];
        for field in ["a|b,c|d", "0", "18446744073709551615", "say \"x\"", "plain"] {
            line.field(field);
        }
        for value in signed {
            line.field(&value.to_string());
        }
        let mut line = Line::new(&mut in_place);
        line.joined([&b"a"[..], b"b,c", b"d"]);
        line.number(0);
        line.number(u64::MAX);
        line.field_with(|out| out.extend_from_slice(b"say \"x\""));
        line.joined_with(["plain"], |text, out| out.extend_from_slice(text.as_bytes()));
        for value in signed {
            line.number_signed(value);
        }
        assert_eq!(
            String::from_utf8(in_place).unwrap(),
            String::from_utf8(whole.clone()).unwrap()
        );
        assert!(
            whole.starts_with(b"\"a|b,c|d\",0,18446744073709551615,\"say \"\"x\"\"\",plain,-9223372036854775808,-7,")
        );
    }

    #[test]
    fn many_batches_are_written_whole_and_in_order() {
        let dir = crate::scratch::ScratchDir::new();
        let path = dir.path().join("many.csv");
        let rows = 3 * CHUNK * rayon::current_num_threads() * 2 + 17;
        write_rows(&path, &["n".to_string()], rows, |i| vec![i.to_string()]).unwrap();
        let mut expected = String::from("n\n");
        for i in 0..rows {
            expected.push_str(&format!("{i}\n"));
        }
        assert_eq!(std::fs::read_to_string(path).unwrap(), expected);
    }

    #[test]
    fn tables_written_through_one_writer_equal_tables_written_alone() {
        let dir = crate::scratch::ScratchDir::new();
        let batch_rows = CHUNK * rayon::current_num_threads() * 2;
        // Long lines first, so every buffer holds text from before; then a
        // table ending mid-batch, an empty one, and one of a single line.
        let tables = [(5 * batch_rows + 3, 40), (batch_rows + CHUNK / 2, 3), (0, 1), (1, 2)];
        let line = |width: usize| move |i: usize, line: &mut Line| line.field(&format!("{i:0width$}"));
        let mut shared = TableWriter::default();
        for (n, &(rows, width)) in tables.iter().enumerate() {
            let (together, alone) = (
                dir.path().join(format!("t{n}.csv")),
                dir.path().join(format!("a{n}.csv")),
            );
            let header = ["n".to_string()];
            shared.write_lines(&together, &header, rows, line(width)).unwrap();
            write_lines(&alone, &header, rows, line(width)).unwrap();
            let written = std::fs::read(&together).unwrap();
            assert_eq!(written, std::fs::read(&alone).unwrap(), "table {n}");
            assert_eq!(written.iter().filter(|&&b| b == b'\n').count(), rows + 1, "table {n}");
        }
    }

    #[test]
    fn a_row_of_one_empty_field_is_written_as_the_csv_crate_writes_it() {
        let dir = crate::scratch::ScratchDir::new();
        let path = dir.path().join("one.csv");
        let values = ["a", "", "b"];
        write_rows(&path, &["only".to_string()], values.len(), |i| {
            vec![values[i].to_string()]
        })
        .unwrap();
        let mut expected = csv::Writer::from_writer(Vec::new());
        expected.write_record(["only"]).unwrap();
        for value in values {
            expected.write_record([value]).unwrap();
        }
        let written = std::fs::read(&path).unwrap();
        assert_eq!(written, expected.into_inner().unwrap());
        let read_back: Vec<String> = csv::Reader::from_path(&path)
            .unwrap()
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect();
        assert_eq!(read_back, values, "no row is lost");
    }

    #[test]
    fn formula_like_fields_are_quoted_with_a_leading_quote_and_numbers_are_not() {
        let mut bytes = Vec::new();
        let mut line = Line::new(&mut bytes);
        line.field("=HYPERLINK(\"x\")");
        line.field("-7");
        line.number_signed(-7);
        line.field_with(|out| out.extend_from_slice(b"@SUM(1)"));
        line.field("Smith");
        line.end();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\"'=HYPERLINK(\"\"x\"\")\",-7,-7,\"'@SUM(1)\",Smith\n"
        );
    }

    #[test]
    fn no_rows_give_the_header_alone() {
        let dir = crate::scratch::ScratchDir::new();
        let path = dir.path().join("empty.csv");
        write_rows(&path, &["a".to_string(), "b".to_string()], 0, |_| Vec::new()).unwrap();
        assert_eq!(std::fs::read_to_string(path).unwrap(), "a,b\n");
    }
}
