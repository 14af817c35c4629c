//! A move, counted once: when a person moves, their address, postcode, town
//! and landline change together, so a true pair whose addresses differ will
//! usually differ on the postcode and the town as well. Counted as
//! independent, a move weighs three or four times against a match (a person
//! who moved and whose name was respelled then falls below the threshold).
//! So each column of the home after the first that differs is weighed by
//! its m among matches whose home already differed (trained by EM beside m,
//! `train.rs`), not by its m among all matches. "Differs" is any level
//! short of exact: a move to another number in the same street is as much a
//! move as one across the country, and a typo in the address (after which the
//! postcode usually agrees) is measured in the same m. Where the columns
//! differ independently among matches (a birth place beside an address),
//! the two m agree and nothing changes.

use super::compare::{level_of, Pattern, EXACT_LEVEL, MISSING_LEVEL};
use super::spec::Kind;

/// For each column, whether an earlier column of the home differs in
/// `pattern` (so this column's disagreement is part of the same move). Only
/// columns of the home can be marked.
pub fn after_a_move(kinds: impl IntoIterator<Item = Kind>, pattern: Pattern) -> u16 {
    let mut moved = false;
    let mut marked = 0u16;
    for (c, kind) in kinds.into_iter().enumerate() {
        if !kind.moves_with_a_home() {
            continue;
        }
        if moved {
            marked |= 1 << c;
        }
        let level = level_of(pattern, c);
        moved |= level != MISSING_LEVEL && level > EXACT_LEVEL;
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(levels: &[u8]) -> Pattern {
        levels
            .iter()
            .enumerate()
            .fold(0, |p, (c, &l)| p | (u64::from(l) << (4 * c)))
    }

    #[test]
    fn only_home_columns_after_one_that_differs_are_marked() {
        let kinds = [Kind::Forename, Kind::Address, Kind::Date, Kind::Postcode, Kind::Place];
        // Address different (5) or close (2): postcode and town follow it.
        assert_eq!(after_a_move(kinds, pattern(&[1, 5, 1, 5, 2])), 0b11000);
        assert_eq!(after_a_move(kinds, pattern(&[1, 2, 1, 1, 1])), 0b11000);
        // Address exact: the postcode is the first that could differ.
        assert_eq!(after_a_move(kinds, pattern(&[1, 1, 1, 5, 2])), 0b10000);
        // Address missing: the postcode is the first that could differ.
        assert_eq!(after_a_move(kinds, pattern(&[5, 0, 5, 4, 2])), 0b10000);
        assert_eq!(after_a_move(kinds, pattern(&[5, 1, 5, 1, 1])), 0);
    }
}
