//! The text rows of one export file, stored flat: every field's text in one
//! buffer and every field's end in one array, so that reading a million rows
//! costs a handful of allocations rather than a few per row.

use std::hash::{BuildHasher, Hash, Hasher};

/// Rows of text fields, each with the line of the file it started on.
#[derive(Debug, Default)]
pub struct TextRows {
    text: String,
    /// End of each field in `text`, all rows one after another.
    field_ends: Vec<usize>,
    /// End of each row in `field_ends`.
    row_ends: Vec<usize>,
    lines: Vec<u64>,
}

impl TextRows {
    pub fn with_capacity(bytes: usize, rows: usize) -> TextRows {
        TextRows {
            text: String::with_capacity(bytes),
            field_ends: Vec::with_capacity(rows * 8),
            row_ends: Vec::with_capacity(rows),
            lines: Vec::with_capacity(rows),
        }
    }

    /// Appends a row that started on `line`.
    pub fn push<'a>(&mut self, line: u64, fields: impl IntoIterator<Item = &'a str>) {
        for field in fields {
            self.text.push_str(field);
            self.field_ends.push(self.text.len());
        }
        self.row_ends.push(self.field_ends.len());
        self.lines.push(line);
    }

    /// Appends every row of `other`, after this one's.
    pub fn append(&mut self, other: TextRows) {
        if self.is_empty() {
            *self = other;
            return;
        }
        let text_offset = self.text.len();
        let field_offset = self.field_ends.len();
        self.text.push_str(&other.text);
        self.field_ends
            .extend(other.field_ends.iter().map(|end| end + text_offset));
        self.row_ends
            .extend(other.row_ends.iter().map(|end| end + field_offset));
        self.lines.extend(other.lines);
    }

    pub fn len(&self) -> usize {
        self.row_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_ends.is_empty()
    }

    /// Row `index` (0-based; panics when out of range, like a slice).
    pub fn row(&self, index: usize) -> TextRow<'_> {
        let first_field = if index == 0 { 0 } else { self.row_ends[index - 1] };
        let ends = &self.field_ends[first_field..self.row_ends[index]];
        let start = if first_field == 0 {
            0
        } else {
            self.field_ends[first_field - 1]
        };
        TextRow {
            text: &self.text,
            start,
            ends,
            line: self.lines[index],
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
        let start = if position == 0 {
            self.start
        } else {
            self.ends[position - 1]
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
