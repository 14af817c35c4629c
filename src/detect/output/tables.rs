//! The rows of the detect tables: flags, missed opportunities, the two
//! priority lists and the timelines, each a header and a function from row
//! number to cells (written in parallel by `crate::csv_out`).

use crate::csv_out::{push_decimal, Line};
use crate::detect::input::records::Records;
use crate::detect::model::flag::{Family, Flag};
use crate::detect::output::cells::{call_list, incident_list, TimelineCells};
use crate::detect::rank::priority::Ranked;
use crate::detect::rules::episode::seen_in_own_records;
use crate::detect::Detected;
use crate::wall_clock::header_with_wall_clocks;

/// What writes the i-th line of a table.
pub type LineWriter<'a> = Box<dyn Fn(usize, &mut Line) + Sync + 'a>;

/// A table to write: header, number of rows, and what writes each line.
pub type Table<'a> = (Vec<String>, usize, LineWriter<'a>);

/// The rows of `table` at `positions`, in that order (a force's rows, a week's flags).
pub fn select_rows(table: Table<'_>, positions: Vec<usize>) -> Table<'_> {
    let (header, _, line) = table;
    let rows = positions.len();
    (header, rows, Box::new(move |i, out| line(positions[i], out)))
}

/// A non-negative figure to one decimal place (`77.1`), halves rounded up,
/// without float formatting (which dominated these tables' time).
fn push_tenths(out: &mut Vec<u8>, value: f64) {
    let scaled = (value * 10.0).round();
    if !scaled.is_finite() || !(0.0..=1e15).contains(&scaled) {
        out.extend_from_slice(format!("{value:.1}").as_bytes());
        return;
    }
    let scaled = scaled as u64;
    push_decimal(out, scaled / 10);
    out.push(b'.');
    push_decimal(out, scaled % 10);
}

fn strings(values: &[&str]) -> Vec<String> {
    header_with_wall_clocks(values)
}

/// The forces of a flag's evidence by id, `|`-separated, in id order, as one field.
fn flag_forces(records: &Records, flag: &Flag, line: &mut Line) {
    let mut forces: Vec<&str> = flag.forces(records).into_iter().map(|f| records.force_id(f)).collect();
    forces.sort_unstable();
    line.joined(forces.into_iter().map(str::as_bytes));
}

/// A flag's forces, then its window, event and detection times (each with its wall clock).
fn forces_and_times(detected: &Detected, flag: &Flag, line: &mut Line) {
    let force = flag.home_force(&detected.records);
    flag_forces(&detected.records, flag, line);
    for at in [flag.start, flag.end, flag.event_at, flag.detected_at] {
        detected.clock.stamp_fields(line, force, Some(at));
    }
}

pub fn flag_table(detected: &Detected) -> Table<'_> {
    let header = strings(&[
        "flag_id",
        "rule",
        "family",
        "severity",
        "subject_type",
        "subject_id",
        "forces",
        "window_start",
        "window_end",
        "event_at",
        "detected_at",
        "incidents",
        "calls",
        "sentence",
        "joins",
    ]);
    let line = move |i: usize, line: &mut Line| {
        let flag = &detected.flags[i];
        let records = &detected.records;
        line.field_with(|out| flag.id.push_to(out));
        for text in [
            flag.rule.code(),
            flag.rule.family().code(),
            flag.severity.code(),
            flag.subject.kind.code(),
            &flag.subject.id,
        ] {
            line.field(text);
        }
        forces_and_times(detected, flag, line);
        incident_list(records, &flag.incidents, line);
        call_list(records, &flag.incidents, &flag.loose_calls, line);
        line.field(&flag.sentence);
        line.joined_with(&flag.joins, |&f, out| detected.flags[f].id.push_to(out));
    };
    (header, detected.flags.len(), Box::new(line))
}

pub fn missed_table<'a>(detected: &'a Detected, missed: &'a [&'a Flag]) -> Table<'a> {
    let header = strings(&[
        "missed_opportunity_id",
        "subject_type",
        "subject_id",
        "forces",
        "window_start",
        "window_end",
        "event_at",
        "detected_at",
        "history_seen_in",
        "signal_rules",
        "gap_rules",
        "signal_flags",
        "gap_flags",
        "incidents",
        "calls",
        "sentence",
    ]);
    let line = move |i: usize, line: &mut Line| {
        let flag = missed[i];
        let records = &detected.records;
        let members: Vec<&Flag> = flag.joins.iter().map(|&f| &detected.flags[f]).collect();
        let chosen = |family: Family| members.iter().filter(move |f| f.rule.family() == family);
        line.field_with(|out| flag.id.push_to(out));
        for text in [flag.subject.kind.code(), &flag.subject.id] {
            line.field(text);
        }
        forces_and_times(detected, flag, line);
        let signals: Vec<&Flag> = chosen(Family::Signal).copied().collect();
        let gaps: Vec<&Flag> = chosen(Family::Gap).copied().collect();
        let own = seen_in_own_records(records, &signals, &gaps);
        line.field(if own { "OWN_RECORDS" } else { "LINKED_ACROSS_FORCES" });
        for family in [Family::Signal, Family::Gap] {
            let mut rules: Vec<&str> = chosen(family).map(|f| f.rule.code()).collect();
            rules.sort_unstable();
            rules.dedup();
            line.joined(rules.into_iter().map(str::as_bytes));
        }
        for family in [Family::Signal, Family::Gap] {
            line.joined_with(chosen(family), |f, out| f.id.push_to(out));
        }
        incident_list(records, &flag.incidents, line);
        call_list(records, &flag.incidents, &flag.loose_calls, line);
        line.field(&flag.sentence);
    };
    (header, missed.len(), Box::new(line))
}

pub fn priority_table<'a>(detected: &'a Detected, rows: &'a [Ranked], perpetrators: bool) -> Table<'a> {
    let mut header = strings(&[
        "force",
        "rank",
        "tier",
        "acute_night_incidents",
        "severity",
        "person_id",
        "score",
        "recency",
        "frequency",
        "gravity",
        "flag_points",
    ]);
    if perpetrators {
        header.insert(10, "victim_points".into());
    }
    // (index 10 counts no wall-clock twin: no time column comes before it)
    header.extend(strings(&[
        "forces",
        "last_contact",
        "days_since_last_contact",
        "da_incidents",
        "harm",
        "victims",
        "signals",
        "missed_opportunities",
        "open_missed_opportunities",
        "last_referral",
        "rules",
        "flag_ids",
    ]));
    let line = move |i: usize, line: &mut Line| {
        let ranked = &rows[i];
        let p = &ranked.priority;
        let records = &detected.records;
        line.field(records.force_id(ranked.force));
        for count in [ranked.rank, usize::from(p.tier.level), p.tier.acute_incidents] {
            line.number(count as u64);
        }
        line.field(p.severity.map_or("", |s| s.code()));
        line.field(&p.subject.id);
        let mut points = vec![p.score, p.recency, p.frequency, p.gravity];
        if perpetrators {
            points.push(p.victim_points);
        }
        points.push(p.flag_points);
        for value in points {
            line.field_with(|out| push_tenths(out, value));
        }
        line.joined(p.forces.iter().map(|&f| records.force_id(f).as_bytes()));
        detected.clock.stamp_fields(line, ranked.force, Some(p.last_contact));
        line.field_with(|out| push_tenths(out, p.days_since_last));
        line.number(p.incidents as u64);
        line.field_with(|out| push_tenths(out, p.harm));
        for count in [p.victims, p.signals, p.missed, p.tier.open_missed] {
            line.number(count as u64);
        }
        detected.clock.stamp_fields(line, ranked.force, p.last_referral);
        line.field(&p.rules);
        line.joined_with(&p.flag_ids, |id, out| id.push_to(out));
    };
    (header, rows.len(), Box::new(line))
}

pub fn timeline_table<'a>(detected: &'a Detected, cells: &'a TimelineCells) -> Table<'a> {
    let header = strings(&[
        "subject_type",
        "subject_id",
        "seq",
        "first_contact",
        "force",
        "incident_ref",
        "calls",
        "domestic",
        "opening",
        "closing",
        "initial_grade",
        "final_grade",
        "final_grade_raw",
        "arrived_at",
        "risk_tool",
        "risk_level",
        "risk_score",
        "marac_referral_at",
        "idva_referral_at",
        "specialist_review_at",
        "outcome",
        "offence_code",
    ]);
    let mut rows: Vec<(u32, u32, u32)> = Vec::new();
    for (s, subject) in detected.subjects.list.iter().enumerate() {
        rows.extend(
            subject
                .incidents
                .iter()
                .enumerate()
                .map(|(n, &i)| (s as u32, n as u32 + 1, i)),
        );
    }
    let count = rows.len();
    let line = move |r: usize, line: &mut Line| {
        let (s, seq, i) = rows[r];
        let subject = &detected.subjects.list[s as usize];
        line.field(subject.reference.kind.code());
        line.field(&subject.reference.id);
        line.number(u64::from(seq));
        line.fragment(cells.get(i));
    };
    (header, count, Box::new(line))
}

#[cfg(test)]
mod tests {
    use super::push_tenths;

    fn tenths(value: f64) -> String {
        let mut out = Vec::new();
        push_tenths(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn tenths_round_to_one_decimal_place() {
        assert_eq!(tenths(0.0), "0.0");
        assert_eq!(tenths(77.14), "77.1");
        assert_eq!(tenths(12.96), "13.0");
        assert_eq!(tenths(100.0), "100.0");
        assert_eq!(tenths(3.05 + 1e-9), "3.1");
    }
}
