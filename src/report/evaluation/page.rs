//! The evaluation pack's index.html: the comparison first, then the weekly
//! charts, harm concentration and flags, with links to every file.

use super::super::html::Page;
use super::super::pack::Pack;
use super::super::suppress::SUPPRESSED;
use super::super::ReportError;
use super::Evaluation;

impl Evaluation<'_> {
    pub fn page(&self, pack: &Pack) -> Result<String, ReportError> {
        let p = self.periods;
        let mut page = Page::new(
            "Raneem's Law pilot: evaluation pack",
            &format!(
                "Baseline {} to {}; pilot {} to {} (local dates). Pseudonymised: person ids are keyed hashes; counts from 1 to {} and figures that would reveal them show as {SUPPRESSED}.",
                p.baseline.0, p.baseline.1, p.pilot.0, p.pilot.1, self.suppression.up_to
            ),
        );
        let dir = pack.dir();
        let failed = |e: std::io::Error| ReportError::write(dir, e);
        page.heading("Baseline against pilot");
        page.paragraph("Each point is the pilot period minus the baseline for one force, with its 95 % interval: proportions by Newcombe's hybrid score method, median minutes by a seeded percentile bootstrap.");
        page.figure("comparison", "Pilot minus baseline, by force, with 95 % intervals");
        let columns = "force measure unit baseline pilot difference ci_low ci_high";
        page.csv_table(dir, "comparison.csv", columns, 40).map_err(failed)?;
        page.heading("Weekly figures");
        page.figure("da_volume_by_force", "Domestic-abuse incidents per week, by force");
        page.figure("repeat_share_by_force", "Repeat contacts within 30 days, by force");
        page.paragraph("Every KPI by force and week is in kpis_by_force_week.csv.");
        page.heading("Concentration of harm");
        page.figure("lorenz", "Lorenz curves of harm over dyads");
        let harm = "force dyads top_1pct_dyads_harm_pct top_2pct_dyads_harm_pct top_5pct_dyads_harm_pct";
        page.csv_table(dir, "harm_concentration.csv", harm, 10)
            .map_err(failed)?;
        page.heading("Flags");
        page.figure("flags_by_rule", "Flags raised, by rule");
        page.heading("Files");
        page.links(&files());
        Ok(page.finish())
    }
}

fn files() -> Vec<(String, String)> {
    [
        (
            "comparison.csv",
            "each KPI per force and per group pooled (pilot, comparison): baseline, pilot, difference and 95 % interval",
        ),
        (
            "effects.csv",
            "the pilot's effect on each proportion against the comparison forces, with randomisation inference",
        ),
        ("kpis_by_force_week.csv", "every KPI by force and ISO week"),
        (
            "panel.csv",
            "force by whole week: group, pilot start, weeks since it, every KPI's numerator and denominator (also panel.parquet)",
        ),
        (
            "harm_concentration.csv",
            "share of harm held by the most harmful 1 %, 2 %, 5 % of dyads",
        ),
        ("lorenz.csv", "the Lorenz curve of harm over dyads, per force"),
        ("flags_by_rule.csv", "flags raised per force and rule, in each period"),
        (
            "data_quality.csv",
            "rows read, accepted, quarantined and duplicated per force",
        ),
        (
            "manifest.json",
            "inputs, methods, and every file of this pack with its SHA-256",
        ),
    ]
    .iter()
    .map(|(f, w)| (f.to_string(), w.to_string()))
    .collect()
}
