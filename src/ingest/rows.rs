//! The text rows of one export file, stored flat: the text in one buffer and
//! every field's end in one array, so that reading a million rows costs a
//! handful of allocations rather than a few per row.
//!
//! The buffer is either the file's own text (a quote-free file is split in
//! place, nothing copied) or the fields copied out of a quoted file by the
//! csv parser. Either way a row's fields lie one after another with one
//! separator byte between them, so a field starts one byte after the end of
//! the field before it.

use std::hash::{BuildHasher, Hash, Hasher};

/// What follows each copied field: one byte, like the delimiter it replaces.
const SEPARATOR: char = '\u{1f}';

/// Rows of text fields, each with the line of the file it started on.
#[derive(Debug, Default)]
pub struct TextRows {
    text: String,
    spans: RowSpans,
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
        self.row_starts.push(start);
        self.field_ends.extend(ends);
        self.row_ends.push(self.field_ends.len());
        self.lines.push(line);
    }

    /// Appends `other`'s rows, whose text positions are `text_offset` bytes further on.
    fn append(&mut self, other: RowSpans, text_offset: usize) {
        let field_offset = self.field_ends.len();
        self.row_starts
            .extend(other.row_starts.iter().map(|start| start + text_offset));
        self.field_ends
            .extend(other.field_ends.iter().map(|end| end + text_offset));
        self.row_ends
            .extend(other.row_ends.iter().map(|end| end + field_offset));
        self.lines.extend(other.lines);
    }

    fn len(&self) -> usize {
        self.row_ends.len()
    }
}

impl TextRows {
    pub fn with_capacity(bytes: usize, rows: usize) -> TextRows {
        TextRows {
            text: String::with_capacity(bytes + rows * 8),
            spans: RowSpans::with_capacity(rows),
        }
    }

    /// The rows of `text` at the positions in `pieces`, taken in order.
    pub fn over(text: String, pieces: Vec<RowSpans>) -> TextRows {
        let mut spans = RowSpans::with_capacity(0);
        for piece in pieces {
            if spans.len() == 0 {
                spans = piece;
            } else {
                spans.append(piece, 0);
            }
        }
        TextRows { text, spans }
    }

    /// Appends a row that started on `line`, copying its fields.
    pub fn push<'a>(&mut self, line: u64, fields: impl IntoIterator<Item = &'a str>) {
        let start = self.text.len();
        let text = &mut self.text;
        let ends = fields.into_iter().map(|field| {
            text.push_str(field);
            let end = text.len();
            text.push(SEPARATOR);
            end
        });
        self.spans.push(line, start, ends);
    }

    /// Appends every row of `other`, after this one's.
    pub fn append(&mut self, other: TextRows) {
        if self.is_empty() {
            *self = other;
            return;
        }
        let text_offset = self.text.len();
        self.text.push_str(&other.text);
        self.spans.append(other.spans, text_offset);
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `index` (0-based; panics when out of range, like a slice).
    pub fn row(&self, index: usize) -> TextRow<'_> {
        let spans = &self.spans;
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

    /// A hash of the fields (and their boundaries), for finding exact duplicates.
    pub fn hash_with(&self, state: &impl BuildHasher) -> u64 {
        let mut hasher = state.build_hasher();
        for field in self.fields() {
            field.hash(&mut hasher);
        }
        hasher.finish()
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
    fn appended_rows_keep_their_fields() {
        let mut rows = TextRows::default();
        rows.push(2, ["a", "b"]);
        let mut more = TextRows::default();
        more.push(3, ["cd", ""]);
        rows.append(more);
        assert_eq!(rows.row(1).fields().collect::<Vec<_>>(), ["cd", ""]);
        assert_eq!(rows.row(0).fields().collect::<Vec<_>>(), ["a", "b"]);
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
