//! Scores a run against the simulator's planted scenarios
//! (`truth/scenarios.csv`): per expected rule, the scenarios a flag of that
//! rule cites (found) out of those planted; and the flags that cite a
//! control scenario, which must stay silent: no signal, gap or missed
//! opportunity (context, such as words in a narrative, describes an
//! incident and claims nothing about its subject).

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;
use std::path::Path;

use polars::prelude::PlHashMap;
use rayon::prelude::*;

use crate::detect::{DetectError, Family, Flag, Records};

/// One planted scenario.
#[derive(Debug, Clone)]
struct Scenario {
    id: String,
    kind: String,
    /// (force, reference) of its incidents and (force, call id) of its calls.
    evidence: HashSet<(String, String)>,
    expected: Vec<String>,
}

/// The score of a run.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Per rule: (found, planted, ids of the scenarios missed).
    pub per_rule: BTreeMap<String, (usize, usize, Vec<String>)>,
    /// Per scenario kind: (scenarios with every expected rule found, scenarios).
    pub per_kind: BTreeMap<String, (usize, usize)>,
    /// Control scenarios and the rules that flagged them.
    pub control_flags: Vec<(String, String)>,
    pub controls: usize,
}

impl Evaluation {
    /// Whether every expected rule found every scenario and no control was flagged.
    pub fn perfect(&self) -> bool {
        self.per_rule.values().all(|(found, planted, _)| found == planted) && self.control_flags.is_empty()
    }

    pub fn report(&self) -> String {
        let mut out = String::from("planted scenarios found, per rule:\n");
        for (rule, (found, planted, missed)) in &self.per_rule {
            let _ = write!(out, "  {rule:<26} {found:>3} / {planted:<3}");
            if !missed.is_empty() {
                let _ = write!(out, "  missed: {}", missed.join(", "));
            }
            out.push('\n');
        }
        out.push_str("per scenario kind (every expected rule found):\n");
        for (kind, (found, planted)) in &self.per_kind {
            let _ = writeln!(out, "  {kind:<30} {found:>3} / {planted:<3}");
        }
        let _ = writeln!(
            out,
            "flags on the {} control scenarios: {}",
            self.controls,
            self.control_flags.len()
        );
        for (scenario, rule) in &self.control_flags {
            let _ = writeln!(out, "  {scenario}: {rule}");
        }
        out
    }
}

/// Reads `scenarios.csv` and scores `flags` against it.
pub fn evaluate(path: &Path, records: &Records, flags: &[Flag]) -> Result<Evaluation, DetectError> {
    let scenarios = read_scenarios(path)?;
    let cited = citing_flags(&scenarios, records, flags);
    let mut evaluation = Evaluation::default();
    for (scenario, citing) in scenarios.iter().zip(&cited) {
        if scenario.expected.is_empty() {
            evaluation.controls += 1;
            for &f in citing.iter().filter(|&&f| flags[f].rule.family() != Family::Context) {
                evaluation
                    .control_flags
                    .push((scenario.id.clone(), flags[f].rule.code().to_string()));
            }
            continue;
        }
        let mut all_found = true;
        for rule in &scenario.expected {
            let found = citing.iter().any(|&f| flags[f].rule.code() == rule);
            let entry = evaluation.per_rule.entry(rule.clone()).or_default();
            entry.1 += 1;
            if found {
                entry.0 += 1;
            } else {
                entry.2.push(scenario.id.clone());
                all_found = false;
            }
        }
        let kind = evaluation.per_kind.entry(scenario.kind.clone()).or_default();
        kind.1 += 1;
        kind.0 += usize::from(all_found);
    }
    Ok(evaluation)
}

/// Per scenario, the flags (positions, in order) whose evidence names one of its incidents or calls.
fn citing_flags(scenarios: &[Scenario], records: &Records, flags: &[Flag]) -> Vec<Vec<usize>> {
    let (by_incident, by_call) = evidence_positions(scenarios, records);
    let mut cited = vec![Vec::new(); scenarios.len()];
    for (f, flag) in flags.iter().enumerate() {
        let mut hits: Vec<usize> = flag
            .incidents
            .iter()
            .filter_map(|i| by_incident.get(i))
            .chain(flag.loose_calls.iter().filter_map(|c| by_call.get(c)))
            .flatten()
            .copied()
            .collect();
        hits.sort_unstable();
        hits.dedup();
        for s in hits {
            cited[s].push(f);
        }
    }
    cited
}

/// Scenario positions by incident or by call.
type ScenariosOf = PlHashMap<u32, Vec<usize>>;

/// Scenario positions by the incident and by the loose call their evidence
/// names (a call of an incident counts as its incident). Only the
/// scenarios' keys are looked for: the calls are scanned in parallel, the
/// incidents found through the records' reference index.
fn evidence_positions(scenarios: &[Scenario], records: &Records) -> (ScenariosOf, ScenariosOf) {
    let mut wanted: PlHashMap<(&str, &str), Vec<usize>> = PlHashMap::default();
    for (s, scenario) in scenarios.iter().enumerate() {
        for (force, key) in &scenario.evidence {
            wanted.entry((force.as_str(), key.as_str())).or_default().push(s);
        }
    }
    let mut by_incident = ScenariosOf::default();
    let mut by_call = ScenariosOf::default();
    for ((force, key), named) in &wanted {
        if let Some(i) = records.incident_of(force, key) {
            by_incident.entry(i).or_default().extend(named);
        }
    }
    let calls: Vec<(u32, Option<u32>, &Vec<usize>)> = records
        .calls
        .par_iter()
        .enumerate()
        .filter_map(|(c, call)| {
            let named = wanted.get(&(records.force_id(call.force), call.call_id.as_str()))?;
            Some((c as u32, call.incident, named))
        })
        .collect();
    for (c, incident, named) in calls {
        match incident {
            Some(i) => by_incident.entry(i).or_default().extend(named),
            None => by_call.entry(c).or_default().extend(named),
        }
    }
    (by_incident, by_call)
}

fn read_scenarios(path: &Path) -> Result<Vec<Scenario>, DetectError> {
    let fail = |reason: String| DetectError::Scenarios {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| fail(e.to_string()))?;
    let header = reader.headers().map_err(|e| fail(e.to_string()))?.clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| fail(format!("no `{name}` column")))
    };
    let [id, kind, forces, refs, calls, expected] = [
        column("scenario_id")?,
        column("kind")?,
        column("forces")?,
        column("incident_refs")?,
        column("call_ids")?,
        column("expected_rules")?,
    ];
    let split = |text: &str| -> Vec<String> {
        text.split('|')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| fail(e.to_string()))?;
        let forces = split(&record[forces]);
        let mut evidence = HashSet::new();
        for key in split(&record[refs]).into_iter().chain(split(&record[calls])) {
            for force in &forces {
                evidence.insert((force.clone(), key.clone()));
            }
        }
        out.push(Scenario {
            id: record[id].to_string(),
            kind: record[kind].to_string(),
            evidence,
            expected: split(&record[expected]),
        });
    }
    Ok(out)
}
