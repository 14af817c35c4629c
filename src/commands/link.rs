//! `vigil link`: link the records of one or two files and report what was found.

use std::fmt::Write;
use std::path::PathBuf;

use crate::error::VigilError;
use crate::link::{self, LinkOptions, Linked};

/// Options of `vigil link` beyond the linking itself.
#[derive(Debug, Clone)]
pub struct LinkCommand {
    pub link: LinkOptions,
    pub out: PathBuf,
    /// Print the effective spec and stop.
    pub spec_dump: bool,
}

pub fn run(command: &LinkCommand) -> Result<String, VigilError> {
    if command.spec_dump {
        let (_, spec) = link::prepare(&command.link)?;
        return Ok(spec.to_toml());
    }
    let mut linked = link::link(&command.link)?;
    let started = std::time::Instant::now();
    let names: Vec<String> = command
        .link
        .inputs
        .iter()
        .map(|p| {
            p.file_stem()
                .map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into_owned())
        })
        .collect();
    link::write(&linked, &command.out, &names)?;
    linked.timings.push(("write", started.elapsed()));
    Ok(report(&linked, command))
}

/// The summary on stdout; with a truth column its last line is `precision=P recall=R f1=F`.
fn report(linked: &Linked, command: &LinkCommand) -> String {
    let mut out = String::new();
    let clusters = linked.cluster_count();
    let _ = writeln!(
        out,
        "{} records, {:?} mode, threshold {}",
        linked.records.len(),
        linked.mode,
        linked.spec.threshold
    );
    for (rule, count) in linked.rules.iter().zip(&linked.pairs_per_rule) {
        if let Some(proposed) = count.over_budget {
            let _ = writeln!(
                out,
                "  blocking `{rule}`: warning: skipped, it would propose {proposed} pairs (budget {}); make it stricter",
                linked.spec.pair_budget(linked.records.len())
            );
            continue;
        }
        if let Some(weighed) = count.low_yield {
            let _ = writeln!(
                out,
                "  blocking `{rule}`: skipped, its {} pairs would add about {:.0} likely matches to the {:.0} found (a sample of {}: {} new pairs, {} likely matches); make it stricter to use it",
                weighed.proposed, weighed.expected(), weighed.found_before, weighed.sampled, weighed.new, weighed.likely
            );
            continue;
        }
        let (pairs, skipped, skipped_records) = (count.pairs, count.skipped_blocks, count.skipped_records);
        let _ = write!(out, "  blocking `{rule}`: {pairs} new pairs");
        if skipped > 0 {
            let _ = write!(
                out,
                " (warning: {skipped} blocks over {} records skipped, {skipped_records} records)",
                linked.spec.max_block
            );
        }
        out.push('\n');
    }
    if linked.unblocked > 0 {
        let _ = writeln!(
            out,
            "  and {} pairs no rule proposed: the input is small enough to compare every pair",
            linked.unblocked
        );
    }
    let _ = writeln!(
        out,
        "{} candidate pairs compared, {} links, {} clusters",
        linked.candidates,
        linked.links.len(),
        clusters
    );
    if linked.records.distinct_within.is_some() {
        let _ = writeln!(
            out,
            "kept apart: {} pairs at or above the threshold were records that must differ (not links); {} merges refused",
            linked.held_apart, linked.refused_merges
        );
    }
    let timings: Vec<String> = linked
        .timings
        .iter()
        .map(|(name, d)| format!("{name} {:.2}s", d.as_secs_f64()))
        .collect();
    let _ = writeln!(out, "time: {}", timings.join(", "));
    let _ = writeln!(out, "wrote {}", command.out.display());
    if let Some(q) = linked.quality {
        if let Some(recall) = linked.blocking_recall {
            let _ = writeln!(
                out,
                "blocking recall={recall:.4} true_pairs={} predicted_pairs={}",
                q.true_pairs, q.predicted_pairs
            );
        }
        let _ = writeln!(out, "{}\n{}", q.bcubed_line(), q.pairwise_line());
    }
    out
}
