//! The plain-text summary of an ingest run: rows per force and in total,
//! table sizes, unrecognised codes, and where the outputs are. Counts only:
//! no value from any row.

use std::fmt::Write;

use crate::config::Config;
use crate::ingest::{Totals, Written};

pub fn ingest_summary(config: &Config, written: &Written) -> String {
    let manifest = &written.manifest;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Ingested {} forces from {}\n",
        config.forces.len(),
        config.path.display()
    );
    let _ = writeln!(
        out,
        "{:<20} {:>5} {:>10} {:>10} {:>12} {:>11} {:>9}",
        "force", "files", "rows read", "accepted", "quarantined", "duplicates", "filtered"
    );
    for force in &manifest.forces {
        row(&mut out, &force.force, &force.totals);
    }
    row(&mut out, "total", &manifest.totals);
    let tables: Vec<String> = written.tables.iter().map(|(name, n)| format!("{name} {n}")).collect();
    let _ = writeln!(out, "\nCanonical tables: {}", tables.join(", "));
    let check = if manifest.reconciled { "yes" } else { "NO" };
    let _ = writeln!(
        out,
        "Every file reconciles (read = accepted + quarantined + duplicates + filtered): {check}"
    );
    let unrecognised: u64 = written
        .quality
        .iter()
        .filter(|q| !q.unrecognised_codes.is_empty())
        .map(|q| q.unrecognised)
        .sum();
    if unrecognised > 0 {
        let _ = writeln!(
            out,
            "Codes missing from the code tables: {unrecognised} values (listed in data_quality.csv)"
        );
    }
    let dir = written.out_dir.display();
    let _ = writeln!(
        out,
        "Wrote {dir}/canonical/ (calls, incidents, mentions), {dir}/quarantine.csv, {dir}/data_quality.csv, {dir}/manifest.json"
    );
    out
}

fn row(out: &mut String, name: &str, t: &Totals) {
    let _ = writeln!(
        out,
        "{:<20} {:>5} {:>10} {:>10} {:>12} {:>11} {:>9}",
        name, t.files, t.rows_read, t.rows_accepted, t.rows_quarantined, t.duplicate_rows, t.rows_filtered
    );
}
