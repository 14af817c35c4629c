//! Data quality per force for the evaluators: rows read, accepted,
//! quarantined and duplicated (from the ingest manifest), suppressed so
//! that no small count can be worked out by subtraction.

use std::collections::BTreeMap;

use super::super::pack::Pack;
use super::super::suppress::SUPPRESSED;
use super::super::ReportError;
use super::{write_table, Evaluation};

impl Evaluation<'_> {
    pub fn write_quality(&self, pack: &Pack) -> Result<(), ReportError> {
        let ingest = &self.data.ingest_manifest;
        let mut totals: BTreeMap<String, [u64; 4]> = BTreeMap::new();
        for input in ingest["inputs"].as_array().into_iter().flatten() {
            let force = input["force"].as_str().unwrap_or_default().to_string();
            let entry = totals.entry(force).or_default();
            for (slot, key) in ["rows_read", "rows_accepted", "rows_quarantined", "duplicate_rows"]
                .iter()
                .enumerate()
            {
                entry[slot] += input[key].as_u64().unwrap_or(0);
            }
        }
        let s = self.suppression;
        let rows: Vec<Vec<String>> =
            totals
                .iter()
                .map(|(force, counts)| {
                    let hidden = s.protect(counts, &[], &[(vec![1, 2, 3], 0)]);
                    let mut row = vec![force.clone()];
                    row.extend(counts.iter().zip(&hidden).map(|(n, &hide)| {
                        if hide {
                            SUPPRESSED.to_string()
                        } else {
                            n.to_string()
                        }
                    }));
                    row.push(s.percent(counts[2], counts[0]));
                    row
                })
                .collect();
        let header = [
            "force",
            "rows_read",
            "rows_accepted",
            "rows_quarantined",
            "duplicate_rows",
            "quarantined_pct",
        ]
        .map(String::from);
        write_table(pack, "data_quality.csv", &header, &rows)
    }
}
