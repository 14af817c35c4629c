//! Publishing a stage's outputs all at once: files are written into a
//! staging folder beside their destination and moved into place only when
//! every one of them was written, the manifest last. A run that fails leaves
//! the previous outputs as they were, and never a folder that looks complete.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A staging folder inside `target`; removed again unless committed.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates `target/.staging-<label>`, replacing a leftover one from a failed run.
    pub fn new(target: &Path, label: &str) -> io::Result<Staging> {
        fs::create_dir_all(target)?;
        let dir = target.join(format!(".staging-{label}"));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
        })
    }

    /// The staging folder itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where to write `relative` while staging; parent folders are created.
    pub fn path(&self, relative: &str) -> io::Result<PathBuf> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(path)
    }

    /// Moves `entries` (files or folders), then `last`, into the target.
    /// The old `last` (the manifest) goes first, so a half-moved target never looks complete.
    pub fn commit(mut self, entries: &[&str], last: &str) -> io::Result<()> {
        remove_if_present(&self.target.join(last))?;
        for entry in entries.iter().chain(std::iter::once(&last)) {
            let destination = self.target.join(entry);
            remove_if_present(&destination)?;
            fs::rename(self.dir.join(entry), destination)?;
        }
        self.committed = true;
        fs::remove_dir_all(&self.dir)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_outputs_and_a_dropped_stage_leaves_them_alone() {
        let target = crate::scratch::ScratchDir::new();
        let first = Staging::new(target.path(), "t").unwrap();
        fs::write(first.path("data/a.txt").unwrap(), "one").unwrap();
        fs::write(first.path("manifest.json").unwrap(), "{}").unwrap();
        first.commit(&["data"], "manifest.json").unwrap();
        assert_eq!(fs::read_to_string(target.path().join("data/a.txt")).unwrap(), "one");

        let failed = Staging::new(target.path(), "t").unwrap();
        fs::write(failed.path("data/a.txt").unwrap(), "two").unwrap();
        drop(failed);
        assert_eq!(fs::read_to_string(target.path().join("data/a.txt")).unwrap(), "one");
        assert!(!target.path().join(".staging-t").exists());
    }
}
