//! Zero-padded values read by position. When every field of a format is
//! written at full width (`%Y` four digits, the others two), each digit and
//! each separator has a fixed place, so a value of exactly that length is read
//! without walking the pattern piece by piece. Anything else (a one-digit
//! day, a space for the `T`, a fraction, an offset, a field given twice) is
//! left to the walk, which reads full-width values the same way: a field of
//! one or two digits takes two when two are there.

use super::format::{Fields, Piece};

/// The longest layout kept; a longer format is only walked.
const MAX_LEN: usize = 32;

/// The start of a field the format does not have.
const ABSENT: u8 = u8::MAX;

/// Where each field's digits and each literal byte sit in a full-width value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FixedLayout {
    len: usize,
    /// `true` where a digit goes.
    digits: [bool; MAX_LEN],
    /// The literal byte expected at each place that is not a digit (zero past the end).
    literals: [u8; MAX_LEN],
    /// Where year, month, day, hour, minute and second start, or [`ABSENT`].
    starts: [u8; 6],
}

impl FixedLayout {
    /// The layout of a format's full-width values, if it has one.
    pub(super) fn of(pieces: &[Piece]) -> Option<FixedLayout> {
        let mut layout = FixedLayout {
            len: 0,
            digits: [false; MAX_LEN],
            literals: [0; MAX_LEN],
            starts: [ABSENT; 6],
        };
        for piece in pieces {
            let (field, width) = match piece {
                Piece::Literal(byte) => {
                    *layout.literals.get_mut(layout.len)? = *byte;
                    layout.len += 1;
                    continue;
                }
                Piece::Year => (0, 4),
                Piece::Month => (1, 2),
                Piece::Day => (2, 2),
                Piece::Hour => (3, 2),
                Piece::Minute => (4, 2),
                Piece::Second => (5, 2),
                Piece::Fraction | Piece::Offset => return None,
            };
            if layout.starts[field] != ABSENT || layout.len + width > MAX_LEN {
                return None;
            }
            layout.starts[field] = layout.len as u8;
            layout.digits[layout.len..layout.len + width].fill(true);
            layout.len += width;
        }
        Some(layout)
    }

    /// The fields of a (trimmed) value that fills the layout exactly; `None` sends it to the walk.
    pub(super) fn read(&self, value: &[u8]) -> Option<Fields> {
        if value.len() != self.len {
            return None;
        }
        // Checked over the whole width at once (zeros past the value's end match
        // the zeros past the layout's), which the compiler does in a few vector steps.
        let mut padded = [0u8; MAX_LEN];
        padded[..value.len()].copy_from_slice(value);
        let mut fits = true;
        for ((&byte, &digit), &literal) in padded.iter().zip(&self.digits).zip(&self.literals) {
            fits &= (digit & byte.is_ascii_digit()) | (!digit & (byte == literal));
        }
        if !fits {
            return None;
        }
        let field = |which: usize, width: usize| {
            let start = usize::from(self.starts[which]);
            let digits = value.get(start..start + width)?;
            Some(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        };
        Some(Fields {
            year: field(0, 4),
            month: field(1, 2),
            day: field(2, 2),
            hour: field(3, 2),
            minute: field(4, 2),
            second: field(5, 2),
            nanos: None,
            offset: None,
        })
    }
}
