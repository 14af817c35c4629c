//! Builds a polars data frame column by column from a slice of records, so
//! each canonical table is declared as a readable list of (name, accessor).
//! The columns are built in parallel when the frame is.

use polars::prelude::*;
use rayon::prelude::*;

use super::tables::{Canonical, Sourced};

/// Builds one column from all the rows.
type ColumnFrom<'a, T> = Box<dyn Fn(&'a [T]) -> Series + Send + Sync + 'a>;

/// Columns to build from `rows`, in the order they are added.
pub struct FrameBuilder<'a, T> {
    rows: &'a [T],
    columns: Vec<ColumnFrom<'a, T>>,
}

impl<'a, T: Sync> FrameBuilder<'a, T> {
    pub fn new(rows: &'a [T]) -> Self {
        FrameBuilder {
            rows,
            columns: Vec::new(),
        }
    }

    fn push(mut self, column: impl Fn(&'a [T]) -> Series + Send + Sync + 'a) -> Self {
        self.columns.push(Box::new(column));
        self
    }

    pub fn text(self, name: &'static str, get: impl Fn(&'a T) -> Option<&'a str> + Send + Sync + 'a) -> Self {
        self.push(move |rows| {
            let values: Vec<Option<&str>> = rows.iter().map(&get).collect();
            Series::new(name.into(), values)
        })
    }

    pub fn owned_text(self, name: &'static str, values: Vec<String>) -> Self {
        let series = Series::new(name.into(), values);
        self.push(move |_| series.clone())
    }

    /// Milliseconds since the epoch, as `Datetime[ms, UTC]`.
    pub fn instant(self, name: &'static str, get: impl Fn(&T) -> Option<i64> + Send + Sync + 'a) -> Self {
        self.push(move |rows| {
            let values: Vec<Option<i64>> = rows.iter().map(&get).collect();
            Series::new(name.into(), values).into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
        })
    }

    /// Days since 1970-01-01, as `Date`.
    pub fn date(self, name: &'static str, get: impl Fn(&T) -> Option<i32> + Send + Sync + 'a) -> Self {
        self.push(move |rows| {
            let values: Vec<Option<i32>> = rows.iter().map(&get).collect();
            Series::new(name.into(), values).into_date()
        })
    }

    pub fn flag(self, name: &'static str, get: impl Fn(&T) -> Option<bool> + Send + Sync + 'a) -> Self {
        self.push(move |rows| {
            let values: Vec<Option<bool>> = rows.iter().map(&get).collect();
            Series::new(name.into(), values)
        })
    }

    pub fn integer(self, name: &'static str, get: impl Fn(&T) -> Option<i64> + Send + Sync + 'a) -> Self {
        self.push(move |rows| {
            let values: Vec<Option<i64>> = rows.iter().map(&get).collect();
            Series::new(name.into(), values)
        })
    }

    pub fn build(self) -> PolarsResult<DataFrame> {
        let rows = self.rows;
        let columns: Vec<Column> = self.columns.par_iter().map(|build| build(rows).into()).collect();
        DataFrame::new(rows.len(), columns)
    }
}

impl<'a, R: Sync> FrameBuilder<'a, Sourced<R>> {
    /// The `source_file` and `source_line` columns every canonical table ends with.
    pub fn sources(self, canonical: &'a Canonical) -> Self {
        self.text("source_file", |r| Some(canonical.file_of(r))).push(|rows| {
            let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
            Series::new("source_line".into(), lines)
        })
    }
}
