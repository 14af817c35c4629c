//! CSV text into a header and rows. A file with no quote character is split
//! in place (its fields are slices of its own text, nothing copied), a large
//! one in pieces cut at line ends and split in parallel; any other file goes
//! through the csv parser in one piece, because a quote may hide a delimiter
//! or a line end inside a field. Both read a quote-free text alike: records
//! end at `\n`, `\r` or `\r\n`, blank lines are skipped, and a row's line
//! is counted in `\n`s.

use std::path::Path;

use csv::StringRecord;
use rayon::prelude::*;

use super::error::IngestError;
use super::rows::{RowSpans, TextRows};
use crate::text_pieces::{newlines, quote_free_pieces};

/// The rows of a text as found: where they lie in it, or copied out of it.
pub enum FoundRows {
    InText(Vec<RowSpans>),
    Copied(TextRows),
}

impl FoundRows {
    /// The rows, given the text they were found in.
    pub fn with_text(self, text: String) -> TextRows {
        match self {
            FoundRows::InText(spans) => TextRows::over(text, spans),
            FoundRows::Copied(rows) => rows,
        }
    }
}

/// The header (trimmed) and the rows of `text` from byte `body_start` on, each row with its line in the file.
pub fn read_csv(
    path: &Path,
    text: &str,
    body_start: usize,
    delimiter: u8,
) -> Result<(Vec<String>, FoundRows), IngestError> {
    let body = text.get(body_start..).unwrap_or("");
    if body.trim().is_empty() {
        return Err(IngestError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    if memchr::memchr(b'"', body.as_bytes()).is_some() || matches!(delimiter, b'"' | b'\r' | b'\n') {
        let (header, rows) = parse_quoted(path, body, delimiter)?;
        return Ok((header, FoundRows::Copied(rows)));
    }
    let (header, spans) = split_in_place(text, body_start, delimiter);
    Ok((header, FoundRows::InText(spans)))
}

/// Splits a quote-free text: the first record is the header, the rest are rows over the text itself.
fn split_in_place(text: &str, body_start: usize, delimiter: u8) -> (Vec<String>, Vec<RowSpans>) {
    let bytes = text.as_bytes();
    let header_start = body_start + bytes[body_start..].iter().take_while(|b| is_line_end(**b)).count();
    let header_end = header_start + record_length(&bytes[header_start..]);
    let header = text[header_start..header_end]
        .split(char::from(delimiter))
        .map(|h| h.trim().to_string())
        .collect();
    let lines_before_rows = newlines(&bytes[..header_end]);
    // The caller found no quote in the text, so it need not be looked for again.
    let spans: Vec<RowSpans> = quote_free_pieces(&text[header_end..])
        .par_iter()
        .map(|piece| {
            let lines_before = lines_before_rows + piece.lines_before;
            split_piece(piece.text.as_bytes(), header_end + piece.start, lines_before, delimiter)
        })
        .collect();
    (header, spans)
}

/// The rows of a piece of quote-free text that starts `offset` bytes into the file text, after `lines_before` lines.
///
/// One pass finds every delimiter and line end; a record is a run of bytes
/// between line ends, and an empty one (a blank line) is skipped.
fn split_piece(bytes: &[u8], offset: usize, lines_before: u64, delimiter: u8) -> RowSpans {
    let mut spans = RowSpans::with_capacity(bytes.len() / 64);
    let mut line = lines_before + 1;
    let mut record_start = 0;
    for at in memchr::memchr3_iter(delimiter, b'\r', b'\n', bytes) {
        if bytes[at] == delimiter {
            spans.field_end(offset + at);
            continue;
        }
        if at > record_start {
            spans.row_end(line, offset + record_start, offset + at);
        }
        line += u64::from(bytes[at] == b'\n');
        record_start = at + 1;
    }
    if bytes.len() > record_start {
        spans.row_end(line, offset + record_start, offset + bytes.len());
    }
    spans
}

fn is_line_end(byte: u8) -> bool {
    matches!(byte, b'\r' | b'\n')
}

/// The bytes up to the first line end (all of them when there is none).
fn record_length(bytes: &[u8]) -> usize {
    bytes.iter().position(|b| is_line_end(*b)).unwrap_or(bytes.len())
}

/// The header and rows of a text read by the csv parser, quotes and all; the rows' text is copied out.
fn parse_quoted(path: &Path, text: &str, delimiter: u8) -> Result<(Vec<String>, TextRows), IngestError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let malformed = |line: u64, error: csv::Error| IngestError::MalformedCsv {
        path: path.to_path_buf(),
        line,
        reason: error.kind_summary(),
    };
    let header = reader
        .headers()
        .map_err(|e| malformed(1, e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = TextRows::with_capacity(text.len(), text.len() / 64);
    let mut record = StringRecord::new();
    let mut lines = LineCounter::new(text.as_bytes());
    loop {
        let before = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let start = record.position().map_or(before, |p| p.byte());
                rows.push(lines.line_at(start), record.iter());
            }
            Err(error) => return Err(malformed(lines.line_at(before), error)),
        }
    }
    Ok((header, rows))
}

/// Line numbers of record starts, counted from the text itself: the csv
/// crate's own line count runs one behind after a CRLF ending or a blank line.
struct LineCounter<'a> {
    bytes: &'a [u8],
    scanned_to: usize,
    newlines: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> LineCounter<'a> {
        LineCounter {
            bytes,
            scanned_to: 0,
            newlines: 0,
        }
    }

    /// The line of the record the reader placed at byte `start` (which may
    /// point at the line ending before it). Starts must not decrease.
    fn line_at(&mut self, start: u64) -> u64 {
        let mut start = (start as usize).clamp(self.scanned_to, self.bytes.len());
        while self.bytes.get(start).is_some_and(|b| is_line_end(*b)) {
            start += 1;
        }
        self.newlines += newlines(&self.bytes[self.scanned_to..start]);
        self.scanned_to = start;
        self.newlines + 1
    }
}

trait KindSummary {
    fn kind_summary(&self) -> String;
}

impl KindSummary for csv::Error {
    /// The csv crate's message without any field contents.
    fn kind_summary(&self) -> String {
        match self.kind() {
            csv::ErrorKind::Utf8 { .. } => "text that is not valid UTF-8".into(),
            csv::ErrorKind::Io(e) => e.to_string(),
            _ => "malformed CSV structure".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text_pieces::{pieces, PARALLEL_FROM_BYTES};

    fn read(text: &str, body_start: usize, delimiter: u8) -> (Vec<String>, TextRows) {
        let (header, found) = read_csv(Path::new("t.csv"), text, body_start, delimiter).unwrap();
        (header, found.with_text(text.to_string()))
    }

    fn rows_of(rows: &TextRows) -> Vec<(u64, Vec<String>)> {
        rows.iter()
            .map(|r| (r.line, r.fields().map(str::to_string).collect()))
            .collect()
    }

    /// A large quote-free file with CRLF, LF and lone CR endings, blank lines,
    /// ragged rows, empty fields and a last line with no line end.
    fn large_text() -> String {
        let mut text = String::from("\n a , b,c\r\n");
        for i in 0..400_000 {
            match i % 97 {
                0 => text.push('\n'),
                1 => text.push_str(&format!("{i},only-two\n")),
                2 => text.push_str(&format!("{i},x,y,z\r\n")),
                3 => text.push_str(",,\r\n\r\n"),
                4 => text.push_str(&format!("{i},cr\r{i},alone\n")),
                _ => text.push_str(&format!("{i},name {i},é{}\n", i % 13)),
            }
        }
        text.push_str("last,line,");
        text
    }

    #[test]
    fn splitting_in_place_reads_exactly_what_the_csv_parser_reads() {
        let text = large_text();
        assert!(text.len() >= PARALLEL_FROM_BYTES);
        assert!(pieces(&text).len() > 1, "the text is cut");
        let (header, rows) = read(&text, 0, b',');
        let (parsed_header, parsed_rows) = parse_quoted(Path::new("t.csv"), &text, b',').unwrap();
        assert_eq!(header, ["a", "b", "c"]);
        assert_eq!(header, parsed_header);
        assert_eq!(rows_of(&rows), rows_of(&parsed_rows));
        assert_eq!(rows.len(), parsed_rows.len());
        // Blank lines are skipped; line numbers count them.
        assert_eq!(rows.row(0).line, 4, "lines 1 and 3 are blank");
        assert_eq!(
            rows.row(rows.len() - 1).fields().collect::<Vec<_>>(),
            ["last", "line", ""]
        );
    }

    #[test]
    fn a_byte_order_mark_before_the_header_is_skipped() {
        let text = String::from("\u{feff}a;b\n1;2\n");
        let (header, rows) = read(&text, 3, b';');
        assert_eq!(header, ["a", "b"]);
        assert_eq!(rows_of(&rows), [(2, vec!["1".to_string(), "2".to_string()])]);
    }

    #[test]
    fn line_numbers_count_crlf_endings_and_blank_lines() {
        for (text, lines) in [
            ("a,b\n1,2\n3,4\n", [2, 3]),
            ("a,b\r\n1,2\r\n3,4\r\n", [2, 3]),
            ("a,b\r\n\n1,2\n3,4\n", [3, 4]),
            ("a,b\n1,2\n\n\n3,4", [2, 5]),
            ("a,b\n\"x\ny\",2\n3,4\n", [2, 4]),
        ] {
            let (_, rows) = read(text, 0, b',');
            assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), lines, "{text:?}");
        }
    }

    #[test]
    fn a_quote_anywhere_keeps_the_file_in_one_piece() {
        let mut text = large_text();
        text.push_str("\n1,\"two\nlines\",3\n");
        assert_eq!(pieces(&text).len(), 1);
        let (_, rows) = read(&text, 0, b',');
        assert_eq!(rows.row(rows.len() - 1).get(1), Some("two\nlines"));
    }
}
