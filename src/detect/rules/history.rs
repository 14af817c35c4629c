//! Domestic-abuse history before a contact: of the subjects an incident
//! names (for UNDER_GRADED), and of a phone number or place (for
//! SILENT_CALL_NO_RESPONSE, which often has nothing else to go on).

use polars::prelude::{PlHashMap, PlHashSet, PlSmallStr};

use crate::detect::model::context::{Context, DAY};
use crate::detect::model::flag::SubjectRef;

/// Domestic-abuse incidents by every phone number and place they carry, in time order.
#[derive(Debug, Default)]
pub struct DaIndex<'a> {
    by_number: PlHashMap<&'a str, Vec<u32>>,
    by_place: PlHashMap<&'a str, Vec<u32>>,
}

/// Some earlier domestic-abuse incidents and what joined them to the contact.
#[derive(Debug, Clone)]
pub struct Prior {
    pub subject: SubjectRef,
    /// In time order, the latest last.
    pub incidents: Vec<u32>,
}

impl<'a> DaIndex<'a> {
    /// Indexes the domestic-abuse incidents that carry a number or place of one of `calls`.
    pub fn build(context: &Context<'a>, calls: &[u32]) -> DaIndex<'a> {
        let records = context.records;
        let wanted_numbers: PlHashSet<&str> = calls
            .iter()
            .filter_map(|&c| records.calls[c as usize].number.as_deref())
            .collect();
        let wanted_places: PlHashSet<&str> = calls
            .iter()
            .filter_map(|&c| records.calls[c as usize].incident)
            .filter_map(|i| records.incidents[i as usize].place.as_deref())
            .collect();
        let mut index = DaIndex::default();
        for (i, incident) in records.incidents.iter().enumerate() {
            if !incident.domestic {
                continue;
            }
            let mut numbers: Vec<&str> = incident
                .calls
                .iter()
                .filter_map(|&c| records.calls[c as usize].number.as_deref())
                .chain(context.people.phones[i].iter().map(PlSmallStr::as_str))
                .filter(|n| wanted_numbers.contains(n))
                .collect();
            numbers.sort_unstable();
            numbers.dedup();
            for number in numbers {
                index.by_number.entry(number).or_default().push(i as u32);
            }
            if let Some(place) = incident.place.as_deref().filter(|p| wanted_places.contains(p)) {
                index.by_place.entry(place).or_default().push(i as u32);
            }
        }
        for list in index.by_number.values_mut().chain(index.by_place.values_mut()) {
            list.sort_unstable_by_key(|&i| (context.times[i as usize], i));
        }
        index
    }

    /// Domestic-abuse incidents involving `number` in the history window before `at`.
    pub fn number_before(&self, context: &Context, number: &str, at: i64) -> Vec<u32> {
        self.by_number
            .get(number)
            .map_or_else(Vec::new, |list| within_history(context, list, at, None))
    }

    /// Domestic-abuse incidents at `place` in the history window before `at`, other than `except`.
    pub fn place_before(&self, context: &Context, place: &str, at: i64, except: Option<u32>) -> Vec<u32> {
        self.by_place
            .get(place)
            .map_or_else(Vec::new, |list| within_history(context, list, at, except))
    }
}

/// The members of a time-ordered list whose first contact lies in the history window before `at`.
fn within_history(context: &Context, list: &[u32], at: i64, except: Option<u32>) -> Vec<u32> {
    let from = at - i64::from(context.settings.history_days) * DAY;
    list.iter()
        .copied()
        .filter(|&i| Some(i) != except)
        .filter(|&i| (from..at).contains(&context.times[i as usize]))
        .collect()
}

/// The earlier domestic-abuse incidents of the subject of `incident` with
/// the most of them in the history window (victims first on a tie).
pub fn prior_da(context: &Context, incident: u32) -> Option<Prior> {
    let at = context.times[incident as usize];
    let mut best: Option<Prior> = None;
    for &s in &context.subjects.of_incident[incident as usize] {
        let subject = &context.subjects.list[s as usize];
        let list: Vec<u32> = subject
            .incidents
            .iter()
            .copied()
            .filter(|&i| i != incident && context.incident(i).domestic)
            .collect();
        let prior = within_history(context, &list, at, None);
        let better = match &best {
            None => !prior.is_empty(),
            Some(b) => {
                prior.len() > b.incidents.len()
                    || prior.len() == b.incidents.len() && subject.reference.kind < b.subject.kind
            }
        };
        if better {
            best = Some(Prior {
                subject: subject.reference.clone(),
                incidents: prior,
            });
        }
    }
    best
}
