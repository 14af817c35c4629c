//! Scoring the persons against the simulator's truth (`truth/mentions.csv`:
//! mention_id and true_person_id), when the exports come with one.

use std::collections::HashMap;
use std::path::Path;

use super::tables::PersonMention;
use crate::link::{evaluate, LinkError, Quality};

/// The true person of each mention.
pub fn read_truth(path: &Path) -> Result<HashMap<String, String>, LinkError> {
    let bad = |reason: String| LinkError::BadSpec {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| bad(e.to_string()))?;
    let header = reader.headers().map_err(|e| bad(e.to_string()))?.clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad(format!("no `{name}` column")))
    };
    let (mention, person) = (column("mention_id")?, column("true_person_id")?);
    let mut truth = HashMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| bad(e.to_string()))?;
        truth.insert(row[mention].to_string(), row[person].to_string());
    }
    Ok(truth)
}

/// Pairwise and B-cubed scores of the persons over the mentions the truth knows.
pub fn score(mentions: &[PersonMention], truth: &HashMap<String, String>) -> Quality {
    let known: Vec<&PersonMention> = mentions.iter().filter(|m| truth.contains_key(&m.mention_id)).collect();
    let mut person_numbers: HashMap<&str, u32> = HashMap::new();
    let clusters: Vec<u32> = known
        .iter()
        .map(|m| {
            let next = person_numbers.len() as u32;
            *person_numbers.entry(&m.person_id).or_insert(next)
        })
        .collect();
    let labels: Vec<&str> = known.iter().map(|m| truth[&m.mention_id].as_str()).collect();
    evaluate(&clusters, &labels, &vec![0; known.len()], false)
}
