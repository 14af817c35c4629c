//! A record's times in order, and the hour that happens twice read from
//! evidence. When the clocks go back, a local reading in the repeated hour
//! (01:00-01:59 in October in the UK) is either the first pass or the
//! second, an hour later. Ingest first reads it as the first pass
//! (`timestamps::local`); then, for exports whose times carry no offset,
//! each file is read again in order:
//!
//! - across rows, in file order, times move forward: a first time (a call's
//!   receipt, an incident's creation) in the repeated hour that jumps back by
//!   more than [`JITTER`] from the row before, itself in that hour, belongs to
//!   the second pass (and the rows of the hour before the jump to the first);
//! - within a row, the times run in order (received <= answered <= ended;
//!   created <= dispatched <= arrived <= closed): a later time in the repeated
//!   hour that would fall before an earlier one belongs to the second pass.
//!
//! A reading neither settles stays in the first pass, the documented default,
//! and is counted in `data_quality.csv`. A row whose times still cannot be
//! put in order (whatever the cause) is quarantined naming the fields, so no
//! negative interval is ever published or used by a rule.

use std::collections::BTreeMap;

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::Tz;
use polars::prelude::PlHashSet;
use rayon::prelude::*;

use super::calls::CallRecord;
use super::file::Accepting;
use super::incidents::IncidentRecord;
use super::row::RowFault;
use super::settle::{drop_rows, Added};
use super::tables::Sourced;
use crate::config::{ColumnSource, Export, Field};

/// A step back in file order this small is the jitter of a log not sorted
/// to the minute, not the clock going back.
pub const JITTER: i64 = 15 * 60_000;

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

/// How the readings of one field in the repeated hour were placed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RepeatedHourCounts {
    /// Readings in the repeated hour.
    pub read: u64,
    /// Put in the second pass by the evidence of their row or file.
    pub second_pass: u64,
    /// Left in the first pass with no evidence either way.
    pub by_default: u64,
}

/// Counts per (force, table, field).
pub type RepeatedHourTally = BTreeMap<(String, &'static str, &'static str), RepeatedHourCounts>;

/// A record whose times must run in order.
trait TimeChain {
    const TABLE: &'static str;
    const CHAIN: &'static [Field];
    fn time(&self, k: usize) -> Option<i64>;
    fn set_time(&mut self, k: usize, at: i64);
}

impl TimeChain for CallRecord {
    const TABLE: &'static str = "calls";
    const CHAIN: &'static [Field] = &[Field::ReceivedAt, Field::AnsweredAt, Field::EndedAt];
    fn time(&self, k: usize) -> Option<i64> {
        [Some(self.received_at), self.answered_at, self.ended_at][k]
    }
    fn set_time(&mut self, k: usize, at: i64) {
        match k {
            0 => self.received_at = at,
            1 => self.answered_at = Some(at),
            _ => self.ended_at = Some(at),
        }
    }
}

impl TimeChain for IncidentRecord {
    const TABLE: &'static str = "incidents";
    const CHAIN: &'static [Field] = &[Field::CreatedAt, Field::DispatchedAt, Field::ArrivedAt, Field::ClosedAt];
    fn time(&self, k: usize) -> Option<i64> {
        [
            Some(self.created_at),
            self.dispatched_at,
            self.arrived_at,
            self.closed_at,
        ][k]
    }
    fn set_time(&mut self, k: usize, at: i64) {
        match k {
            0 => self.created_at = at,
            1 => self.dispatched_at = Some(at),
            2 => self.arrived_at = Some(at),
            _ => self.closed_at = Some(at),
        }
    }
}

/// The first passes of repeated hours in a span: UTC start and end, and the
/// step to the second pass.
#[derive(Debug, Default)]
struct RepeatedHours(Vec<(i64, i64, i64)>);

impl RepeatedHours {
    /// The repeated hours of `zone` from `from` to `to` (UTC milliseconds).
    fn covering(zone: Tz, from: i64, to: i64) -> RepeatedHours {
        let offset = |at: i64| {
            DateTime::from_timestamp_millis(at)
                .map(|t| i64::from(zone.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc()) * 1000)
        };
        let mut windows = Vec::new();
        let mut day = from.div_euclid(DAY) * DAY - DAY;
        while day <= to {
            if let (Some(before), Some(after)) = (offset(day), offset(day + DAY)) {
                if after < before {
                    let change = first_minute_where(day, |at| offset(at).is_some_and(|o| o < before));
                    windows.push((change - (before - after), change, before - after));
                }
            }
            day += DAY;
        }
        RepeatedHours(windows)
    }

    /// The window holding `at` as a first-pass reading.
    fn window_of(&self, at: i64) -> Option<(i64, i64, i64)> {
        self.0
            .iter()
            .copied()
            .find(|&(start, end, _)| (start..end).contains(&at))
    }
}

/// The first minute of the day from `day` at which `changed` holds (it holds at the day's end).
fn first_minute_where(day: i64, changed: impl Fn(i64) -> bool) -> i64 {
    let (mut low, mut high) = (0, 24 * 60);
    while low < high {
        let middle = (low + high) / 2;
        if changed(day + middle * MINUTE) {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    day + low * MINUTE
}

/// Whether the export's times are local readings (no offset of their own).
fn reads_local_time(export: &Export) -> bool {
    [&export.timestamp, &export.time]
        .into_iter()
        .flatten()
        .all(|format| !format.has_offset())
}

impl Accepting<'_> {
    /// Places the file's repeated-hour readings and quarantines the rows whose
    /// times cannot be put in order (before keys are settled, so they hold none).
    pub fn order_times(&mut self, added: Added) {
        let local = reads_local_time(self.export);
        let zone = self.force.timezone;
        let mut tally = std::mem::take(&mut self.tables.repeated_hour);
        let force = self.force.id.clone();
        let mut faults: BTreeMap<u64, Vec<RowFault>> = BTreeMap::new();
        let calls = &mut self.tables.calls[added.calls..];
        order_table(calls, local, zone, self.export, &force, &mut tally, &mut faults);
        let incidents = &mut self.tables.incidents[added.incidents..];
        order_table(incidents, local, zone, self.export, &force, &mut tally, &mut faults);
        self.tables.repeated_hour = tally;
        if faults.is_empty() {
            return;
        }
        let lines: PlHashSet<u64> = faults.keys().copied().collect();
        let calls_out = positions_of(&self.tables.calls, added.calls, &lines);
        let incidents_out = positions_of(&self.tables.incidents, added.incidents, &lines);
        drop_rows(&mut self.tables.calls, calls_out);
        drop_rows(&mut self.tables.incidents, incidents_out);
        self.report.rows_accepted -= faults.len() as u64;
        for (line, row_faults) in faults {
            self.quarantine_row(line, row_faults);
        }
    }
}

/// Where the rows from `from` on whose lines are among `lines` are in the table.
fn positions_of<T>(rows: &[Sourced<T>], from: usize, lines: &PlHashSet<u64>) -> Vec<usize> {
    (from..rows.len()).filter(|&i| lines.contains(&rows[i].line)).collect()
}

/// Places one table's repeated-hour readings (the file's rows, in file
/// order) and records the rows whose times run backwards.
fn order_table<T: TimeChain + Send + Sync>(
    rows: &mut [Sourced<T>],
    local: bool,
    zone: Tz,
    export: &Export,
    force: &str,
    tally: &mut RepeatedHourTally,
    faults: &mut BTreeMap<u64, Vec<RowFault>>,
) {
    if rows.is_empty() {
        return;
    }
    let mut counts = vec![RepeatedHourCounts::default(); T::CHAIN.len()];
    let mut hours = RepeatedHours::default();
    if local {
        let (from, to) = rows
            .par_iter()
            .map(|r| r.record.time(0).unwrap_or_default())
            .fold(|| (i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)))
            .reduce(|| (i64::MAX, i64::MIN), |a, b| (a.0.min(b.0), a.1.max(b.1)));
        hours = RepeatedHours::covering(zone, from, to + 7 * DAY);
        place_first_times(rows, &hours, &mut counts[0]);
    }
    // A time the export does not map (a combined export's creation time is its call's) is not a reading.
    let mapped: Vec<bool> = T::CHAIN.iter().map(|&field| export.source(field).is_some()).collect();
    // One pass over the rows: each row's later times placed, then its order checked.
    let empty = || (vec![RepeatedHourCounts::default(); T::CHAIN.len()], Vec::new());
    let (later, backwards) = rows
        .par_iter_mut()
        .fold(empty, |(mut counted, mut backwards), row| {
            if !hours.0.is_empty() {
                place_later_times(&mut row.record, &hours, &mut counted);
            }
            if let Some(fault) = out_of_order(&row.record, &mapped, export) {
                backwards.push((row.line, fault));
            }
            (counted, backwards)
        })
        .reduce(empty, |(a, mut x), (b, y)| {
            x.extend(y);
            (add_counts(a, b), x)
        });
    counts = add_counts(counts, later);
    for (line, fault) in backwards {
        faults.entry(line).or_default().push(fault);
    }
    for (field, counted) in T::CHAIN.iter().zip(counts).filter(|(_, c)| c.read > 0) {
        let entry = tally.entry((force.to_string(), T::TABLE, field.name())).or_default();
        *entry = add_counts(vec![*entry], vec![counted])[0];
    }
}

/// Two sets of counts, field by field, added.
fn add_counts(mut a: Vec<RepeatedHourCounts>, b: Vec<RepeatedHourCounts>) -> Vec<RepeatedHourCounts> {
    for (x, y) in a.iter_mut().zip(b) {
        x.read += y.read;
        x.second_pass += y.second_pass;
        x.by_default += y.by_default;
    }
    a
}

/// Rows' first times: a reading in the repeated hour that jumps back from
/// the row before (itself in that hour) is the second pass; readings of the
/// hour before such a jump are the first pass by evidence; the rest stay in
/// the first pass by default. Only the rows with a reading in the hour are
/// walked (found in parallel), each beside the row before it.
fn place_first_times<T: TimeChain + Send + Sync>(
    rows: &mut [Sourced<T>],
    hours: &RepeatedHours,
    counts: &mut RepeatedHourCounts,
) {
    let in_hour: Vec<usize> = (0..rows.len())
        .into_par_iter()
        .filter(|&i| rows[i].record.time(0).is_some_and(|at| hours.window_of(at).is_some()))
        .collect();
    // Readings of the hour left in the first pass since its last jump back.
    let mut undecided = 0;
    let mut last_walked: Option<usize> = None;
    for i in in_hour {
        if last_walked.is_some_and(|last| last + 1 != i) {
            // A row outside the hour came between: the run of the hour before it has ended.
            counts.by_default += std::mem::take(&mut undecided);
        }
        last_walked = Some(i);
        let Some(at) = rows[i].record.time(0) else { continue };
        let Some((start, end, step)) = hours.window_of(at) else {
            continue;
        };
        counts.read += 1;
        let previous = i.checked_sub(1).and_then(|p| rows[p].record.time(0));
        let jumps_back =
            previous.is_some_and(|p| (start..end + step).contains(&p) && at < p - JITTER && at + step >= p - JITTER);
        if jumps_back {
            rows[i].record.set_time(0, at + step);
            counts.second_pass += 1;
            undecided = 0;
        } else {
            undecided += 1;
        }
    }
    counts.by_default += undecided;
}

/// A row's later times: one in the repeated hour that would fall before the
/// time before it in the row is the second pass; one with nothing before it
/// in that hour could be either, and stays in the first pass by default.
fn place_later_times<T: TimeChain>(record: &mut T, hours: &RepeatedHours, counts: &mut [RepeatedHourCounts]) {
    let Some(mut previous) = record.time(0) else { return };
    for (k, counted) in counts.iter_mut().enumerate().skip(1) {
        let Some(at) = record.time(k) else { continue };
        let mut placed = at;
        if let Some((start, _, step)) = hours.window_of(at) {
            counted.read += 1;
            if at < previous && at + step >= previous {
                placed = at + step;
                record.set_time(k, placed);
                counted.second_pass += 1;
            } else if previous < start {
                counted.by_default += 1;
            }
        }
        previous = previous.max(placed);
    }
}

/// The fault of a row whose times run backwards: the first time before an
/// earlier one in the chain (of the times the export maps: `mapped`), naming both columns.
fn out_of_order<T: TimeChain>(record: &T, mapped: &[bool], export: &Export) -> Option<RowFault> {
    let mut latest: Option<(usize, i64)> = None;
    for k in (0..T::CHAIN.len()).filter(|&k| mapped[k]) {
        let Some(at) = record.time(k) else { continue };
        if let Some((before, earlier)) = latest {
            if at < earlier {
                let (field, after_field) = (T::CHAIN[k], T::CHAIN[before]);
                let minutes = (earlier - at) as f64 / MINUTE as f64;
                return Some(RowFault {
                    column: column_of(export, field),
                    value: String::new(),
                    reason: format!(
                        "the times cannot be put in order: `{}` is {minutes:.1} minutes before `{}` ({}); \
                         a row's times must run {}",
                        field.name(),
                        after_field.name(),
                        column_of(export, after_field),
                        T::CHAIN.iter().map(|f| f.name()).collect::<Vec<_>>().join(" <= ")
                    ),
                });
            }
        }
        if latest.is_none_or(|(_, earlier)| at >= earlier) {
            latest = Some((k, at));
        }
    }
    None
}

/// The file column (or date and time columns) a field is read from.
fn column_of(export: &Export, field: Field) -> String {
    match export.source(field) {
        Some(ColumnSource::Column(name)) => name.clone(),
        Some(ColumnSource::DateAndTime { date, time }) => format!("{date} {time}"),
        None => String::new(),
    }
}
