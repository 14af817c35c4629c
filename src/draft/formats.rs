//! The date and time formats a draft tries on a column's values, and which of
//! them read it. A value is tried against every candidate that could be
//! meant; the draft proposes the one that reads the most values, and says so
//! when two that read them alike would read them differently (day first and
//! month first, when no day in the sample is above 12).

use super::profile::ColumnProfile;
use crate::timestamps::TimeFormat;

/// Date orders, as people write them.
const DATES: [&str; 12] = [
    "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%m-%d-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d/%m/%y", "%m/%d/%y",
    "%d-%b-%Y", "%d %b %Y", "%d-%b-%y",
];

/// Clock readings, as people write them.
const TIMES: [&str; 6] = [
    "%H:%M",
    "%H:%M:%S",
    "%H:%M:%S%.f",
    "%I:%M %p",
    "%I:%M:%S %p",
    "%I:%M:%S%.f %p",
];

/// What a column's values can be read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A date and a time in one value.
    Timestamp,
    /// A date alone.
    Date,
    /// A time of day alone.
    Time,
}

/// One format to try.
#[derive(Debug)]
pub struct Candidate {
    pub pattern: String,
    pub shape: Shape,
    /// Whether the day comes before the month (None: the format leaves no doubt).
    pub day_first: Option<bool>,
    format: TimeFormat,
}

/// Every candidate, in order of preference when two read a column alike.
pub fn candidates() -> Vec<Candidate> {
    let mut out = Vec::new();
    for date in DATES {
        for separator in [" ", "T"] {
            for time in TIMES {
                for offset in ["", "%:z"] {
                    let twelve_hour = time.contains("%p");
                    if separator == "T" && (twelve_hour || date.contains("%b")) {
                        continue;
                    }
                    push(&mut out, format!("{date}{separator}{time}{offset}"), Shape::Timestamp);
                }
            }
        }
        push(&mut out, date.to_string(), Shape::Date);
    }
    for time in TIMES {
        push(&mut out, time.to_string(), Shape::Time);
    }
    out
}

fn push(out: &mut Vec<Candidate>, pattern: String, shape: Shape) {
    let day_first = day_order(&pattern);
    if let Ok(format) = TimeFormat::compile(&pattern) {
        out.push(Candidate {
            pattern,
            shape,
            day_first,
            format,
        });
    }
}

/// Day before month (`%d/%m`), month before day (`%m/%d`), or no doubt (year first or a month name).
fn day_order(pattern: &str) -> Option<bool> {
    let day = pattern.find("%d")?;
    let month = pattern.find("%m")?;
    if pattern.starts_with("%Y") {
        return None;
    }
    Some(day < month)
}

/// How many of a column's sampled values a candidate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    /// Index into [`candidates`].
    pub candidate: usize,
    pub read: usize,
}

/// The candidates that read at least nine in ten of `values` (non-missing,
/// trimmed), best first; at most this many values are tried.
pub fn fits(candidates: &[Candidate], values: &[&str]) -> Vec<Fit> {
    const PROBE: usize = 20;
    if values.is_empty() {
        return Vec::new();
    }
    let probe = &values[..values.len().min(PROBE)];
    let mut fits: Vec<Fit> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| reads(c, probe) * 10 >= probe.len() * 7)
        .map(|(candidate, c)| Fit {
            candidate,
            read: reads(c, values),
        })
        .filter(|fit| fit.read * 10 >= values.len() * 9)
        .collect();
    fits.sort_by_key(|fit| (std::cmp::Reverse(fit.read), fit.candidate));
    fits
}

fn reads(candidate: &Candidate, values: &[&str]) -> usize {
    values.iter().filter(|v| candidate.format.parse(v).is_ok()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(values: &[&str]) -> Vec<String> {
        let all = candidates();
        fits(&all, values)
            .iter()
            .take(2)
            .map(|f| all[f.candidate].pattern.clone())
            .collect()
    }

    #[test]
    fn the_format_that_reads_the_values_comes_first() {
        assert_eq!(best(&["07/10/2024 00:40", "13/10/2024 19:35"])[0], "%d/%m/%Y %H:%M");
        assert_eq!(best(&["10/13/2024 07:05:00 PM"])[0], "%m/%d/%Y %I:%M:%S %p");
        assert_eq!(best(&["2024-10-07T05:19:02+01:00"])[0], "%Y-%m-%dT%H:%M:%S%:z");
        assert_eq!(best(&["2024-10-07 01:36:05"])[0], "%Y-%m-%d %H:%M:%S");
        assert_eq!(best(&["2024-10-07 01:36:05.250"])[0], "%Y-%m-%d %H:%M:%S%.f");
        assert_eq!(best(&["28/03/1999"])[0], "%d/%m/%Y");
        assert_eq!(best(&["19:35"])[0], "%H:%M");
        let all = candidates();
        let both: Vec<&str> = fits(&all, &["07/10/2024 00:40"])
            .iter()
            .map(|f| all[f.candidate].pattern.as_str())
            .collect();
        assert!(
            both.contains(&"%m/%d/%Y %H:%M"),
            "no day above 12: either order reads it"
        );
    }
}

/// The format an export should state for some columns of one shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatChoice {
    /// This pattern reads `read` of the `tried` values; `why` says what settled it.
    Chosen {
        pattern: String,
        read: usize,
        tried: usize,
        why: String,
    },
    /// These read the values alike but differently (day first or month first).
    Tied(Vec<String>),
    /// No candidate reads nine in ten of the values, or there are none.
    Unread { tried: usize },
}

/// The candidate of `shape` that reads the most of the columns' values together.
pub fn choose(columns: &[&ColumnProfile], shape: Shape, candidates: &[Candidate]) -> FormatChoice {
    let tried: usize = columns.iter().map(|c| c.tried).sum();
    let mut totals: Vec<(usize, usize)> = Vec::new();
    for (index, candidate) in candidates.iter().enumerate() {
        if candidate.shape != shape {
            continue;
        }
        let read: usize = columns
            .iter()
            .filter_map(|c| c.fits.iter().find(|f| f.candidate == index))
            .map(|f| f.read)
            .sum();
        if read > 0 {
            totals.push((index, read));
        }
    }
    let Some(best) = totals.iter().map(|(_, read)| *read).max() else {
        return FormatChoice::Unread { tried };
    };
    let tied: Vec<&Candidate> = totals
        .iter()
        .filter(|(_, read)| *read == best)
        .map(|(index, _)| &candidates[*index])
        .collect();
    let first = tied[0];
    if tied
        .iter()
        .any(|c| c.day_first.is_some() && c.day_first != first.day_first)
    {
        let mut orders: Vec<String> = Vec::new();
        for candidate in &tied {
            if !orders.iter().any(|p| same_order(p, candidate, candidates)) {
                orders.push(candidate.pattern.clone());
            }
        }
        return FormatChoice::Tied(orders);
    }
    let why = match (first.day_first, shape) {
        (Some(true), _) => "the day comes first (month first reads fewer values)",
        (Some(false), _) => "the month comes first (day first reads fewer values)",
        (None, Shape::Time) => "a time of day",
        (None, _) => "the year comes first",
    };
    FormatChoice::Chosen {
        pattern: first.pattern.clone(),
        read: best,
        tried,
        why: why.into(),
    }
}

fn same_order(pattern: &str, candidate: &Candidate, candidates: &[Candidate]) -> bool {
    candidates
        .iter()
        .find(|c| c.pattern == pattern)
        .is_some_and(|c| c.day_first == candidate.day_first)
}
