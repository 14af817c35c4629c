//! `vigil draft-dialect`: a commented `[[force]]` block drafted from a
//! force's export files, to start a dialect from. It reads each file, finds
//! its encoding and delimiter, proposes a column for each canonical field by
//! the column's name and values, the formats that read its dates, the
//! missing-value texts it holds, and every value of each coded field with its
//! count, mapped where the value says what it is. It never guesses silently:
//! each proposal has its reason beside it, and each choice it cannot make is
//! left as `"?"` for the analyst. Only coded values are shown, never names.

mod codes;
mod cues;
mod export_draft;
mod formats;
mod mapping;
mod profile;
mod render;
mod sample;
mod vocabulary;
mod words;

use std::path::{Path, PathBuf};

pub use render::{Block, UNCHOSEN};

use export_draft::{draft_export, shared_path, ExportDraft};
use sample::{sample_file, SampledFile};

/// What to draft from.
#[derive(Debug, Clone)]
pub struct DraftRequest {
    pub files: Vec<PathBuf>,
    /// The force's id, if known.
    pub force: Option<String>,
    /// Where the block will be written: paths in it are relative to its folder.
    pub out: Option<PathBuf>,
}

/// Drafts the block; the error names the file that could not be read.
pub fn draft_dialect(request: &DraftRequest) -> Result<Drafted, String> {
    if request.files.is_empty() {
        return Err("give at least one export file to draft from".into());
    }
    let base = base_folder(request.out.as_deref())?;
    let mut files = request.files.clone();
    files.sort();
    files.dedup();
    let mut sampled = Vec::with_capacity(files.len());
    for file in &files {
        sampled.push(sample_file(file)?);
    }
    let exports: Vec<ExportDraft> = groups(sampled)
        .into_iter()
        .map(|group| {
            let shown: Vec<String> = group.iter().map(|f| relative_path(&f.path, &base)).collect();
            draft_export(&group, shared_path(&shown), shown)
        })
        .collect();
    let codes = codes::code_drafts(&exports);
    let block = render::render(&render::ForceDraft {
        id: request.force.as_deref(),
        exports: &exports,
        codes: &codes,
    });
    Ok(Drafted {
        exports: exports.len(),
        block,
    })
}

/// A drafted block and what it holds.
#[derive(Debug)]
pub struct Drafted {
    pub block: Block,
    pub exports: usize,
}

/// Files read as one export: same folder, header, format, encoding and delimiter; in name order.
fn groups(files: Vec<SampledFile>) -> Vec<Vec<SampledFile>> {
    let mut groups: Vec<Vec<SampledFile>> = Vec::new();
    for file in files {
        let same = groups.iter_mut().find(|g| {
            let first = &g[0];
            first.path.parent() == file.path.parent()
                && first.header == file.header
                && first.format == file.format
                && first.encoding == file.encoding
                && first.delimiter == file.delimiter
        });
        match same {
            Some(group) => group.push(file),
            None => groups.push(vec![file]),
        }
    }
    groups
}

/// The folder the drafted paths are relative to: the output's, else the current one.
fn base_folder(out: Option<&Path>) -> Result<PathBuf, String> {
    let folder = match out.and_then(Path::parent) {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    folder
        .canonicalize()
        .map_err(|e| format!("cannot find the folder {}: {e}", folder.display()))
}

/// `file` relative to `base` when under it (with `/`), else as an absolute path.
fn relative_path(file: &Path, base: &Path) -> String {
    let absolute = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    let shown = absolute.strip_prefix(base).unwrap_or(&absolute);
    shown
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
        .replace("//", "/")
}
