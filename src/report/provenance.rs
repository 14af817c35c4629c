//! What a pack's manifest says about where it came from: vigil's version,
//! the configuration's SHA-256, every input export with its SHA-256 and row
//! counts (from the ingest manifest), the stage tables read with their
//! SHA-256, persons linked, flags by rule, and timings. In the evaluation
//! pack every count passes through small-count suppression.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde_json::{json, Value};

use super::suppress::Suppression;
use super::ReportData;
use crate::hashing::sha256_hex;

/// The stage tables a pack is built from, relative to the run's output folder.
const STAGE_TABLES: &[&str] = &[
    "canonical/calls.parquet",
    "canonical/incidents.parquet",
    "canonical/mentions.parquet",
    "linked/person_mentions.parquet",
    "linked/persons.csv",
    "detect/flags.csv",
    "detect/missed_opportunities.csv",
    "detect/priority_victims.csv",
    "detect/priority_perpetrators.csv",
];

/// How counts are shown: as they are, or suppressed.
#[derive(Debug, Clone, Copy)]
pub enum Counts {
    Open,
    Suppressed(Suppression),
}

impl Counts {
    fn show(self, value: &Value) -> Value {
        match (self, value.as_u64()) {
            (Counts::Suppressed(s), Some(n)) if s.hides(n) => json!(super::SUPPRESSED),
            _ => value.clone(),
        }
    }

    /// Row counts of a file or total (read = accepted + quarantined +
    /// duplicates + filtered), protected together.
    fn rows(self, object: &Value) -> Value {
        let mut object = object.clone();
        let Counts::Suppressed(s) = self else { return object };
        let counts: Vec<u64> = ROW_COUNTS.iter().map(|k| object[k].as_u64().unwrap_or(0)).collect();
        let hidden = s.protect(&counts, &[], &[(vec![1, 2, 3, 4], 0)]);
        if let Some(map) = object.as_object_mut() {
            for (key, hide) in ROW_COUNTS.iter().zip(hidden) {
                if hide {
                    map.insert(key.to_string(), json!(super::SUPPRESSED));
                }
            }
            if let Some(files) = map.get("files").cloned() {
                map.insert("files".into(), self.show(&files));
            }
        }
        object
    }
}

/// The ingest manifest's row counts: read, then what became of each row read.
pub const ROW_COUNTS: [&str; 5] = [
    "rows_read",
    "rows_accepted",
    "rows_quarantined",
    "duplicate_rows",
    "rows_filtered",
];

/// The manifest of a pack (its files are added when it is committed).
pub fn manifest(data: &ReportData, pack: Value, counts: Counts, timings: BTreeMap<&str, f64>) -> Value {
    let ingest = &data.ingest_manifest;
    let shown = |object: &Value| counts.rows(object);
    let inputs: Vec<Value> = ingest["inputs"]
        .as_array()
        .map(|inputs| inputs.iter().map(&shown).collect())
        .unwrap_or_default();
    let flags: BTreeMap<&str, Value> = data
        .detected
        .flags_per_rule()
        .into_iter()
        .map(|(rule, n)| (rule.code(), counts.show(&json!(n))))
        .collect();
    json!({
        "vigil_version": env!("CARGO_PKG_VERSION"),
        "pack": pack,
        "config": {
            "file": data.config.path.file_name().map(|n| n.to_string_lossy().to_string()),
            "sha256": data.config.sha256,
        },
        "inputs": inputs,
        "rows": shown(&ingest["totals"]),
        "reconciled": ingest["reconciled"],
        "stage_tables": data.stage_digests,
        "linked": {
            "persons_named_in_incidents": counts.show(&json!(data.detected.people.person_ids.len())),
        },
        "flags_by_rule": flags,
        "timings_seconds": timings,
    })
}

/// The SHA-256 of each stage table present in `out` (hashed once per run, in parallel).
pub fn stage_digests(out: &Path) -> BTreeMap<&'static str, String> {
    STAGE_TABLES
        .par_iter()
        .filter_map(|table| {
            let bytes = std::fs::read(out.join(table)).ok()?;
            Some((*table, sha256_hex(&bytes)))
        })
        .collect()
}

/// The ingest stage's manifest in `out` (null when there is none).
pub fn ingest_manifest(out: &Path) -> Value {
    std::fs::read(out.join("manifest.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null)
}

/// Seconds since `started`, to the millisecond (JSON writes `2.0`, never a bare count).
pub fn seconds(started: std::time::Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}
