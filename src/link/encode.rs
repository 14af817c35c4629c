//! Each compared column encoded once: values normalised for their kind and
//! interned, so that comparing two records starts with comparing two integers
//! and a value's frequency (for term-frequency weights) is one lookup.

use polars::prelude::PlHashMap as HashMap;

use rayon::prelude::*;

use super::input::{Records, TextColumn};
use super::spec::{Comparison, Kind};
use crate::normalise::normalise_name;

/// The value id of a missing value.
pub const MISSING: u32 = u32::MAX;

/// One compared column, encoded.
#[derive(Debug)]
pub struct Field {
    pub column: String,
    pub kind: Kind,
    pub term_frequency: bool,
    /// Value id of every record (`MISSING` when empty).
    pub values: Vec<u32>,
    /// The normalised text of each value id.
    pub pool: Vec<String>,
    /// How many records hold each value id.
    pub counts: Vec<u32>,
    /// Records with a value.
    pub present: u32,
    /// For full names: each value's distinct words, sorted.
    pub words: Vec<Vec<u32>>,
}

impl Field {
    pub fn text(&self, value: u32) -> &str {
        &self.pool[value as usize]
    }

    /// The share of records (with a value) that hold `value`.
    pub fn frequency(&self, value: u32) -> f64 {
        self.counts[value as usize] as f64 / self.present.max(1) as f64
    }
}

#[cfg(test)]
impl Field {
    /// An exact-kind column whose values are the given ids (pool texts `v0`, `v1`, ...).
    pub fn exact_for_tests(column: &str, values: Vec<u32>) -> Field {
        let distinct = values.iter().filter(|&&v| v != MISSING).max().map_or(0, |m| m + 1);
        Field {
            column: column.into(),
            kind: Kind::Exact,
            term_frequency: false,
            present: values.iter().filter(|&&v| v != MISSING).count() as u32,
            counts: vec![1; distinct as usize],
            pool: (0..distinct).map(|i| format!("v{i}")).collect(),
            values,
            words: Vec::new(),
        }
    }
}

/// Encodes every compared column of `records`, in parallel.
pub fn encode(records: &Records, comparisons: &[Comparison]) -> Vec<Field> {
    comparisons
        .par_iter()
        .map(|c| {
            let column = records
                .column(&c.column)
                .expect("spec columns are checked against the input");
            encode_column(column, c)
        })
        .collect()
}

/// Raw values are interned first and each distinct one normalised once: a
/// million records hold only thousands of distinct forenames.
fn encode_column(column: &TextColumn, comparison: &Comparison) -> Field {
    let mut raw_ids: HashMap<&str, u32> = HashMap::default();
    let mut raw_pool: Vec<&str> = Vec::new();
    let raw_values: Vec<u32> = (0..column.len())
        .map(|row| {
            let raw = column.get(row);
            *raw_ids.entry(raw).or_insert_with(|| {
                raw_pool.push(raw);
                raw_pool.len() as u32 - 1
            })
        })
        .collect();
    let normalised: Vec<Option<String>> = raw_pool.par_iter().map(|raw| normalise(comparison.kind, raw)).collect();
    // Value ids in order of first appearance, so they follow the canonical record order.
    let mut ids: HashMap<&str, u32> = HashMap::default();
    let mut pool = Vec::new();
    let raw_to_value: Vec<u32> = normalised
        .iter()
        .map(|value| match value {
            None => MISSING,
            Some(text) => *ids.entry(text.as_str()).or_insert_with(|| {
                pool.push(text.clone());
                pool.len() as u32 - 1
            }),
        })
        .collect();
    let mut counts = vec![0u32; pool.len()];
    let values: Vec<u32> = raw_values
        .iter()
        .map(|&raw| {
            let value = raw_to_value[raw as usize];
            if value != MISSING {
                counts[value as usize] += 1;
            }
            value
        })
        .collect();
    let words = if comparison.kind == Kind::FullName {
        word_sets(&pool)
    } else {
        Vec::new()
    };
    Field {
        column: comparison.column.clone(),
        kind: comparison.kind,
        term_frequency: comparison.term_frequency,
        present: values.iter().filter(|&&v| v != MISSING).count() as u32,
        values,
        pool,
        counts,
        words,
    }
}

fn word_sets(pool: &[String]) -> Vec<Vec<u32>> {
    let mut ids: HashMap<&str, u32> = HashMap::default();
    pool.iter()
        .map(|text| {
            let mut words: Vec<u32> = text
                .split(' ')
                .map(|w| {
                    let next = ids.len() as u32;
                    *ids.entry(w).or_insert(next)
                })
                .collect();
            words.sort_unstable();
            words.dedup();
            words
        })
        .collect()
}

/// The normal form of one raw value for `kind`; `None` when nothing usable is left.
pub fn normalise(kind: Kind, raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty()
        || matches!(
            raw.to_ascii_lowercase().as_str(),
            "nan" | "null" | "none" | "n/a" | "na"
        )
    {
        return None;
    }
    match kind {
        Kind::Forename | Kind::Surname | Kind::FullName | Kind::Address | Kind::Place => {
            normalise_name(raw).map(|n| n.to_lowercase())
        }
        Kind::Date => Some(date_digits(raw).unwrap_or_else(|| raw.to_string())),
        Kind::Postcode => non_empty(
            raw.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_uppercase(),
        ),
        Kind::Phone => phone_digits(raw),
        Kind::Email => non_empty(raw.to_lowercase()),
        Kind::Exact => non_empty(raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()),
    }
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// A date as eight digits `YYYYMMDD`, from `YYYYMMDD`, `YYYY-MM-DD`,
/// `YYYY/MM/DD`, `DD/MM/YYYY`, `DD-MM-YYYY` or `DD.MM.YYYY` (with or without
/// leading zeros, and ignoring a time after the date). The digits are not
/// checked against the calendar: a typed `19560931` is still compared digit by digit.
pub fn date_digits(raw: &str) -> Option<String> {
    let date = raw.split(['T', ' ']).next().unwrap_or(raw);
    if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
        return Some(date.to_string());
    }
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if a.len() == 4 { (*a, *b, *c) } else { (*c, *b, *a) };
    let digits = |s: &str, most: usize| !s.is_empty() && s.len() <= most && s.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
        return None;
    }
    Some(format!("{year}{month:0>2}{day:0>2}"))
}

/// Digits only, with a UK `+44`/`0044` prefix written as the national `0`.
fn phone_digits(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let national = if let Some(rest) = digits.strip_prefix("0044") {
        format!("0{rest}")
    } else if let (true, Some(rest)) = (raw.trim_start().starts_with('+'), digits.strip_prefix("44")) {
        format!("0{rest}")
    } else {
        digits
    };
    (national.len() >= 6).then_some(national)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_formats_become_eight_digits() {
        assert_eq!(date_digits("19560409").as_deref(), Some("19560409"));
        assert_eq!(date_digits("1971-06-24").as_deref(), Some("19710624"));
        assert_eq!(date_digits("24/06/1971").as_deref(), Some("19710624"));
        assert_eq!(date_digits("4/6/1971").as_deref(), Some("19710604"));
        assert_eq!(date_digits("1971-06-24T00:00:00").as_deref(), Some("19710624"));
        assert_eq!(date_digits("June 1971"), None);
    }

    #[test]
    fn values_are_normalised_for_their_kind() {
        assert_eq!(
            normalise(Kind::Surname, " O'Brien-Smith ").as_deref(),
            Some("obrien smith")
        );
        assert_eq!(normalise(Kind::Postcode, "tq13 8df").as_deref(), Some("TQ138DF"));
        assert_eq!(
            normalise(Kind::Phone, "+44 7700 900123").as_deref(),
            Some("07700900123")
        );
        assert_eq!(normalise(Kind::Phone, "07700 900123").as_deref(), Some("07700900123"));
        assert_eq!(normalise(Kind::Email, "A.B@X.org").as_deref(), Some("a.b@x.org"));
        assert_eq!(normalise(Kind::Exact, "nan"), None);
        assert_eq!(normalise(Kind::Forename, "  "), None);
    }
}
