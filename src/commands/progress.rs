//! Progress on stderr while a long command runs: a spinner naming the stage.
//! Drawn only on a terminal (indicatif hides it otherwise) and never with `--quiet`.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The spinner of one command.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(shown: bool) -> Progress {
        let bar = if shown {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar }
    }

    /// A silent one (library callers, tests).
    pub fn hidden() -> Progress {
        Progress::new(false)
    }

    pub fn stage(&self, what: &str) {
        self.bar.set_message(what.to_string());
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
