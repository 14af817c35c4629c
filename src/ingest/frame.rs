//! Builds a polars data frame column by column from a slice of records, so
//! each canonical table is declared as a readable list of (name, accessor).

use polars::prelude::*;

use super::tables::Sourced;

/// Columns built from `rows`, in the order they are added.
pub struct FrameBuilder<'a, T> {
    rows: &'a [T],
    columns: Vec<Column>,
}

impl<'a, T> FrameBuilder<'a, T> {
    pub fn new(rows: &'a [T]) -> Self {
        FrameBuilder {
            rows,
            columns: Vec::new(),
        }
    }

    fn push(mut self, series: Series) -> Self {
        self.columns.push(series.into());
        self
    }

    pub fn text(self, name: &str, get: impl Fn(&'a T) -> Option<&'a str>) -> Self {
        let values: Vec<Option<&str>> = self.rows.iter().map(get).collect();
        self.push(Series::new(name.into(), values))
    }

    pub fn owned_text(self, name: &str, values: Vec<String>) -> Self {
        self.push(Series::new(name.into(), values))
    }

    /// Milliseconds since the epoch, as `Datetime[ms, UTC]`.
    pub fn instant(self, name: &str, get: impl Fn(&T) -> Option<i64>) -> Self {
        let values: Vec<Option<i64>> = self.rows.iter().map(get).collect();
        self.push(Series::new(name.into(), values).into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC)))
    }

    /// Days since 1970-01-01, as `Date`.
    pub fn date(self, name: &str, get: impl Fn(&T) -> Option<i32>) -> Self {
        let values: Vec<Option<i32>> = self.rows.iter().map(get).collect();
        self.push(Series::new(name.into(), values).into_date())
    }

    pub fn flag(self, name: &str, get: impl Fn(&T) -> Option<bool>) -> Self {
        let values: Vec<Option<bool>> = self.rows.iter().map(get).collect();
        self.push(Series::new(name.into(), values))
    }

    pub fn integer(self, name: &str, get: impl Fn(&T) -> Option<i64>) -> Self {
        let values: Vec<Option<i64>> = self.rows.iter().map(get).collect();
        self.push(Series::new(name.into(), values))
    }

    pub fn build(self) -> PolarsResult<DataFrame> {
        DataFrame::new(self.rows.len(), self.columns)
    }
}

impl<'a, R> FrameBuilder<'a, Sourced<R>> {
    /// The `source_file` and `source_line` columns every canonical table ends with.
    pub fn sources(self) -> Self {
        let lines: Vec<u64> = self.rows.iter().map(|r| r.line).collect();
        self.text("source_file", |r| Some(&r.file))
            .push(Series::new("source_line".into(), lines))
    }
}
