//! Writes the detect tables into `out/detect/`, together: `flags.csv`,
//! `missed_opportunities.csv`, `priority_victims.csv`,
//! `priority_perpetrators.csv`, `timelines.csv`, `summary.json`, and last the
//! generation they come from ([`crate::generation`]).
//! Instants are local time with their offset; evidence is `force/reference`
//! for incidents and `force/call id` for calls, `|`-separated.

use std::collections::BTreeMap;
use std::path::Path;

use crate::csv_out::TableWriter;
use crate::detect::model::flag::{Family, Flag};
use crate::detect::output::cells::TimelineCells;
use crate::detect::output::tables::{flag_table, missed_table, priority_table, timeline_table, Table};
use crate::detect::{DetectError, Detected};
use crate::staging::Staging;

/// The folder (inside the run's output) holding the stage's tables.
pub const DETECTED: &str = "detect";

/// Writes every table into `out/detect/`, staged and then moved in together.
pub fn write(detected: &Detected, out: &Path) -> Result<(), DetectError> {
    let target = out.join(DETECTED);
    let fail = |source: std::io::Error| DetectError::Write {
        path: target.clone(),
        source,
    };
    let staging = Staging::new(&target, "detect").map_err(fail)?;
    let missed: Vec<&Flag> = detected
        .flags
        .iter()
        .filter(|f| f.rule.family() == Family::Missed)
        .collect();
    let cells = TimelineCells::new(&detected.records, &detected.clock);
    let tables: [(&str, Table); 5] = [
        ("flags.csv", flag_table(detected)),
        ("missed_opportunities.csv", missed_table(detected, &missed)),
        (
            "priority_victims.csv",
            priority_table(detected, &detected.victims, false),
        ),
        (
            "priority_perpetrators.csv",
            priority_table(detected, &detected.perpetrators, true),
        ),
        ("timelines.csv", timeline_table(detected, &cells)),
    ];
    let mut writer = TableWriter::default();
    for (name, (header, rows, row)) in &tables {
        let path = staging.path(name).map_err(fail)?;
        writer.write_lines(&path, header, *rows, row).map_err(fail)?;
    }
    let summary = serde_json::to_string_pretty(&summary(detected)).expect("a summary is plain data");
    std::fs::write(staging.path("summary.json").map_err(fail)?, summary + "\n").map_err(fail)?;
    if let Some(generation) = &detected.generation {
        generation.write_marker(staging.dir()).map_err(fail)?;
    }
    let mut entries: Vec<&str> = tables.iter().map(|(n, _)| *n).collect();
    entries.push("summary.json");
    staging.commit(&entries, crate::generation::MARKER).map_err(fail)?;
    Ok(())
}

/// Counts per rule and the settings behind them.
fn summary(detected: &Detected) -> serde_json::Value {
    let per_rule: BTreeMap<&str, usize> = detected
        .flags_per_rule()
        .into_iter()
        .map(|(rule, n)| (rule.code(), n))
        .collect();
    serde_json::json!({
        "vigil_version": env!("CARGO_PKG_VERSION"),
        "incidents": detected.records.incidents.len(),
        "calls": detected.records.calls.len(),
        "subjects": detected.subjects.list.len(),
        "flags": detected.flags.len(),
        "flags_per_rule": per_rule,
        "victims_ranked": detected.victims.len(),
        "perpetrators_ranked": detected.perpetrators.len(),
        "data_end": detected.clock.stamp(0, detected.records.data_end),
        "harm_weights_version": detected.harm.version,
        "harm_weights_origin": detected.harm.origin,
    })
}
