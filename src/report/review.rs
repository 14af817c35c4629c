//! A week's review as a loop: the items that need a reviewer's decision
//! (missed opportunities, and high-severity signals and gaps) with evidence
//! in the force, split into those **new** this week; those **carried over**,
//! still open at its end (detected in the weeks shown before it, or earlier
//! and owned: their latest decision is OPEN or ACTIONED); those **closed**
//! during it, by a decision or, for a missed opportunity, by a MARAC or IDVA
//! referral recorded on the subject's incidents after it was detected; and
//! those **expired**: still open with no decision, and this week older than
//! the weeks shown, so no longer carried. An item last week's pack left open
//! that none of these holds is closed with the reason (`last_week.rs`), so
//! nothing open drops out unseen.
//! Written as `review_new.csv`, `review_carried.csv`, `review_closed.csv`,
//! `review_expired.csv`, with `decisions_template.csv` (every open item,
//! ready to fill in) and `decisions_unmatched.csv` (decisions naming no
//! flag of this run: reported, not dropped).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::decisions::{Decision, Decisions, Status, COLUMNS as DECISION_COLUMNS};
use super::findable::{Findable, COLUMNS as PERSON_COLUMNS};
use super::force_flags::ForceFlags;
use super::last_week::LastWeek;
use super::pack::Pack;
use super::week::Week;
use super::{ReportData, ReportError};
use crate::detect::{Family, Flag, Severity, SubjectRef};

/// Whether a flag needs a reviewer's decision: a missed opportunity, or a
/// high-severity signal or gap.
pub fn needs_decision(flag: &Flag) -> bool {
    flag.rule.family() == Family::Missed
        || (flag.severity == Severity::High && matches!(flag.rule.family(), Family::Signal | Family::Gap))
}

/// How an item was closed, and when (the local day).
#[derive(Clone)]
struct Closing {
    on: NaiveDate,
    reason: String,
}

/// The lists of a week, as positions in `Detected::flags`.
pub struct ReviewLists {
    pub new: Vec<usize>,
    pub carried: Vec<usize>,
    pub closed: Vec<usize>,
    pub expired: Vec<usize>,
    /// Items last week's pack left open that this week's flags no longer
    /// list (see `last_week.rs`): their row as last week showed it, and why
    /// they are closed. Written after the closed items.
    pub settled: Vec<(BTreeMap<String, String>, String)>,
    /// How each closed item of the lists was closed, by the week's end.
    closings: BTreeMap<usize, Closing>,
}

/// Sorts out the force's items for the week, from its flags.
pub fn lists(
    data: &ReportData,
    (force, force_flags): (u16, &ForceFlags),
    week: Week,
    (decisions, last_week): (&Decisions, Option<&LastWeek>),
    order: impl Fn(&mut [usize]),
) -> ReviewLists {
    let detected = data.detected;
    let first = week.back(data.config.spec.report.weekly_history_weeks);
    let aging_out = first.back(1);
    let mut lists = ReviewLists {
        new: Vec::new(),
        carried: Vec::new(),
        closed: Vec::new(),
        expired: Vec::new(),
        settled: Vec::new(),
        closings: BTreeMap::new(),
    };
    for (n, detected_in) in force_flags.up_to(week) {
        let flag = &detected.flags[n];
        if !needs_decision(flag) {
            continue;
        }
        let standing = decisions.on(&flag.id.to_string(), week.sunday());
        let decided = standing.is_some();
        if !(detected_in >= first || detected_in == aging_out || decided) {
            continue;
        }
        let closing = closing(data, force, (flag, standing), week.sunday());
        if detected_in == week {
            lists.new.push(n);
        } else if closing.is_none() && (detected_in >= first || decided) {
            lists.carried.push(n);
        } else if closing.is_none() {
            lists.expired.push(n);
        }
        if let Some(closing) = closing {
            if Week::of(closing.on) == week {
                lists.closed.push(n);
            }
            lists.closings.insert(n, closing);
        }
    }
    for list in [
        &mut lists.new,
        &mut lists.carried,
        &mut lists.closed,
        &mut lists.expired,
    ] {
        order(list);
    }
    if let Some(last_week) = last_week {
        lists.settled = settled(data, &lists, last_week);
    }
    lists
}

/// Last week's open items that none of this week's lists holds, each with why it is closed.
fn settled(data: &ReportData, lists: &ReviewLists, last_week: &LastWeek) -> Vec<(BTreeMap<String, String>, String)> {
    let flags = &data.detected.flags;
    let listed: HashSet<String> = (lists.new.iter().chain(&lists.carried).chain(&lists.closed))
        .chain(&lists.expired)
        .map(|&n| flags[n].id.to_string())
        .collect();
    let unlisted: Vec<&BTreeMap<String, String>> = (last_week.open.iter())
        .filter(|row| !listed.contains(&row["id"]))
        .collect();
    if unlisted.is_empty() {
        return Vec::new();
    }
    let wanted: HashSet<&str> = unlisted.iter().map(|row| row["id"].as_str()).collect();
    let standing: HashMap<String, &Flag> = (flags.iter())
        .map(|flag| (flag.id.to_string(), flag))
        .filter(|(id, _)| wanted.contains(id.as_str()))
        .collect();
    unlisted
        .into_iter()
        .map(|row| {
            let reason = match standing.get(&row["id"]) {
                Some(flag) if needs_decision(flag) => {
                    "no longer on this week's lists: its evidence is no longer in this force, \
                     or it is older than the weeks shown"
                        .to_string()
                }
                Some(flag) => format!(
                    "no longer needs a decision: {} is now {}",
                    flag.rule.code(),
                    flag.severity.code()
                ),
                None => "superseded: the flag no longer stands on this week's data (its evidence changed)".to_string(),
            };
            (row.clone(), reason)
        })
        .collect()
}

/// How and when the item (with its decision standing at `by`) was closed by the end of `by`, if it was.
fn closing(
    data: &ReportData,
    force: u16,
    (flag, standing): (&Flag, Option<&Decision>),
    by: NaiveDate,
) -> Option<Closing> {
    let decided = standing.filter(|d| d.status == Status::Closed).map(|d| Closing {
        on: d.decided_on,
        reason: d.reason.clone(),
    });
    let referred = (flag.rule.family() == Family::Missed)
        .then(|| referral_after(data, &flag.subject, flag.detected_at))
        .flatten()
        .map(|(at, kind)| Closing {
            on: data.detected.clock.date(force, at),
            reason: format!("{kind} referral recorded"),
        })
        .filter(|c| c.on <= by);
    [decided, referred].into_iter().flatten().min_by_key(|c| c.on)
}

/// The first MARAC or IDVA referral on the subject's incidents at or after `from`.
fn referral_after(data: &ReportData, subject: &SubjectRef, from: i64) -> Option<(i64, &'static str)> {
    let subjects = &data.detected.subjects;
    let s = subjects.position(subject)?;
    subjects.list[s]
        .incidents
        .iter()
        .map(|&i| &data.detected.records.incidents[i as usize])
        .flat_map(|incident| [(incident.marac_at, "MARAC"), (incident.idva_at, "IDVA")])
        .filter_map(|(at, kind)| Some((at?, kind)))
        .filter(|&(at, _)| at >= from)
        .min()
}

/// Writes the four lists, the template and the unmatched decisions into the
/// pack; how many decisions were unmatched.
pub fn write(
    data: &ReportData,
    force: u16,
    week: Week,
    lists: &ReviewLists,
    decisions: &Decisions,
    (findable, pack): (&Findable, &Pack),
) -> Result<usize, ReportError> {
    let header = item_header();
    for (name, list) in [
        ("review_new.csv", &lists.new),
        ("review_carried.csv", &lists.carried),
        ("review_closed.csv", &lists.closed),
        ("review_expired.csv", &lists.expired),
    ] {
        let mut rows: Vec<Vec<String>> = list
            .iter()
            .map(|&n| item_row(data, (force, week), (n, lists.closings.get(&n)), decisions, findable))
            .collect();
        if name == "review_closed.csv" {
            rows.extend(
                lists
                    .settled
                    .iter()
                    .map(|(row, reason)| settled_row(&header, row, reason)),
            );
        }
        write_csv(pack, name, &header, rows)?;
    }
    let open =
        (lists.new.iter().chain(&lists.carried).chain(&lists.expired)).filter(|n| !lists.closings.contains_key(n));
    let template: Vec<Vec<String>> = open
        .map(|&n| &data.detected.flags[n])
        .map(|flag| template_row(flag, decisions.on(&flag.id.to_string(), week.sunday())))
        .collect();
    let decision_header: Vec<String> = DECISION_COLUMNS.iter().map(|c| c.to_string()).collect();
    write_csv(pack, "decisions_template.csv", &decision_header, template)?;
    let unmatched = unmatched(data, decisions);
    let count = unmatched.len();
    write_csv(pack, "decisions_unmatched.csv", &decision_header, unmatched)?;
    Ok(count)
}

/// Decisions naming no flag of this run, as read.
fn unmatched(data: &ReportData, decisions: &Decisions) -> Vec<Vec<String>> {
    let known: std::collections::HashSet<String> = data.detected.flags.iter().map(|f| f.id.to_string()).collect();
    decisions
        .by_id
        .iter()
        .filter(|(id, _)| !known.contains(*id))
        .map(|(id, d)| decision_cells(id, d))
        .collect()
}

fn item_header() -> Vec<String> {
    let mut header: Vec<String> = [
        "id",
        "rule",
        "severity",
        "detected_at",
        "detected_at_local",
        "subject_type",
        "subject_id",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    header.extend(PERSON_COLUMNS.iter().map(|c| c.to_string()));
    header.extend(["status", "owner", "decided_on", "reason", "note", "sentence"].map(String::from));
    header
}

fn item_row(
    data: &ReportData,
    (force, week): (u16, Week),
    (n, closed): (usize, Option<&Closing>),
    decisions: &Decisions,
    findable: &Findable,
) -> Vec<String> {
    let flag = &data.detected.flags[n];
    let mut row = vec![
        flag.id.to_string(),
        flag.rule.code().to_string(),
        flag.severity.code().to_string(),
        data.detected.clock.stamp(force, flag.detected_at),
        data.detected.clock.wall_clock(force, flag.detected_at),
        flag.subject.kind.code().to_string(),
        flag.subject.id.clone(),
    ];
    row.extend(findable.cells(findable.person_of(&flag.subject)));
    let decision = decisions.on(&flag.id.to_string(), week.sunday());
    let status = match (&closed, decision) {
        (Some(_), _) => Status::Closed,
        (None, Some(d)) => d.status,
        (None, None) => Status::Open,
    };
    row.push(status.code().to_string());
    row.push(decision.map_or(String::new(), |d| d.owner.clone()));
    row.push(decision.map_or(String::new(), |d| d.decided_on.to_string()));
    row.push(closed.map_or_else(
        || decision.map_or(String::new(), |d| d.reason.clone()),
        |c| c.reason.clone(),
    ));
    row.push(decision.map_or(String::new(), |d| d.note.clone()));
    row.push(flag.sentence.clone());
    row
}

/// A settled item's row: last week's cells by column, closed, with the reason.
fn settled_row(header: &[String], last_week: &BTreeMap<String, String>, reason: &str) -> Vec<String> {
    let cell = |column: &str| match column {
        "status" => Status::Closed.code().to_string(),
        "reason" => reason.to_string(),
        column => last_week.get(column).cloned().unwrap_or_default(),
    };
    header.iter().map(|column| cell(column)).collect()
}

/// A template row: the item's standing decision, or blanks to fill in (a
/// row left with no status and no date is no decision and is skipped when read).
fn template_row(flag: &Flag, decision: Option<&Decision>) -> Vec<String> {
    match decision {
        Some(d) => decision_cells(&flag.id.to_string(), d),
        None => vec![
            flag.id.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ],
    }
}

fn decision_cells(id: &str, d: &Decision) -> Vec<String> {
    vec![
        id.to_string(),
        d.status.code().to_string(),
        d.reason.clone(),
        d.owner.clone(),
        d.note.clone(),
        d.decided_on.to_string(),
    ]
}

fn write_csv(pack: &Pack, name: &str, header: &[String], rows: Vec<Vec<String>>) -> Result<(), ReportError> {
    let path = pack.path(name)?;
    crate::csv_out::write_rows(&path, header, rows.len(), |i| rows[i].clone()).map_err(|e| ReportError::write(&path, e))
}
