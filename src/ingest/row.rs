//! Typed access to one source row through an export's column mapping.
//!
//! [`ColumnIndex`] resolves the mapping against a file's header once;
//! [`RowView`] then reads fields from each row, turning text into instants,
//! dates, flags, numbers and codes. A value that cannot be read is a
//! [`RowFault`]: the row goes to quarantine with the column, value and reason.

use chrono::{NaiveDate, NaiveDateTime};
use polars::prelude::PlSmallStr;

use super::error::IngestError;
use super::rows::TextRow;
use crate::config::{CodeTable, ColumnSource, Export, Field, Force};
use crate::normalise::trimmed;
use crate::schema::{CanonicalCode, UNKNOWN};
use crate::timestamps::{resolve_local_millis, Parsed, TimeFormat, WallClock};

/// Why a row was quarantined: the file column, its raw value, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFault {
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl RowFault {
    pub fn whole_row(reason: impl Into<String>) -> RowFault {
        RowFault {
            column: String::new(),
            value: String::new(),
            reason: reason.into(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Resolved {
    Column(usize),
    DateAndTime(usize, usize),
}

/// Header positions of every mapped field of one export.
#[derive(Debug)]
pub struct ColumnIndex {
    positions: Vec<Option<Resolved>>,
    names: Vec<String>,
    width: usize,
}

impl ColumnIndex {
    /// Finds every mapped column in the header, or names the first one missing.
    pub fn resolve(export: &Export, header: &[String]) -> Result<ColumnIndex, IngestError> {
        let find = |column: &str, field: Field| {
            header
                .iter()
                .position(|h| h == column)
                .ok_or_else(|| missing_column(export, header, column, field))
        };
        let mut positions = vec![None; Field::ALL.len()];
        for (field, source) in &export.columns {
            positions[*field as usize] = Some(match source {
                ColumnSource::Column(name) => Resolved::Column(find(name, *field)?),
                ColumnSource::DateAndTime { date, time } => {
                    Resolved::DateAndTime(find(date, *field)?, find(time, *field)?)
                }
            });
        }
        Ok(ColumnIndex {
            positions,
            names: header.to_vec(),
            width: header.len(),
        })
    }

    /// The number of columns in the header.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Where a column is in the header.
    pub fn position_of(&self, column: &str) -> Option<usize> {
        self.names.iter().position(|name| name == column)
    }
}

fn missing_column(export: &Export, header: &[String], column: &str, field: Field) -> IngestError {
    let nearest = header
        .iter()
        .min_by_key(|h| strsim::levenshtein(&h.to_lowercase(), &column.to_lowercase()))
        .filter(|h| strsim::levenshtein(&h.to_lowercase(), &column.to_lowercase()) <= 3);
    IngestError::MissingColumn {
        path: export.resolved_path.clone(),
        column: column.to_string(),
        field: field.name(),
        found: header.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", "),
        hint: nearest.map(|n| format!(" Did you mean `{n}`?")).unwrap_or_default(),
    }
}

/// A raw code and its canonical value (`UNKNOWN` when the code table lacks it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Coded<T> {
    pub raw: Option<PlSmallStr>,
    pub value: Option<T>,
}

impl<T: CanonicalCode> Coded<T> {
    /// The canonical code for output: missing stays missing, an unknown code is `UNKNOWN`.
    pub fn canonical(&self) -> Option<&'static str> {
        self.raw.as_ref()?;
        Some(self.value.map_or(UNKNOWN, CanonicalCode::code))
    }
}

/// One row read through the export's mapping.
pub struct RowView<'a> {
    pub export: &'a Export,
    pub force: &'a Force,
    pub index: &'a ColumnIndex,
    pub record: TextRow<'a>,
}

impl RowView<'_> {
    /// The trimmed value at `position`; `None` when it is empty or one of the
    /// export's missing-value texts (`NULL`, `N/A`, ...).
    fn cell(&self, position: usize) -> Option<&str> {
        let value = trimmed(self.record.get(position)?);
        (!value.is_empty() && !self.export.missing.matches(value)).then_some(value)
    }

    fn resolved(&self, field: Field) -> Option<Resolved> {
        self.index.positions[field as usize]
    }

    fn fault(&self, position: usize, reason: impl Into<String>) -> RowFault {
        RowFault {
            column: self.index.names[position].clone(),
            value: self.record.get(position).unwrap_or("").to_string(),
            reason: reason.into(),
        }
    }

    /// Trimmed text; empty or unmapped is `None`.
    pub fn text(&self, field: Field) -> Option<&str> {
        match self.resolved(field)? {
            Resolved::Column(position) => self.cell(position),
            Resolved::DateAndTime(..) => None,
        }
    }

    /// Trimmed text as a small string (kept inline, no allocation, up to 24 bytes).
    pub fn short_text(&self, field: Field) -> Option<PlSmallStr> {
        self.text(field).map(PlSmallStr::from_str)
    }

    /// Text that must be present.
    pub fn required_text(&self, field: Field) -> Result<&str, RowFault> {
        self.text(field).ok_or_else(|| self.empty_required(field))
    }

    /// The fault of a required field with no value, naming its column where it has one.
    pub fn empty_required(&self, field: Field) -> RowFault {
        let reason = format!("the required field `{}` is empty", field.name());
        match self.resolved(field) {
            Some(Resolved::Column(position)) => self.fault(position, reason),
            _ => RowFault::whole_row(reason),
        }
    }

    /// An instant as milliseconds since the Unix epoch (UTC).
    pub fn instant(&self, field: Field) -> Result<Option<i64>, RowFault> {
        match self.resolved(field) {
            None => Ok(None),
            Some(Resolved::Column(position)) => {
                let Some(value) = self.cell(position) else {
                    return Ok(None);
                };
                let format = self
                    .export
                    .timestamp
                    .as_ref()
                    .expect("checked when the configuration was loaded");
                let read = format
                    .parse_wall_clock(value)
                    .map_err(|reason| self.fault(position, reason))?
                    .ok_or_else(|| self.fault(position, incomplete(format)))?;
                self.wall_clock_to_utc(read)
                    .map(Some)
                    .map_err(|reason| self.fault(position, reason))
            }
            Some(Resolved::DateAndTime(date_at, time_at)) => {
                let (Some(date), Some(time)) = (self.cell(date_at), self.cell(time_at)) else {
                    return match (self.cell(date_at), self.cell(time_at)) {
                        (None, None) => Ok(None),
                        (None, _) => Err(self.fault(date_at, "the date is empty but the time is given")),
                        _ => Err(self.fault(time_at, "the time is empty but the date is given")),
                    };
                };
                let (date_format, time_format) = (
                    self.export
                        .date
                        .as_ref()
                        .expect("checked when the configuration was loaded"),
                    self.export
                        .time
                        .as_ref()
                        .expect("checked when the configuration was loaded"),
                );
                let day = date_format.parse(date).map_err(|reason| self.fault(date_at, reason))?;
                let clock = time_format.parse(time).map_err(|reason| self.fault(time_at, reason))?;
                let joined = Parsed {
                    date: day.date,
                    time: clock.time,
                    offset_seconds: clock.offset_seconds,
                };
                self.to_utc(joined, time_format)
                    .map(Some)
                    .map_err(|reason| self.fault(time_at, reason))
            }
        }
    }

    fn to_utc(&self, parsed: Parsed, format: &TimeFormat) -> Result<i64, String> {
        let reading: NaiveDateTime = parsed.date_time().ok_or_else(|| incomplete(format))?;
        self.wall_clock_to_utc(WallClock {
            millis: reading.and_utc().timestamp_millis(),
            offset_seconds: parsed.offset_seconds,
        })
    }

    fn wall_clock_to_utc(&self, read: WallClock) -> Result<i64, String> {
        match read.offset_seconds {
            Some(offset) => Ok(read.millis - i64::from(offset) * 1000),
            None => resolve_local_millis(read.millis, self.force.timezone).map_err(|e| e.to_string()),
        }
    }

    /// The position and trimmed value of a field read from one column, when it has a value.
    fn column_value(&self, field: Field) -> Option<(usize, &str)> {
        let Some(Resolved::Column(position)) = self.resolved(field) else {
            return None;
        };
        self.cell(position).map(|value| (position, value))
    }

    /// A calendar date as days since 1970-01-01.
    pub fn date(&self, field: Field) -> Result<Option<i32>, RowFault> {
        let Some((position, value)) = self.column_value(field) else {
            return Ok(None);
        };
        let format = self
            .export
            .dob
            .as_ref()
            .expect("checked when the configuration was loaded");
        let date = format
            .parse(value)
            .map_err(|reason| self.fault(position, reason))?
            .date
            .expect("checked when the configuration was loaded");
        Ok(Some(days_since_epoch(date)))
    }

    /// A yes/no flag.
    pub fn flag(&self, field: Field) -> Result<Option<bool>, RowFault> {
        let Some((position, value)) = self.column_value(field) else {
            return Ok(None);
        };
        yes_or_no(value).map(Some).ok_or_else(|| {
            self.fault(
                position,
                "is not a yes/no value (expected Y, YES, TRUE, 1, N, NO, FALSE or 0)",
            )
        })
    }

    /// A whole number.
    pub fn integer(&self, field: Field) -> Result<Option<i64>, RowFault> {
        let Some((position, value)) = self.column_value(field) else {
            return Ok(None);
        };
        value
            .parse::<i64>()
            .map(Some)
            .map_err(|_| self.fault(position, "is not a whole number"))
    }

    /// A decimal number (degrees of latitude or longitude).
    pub fn decimal(&self, field: Field) -> Result<Option<f64>, RowFault> {
        let Some((position, value)) = self.column_value(field) else {
            return Ok(None);
        };
        value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| self.fault(position, "is not a decimal number"))
    }

    /// A code and its canonical value from the force's table.
    pub fn code<T: Copy>(&self, field: Field, table: &CodeTable<T>) -> Coded<T> {
        let raw = self.text(field);
        Coded {
            value: raw.and_then(|r| table.lookup(r)),
            raw: raw.map(PlSmallStr::from_str),
        }
    }
}

/// `Y`, `YES`, `TRUE`, `T`, `1` or `N`, `NO`, `FALSE`, `F`, `0`, in any case.
fn yes_or_no(value: &str) -> Option<bool> {
    let mut upper = [0u8; 5];
    let word = upper.get_mut(..value.len())?;
    word.copy_from_slice(value.as_bytes());
    word.make_ascii_uppercase();
    match &*word {
        b"Y" | b"YES" | b"TRUE" | b"T" | b"1" => Some(true),
        b"N" | b"NO" | b"FALSE" | b"F" | b"0" => Some(false),
        _ => None,
    }
}

fn incomplete(format: &TimeFormat) -> String {
    format!("the format `{}` gives no complete date and time", format.pattern())
}

fn days_since_epoch(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
    (date - epoch).num_days() as i32
}

#[cfg(test)]
mod tests {
    use super::yes_or_no;

    #[test]
    fn yes_and_no_are_read_in_any_case_and_nothing_else_is() {
        for yes in ["Y", "y", "Yes", "TRUE", "true", "T", "1"] {
            assert_eq!(yes_or_no(yes), Some(true), "{yes}");
        }
        for no in ["N", "no", "False", "f", "0"] {
            assert_eq!(yes_or_no(no), Some(false), "{no}");
        }
        for neither in ["", "YE", "yes please", "FALSEY", "2", "ÿ", "ño"] {
            assert_eq!(yes_or_no(neither), None, "{neither}");
        }
    }
}
