//! Scoring a run against a simulated world's truth, and only when asked
//! (`--truth DIR` on `run`, `link` and `detect`): the persons against
//! `mentions.csv`, the dyads against `dyads.csv`, the flags against the
//! planted `scenarios.csv`. The stages themselves never look for a truth.

mod persons;
mod scenarios;

use std::path::{Path, PathBuf};

pub use persons::{score_persons, DyadScore, TruthScores};
pub use scenarios::{evaluate, Evaluation};

use crate::error::VigilError;

/// A simulated world's `truth/` folder, as written by `vigil simulate`.
#[derive(Debug, Clone)]
pub struct TruthDir {
    dir: PathBuf,
}

impl TruthDir {
    /// The folder `dir`, which must hold the mentions' truth.
    pub fn open(dir: &Path) -> Result<TruthDir, VigilError> {
        let truth = TruthDir { dir: dir.to_path_buf() };
        if !truth.mentions().is_file() {
            return Err(VigilError::Usage(format!(
                "--truth {}: no mentions.csv there; give the truth/ folder that `vigil simulate` wrote",
                dir.display()
            )));
        }
        Ok(truth)
    }

    /// Each mention's true person.
    pub fn mentions(&self) -> PathBuf {
        self.dir.join("mentions.csv")
    }

    /// The planted scenarios, with the rules each should raise.
    pub fn scenarios(&self) -> PathBuf {
        self.dir.join("scenarios.csv")
    }
}
