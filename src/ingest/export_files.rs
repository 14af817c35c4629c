//! The files of one export. A force exports a file per week or per month, so
//! an export's `path` may be a pattern (`calls/week*.csv`) or a folder
//! (every file in it that does not start with `.`): every match is read, in
//! name order, as one export, and each is its own input in the manifest,
//! with its own hash and counts. No match is an error naming the pattern.

use std::path::{Path, PathBuf};

use super::error::IngestError;
use crate::config::Export;

/// The export once per file it names, each with its own `path` (relative
/// to the configuration's folder, as a report shows it).
pub fn export_files(export: &Export) -> Result<Vec<Export>, IngestError> {
    let pattern = &export.resolved_path;
    let matches = if is_pattern(&export.path) {
        pattern_matches(export)?
    } else if pattern.is_dir() {
        folder_files(pattern).map_err(|source| IngestError::Unreadable {
            path: pattern.clone(),
            source,
        })?
    } else {
        return Ok(vec![export.clone()]);
    };
    if matches.is_empty() {
        return Err(IngestError::NoMatch {
            pattern: export.path.clone(),
            folder: export.base_dir.clone(),
        });
    }
    Ok(matches.into_iter().map(|file| one_file(export, file)).collect())
}

fn is_pattern(path: &str) -> bool {
    path.contains(['*', '?', '['])
}

/// The files matching the pattern; the configuration's folder is taken
/// literally (it may hold `[` or `*` itself), the pattern is not.
fn pattern_matches(export: &Export) -> Result<Vec<PathBuf>, IngestError> {
    let text = if Path::new(&export.path).is_absolute() {
        export.path.clone()
    } else {
        let folder = glob::Pattern::escape(&export.base_dir.to_string_lossy());
        format!("{}/{}", folder.trim_end_matches('/'), export.path)
    };
    let bad = |reason: String| IngestError::NoMatch {
        pattern: format!("{} ({reason})", export.path),
        folder: export.base_dir.clone(),
    };
    let mut found: Vec<PathBuf> = glob::glob(&text)
        .map_err(|e| bad(e.to_string()))?
        .filter_map(Result::ok)
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    Ok(found)
}

fn folder_files(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if path.is_file() && !hidden {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn one_file(export: &Export, file: PathBuf) -> Export {
    let relative = file.strip_prefix(&export.base_dir).unwrap_or(&file);
    Export {
        path: relative.to_string_lossy().replace('\\', "/"),
        resolved_path: file,
        ..export.clone()
    }
}
