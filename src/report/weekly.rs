//! The weekly review pack of one force, `weekly/<force>/<week>/`: who to
//! review first (the priority lists), the missed opportunities and flags
//! detected that week (the first moment the data could show them; a gap with
//! a deadline, when the deadline passed) with their evidence, the week's KPIs beside the previous
//! weeks', charts, and an `index.html` a reviewer can read in five minutes.
//! Inside the force, so person ids and references are kept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::json;

use super::case::write_case_files;
use super::charts::{self, Bars, Distribution, Ecdf, Lines, Series};
use super::coverage::is_partial;
use super::decisions::Decisions;
use super::findable::{with_people, Findable};
use super::force_flags::ForceFlags;
use super::html::Page;
use super::kpis::{self, WeekKpis};
use super::last_week;
use super::measures::MEASURES;
use super::pack::Pack;
use super::provenance::{manifest, seconds, Counts};
use super::review::{self, needs_decision};
use super::week::Week;
use super::workbook;
use super::{ReportData, ReportError};
use crate::csv_out::TableWriter;
use crate::detect::{
    flag_table, missed_table, priority_table, ranked_as_of, select_rows, Detected, Family, Flag, Priority, Ranked,
    SubjectRef, Table,
};
use crate::schema::{Area, Grade};
use polars::prelude::PlHashMap;

/// The folder of the weekly packs inside the output folder.
pub const WEEKLY: &str = "weekly";

/// What a written pack holds, for the command's summary.
#[derive(Debug, Clone)]
pub struct WeeklySummary {
    pub path: PathBuf,
    pub week: Week,
    pub flags: usize,
    pub missed: usize,
}

/// Writes the pack of `force` for `week` (default: the latest complete week of the data).
pub fn write_weekly(
    data: &ReportData,
    force: &str,
    week: Option<Week>,
    (decisions, earlier_run): (&Decisions, Option<&Path>),
) -> Result<WeeklySummary, ReportError> {
    let started = Instant::now();
    let number = data.force_number(force).ok_or_else(|| {
        ReportError::Usage(format!(
            "no force `{force}` in the data; known forces: {}",
            data.detected.records.forces.join(", ")
        ))
    })?;
    let last_date = data.last_date(number);
    let week = week.unwrap_or_else(|| Week::latest_complete(last_date));
    if week.monday() > last_date {
        return Err(ReportError::Usage(format!(
            "week {week} starts after the end of the data ({last_date}); give an earlier --week"
        )));
    }
    let target = data.out.join(WEEKLY).join(force).join(week.to_string());
    let pack = Pack::start(&target)?;
    let until = week_end(data, force, week);
    let force_flags = ForceFlags::of(data.detected, number);
    let selected = Review::select(data, (number, &force_flags), week, until);
    let findable = Findable::new(data.detected, number, until);
    selected.write_tables(data, &pack, &findable)?;
    let order = |list: &mut [usize]| selected.order_by_risk(data.detected, list);
    let folders: Vec<&Path> = [Some(data.out), earlier_run].into_iter().flatten().collect();
    let last_week = last_week::read(&folders, force, week)?;
    let memory = (decisions, last_week.as_ref());
    let lists = review::lists(data, (number, &force_flags), week, memory, order);
    let unmatched = review::write(data, number, week, &lists, decisions, (&findable, &pack))?;
    let cases = selected.write_cases(data, &pack, &findable)?;
    let weeks = history(data, force, week);
    write_kpis(&pack, &weeks, data, &force_flags)?;
    workbook::write(&pack, (force, week))?;
    selected.write_charts(data, &pack, &weeks)?;
    let page = selected.page(data, (force, week), &weeks, (&lists, unmatched, &cases), &pack)?;
    pack.write("index.html", page.as_bytes())?;
    let timings = BTreeMap::from([("weekly_pack", seconds(started))]);
    let about = json!({"kind": "weekly", "force": force, "week": week.to_string()});
    pack.commit(manifest(data, about, Counts::Open, timings))?;
    Ok(WeeklySummary {
        path: target,
        week,
        flags: selected.flags.len(),
        missed: selected.missed.len(),
    })
}

/// The force's rows of the week: flags and missed opportunities detected in
/// it, and the priority lists as they stood at the week's end.
struct Review {
    force: u16,
    week: Week,
    /// Positions in `Detected::flags`.
    flags: Vec<usize>,
    missed: Vec<usize>,
    /// The force's rows of the lists, in rank order.
    victims: Vec<Ranked>,
    perpetrators: Vec<Ranked>,
}

impl Review {
    fn select(data: &ReportData, (force, force_flags): (u16, &ForceFlags), week: Week, until: i64) -> Review {
        let detected = data.detected;
        let (victims, perpetrators) = ranked_as_of(detected, data.config, until);
        let of_force = |list: Vec<Ranked>| list.into_iter().filter(|r| r.force == force).collect();
        let mut review = Review {
            force,
            week,
            flags: Vec::new(),
            missed: Vec::new(),
            victims: of_force(victims),
            perpetrators: of_force(perpetrators),
        };
        let (mut flags, mut missed) = (Vec::new(), Vec::new());
        for n in force_flags.in_week(week) {
            if detected.flags[n].rule.family() == Family::Missed {
                missed.push(n);
            } else {
                flags.push(n);
            }
        }
        review.order_by_risk(detected, &mut flags);
        review.order_by_risk(detected, &mut missed);
        (review.flags, review.missed) = (flags, missed);
        review
    }

    /// Writes the case (history and timeline) of every tier 1 and 2 person on
    /// the lists into `cases/<person id>/`; the page's links to them.
    fn write_cases(
        &self,
        data: &ReportData,
        pack: &Pack,
        findable: &Findable,
    ) -> Result<Vec<(String, String)>, ReportError> {
        // In the lists' order (victims, then perpetrators), each person once.
        let mut seen = std::collections::HashSet::new();
        let persons: Vec<(&str, u8)> = (self.victims.iter().chain(&self.perpetrators))
            .filter(|r| r.priority.tier.level <= 2)
            .filter_map(|r| Some((findable.person_of(&r.priority.subject)?, r.priority.tier.level)))
            .filter(|(id, _)| seen.insert(*id))
            .collect();
        // Side by side: a national force can have hundreds.
        let links: Vec<Vec<(String, String)>> = persons
            .par_iter()
            .map(|&(id, tier)| {
                let Some(number) = findable.number(id) else {
                    return Ok(Vec::new());
                };
                let folder = format!("cases/{id}");
                let dir = pack.dir().join(&folder);
                write_case_files(data, (id, number), (&dir, charts::Files::Svg))?;
                let name = findable.cells(Some(id)).first().cloned().unwrap_or_default();
                Ok(vec![
                    (
                        format!("{folder}/timeline.svg"),
                        format!("{name} ({id}), tier {tier}: timeline"),
                    ),
                    (format!("{folder}/history.csv"), format!("{name} ({id}): every contact")),
                ])
            })
            .collect::<Result<_, ReportError>>()?;
        Ok(links.concat())
    }

    /// Orders flags (positions in `Detected::flags`) as the review reads
    /// them: the tier of their subject on the force's priority list
    /// (subjects not on it last), then severity, then the most recently
    /// detected, then the subject's score, then id.
    fn order_by_risk(&self, detected: &Detected, flags: &mut [usize]) {
        let ranked: PlHashMap<&SubjectRef, &Priority> = (self.victims.iter().chain(&self.perpetrators))
            .map(|r| (&r.priority.subject, r.priority.as_ref()))
            .collect();
        let key = |&n: &usize| {
            let flag = &detected.flags[n];
            let priority = ranked.get(&flag.subject);
            let tier = priority.map_or(u8::MAX, |p| p.tier.level);
            // Scores run 0-100; thousandths order them as finely as the tables print them.
            let score = priority.map_or(0, |p| (p.score * 1000.0).round() as i64);
            let newest_first = std::cmp::Reverse(flag.detected_at);
            (tier, flag.severity, newest_first, std::cmp::Reverse(score), flag.id)
        };
        flags.sort_by_cached_key(key);
    }

    fn write_tables(&self, data: &ReportData, pack: &Pack, findable: &Findable) -> Result<(), ReportError> {
        let detected = data.detected;
        let missed: Vec<&Flag> = self.missed.iter().map(|&n| &detected.flags[n]).collect();
        let all_missed: Vec<usize> = (0..missed.len()).collect();
        let ranked = |list: &'static str, perpetrators: bool| {
            let rows = if perpetrators {
                &self.perpetrators
            } else {
                &self.victims
            };
            let table = priority_table(detected, rows, perpetrators);
            (
                list,
                with_people(table, findable, move |n| findable.person_of(&rows[n].priority.subject)),
            )
        };
        let missed_named = with_people(missed_table(detected, &missed), findable, |n| {
            findable.person_of(&missed[n].subject)
        });
        let flags_named = with_people(flag_table(detected), findable, |n| {
            findable.person_of(&detected.flags[n].subject)
        });
        let tables: [(&str, Table); 4] = [
            ranked("priority_victims.csv", false),
            ranked("priority_perpetrators.csv", true),
            ("missed_opportunities.csv", select_rows(missed_named, all_missed)),
            ("flags.csv", select_rows(flags_named, self.flags.clone())),
        ];
        let mut writer = TableWriter::default();
        for (name, (header, rows, line)) in &tables {
            let path = pack.path(name)?;
            writer
                .write_lines(&path, header, *rows, line)
                .map_err(|e| ReportError::write(&path, e))?;
        }
        Ok(())
    }

    fn write_charts(&self, data: &ReportData, pack: &Pack, weeks: &[WeekKpis]) -> Result<(), ReportError> {
        let labels: Vec<String> = weeks.iter().map(|w| w.week.clone()).collect();
        let series = |name: &str, value: &dyn Fn(&WeekKpis) -> Option<f64>| Series {
            name: name.to_string(),
            values: weeks.iter().map(value).collect(),
        };
        let count = |column: &'static str| move |w: &WeekKpis| Some(w.count(column) as f64);
        let volume = Lines {
            title: format!(
                "Domestic-abuse incidents per week, by first contact channel: {}",
                self.week
            ),
            weeks: labels.clone(),
            y_label: "incidents".into(),
            y_max: None,
            series: vec![
                series("all", &count("da_incidents")),
                series("999", &count("via_999")),
                series("101", &count("via_101")),
                series("online", &count("via_online")),
            ],
        };
        let share = |column: &'static str| move |w: &WeekKpis| w.percent(column, "with_victim");
        let repeats = Lines {
            title: "Repeat contacts: the victim's previous domestic incident was within...".into(),
            weeks: labels,
            y_label: "% of domestic incidents with a named victim".into(),
            y_max: Some(100.0),
            series: vec![
                series("24 hours", &share("repeat_24h")),
                series("7 days", &share("repeat_7d")),
                series("30 days", &share("repeat_30d")),
            ],
        };
        let fail = |e: String| ReportError::write(pack.dir(), e);
        charts::save(&volume, pack.dir(), "da_volume").map_err(fail)?;
        charts::save(&repeats, pack.dir(), "repeat_share").map_err(fail)?;
        charts::save(&self.response_chart(data), pack.dir(), "response_times").map_err(fail)?;
        charts::save(&self.flag_chart(data), pack.dir(), "flags_by_rule").map_err(fail)
    }

    fn response_chart(&self, data: &ReportData) -> Ecdf {
        let first = self.week.back(data.config.spec.report.weekly_history_weeks);
        let targets = data
            .config
            .force(data.detected.records.force_id(self.force))
            .map(|f| f.targets)
            .unwrap_or_default();
        let grades = [Grade::Emergency, Grade::Priority, Grade::Scheduled]
            .into_iter()
            .map(|grade| {
                let minutes = data
                    .facts
                    .iter()
                    .filter(|f| f.force == self.force && f.domestic && f.final_grade == Some(grade))
                    .filter(|f| f.week >= first && f.week <= self.week)
                    .filter_map(|f| f.response_minutes)
                    .collect();
                let named = |area: Area| {
                    targets
                        .minutes(grade, Some(area))
                        .map(|m| (m, area.code().to_lowercase()))
                };
                let mut targets: Vec<(u32, String)> =
                    [named(Area::Urban), named(Area::Rural)].into_iter().flatten().collect();
                targets.dedup_by_key(|t| t.0);
                if targets.len() == 1 {
                    targets[0].1 = String::new();
                }
                Distribution {
                    grade,
                    minutes,
                    targets,
                }
            })
            .collect();
        Ecdf {
            title: format!("Time to attend domestic incidents by grade, {first} to {}", self.week),
            max_minutes: 240.0,
            grades,
        }
    }

    fn flag_chart(&self, data: &ReportData) -> Bars {
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for &n in self.flags.iter().chain(&self.missed) {
            *counts.entry(data.detected.flags[n].rule as usize).or_default() += 1;
        }
        let rules = crate::detect::Rule::ALL;
        Bars {
            title: format!("Flags detected in {}", self.week),
            x_label: "flags".into(),
            bars: counts
                .into_iter()
                .map(|(r, n)| (rules[r].code().to_string(), n as f64))
                .collect(),
        }
    }

    fn page(
        &self,
        data: &ReportData,
        (force, week): (&str, Week),
        weeks: &[WeekKpis],
        (lists, unmatched, cases): (&review::ReviewLists, usize, &[(String, String)]),
        pack: &Pack,
    ) -> Result<String, ReportError> {
        let detected = data.detected;
        let mut page = Page::new(
            &format!("Weekly review: {force}, {week}"),
            &format!(
                "Monday {} to Sunday {} (local time). Data to {}; the priority lists are as they stood at the end of the week (or of the data, if earlier).",
                week.monday(),
                week.sunday(),
                detected.clock.stamp(self.force, detected.records.data_end)
            ),
        );
        let recorded = kpis::recorded(data.config, force);
        let mut cards = headline(weeks, self.flags.len(), self.missed.len(), &recorded);
        cards.insert(0, coverage_card(data.days_with_data(force, &week.to_string())));
        let needing = (self.missed.iter().chain(&self.flags))
            .filter(|&&n| needs_decision(&detected.flags[n]))
            .count();
        let why = "new missed opportunities and new high-severity signals and gaps";
        cards.insert(1, ("need a decision this week".into(), needing.to_string(), why.into()));
        page.cards(&cards);
        let rows = data.config.spec.report.page_rows;
        let dir = pack.dir();
        let failed = |e: std::io::Error| ReportError::write(dir, e);
        page.heading("To decide: new this week");
        page.paragraph(&format!(
            "{} new, {} carried over (from the previous {} weeks, or older with an owner) and still open, {} closed this week (by a decision in the decisions file, for a missed opportunity a referral, or because the flag no longer needs a decision), {} expired (open {} weeks with no decision, no longer carried). Fill in decisions_template.csv and give it back with --decisions next week.{}",
            lists.new.len(),
            lists.carried.len(),
            data.config.spec.report.weekly_history_weeks,
            lists.closed.len() + lists.settled.len(),
            lists.expired.len(),
            data.config.spec.report.weekly_history_weeks + 1,
            if unmatched > 0 {
                format!(" {unmatched} decisions name no flag of this run: see decisions_unmatched.csv.")
            } else {
                String::new()
            }
        ));
        let items = "id rule severity name dob person_refs status owner sentence";
        page.csv_table(dir, "review_new.csv", items, rows).map_err(failed)?;
        page.heading("To decide: carried over");
        page.csv_table(dir, "review_carried.csv", items, rows).map_err(failed)?;
        page.heading("Closed this week");
        let closed = "id rule severity name dob person_refs owner decided_on reason";
        page.csv_table(dir, "review_closed.csv", closed, rows).map_err(failed)?;
        if !lists.expired.is_empty() {
            page.heading("Expired this week: open with no decision");
            page.csv_table(dir, "review_expired.csv", items, rows).map_err(failed)?;
        }
        page.heading("Review first: victims");
        page.paragraph("Tier 1: an open missed opportunity joining a recent night of repeated calls with a serious response gap; tier 2: any other open missed opportunity; then by score.");
        let ranked = "rank tier severity name dob person_refs score da_incidents open_missed_opportunities \
                      force_last_contact force_last_incident_ref force_last_risk_level force_last_referral rules";
        page.csv_table(dir, "priority_victims.csv", ranked, rows)
            .map_err(failed)?;
        page.heading("Review first: perpetrators");
        let perpetrators = "rank tier severity name dob person_refs score victims da_incidents \
                            open_missed_opportunities force_last_contact force_last_incident_ref rules";
        page.csv_table(dir, "priority_perpetrators.csv", perpetrators, rows)
            .map_err(failed)?;
        if !cases.is_empty() {
            page.heading("Case timelines: tier 1 and 2");
            page.paragraph("Every contact of each person in tier 1 or 2 on the lists above, on a time axis, with the flags citing them.");
            page.links(cases);
        }
        page.heading("Missed opportunities detected this week");
        let missed = "missed_opportunity_id name dob person_refs signal_rules gap_rules sentence";
        page.csv_table(dir, "missed_opportunities.csv", missed, rows)
            .map_err(failed)?;
        page.heading("Flags detected this week");
        page.figure("flags_by_rule", "Flags detected this week, by rule");
        let flags = "flag_id rule severity name dob person_refs incidents sentence";
        page.csv_table(dir, "flags.csv", flags, rows).map_err(failed)?;
        page.heading("This week beside the previous weeks");
        page.figure("da_volume", "Domestic-abuse incidents per week");
        page.figure("repeat_share", "Repeat contacts per week");
        page.figure(
            "response_times",
            "Time to attend, by grade, against the targets (dashed)",
        );
        let kpis = "week da_incidents median_response_minutes within_target_pct risk_assessed_pct \
                    specialist_reviewed_pct repeat_30d_pct missed_opportunities flags_per_100_da_incidents \
                    needing_decision";
        page.csv_table(dir, "kpis.csv", kpis, weeks.len()).map_err(failed)?;
        page.heading("Files");
        page.links(&files());
        Ok(page.finish())
    }
}

/// UTC milliseconds of the end of the week (the next Monday's local midnight) in the force's zone.
fn week_end(data: &ReportData, force: &str, week: Week) -> i64 {
    let next_monday = week.sunday().succ_opt().unwrap_or(week.sunday());
    let midnight = next_monday.and_hms_opt(0, 0, 0).unwrap_or_default();
    crate::timestamps::resolve_local(midnight, data.config.time_zone(force)).unwrap_or(i64::MAX)
}

/// The week and the weeks before it, oldest first (weeks with no domestic incident are zeros).
fn history(data: &ReportData, force: &str, week: Week) -> Vec<WeekKpis> {
    let span = data.config.spec.report.weekly_history_weeks;
    (0..=span)
        .rev()
        .map(|back| week.back(back).to_string())
        .map(|label| {
            data.weekly
                .iter()
                .find(|w| w.force == force && w.week == label)
                .cloned()
                .unwrap_or_else(|| WeekKpis::empty(force, &label))
        })
        .collect()
}

/// The pack's KPIs: each week's, with how much there was to read (flags
/// detected, per 100 domestic incidents, and those needing a decision).
fn write_kpis(pack: &Pack, weeks: &[WeekKpis], data: &ReportData, force_flags: &ForceFlags) -> Result<(), ReportError> {
    let path = pack.path("kpis.csv")?;
    let mut header = kpis::header();
    header.extend(LOAD_COLUMNS.iter().map(|c| c.to_string()));
    let rows: Vec<Vec<String>> = weeks
        .iter()
        .map(|week| {
            let recorded = kpis::recorded(data.config, &week.force);
            let mut row = kpis::open_row(week, &recorded, data.days_with_data(&week.force, &week.week));
            let (flags, needing) = (week.week.parse()).map_or((0, 0), |w| force_flags.load(data.detected, w));
            let incidents = week.count("da_incidents");
            let per_100 = (incidents > 0).then(|| format!("{:.1}", 100.0 * flags as f64 / incidents as f64));
            row.extend([flags.to_string(), per_100.unwrap_or_default(), needing.to_string()]);
            row
        })
        .collect();
    crate::csv_out::write_rows(&path, &header, rows.len(), |i| rows[i].clone())
        .map_err(|e| ReportError::write(&path, e))
}

/// The columns [`write_kpis`] adds to the KPIs.
const LOAD_COLUMNS: [&str; 3] = ["flags_detected", "flags_per_100_da_incidents", "needing_decision"];

/// The headline cards: this week, and the mean of the weeks before.
fn headline(weeks: &[WeekKpis], flags: usize, missed: usize, recorded: &[bool]) -> Vec<(String, String, String)> {
    let (this, before) = match weeks.split_last() {
        Some((this, before)) => (this, before),
        None => return Vec::new(),
    };
    let mean_count = |column: &str| {
        let n = before.len().max(1) as f64;
        before.iter().map(|w| w.count(column) as f64).sum::<f64>() / n
    };
    let pooled = |numerator: &str, denominator: &str| {
        let (x, n) = before
            .iter()
            .fold((0, 0), |(x, n), w| (x + w.count(numerator), n + w.count(denominator)));
        (n > 0).then(|| 100.0 * x as f64 / n as f64)
    };
    let percent = |value: Option<f64>| value.map_or("no data".to_string(), |v| format!("{v:.0} %"));
    let mut cards = vec![
        (
            "domestic-abuse incidents".to_string(),
            this.count("da_incidents").to_string(),
            format!("{:.1} a week before", mean_count("da_incidents")),
        ),
        (
            "missed opportunities detected".into(),
            missed.to_string(),
            String::new(),
        ),
        ("other flags detected".into(), flags.to_string(), String::new()),
    ];
    for name in ["within_target", "repeat_30d", "specialist_reviewed"] {
        let Some(n) = MEASURES.iter().position(|m| m.name == name) else {
            continue;
        };
        let measure = &MEASURES[n];
        if !recorded[n] {
            let why = "the force's exports lack a field it needs".to_string();
            cards.push((measure.label.to_string(), kpis::NOT_RECORDED.to_string(), why));
            continue;
        }
        {
            cards.push((
                measure.label.to_string(),
                percent(this.percent(measure.numerator_column, measure.denominator_column)),
                format!(
                    "{} before",
                    percent(pooled(measure.numerator_column, measure.denominator_column))
                ),
            ));
        }
    }
    cards
}

/// The card saying how much of the week the data covers, marking a partial week.
fn coverage_card(days: u32) -> (String, String, String) {
    let note = if is_partial(days) {
        "PARTIAL WEEK: the figures are not a whole week's".to_string()
    } else {
        String::new()
    };
    ("days with data".to_string(), format!("{days} of 7"), note)
}

fn files() -> Vec<(String, String)> {
    [
        (
            "priority_victims.csv",
            "every victim of the force, ranked, with the score's components",
        ),
        ("priority_perpetrators.csv", "every perpetrator of the force, ranked"),
        (
            "missed_opportunities.csv",
            "missed opportunities detected this week, with the flags they join",
        ),
        ("flags.csv", "every other flag detected this week, with its evidence"),
        ("kpis.csv", "this week's KPIs and the previous weeks'"),
        (
            workbook::FILE,
            "the lists above as one Excel workbook, a sheet each, with what each column means",
        ),
        (
            "review_new.csv",
            "items needing a decision detected this week, with any decision on them",
        ),
        (
            "review_carried.csv",
            "items from the previous weeks still open, with their latest decision",
        ),
        ("review_closed.csv", "items closed this week, and why"),
        (
            "review_expired.csv",
            "items still open with no decision that are this week too old to carry over",
        ),
        (
            "decisions_template.csv",
            "every open item, ready to fill in and give back with --decisions",
        ),
        ("decisions_unmatched.csv", "decisions naming no flag of this run"),
        (
            "manifest.json",
            "inputs, their SHA-256 and counts, and every file of this pack",
        ),
    ]
    .iter()
    .map(|(f, w)| (f.to_string(), w.to_string()))
    .collect()
}
