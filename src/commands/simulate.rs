//! `vigil simulate`: write a synthetic world and print its summary.

use std::time::Instant;

use crate::error::VigilError;
use crate::simulate::{by_id, pilot_forces, simulate, ForceProfile, SimulateOptions, ALL_FORCES};

/// `pilot`, `national`, or a comma-separated list of force ids.
pub fn parse_forces(text: &str) -> Result<Vec<ForceProfile>, VigilError> {
    match text.trim() {
        "pilot" => Ok(pilot_forces()),
        "national" => Ok(ALL_FORCES.to_vec()),
        list => list
            .split(',')
            .map(|id| {
                by_id(id.trim()).ok_or_else(|| {
                    let known: Vec<&str> = ALL_FORCES.iter().map(|f| f.id).collect();
                    VigilError::Usage(format!(
                        "--forces: `{}` is not a force id (known: {})",
                        id.trim(),
                        known.join(", ")
                    ))
                })
            })
            .collect(),
    }
}

pub fn run(options: &SimulateOptions) -> Result<String, VigilError> {
    if !(0.0..=10.0).contains(&options.noise) {
        return Err(VigilError::Usage(format!(
            "--noise {} must be between 0 and 10",
            options.noise
        )));
    }
    let started = Instant::now();
    let summary = simulate(options)?;
    Ok(format!(
        "{}  wrote {} in {:.1} s (run it, scored against its truth, with: vigil run --config {}/vigil.toml --truth {})\n",
        summary.render(),
        options.out.display(),
        started.elapsed().as_secs_f64(),
        options.out.display(),
        options.out.join("truth").display()
    ))
}
