//! Incidents found by force and incident reference: one hash map per force,
//! built once (the forces side by side) and asked by everything in detection
//! that meets a reference: calls, person mentions, planted scenarios.

use polars::prelude::{PlHashMap, PlSmallStr};
use rayon::prelude::*;

use crate::detect::input::records::Incident;

/// Per force (by its number in [`crate::detect::Records::forces`]), references to incident positions.
#[derive(Debug, Clone, Default)]
pub struct ReferenceIndex {
    by_force: Vec<PlHashMap<PlSmallStr, u32>>,
    /// Force ids to their numbers (a national run has dozens of forces).
    force_numbers: PlHashMap<String, u16>,
}

impl ReferenceIndex {
    /// Indexes `incidents` of the `forces` (ids, in number order). Where a force repeats a
    /// reference (ingest keeps one incident per reference, but records made
    /// by other callers may not), the last incident keeps it.
    pub fn build(forces: &[String], incidents: &[Incident]) -> ReferenceIndex {
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); forces.len()];
        for (i, incident) in incidents.iter().enumerate() {
            if let Some(list) = positions.get_mut(usize::from(incident.force)) {
                list.push(i as u32);
            }
        }
        let by_force = positions
            .into_par_iter()
            .map(|list| {
                let mut map = PlHashMap::with_capacity_and_hasher(list.len(), Default::default());
                for i in list {
                    map.insert(incidents[i as usize].incident_ref.clone(), i);
                }
                map
            })
            .collect();
        let force_numbers = forces
            .iter()
            .enumerate()
            .map(|(n, id)| (id.clone(), n as u16))
            .collect();
        ReferenceIndex {
            by_force,
            force_numbers,
        }
    }

    /// The incident a force (by number) gives this reference, if any.
    pub fn get(&self, force: u16, reference: &str) -> Option<u32> {
        self.by_force.get(usize::from(force))?.get(reference).copied()
    }

    /// The incident a force (by id) gives this reference, if any.
    pub fn find(&self, force: &str, reference: &str) -> Option<u32> {
        self.get(*self.force_numbers.get(force)?, reference)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(force: u16, reference: &str) -> Incident {
        Incident {
            force,
            incident_ref: reference.into(),
            ..Default::default()
        }
    }

    #[test]
    fn finds_each_reference_within_its_own_force_and_the_last_of_a_repeat() {
        let incidents = [
            incident(0, "A1"),
            incident(1, "A1"),
            incident(0, "B2"),
            incident(0, "A1"),
        ];
        let forces = ["a".to_string(), "b".to_string()];
        let index = ReferenceIndex::build(&forces, &incidents);
        assert_eq!(index.get(0, "A1"), Some(3));
        assert_eq!(index.get(1, "A1"), Some(1));
        assert_eq!(index.get(0, "B2"), Some(2));
        assert_eq!(index.get(1, "B2"), None);
        assert_eq!(index.get(7, "A1"), None);
        assert_eq!(index.find("b", "A1"), Some(1));
        assert_eq!(index.find("c", "A1"), None);
    }
}
