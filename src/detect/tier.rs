//! The review tier that orders each force's priority list before the score:
//! 1. an open missed opportunity in which a night's cluster of contacts met a
//!    high-severity gap on those same contacts (the pattern Raneem's Law is
//!    named for: repeated calls in one night, each handled in isolation),
//!    that night within the last `episode_days` of the data;
//! 2. any other open missed opportunity;
//! 3. everyone else.
//!
//! A missed opportunity is open while no MARAC or IDVA referral is recorded
//! on the subject's incidents at or after the moment its signal was raised:
//! until then nobody has taken the risk up.

use polars::prelude::PlHashMap;

use super::flag::{Family, Flag, Rule, Severity};

/// A subject's tier and its open missed opportunities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tier {
    pub level: u8,
    pub open_missed: usize,
}

/// The tier of a subject with these flags and this latest referral.
/// `recent_from` is the earliest night end that still counts as recent.
pub fn tier(own: &[&Flag], by_id: &PlHashMap<&str, &Flag>, last_referral: Option<i64>, recent_from: i64) -> Tier {
    let open: Vec<&&Flag> = own
        .iter()
        .filter(|f| f.rule.family() == Family::Missed)
        .filter(|f| last_referral.is_none_or(|at| at < f.raised_at))
        .collect();
    let acute = open.iter().any(|missed| acute(missed, by_id, recent_from));
    let level = match (acute, open.is_empty()) {
        (true, _) => 1,
        (false, false) => 2,
        (false, true) => 3,
    };
    Tier {
        level,
        open_missed: open.len(),
    }
}

/// Whether a missed opportunity joins a recent night cluster and a high-severity gap about one of its contacts.
fn acute(missed: &Flag, by_id: &PlHashMap<&str, &Flag>, recent_from: i64) -> bool {
    let joined: Vec<&Flag> = missed
        .joins
        .iter()
        .filter_map(|id| by_id.get(id.as_str()).copied())
        .collect();
    let mut nights = joined
        .iter()
        .filter(|f| f.rule == Rule::NightCluster && f.end >= recent_from);
    nights.any(|night| {
        joined.iter().any(|gap| {
            gap.rule.family() == Family::Gap
                && gap.severity == Severity::High
                && gap.about.is_some_and(|i| night.incidents.contains(&i))
        })
    })
}
