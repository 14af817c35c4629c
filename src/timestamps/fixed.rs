//! Zero-padded values read by position. When every field of a format is
//! written at full width (`%Y` four digits, the others two), each digit and
//! each separator has a fixed place, so a value of exactly that length is read
//! without walking the pattern piece by piece. Anything else (a one-digit
//! day, a space for the `T`, a fraction, an offset, a field given twice) is
//! left to the walk, which reads full-width values the same way: a field of
//! one or two digits takes two when two are there. A format without a whole
//! date and time has no layout.

use super::calendar::wall_clock_millis;
use super::format::Piece;

/// The longest layout kept; a longer format is only walked.
const MAX_LEN: usize = 32;

/// The start of a field the format does not have.
const ABSENT: u8 = u8::MAX;

/// The place of seconds in a layout's starts, the one field a layout may lack.
const SECOND: usize = 5;

/// Where each field's digits and each literal byte sit in a full-width value,
/// held as masks over the value's bytes taken eight at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FixedLayout {
    len: usize,
    /// `0xFF` in each byte where a digit goes.
    digits: [u64; WORDS],
    /// The literal byte expected at each place that is not a digit (zero at digits and past the end).
    literals: [u64; WORDS],
    /// Where year, month, day, hour, minute and second start, or [`ABSENT`].
    starts: [u8; 6],
}

/// Eight-byte words in the longest layout.
const WORDS: usize = MAX_LEN / 8;

/// `'0'` in every byte of a word.
const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);
/// The high half of every byte of a word.
const HIGH_HALVES: u64 = u64::from_ne_bytes([0xF0; 8]);
/// Six in every byte of a word: added to a digit it stays below `':'`.
const SIXES: u64 = u64::from_ne_bytes([6; 8]);

impl FixedLayout {
    /// The layout of a format's full-width values, if it has one and they hold a date and a time.
    pub(super) fn of(pieces: &[Piece]) -> Option<FixedLayout> {
        let mut len = 0;
        let mut digits = [false; MAX_LEN];
        let mut literals = [0u8; MAX_LEN];
        let mut starts = [ABSENT; 6];
        for piece in pieces {
            let (field, width) = match piece {
                Piece::Literal(byte) => {
                    *literals.get_mut(len)? = *byte;
                    len += 1;
                    continue;
                }
                Piece::Year => (0, 4),
                Piece::Month => (1, 2),
                Piece::Day => (2, 2),
                Piece::Hour => (3, 2),
                Piece::Minute => (4, 2),
                Piece::Second => (SECOND, 2),
                Piece::Fraction
                | Piece::Offset
                | Piece::ShortYear
                | Piece::MonthName
                | Piece::SpacePaddedDay
                | Piece::Hour12
                | Piece::Meridiem => return None,
            };
            if starts[field] != ABSENT || len + width > MAX_LEN {
                return None;
            }
            starts[field] = len as u8;
            digits[len..len + width].fill(true);
            len += width;
        }
        // Without a whole date and time (seconds may be left out) no value gives a wall-clock reading.
        if starts[..SECOND].contains(&ABSENT) {
            return None;
        }
        let digit_bytes = digits.map(|digit| if digit { 0xFF } else { 0 });
        Some(FixedLayout {
            len,
            digits: words(&digit_bytes),
            literals: words(&literals),
            starts,
        })
    }

    /// The wall-clock reading of a (trimmed) value that fills the layout exactly
    /// and holds a plainly real date and time; `None` sends it to the walk.
    pub(super) fn wall_millis(&self, value: &[u8]) -> Option<i64> {
        if value.len() != self.len {
            return None;
        }
        // Zeros past the value's end match the zeros past the layout's.
        let mut padded = [0u8; MAX_LEN];
        padded[..value.len()].copy_from_slice(value);
        for (w, bytes) in padded.chunks_exact(8).take(self.len.div_ceil(8)).enumerate() {
            if !self.word_fits(w, word(bytes)) {
                return None;
            }
        }
        // Every field fits the layout, so no place wraps; taken modulo the padded
        // length, no place can be out of bounds either.
        let digit = |at: usize| u32::from(padded[at % MAX_LEN].wrapping_sub(b'0'));
        let two_digits = |at: usize| digit(at) * 10 + digit(at + 1);
        let field = |which: usize| two_digits(usize::from(self.starts[which]));
        let year = field(0) * 100 + two_digits(usize::from(self.starts[0]) + 2);
        let second = match self.starts[SECOND] {
            ABSENT => 0,
            _ => field(SECOND),
        };
        wall_clock_millis(year, field(1), field(2), field(3), field(4), second)
    }

    /// Whether word `w` of a value has its literals in place and a digit
    /// wherever one goes, eight bytes at a time.
    fn word_fits(&self, w: usize, word: u64) -> bool {
        let digits = self.digits[w];
        let literals_match = (word ^ self.literals[w]) & !digits == 0;
        // Other places are set to '0' so that only the digits' places are tested.
        let at_digits = (word & digits) | (ZEROS & !digits);
        // A byte is a digit when its high half is 3 and stays 3 with six added.
        let all_digits = at_digits & HIGH_HALVES == ZEROS && at_digits.wrapping_add(SIXES) & HIGH_HALVES == ZEROS;
        literals_match && all_digits
    }
}

/// Bytes taken eight at a time.
fn words(bytes: &[u8; MAX_LEN]) -> [u64; WORDS] {
    std::array::from_fn(|w| word(&bytes[w * 8..w * 8 + 8]))
}

/// Eight bytes as one word.
fn word(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(bytes);
    u64::from_ne_bytes(word)
}
