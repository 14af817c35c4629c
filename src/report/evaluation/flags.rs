//! Flags for the evaluators: counts per force and rule in each period, in
//! the pack; and, only on request (`--microdata`), every flag with its
//! subject pseudonymised (no evidence, no sentence) in a folder of its own:
//! row-level data, personal data even pseudonymised, for sharing only under
//! a data-sharing agreement.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::super::charts::Bars;
use super::super::pack::Pack;
use super::super::pseudonym::PseudonymKey;
use super::super::week::Week;
use super::super::ReportError;
use super::periods::{period_code, Period};
use super::{write_table, Evaluation};
use crate::detect::Flag;

/// The microdata pack's folder inside the output folder, and its table.
pub const MICRODATA: &str = "evaluation_microdata";
const MICRODATA_FILE: &str = "flags_pseudonymised.csv";

const MICRODATA_README: &str = "\
Pseudonymised row-level flags (vigil evaluate --microdata)

flags_pseudonymised.csv holds one row per flag in the compared periods: rule,
family, severity, subject type, the subject's keyed pseudonym, forces, week and
period. It names nobody, but it is row-level data about people and remains
personal data under UK GDPR even pseudonymised: anyone holding the key, or
other data about the same incidents, could re-identify a subject.

Share it only under a data-sharing agreement between the forces and the
recipient, store it as the agreement says, and do not publish it or any table
made from it without the suppression the evaluation pack applies. The
evaluation pack (evaluation/) holds only aggregates, suppressed.
";

impl Evaluation<'_> {
    /// The period and week of a flag: when what it describes happened, on its first evidence's clock.
    fn flag_when(&self, flag: &Flag) -> (NaiveDate, Option<Period>) {
        let force = flag.home_force(&self.data.detected.records);
        let date = self.data.detected.clock.date(force, flag.event_at);
        (date, self.periods.of(date))
    }

    /// Each flag's day, period and forces, if it falls in a compared period.
    fn placed(&self) -> Vec<Option<(NaiveDate, Period, Vec<u16>)>> {
        let records = &self.data.detected.records;
        (self.data.detected.flags.par_iter())
            .map(|flag| match self.flag_when(flag) {
                (date, Some(period)) => Some((date, period, flag.forces(records))),
                _ => None,
            })
            .collect()
    }

    /// `flags_by_rule.csv`: flags per force and rule in each period, small counts suppressed.
    pub fn write_flags(&self, pack: &Pack) -> Result<(), ReportError> {
        let records = &self.data.detected.records;
        let placed = self.placed();
        let mut tallies: BTreeMap<(&str, &str), [u64; 2]> = BTreeMap::new();
        for (flag, (_, period, forces)) in self
            .data
            .detected
            .flags
            .iter()
            .zip(&placed)
            .filter_map(|(f, p)| Some((f, p.as_ref()?)))
        {
            let slot = usize::from(*period == Period::Pilot);
            // Each group a flag has evidence in counts it once (a cross-force flag may count in both).
            let groups: std::collections::BTreeSet<&str> =
                forces.iter().map(|&f| self.groups.group(f).pooled_name()).collect();
            for scope in forces.iter().map(|&f| records.force_id(f)).chain(groups) {
                tallies.entry((scope, flag.rule.code())).or_default()[slot] += 1;
            }
        }
        let per_force: Vec<Vec<String>> = tallies
            .iter()
            .map(|((force, rule), [baseline, pilot])| {
                vec![
                    force.to_string(),
                    rule.to_string(),
                    self.suppression.count(*baseline),
                    self.suppression.count(*pilot),
                ]
            })
            .collect();
        let header = ["force", "rule", "baseline_flags", "pilot_flags"].map(String::from);
        write_table(pack, "flags_by_rule.csv", &header, &per_force)
    }

    /// The microdata pack: every flag in a compared period, its subject
    /// pseudonymised, with a README on the terms it may be shared under.
    pub fn write_microdata(&self, pack: &Pack, key: &PseudonymKey) -> Result<(), ReportError> {
        pack.write("README.txt", MICRODATA_README.as_bytes())?;
        let records = &self.data.detected.records;
        let placed = self.placed();
        let mut rows: Vec<Vec<String>> = self
            .data
            .detected
            .flags
            .par_iter()
            .zip(placed.par_iter())
            .filter_map(|(flag, placed)| {
                let (date, period, forces) = placed.as_ref()?;
                let forces: Vec<&str> = forces.iter().map(|&f| records.force_id(f)).collect();
                Some(vec![
                    flag.rule.code().to_string(),
                    flag.rule.family().code().to_string(),
                    flag.severity.code().to_string(),
                    flag.subject.kind.code().to_string(),
                    key.pseudonym(flag.subject.kind.code(), &flag.subject.id),
                    forces.join("|"),
                    Week::of(*date).to_string(),
                    period_code(*period).to_string(),
                ])
            })
            .collect();
        rows.par_sort_unstable();
        let header = [
            "rule",
            "family",
            "severity",
            "subject_type",
            "subject",
            "forces",
            "week",
            "period",
        ]
        .map(String::from);
        write_table(pack, MICRODATA_FILE, &header, &rows)
    }

    pub fn flag_chart(&self) -> Bars {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for flag in &self.data.detected.flags {
            if self.flag_when(flag).1.is_some() {
                *counts.entry(flag.rule.code()).or_default() += 1;
            }
        }
        Bars {
            title: "Flags in both periods by when what they describe happened, all forces, by rule (rules with suppressed counts left out)".into(),
            x_label: "flags".into(),
            bars: counts
                .into_iter()
                .filter(|(_, n)| !self.suppression.hides(*n))
                .map(|(rule, n)| (rule.to_string(), n as f64))
                .collect(),
        }
    }
}
