//! Data quality per force for the evaluators: rows read, accepted,
//! quarantined, duplicated and filtered (from the ingest manifest),
//! suppressed so that no small count can be worked out by subtraction.

use std::collections::BTreeMap;

use super::super::pack::Pack;
use super::super::provenance::ROW_COUNTS;
use super::super::suppress::SUPPRESSED;
use super::super::ReportError;
use super::{write_table, Evaluation};

impl Evaluation<'_> {
    pub fn write_quality(&self, pack: &Pack) -> Result<(), ReportError> {
        let ingest = &self.data.ingest_manifest;
        let mut totals: BTreeMap<String, [u64; 5]> = BTreeMap::new();
        for input in ingest["inputs"].as_array().into_iter().flatten() {
            let force = input["force"].as_str().unwrap_or_default().to_string();
            let entry = totals.entry(force).or_default();
            for (slot, key) in ROW_COUNTS.iter().enumerate() {
                entry[slot] += input[key].as_u64().unwrap_or(0);
            }
        }
        let s = self.suppression;
        let rows: Vec<Vec<String>> =
            totals
                .iter()
                .map(|(force, counts)| {
                    let hidden = s.protect(counts, &[], &[(vec![1, 2, 3, 4], 0)]);
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
        let mut header = vec!["force".to_string()];
        header.extend(ROW_COUNTS.map(String::from));
        header.push("quarantined_pct".into());
        write_table(pack, "data_quality.csv", &header, &rows)
    }
}
