//! Which row holds each call id and incident reference of a force: the first
//! accepted, in configuration and file order.
//!
//! Keys are settled a file at a time: the keys of the rows the file added are
//! hashed and sorted (in parallel), so rows sharing a key meet in one run of
//! equal hashes, and one walk along the keys the force's earlier files hold
//! (kept sorted by hash, beside where each row is in its table) finds the
//! hashes the file shares with them. Only rows with equal hashes are compared
//! as text.

use std::cmp::Ordering;
use std::hash::BuildHasher;
use std::ops::Range;

use polars::prelude::{PlHashMap, PlRandomState};
use rayon::prelude::*;

/// The keys one force's accepted rows hold, per kind of key.
#[derive(Default)]
pub struct SeenKeys {
    pub call_ids: HeldKeys,
    pub incident_refs: HeldKeys,
}

/// Keys already held: each key's hash and where its row is in its table, sorted.
#[derive(Default)]
pub struct HeldKeys {
    hasher: PlRandomState,
    sorted: Vec<(u64, usize)>,
}

impl HeldKeys {
    /// The table rows from `first` on whose key an earlier row holds, each
    /// with that holder's place in the table; `keys[k]` is the key of the
    /// table's row `first + k`, if it claims one, and `held_key(t)` the key of
    /// its row `t`.
    pub fn contest<'k>(&self, keys: &[Option<&'k str>], first: usize, held_key: impl Fn(usize) -> &'k str) -> Contest {
        let mut hashed: Vec<(u64, usize)> = keys
            .par_iter()
            .enumerate()
            .filter_map(|(k, key)| key.map(|key| (self.hasher.hash_one(key), first + k)))
            .collect();
        hashed.par_sort_unstable();
        let held_hashes = self.shared_hashes(&hashed);
        let mut losers = PlHashMap::default();
        for run in hashed.chunk_by(|a, b| a.0 == b.0) {
            let held_before = held_hashes.get(&run[0].0).map_or(&[][..], |r| &self.sorted[r.clone()]);
            if run.len() > 1 || !held_before.is_empty() {
                settle_run(run, held_before, |row| keys[row - first], &held_key, &mut losers);
            }
        }
        Contest { losers, hashed }
    }

    /// Where the held keys lie whose hashes the new rows' sorted hashes share (a walk along both).
    fn shared_hashes(&self, hashed: &[(u64, usize)]) -> PlHashMap<u64, Range<usize>> {
        let mut shared = PlHashMap::default();
        let (mut i, mut j) = (0, 0);
        while let (Some(&(batch, _)), Some(&(held, _))) = (hashed.get(i), self.sorted.get(j)) {
            match batch.cmp(&held) {
                Ordering::Less => i += 1,
                Ordering::Greater => j += 1,
                Ordering::Equal => {
                    let end = j + self.sorted[j..].partition_point(|&(h, _)| h == held);
                    shared.insert(held, j..end);
                    i += 1;
                    j = end;
                }
            }
        }
        shared
    }

    /// Records that the table's rows from `first` on hold `keys` (in table order).
    pub fn hold<'k>(&mut self, first: usize, keys: impl IndexedParallelIterator<Item = &'k str>) {
        let hasher = &self.hasher;
        let mut new: Vec<(u64, usize)> = keys
            .enumerate()
            .map(|(k, key)| (hasher.hash_one(key), first + k))
            .collect();
        new.par_sort_unstable();
        self.hold_hashed(new);
    }

    /// Records that the rows a contest settled hold their keys, when every one
    /// of them won and all are still where they were.
    pub fn hold_contested(&mut self, contest: Contest) {
        self.hold_hashed(contest.hashed);
    }

    fn hold_hashed(&mut self, sorted: Vec<(u64, usize)>) {
        if sorted.is_empty() {
            return;
        }
        self.sorted.extend(sorted);
        // Two sorted runs: the stable sort merges them in one pass.
        self.sorted.sort();
    }
}

/// What settling new rows' keys found.
pub struct Contest {
    /// Each row that gives way, with the row holding its key (table positions).
    pub losers: PlHashMap<usize, usize>,
    /// The hashes of the keys the rows claimed, with their rows, sorted.
    hashed: Vec<(u64, usize)>,
}

/// Settles one run of rows with equal key hashes (table positions, in
/// order): each row whose key an earlier row of the run, or a held row, has
/// gives way to the first holder.
fn settle_run<'k>(
    run: &[(u64, usize)],
    held_before: &[(u64, usize)],
    key_of: impl Fn(usize) -> Option<&'k str>,
    held_key: &impl Fn(usize) -> &'k str,
    losers: &mut PlHashMap<usize, usize>,
) {
    // The distinct keys of the run so far, each with its holder.
    let mut holders: Vec<(&str, usize)> = Vec::new();
    for &(_, row) in run {
        let key = key_of(row).unwrap_or_default();
        if let Some(&(_, holder)) = holders.iter().find(|(held, _)| *held == key) {
            losers.insert(row, holder);
            continue;
        }
        match held_before.iter().find(|&&(_, t)| held_key(t) == key) {
            Some(&(_, t)) => {
                holders.push((key, t));
                losers.insert(row, t);
            }
            None => holders.push((key, row)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The losers among `new` (the table's rows from `table.len()` on), by table position.
    fn contest_of(held: &HeldKeys, table: &[&'static str], new: &[Option<&'static str>]) -> Vec<(usize, usize)> {
        let first = table.len();
        let key = |t: usize| table.get(t).copied().or_else(|| new[t - first]).unwrap_or_default();
        let mut losers: Vec<_> = held.contest(new, first, key).losers.into_iter().collect();
        losers.sort_unstable();
        losers
    }

    #[test]
    fn the_first_row_with_a_key_holds_it_and_later_ones_give_way() {
        let new = [Some("a"), Some("b"), None, Some("a"), Some("c"), Some("a"), Some("b")];
        assert_eq!(contest_of(&HeldKeys::default(), &[], &new), [(3, 0), (5, 0), (6, 1)]);
    }

    #[test]
    fn keys_held_by_earlier_rows_are_not_taken_again() {
        let table = ["x", "a", "y"];
        let mut held = HeldKeys::default();
        held.hold(0, table.par_iter().copied());
        let new = [Some("b"), Some("a"), Some("y"), Some("a"), Some("b")];
        assert_eq!(contest_of(&held, &table, &new), [(4, 1), (5, 2), (6, 1), (7, 3)]);
    }

    #[test]
    fn a_contest_won_by_every_row_holds_their_keys_for_the_next_file() {
        let table = ["p", "q", "r"];
        let mut held = HeldKeys::default();
        let first_file = [Some("p"), Some("q"), Some("r")];
        let contest = held.contest(&first_file, 0, |t| table[t]);
        assert!(contest.losers.is_empty());
        held.hold_contested(contest);
        assert_eq!(
            contest_of(&held, &table, &[Some("r"), Some("s"), Some("p")]),
            [(3, 2), (5, 0)]
        );
    }

    #[test]
    fn many_rows_with_one_key_settle_in_one_pass() {
        let new = vec![Some("same"); 100_000];
        let losers = contest_of(&HeldKeys::default(), &[], &new);
        assert_eq!(losers.len(), 99_999);
        assert!(losers.iter().all(|&(_, holder)| holder == 0));
    }
}
