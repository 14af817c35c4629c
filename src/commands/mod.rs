//! One function per command, each taking a checked configuration and plain
//! options (never clap types), doing the work and printing its summary.

pub mod config;
pub mod detect;
pub mod draft;
pub mod ingest;
pub mod link;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod simulate;
mod summary;

use std::path::PathBuf;

/// Where a command looks for its configuration when given none, in order.
pub const DEFAULT_CONFIGS: [&str; 2] = ["vigil.toml", "sample_data/vigil.toml"];

/// The first of [`DEFAULT_CONFIGS`] in the current folder; an error saying
/// what was looked for when there is none.
pub fn default_config_path() -> Result<PathBuf, crate::error::VigilError> {
    DEFAULT_CONFIGS
        .iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
        .ok_or_else(|| {
            crate::error::VigilError::Usage(format!(
                "no configuration given, and neither {} nor {} is in the current folder; give --config FILE \
                 (or run from the repository root for the bundled sample)",
                DEFAULT_CONFIGS[0], DEFAULT_CONFIGS[1]
            ))
        })
}
