//! A force's flags for its weekly pack, found in one pass: those whose
//! evidence includes the force, each with the local week it was detected
//! in. The week's lists, the review's loop and the KPIs' counts of what was
//! to read are all drawn from these, not from a fresh scan of every flag.

use rayon::prelude::*;

use super::review::needs_decision;
use super::week::Week;
use crate::detect::Detected;

pub struct ForceFlags {
    /// (position in `Detected::flags`, week detected), in flag order.
    list: Vec<(usize, Week)>,
}

impl ForceFlags {
    pub fn of(detected: &Detected, force: u16) -> ForceFlags {
        let list = (detected.flags.par_iter().enumerate())
            .filter(|(_, flag)| flag.evidence_forces(&detected.records).any(|f| f == force))
            .map(|(n, flag)| (n, Week::of(detected.clock.date(force, flag.detected_at))))
            .collect();
        ForceFlags { list }
    }

    /// The flags detected in `week`.
    pub fn in_week(&self, week: Week) -> impl Iterator<Item = usize> + '_ {
        self.list.iter().filter(move |(_, w)| *w == week).map(|&(n, _)| n)
    }

    /// The flags detected up to `last` (its week included), with their week.
    pub fn up_to(&self, last: Week) -> impl Iterator<Item = (usize, Week)> + '_ {
        self.list.iter().copied().filter(move |(_, w)| *w <= last)
    }

    /// A week's flags (missed opportunities included) and those needing a decision.
    pub fn load(&self, detected: &Detected, week: Week) -> (usize, usize) {
        self.in_week(week).fold((0, 0), |(all, needing), n| {
            (all + 1, needing + usize::from(needs_decision(&detected.flags[n])))
        })
    }
}
