//! Publishing a link run: `clusters.csv`, `links.csv` (each link with every
//! column's level and contribution to the weight: the explanation),
//! `model.json` (reusable with `--model`) and `summary.json`, written together.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::compare::{level_labels, level_of, MISSING_LEVEL};
use super::{LinkError, Linked, Mode};
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

fn csv_error(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
}

fn write_clusters(linked: &Linked, path: &Path, input_names: &[String]) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_path(path).map_err(csv_error)?;
    let records = &linked.records;
    let two = linked.mode == Mode::Link;
    let id_of = |r: usize| {
        if two {
            format!("{}:{}", input_names[records.input[r] as usize], records.ids.get(r))
        } else {
            records.ids.get(r).to_string()
        }
    };
    if two {
        writer.write_record(["input", "id", "cluster_id"]).map_err(csv_error)?;
    } else {
        writer.write_record(["id", "cluster_id"]).map_err(csv_error)?;
    }
    for r in 0..records.len() {
        let cluster = id_of(linked.clusters[r] as usize);
        if two {
            let input = &input_names[records.input[r] as usize];
            writer
                .write_record([input.as_str(), records.ids.get(r), &cluster])
                .map_err(csv_error)?;
        } else {
            writer.write_record([records.ids.get(r), &cluster]).map_err(csv_error)?;
        }
    }
    writer.flush()
}

fn write_links(linked: &Linked, path: &Path) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_path(path).map_err(csv_error)?;
    let mut header = vec![
        "id_l".to_string(),
        "id_r".into(),
        "match_probability".into(),
        "match_weight".into(),
    ];
    header.push("prior_weight".into());
    for c in &linked.model.comparisons {
        header.push(format!("{}_level", c.column));
        header.push(format!("{}_weight", c.column));
    }
    writer.write_record(&header).map_err(csv_error)?;
    let prior = linked.model.prior_weight();
    for link in &linked.links {
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
            row.push(if level == MISSING_LEVEL {
                "missing".to_string()
            } else {
                level_labels(column.kind)[level as usize - 1].to_string()
            });
            row.push(format!("{:.3}", contributions[c]));
        }
        writer.write_record(&row).map_err(csv_error)?;
    }
    writer.flush()
}

/// The run in figures (no timings: the same input gives the same bytes).
fn summary(linked: &Linked) -> serde_json::Value {
    let clusters = {
        let mut ids = linked.clusters.clone();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    };
    let rules: Vec<serde_json::Value> = linked
        .rules
        .iter()
        .zip(&linked.pairs_per_rule)
        .map(|(rule, &(pairs, blocks, records))| {
            json!({"rule": rule, "pairs": pairs, "skipped_blocks": blocks, "skipped_records": records})
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
        "links": linked.links.len(),
        "clusters": clusters,
        "quality": quality,
    })
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
