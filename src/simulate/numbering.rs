//! Puts a force's incidents in time order and gives them the references and
//! call ids its systems would: date and daily (or yearly) sequence numbers.

use std::collections::HashMap;

use chrono::Datelike;
use chrono_tz::Tz;

use super::dialect::{call_id, daily, reference, ReferenceStyle};
use super::events::SimIncident;
use super::forces::ForceProfile;

/// Sorts incidents by creation time and numbers them and their calls.
pub fn number(incidents: &mut [SimIncident], force: &ForceProfile, style: ReferenceStyle, zone: Tz) {
    incidents.sort_by_key(|i| i.created);
    let mut sequences: HashMap<(i32, u32), u32> = HashMap::new();
    for incident in incidents.iter_mut() {
        let day = chrono::DateTime::from_timestamp_millis(incident.created)
            .map(|t| t.with_timezone(&zone).date_naive())
            .unwrap_or_default();
        // The sequence restarts each day, or each year (day of year 0).
        let period = (day.year(), if daily(style) { day.ordinal() } else { 0 });
        let sequence = sequences.entry(period).or_insert(0);
        *sequence += 1;
        incident.reference = reference(style, force, day, *sequence);
    }
    let mut calls: Vec<(i64, usize, usize)> = incidents
        .iter()
        .enumerate()
        .flat_map(|(i, incident)| {
            incident
                .calls
                .iter()
                .enumerate()
                .map(move |(c, call)| (call.received, i, c))
        })
        .collect();
    calls.sort_unstable();
    for (number, (_, i, c)) in calls.into_iter().enumerate() {
        incidents[i].calls[c].call_id = call_id(style, force, number as u64 + 1);
    }
}
