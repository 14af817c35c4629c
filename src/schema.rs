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
