//! Person ids that stay put from one weekly run to the next.
//!
//! A new person's id is derived from the smallest mention id in its cluster
//! (`P` and 12 hex digits of its SHA-256), so the same data always gives the
//! same ids. With the previous run's `person_mentions.csv`, each cluster
//! keeps the id most of its already-seen mentions had (ties: the smaller id);
//! when a person was split, the part with most of those mentions keeps the
//! id and the others get new ones. Ids shown outside the force are keyed
//! hashes of these (the evaluation pack's job), never these.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::PlHashSet as HashSet;
use std::path::Path;

use super::side_file::column_pairs;
use crate::link::LinkError;
use sha2::{Digest, Sha256};

/// The previous run's person id of each mention.
pub type Previous = HashMap<String, String>;

/// Reads `person_mentions.csv` of an earlier run (mention_id, person_id columns).
pub fn read_previous(path: &Path) -> Result<Previous, LinkError> {
    let hint = "; give the folder of an earlier run";
    Ok(column_pairs(path, "mention_id", "person_id", hint)?
        .into_iter()
        .map(|(mention, person)| (mention.to_string(), person.to_string()))
        .collect())
}

/// The id of each cluster, given each cluster's mention ids (sorted, smallest first).
pub fn name_clusters(clusters: &[Vec<&str>], previous: &Previous) -> Vec<String> {
    let mut names: Vec<Option<String>> = vec![None; clusters.len()];
    // Each earlier id goes to the cluster holding most of its mentions.
    let mut claims: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (c, mentions) in clusters.iter().enumerate() {
        if let Some((id, votes)) = favourite(mentions, previous) {
            claims.entry(id).or_default().push((votes, c));
        }
    }
    let mut taken: HashSet<String> = HashSet::default();
    for (id, mut claimants) in claims {
        claimants.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        names[claimants[0].1] = Some(id.to_string());
        taken.insert(id.to_string());
    }
    clusters
        .iter()
        .zip(names)
        .map(|(mentions, name)| name.unwrap_or_else(|| fresh_id(mentions[0], &mut taken)))
        .collect()
}

/// The earlier id most of a cluster's mentions had, and how many had it.
fn favourite<'a>(mentions: &[&str], previous: &'a Previous) -> Option<(&'a str, usize)> {
    let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
    for mention in mentions {
        if let Some(id) = previous.get(*mention) {
            *votes.entry(id.as_str()).or_default() += 1;
        }
    }
    votes.into_iter().max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(x.0)))
}

fn fresh_id(first_mention: &str, taken: &mut HashSet<String>) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest: String = Sha256::digest(first_mention.as_bytes())[..6]
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])
        .map(char::from)
        .collect();
    let mut id = format!("P{digest}");
    let mut n = 1;
    while taken.contains(&id) {
        n += 1;
        id = format!("P{}-{n}", &digest[..12]);
    }
    taken.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn previous(pairs: &[(&str, &str)]) -> Previous {
        pairs.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect()
    }

    #[test]
    fn the_same_clusters_get_the_same_ids() {
        let clusters = vec![vec!["a/1/1", "b/2/1"], vec!["c/3/1"]];
        let first = name_clusters(&clusters, &Previous::new());
        assert_eq!(first, name_clusters(&clusters, &Previous::new()));
        assert_ne!(first[0], first[1]);
        assert!(first[0].starts_with('P') && first[0].len() == 13);
    }

    #[test]
    fn a_person_seen_before_keeps_its_id_when_new_mentions_join() {
        let before = previous(&[("a/1/1", "PKEEP"), ("b/2/1", "PKEEP"), ("c/3/1", "POTHER")]);
        // A new mention (a/0/1) sorts first, which would change a derived id.
        let clusters = vec![vec!["a/0/1", "a/1/1", "b/2/1"], vec!["c/3/1"], vec!["d/9/1"]];
        let names = name_clusters(&clusters, &before);
        assert_eq!(names[0], "PKEEP");
        assert_eq!(names[1], "POTHER");
        assert!(names[2].starts_with('P') && names[2] != "PKEEP");
    }

    #[test]
    fn when_a_person_splits_the_larger_part_keeps_the_id() {
        let before = previous(&[("a/1/1", "PX"), ("b/2/1", "PX"), ("c/3/1", "PX")]);
        let clusters = vec![vec!["a/1/1"], vec!["b/2/1", "c/3/1"]];
        let names = name_clusters(&clusters, &before);
        assert_eq!(names[1], "PX");
        assert_ne!(names[0], "PX");
    }
}
