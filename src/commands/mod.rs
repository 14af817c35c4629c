//! One function per command, each taking a checked configuration and plain
//! options (never clap types), doing the work and printing its summary.

pub mod config;
pub mod detect;
pub mod ingest;
pub mod link;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod simulate;
mod summary;

use std::path::{Path, PathBuf};

/// The bundled sample configuration: `sample_data/vigil.toml` in the current
/// folder if there is one, else the one beside the sources vigil was built from.
pub fn default_config_path() -> PathBuf {
    let local = Path::new("sample_data/vigil.toml");
    if local.exists() {
        return local.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/vigil.toml")
}
