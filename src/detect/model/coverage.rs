//! Which rules a force's exports let vigil assess. A rule that reads a field
//! no export of the force maps would take every absence for a failure (no
//! risk-assessment column: every attended incident "not assessed"), so it is
//! not assessable for that force: it raises nothing there, and the summary,
//! `data_quality.csv` and the packs say which rules and why.

use crate::config::{Config, Field, Force};

use crate::detect::input::people::People;
use crate::detect::input::records::Records;
use crate::detect::model::flag::Rule;

/// What a rule reads: every group must be recorded, by any one of its fields.
pub const fn needs(rule: Rule) -> &'static [&'static [Field]] {
    use Field::*;
    const GRADE: &[Field] = &[InitialGrade, FinalGrade];
    const RISK: &[Field] = &[RiskLevel, RiskScore];
    const MARAC: &[Field] = &[MaracReferralAt, ReferralType];
    match rule {
        Rule::NightCluster
        | Rule::RapidRepeat
        | Rule::MaracThreshold
        | Rule::FrequencyEscalation
        | Rule::CrossForce
        | Rule::MissedOpportunity => &[],
        Rule::RepeatAfterMarac => &[MARAC],
        Rule::HarmRising => &[&[OffenceCode], &[Role]],
        Rule::SerialPerpetrator => &[&[Role]],
        Rule::HighRisk => &[RISK],
        Rule::StalkingStrangulationThreats => &[&[OffenceCode, OpeningCode, ClosingCode]],
        Rule::CounterAllegation | Rule::SeveralPerpetrators | Rule::ThirdPartyReports => &[&[Role]],
        Rule::RiskDowngraded => &[RISK, &[Role]],
        Rule::NarrativeWords => &[&[Narrative]],
        Rule::UnderGraded => &[GRADE],
        Rule::Downgraded => &[&[InitialGrade], &[FinalGrade]],
        Rule::LateAttendance | Rule::NotAttended => &[&[ArrivedAt], GRADE],
        Rule::SilentCallNoResponse => &[&[Channel], &[Silent, Abandoned, OpeningCode], &[DispatchedAt]],
        Rule::NoRiskAssessment => &[&[ArrivedAt], &[RiskAssessedAt, RiskLevel, RiskTool, RiskScore]],
        Rule::HighRiskNoReferral => &[RISK, &[MaracReferralAt, IdvaReferralAt, ReferralType]],
        Rule::NoSpecialistReview => &[&[SpecialistReviewAt]],
        Rule::CodeMismatch => &[&[OpeningCode], &[ClosingCode]],
    }
}

/// A rule a force's exports do not let vigil assess, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unassessable {
    pub rule: Rule,
    /// The groups of fields none of which the force maps (`risk_level or risk_score`).
    pub missing: Vec<String>,
}

impl Unassessable {
    /// In words: "needs arrived_at; risk_level or risk_score, which no export of the force maps".
    pub fn reason(&self) -> String {
        format!("needs {}, which no export of the force maps", self.missing.join("; "))
    }
}

/// Whether any export of the force maps `field`.
pub fn records(force: &Force, field: Field) -> bool {
    force.exports.iter().any(|export| export.source(field).is_some())
}

/// The groups of `needs` (each met by any one of its fields) that no export
/// of the force maps, in words (`risk_level or risk_score`).
pub fn unmet(force: &Force, needs: &[&[Field]]) -> Vec<String> {
    needs
        .iter()
        .filter(|group| !group.iter().any(|&field| records(force, field)))
        .map(|group| group.iter().map(|f| f.name()).collect::<Vec<_>>().join(" or "))
        .collect()
}

/// The rules the force's exports do not let vigil assess, in rule order.
pub fn unassessable(force: &Force) -> Vec<Unassessable> {
    Rule::ALL
        .iter()
        .filter_map(|&rule| {
            let missing = unmet(force, needs(rule));
            (!missing.is_empty()).then_some(Unassessable { rule, missing })
        })
        .collect()
}

/// The rules a force cannot have assessed for want of `field`: those with
/// a group of needed fields that holds it and of which the force maps none.
pub fn blocked_by(force: &Force, field: Field) -> Vec<Rule> {
    Rule::ALL
        .iter()
        .copied()
        .filter(|&rule| {
            needs(rule)
                .iter()
                .any(|group| group.contains(&field) && !group.iter().any(|&f| records(force, f)))
        })
        .collect()
}

/// A set of rules, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSet(u32);

impl RuleSet {
    pub const ALL: RuleSet = RuleSet((1 << Rule::ALL.len()) - 1);

    /// Every rule but those the force cannot have assessed.
    pub fn assessable_for(force: &Force) -> RuleSet {
        unassessable(force)
            .iter()
            .fold(RuleSet::ALL, |set, u| RuleSet(set.0 & !(1 << u.rule as u32)))
    }

    pub fn contains(self, rule: Rule) -> bool {
        self.0 & (1 << rule as u32) != 0
    }
}

impl Default for RuleSet {
    fn default() -> RuleSet {
        RuleSet::ALL
    }
}

/// Rules that need victims or perpetrators named, so cannot fire for a force whose incidents name nobody.
const NEEDS_PERSONS: [Rule; 3] = [Rule::SerialPerpetrator, Rule::HarmRising, Rule::CrossForce];

/// What the run could not assess, a line per force: the rules its exports do
/// not let vigil assess, and a force whose incidents name nobody (no
/// persons, so no victim or perpetrator timelines). Counts and field names only.
pub fn warnings(config: &Config, records: &Records, people: &People) -> Vec<String> {
    let mut lines = Vec::new();
    for (n, id) in records.forces.iter().enumerate() {
        let Some(force) = config.force(id) else { continue };
        let rules: Vec<String> = unassessable(force)
            .iter()
            .map(|u| format!("{} ({})", u.rule, u.missing.join("; ")))
            .collect();
        if !rules.is_empty() {
            lines.push(format!(
                "warning: {id}: not assessable, as no export of the force maps a field they need: {}",
                rules.join(", ")
            ));
        }
        let incidents: Vec<usize> = (0..records.incidents.len())
            .filter(|&i| usize::from(records.incidents[i].force) == n)
            .collect();
        if !incidents.is_empty() && !incidents.iter().any(|&i| people.named[i]) {
            let rules: Vec<&str> = NEEDS_PERSONS.iter().map(|r| r.code()).collect();
            lines.push(format!(
                "warning: {id}: none of its {} incidents names a person, so no victim or perpetrator timelines form: {} cannot fire there, and the other timeline rules see only its addresses and phone numbers",
                incidents.len(),
                rules.join(", ")
            ));
        }
    }
    lines
}
