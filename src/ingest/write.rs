//! Writing an ingest run's outputs into a folder, all at once (see `staging.rs`):
//! `canonical/{calls,incidents,mentions}.parquet` (and `.csv` on request),
//! `quarantine.csv`, `data_quality.csv`, then `manifest.json`.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Instant;

use polars::prelude::*;

use super::error::IngestError;
use super::manifest::IngestManifest;
use super::quality::{measure, write_quality, QualityRow};
use super::quarantine::write_quarantine;
use super::Ingested;
use crate::config::Config;
use crate::schema::{TABLE_CALLS, TABLE_INCIDENTS, TABLE_MENTIONS};
use crate::staging::Staging;

/// What to write besides the Parquet tables.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Also write each canonical table as CSV.
    pub csv: bool,
}

/// What was written, for the summary a user sees.
#[derive(Debug)]
pub struct Written {
    pub out_dir: PathBuf,
    pub tables: BTreeMap<&'static str, u64>,
    pub quality: Vec<QualityRow>,
    pub manifest: IngestManifest,
}

/// Publishes the run's outputs into `out_dir`.
pub fn write(
    ingested: &Ingested,
    config: &Config,
    out_dir: &Path,
    options: &WriteOptions,
) -> Result<Written, IngestError> {
    let started = Instant::now();
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e: std::io::Error| IngestError::write(&path, e)
    };
    let staging = Staging::new(out_dir, "ingest").map_err(io(out_dir))?;
    let staged = |relative: &str| staging.path(relative).map_err(io(out_dir));
    let polars_fail = |e: PolarsError| IngestError::write(out_dir, e);

    let mut frames = ingested.canonical.to_frames().map_err(polars_fail)?;
    let mut tables = BTreeMap::new();
    for (name, frame) in [
        (TABLE_CALLS, &mut frames.calls),
        (TABLE_INCIDENTS, &mut frames.incidents),
        (TABLE_MENTIONS, &mut frames.mentions),
    ] {
        tables.insert(name, frame.height() as u64);
        write_parquet(&staged(&format!("canonical/{name}.parquet"))?, frame)?;
        if options.csv {
            write_csv(&staged(&format!("canonical/{name}.csv"))?, frame)?;
        }
    }
    let quality = measure(&frames, config, &ingested.canonical.repeated_hour).map_err(polars_fail)?;
    write_quality(&staged("data_quality.csv")?, &quality)?;
    write_quarantine(&staged("quarantine.csv")?, &ingested.quarantine)?;

    let timings = BTreeMap::from([
        ("read_ms", ingested.elapsed.as_millis() as u64),
        ("write_ms", started.elapsed().as_millis() as u64),
    ]);
    let manifest = IngestManifest::new(config, &ingested.files, tables.clone(), timings);
    let manifest_path = staged("manifest.json")?;
    std::fs::write(&manifest_path, manifest.to_json()).map_err(io(&manifest_path))?;
    staging
        .commit(&["canonical", "data_quality.csv", "quarantine.csv"], "manifest.json")
        .map_err(io(out_dir))?;
    Ok(Written {
        out_dir: out_dir.to_path_buf(),
        tables,
        quality,
        manifest,
    })
}

/// Writes a canonical table. LZ4: the next stages read these tables back at
/// once, and LZ4 compresses in a fraction of zstd's time (files about a
/// third larger); every Parquet reader reads it.
fn write_parquet(path: &Path, frame: &mut DataFrame) -> Result<(), IngestError> {
    let file = File::create(path).map_err(|e| IngestError::write(path, e))?;
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Lz4Raw)
        .finish(frame)
        .map(|_| ())
        .map_err(|e| IngestError::write(path, e))
}

/// The CSV copy, with formula-like texts neutralised ([`crate::cell_safety`]).
fn write_csv(path: &Path, frame: &DataFrame) -> Result<(), IngestError> {
    let mut file = File::create(path).map_err(|e| IngestError::write(path, e))?;
    let mut safe = crate::cell_safety::neutralised_frame(frame).map_err(|e| IngestError::write(path, e))?;
    CsvWriter::new(&mut file)
        .include_header(true)
        .finish(&mut safe)
        .map_err(|e| IngestError::write(path, e))
}
