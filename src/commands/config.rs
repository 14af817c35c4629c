//! `vigil config`: print the effective configuration, defaults filled in.

use crate::config::Config;

pub fn run(config: &Config) -> String {
    format!(
        "# effective configuration of {}\n{}",
        config.path.display(),
        config.to_toml()
    )
}
