//! Publishing a link run: `clusters.csv`, `links.csv` (each link with every
//! column's level and contribution to the weight: the explanation),
//! `model.json` (reusable with `--model`) and `summary.json`, written together.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::compare::{level_labels, level_of, MISSING_LEVEL};
use super::{LinkError, Linked, Mode};
use crate::csv_out::write_rows;
use crate::staging::Staging;

/// Writes every output of `linked` into `out`.
pub fn write(linked: &Linked, out: &Path, input_names: &[String]) -> Result<(), LinkError> {
    let fail = |path: &Path, source: std::io::Error| LinkError::Write {
        path: path.to_path_buf(),
        source,
    };
    let staging = Staging::new(out, "link").map_err(|e| fail(out, e))?;
    let staged = |name: &str| -> Result<PathBuf, LinkError> { staging.path(name).map_err(|e| fail(out, e)) };
    let path = staged("clusters.csv")?;
    write_clusters(linked, &path, input_names).map_err(|e| fail(&path, e))?;
    let path = staged("links.csv")?;
    write_links(linked, &path).map_err(|e| fail(&path, e))?;
    let path = staged("model.json")?;
    let model = serde_json::to_string_pretty(&linked.model).expect("a model is plain data");
    std::fs::write(&path, model + "\n").map_err(|e| fail(&path, e))?;
    let path = staged("summary.json")?;
    let summary = serde_json::to_string_pretty(&summary(linked)).expect("a summary is plain data");
    std::fs::write(&path, summary + "\n").map_err(|e| fail(&path, e))?;
    staging
        .commit(&["clusters.csv", "links.csv", "model.json"], "summary.json")
        .map_err(|e| fail(out, e))
}

fn write_clusters(linked: &Linked, path: &Path, input_names: &[String]) -> std::io::Result<()> {
    let records = &linked.records;
    let two = linked.mode == Mode::Link;
    let named = |r: usize| {
        if two {
            format!("{}:{}", input_names[records.input[r] as usize], records.ids.get(r))
        } else {
            records.ids.get(r).to_string()
        }
    };
    let header: Vec<String> = if two {
        vec!["input".into(), "id".into(), "cluster_id".into()]
    } else {
        vec!["id".into(), "cluster_id".into()]
    };
    write_rows(path, &header, records.len(), |r| {
        let mut row = Vec::with_capacity(3);
        if two {
            row.push(input_names[records.input[r] as usize].clone());
        }
        row.push(records.ids.get(r).to_string());
        row.push(named(linked.clusters[r] as usize));
        row
    })
}

fn write_links(linked: &Linked, path: &Path) -> std::io::Result<()> {
    let mut header: Vec<String> = ["id_l", "id_r", "match_probability", "match_weight", "prior_weight"]
        .map(String::from)
        .to_vec();
    for c in &linked.model.comparisons {
        header.push(format!("{}_level", c.column));
        header.push(format!("{}_weight", c.column));
    }
    let prior = linked.model.prior_weight();
    write_rows(path, &header, linked.links.len(), |i| {
        let link = &linked.links[i];
        let (a, b) = (link.a as usize, link.b as usize);
        let mut row = vec![
            linked.records.ids.get(a).to_string(),
            linked.records.ids.get(b).to_string(),
            format!("{:.6}", link.probability()),
            format!("{:.3}", link.weight),
            format!("{prior:.3}"),
        ];
        let contributions = linked.model.contributions(&linked.fields, link.pattern, a, b);
        for (c, column) in linked.model.comparisons.iter().enumerate() {
            let level = level_of(link.pattern, c);
            row.push(match level {
                MISSING_LEVEL => "missing".to_string(),
                _ => level_labels(column.kind)[level as usize - 1].to_string(),
            });
            row.push(format!("{:.3}", contributions[c]));
        }
        row
    })
}

/// The run in figures (no timings: the same input gives the same bytes).
fn summary(linked: &Linked) -> serde_json::Value {
    let clusters = linked.cluster_count();
    let rules: Vec<serde_json::Value> = linked
        .rules
        .iter()
        .zip(&linked.pairs_per_rule)
        .map(|(rule, count)| {
            json!({
                "rule": rule, "pairs": count.pairs, "skipped_blocks": count.skipped_blocks,
                "skipped_records": count.skipped_records, "skipped_over_budget": count.over_budget,
                "skipped_low_yield": count.low_yield.map(|w| json!({
                    "proposed": w.proposed, "sampled": w.sampled, "new": w.new, "likely": w.likely,
                    "expected_matches": w.expected().round(), "matches_before": w.found_before.round(),
                })),
            })
        })
        .collect();
    let quality = linked.quality.map(|q| {
        json!({
            "precision": round4(q.precision), "recall": round4(q.recall), "f1": round4(q.f1),
            "bcubed_precision": round4(q.bcubed_precision), "bcubed_recall": round4(q.bcubed_recall),
            "bcubed_f1": round4(q.bcubed_f1), "true_pairs": q.true_pairs,
            "predicted_pairs": q.predicted_pairs, "correct_pairs": q.correct_pairs,
            "blocking_recall": linked.blocking_recall.map(round4),
        })
    });
    json!({
        "vigil_version": env!("CARGO_PKG_VERSION"),
        "mode": linked.mode,
        "records": linked.records.len(),
        "threshold": linked.spec.threshold,
        "blocking": rules,
        "candidate_pairs": linked.candidates,
        "pairs_no_rule_proposed": linked.unblocked,
        "links": linked.links.len(),
        "pairs_held_apart": linked.held_apart,
        "merges_refused": linked.refused_merges,
        "clusters": clusters,
        "quality": quality,
    })
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
