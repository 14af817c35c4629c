//! Texts rendered once per incident and call, shared by every table row
//! that mentions them: `force/reference` and `force/call id` keys, and the
//! incident's timeline cells (times, grades, risk, referrals, outcome).

use rayon::prelude::*;

use super::clock::Clock;
use super::records::{Incident, Records};
use super::Detected;
use crate::csv_out::Line;

/// The rendered texts.
pub struct Cells {
    /// `force/reference`, per incident.
    pub incident_keys: Vec<String>,
    /// `force/call id`, per call.
    pub call_keys: Vec<String>,
    /// The timeline cells of each incident, from `first_contact` to `offence_code`, as escaped CSV.
    pub details: Vec<Vec<u8>>,
}

impl Cells {
    pub fn new(detected: &Detected) -> Cells {
        let records = &detected.records;
        let incident_keys = records
            .incidents
            .par_iter()
            .map(|incident| format!("{}/{}", records.force_id(incident.force), incident.incident_ref))
            .collect();
        let call_keys: Vec<String> = records
            .calls
            .par_iter()
            .map(|call| format!("{}/{}", records.force_id(call.force), call.call_id))
            .collect();
        let details = records
            .incidents
            .par_iter()
            .map(|incident| details(records, &detected.clock, &call_keys, incident))
            .collect();
        Cells {
            incident_keys,
            call_keys,
            details,
        }
    }

    /// `force/ref|force/ref`.
    pub fn incident_list(&self, incidents: &[u32]) -> String {
        join(incidents.iter().map(|&i| self.incident_keys[i as usize].as_str()))
    }

    /// The calls of the incidents, then the loose calls, as `force/call id|…`.
    pub fn call_list(&self, records: &Records, incidents: &[u32], loose: &[u32]) -> String {
        let calls = incidents
            .iter()
            .flat_map(|&i| records.incidents[i as usize].calls.iter().copied())
            .chain(loose.iter().copied());
        join(calls.map(|c| self.call_keys[c as usize].as_str()))
    }
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        if !out.is_empty() {
            out.push('|');
        }
        out.push_str(part);
    }
    out
}

/// One incident's timeline cells, as escaped CSV.
fn details(records: &Records, clock: &Clock, call_keys: &[String], incident: &Incident) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut line = Line::new(&mut out);
    let mut stamp = String::with_capacity(25);
    let mut instant = |line: &mut Line, at: Option<i64>| match at {
        Some(at) => {
            clock.write_stamp(incident.force, at, &mut stamp);
            line.field(&stamp);
        }
        None => line.field(""),
    };
    let code = |text: Option<&'static str>| text.unwrap_or("");
    instant(&mut line, Some(incident.contact_at));
    line.field(records.force_id(incident.force));
    line.field(&incident.incident_ref);
    line.field(&join(incident.calls.iter().map(|&c| call_keys[c as usize].as_str())));
    line.field(if incident.domestic { "true" } else { "false" });
    line.field(code(incident.opening.map(|c| c.code())));
    line.field(code(incident.closing.map(|c| c.code())));
    line.field(code(incident.initial_grade.map(|g| g.code())));
    line.field(code(incident.final_grade.map(|g| g.code())));
    line.field(&incident.final_grade_raw);
    instant(&mut line, incident.arrived_at);
    line.field(code(incident.risk_tool.map(|t| t.code())));
    line.field(code(incident.risk_level.map(|l| l.code())));
    line.field(&incident.risk_score.map(|s| s.to_string()).unwrap_or_default());
    for at in [incident.marac_at, incident.idva_at, incident.review_at] {
        instant(&mut line, at);
    }
    line.field(incident.outcome.as_deref().unwrap_or(""));
    line.field(incident.offence_code.as_deref().unwrap_or(""));
    out
}
