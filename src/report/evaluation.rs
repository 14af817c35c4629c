//! The evaluation pack, `evaluation/`: the five forces compared before and
//! after the pilot started, for the Home Office evaluators. KPIs by force
//! and week; for each force (and all together) each proportion in the
//! baseline and the pilot period with the difference and its 95 % interval
//! (Newcombe's hybrid score method; medians by a seeded percentile
//! bootstrap); harm concentration and Lorenz curves; flags by rule; data
//! quality; and every flag with its subject pseudonymised. Nothing in it
//! names anyone: no names, dates of birth, numbers, addresses, postcodes,
//! free text or raw references; person ids are keyed hashes; counts from 1
//! to the threshold, and figures that would reveal one, are suppressed.

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use rayon::prelude::*;
use serde_json::json;

use super::charts::{self, Bars, IntervalPanel, IntervalRow, Intervals, Lines, Lorenz, Series};
use super::facts::IncidentFact;
use super::harm::{concentration, dyad_harms, TOP_PERCENTS};
use super::html::{Page, Preview};
use super::interval::{bootstrap_median_difference, newcombe_difference, Estimate, BOOTSTRAP_RESAMPLES, Z95};
use super::kpis::{self, WeekKpis};
use super::measures::{Measure, MEASURES};
use super::pack::Pack;
use super::provenance::{manifest, seconds, Counts};
use super::pseudonym::PseudonymKey;
use super::suppress::{Suppression, SUPPRESSED};
use super::week::Week;
use super::{ReportData, ReportError};
use crate::csv_out::write_rows;
use crate::detect::{Family, Flag};
use crate::schema::Grade;

/// The folder of the evaluation pack inside the output folder.
pub const EVALUATION: &str = "evaluation";

/// The compared periods, local dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    pub baseline: (NaiveDate, NaiveDate),
    pub pilot: (NaiveDate, NaiveDate),
}

/// Which period a date falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Baseline,
    Pilot,
}

impl Periods {
    /// Defaults: the baseline from the first day of the data to the day before
    /// the pilot start, the pilot from its start to the last day of the data.
    pub fn defaults(data: &ReportData) -> Result<Periods, ReportError> {
        let start = data.config.spec.report.pilot_start_date().map_err(ReportError::Usage)?;
        let first = data.facts.iter().map(|f| f.date).min().unwrap_or(start);
        let last = (0..data.detected.records.forces.len() as u16)
            .map(|f| data.last_date(f))
            .max()
            .unwrap_or(start);
        let day_before = start.checked_sub_days(Days::new(1)).unwrap_or(start);
        Ok(Periods {
            baseline: (first.min(day_before), day_before),
            pilot: (start, last.max(start)),
        })
    }

    /// Parses `FROM..TO` (ISO dates, both included).
    pub fn parse_range(text: &str) -> Result<(NaiveDate, NaiveDate), String> {
        let wrong = || format!("`{text}` is not a period like 2024-10-07..2025-02-20");
        let (from, to) = text.split_once("..").ok_or_else(wrong)?;
        let from: NaiveDate = from.trim().parse().map_err(|_| wrong())?;
        let to: NaiveDate = to.trim().parse().map_err(|_| wrong())?;
        if to < from {
            return Err(format!("the period {text} ends before it starts"));
        }
        Ok((from, to))
    }

    fn of(&self, date: NaiveDate) -> Option<Period> {
        let within = |(from, to): (NaiveDate, NaiveDate)| date >= from && date <= to;
        if within(self.baseline) {
            Some(Period::Baseline)
        } else if within(self.pilot) {
            Some(Period::Pilot)
        } else {
            None
        }
    }
}

/// What the written pack holds, for the command's summary.
#[derive(Debug, Clone)]
pub struct EvaluationSummary {
    pub path: std::path::PathBuf,
    pub periods: Periods,
    pub comparisons: usize,
}

/// Writes the evaluation pack.
pub fn write_evaluation(
    data: &ReportData,
    periods: Periods,
    key: &PseudonymKey,
) -> Result<EvaluationSummary, ReportError> {
    let started = Instant::now();
    if periods.baseline.1 >= periods.pilot.0 {
        return Err(ReportError::Usage(format!(
            "the baseline ({}..{}) must end before the pilot period starts ({})",
            periods.baseline.0, periods.baseline.1, periods.pilot.0
        )));
    }
    let suppression = Suppression {
        up_to: data.config.spec.report.suppress_up_to,
    };
    let target = data.out.join(EVALUATION);
    let pack = Pack::start(&target)?;
    let evaluation = Evaluation::new(data, periods, suppression);
    write_weekly_kpis(&evaluation, &pack)?;
    let comparisons = evaluation.comparisons();
    write_comparisons(&pack, &comparisons)?;
    evaluation.write_harm(&pack)?;
    evaluation.write_flags(&pack, key)?;
    evaluation.write_quality(&pack)?;
    evaluation.write_charts(&pack, &comparisons)?;
    pack.write("index.html", evaluation.page(&pack)?.as_bytes())?;
    let timings = BTreeMap::from([("evaluation_pack", seconds(started))]);
    let about = json!({
        "kind": "evaluation",
        "baseline": [periods.baseline.0.to_string(), periods.baseline.1.to_string()],
        "pilot": [periods.pilot.0.to_string(), periods.pilot.1.to_string()],
        "suppressed_counts": format!("1 to {}", suppression.up_to),
        "pseudonym_key": "HMAC-SHA-256 with a key held outside the repository",
        "interval_methods": {
            "proportions": "Newcombe (1998) hybrid score interval for a difference of proportions (method 10), 95 %",
            "medians": format!("percentile bootstrap, {BOOTSTRAP_RESAMPLES} resamples, seed {}", data.config.spec.report.bootstrap_seed),
        },
    });
    pack.commit(manifest(data, about, Counts::Suppressed(suppression), timings))?;
    Ok(EvaluationSummary {
        path: target,
        periods,
        comparisons: comparisons.len(),
    })
}

struct Evaluation<'a> {
    data: &'a ReportData<'a>,
    periods: Periods,
    suppression: Suppression,
    /// Positions in the facts, per force and per period (baseline, pilot), and for all forces.
    by_force: Vec<[Vec<usize>; 2]>,
    all: [Vec<usize>; 2],
}

impl<'a> Evaluation<'a> {
    fn new(data: &'a ReportData<'a>, periods: Periods, suppression: Suppression) -> Evaluation<'a> {
        let mut by_force: Vec<[Vec<usize>; 2]> = vec![Default::default(); data.detected.records.forces.len()];
        let mut all: [Vec<usize>; 2] = Default::default();
        for (i, fact) in data.facts.iter().enumerate() {
            if let Some(period) = periods.of(fact.date) {
                let slot = usize::from(period == Period::Pilot);
                by_force[usize::from(fact.force)][slot].push(i);
                all[slot].push(i);
            }
        }
        Evaluation {
            data,
            periods,
            suppression,
            by_force,
            all,
        }
    }
}

/// One compared figure for one force (or all forces).
struct Comparison {
    force: String,
    name: String,
    label: String,
    unit: &'static str,
    /// (numerator or responses, denominator) per period.
    baseline: (u64, u64),
    pilot: (u64, u64),
    /// Period values (percent or minutes), difference and interval; `None` when suppressed or not computable.
    values: Option<(f64, f64, Estimate)>,
    /// Hidden because a count would reveal a small number (else `values` is
    /// missing only where a period has no cases at all).
    suppressed: bool,
    method: &'static str,
}

const NEWCOMBE: &str = "Newcombe hybrid score, 95 %";
const BOOTSTRAP: &str = "percentile bootstrap of medians, 95 %";

impl Evaluation<'_> {
    fn forces(&self) -> Vec<(String, Option<u16>)> {
        let mut forces: Vec<(String, Option<u16>)> = self
            .data
            .detected
            .records
            .forces
            .iter()
            .enumerate()
            .map(|(n, id)| (id.clone(), Some(n as u16)))
            .collect();
        forces.push(("all_forces".into(), None));
        forces
    }

    fn facts_of(&self, force: Option<u16>, period: Period) -> impl Iterator<Item = &IncidentFact> + '_ {
        let slot = usize::from(period == Period::Pilot);
        let group = match force {
            Some(n) => self.by_force.get(usize::from(n)).map(|g| &g[slot]),
            None => Some(&self.all[slot]),
        };
        group.into_iter().flatten().map(|&i| &self.data.facts[i])
    }

    fn comparisons(&self) -> Vec<Comparison> {
        let mut rows = Vec::new();
        for (name, force) in self.forces() {
            for measure in MEASURES {
                rows.push(self.proportion(&name, force, measure));
            }
            for grade in [Grade::Emergency, Grade::Priority] {
                rows.push(self.median(&name, force, grade));
            }
        }
        rows
    }

    fn proportion(&self, name: &str, force: Option<u16>, measure: &Measure) -> Comparison {
        let baseline = measure.tally(self.facts_of(force, Period::Baseline));
        let pilot = measure.tally(self.facts_of(force, Period::Pilot));
        let hidden =
            self.suppression.hides_rate(baseline.0, baseline.1) || self.suppression.hides_rate(pilot.0, pilot.1);
        let values = if hidden {
            None
        } else {
            newcombe_difference(pilot.0, pilot.1, baseline.0, baseline.1, Z95).map(|d| {
                let percent = |(x, n): (u64, u64)| 100.0 * x as f64 / n as f64;
                let scaled = Estimate {
                    value: 100.0 * d.value,
                    low: 100.0 * d.low,
                    high: 100.0 * d.high,
                };
                (percent(baseline), percent(pilot), scaled)
            })
        };
        Comparison {
            force: name.to_string(),
            name: measure.name.to_string(),
            label: measure.label.to_string(),
            unit: "percent",
            baseline,
            pilot,
            values,
            suppressed: hidden,
            method: NEWCOMBE,
        }
    }

    fn median(&self, name: &str, force: Option<u16>, grade: Grade) -> Comparison {
        let minutes = |period| -> Vec<f64> {
            self.facts_of(force, period)
                .filter(|f| f.domestic && f.final_grade == Some(grade))
                .filter_map(|f| f.response_minutes)
                .collect()
        };
        let (baseline, pilot) = (minutes(Period::Baseline), minutes(Period::Pilot));
        let hidden = self.suppression.hides(baseline.len() as u64) || self.suppression.hides(pilot.len() as u64);
        let seed = self.data.config.spec.report.bootstrap_seed;
        let values = if hidden {
            None
        } else {
            bootstrap_median_difference(&pilot, &baseline, seed, BOOTSTRAP_RESAMPLES).map(|d| {
                let median = |values: &[f64]| {
                    let mut sorted = values.to_vec();
                    sorted.sort_by(f64::total_cmp);
                    super::interval::median_of_sorted(&sorted).unwrap_or(f64::NAN)
                };
                (median(&baseline), median(&pilot), d)
            })
        };
        Comparison {
            force: name.to_string(),
            name: format!("median_response_{}", grade.code().to_lowercase()),
            label: format!("median minutes to attend, {grade}"),
            unit: "minutes",
            baseline: (baseline.len() as u64, baseline.len() as u64),
            pilot: (pilot.len() as u64, pilot.len() as u64),
            values,
            suppressed: hidden,
            method: BOOTSTRAP,
        }
    }

    fn write_harm(&self, pack: &Pack) -> Result<(), ReportError> {
        let mut rows = Vec::new();
        let mut curves = Vec::new();
        for (name, force) in self.forces() {
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

    /// The period and week of a flag: when it was raised, on its first evidence's clock.
    fn flag_when(&self, flag: &Flag) -> (NaiveDate, Option<Period>) {
        let records = &self.data.detected.records;
        let force = flag
            .incidents
            .first()
            .map(|&i| records.incidents[i as usize].force)
            .or_else(|| flag.loose_calls.first().map(|&c| records.calls[c as usize].force))
            .unwrap_or(0);
        let date = self.data.detected.clock.date(force, flag.raised_at);
        (date, self.periods.of(date))
    }

    fn flag_forces(&self, flag: &Flag) -> Vec<u16> {
        let records = &self.data.detected.records;
        let mut forces: Vec<u16> = flag
            .incidents
            .iter()
            .map(|&i| records.incidents[i as usize].force)
            .chain(flag.loose_calls.iter().map(|&c| records.calls[c as usize].force))
            .collect();
        forces.sort_unstable();
        forces.dedup();
        forces
    }

    fn write_flags(&self, pack: &Pack, key: &PseudonymKey) -> Result<(), ReportError> {
        let records = &self.data.detected.records;
        let placed: Vec<Option<(NaiveDate, Period, Vec<u16>)>> = self
            .data
            .detected
            .flags
            .par_iter()
            .map(|flag| match self.flag_when(flag) {
                (date, Some(period)) => Some((date, period, self.flag_forces(flag))),
                _ => None,
            })
            .collect();
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
            for force in forces
                .iter()
                .map(|&f| records.force_id(f))
                .chain(std::iter::once("all_forces"))
            {
                tallies.entry((force, flag.rule.code())).or_default()[slot] += 1;
            }
        }
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
                    family(flag).to_string(),
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
        write_table(pack, "flags_pseudonymised.csv", &header, &rows)?;
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

    fn write_quality(&self, pack: &Pack) -> Result<(), ReportError> {
        let ingest: serde_json::Value = std::fs::read(self.data.out.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let mut totals: BTreeMap<String, [u64; 4]> = BTreeMap::new();
        for input in ingest["inputs"].as_array().into_iter().flatten() {
            let force = input["force"].as_str().unwrap_or_default().to_string();
            let entry = totals.entry(force).or_default();
            for (slot, key) in ["rows_read", "rows_accepted", "rows_quarantined", "duplicate_rows"]
                .iter()
                .enumerate()
            {
                entry[slot] += input[key].as_u64().unwrap_or(0);
            }
        }
        let s = self.suppression;
        let rows: Vec<Vec<String>> =
            totals
                .iter()
                .map(|(force, counts)| {
                    let hidden = s.protect(counts, &[], &[(vec![1, 2, 3], 0)]);
                    let mut row = vec![force.clone()];
                    row.extend(counts.iter().zip(&hidden).map(|(n, &hide)| {
                        if hide {
                            SUPPRESSED.to_string()
                        } else {
                            n.to_string()
                        }
                    }));
                    row.push(s.percent(counts[2], counts[0]));
                    row
                })
                .collect();
        let header = [
            "force",
            "rows_read",
            "rows_accepted",
            "rows_quarantined",
            "duplicate_rows",
            "quarantined_pct",
        ]
        .map(String::from);
        write_table(pack, "data_quality.csv", &header, &rows)
    }

    fn write_charts(&self, pack: &Pack, comparisons: &[Comparison]) -> Result<(), ReportError> {
        let fail = |e: String| ReportError::write(pack.dir(), e);
        let weeks = self.weeks();
        let forces: Vec<&String> = self.data.detected.records.forces.iter().collect();
        let lines = |title: &str, y_label: &str, y_max: Option<f64>, value: &dyn Fn(&WeekKpis) -> Option<f64>| Lines {
            title: title.to_string(),
            weeks: weeks.clone(),
            y_label: y_label.to_string(),
            y_max,
            series: forces
                .iter()
                .map(|force| Series {
                    name: force.to_string(),
                    values: weeks
                        .iter()
                        .map(|week| self.week_row(force, week).and_then(value))
                        .collect(),
                })
                .collect(),
        };
        let s = self.suppression;
        let volume = lines("Domestic-abuse incidents per week, by force", "incidents", None, &|w| {
            let n = w.count("da_incidents");
            (!s.hides(n)).then_some(n as f64)
        });
        let repeats = lines(
            "Repeat contacts within 30 days, by force",
            "% of domestic incidents with a named victim",
            Some(100.0),
            &|w| {
                let (x, n) = (w.count("repeat_30d"), w.count("with_victim"));
                (!s.hides_rate(x, n) && n > 0).then(|| 100.0 * x as f64 / n as f64)
            },
        );
        charts::save(&volume, pack.dir(), "da_volume_by_force").map_err(fail)?;
        charts::save(&repeats, pack.dir(), "repeat_share_by_force").map_err(fail)?;
        charts::save(&comparison_chart(comparisons), pack.dir(), "comparison").map_err(fail)?;
        charts::save(&self.flag_chart(), pack.dir(), "flags_by_rule").map_err(fail)
    }

    fn flag_chart(&self) -> Bars {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for flag in &self.data.detected.flags {
            if self.flag_when(flag).1.is_some() {
                *counts.entry(flag.rule.code()).or_default() += 1;
            }
        }
        Bars {
            title: "Flags raised in both periods, all forces, by rule (rules with suppressed counts left out)".into(),
            x_label: "flags".into(),
            bars: counts
                .into_iter()
                .filter(|(_, n)| !self.suppression.hides(*n))
                .map(|(rule, n)| (rule.to_string(), n as f64))
                .collect(),
        }
    }

    /// Every week of the two periods, in order.
    fn weeks(&self) -> Vec<String> {
        let (first, last) = (Week::of(self.periods.baseline.0), Week::of(self.periods.pilot.1));
        let mut weeks = Vec::new();
        let mut week = last;
        while week >= first && weeks.len() < 1000 {
            weeks.push(week.to_string());
            week = week.back(1);
        }
        weeks.reverse();
        weeks
    }

    fn week_row(&self, force: &str, week: &str) -> Option<&WeekKpis> {
        self.data.weekly.iter().find(|w| w.force == force && w.week == week)
    }

    fn page(&self, pack: &Pack) -> Result<String, ReportError> {
        let p = self.periods;
        let mut page = Page::new(
            "Raneem's Law pilot: evaluation pack",
            &format!(
                "Baseline {} to {}; pilot {} to {} (local dates). Pseudonymised: person ids are keyed hashes; counts from 1 to {} and figures that would reveal them show as {SUPPRESSED}.",
                p.baseline.0, p.baseline.1, p.pilot.0, p.pilot.1, self.suppression.up_to
            ),
        );
        let preview = |file: &str, columns: &[&str], rows: usize| {
            let path = pack.dir().join(file);
            Preview::read(&path, columns, rows).map_err(|e| ReportError::write(&path, e))
        };
        page.heading("Baseline against pilot");
        page.paragraph("Each point is the pilot period minus the baseline for one force, with its 95 % interval: proportions by Newcombe's hybrid score method, median minutes by a seeded percentile bootstrap.");
        page.figure("comparison", "Pilot minus baseline, by force, with 95 % intervals");
        let columns = [
            "force",
            "measure",
            "unit",
            "baseline",
            "pilot",
            "difference",
            "ci_low",
            "ci_high",
        ];
        page.preview(&preview("comparison.csv", &columns, 40)?, "comparison.csv");
        page.heading("Weekly figures");
        page.figure("da_volume_by_force", "Domestic-abuse incidents per week, by force");
        page.figure("repeat_share_by_force", "Repeat contacts within 30 days, by force");
        page.paragraph("Every KPI by force and week is in kpis_by_force_week.csv.");
        page.heading("Concentration of harm");
        page.figure("lorenz", "Lorenz curves of harm over dyads");
        let harm = [
            "force",
            "dyads",
            "top_1pct_dyads_harm_pct",
            "top_2pct_dyads_harm_pct",
            "top_5pct_dyads_harm_pct",
        ];
        page.preview(&preview("harm_concentration.csv", &harm, 10)?, "harm_concentration.csv");
        page.heading("Flags");
        page.figure("flags_by_rule", "Flags raised, by rule");
        page.heading("Files");
        page.links(&files());
        Ok(page.finish())
    }
}

fn comparison_chart(comparisons: &[Comparison]) -> Intervals {
    let shown = [
        "within_target",
        "risk_assessed",
        "repeat_30d",
        "missed_opportunity",
        "marac_referred",
        "median_response_emergency",
    ];
    let panels = shown
        .iter()
        .map(|name| {
            let rows: Vec<&Comparison> = comparisons.iter().filter(|c| c.name == *name).collect();
            IntervalPanel {
                title: rows.first().map_or(name.to_string(), |c| c.label.clone()),
                unit: rows
                    .first()
                    .map_or("", |c| {
                        if c.unit == "percent" {
                            "percentage points"
                        } else {
                            "minutes"
                        }
                    })
                    .to_string(),
                rows: rows
                    .iter()
                    .map(|c| IntervalRow {
                        label: c.force.clone(),
                        estimate: c.values.map(|(_, _, d)| (d.value, d.low, d.high)),
                    })
                    .collect(),
            }
        })
        .collect();
    Intervals {
        title: "Pilot minus baseline, with 95 % intervals".into(),
        panels,
    }
}

fn write_weekly_kpis(evaluation: &Evaluation, pack: &Pack) -> Result<(), ReportError> {
    let rows: Vec<Vec<String>> = evaluation
        .data
        .weekly
        .iter()
        .filter(|w| {
            w.week.parse::<Week>().is_ok_and(|week| {
                evaluation.periods.of(week.monday()).is_some() || evaluation.periods.of(week.sunday()).is_some()
            })
        })
        .map(|w| kpis::suppressed_row(w, evaluation.suppression))
        .collect();
    write_table(pack, "kpis_by_force_week.csv", &kpis::header(), &rows)
}

fn write_comparisons(pack: &Pack, comparisons: &[Comparison]) -> Result<(), ReportError> {
    let header = [
        "force",
        "measure",
        "label",
        "unit",
        "baseline_numerator",
        "baseline_denominator",
        "baseline",
        "pilot_numerator",
        "pilot_denominator",
        "pilot",
        "difference",
        "ci_low",
        "ci_high",
        "method",
    ]
    .map(String::from);
    let rows: Vec<Vec<String>> = comparisons.iter().map(comparison_row).collect();
    write_table(pack, "comparison.csv", &header, &rows)
}

fn comparison_row(c: &Comparison) -> Vec<String> {
    let counts = [c.baseline.0, c.baseline.1, c.pilot.0, c.pilot.1].map(|n| n.to_string());
    let (counts, figures) = match c.values {
        _ if c.suppressed => (
            [(); 4].map(|_| SUPPRESSED.to_string()),
            [(); 5].map(|_| SUPPRESSED.to_string()),
        ),
        Some((baseline, pilot, d)) => (
            counts,
            [baseline, pilot, d.value, d.low, d.high].map(|v| format!("{v:.1}")),
        ),
        None => {
            // No difference without cases in both periods; a period's own share still shows.
            let share = |(x, n): (u64, u64)| match c.unit {
                "percent" if n > 0 => format!("{:.1}", 100.0 * x as f64 / n as f64),
                _ => String::new(),
            };
            let mut figures = [(); 5].map(|_| String::new());
            figures[0] = share(c.baseline);
            figures[1] = share(c.pilot);
            (counts, figures)
        }
    };
    let mut row = vec![c.force.clone(), c.name.clone(), c.label.clone(), c.unit.to_string()];
    row.extend(counts[..2].iter().cloned());
    row.push(figures[0].clone());
    row.extend(counts[2..].iter().cloned());
    row.extend(figures[1..].iter().cloned());
    row.push(c.method.to_string());
    row
}

fn write_table(pack: &Pack, name: &str, header: &[String], rows: &[Vec<String>]) -> Result<(), ReportError> {
    let path = pack.path(name)?;
    write_rows(&path, header, rows.len(), |i| rows[i].clone()).map_err(|e| ReportError::write(&path, e))
}

fn family(flag: &Flag) -> &'static str {
    match flag.rule.family() {
        Family::Signal => "SIGNAL",
        Family::Gap => "GAP",
        Family::Context => "CONTEXT",
        Family::Missed => "MISSED_OPPORTUNITY",
    }
}

fn period_code(period: Period) -> &'static str {
    match period {
        Period::Baseline => "BASELINE",
        Period::Pilot => "PILOT",
    }
}

fn files() -> Vec<(String, String)> {
    [
        (
            "comparison.csv",
            "each KPI per force and all forces: baseline, pilot, difference and 95 % interval",
        ),
        ("kpis_by_force_week.csv", "every KPI by force and ISO week"),
        (
            "harm_concentration.csv",
            "share of harm held by the most harmful 1 %, 2 %, 5 % of dyads",
        ),
        ("lorenz.csv", "the Lorenz curve of harm over dyads, per force"),
        ("flags_by_rule.csv", "flags raised per force and rule, in each period"),
        (
            "flags_pseudonymised.csv",
            "every flag: rule, severity, pseudonymised subject, forces, week, period",
        ),
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
