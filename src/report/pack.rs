//! A pack folder written all at once: built in a temporary folder beside its
//! target and renamed into place only when every file is written, so a
//! failure leaves the previous pack as it was. The manifest is the last file
//! written; it lists every other file with its SHA-256.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::error::ReportError;
use crate::hashing::sha256_hex;

/// The manifest's name in every pack.
pub const MANIFEST: &str = "manifest.json";

/// A pack being built.
pub struct Pack {
    target: PathBuf,
    building: PathBuf,
    committed: bool,
}

impl Pack {
    /// Starts a pack for `target` in `.<name>.building` beside it (a leftover one is removed).
    pub fn start(target: &Path) -> Result<Pack, ReportError> {
        let building = sibling(target, "building");
        let make = || -> std::io::Result<()> {
            if building.exists() {
                fs::remove_dir_all(&building)?;
            }
            fs::create_dir_all(&building)
        };
        make().map_err(|e| ReportError::write(&building, e))?;
        Ok(Pack {
            target: target.to_path_buf(),
            building,
            committed: false,
        })
    }

    /// The folder files are written into.
    pub fn dir(&self) -> &Path {
        &self.building
    }

    /// A path inside the pack (its parent folders made).
    pub fn path(&self, relative: &str) -> Result<PathBuf, ReportError> {
        let path = self.building.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| ReportError::write(parent, e))?;
        }
        Ok(path)
    }

    /// Writes a file into the pack.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), ReportError> {
        let path = self.path(relative)?;
        fs::write(&path, bytes).map_err(|e| ReportError::write(&path, e))
    }

    /// Every file written so far with its SHA-256, by relative path.
    pub fn file_digests(&self) -> Result<BTreeMap<String, String>, ReportError> {
        let mut digests = BTreeMap::new();
        collect_digests(&self.building, &self.building, &mut digests)?;
        Ok(digests)
    }

    /// Writes the manifest (with the files' digests added) and moves the pack into place.
    pub fn commit(mut self, mut manifest: Value) -> Result<(), ReportError> {
        manifest["files"] = json!(self.file_digests()?);
        let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
        self.write(MANIFEST, text.as_bytes())?;
        let retired = sibling(&self.target, "previous");
        let swap = || -> std::io::Result<()> {
            if retired.exists() {
                fs::remove_dir_all(&retired)?;
            }
            if self.target.exists() {
                fs::rename(&self.target, &retired)?;
            }
            fs::rename(&self.building, &self.target)?;
            if retired.exists() {
                fs::remove_dir_all(&retired)?;
            }
            Ok(())
        };
        swap().map_err(|e| ReportError::write(&self.target, e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Pack {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.building);
        }
    }
}

/// `.<name>.<what>` beside `target`.
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{what}"))
}

fn collect_digests(root: &Path, dir: &Path, digests: &mut BTreeMap<String, String>) -> Result<(), ReportError> {
    let entries = fs::read_dir(dir).map_err(|e| ReportError::write(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| ReportError::write(dir, e))?.path();
        if path.is_dir() {
            collect_digests(root, &path, digests)?;
        } else {
            let bytes = fs::read(&path).map_err(|e| ReportError::write(&path, e))?;
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            digests.insert(relative, sha256_hex(&bytes));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_pack_leaves_the_previous_one_and_a_committed_one_replaces_it() {
        let dir = crate::scratch::ScratchDir::new();
        let target = dir.path().join("2025-W18");
        let first = Pack::start(&target).unwrap();
        first.write("a.csv", b"one\n").unwrap();
        first.commit(json!({"pack": "test"})).unwrap();
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"one\n");

        let failed = Pack::start(&target).unwrap();
        failed.write("a.csv", b"two\n").unwrap();
        drop(failed);
        assert_eq!(
            fs::read(target.join("a.csv")).unwrap(),
            b"one\n",
            "previous pack intact"
        );
        assert!(!sibling(&target, "building").exists(), "no half-built folder left");

        let second = Pack::start(&target).unwrap();
        second.write("b.csv", b"three\n").unwrap();
        second.commit(json!({})).unwrap();
        assert!(!target.join("a.csv").exists() && target.join("b.csv").exists());
        let manifest: Value = serde_json::from_slice(&fs::read(target.join(MANIFEST)).unwrap()).unwrap();
        assert_eq!(manifest["files"]["b.csv"], json!(sha256_hex(b"three\n")));
    }
}
