//! Harm concentration per force: the share of harm held by the most harmful
//! 1 %, 2 % and 5 % of dyads, the Lorenz curve, and its chart.

use super::super::charts::{self, Lorenz};
use super::super::harm::{concentration, dyad_harms, TOP_PERCENTS};
use super::super::pack::Pack;
use super::super::suppress::SUPPRESSED;
use super::super::ReportError;
use super::periods::Period;
use super::{write_table, Evaluation};

impl Evaluation<'_> {
    pub fn write_harm(&self, pack: &Pack) -> Result<(), ReportError> {
        let mut rows = Vec::new();
        let mut curves = Vec::new();
        for (name, force) in self.scopes() {
            let harms = dyad_harms(
                self.facts_of(force, Period::Baseline)
                    .chain(self.facts_of(force, Period::Pilot)),
            );
            let Some(c) = concentration(harms) else { continue };
            let mut row = vec![
                name.clone(),
                self.suppression.count(c.dyads as u64),
                format!("{:.1}", c.total_harm),
            ];
            for (_, dyads, share) in &c.top {
                row.push(if self.suppression.hides(*dyads as u64) {
                    SUPPRESSED.into()
                } else {
                    format!("{share:.1}")
                });
            }
            rows.push(row);
            if !self.suppression.hides(c.dyads as u64) {
                curves.push((name, c.lorenz));
            }
        }
        let mut header: Vec<String> = ["force", "dyads", "total_harm"].iter().map(|s| s.to_string()).collect();
        header.extend(TOP_PERCENTS.iter().map(|p| format!("top_{p:.0}pct_dyads_harm_pct")));
        write_table(pack, "harm_concentration.csv", &header, &rows)?;
        let lorenz_rows: Vec<Vec<String>> = curves
            .iter()
            .flat_map(|(name, points)| {
                points
                    .iter()
                    .map(move |(x, y)| vec![name.clone(), format!("{x:.1}"), format!("{y:.2}")])
            })
            .collect();
        let lorenz_header = ["force", "dyads_pct", "harm_pct"].map(String::from);
        write_table(pack, "lorenz.csv", &lorenz_header, &lorenz_rows)?;
        let chart = Lorenz {
            title: "Concentration of harm over dyads (both periods)".into(),
            curves,
        };
        charts::save(&chart, pack.dir(), "lorenz").map_err(|e| ReportError::write(pack.dir(), e))
    }
}
