//! The rows of the detect tables: flags, missed opportunities, the two
//! priority lists and the timelines, each a header and a function from row
//! number to cells (written in parallel by `crate::csv_out`).

use super::cells::Cells;
use super::flag::{Family, Flag};
use super::priority::Ranked;
use super::records::Records;
use super::Detected;
use crate::csv_out::Line;

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

/// A line writer from a function giving the i-th row's cells.
fn cells_of<'a>(row: impl Fn(usize) -> Vec<String> + Sync + 'a) -> LineWriter<'a> {
    Box::new(move |i, line| {
        for cell in row(i) {
            line.field(&cell);
        }
    })
}

/// A non-negative figure to one decimal place (`77.1`), halves rounded up,
/// without float formatting (which dominated these tables' time).
fn tenths(value: f64) -> String {
    let scaled = (value * 10.0).round();
    if !scaled.is_finite() || !(0.0..=1e15).contains(&scaled) {
        return format!("{value:.1}");
    }
    let scaled = scaled as u64;
    format!("{}.{}", scaled / 10, scaled % 10)
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// The forces of a flag's evidence by id, `|`-separated, in id order.
fn flag_forces(records: &Records, flag: &Flag) -> String {
    let mut forces: Vec<&str> = flag.forces(records).into_iter().map(|f| records.force_id(f)).collect();
    forces.sort_unstable();
    forces.join("|")
}

pub fn flag_table<'a>(detected: &'a Detected, cells: &'a Cells) -> Table<'a> {
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
        "incidents",
        "calls",
        "sentence",
        "joins",
    ]);
    let line = move |i: usize, line: &mut Line| {
        let flag = &detected.flags[i];
        let records = &detected.records;
        let force = flag.home_force(records);
        for text in [
            flag.id.as_str(),
            flag.rule.code(),
            flag.rule.family().code(),
            flag.severity.code(),
        ] {
            line.field(text);
        }
        line.field(flag.subject.kind.code());
        line.field(&flag.subject.id);
        line.field(&flag_forces(records, flag));
        line.field(&detected.clock.stamp(force, flag.start));
        line.field(&detected.clock.stamp(force, flag.end));
        line.field(&cells.incident_list(&flag.incidents));
        line.field(&cells.call_list(records, &flag.incidents, &flag.loose_calls));
        line.field(&flag.sentence);
        let joined: Vec<&str> = flag.joins.iter().map(|&f| detected.flags[f].id.as_str()).collect();
        line.field(&joined.join("|"));
    };
    (header, detected.flags.len(), Box::new(line))
}

pub fn missed_table<'a>(detected: &'a Detected, cells: &'a Cells, missed: &'a [&'a Flag]) -> Table<'a> {
    let header = strings(&[
        "missed_opportunity_id",
        "subject_type",
        "subject_id",
        "forces",
        "window_start",
        "window_end",
        "signal_rules",
        "gap_rules",
        "signal_flags",
        "gap_flags",
        "incidents",
        "calls",
        "sentence",
    ]);
    let row = move |i: usize| {
        let flag = missed[i];
        let records = &detected.records;
        let force = flag.home_force(records);
        let members: Vec<&Flag> = flag.joins.iter().map(|&f| &detected.flags[f]).collect();
        let part = |family: Family| -> (String, String) {
            let chosen: Vec<&&Flag> = members.iter().filter(|f| f.rule.family() == family).collect();
            let mut rules: Vec<&str> = chosen.iter().map(|f| f.rule.code()).collect();
            rules.sort_unstable();
            rules.dedup();
            let ids: Vec<&str> = chosen.iter().map(|f| f.id.as_str()).collect();
            (rules.join("|"), ids.join("|"))
        };
        let (signal_rules, signal_flags) = part(Family::Signal);
        let (gap_rules, gap_flags) = part(Family::Gap);
        vec![
            flag.id.clone(),
            flag.subject.kind.code().to_string(),
            flag.subject.id.clone(),
            flag_forces(records, flag),
            detected.clock.stamp(force, flag.start),
            detected.clock.stamp(force, flag.end),
            signal_rules,
            gap_rules,
            signal_flags,
            gap_flags,
            cells.incident_list(&flag.incidents),
            cells.call_list(records, &flag.incidents, &flag.loose_calls),
            flag.sentence.clone(),
        ]
    };
    (header, missed.len(), cells_of(row))
}

pub fn priority_table<'a>(detected: &'a Detected, rows: &'a [Ranked], perpetrators: bool) -> Table<'a> {
    let mut header = strings(&[
        "force",
        "rank",
        "tier",
        "acute_night_incidents",
        "person_id",
        "score",
        "recency",
        "frequency",
        "gravity",
        "flag_points",
    ]);
    if perpetrators {
        header.insert(9, "victim_points".into());
    }
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
    let row = move |i: usize| {
        let ranked = &rows[i];
        let p = &ranked.priority;
        let records = &detected.records;
        let mut row = vec![
            records.force_id(ranked.force).to_string(),
            ranked.rank.to_string(),
            p.tier.level.to_string(),
            p.tier.acute_incidents.to_string(),
            p.subject.id.clone(),
            tenths(p.score),
            tenths(p.recency),
            tenths(p.frequency),
            tenths(p.gravity),
            tenths(p.flag_points),
        ];
        if perpetrators {
            row.insert(9, tenths(p.victim_points));
        }
        let forces: Vec<&str> = p.forces.iter().map(|&f| records.force_id(f)).collect();
        row.extend([
            forces.join("|"),
            detected.clock.stamp(ranked.force, p.last_contact),
            tenths(p.days_since_last),
            p.incidents.to_string(),
            tenths(p.harm),
            p.victims.to_string(),
            p.signals.to_string(),
            p.missed.to_string(),
            p.tier.open_missed.to_string(),
            p.last_referral
                .map(|at| detected.clock.stamp(ranked.force, at))
                .unwrap_or_default(),
            p.rules.clone(),
            p.flag_ids.join("|"),
        ]);
        row
    };
    (header, rows.len(), cells_of(row))
}

pub fn timeline_table<'a>(detected: &'a Detected, cells: &'a Cells) -> Table<'a> {
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
        line.field(&seq.to_string());
        line.fragment(&cells.details[i as usize]);
    };
    (header, count, Box::new(line))
}

#[cfg(test)]
mod tests {
    use super::tenths;

    #[test]
    fn tenths_round_to_one_decimal_place() {
        assert_eq!(tenths(0.0), "0.0");
        assert_eq!(tenths(77.14), "77.1");
        assert_eq!(tenths(12.96), "13.0");
        assert_eq!(tenths(100.0), "100.0");
        assert_eq!(tenths(3.05 + 1e-9), "3.1");
    }
}
