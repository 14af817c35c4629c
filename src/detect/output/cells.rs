//! The texts table rows write about incidents and calls: the
//! `force/reference` and `force/call id` keys of evidence lists, written
//! straight into the row that needs them, and each incident's timeline
//! cells (times, grades, risk, referrals, outcome), rendered once in
//! incident order and copied into its timeline rows (rendering them per row
//! reads the incidents in subjects' order, which cost a second of CPU at
//! national scale).

use rayon::prelude::*;

use crate::csv_out::Line;
use crate::detect::input::records::Records;
use crate::detect::model::clock::Clock;

/// Every incident's timeline cells, from `first_contact` to `offence_code`, as escaped CSV.
pub struct TimelineCells {
    texts: Texts,
}

impl TimelineCells {
    pub fn new(records: &Records, clock: &Clock) -> TimelineCells {
        let texts = Texts::build(records.incidents.len(), |i, out| {
            timeline_cells(records, clock, i as u32, &mut Line::new(out))
        });
        TimelineCells { texts }
    }

    /// Incident `i`'s cells.
    pub fn get(&self, i: u32) -> &[u8] {
        self.texts.get(i as usize)
    }
}

/// Many short texts in a few buffers, one per chunk of items built in
/// parallel (a national run has a million; one allocation each was a large
/// part of writing the tables, and joining the chunks one more copy).
struct Texts {
    /// Per chunk of [`Texts::CHUNK`] items: their bytes, and where each text
    /// ends in them (it starts where the previous one ends).
    chunks: Vec<(Vec<u8>, Vec<usize>)>,
}

impl Texts {
    const CHUNK: usize = 16_384;

    /// The text of each of `count` items, as `write` appends it, built in parallel.
    fn build(count: usize, write: impl Fn(usize, &mut Vec<u8>) + Sync) -> Texts {
        let chunks = (0..count.div_ceil(Self::CHUNK))
            .into_par_iter()
            .map(|k| {
                let items = k * Self::CHUNK..((k + 1) * Self::CHUNK).min(count);
                let (mut bytes, mut ends) = (Vec::new(), Vec::with_capacity(items.len()));
                for i in items {
                    write(i, &mut bytes);
                    ends.push(bytes.len());
                }
                (bytes, ends)
            })
            .collect();
        Texts { chunks }
    }

    /// The i-th text.
    fn get(&self, i: usize) -> &[u8] {
        let (bytes, ends) = &self.chunks[i / Self::CHUNK];
        let j = i % Self::CHUNK;
        let start = if j == 0 { 0 } else { ends[j - 1] };
        &bytes[start..ends[j]]
    }
}

/// `force/reference` of each incident, `|`-separated, written into a line as one field.
pub fn incident_list(records: &Records, incidents: &[u32], line: &mut Line) {
    line.joined_with(incidents.iter(), |&i, out| {
        let incident = &records.incidents[i as usize];
        push_key(records, incident.force, &incident.incident_ref, out)
    });
}

/// The calls of the incidents, then the loose calls, as `force/call id|…`, as one field.
pub fn call_list(records: &Records, incidents: &[u32], loose: &[u32], line: &mut Line) {
    let calls = incidents
        .iter()
        .flat_map(|&i| records.incidents[i as usize].calls.iter())
        .chain(loose);
    line.joined_with(calls, |&c, out| push_call_key(records, c, out));
}

fn push_call_key(records: &Records, c: u32, out: &mut Vec<u8>) {
    let call = &records.calls[c as usize];
    push_key(records, call.force, &call.call_id, out)
}

/// `force/id`: a force's id, a slash, and a reference or call id.
fn push_key(records: &Records, force: u16, id: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(records.force_id(force).as_bytes());
    out.push(b'/');
    out.extend_from_slice(id.as_bytes());
}

/// Incident `i`'s timeline cells, from `first_contact` to `offence_code`.
fn timeline_cells(records: &Records, clock: &Clock, i: u32, line: &mut Line) {
    let incident = &records.incidents[i as usize];
    let instant = |line: &mut Line, at: Option<i64>| clock.stamp_fields(line, incident.force, at);
    let code = |text: Option<&'static str>| text.unwrap_or("");
    instant(line, Some(incident.contact_at));
    line.field(records.force_id(incident.force));
    line.field(&incident.incident_ref);
    line.joined_with(incident.calls.iter(), |&c, out| push_call_key(records, c, out));
    line.field(if incident.domestic { "true" } else { "false" });
    line.field(code(incident.opening.map(|c| c.code())));
    line.field(code(incident.closing.map(|c| c.code())));
    line.field(code(incident.initial_grade.map(|g| g.code())));
    line.field(code(incident.final_grade.map(|g| g.code())));
    line.field(&incident.final_grade_raw);
    instant(line, incident.arrived_at);
    line.field(code(incident.risk_tool.map(|t| t.code())));
    line.field(code(incident.risk_level.map(|l| l.code())));
    match incident.risk_score {
        Some(score) => line.number_signed(score),
        None => line.field(""),
    }
    for at in [incident.marac_at, incident.idva_at, incident.review_at] {
        instant(line, at);
    }
    line.field(incident.outcome.as_deref().unwrap_or(""));
    line.field(incident.offence_code.as_deref().unwrap_or(""));
}
