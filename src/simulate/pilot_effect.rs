//! `vigil simulate --pilot-effect KPI=CHANGE[,...]`: a change the pilot
//! forces make from their start, planted so that the evaluation's estimates
//! can be checked against a known answer. Each is a change in a probability
//! the simulator draws with, so exactly the change in the KPI's share:
//! `risk_assessed` (a risk assessment on attendance, within the hours the
//! KPI allows), `marac_referred` and `idva_referred` (a referral of a
//! high-risk incident, within the days it allows). `truth/pilot_effects.csv`
//! lists them; without the option there is none.

use std::io::Write;
use std::path::Path;

/// The base probabilities the simulator draws with.
pub const BASE_RISK_ASSESSED: f64 = 0.9;
pub const BASE_MARAC: f64 = 0.85;
pub const BASE_IDVA: f64 = 0.8;

/// The planted changes (0: none).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PilotEffect {
    pub risk_assessed: f64,
    pub marac_referred: f64,
    pub idva_referred: f64,
}

impl PilotEffect {
    /// Reads `risk_assessed=+0.05,marac_referred=-0.2`.
    pub fn parse(text: &str) -> Result<PilotEffect, String> {
        let mut effect = PilotEffect::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, change) = part
                .split_once('=')
                .ok_or_else(|| format!("--pilot-effect `{part}`: write KPI=CHANGE, e.g. risk_assessed=+0.05"))?;
            let change: f64 = change
                .trim()
                .parse()
                .ok()
                .filter(|c: &f64| c.is_finite())
                .ok_or_else(|| format!("--pilot-effect `{part}`: the change must be a number such as +0.05"))?;
            let (slot, base) = match name.trim() {
                "risk_assessed" => (&mut effect.risk_assessed, BASE_RISK_ASSESSED),
                "marac_referred" => (&mut effect.marac_referred, BASE_MARAC),
                "idva_referred" => (&mut effect.idva_referred, BASE_IDVA),
                other => {
                    return Err(format!(
                    "--pilot-effect: `{other}` cannot be planted; use risk_assessed, marac_referred or idva_referred"
                ))
                }
            };
            if !(0.0..=1.0).contains(&(base + change)) {
                return Err(format!(
                    "--pilot-effect `{part}`: the base rate is {base:.2}, so the change must be from {:.2} to +{:.2}",
                    -base,
                    1.0 - base
                ));
            }
            *slot = change;
        }
        Ok(effect)
    }

    /// (KPI, change), every KPI that can be planted.
    pub fn rows(&self) -> [(&'static str, f64); 3] {
        [
            ("risk_assessed", self.risk_assessed),
            ("marac_referred", self.marac_referred),
            ("idva_referred", self.idva_referred),
        ]
    }

    /// Writes `truth/pilot_effects.csv`: each KPI and its planted change.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut file = std::fs::File::create(path)?;
        writeln!(file, "measure,change")?;
        for (name, change) in self.rows() {
            writeln!(file, "{name},{change}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_read_and_ones_no_probability_allows_are_refused() {
        let effect = PilotEffect::parse("risk_assessed=+0.05, marac_referred=-0.3").unwrap();
        assert_eq!(
            (effect.risk_assessed, effect.marac_referred, effect.idva_referred),
            (0.05, -0.3, 0.0)
        );
        assert!(PilotEffect::parse("risk_assessed=+0.2")
            .unwrap_err()
            .contains("from -0.90 to +0.10"));
        assert!(PilotEffect::parse("within_target=+0.1")
            .unwrap_err()
            .contains("cannot be planted"));
        assert!(PilotEffect::parse("risk_assessed").is_err());
        assert!(PilotEffect::parse("risk_assessed=lots").is_err());
    }
}
