//! A week's review as a loop: the items that need a reviewer's decision
//! (missed opportunities, and high-severity signals and gaps) with evidence
//! in the force, split into those **new** this week, those **carried over**
//! (detected in the weeks shown before it and still open at its end), and
//! those **closed** during it, by a decision or, for a missed opportunity,
//! by a MARAC or IDVA referral recorded on the subject's incidents after it
//! was detected. Written as `review_new.csv`, `review_carried.csv`,
//! `review_closed.csv`, with `decisions_template.csv` (every open item,
//! ready to fill in) and `decisions_unmatched.csv` (decisions naming no
//! flag of this run: reported, not dropped).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::decisions::{Decision, Decisions, Status, COLUMNS as DECISION_COLUMNS};
use super::findable::{Findable, COLUMNS as PERSON_COLUMNS};
use super::force_flags::ForceFlags;
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

/// The three lists of a week, as positions in `Detected::flags`.
pub struct ReviewLists {
    pub new: Vec<usize>,
    pub carried: Vec<usize>,
    pub closed: Vec<usize>,
    /// How each closed item of the lists was closed, by the week's end.
    closings: BTreeMap<usize, Closing>,
}

/// Sorts out the force's items for the week, from its flags.
pub fn lists(
    data: &ReportData,
    (force, force_flags): (u16, &ForceFlags),
    week: Week,
    decisions: &Decisions,
    order: impl Fn(&mut [usize]),
) -> ReviewLists {
    let detected = data.detected;
    let first = week.back(data.config.spec.report.weekly_history_weeks);
    let mut lists = ReviewLists {
        new: Vec::new(),
        carried: Vec::new(),
        closed: Vec::new(),
        closings: BTreeMap::new(),
    };
    for (n, detected_in) in force_flags.between(first, week) {
        let flag = &detected.flags[n];
        if !needs_decision(flag) {
            continue;
        }
        let closing = closing(data, force, flag, decisions, week.sunday());
        if detected_in == week {
            lists.new.push(n);
        } else if closing.is_none() {
            lists.carried.push(n);
        }
        if let Some(closing) = closing {
            if Week::of(closing.on) == week {
                lists.closed.push(n);
            }
            lists.closings.insert(n, closing);
        }
    }
    for list in [&mut lists.new, &mut lists.carried, &mut lists.closed] {
        order(list);
    }
    lists
}

/// How and when the item was closed by the end of `by`, if it was.
fn closing(data: &ReportData, force: u16, flag: &Flag, decisions: &Decisions, by: NaiveDate) -> Option<Closing> {
    let decided = decisions
        .on(&flag.id.to_string(), by)
        .filter(|d| d.status == Status::Closed)
        .map(|d| Closing {
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

/// Writes the three lists, the template and the unmatched decisions into the pack.
pub fn write(
    data: &ReportData,
    force: u16,
    week: Week,
    lists: &ReviewLists,
    decisions: &Decisions,
    (findable, pack): (&Findable, &Pack),
) -> Result<(), ReportError> {
    let header = item_header();
    for (name, list) in [
        ("review_new.csv", &lists.new),
        ("review_carried.csv", &lists.carried),
        ("review_closed.csv", &lists.closed),
    ] {
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|&n| item_row(data, (force, week), (n, lists.closings.get(&n)), decisions, findable))
            .collect();
        write_csv(pack, name, &header, rows)?;
    }
    let open = (lists.new.iter().chain(&lists.carried)).filter(|n| !lists.closings.contains_key(n));
    let template: Vec<Vec<String>> = open
        .map(|&n| &data.detected.flags[n])
        .map(|flag| template_row(flag, decisions.on(&flag.id.to_string(), week.sunday())))
        .collect();
    let decision_header: Vec<String> = DECISION_COLUMNS.iter().map(|c| c.to_string()).collect();
    write_csv(pack, "decisions_template.csv", &decision_header, template)?;
    write_csv(
        pack,
        "decisions_unmatched.csv",
        &decision_header,
        unmatched(data, decisions),
    )
}

/// Decisions naming no flag of this run, as read.
pub fn unmatched(data: &ReportData, decisions: &Decisions) -> Vec<Vec<String>> {
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
