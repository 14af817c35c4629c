//! Comparison levels: for each kind of column, the graded ways two values can
//! agree, best first, and the level a pair of records reaches on every column
//! packed into one comparison vector (4 bits per column). One comparison
//! reads two columns: a given name and a family name written the other way
//! round (a form filled in surname first) is the given name's own level, and
//! the family name then counts as not compared.

use super::encode::{Field, MISSING};
use super::similarity::{jaro_winkler, within_one_edit};
use super::spec::Kind;

/// Level 0 of every column: one record or both has no value (weight 0).
pub const MISSING_LEVEL: u8 = 0;
/// Level 1 of every column: the normalised values are equal.
pub const EXACT_LEVEL: u8 = 1;
/// Level 2 of a given name: it is the other record's family name and the
/// other way round.
pub const SWAPPED_LEVEL: u8 = 2;
/// Names swapped and each within this Jaro-Winkler similarity of the other
/// record's (and with its first letter) still count as swapped (a respelling
/// on top of the swap).
const SWAPPED_SIMILARITY: f64 = 0.92;
/// At most this many compared columns fit in a comparison vector.
pub const MAX_COLUMNS: usize = 16;

/// A comparison vector: column `c`'s level in bits `4c..4c+4`.
pub type Pattern = u64;

pub fn level_of(pattern: Pattern, column: usize) -> u8 {
    ((pattern >> (4 * column)) & 0xF) as u8
}

/// The names of a kind's levels from 1 (exact) down to the last (disagree).
pub fn level_labels(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Forename => &[
            "exact",
            "swapped with the family name",
            "jaro_winkler>=0.92",
            "jaro_winkler>=0.88",
            "jaro_winkler>=0.70",
            "different",
        ],
        Kind::Surname | Kind::Address | Kind::Place => &[
            "exact",
            "jaro_winkler>=0.92",
            "jaro_winkler>=0.88",
            "jaro_winkler>=0.70",
            "different",
        ],
        Kind::FullName => &["exact", "same words", "most words shared", "a word shared", "different"],
        Kind::Date => &[
            "exact",
            "one digit off",
            "day and month swapped",
            "same year",
            "different",
        ],
        Kind::Postcode => &[
            "exact",
            "one character off",
            "same sector",
            "same district",
            "different",
        ],
        Kind::Phone => &["exact", "same last 6 digits", "different"],
        Kind::Email => &["exact", "same user part", "jaro_winkler>=0.88", "different"],
        Kind::Exact => &["exact", "different"],
    }
}

/// Every record's value ids side by side, so that comparing two records reads
/// two short rows instead of one scattered array per column.
pub struct Rows {
    width: usize,
    values: Vec<u32>,
    /// The first given-name and family-name columns, when there are both.
    names: Option<(usize, usize)>,
}

impl Rows {
    pub fn new(fields: &[Field]) -> Rows {
        let records = fields.first().map_or(0, |f| f.values.len());
        let mut values = Vec::with_capacity(records * fields.len());
        for r in 0..records {
            values.extend(fields.iter().map(|f| f.values[r]));
        }
        let first = |kind: Kind| fields.iter().position(|f| f.kind == kind);
        Rows {
            width: fields.len(),
            values,
            names: first(Kind::Forename).zip(first(Kind::Surname)),
        }
    }

    /// How many records there are.
    pub fn records(&self) -> usize {
        self.values.len() / self.width.max(1)
    }

    fn of(&self, record: usize) -> &[u32] {
        &self.values[record * self.width..(record + 1) * self.width]
    }
}

/// The comparison vector of records `a` and `b`.
pub fn compare(fields: &[Field], rows: &Rows, a: usize, b: usize) -> Pattern {
    let (x, y) = (rows.of(a), rows.of(b));
    let mut pattern = 0;
    for (c, field) in fields.iter().enumerate() {
        pattern |= (level(field, x[c], y[c]) as u64) << (4 * c);
    }
    match rows.names {
        Some(names) if could_be_swapped(pattern, names) && swapped(fields, names, x, y) => {
            let (given, family) = names;
            let cleared = pattern & !(0xF << (4 * given)) & !(0xF << (4 * family));
            cleared | (SWAPPED_LEVEL as u64) << (4 * given)
        }
        _ => pattern,
    }
}

/// Whether the names' levels leave room for a swap: given names that are not
/// close to each other, family names present and not equal.
fn could_be_swapped(pattern: Pattern, (given, family): (usize, usize)) -> bool {
    level_of(pattern, given) > SWAPPED_LEVEL + 1 && level_of(pattern, family) > EXACT_LEVEL
}

/// Whether each record's given name is the other's family name, or within a
/// slip of it (both present, the given names not equal).
fn swapped(fields: &[Field], (given, family): (usize, usize), x: &[u32], y: &[u32]) -> bool {
    let present = [x[given], x[family], y[given], y[family]].iter().all(|&v| v != MISSING);
    let close = |a: &str, b: &str| {
        a == b || (a.as_bytes().first() == b.as_bytes().first() && jaro_winkler(a, b) >= SWAPPED_SIMILARITY)
    };
    present
        && x[given] != y[given]
        && close(fields[given].text(x[given]), fields[family].text(y[family]))
        && close(fields[family].text(x[family]), fields[given].text(y[given]))
}

/// The level two value ids reach on `field`.
pub fn level(field: &Field, a: u32, b: u32) -> u8 {
    if a == MISSING || b == MISSING {
        return MISSING_LEVEL;
    }
    if a == b {
        return EXACT_LEVEL;
    }
    let (x, y) = (field.text(a), field.text(b));
    match field.kind {
        // A given name's fuzzy levels come after the swapped level.
        Kind::Forename => name_level(x, y) + 1,
        Kind::Surname | Kind::Address | Kind::Place => name_level(x, y),
        Kind::FullName => words_level(&field.words[a as usize], &field.words[b as usize]),
        Kind::Date => date_level(x, y),
        Kind::Postcode => postcode_level(x, y),
        Kind::Phone => phone_level(x, y),
        Kind::Email => email_level(x, y),
        Kind::Exact => 2,
    }
}

fn name_level(x: &str, y: &str) -> u8 {
    let similarity = jaro_winkler(x, y);
    if similarity >= 0.92 {
        2
    } else if similarity >= 0.88 {
        3
    } else if similarity >= 0.70 {
        4
    } else {
        5
    }
}

fn words_level(x: &[u32], y: &[u32]) -> u8 {
    let shared = x.iter().filter(|w| y.binary_search(w).is_ok()).count();
    let union = x.len() + y.len() - shared;
    if shared == union {
        2
    } else if shared * 2 >= union {
        3
    } else if shared > 0 {
        4
    } else {
        5
    }
}

fn date_level(x: &str, y: &str) -> u8 {
    let digits = |s: &str| s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(x) || !digits(y) {
        return 5;
    }
    let differing = x.bytes().zip(y.bytes()).filter(|(p, q)| p != q).count();
    if differing == 1 {
        2
    } else if x[..4] == y[..4] && x[4..6] == y[6..8] && x[6..8] == y[4..6] {
        3
    } else if x[..4] == y[..4] {
        4
    } else {
        5
    }
}

/// A UK-shaped postcode's sector (all but the last two characters) and
/// district (all but the last three); `None` for other shapes.
fn uk_parts(code: &str) -> Option<(&str, &str)> {
    let uk = (5..=7).contains(&code.len()) && code.as_bytes()[0].is_ascii_alphabetic();
    uk.then(|| (&code[..code.len() - 2], &code[..code.len() - 3]))
}

fn postcode_level(x: &str, y: &str) -> u8 {
    if within_one_edit(x, y) {
        return 2;
    }
    match (uk_parts(x), uk_parts(y)) {
        (Some((sector_x, _)), Some((sector_y, _))) if sector_x == sector_y => 3,
        (Some((_, district_x)), Some((_, district_y))) if district_x == district_y => 4,
        _ => 5,
    }
}

fn phone_level(x: &str, y: &str) -> u8 {
    if x.len() >= 6 && y.len() >= 6 && x[x.len() - 6..] == y[y.len() - 6..] {
        2
    } else {
        3
    }
}

fn email_user(address: &str) -> &str {
    address.split('@').next().unwrap_or(address)
}

fn email_level(x: &str, y: &str) -> u8 {
    if email_user(x) == email_user(y) {
        2
    } else if jaro_winkler(x, y) >= 0.88 {
        3
    } else {
        4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_grade_by_the_kind_of_error() {
        assert_eq!(date_level("19710624", "19710524"), 2);
        assert_eq!(date_level("19710406", "19710604"), 3);
        assert_eq!(date_level("19710624", "19711201"), 4);
        assert_eq!(date_level("19710624", "19830624"), 5);
    }

    #[test]
    fn postcodes_grade_by_sector_and_district() {
        assert_eq!(postcode_level("TQ138DF", "TQ138DG"), 2);
        assert_eq!(postcode_level("TQ138DF", "TQ138JR"), 3);
        assert_eq!(postcode_level("TQ138DF", "TQ131AA"), 4);
        assert_eq!(postcode_level("TQ138DF", "EX11AA"), 5);
        assert_eq!(postcode_level("2119", "3165"), 5);
    }

    #[test]
    fn phones_and_emails_grade_by_their_parts() {
        assert_eq!(phone_level("07700900123", "01632900123"), 2);
        assert_eq!(phone_level("07700900123", "07700900999"), 3);
        assert_eq!(email_level("grace.kelly52@jones.com", "grace.kelly52@smith.net"), 2);
        assert_eq!(email_level("evied56@harris-bailey.net", "evihd56@earris-bailey.net"), 3);
        assert_eq!(email_level("a@b.com", "zzz@qqq.org"), 4);
    }

    #[test]
    fn full_names_grade_by_shared_words() {
        assert_eq!(words_level(&[1, 2, 3], &[1, 2, 3]), 2);
        assert_eq!(words_level(&[1, 2, 3], &[1, 2, 4]), 3);
        assert_eq!(words_level(&[1, 2, 3, 5, 6], &[1, 4]), 4);
        assert_eq!(words_level(&[1], &[2]), 5);
    }

    #[test]
    fn every_kind_has_at_most_fifteen_levels() {
        use Kind::*;
        for kind in [
            Forename, Surname, FullName, Date, Postcode, Phone, Email, Address, Place, Exact,
        ] {
            assert!(level_labels(kind).len() < 16);
        }
    }
}
