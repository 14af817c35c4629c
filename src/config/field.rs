//! The canonical input fields a force's dialect maps its columns onto, which
//! export kinds accept each, and what type of value each holds.

use std::fmt;

/// How a field's raw text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Kept as text (trimmed; empty is missing).
    Text,
    /// A point in time, read with the export's timestamp format(s).
    Instant,
    /// A calendar date (date of birth), read with the export's `dob_format`.
    Date,
    /// Yes/no: Y, YES, TRUE, T, 1 / N, NO, FALSE, F, 0 (any case).
    Flag,
    /// A whole number.
    Integer,
    /// A decimal number (a latitude or longitude in degrees).
    Decimal,
    /// A raw code translated by the force's code table; unknown codes stay in the row.
    Code,
}

/// What kind of rows an export file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// One row per call.
    Calls,
    /// One row per incident.
    Incidents,
    /// One row per call, carrying its incident's fields too.
    Combined,
    /// One row per person named in an incident ("nominals"), joined by incident reference.
    Nominals,
}

macro_rules! fields {
    ($($variant:ident => $name:literal : $ty:ident),+ $(,)?) => {
        /// A canonical input field.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $($variant),+ }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];

            /// The field's name in configuration files.
            pub fn name(self) -> &'static str {
                match self { $(Field::$variant => $name),+ }
            }

            pub fn field_type(self) -> FieldType {
                match self { $(Field::$variant => FieldType::$ty),+ }
            }
        }
    };
}

fields! {
    CallId => "call_id": Text,
    IncidentRef => "incident_ref": Text,
    Channel => "channel": Code,
    ReceivedAt => "received_at": Instant,
    AnsweredAt => "answered_at": Instant,
    EndedAt => "ended_at": Instant,
    CallerNumber => "caller_number": Text,
    Abandoned => "abandoned": Flag,
    Silent => "silent": Flag,
    CreatedAt => "created_at": Instant,
    OpeningCode => "opening_code": Code,
    ClosingCode => "closing_code": Code,
    DaQualifier => "da_qualifier": Flag,
    InitialGrade => "initial_grade": Code,
    FinalGrade => "final_grade": Code,
    GradedAt => "graded_at": Instant,
    RegradedAt => "regraded_at": Instant,
    DispatchedAt => "dispatched_at": Instant,
    ArrivedAt => "arrived_at": Instant,
    ClosedAt => "closed_at": Instant,
    Postcode => "postcode": Text,
    Area => "area": Code,
    RiskTool => "risk_tool": Code,
    RiskLevel => "risk_level": Code,
    RiskScore => "risk_score": Integer,
    RiskAssessedAt => "risk_assessed_at": Instant,
    MaracReferralAt => "marac_referral_at": Instant,
    IdvaReferralAt => "idva_referral_at": Instant,
    ReferralType => "referral_type": Code,
    ReferralAt => "referral_at": Instant,
    SpecialistReviewAt => "specialist_review_at": Instant,
    Outcome => "outcome": Code,
    OffenceCode => "offence_code": Text,
    Narrative => "narrative": Text,
    PremisesAddress => "premises_address": Text,
    BlockAddress => "block_address": Text,
    Latitude => "latitude": Decimal,
    Longitude => "longitude": Decimal,
    Role => "role": Code,
    PersonRef => "person_ref": Text,
    Forename => "forename": Text,
    Surname => "surname": Text,
    FullName => "full_name": Text,
    DateOfBirth => "dob": Date,
    Phone => "phone": Text,
    Address => "address": Text,
    Sex => "sex": Code,
}

use Field::*;

const CALL_FIELDS: &[Field] = &[
    CallId,
    IncidentRef,
    Channel,
    ReceivedAt,
    AnsweredAt,
    EndedAt,
    CallerNumber,
    Abandoned,
    Silent,
];

const INCIDENT_FIELDS: &[Field] = &[
    IncidentRef,
    CreatedAt,
    OpeningCode,
    ClosingCode,
    DaQualifier,
    InitialGrade,
    FinalGrade,
    GradedAt,
    RegradedAt,
    DispatchedAt,
    ArrivedAt,
    ClosedAt,
    Postcode,
    Area,
    RiskTool,
    RiskLevel,
    RiskScore,
    RiskAssessedAt,
    MaracReferralAt,
    IdvaReferralAt,
    ReferralType,
    ReferralAt,
    SpecialistReviewAt,
    Outcome,
    OffenceCode,
    Narrative,
    PremisesAddress,
    BlockAddress,
    Latitude,
    Longitude,
];

const MENTION_FIELDS: &[Field] = &[
    IncidentRef,
    Role,
    PersonRef,
    Forename,
    Surname,
    FullName,
    DateOfBirth,
    Phone,
    Address,
    Postcode,
    Sex,
];

impl ExportKind {
    /// Whether rows of this kind may map `field`.
    pub fn accepts(self, field: Field) -> bool {
        match self {
            ExportKind::Calls => CALL_FIELDS.contains(&field),
            ExportKind::Incidents => INCIDENT_FIELDS.contains(&field),
            ExportKind::Combined => CALL_FIELDS.contains(&field) || INCIDENT_FIELDS.contains(&field),
            ExportKind::Nominals => MENTION_FIELDS.contains(&field),
        }
    }

    /// Fields every export of this kind must map.
    pub fn required(self) -> &'static [Field] {
        match self {
            ExportKind::Calls => &[CallId, ReceivedAt],
            ExportKind::Incidents => &[IncidentRef, CreatedAt],
            ExportKind::Combined => &[CallId, IncidentRef, ReceivedAt],
            ExportKind::Nominals => &[IncidentRef, Role],
        }
    }

    /// The fields this kind accepts, in declaration order.
    pub fn accepted_fields(self) -> Vec<Field> {
        Field::ALL.iter().copied().filter(|f| self.accepts(*f)).collect()
    }
}

impl fmt::Display for ExportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            ExportKind::Calls => "calls",
            ExportKind::Incidents => "incidents",
            ExportKind::Combined => "combined",
            ExportKind::Nominals => "nominals",
        };
        f.write_str(name)
    }
}

/// Looks a field up by its configuration name.
pub fn field_named(name: &str) -> Option<Field> {
    Field::ALL.iter().copied().find(|f| f.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_field_is_accepted_by_its_kind() {
        for kind in [
            ExportKind::Calls,
            ExportKind::Incidents,
            ExportKind::Combined,
            ExportKind::Nominals,
        ] {
            for field in kind.required() {
                assert!(kind.accepts(*field), "{kind} requires {field:?} but does not accept it");
            }
        }
        assert!(ExportKind::Combined.accepts(Field::ArrivedAt));
        assert!(!ExportKind::Calls.accepts(Field::Forename));
        assert_eq!(field_named("dob"), Some(Field::DateOfBirth));
    }
}
