//! A Parquet table that detection reads some columns and a piece of rows at
//! a time: its footer is read once, and each piece is decoded into the
//! memory the one before it was, rather than the whole table being held
//! (and its text columns grown and copied) at once.

use std::path::Path;

use polars::prelude::*;

use crate::detect::DetectError;

/// Rows in a piece: a quarter of the row group polars writes. A national
/// run's pieces of a whole row group (2^18 rows, tens of MB decoded) touched
/// ~20k more pages of fresh memory than these, for the same CPU time; pieces
/// of 2^14 rows cost more CPU than they saved.
pub const PIECE_ROWS: usize = 1 << 16;

/// A Parquet table, its metadata read.
pub struct ParquetTable<'p> {
    path: &'p Path,
    metadata: FileMetadataRef,
}

impl<'p> ParquetTable<'p> {
    /// Opens the table at `path` and reads its footer.
    pub fn open(path: &'p Path) -> Result<ParquetTable<'p>, DetectError> {
        let metadata = ParquetReader::new(open_file(path)?)
            .get_metadata()
            .map_err(|e| table_error(path, e))?
            .clone();
        Ok(ParquetTable { path, metadata })
    }

    /// The number of rows, from the footer.
    pub fn rows(&self) -> usize {
        self.metadata.num_rows
    }

    /// Reads `columns` `piece_rows` rows at a time, in order, handing each
    /// piece to `take` before the next is read.
    pub fn in_pieces(
        &self,
        columns: &[&str],
        piece_rows: usize,
        mut take: impl FnMut(&DataFrame) -> Result<(), DetectError>,
    ) -> Result<(), DetectError> {
        let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        for first in (0..self.rows()).step_by(piece_rows) {
            let mut reader = ParquetReader::new(open_file(self.path)?);
            reader.set_metadata(self.metadata.clone());
            let piece = reader
                .with_columns(Some(columns.clone()))
                .with_slice(Some((first, piece_rows)))
                .finish()
                .map_err(|e| self.error(e))?;
            take(&piece)?;
        }
        Ok(())
    }

    /// What a polars error reading this table stops detection with.
    pub fn error(&self, error: PolarsError) -> DetectError {
        table_error(self.path, error)
    }
}

fn open_file(path: &Path) -> Result<std::fs::File, DetectError> {
    std::fs::File::open(path).map_err(|e| DetectError::Missing {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

fn table_error(path: &Path, error: PolarsError) -> DetectError {
    DetectError::Table {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
}
