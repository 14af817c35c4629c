//! Canonical vocabulary: the code enums every force's raw codes map onto, and
//! the names of the canonical tables.
//!
//! Each enum prints and parses as its upper-case code (`EMERGENCY`, `DOMESTIC`,
//! …), which is also how it appears in configuration files and output tables.
//! A raw code with no entry in a force's code table becomes `UNKNOWN` in the
//! output (see [`UNKNOWN`]) and is counted in `data_quality.csv`.

use std::fmt;
use std::str::FromStr;

/// The canonical value written for a raw code that the force's code table does not know.
pub const UNKNOWN: &str = "UNKNOWN";

/// Names of the canonical tables, as files and as SQL tables.
pub const TABLE_CALLS: &str = "calls";
pub const TABLE_INCIDENTS: &str = "incidents";
pub const TABLE_MENTIONS: &str = "mentions";

/// The column names of the canonical tables (and of the linked mentions'
/// `person_id`), spelt once: ingest writes them, detect and the data-quality
/// measures read them, so a rename cannot split writer from reader.
pub mod columns {
    pub const FORCE: &str = "force";
    pub const CALL_ID: &str = "call_id";
    pub const INCIDENT_REF: &str = "incident_ref";
    pub const CHANNEL_RAW: &str = "channel_raw";
    pub const CHANNEL: &str = "channel";
    pub const RECEIVED_AT: &str = "received_at";
    pub const ANSWERED_AT: &str = "answered_at";
    pub const ENDED_AT: &str = "ended_at";
    pub const CALLER_NUMBER_RAW: &str = "caller_number_raw";
    pub const CALLER_NUMBER: &str = "caller_number";
    pub const ABANDONED: &str = "abandoned";
    pub const SILENT: &str = "silent";
    pub const CREATED_AT: &str = "created_at";
    pub const OPENING_CODE: &str = "opening_code";
    pub const OPENING_CATEGORY: &str = "opening_category";
    pub const CLOSING_CODE: &str = "closing_code";
    pub const CLOSING_CATEGORY: &str = "closing_category";
    pub const DA_QUALIFIER: &str = "da_qualifier";
    pub const DOMESTIC: &str = "domestic";
    pub const INITIAL_GRADE_RAW: &str = "initial_grade_raw";
    pub const INITIAL_GRADE: &str = "initial_grade";
    pub const FINAL_GRADE_RAW: &str = "final_grade_raw";
    pub const FINAL_GRADE: &str = "final_grade";
    pub const GRADE_CHANGE: &str = "grade_change";
    pub const GRADED_AT: &str = "graded_at";
    pub const REGRADED_AT: &str = "regraded_at";
    pub const DISPATCHED_AT: &str = "dispatched_at";
    pub const ARRIVED_AT: &str = "arrived_at";
    pub const CLOSED_AT: &str = "closed_at";
    pub const POSTCODE_RAW: &str = "postcode_raw";
    pub const POSTCODE: &str = "postcode";
    pub const PLACE: &str = "place";
    pub const PLACE_KIND: &str = "place_kind";
    pub const AREA_RAW: &str = "area_raw";
    pub const AREA: &str = "area";
    pub const RISK_TOOL_RAW: &str = "risk_tool_raw";
    pub const RISK_TOOL: &str = "risk_tool";
    pub const RISK_LEVEL_RAW: &str = "risk_level_raw";
    pub const RISK_LEVEL: &str = "risk_level";
    pub const RISK_SCORE: &str = "risk_score";
    pub const RISK_ASSESSED_AT: &str = "risk_assessed_at";
    pub const REFERRAL_RAW: &str = "referral_raw";
    pub const MARAC_REFERRAL_AT: &str = "marac_referral_at";
    pub const IDVA_REFERRAL_AT: &str = "idva_referral_at";
    pub const SPECIALIST_REVIEW_AT: &str = "specialist_review_at";
    pub const OUTCOME_RAW: &str = "outcome_raw";
    pub const OUTCOME: &str = "outcome";
    pub const OFFENCE_CODE: &str = "offence_code";
    pub const NARRATIVE: &str = "narrative";
    pub const MENTION_ID: &str = "mention_id";
    pub const ROLE_RAW: &str = "role_raw";
    pub const ROLE: &str = "role";
    pub const PERSON_REF: &str = "person_ref";
    pub const FORENAME: &str = "forename";
    pub const SURNAME: &str = "surname";
    pub const FORENAME_NORM: &str = "forename_norm";
    pub const SURNAME_NORM: &str = "surname_norm";
    pub const DOB: &str = "dob";
    pub const PHONE_RAW: &str = "phone_raw";
    pub const PHONE: &str = "phone";
    pub const ADDRESS: &str = "address";
    pub const SEX_RAW: &str = "sex_raw";
    pub const SEX: &str = "sex";
    pub const PERSON_ID: &str = "person_id";
}

/// A canonical value that prints as its code.
pub trait CanonicalCode: Copy {
    fn code(self) -> &'static str;
}

macro_rules! canonical_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The upper-case code used in configuration and output.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl CanonicalCode for $name {
            fn code(self) -> &'static str {
                $name::code(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                let wanted = text.trim().to_ascii_uppercase();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|value| value.code() == wanted)
                    .ok_or_else(|| {
                        let known: Vec<&str> = $name::ALL.iter().map(|v| v.code()).collect();
                        format!("`{}` is not a {} (expected one of {})", text, stringify!($name), known.join(", "))
                    })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

canonical_enum!(
    /// Response grade, most urgent first. The raw grade is always kept beside it;
    /// an "appointment" maps to SCHEDULED and stays recognisable by its raw code.
    Grade {
        Emergency => "EMERGENCY",
        Priority => "PRIORITY",
        Scheduled => "SCHEDULED",
        NoDeployment => "NO_DEPLOYMENT",
    }
);

canonical_enum!(
    /// Category of an opening or closing code.
    Category {
        Domestic => "DOMESTIC",
        ConcernForWelfare => "CONCERN_FOR_WELFARE",
        Assault => "ASSAULT",
        Sexual => "SEXUAL",
        Stalking => "STALKING",
        Burglary => "BURGLARY",
        Theft => "THEFT",
        Damage => "CRIMINAL_DAMAGE",
        AntiSocial => "ANTI_SOCIAL_BEHAVIOUR",
        Suspicious => "SUSPICIOUS",
        Traffic => "TRAFFIC",
        MissingPerson => "MISSING_PERSON",
        MentalHealth => "MENTAL_HEALTH",
        AbandonedCall => "ABANDONED_CALL",
        Other => "OTHER",
    }
);

canonical_enum!(
    /// How a contact reached the force.
    Channel {
        Emergency999 => "999",
        NonEmergency101 => "101",
        Online => "ONLINE",
        Other => "OTHER",
    }
);

canonical_enum!(
    /// The part a person plays in an incident.
    Role {
        Caller => "CALLER",
        Victim => "VICTIM",
        Suspect => "SUSPECT",
        Other => "OTHER",
    }
);

canonical_enum!(
    /// Risk assessment tool: DASH (27 questions, scored) or DARA (levels only).
    RiskTool {
        Dash => "DASH",
        Dara => "DARA",
        Other => "OTHER",
    }
);

canonical_enum!(
    /// Assessed risk level, lowest first.
    RiskLevel {
        Standard => "STANDARD",
        Medium => "MEDIUM",
        High => "HIGH",
    }
);

canonical_enum!(
    /// What an incident ended in.
    Outcome {
        Arrest => "ARREST",
        Charge => "CHARGE",
        Caution => "CAUTION",
        CommunityResolution => "COMMUNITY_RESOLUTION",
        NoFurtherAction => "NO_FURTHER_ACTION",
        Advice => "ADVICE_GIVEN",
        Referred => "REFERRED",
        NoTrace => "NO_TRACE",
        Other => "OTHER",
    }
);

canonical_enum!(
    /// Referral to a multi-agency risk conference and/or an independent DA advocate.
    Referral {
        Marac => "MARAC",
        Idva => "IDVA",
        MaracAndIdva => "MARAC_AND_IDVA",
        None => "NONE",
        Other => "OTHER",
    }
);

canonical_enum!(
    /// Whether an incident location is urban or rural (attendance targets differ).
    Area {
        Urban => "URBAN",
        Rural => "RURAL",
    }
);

canonical_enum!(
    /// Recorded sex of a person.
    Sex {
        Female => "F",
        Male => "M",
        Unknown => "U",
    }
);

impl RiskLevel {
    /// The DASH level implied by a count of "yes" answers: 14+ high, 10-13 medium.
    pub fn from_dash_score(score: i64) -> RiskLevel {
        match score {
            s if s >= 14 => RiskLevel::High,
            s if s >= 10 => RiskLevel::Medium,
            _ => RiskLevel::Standard,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_case_insensitively() {
        for grade in Grade::ALL {
            assert_eq!(grade.code().to_lowercase().parse::<Grade>(), Ok(*grade));
        }
        assert!("URGENT".parse::<Grade>().unwrap_err().contains("EMERGENCY"));
    }

    #[test]
    fn dash_score_thresholds_follow_the_2009_guidance() {
        assert_eq!(RiskLevel::from_dash_score(9), RiskLevel::Standard);
        assert_eq!(RiskLevel::from_dash_score(10), RiskLevel::Medium);
        assert_eq!(RiskLevel::from_dash_score(13), RiskLevel::Medium);
        assert_eq!(RiskLevel::from_dash_score(14), RiskLevel::High);
    }
}
