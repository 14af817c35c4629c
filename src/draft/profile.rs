//! What a column's values look like: how many are missing and as which
//! texts, its distinct values with their counts, and which value shapes
//! (timestamps, dates, flags, numbers) read it.

use std::collections::HashMap;

use super::formats::{fits, Candidate, Fit, Shape};
use super::words::words;
use crate::config::MissingValues;

/// Texts that often stand for "no value" but are not in the default set,
/// because in some columns they are real values (`None` is a referral code).
const MAYBE_MISSING: [&str; 8] = ["UNKNOWN", "NONE", "NIL", "N.A.", "?", "NOT KNOWN", "#NULL!", "NAN"];

/// Values tried against the timestamp formats, spread over the column.
const FORMAT_PROBE: usize = 2_000;

/// Flag texts, as ingest reads them.
const FLAG_TEXTS: [&str; 10] = ["Y", "YES", "TRUE", "T", "1", "N", "NO", "FALSE", "F", "0"];

/// One column, profiled.
#[derive(Debug)]
pub struct ColumnProfile {
    pub name: String,
    pub words: Vec<String>,
    pub rows: usize,
    /// Values empty or in the default missing set.
    pub missing: usize,
    /// Default missing-value texts seen, as written, with counts.
    pub missing_texts: Vec<(String, usize)>,
    /// Texts that may stand for "no value" but are not read as missing.
    pub maybe_missing: Vec<(String, usize)>,
    /// Distinct present values (trimmed) with counts, most frequent first.
    pub distinct: Vec<(String, usize)>,
    /// Timestamp, date and time formats that read nine in ten of the present values tried.
    pub fits: Vec<Fit>,
    /// How many present values were tried against the formats.
    pub tried: usize,
    pub flag_like: bool,
    pub whole_numbers: bool,
    /// The smallest and largest value, when every present value is a number.
    pub number_range: Option<(f64, f64)>,
}

impl ColumnProfile {
    pub fn present(&self) -> usize {
        self.rows - self.missing
    }

    /// Whether the column's values are read by a format of this shape.
    pub fn reads_as(&self, shape: Shape, candidates: &[Candidate]) -> bool {
        self.fits.iter().any(|f| candidates[f.candidate].shape == shape)
    }

    /// Whether any time format reads the column.
    pub fn is_temporal(&self) -> bool {
        !self.fits.is_empty()
    }
}

/// Profiles one column's values.
pub fn profile(name: &str, values: &[String], candidates: &[Candidate]) -> ColumnProfile {
    let missing_set = MissingValues::default();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut missing_texts: HashMap<&str, usize> = HashMap::new();
    let mut missing = 0;
    for value in values {
        let value = value.trim();
        if value.is_empty() || missing_set.matches(value) {
            missing += 1;
            if !value.is_empty() {
                *missing_texts.entry(value).or_default() += 1;
            }
            continue;
        }
        *counts.entry(value).or_default() += 1;
    }
    let distinct = by_count(counts);
    let present: Vec<&str> = distinct.iter().map(|(v, _)| v.as_str()).collect();
    let probe = spread_values(values, &missing_set);
    ColumnProfile {
        name: name.to_string(),
        words: words(name),
        rows: values.len(),
        missing,
        missing_texts: by_count(missing_texts),
        maybe_missing: distinct
            .iter()
            .filter(|(v, _)| MAYBE_MISSING.iter().any(|m| m.eq_ignore_ascii_case(v)))
            .cloned()
            .collect(),
        fits: fits(candidates, &probe),
        tried: probe.len(),
        flag_like: !present.is_empty()
            && present
                .iter()
                .all(|v| FLAG_TEXTS.iter().any(|f| f.eq_ignore_ascii_case(v))),
        whole_numbers: !present.is_empty() && present.iter().all(|v| v.parse::<i64>().is_ok()),
        number_range: number_range(&present),
        distinct,
    }
}

/// Counts as (value, count), most frequent first, then by value.
fn by_count(counts: HashMap<&str, usize>) -> Vec<(String, usize)> {
    let mut list: Vec<(String, usize)> = counts.into_iter().map(|(v, n)| (v.to_string(), n)).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

/// Up to [`FORMAT_PROBE`] present values, taken evenly from the whole column.
fn spread_values<'a>(values: &'a [String], missing: &MissingValues) -> Vec<&'a str> {
    let present: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty() && !missing.matches(v))
        .collect();
    let step = present.len().div_ceil(FORMAT_PROBE).max(1);
    present.into_iter().step_by(step).collect()
}

fn number_range(present: &[&str]) -> Option<(f64, f64)> {
    let mut range: Option<(f64, f64)> = None;
    for value in present {
        let number: f64 = value.parse().ok().filter(|n: &f64| n.is_finite())?;
        range = Some(range.map_or((number, number), |(lo, hi)| (lo.min(number), hi.max(number))));
    }
    range
}
