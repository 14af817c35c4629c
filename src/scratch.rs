//! A temporary folder for tests and benches, removed when dropped.
//!
//! Written here rather than taken from the `tempfile` crate: that crate turns
//! on `bitflags/std` (through rustix), which polars also depends on, so a test
//! build would compile polars a second time with other features.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh, empty folder under the system's temporary folder.
pub struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    /// Creates a folder whose name no other process or test uses.
    pub fn new() -> ScratchDir {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!(
            "vigil-scratch-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).expect("a temporary folder can be created");
        ScratchDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Default for ScratchDir {
    fn default() -> Self {
        ScratchDir::new()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
