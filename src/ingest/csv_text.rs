//! CSV text into a header and rows. A large file with no quote character is
//! cut at line ends into pieces parsed in parallel; any other file is parsed
//! in one piece, because a quote may hide a line end inside a field.

use std::path::Path;

use csv::StringRecord;
use rayon::prelude::*;

use super::error::IngestError;
use super::rows::TextRows;
use crate::text_pieces::{pieces, Piece};

/// The header (trimmed) and the rows of `text`, each row with its line in the file.
pub fn read_csv(path: &Path, text: &str, delimiter: u8) -> Result<(Vec<String>, TextRows), IngestError> {
    if text.trim().is_empty() {
        return Err(IngestError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let pieces = pieces(text);
    let parsed: Vec<Result<ParsedPiece, IngestError>> = pieces
        .par_iter()
        .enumerate()
        .map(|(k, piece)| parse_piece(path, piece, delimiter, k == 0))
        .collect();
    let mut header = Vec::new();
    let mut rows = TextRows::default();
    for result in parsed {
        let (piece_header, piece_rows) = result?;
        header = piece_header.unwrap_or(header);
        rows.append(piece_rows);
    }
    Ok((header, rows))
}

/// A piece's header (the first piece only) and rows.
type ParsedPiece = (Option<Vec<String>>, TextRows);

fn parse_piece(path: &Path, piece: &Piece, delimiter: u8, has_header: bool) -> Result<ParsedPiece, IngestError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(has_header)
        .from_reader(piece.text.as_bytes());
    let malformed = |line: u64, error: csv::Error| IngestError::MalformedCsv {
        path: path.to_path_buf(),
        line: piece.lines_before + line,
        reason: error.kind_summary(),
    };
    let header = match has_header {
        true => Some(
            reader
                .headers()
                .map_err(|e| malformed(1, e))?
                .iter()
                .map(|h| h.trim().to_string())
                .collect(),
        ),
        false => None,
    };
    let mut rows = TextRows::with_capacity(piece.text.len(), piece.text.len() / 64);
    let mut record = StringRecord::new();
    let mut lines = LineCounter::new(piece.text.as_bytes());
    loop {
        let before = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let start = record.position().map_or(before, |p| p.byte());
                rows.push(piece.lines_before + lines.line_at(start), record.iter());
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
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        self.newlines += self.bytes[self.scanned_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
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
    use crate::text_pieces::PARALLEL_FROM_BYTES;

    fn rows_of(rows: &TextRows) -> Vec<(u64, Vec<String>)> {
        rows.iter()
            .map(|r| (r.line, r.fields().map(str::to_string).collect()))
            .collect()
    }

    /// A large quote-free file with CRLF and LF endings, blank lines and ragged rows.
    fn large_text() -> String {
        let mut text = String::from("a,b,c\r\n");
        for i in 0..400_000 {
            match i % 97 {
                0 => text.push('\n'),
                1 => text.push_str(&format!("{i},only-two\n")),
                2 => text.push_str(&format!("{i},x,y,z\r\n")),
                _ => text.push_str(&format!("{i},name {i},é{}\n", i % 13)),
            }
        }
        text
    }

    #[test]
    fn parallel_pieces_read_exactly_what_one_piece_reads() {
        let text = large_text();
        assert!(text.len() >= PARALLEL_FROM_BYTES);
        assert!(pieces(&text).len() > 1, "the text is cut");
        let (header, rows) = read_csv(Path::new("t.csv"), &text, b',').unwrap();
        let whole = Piece {
            text: &text,
            lines_before: 0,
        };
        let (one_header, one_rows) = parse_piece(Path::new("t.csv"), &whole, b',', true).unwrap();
        assert_eq!(Some(header), one_header);
        assert_eq!(rows_of(&rows), rows_of(&one_rows));
        // Blank lines are skipped; line numbers count them.
        assert_eq!(rows.row(0).line, 3, "line 2 is blank");
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
            let (_, rows) = read_csv(Path::new("t.csv"), text, b',').unwrap();
            assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), lines, "{text:?}");
        }
    }

    #[test]
    fn a_quote_anywhere_keeps_the_file_in_one_piece() {
        let mut text = large_text();
        text.push_str("1,\"two\nlines\",3\n");
        assert_eq!(pieces(&text).len(), 1);
        let (_, rows) = read_csv(Path::new("t.csv"), &text, b',').unwrap();
        assert_eq!(rows.row(rows.len() - 1).get(1), Some("two\nlines"));
    }
}
