//! Cannot-link constraints: records that must end in different clusters
//! (people named in one incident, rows of one document), unless a column
//! says they are one entity (a force's own person id).

use polars::prelude::PlHashMap as HashMap;

use super::input::Records;

/// A record's place in the constraints: the group it must differ within, and
/// its unit (records of one group and one unit may be one entity).
pub type Key = (u32, u32);

/// Every record's key (`None` for a record under no constraint).
#[derive(Debug, Default)]
pub struct KeptApart {
    keys: Vec<Option<Key>>,
}

impl KeptApart {
    /// The constraints the records carry, if they carry any.
    pub fn of(records: &Records) -> Option<KeptApart> {
        let within = records.distinct_within.as_ref()?;
        let same = records.same_when_equal.map(|c| &records.columns[c]);
        let mut groups: HashMap<&str, u32> = HashMap::default();
        let mut units: HashMap<&str, u32> = HashMap::default();
        let mut fresh = 0u32;
        let keys = (0..records.len())
            .map(|r| {
                let group = within.get(r);
                if group.is_empty() {
                    return None;
                }
                let next = groups.len() as u32;
                let group = *groups.entry(group).or_insert(next);
                let unit = match same.map(|c| c.get(r)).filter(|v| !v.is_empty()) {
                    Some(value) => {
                        let next = units.len() as u32;
                        *units.entry(value).or_insert(next)
                    }
                    None => {
                        fresh += 1;
                        u32::MAX - fresh
                    }
                };
                Some((group, unit))
            })
            .collect();
        Some(KeptApart { keys })
    }

    /// Constraints given key by key (record by record), for tests.
    #[cfg(test)]
    pub fn from_keys(keys: Vec<Option<Key>>) -> KeptApart {
        KeptApart { keys }
    }

    pub fn key(&self, record: u32) -> Option<Key> {
        self.keys.get(record as usize).copied().flatten()
    }

    /// Whether records `a` and `b` may be one entity.
    pub fn allows(&self, a: u32, b: u32) -> bool {
        match (self.key(a), self.key(b)) {
            (Some((ga, ua)), Some((gb, ub))) => ga != gb || ua == ub,
            _ => true,
        }
    }
}

/// Whether two groups' sorted keys allow them to merge: no group of
/// constraints in common with different units.
pub fn compatible(x: &[Key], y: &[Key]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if x[i].1 != y[j].1 {
                    return false;
                }
                i += 1;
                j += 1;
            }
        }
    }
    true
}

/// The sorted keys of two merged groups.
pub fn merged(x: &[Key], y: &[Key]) -> Vec<Key> {
    let mut keys: Vec<Key> = x.iter().chain(y).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_sharing_a_constraint_merge_only_on_the_same_unit() {
        assert!(compatible(&[(1, 5), (3, 7)], &[(2, 9), (3, 7)]));
        assert!(!compatible(&[(1, 5), (3, 7)], &[(3, 8)]));
        assert!(compatible(&[], &[(3, 8)]));
        assert_eq!(
            merged(&[(1, 5), (3, 7)], &[(3, 7), (0, 1)]),
            vec![(0, 1), (1, 5), (3, 7)]
        );
    }
}
