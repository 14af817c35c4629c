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
    pub incident_keys: Texts,
    /// `force/call id`, per call.
    pub call_keys: Texts,
    /// The timeline cells of each incident, from `first_contact` to `offence_code`, as escaped CSV.
    pub details: Texts,
}

impl Cells {
    pub fn new(detected: &Detected) -> Cells {
        let records = &detected.records;
        let key = |force: u16, id: &str, out: &mut Vec<u8>| {
            out.extend_from_slice(records.force_id(force).as_bytes());
            out.push(b'/');
            out.extend_from_slice(id.as_bytes());
        };
        let (incident_keys, call_keys) = rayon::join(
            || {
                Texts::build(&records.incidents, |incident, out| {
                    key(incident.force, &incident.incident_ref, out)
                })
            },
            || Texts::build(&records.calls, |call, out| key(call.force, &call.call_id, out)),
        );
        let details = Texts::build(&records.incidents, |incident, out| {
            details(records, &detected.clock, &call_keys, incident, out)
        });
        Cells {
            incident_keys,
            call_keys,
            details,
        }
    }

    /// `force/ref|force/ref`, written into a line as one field.
    pub fn incident_list(&self, incidents: &[u32], line: &mut Line) {
        line.joined(incidents.iter().map(|&i| self.incident_keys.get(i as usize)));
    }

    /// The calls of the incidents, then the loose calls, as `force/call id|…`, as one field.
    pub fn call_list(&self, records: &Records, incidents: &[u32], loose: &[u32], line: &mut Line) {
        let calls = incidents
            .iter()
            .flat_map(|&i| records.incidents[i as usize].calls.iter().copied())
            .chain(loose.iter().copied());
        line.joined(calls.map(|c| self.call_keys.get(c as usize)));
    }
}

/// Many short texts in a few buffers, one per chunk of items built in
/// parallel (a national run has millions; one allocation each was a large
/// part of writing the tables, and joining the chunks one more copy).
pub struct Texts {
    /// Per chunk of [`Texts::CHUNK`] items: their bytes, and where each text
    /// ends in them (it starts where the previous one ends).
    chunks: Vec<(Vec<u8>, Vec<usize>)>,
}

impl Texts {
    const CHUNK: usize = 16_384;

    /// The text of each item, as `write` appends it, built in parallel.
    fn build<T: Sync>(items: &[T], write: impl Fn(&T, &mut Vec<u8>) + Sync) -> Texts {
        let chunks = items
            .par_chunks(Self::CHUNK)
            .map(|chunk| {
                let (mut bytes, mut ends) = (Vec::new(), Vec::with_capacity(chunk.len()));
                for item in chunk {
                    write(item, &mut bytes);
                    ends.push(bytes.len());
                }
                (bytes, ends)
            })
            .collect();
        Texts { chunks }
    }

    /// The i-th text.
    pub fn get(&self, i: usize) -> &[u8] {
        let (bytes, ends) = &self.chunks[i / Self::CHUNK];
        let j = i % Self::CHUNK;
        let start = if j == 0 { 0 } else { ends[j - 1] };
        &bytes[start..ends[j]]
    }
}

/// One incident's timeline cells, as escaped CSV, appended to `out`.
fn details(records: &Records, clock: &Clock, call_keys: &Texts, incident: &Incident, out: &mut Vec<u8>) {
    let mut line = Line::new(out);
    let instant = |line: &mut Line, at: Option<i64>| clock.stamp_field(line, incident.force, at);
    let code = |text: Option<&'static str>| text.unwrap_or("");
    instant(&mut line, Some(incident.contact_at));
    line.field(records.force_id(incident.force));
    line.field(&incident.incident_ref);
    line.joined(incident.calls.iter().map(|&c| call_keys.get(c as usize)));
    line.field(if incident.domestic { "true" } else { "false" });
    line.field(code(incident.opening.map(|c| c.code())));
    line.field(code(incident.closing.map(|c| c.code())));
    line.field(code(incident.initial_grade.map(|g| g.code())));
    line.field(code(incident.final_grade.map(|g| g.code())));
    line.field(&incident.final_grade_raw);
    instant(&mut line, incident.arrived_at);
    line.field(code(incident.risk_tool.map(|t| t.code())));
    line.field(code(incident.risk_level.map(|l| l.code())));
    match incident.risk_score {
        Some(score) => line.field(&score.to_string()),
        None => line.field(""),
    }
    for at in [incident.marac_at, incident.idva_at, incident.review_at] {
        instant(&mut line, at);
    }
    line.field(incident.outcome.as_deref().unwrap_or(""));
    line.field(incident.offence_code.as_deref().unwrap_or(""));
}
