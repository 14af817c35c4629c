//! A run's generation: one digest of what ingest read (vigil's version, the
//! configuration, every input file's SHA-256). Ingest puts it in
//! `manifest.json`; every later stage writes it, last, into its own folder
//! (`linked/generation`, `detect/generation`, `facts/generation`) and checks
//! it before reading another stage's tables. So the tables of two runs, one
//! of them killed part way, are never read as one: the later stage refuses
//! and names the stage to run again.

use std::path::{Path, PathBuf};

use crate::hashing::sha256_hex;

/// The file, inside a stage's folder, that records its generation. Written
/// last when the stage publishes, removed first when it publishes again.
pub const MARKER: &str = "generation";

/// Where ingest records the generation (its `generation` field).
pub const MANIFEST: &str = "manifest.json";

/// The digest of one run's inputs, as lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation(String);

/// Why a stage's tables cannot be read with the others.
#[derive(Debug, thiserror::Error)]
pub enum GenerationError {
    #[error("{path}: {reason}; run `vigil ingest` (or `vigil run`) to make it")]
    NoManifest { path: PathBuf, reason: String },
    #[error(
        "{dir} was not written from the canonical tables now in {out} (a run stopped part way, or an earlier \
         stage run again); run {rerun} again (or `vigil run`)"
    )]
    Stale {
        dir: PathBuf,
        out: PathBuf,
        rerun: &'static str,
    },
}

impl GenerationError {
    /// 2 when the folder has no run in it yet (run the first stage), 3 when
    /// its stages are of different runs.
    pub fn exit_code(&self) -> i32 {
        match self {
            GenerationError::NoManifest { .. } => 2,
            GenerationError::Stale { .. } => 3,
        }
    }
}

impl Generation {
    /// The generation of a run reading `inputs` ((path, SHA-256), in
    /// configuration order) with the configuration whose digest is `config_sha256`.
    pub fn of_inputs<'a>(config_sha256: &str, inputs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Generation {
        let mut text = format!("vigil {}\nconfig {config_sha256}\n", env!("CARGO_PKG_VERSION"));
        for (path, sha256) in inputs {
            text.push_str(&format!("input {path} {sha256}\n"));
        }
        Generation(sha256_hex(text.as_bytes()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The generation ingest recorded in `out/manifest.json`.
    pub fn of_folder(out: &Path) -> Result<Generation, GenerationError> {
        let path = out.join(MANIFEST);
        let fail = |reason: String| GenerationError::NoManifest {
            path: path.clone(),
            reason,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| fail(e.to_string()))?;
        let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
        manifest["generation"]
            .as_str()
            .map(|g| Generation(g.to_string()))
            .ok_or_else(|| fail("no generation recorded (written by an older vigil)".into()))
    }

    /// Writes the marker into `dir` (a stage's staging folder).
    pub fn write_marker(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::write(dir.join(MARKER), format!("{}\n", self.0))
    }

    /// Checks that the stage folder `out/stage` was written in this
    /// generation; `rerun` names the command that writes it.
    pub fn check(&self, out: &Path, stage: &str, rerun: &'static str) -> Result<(), GenerationError> {
        let dir = out.join(stage);
        let recorded = std::fs::read_to_string(dir.join(MARKER)).unwrap_or_default();
        if recorded.trim_end() == self.0 {
            Ok(())
        } else {
            Err(GenerationError::Stale {
                dir,
                out: out.to_path_buf(),
                rerun,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generation_changes_with_any_input_and_with_the_configuration() {
        let base = Generation::of_inputs("c1", [("a.csv", "h1"), ("b.csv", "h2")]);
        assert_eq!(base, Generation::of_inputs("c1", [("a.csv", "h1"), ("b.csv", "h2")]));
        assert_ne!(base, Generation::of_inputs("c2", [("a.csv", "h1"), ("b.csv", "h2")]));
        assert_ne!(base, Generation::of_inputs("c1", [("a.csv", "h1"), ("b.csv", "h3")]));
        assert_ne!(base, Generation::of_inputs("c1", [("a.csv", "h1")]));
        assert_eq!(base.as_str().len(), 64);
    }

    #[test]
    fn a_stage_is_accepted_only_with_the_manifests_generation() {
        let out = crate::scratch::ScratchDir::new();
        let generation = Generation::of_inputs("c", [("a.csv", "h")]);
        let manifest = serde_json::json!({ "generation": generation.as_str() });
        std::fs::write(out.path().join(MANIFEST), manifest.to_string()).unwrap();
        assert_eq!(Generation::of_folder(out.path()).unwrap(), generation);
        let linked = out.path().join("linked");
        std::fs::create_dir_all(&linked).unwrap();
        let missing = generation.check(out.path(), "linked", "`vigil link`").unwrap_err();
        assert!(missing.to_string().contains("run `vigil link` again"), "{missing}");
        generation.write_marker(&linked).unwrap();
        generation.check(out.path(), "linked", "`vigil link`").unwrap();
        Generation::of_inputs("other", []).write_marker(&linked).unwrap();
        assert!(generation.check(out.path(), "linked", "`vigil link`").is_err());
    }
}
