//! Which forces are piloting Raneem's Law (a `specialist_reviews_from` date
//! in the configuration: each pilot force has its own start) and which are
//! the comparison group (the rest). The pack reports each force, and each
//! group pooled on its own, never pilot and comparison forces in one figure.

use chrono::NaiveDate;

use super::super::ReportData;

/// A force's group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Pilot,
    Comparison,
}

impl Group {
    pub const BOTH: [Group; 2] = [Group::Pilot, Group::Comparison];

    /// The group as a column value.
    pub fn code(self) -> &'static str {
        match self {
            Group::Pilot => "pilot",
            Group::Comparison => "comparison",
        }
    }

    /// The name of the group's pooled rows.
    pub fn pooled_name(self) -> &'static str {
        match self {
            Group::Pilot => "all_pilot_forces",
            Group::Comparison => "all_comparison_forces",
        }
    }

    /// The group's place in per-group arrays.
    pub fn slot(self) -> usize {
        usize::from(self == Group::Comparison)
    }
}

/// What a row of the pack is about: one force, or one group pooled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Force(u16),
    Group(Group),
}

/// Every force's group and pilot start, by force number.
pub struct Groups {
    /// The local day each pilot force's specialist reviews began; `None`: a comparison force.
    starts: Vec<Option<NaiveDate>>,
}

impl Groups {
    pub fn of(data: &ReportData) -> Groups {
        let rules = crate::detect::force_rules(data.config, &data.detected.records);
        let starts = (rules.iter().enumerate())
            .map(|(n, r)| {
                r.specialist_reviews_from
                    .map(|at| data.detected.clock.date(n as u16, at))
            })
            .collect();
        Groups { starts }
    }

    pub fn group(&self, force: u16) -> Group {
        match self.start(force) {
            Some(_) => Group::Pilot,
            None => Group::Comparison,
        }
    }

    /// A pilot force's start (the local day).
    pub fn start(&self, force: u16) -> Option<NaiveDate> {
        self.starts.get(usize::from(force)).copied().flatten()
    }

    /// The forces of `group`.
    pub fn members(&self, group: Group) -> impl Iterator<Item = u16> + '_ {
        (0..self.starts.len() as u16).filter(move |&n| self.group(n) == group)
    }

    /// Whether a scope holds force `n`.
    pub fn holds(&self, scope: Scope, n: u16) -> bool {
        match scope {
            Scope::Force(force) => force == n,
            Scope::Group(group) => self.group(n) == group,
        }
    }

    /// The groups with at least one force, in order.
    pub fn present(&self) -> Vec<Group> {
        Group::BOTH
            .into_iter()
            .filter(|g| self.members(*g).next().is_some())
            .collect()
    }
}
