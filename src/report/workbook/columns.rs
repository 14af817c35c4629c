//! What each column of the weekly pack's lists holds (`columns.csv`): its
//! kind, which decides how the workbook writes its cells (a real Excel date,
//! date and time, or number, or text), and its meaning, which the workbook's
//! Columns sheet shows. A column means the same in every list unless a row
//! names the file it is different in.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::ExcelDateTime;

const DICTIONARY: &str = include_str!("columns.csv");

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    /// `2025-05-05`
    Date,
    /// `2025-05-05 14:03:00` (a local wall clock)
    DateTime,
}

impl Kind {
    fn parse(text: &str) -> Option<Kind> {
        match text {
            "text" => Some(Kind::Text),
            "number" => Some(Kind::Number),
            "date" => Some(Kind::Date),
            "datetime" => Some(Kind::DateTime),
            _ => None,
        }
    }

    /// The word the Columns sheet shows.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::DateTime => "date and time",
        }
    }
}

/// One column's entry.
#[derive(Debug, Clone)]
pub struct Column {
    /// The file the entry is for; empty for every file.
    file: String,
    name: String,
    pub kind: Kind,
    pub meaning: String,
}

fn dictionary() -> &'static [Column] {
    static COLUMNS: OnceLock<Vec<Column>> = OnceLock::new();
    COLUMNS.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(DICTIONARY.as_bytes());
        reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|row| {
                Some(Column {
                    file: row.get(0)?.to_string(),
                    name: row.get(1)?.to_string(),
                    kind: Kind::parse(row.get(2)?)?,
                    meaning: row.get(3)?.to_string(),
                })
            })
            .collect()
    })
}

/// The entry for `name` in `file`: the file's own, else the general one.
pub fn column(file: &str, name: &str) -> Option<&'static Column> {
    let entries = || dictionary().iter().filter(move |c| c.name == name);
    entries()
        .find(|c| c.file == file)
        .or_else(|| entries().find(|c| c.file.is_empty()))
}

/// A cell as its column's kind reads it; `None` when the text is not of that
/// kind (then it is written as text).
pub fn date_time(kind: Kind, text: &str) -> Option<ExcelDateTime> {
    let at = match kind {
        Kind::Date => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0)?,
        Kind::DateTime => NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").ok()?,
        Kind::Text | Kind::Number => return None,
    };
    excel_date_time(at)
}

/// A wall-clock time as Excel holds it (a date is its midnight).
pub fn excel_date_time(at: NaiveDateTime) -> Option<ExcelDateTime> {
    let date = ExcelDateTime::from_ymd(u16::try_from(at.year()).ok()?, at.month() as u8, at.day() as u8).ok()?;
    date.and_hms(at.hour() as u16, at.minute() as u8, at.second()).ok()
}

/// A number cell's value and its decimal places as written; `None` for text
/// that is not a plain decimal number (a suppressed `[c]`, say).
pub fn number(text: &str) -> Option<(f64, usize)> {
    let plain = text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    let value: f64 = text.parse().ok().filter(|v: &f64| plain && v.is_finite())?;
    let decimals = text.split_once('.').map_or(0, |(_, fraction)| fraction.len());
    Some((value, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_of_the_dictionary_parses_and_no_column_is_listed_twice_for_one_file() {
        let rows = DICTIONARY.lines().count() - 1;
        assert_eq!(dictionary().len(), rows, "a row with an unknown kind or a broken line");
        let mut seen = std::collections::HashSet::new();
        for c in dictionary() {
            assert!(seen.insert((&c.file, &c.name)), "{} listed twice", c.name);
            assert!(!c.meaning.is_empty(), "{} has no meaning", c.name);
        }
    }

    #[test]
    fn a_file_s_own_entry_comes_before_the_general_one() {
        let general = column("flags.csv", "missed_opportunities");
        assert!(general.is_none(), "missed_opportunities has no general entry");
        let kpis = column("kpis.csv", "missed_opportunities").map(|c| c.meaning.as_str());
        let list = column("priority_victims.csv", "missed_opportunities").map(|c| c.meaning.as_str());
        assert_ne!(kpis, list);
        assert_eq!(column("kpis.csv", "dob").map(|c| c.kind), Some(Kind::Date));
    }

    #[test]
    fn cells_are_read_by_their_kind_and_anything_else_stays_text() {
        assert!(date_time(Kind::Date, "2025-05-05").is_some());
        assert!(date_time(Kind::Date, "05/05/2025").is_none());
        assert!(date_time(Kind::DateTime, "2025-05-05 14:03:00").is_some());
        assert!(date_time(Kind::DateTime, "2025-05-05T14:03:00+01:00").is_none());
        assert!(date_time(Kind::Text, "2025-05-05").is_none());
        assert_eq!(number("12.50"), Some((12.5, 2)));
        assert_eq!(number("-3"), Some((-3.0, 0)));
        assert_eq!(number("[c]"), None);
        assert_eq!(number("1e5"), None);
        assert_eq!(number("inf"), None);
        assert_eq!(number(""), None);
    }
}
