//! Summary statistics of a simulated world, printed by `vigil simulate` and
//! written to `truth/summary.json`: the shape the research describes (most
//! dyads never repeat; a few dyads hold most harm) and how noisy the records are.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::events::Noise;

#[derive(Debug, Clone, Serialize)]
pub struct WorldSummary {
    pub seed: u64,
    pub start: String,
    pub weeks: u32,
    pub forces: Vec<String>,
    pub incidents: u64,
    pub domestic_incidents: u64,
    pub calls: u64,
    pub mentions: u64,
    pub dyads: u64,
    /// Share of dyads with exactly one incident.
    pub dyads_without_repeat: f64,
    /// Share of all (simulation) harm in the 2 % of dyads with the most.
    pub harm_in_top_2_percent_of_dyads: f64,
    /// Share of mentions carrying each kind of noise.
    pub mention_noise: BTreeMap<&'static str, f64>,
    pub scenarios: usize,
    pub planted_faults: usize,
    pub bytes_written: u64,
}

/// Share of the total in the top `fraction` of values (at least one value).
pub fn top_share(values: &[f64], fraction: f64) -> f64 {
    let total: f64 = values.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let top = ((values.len() as f64 * fraction).ceil() as usize).max(1);
    sorted[..top.min(sorted.len())].iter().sum::<f64>() / total
}

/// Mention noise shares from counts.
pub fn noise_shares(counts: &BTreeMap<Noise, u64>, mentions: u64) -> BTreeMap<&'static str, f64> {
    Noise::ALL
        .iter()
        .map(|n| {
            (
                n.code(),
                counts.get(n).copied().unwrap_or(0) as f64 / mentions.max(1) as f64,
            )
        })
        .collect()
}

impl WorldSummary {
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Simulated {} forces, {} weeks from {} (seed {})",
            self.forces.len(),
            self.weeks,
            self.start,
            self.seed
        );
        let _ = writeln!(
            out,
            "  {} incidents ({} domestic), {} calls, {} mentions, {} dyads",
            self.incidents, self.domestic_incidents, self.calls, self.mentions, self.dyads
        );
        let _ = writeln!(
            out,
            "  dyads with no repeat incident: {:.1}%",
            100.0 * self.dyads_without_repeat
        );
        let _ = writeln!(
            out,
            "  harm held by the top 2% of dyads: {:.1}%",
            100.0 * self.harm_in_top_2_percent_of_dyads
        );
        let noise: Vec<String> = self
            .mention_noise
            .iter()
            .map(|(k, v)| format!("{k} {:.1}%", 100.0 * v))
            .collect();
        let _ = writeln!(out, "  mentions with noise: {}", noise.join(", "));
        let _ = writeln!(
            out,
            "  planted scenarios: {}, planted faults: {}",
            self.scenarios, self.planted_faults
        );
        let _ = writeln!(out, "  {:.1} MB of exports", self.bytes_written as f64 / 1e6);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_share_takes_the_largest_values() {
        let values: Vec<f64> = (0..100).map(|i| if i == 7 { 98.0 } else { 0.02 }).collect();
        assert!((top_share(&values, 0.02) - (98.02 / 99.98)).abs() < 1e-9);
        assert_eq!(top_share(&[], 0.02), 0.0);
    }
}
