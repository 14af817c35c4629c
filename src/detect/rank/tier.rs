//! The review tier that orders each force's priority list before the score:
//! 1. an open missed opportunity in which a night's cluster of contacts met a
//!    high-severity gap on those same contacts (the pattern Raneem's Law is
//!    named for: repeated calls in one night, each handled in isolation),
//!    that night within the last `episode_days` of the data;
//! 2. any other open missed opportunity;
//! 3. everyone else.
//!
//! Within tier 1 the subject whose acute night held the most incidents comes
//! first (the more contacts in the night, the more acute), then the score.
//!
//! A missed opportunity is open while no MARAC or IDVA referral is recorded
//! on the subject's incidents at or after the moment its signal was raised:
//! until then nobody has taken the risk up.

use crate::detect::model::flag::{Family, Flag, Rule, Severity};

/// A subject's tier and its open missed opportunities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    pub level: u8,
    pub open_missed: usize,
    /// Tier 1: the incidents of its largest acute night; otherwise 0.
    pub acute_incidents: usize,
}

impl Tier {
    /// The order of the review list: tier, then the larger acute night.
    pub fn precedence(&self, other: &Tier) -> std::cmp::Ordering {
        self.level
            .cmp(&other.level)
            .then_with(|| other.acute_incidents.cmp(&self.acute_incidents))
    }
}

/// The tier of a subject with these flags and this latest referral.
/// `recent_from` is the earliest night end that still counts as recent.
pub fn tier(own: &[&Flag], flags: &[Flag], last_referral: Option<i64>, recent_from: i64) -> Tier {
    let open: Vec<&&Flag> = own
        .iter()
        .filter(|f| f.rule.family() == Family::Missed)
        .filter(|f| last_referral.is_none_or(|at| at < f.detected_at))
        .collect();
    let acute_incidents = open
        .iter()
        .filter_map(|missed| acute_night(missed, flags, recent_from))
        .max()
        .unwrap_or(0);
    let level = match (acute_incidents > 0, open.is_empty()) {
        (true, _) => 1,
        (false, false) => 2,
        (false, true) => 3,
    };
    Tier {
        level,
        open_missed: open.len(),
        acute_incidents,
    }
}

/// The incidents of the largest recent night cluster that a missed
/// opportunity joins with a high-severity gap about one of its contacts.
fn acute_night(missed: &Flag, flags: &[Flag], recent_from: i64) -> Option<usize> {
    let joined: Vec<&Flag> = missed.joins.iter().map(|&f| &flags[f]).collect();
    let nights = joined
        .iter()
        .filter(|f| f.rule == Rule::NightCluster && f.end >= recent_from);
    nights
        .filter(|night| {
            joined.iter().any(|gap| {
                gap.rule.family() == Family::Gap
                    && gap.severity == Severity::High
                    && gap.about.is_some_and(|i| night.incidents.contains(&i))
            })
        })
        .map(|night| night.incidents.len())
        .max()
}
