//! Scoring the persons against the simulator's truth (`mentions.csv`:
//! mention_id and true_person_id), and the dyads against `dyads.csv`.

use std::path::Path;

use polars::prelude::{PlHashMap as HashMap, PlHashSet as HashSet, PlSmallStr};

use crate::link::{evaluate, LinkError, Quality};
use crate::persons::side_file::column_pairs;
use crate::persons::{Dyad, PersonMention, Persons};

/// The persons and dyads against the simulator's truth.
pub struct TruthScores {
    pub quality: Quality,
    /// When the truth has a `dyads.csv`.
    pub dyads: Option<DyadScore>,
}

/// Scores the persons against `mentions` (a simulated world's
/// `truth/mentions.csv`), and the dyads against `dyads.csv` beside it.
pub fn score_persons(persons: &Persons, mentions: &Path) -> Result<TruthScores, LinkError> {
    let known = read_truth(mentions)?;
    let true_dyads = mentions.with_file_name("dyads.csv");
    let (quality, dyads) = rayon::join(
        || score(&persons.mentions, &known),
        || {
            let scored = true_dyads.exists();
            scored.then(|| score_dyads(&persons.mentions, &persons.dyads, &known, &true_dyads))
        },
    );
    Ok(TruthScores {
        quality,
        dyads: dyads.transpose()?,
    })
}

/// The true person of each mention.
pub type Truth = HashMap<PlSmallStr, PlSmallStr>;

/// Reads `truth/mentions.csv`.
pub fn read_truth(path: &Path) -> Result<Truth, LinkError> {
    Ok(column_pairs(path, "mention_id", "true_person_id", "")?
        .into_iter()
        .collect())
}

/// Pairwise and B-cubed scores of the persons over the mentions the truth knows.
pub fn score(mentions: &[PersonMention], truth: &Truth) -> Quality {
    let known: Vec<(&PersonMention, &str)> = mentions
        .iter()
        .filter_map(|m| Some((m, truth.get(m.mention_id.as_str())?.as_str())))
        .collect();
    let mut person_numbers: HashMap<&str, u32> = HashMap::default();
    let clusters: Vec<u32> = known
        .iter()
        .map(|(m, _)| {
            let next = person_numbers.len() as u32;
            *person_numbers.entry(m.entity()).or_insert(next)
        })
        .collect();
    let labels: Vec<&str> = known.iter().map(|(_, t)| *t).collect();
    evaluate(&clusters, &labels, &vec![0; known.len()], false)
}

/// How the dyads compare with the simulator's (`truth/dyads.csv`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DyadScore {
    pub true_dyads: usize,
    /// True dyads whose victim and perpetrator are named, as such, in one ingested incident:
    /// the most that linking can find (the others were never recorded together).
    pub named_together: usize,
    pub found: usize,
    /// True dyads that some found dyad stands for.
    pub recovered: usize,
    /// Found dyads that stand for a true dyad (either way round: a
    /// counter-allegation names the victim as the suspect), or for two true
    /// people recorded as victim and suspect of one incident.
    pub correct: usize,
}

/// Each found dyad stands for the true (victim, perpetrator) that most of its persons' mentions belong to.
pub fn score_dyads(
    mentions: &[PersonMention],
    dyads: &[Dyad],
    truth: &Truth,
    truth_dyads: &Path,
) -> Result<DyadScore, LinkError> {
    let mut members: HashMap<&str, HashMap<&str, usize>> = HashMap::default();
    for m in mentions {
        if let Some(t) = truth.get(m.mention_id.as_str()) {
            *members.entry(m.entity()).or_default().entry(t).or_default() += 1;
        }
    }
    let true_person = |person: &str| {
        members.get(person).and_then(|votes| {
            votes
                .iter()
                .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
                .map(|(t, _)| *t)
        })
    };
    // A counter-allegation records a true dyad the other way round: the
    // linker found the right two people, in the roles they were recorded in,
    // so a pair counts for its true dyad either way round.
    let expected: HashSet<(PlSmallStr, PlSmallStr)> = column_pairs(truth_dyads, "victim_id", "perpetrator_id", "")?
        .into_iter()
        .collect();
    let is_expected = |(v, p): (&str, &str)| expected.contains(&(PlSmallStr::from(v), PlSmallStr::from(p)));
    let true_way = |pair| either_way(pair, is_expected);
    let recorded = named_together(mentions, truth);
    let named_together: HashSet<(&str, &str)> = recorded.iter().copied().filter_map(true_way).collect();
    let named_together = named_together.len();
    let mut recovered = HashSet::default();
    let mut correct = 0;
    for dyad in dyads {
        if let Some(pair) = true_person(&dyad.victim).zip(true_person(&dyad.perpetrator)) {
            if let Some(pair) = true_way(pair) {
                correct += 1;
                recovered.insert(pair);
            } else if recorded.contains(&pair) {
                // Two true people recorded as victim and suspect that no
                // planned dyad holds (a relative named as a second suspect).
                correct += 1;
            }
        }
    }
    Ok(DyadScore {
        true_dyads: expected.len(),
        named_together,
        found: dyads.len(),
        recovered: recovered.len(),
        correct,
    })
}

/// The pair as its true dyad has it, this way round or the other, if it is one.
fn either_way<'t>(
    (v, p): (&'t str, &'t str),
    is_expected: impl Fn((&str, &str)) -> bool,
) -> Option<(&'t str, &'t str)> {
    [(v, p), (p, v)].into_iter().find(|&pair| is_expected(pair))
}

/// The true (victim, suspect) pairs named in one incident.
fn named_together<'t>(mentions: &[PersonMention], truth: &'t Truth) -> HashSet<(&'t str, &'t str)> {
    let mut incidents: HashMap<(&str, &str), Vec<&PersonMention>> = HashMap::default();
    for m in mentions {
        incidents.entry((&m.force, &m.incident_ref)).or_default().push(m);
    }
    let mut pairs = HashSet::default();
    for list in incidents.values() {
        let of = |role: &str| -> Vec<&'t str> {
            list.iter()
                .filter(|m| m.role == role)
                .filter_map(|m| truth.get(m.mention_id.as_str()).map(PlSmallStr::as_str))
                .collect()
        };
        for v in of("VICTIM") {
            for s in of("SUSPECT") {
                pairs.insert((v, s));
            }
        }
    }
    pairs
}
