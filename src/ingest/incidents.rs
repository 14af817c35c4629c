//! A canonical incident, read from an `incidents` or `combined` export row,
//! with the fields derived from it: the domestic flag, the grade change, and
//! the DASH level implied by its score.

use polars::prelude::PlSmallStr;

use super::place::place_of;
use super::row::{Coded, RowFault, RowView};
use crate::config::Field;
use crate::normalise::normalise_postcode;
use crate::schema::{Area, Category, Grade, Outcome, Referral, RiskLevel, RiskTool};

/// One incident. Instants are UTC milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentRecord {
    pub incident_ref: PlSmallStr,
    pub created_at: i64,
    pub opening_code: Coded<Category>,
    pub closing_code: Coded<Category>,
    /// The export's own DA qualifier, where it has one.
    pub da_qualifier: Option<bool>,
    pub initial_grade: Coded<Grade>,
    pub final_grade: Coded<Grade>,
    pub graded_at: Option<i64>,
    pub regraded_at: Option<i64>,
    pub dispatched_at: Option<i64>,
    pub arrived_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub postcode_raw: Option<PlSmallStr>,
    pub postcode: Option<PlSmallStr>,
    /// Where it happened, as address timelines key it (`place.rs`), and the kind of place.
    pub place: Option<PlSmallStr>,
    pub place_kind: Option<&'static str>,
    pub area: Coded<Area>,
    pub risk_tool: Coded<RiskTool>,
    /// As recorded.
    pub risk_level_recorded: Coded<RiskLevel>,
    pub risk_score: Option<i64>,
    pub risk_assessed_at: Option<i64>,
    pub referral: Coded<Referral>,
    pub marac_referral_at: Option<i64>,
    pub idva_referral_at: Option<i64>,
    pub specialist_review_at: Option<i64>,
    pub outcome: Coded<Outcome>,
    pub offence_code: Option<PlSmallStr>,
    pub narrative: Option<String>,
}

/// How the final grade compares with the initial one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeChange {
    Upgraded,
    Downgraded,
    Unchanged,
}

impl GradeChange {
    pub fn code(self) -> &'static str {
        match self {
            GradeChange::Upgraded => "UPGRADED",
            GradeChange::Downgraded => "DOWNGRADED",
            GradeChange::Unchanged => "UNCHANGED",
        }
    }
}

impl IncidentRecord {
    /// Reads an incident; `fallback_created_at` serves combined exports that have no creation time.
    pub fn from_row(row: &RowView, fallback_created_at: Option<i64>) -> Result<IncidentRecord, RowFault> {
        let codes = &row.force.codes;
        let initial_grade = row.code(Field::InitialGrade, &codes.grade);
        let final_grade = match row.text(Field::FinalGrade) {
            Some(_) => row.code(Field::FinalGrade, &codes.grade),
            None => initial_grade.clone(),
        };
        let referral = row.code(Field::ReferralType, &codes.referral);
        let referral_at = row.instant(Field::ReferralAt)?;
        let referred = |kind: Referral| {
            matches!(referral.value, Some(r) if r == kind || r == Referral::MaracAndIdva)
                .then_some(referral_at)
                .flatten()
        };
        let postcode_raw = row.short_text(Field::Postcode);
        let postcode = postcode_raw
            .as_deref()
            .and_then(normalise_postcode)
            .map(PlSmallStr::from);
        let place = place_of(row, postcode.as_deref())?;
        let created_at = row.instant(Field::CreatedAt)?.or(fallback_created_at);
        Ok(IncidentRecord {
            incident_ref: row.required_text(Field::IncidentRef)?.into(),
            created_at: created_at.ok_or_else(|| row.empty_required(Field::CreatedAt))?,
            opening_code: row.code(Field::OpeningCode, &codes.category),
            closing_code: row.code(Field::ClosingCode, &codes.category),
            da_qualifier: row.flag(Field::DaQualifier)?,
            initial_grade,
            final_grade,
            graded_at: row.instant(Field::GradedAt)?,
            regraded_at: row.instant(Field::RegradedAt)?,
            dispatched_at: row.instant(Field::DispatchedAt)?,
            arrived_at: row.instant(Field::ArrivedAt)?,
            closed_at: row.instant(Field::ClosedAt)?,
            postcode,
            postcode_raw,
            place_kind: place.as_ref().map(|(_, kind)| *kind),
            place: place.map(|(key, _)| PlSmallStr::from(key)),
            area: row.code(Field::Area, &codes.area),
            risk_tool: row.code(Field::RiskTool, &codes.risk_tool),
            risk_level_recorded: row.code(Field::RiskLevel, &codes.risk_level),
            risk_score: row.integer(Field::RiskScore)?,
            risk_assessed_at: row.instant(Field::RiskAssessedAt)?,
            marac_referral_at: row.instant(Field::MaracReferralAt)?.or(referred(Referral::Marac)),
            idva_referral_at: row.instant(Field::IdvaReferralAt)?.or(referred(Referral::Idva)),
            referral,
            specialist_review_at: row.instant(Field::SpecialistReviewAt)?,
            outcome: row.code(Field::Outcome, &codes.outcome),
            offence_code: row.short_text(Field::OffenceCode),
            narrative: row.text(Field::Narrative).map(str::to_string),
        })
    }

    /// The fields in which two readings of one incident disagree.
    pub fn differing_fields(&self, other: &IncidentRecord) -> Vec<&'static str> {
        let pairs = [
            (self.created_at == other.created_at, Field::CreatedAt),
            (self.opening_code == other.opening_code, Field::OpeningCode),
            (self.closing_code == other.closing_code, Field::ClosingCode),
            (self.da_qualifier == other.da_qualifier, Field::DaQualifier),
            (self.initial_grade == other.initial_grade, Field::InitialGrade),
            (self.final_grade == other.final_grade, Field::FinalGrade),
            (self.graded_at == other.graded_at, Field::GradedAt),
            (self.regraded_at == other.regraded_at, Field::RegradedAt),
            (self.dispatched_at == other.dispatched_at, Field::DispatchedAt),
            (self.arrived_at == other.arrived_at, Field::ArrivedAt),
            (self.closed_at == other.closed_at, Field::ClosedAt),
            (self.postcode_raw == other.postcode_raw, Field::Postcode),
            (self.area == other.area, Field::Area),
            (self.risk_tool == other.risk_tool, Field::RiskTool),
            (self.risk_level_recorded == other.risk_level_recorded, Field::RiskLevel),
            (self.risk_score == other.risk_score, Field::RiskScore),
            (self.risk_assessed_at == other.risk_assessed_at, Field::RiskAssessedAt),
            (self.referral == other.referral, Field::ReferralType),
            (
                self.marac_referral_at == other.marac_referral_at,
                Field::MaracReferralAt,
            ),
            (self.idva_referral_at == other.idva_referral_at, Field::IdvaReferralAt),
            (
                self.specialist_review_at == other.specialist_review_at,
                Field::SpecialistReviewAt,
            ),
            (self.outcome == other.outcome, Field::Outcome),
            (self.offence_code == other.offence_code, Field::OffenceCode),
            (self.narrative == other.narrative, Field::Narrative),
        ];
        let mut differ: Vec<&'static str> = pairs
            .iter()
            .filter(|(same, _)| !same)
            .map(|(_, field)| field.name())
            .collect();
        if self.place != other.place {
            differ.push("place");
        }
        differ
    }

    /// Domestic if the export says so, or if it opened or closed as domestic.
    pub fn domestic(&self) -> bool {
        self.da_qualifier == Some(true)
            || self.opening_code.value == Some(Category::Domestic)
            || self.closing_code.value == Some(Category::Domestic)
    }

    /// Upgraded, downgraded or unchanged, when both grades are known.
    pub fn grade_change(&self) -> Option<GradeChange> {
        let (initial, last) = (self.initial_grade.value?, self.final_grade.value?);
        Some(match last.cmp(&initial) {
            std::cmp::Ordering::Less => GradeChange::Upgraded,
            std::cmp::Ordering::Greater => GradeChange::Downgraded,
            std::cmp::Ordering::Equal => GradeChange::Unchanged,
        })
    }

    /// The recorded level, raised to what a DASH score implies (judgement may raise a level, never lower it).
    pub fn risk_level(&self) -> Option<RiskLevel> {
        let from_score = match self.risk_tool.value {
            Some(RiskTool::Dash) => self.risk_score.map(RiskLevel::from_dash_score),
            _ => None,
        };
        self.risk_level_recorded.value.max(from_score)
    }
}
