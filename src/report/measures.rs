//! The proportions the evaluation compares before and after the pilot, each
//! a numerator and denominator over incident facts. They are the ratios of
//! the counts in `queries/weekly_kpis.sql` (a test holds the two to the same
//! totals), so the evaluation's intervals and the weekly tables agree.

use super::facts::IncidentFact;
use crate::config::{Config, Field};
use crate::detect::{rule_needs, Rule};
use crate::schema::Grade;

/// A proportion of domestic-abuse incidents.
pub struct Measure {
    /// Column-style name (`within_target`).
    pub name: &'static str,
    /// What a reader sees.
    pub label: &'static str,
    /// The count columns of `weekly_kpis.sql` holding its numerator and denominator.
    pub numerator_column: &'static str,
    pub denominator_column: &'static str,
    pub counts: fn(&IncidentFact) -> (bool, bool),
    /// The fields it reads: every group recorded, by any one of its fields.
    /// For a force whose exports map none of a group it is "not recorded", never 0 %.
    pub needs: &'static [&'static [Field]],
}

impl Measure {
    /// Whether the force `force_id` records what the measure reads (a force
    /// not configured is taken to).
    pub fn recorded_by(&self, config: &Config, force_id: &str) -> bool {
        config
            .force(force_id)
            .is_none_or(|force| crate::detect::unmet(force, self.needs).is_empty())
    }

    /// (numerator, denominator) over the domestic facts given.
    pub fn tally<'a>(&self, facts: impl Iterator<Item = &'a IncidentFact>) -> (u64, u64) {
        facts.filter(|f| f.domestic).fold((0, 0), |(x, n), fact| {
            let (hit, counted) = (self.counts)(fact);
            (x + u64::from(counted && hit), n + u64::from(counted))
        })
    }
}

/// Every compared proportion, in the order of the evaluation's tables.
pub const MEASURES: &[Measure] = &[
    Measure {
        name: "within_target",
        label: "attended within target",
        numerator_column: "within_target",
        denominator_column: "attendance_due",
        counts: |f| (f.within_target == Some(true), f.within_target.is_some()),
        needs: rule_needs(Rule::LateAttendance),
    },
    Measure {
        name: "graded_emergency",
        label: "graded EMERGENCY",
        numerator_column: "graded_emergency",
        denominator_column: "da_incidents",
        counts: |f| (f.initial_grade == Some(Grade::Emergency), true),
        needs: &[&[Field::InitialGrade]],
    },
    Measure {
        name: "upgraded",
        label: "upgraded",
        numerator_column: "upgraded",
        denominator_column: "da_incidents",
        counts: |f| (f.upgraded, true),
        needs: rule_needs(Rule::Downgraded),
    },
    Measure {
        name: "downgraded",
        label: "downgraded",
        numerator_column: "downgraded",
        denominator_column: "da_incidents",
        counts: |f| (f.downgraded, true),
        needs: rule_needs(Rule::Downgraded),
    },
    Measure {
        name: "risk_assessed",
        label: "risk assessed (of attended)",
        numerator_column: "risk_assessed",
        denominator_column: "assessment_due",
        counts: |f| (f.risk_assessed == Some(true), f.risk_assessed.is_some()),
        needs: rule_needs(Rule::NoRiskAssessment),
    },
    Measure {
        name: "marac_referred",
        label: "MARAC referral (of high risk)",
        numerator_column: "high_risk_marac_referred",
        denominator_column: "referral_due",
        counts: |f| (f.marac_referred == Some(true), f.marac_referred.is_some()),
        needs: &[
            &[Field::RiskLevel, Field::RiskScore],
            &[Field::MaracReferralAt, Field::ReferralType],
        ],
    },
    Measure {
        name: "idva_referred",
        label: "IDVA referral (of high risk)",
        numerator_column: "high_risk_idva_referred",
        denominator_column: "referral_due",
        counts: |f| (f.idva_referred == Some(true), f.idva_referred.is_some()),
        needs: &[
            &[Field::RiskLevel, Field::RiskScore],
            &[Field::IdvaReferralAt, Field::ReferralType],
        ],
    },
    Measure {
        name: "specialist_reviewed",
        label: "specialist review (where expected)",
        numerator_column: "reviewed",
        denominator_column: "review_due",
        counts: |f| (f.reviewed == Some(true), f.reviewed.is_some()),
        needs: rule_needs(Rule::NoSpecialistReview),
    },
    Measure {
        name: "repeat_24h",
        label: "repeat within 24 hours",
        numerator_column: "repeat_24h",
        denominator_column: "with_victim",
        counts: |f| (f.repeat_24h, f.victim.is_some()),
        needs: &[&[Field::Role]],
    },
    Measure {
        name: "repeat_7d",
        label: "repeat within 7 days",
        numerator_column: "repeat_7d",
        denominator_column: "with_victim",
        counts: |f| (f.repeat_7d, f.victim.is_some()),
        needs: &[&[Field::Role]],
    },
    Measure {
        name: "repeat_30d",
        label: "repeat within 30 days",
        numerator_column: "repeat_30d",
        denominator_column: "with_victim",
        counts: |f| (f.repeat_30d, f.victim.is_some()),
        needs: &[&[Field::Role]],
    },
    Measure {
        name: "missed_opportunity",
        label: "DA incidents raising a missed opportunity, per 100",
        numerator_column: "with_missed_opportunity",
        denominator_column: "da_incidents",
        counts: |f| (f.missed_opportunities > 0, true),
        needs: &[],
    },
];
