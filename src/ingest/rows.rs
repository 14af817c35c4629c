//! The text rows of one export file, stored flat: the text in one buffer and
//! every field's end in one array, so that reading a million rows costs a
//! handful of allocations rather than a few per row.
//!
//! The buffer is either the file's own text (a quote-free file is split in
//! place, nothing copied) or the fields copied out of a quoted file by the
//! csv parser. Either way a row's fields lie one after another with one
//! separator byte between them, so a field starts one byte after the end of
//! the field before it.

use std::hash::BuildHasher;

/// What follows each copied field: one byte, like the delimiter it replaces.
const SEPARATOR: char = '\u{1f}';

/// Rows of text fields, each with the line of the file it started on.
#[derive(Debug, Default)]
pub struct TextRows {
    text: String,
    /// The rows' positions, piece by piece (a file split in parallel keeps its pieces).
    pieces: Vec<RowSpans>,
    /// The index of each piece's first row.
    first_rows: Vec<usize>,
    len: usize,
}

/// Where the rows and fields lie in a text: positions only, no text.
#[derive(Debug, Default)]
pub struct RowSpans {
    /// Start of each row's first field.
    row_starts: Vec<usize>,
    /// End of each field, all rows one after another.
    field_ends: Vec<usize>,
    /// End of each row in `field_ends`.
    row_ends: Vec<usize>,
    lines: Vec<u64>,
}

impl RowSpans {
    pub fn with_capacity(rows: usize) -> RowSpans {
        RowSpans {
            row_starts: Vec::with_capacity(rows),
            field_ends: Vec::with_capacity(rows * 8),
            row_ends: Vec::with_capacity(rows),
            lines: Vec::with_capacity(rows),
        }
    }

    /// Adds a row that started on `line`, its first field at `start`, its fields ending at `ends`.
    pub fn push(&mut self, line: u64, start: usize, ends: impl IntoIterator<Item = usize>) {
        self.field_ends.extend(ends);
        self.close_row(line, start);
    }

    /// Marks the end of a field of the row being split.
    pub fn field_end(&mut self, end: usize) {
        self.field_ends.push(end);
    }

    /// Ends the row being split: its last field ends at `end`; it started on `line` at `start`.
    pub fn row_end(&mut self, line: u64, start: usize, end: usize) {
        self.field_ends.push(end);
        self.close_row(line, start);
    }

    fn close_row(&mut self, line: u64, start: usize) {
        self.row_starts.push(start);
        self.row_ends.push(self.field_ends.len());
        self.lines.push(line);
    }

    fn len(&self) -> usize {
        self.row_ends.len()
    }
}

impl TextRows {
    pub fn with_capacity(bytes: usize, rows: usize) -> TextRows {
        TextRows::over(
            String::with_capacity(bytes + rows * 8),
            vec![RowSpans::with_capacity(rows)],
        )
    }

    /// The rows of `text` at the positions in `pieces`, taken in order.
    pub fn over(text: String, pieces: Vec<RowSpans>) -> TextRows {
        let mut first_rows = Vec::with_capacity(pieces.len());
        let mut len = 0;
        for piece in &pieces {
            first_rows.push(len);
            len += piece.len();
        }
        TextRows {
            text,
            pieces,
            first_rows,
            len,
        }
    }

    /// Appends a row that started on `line`, copying its fields.
    pub fn push<'a>(&mut self, line: u64, fields: impl IntoIterator<Item = &'a str>) {
        if self.pieces.is_empty() {
            self.pieces.push(RowSpans::default());
            self.first_rows.push(0);
        }
        let start = self.text.len();
        let text = &mut self.text;
        let ends = fields.into_iter().map(|field| {
            text.push_str(field);
            let end = text.len();
            text.push(SEPARATOR);
            end
        });
        let last = self.pieces.len() - 1;
        self.pieces[last].push(line, start, ends);
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `index` (0-based; panics when out of range, like a slice).
    pub fn row(&self, index: usize) -> TextRow<'_> {
        let piece = self.first_rows.partition_point(|&first| first <= index) - 1;
        let spans = &self.pieces[piece];
        let index = index - self.first_rows[piece];
        let first_field = if index == 0 { 0 } else { spans.row_ends[index - 1] };
        TextRow {
            text: &self.text,
            start: spans.row_starts[index],
            ends: &spans.field_ends[first_field..spans.row_ends[index]],
            line: spans.lines[index],
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = TextRow<'_>> {
        (0..self.len()).map(|i| self.row(i))
    }
}

/// One row: its fields and the line it started on.
#[derive(Debug, Clone, Copy)]
pub struct TextRow<'a> {
    text: &'a str,
    start: usize,
    ends: &'a [usize],
    pub line: u64,
}

impl<'a> TextRow<'a> {
    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `position`, untrimmed, or `None` past the last field.
    pub fn get(&self, position: usize) -> Option<&'a str> {
        let end = *self.ends.get(position)?;
        let start = match position {
            0 => self.start,
            _ => self.ends[position - 1] + 1,
        };
        self.text.get(start..end)
    }

    pub fn fields(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// A hash of the row's text, fields and the separators between them, for
    /// finding exact duplicates: equal rows hash equal ([`Self::same_fields`] decides).
    pub fn hash_with(&self, state: &impl BuildHasher) -> u64 {
        let end = self.ends.last().copied().unwrap_or(self.start);
        state.hash_one(self.text.get(self.start..end).unwrap_or_default())
    }

    /// Whether both rows hold the same fields.
    pub fn same_fields(&self, other: &TextRow) -> bool {
        self.len() == other.len() && self.fields().eq(other.fields())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_fields_lines_and_empty_values() {
        let mut rows = TextRows::default();
        rows.push(2, ["a", "", "ç"]);
        rows.push(4, ["", "b"]);
        rows.push(5, std::iter::empty());
        assert_eq!(rows.len(), 3);
        let first = rows.row(0);
        assert_eq!((first.line, first.len()), (2, 3));
        assert_eq!(first.fields().collect::<Vec<_>>(), ["a", "", "ç"]);
        assert_eq!(first.get(3), None);
        let second = rows.row(1);
        assert_eq!((second.line, second.get(0), second.get(1)), (4, Some(""), Some("b")));
        assert!(rows.row(2).is_empty());
    }

    #[test]
    fn rows_over_a_text_read_its_fields_in_place() {
        let text = String::from("x;yz\n;q;\n");
        let mut first = RowSpans::with_capacity(1);
        first.push(1, 0, [1, 4]);
        let mut second = RowSpans::with_capacity(1);
        second.push(2, 5, [5, 7, 8]);
        let rows = TextRows::over(text, vec![first, second]);
        assert_eq!(rows.row(0).fields().collect::<Vec<_>>(), ["x", "yz"]);
        assert_eq!(rows.row(1).fields().collect::<Vec<_>>(), ["", "q", ""]);
        assert_eq!(rows.row(1).line, 2);
    }

    #[test]
    fn equal_rows_compare_and_hash_equal_and_boundaries_matter() {
        let mut rows = TextRows::default();
        rows.push(2, ["ab", "c"]);
        rows.push(3, ["ab", "c"]);
        rows.push(4, ["a", "bc"]);
        let state = std::hash::RandomState::new();
        assert!(rows.row(0).same_fields(&rows.row(1)));
        assert_eq!(rows.row(0).hash_with(&state), rows.row(1).hash_with(&state));
        assert!(!rows.row(0).same_fields(&rows.row(2)));
        assert_ne!(rows.row(0).hash_with(&state), rows.row(2).hash_with(&state));
    }
}
