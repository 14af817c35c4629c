//! Clustering: links merged strongest first (as connected components would
//! be), each merge checked against all the evidence between the two groups.
//! Two groups join only when the mean match weight over every pair compared
//! between them is at least 0, even odds (average linkage): one link above
//! the threshold cannot chain two people's records together when the other
//! pairs compared between them say, on balance, that they differ. Nor do two
//! groups join when a cannot-link constraint (`apart.rs`) holds between them.

use super::apart::{compatible, merged, KeptApart, Key};

/// A compared pair with its match weight (log2 odds).
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    pub weight: f32,
}

/// The clusters, and how many merges a cannot-link constraint refused.
#[derive(Debug)]
pub struct Clustered {
    /// The cluster of every record: the smallest record index in it.
    pub clusters: Vec<u32>,
    pub refused_merges: u64,
}

/// Clusters the records; no cluster ever holds two records `apart` keeps apart.
pub fn cluster(records: usize, edges: &[Edge], cut: f64, apart: Option<&KeptApart>) -> Clustered {
    let neighbours = Neighbours::new(records, edges);
    let mut links: Vec<&Edge> = edges.iter().filter(|e| e.weight as f64 >= cut).collect();
    links.sort_by(|p, q| q.weight.total_cmp(&p.weight).then((p.a, p.b).cmp(&(q.a, q.b))));
    // On balance, the pairs between two groups must favour a match (even odds or better).
    let merge_cut = cut.min(0.0);
    let mut groups = Groups::new(records, apart);
    let mut refused_merges = 0;
    for link in links {
        let (x, y) = (groups.find(link.a), groups.find(link.b));
        if x == y || groups.mean_weight_between(x, y, &neighbours) < merge_cut {
            continue;
        }
        if groups.may_merge(x, y) {
            groups.union(x, y);
        } else {
            refused_merges += 1;
        }
    }
    let mut smallest = vec![u32::MAX; records];
    for r in 0..records as u32 {
        let root = groups.find(r) as usize;
        smallest[root] = smallest[root].min(r);
    }
    Clustered {
        clusters: (0..records as u32).map(|r| smallest[groups.find(r) as usize]).collect(),
        refused_merges,
    }
}

/// Every record's compared pairs, in one flat list (compressed sparse rows).
struct Neighbours {
    starts: Vec<usize>,
    others: Vec<(u32, f32)>,
}

impl Neighbours {
    fn new(records: usize, edges: &[Edge]) -> Neighbours {
        let mut starts = vec![0usize; records + 1];
        for e in edges {
            starts[e.a as usize + 1] += 1;
            starts[e.b as usize + 1] += 1;
        }
        for i in 0..records {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut others = vec![(0u32, 0f32); starts[records]];
        for e in edges {
            others[fill[e.a as usize]] = (e.b, e.weight);
            fill[e.a as usize] += 1;
            others[fill[e.b as usize]] = (e.a, e.weight);
            fill[e.b as usize] += 1;
        }
        Neighbours { starts, others }
    }

    fn of(&self, record: u32) -> &[(u32, f32)] {
        &self.others[self.starts[record as usize]..self.starts[record as usize + 1]]
    }
}

/// Disjoint sets that also know their members and their constraints' keys.
struct Groups {
    parent: Vec<u32>,
    members: Vec<Vec<u32>>,
    keys: Vec<Vec<Key>>,
}

impl Groups {
    fn new(n: usize, apart: Option<&KeptApart>) -> Groups {
        let key = |r: u32| apart.and_then(|a| a.key(r)).into_iter().collect();
        Groups {
            parent: (0..n as u32).collect(),
            members: (0..n as u32).map(|r| vec![r]).collect(),
            keys: (0..n as u32).map(key).collect(),
        }
    }

    /// Whether roots `x` and `y` hold no pair of records kept apart.
    fn may_merge(&self, x: u32, y: u32) -> bool {
        compatible(&self.keys[x as usize], &self.keys[y as usize])
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    /// Mean weight of the compared pairs between groups `x` and `y` (roots).
    fn mean_weight_between(&mut self, x: u32, y: u32, neighbours: &Neighbours) -> f64 {
        let (small, big) = if self.members[x as usize].len() <= self.members[y as usize].len() {
            (x, y)
        } else {
            (y, x)
        };
        let (mut sum, mut count) = (0.0, 0u64);
        for i in 0..self.members[small as usize].len() {
            let record = self.members[small as usize][i];
            for &(other, weight) in neighbours.of(record) {
                if self.find(other) == big {
                    sum += weight as f64;
                    count += 1;
                }
            }
        }
        if count == 0 {
            f64::NEG_INFINITY
        } else {
            sum / count as f64
        }
    }

    fn union(&mut self, x: u32, y: u32) {
        let (big, small) = if self.members[x as usize].len() >= self.members[y as usize].len() {
            (x, y)
        } else {
            (y, x)
        };
        self.parent[small as usize] = big;
        let moved = std::mem::take(&mut self.members[small as usize]);
        self.members[big as usize].extend(moved);
        let (ours, theirs) = (&self.keys[big as usize], &self.keys[small as usize]);
        if !theirs.is_empty() {
            self.keys[big as usize] = merged(ours, theirs);
            self.keys[small as usize] = Vec::new();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(a: u32, b: u32, weight: f32) -> Edge {
        Edge { a, b, weight }
    }

    #[test]
    fn components_follow_the_links() {
        let clusters = cluster(5, &[edge(0, 1, 20.0), edge(1, 2, 20.0), edge(3, 4, 20.0)], 3.0, None).clusters;
        assert_eq!(clusters, vec![0, 0, 0, 3, 3]);
    }

    #[test]
    fn a_bridge_outweighed_by_the_other_pairs_does_not_join_two_groups() {
        // 0-1 and 2-3 are sure; 1-2 looks like a match, but 0-2, 0-3 and 1-3 clearly are not:
        // mean weight between {0,1} and {2,3} = (8 - 15 - 15 - 15) / 4 < 0.
        let edges = [
            edge(0, 1, 20.0),
            edge(2, 3, 20.0),
            edge(1, 2, 8.0),
            edge(0, 2, -15.0),
            edge(0, 3, -15.0),
            edge(1, 3, -15.0),
        ];
        assert_eq!(cluster(4, &edges, 3.0, None).clusters, vec![0, 0, 2, 2]);
        // With milder doubts the balance favours a match: (8 - 1 - 1 - 1) / 4 > 0.
        let milder = edges.map(|e| if e.weight < 0.0 { edge(e.a, e.b, -1.0) } else { e });
        assert_eq!(cluster(4, &milder, 3.0, None).clusters, vec![0, 0, 0, 0]);
    }

    #[test]
    fn a_bridge_with_no_evidence_against_it_joins_the_groups() {
        let edges = [edge(0, 1, 20.0), edge(2, 3, 20.0), edge(1, 2, 8.0)];
        assert_eq!(cluster(4, &edges, 3.0, None).clusters, vec![0, 0, 0, 0]);
    }

    #[test]
    fn records_kept_apart_never_share_a_cluster_however_strong_the_links() {
        // 0-1 and 1-2 are sure, but 0 and 2 are named in one incident.
        let apart = KeptApart::from_keys(vec![Some((0, 0)), None, Some((0, 1)), None]);
        let edges = [edge(0, 1, 30.0), edge(1, 2, 25.0), edge(0, 2, 20.0), edge(2, 3, 10.0)];
        let clustered = cluster(4, &edges, 3.0, Some(&apart));
        assert_eq!(clustered.clusters, vec![0, 0, 2, 2]);
        assert_eq!(clustered.refused_merges, 2);
        // One unit (the force's own id says they are one person): they may join.
        let one = KeptApart::from_keys(vec![Some((0, 4)), None, Some((0, 4)), None]);
        assert_eq!(cluster(4, &edges, 3.0, Some(&one)).clusters, vec![0, 0, 0, 0]);
    }

    #[test]
    fn pairs_below_the_threshold_never_link() {
        assert_eq!(cluster(2, &[edge(0, 1, 2.9)], 3.0, None).clusters, vec![0, 1]);
    }
}
