//! The code tables a draft fills, and what a raw code says of its canonical
//! value: `DOM`, `DV` and `DA - Domestic Abuse` say DOMESTIC, `E-911` says
//! 999, `Non Emergency` says 101; `G1` and `P2` say nothing, and are left to
//! the analyst. A code says a value when it holds all the words of one of the
//! value's phrases; when phrases of two values fit, the longer phrase wins
//! (`non emergency` over `emergency`), and a tie says nothing.

use crate::config::Field;
use crate::schema::{Area, Category, Channel, Grade, Outcome, Referral, RiskLevel, RiskTool, Role, Sex};

use super::words::words;

/// A force's code table, by its name in `[force.codes.*]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CodeTableName {
    Grade,
    Category,
    Channel,
    Role,
    RiskTool,
    RiskLevel,
    Outcome,
    Referral,
    Area,
    Sex,
}

/// Canonical value → the phrases that say it.
type Phrases = &'static [(&'static str, &'static [&'static str])];

impl CodeTableName {
    /// The table a coded field's values are looked up in.
    pub fn of(field: Field) -> Option<CodeTableName> {
        Some(match field {
            Field::InitialGrade | Field::FinalGrade => CodeTableName::Grade,
            Field::OpeningCode | Field::ClosingCode => CodeTableName::Category,
            Field::Channel => CodeTableName::Channel,
            Field::Role => CodeTableName::Role,
            Field::RiskTool => CodeTableName::RiskTool,
            Field::RiskLevel => CodeTableName::RiskLevel,
            Field::Outcome => CodeTableName::Outcome,
            Field::ReferralType => CodeTableName::Referral,
            Field::Area => CodeTableName::Area,
            Field::Sex => CodeTableName::Sex,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            CodeTableName::Grade => "grade",
            CodeTableName::Category => "category",
            CodeTableName::Channel => "channel",
            CodeTableName::Role => "role",
            CodeTableName::RiskTool => "risk_tool",
            CodeTableName::RiskLevel => "risk_level",
            CodeTableName::Outcome => "outcome",
            CodeTableName::Referral => "referral",
            CodeTableName::Area => "area",
            CodeTableName::Sex => "sex",
        }
    }

    /// The canonical values, in the schema's order.
    pub fn canonical(self) -> Vec<&'static str> {
        fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
            all.iter().map(|v| code(*v)).collect()
        }
        match self {
            CodeTableName::Grade => codes(Grade::ALL, Grade::code),
            CodeTableName::Category => codes(Category::ALL, Category::code),
            CodeTableName::Channel => codes(Channel::ALL, Channel::code),
            CodeTableName::Role => codes(Role::ALL, Role::code),
            CodeTableName::RiskTool => codes(RiskTool::ALL, RiskTool::code),
            CodeTableName::RiskLevel => codes(RiskLevel::ALL, RiskLevel::code),
            CodeTableName::Outcome => codes(Outcome::ALL, Outcome::code),
            CodeTableName::Referral => codes(Referral::ALL, Referral::code),
            CodeTableName::Area => codes(Area::ALL, Area::code),
            CodeTableName::Sex => codes(Sex::ALL, Sex::code),
        }
    }

    fn phrases(self) -> Phrases {
        match self {
            CodeTableName::Grade => &[
                ("EMERGENCY", &["emergency", "immediate"]),
                ("PRIORITY", &["priority", "urgent"]),
                ("SCHEDULED", &["scheduled", "appointment", "routine", "planned"]),
                (
                    "NO_DEPLOYMENT",
                    &[
                        "resolution without deployment",
                        "no deployment",
                        "non deployment",
                        "telephone resolution",
                    ],
                ),
            ],
            CodeTableName::Category => &[
                ("DOMESTIC", &["domestic", "dom", "dv", "da", "dva"]),
                ("CONCERN_FOR_WELFARE", &["welfare", "welf", "cfw", "concern"]),
                ("ASSAULT", &["assault", "aslt", "asslt", "battery"]),
                ("SEXUAL", &["sexual", "rape"]),
                ("STALKING", &["stalking", "harassment", "stalk"]),
                ("BURGLARY", &["burglary", "burg"]),
                ("THEFT", &["theft", "thft", "shoplifting"]),
                ("CRIMINAL_DAMAGE", &["damage", "vandalism"]),
                (
                    "ANTI_SOCIAL_BEHAVIOUR",
                    &["asb", "nuisance", "anti social", "antisocial"],
                ),
                ("SUSPICIOUS", &["suspicious", "susp"]),
                ("TRAFFIC", &["rtc", "traffic", "collision"]),
                ("MISSING_PERSON", &["missing", "misper", "misp"]),
                ("MENTAL_HEALTH", &["mental", "mh"]),
                ("ABANDONED_CALL", &["abandoned", "aband", "aban"]),
                ("OTHER", &["other", "oth"]),
            ],
            CodeTableName::Channel => &[
                ("999", &["999", "911", "112", "emergency"]),
                ("101", &["101", "311", "non emergency", "nonemergency"]),
                ("ONLINE", &["online", "web", "internet", "email", "digital"]),
            ],
            CodeTableName::Role => &[
                ("VICTIM", &["victim", "ip", "injured party", "aggrieved", "complainant"]),
                (
                    "SUSPECT",
                    &["suspect", "susp", "offender", "perpetrator", "perp", "accused"],
                ),
                ("CALLER", &["caller", "informant", "reporting person", "rp", "reporter"]),
                ("OTHER", &["witness", "wit", "other"]),
            ],
            CodeTableName::RiskTool => &[("DASH", &["dash"]), ("DARA", &["dara"]), ("OTHER", &["other"])],
            CodeTableName::RiskLevel => &[
                ("STANDARD", &["standard", "low", "std"]),
                ("MEDIUM", &["medium", "med"]),
                ("HIGH", &["high"]),
            ],
            CodeTableName::Outcome => &[
                ("ARREST", &["arrest", "arrested", "arr"]),
                ("CHARGE", &["charge", "charged", "chg"]),
                ("CAUTION", &["caution", "cautioned"]),
                ("COMMUNITY_RESOLUTION", &["community resolution"]),
                ("NO_FURTHER_ACTION", &["nfa", "no further action"]),
                ("ADVICE_GIVEN", &["advice", "woa"]),
                ("REFERRED", &["referred"]),
                ("NO_TRACE", &["no trace", "untraced"]),
                ("OTHER", &["other"]),
            ],
            CodeTableName::Referral => &[
                ("MARAC", &["marac"]),
                ("IDVA", &["idva", "isva"]),
                ("MARAC_AND_IDVA", &["marac idva", "marac isva"]),
                ("NONE", &["none", "no referral", "nil"]),
                ("OTHER", &["other"]),
            ],
            CodeTableName::Area => &[("URBAN", &["urban"]), ("RURAL", &["rural"])],
            CodeTableName::Sex => &[
                ("F", &["f", "female", "woman"]),
                ("M", &["m", "male", "man"]),
                ("U", &["u", "unknown", "not known", "nk", "not stated"]),
            ],
        }
    }

    /// What a raw code says: the canonical value and the phrase that says it, when one value wins.
    pub fn says(self, raw: &str) -> Option<(&'static str, &'static str)> {
        let held = words(raw);
        let mut best: Vec<(usize, &'static str, &'static str)> = Vec::new();
        for (canonical, phrases) in self.phrases() {
            for phrase in phrases.iter() {
                let needed: Vec<&str> = phrase.split(' ').collect();
                if needed.iter().all(|w| held.iter().any(|h| h == w)) {
                    best.push((needed.len(), canonical, phrase));
                }
            }
        }
        let longest = best.iter().map(|(n, _, _)| *n).max()?;
        best.retain(|(n, _, _)| *n == longest);
        let first = best[0];
        best.iter()
            .all(|(_, canonical, _)| *canonical == first.1)
            .then_some((first.1, first.2))
    }
}

#[cfg(test)]
mod tests {
    use super::CodeTableName::*;

    #[test]
    fn a_code_says_its_value_only_when_its_words_do() {
        assert_eq!(Category.says("DA - Domestic Abuse").map(|s| s.0), Some("DOMESTIC"));
        assert_eq!(Category.says("DOMESTIC DISTURBANCE").map(|s| s.0), Some("DOMESTIC"));
        assert_eq!(Category.says("Road Traffic Collision").map(|s| s.0), Some("TRAFFIC"));
        assert_eq!(Channel.says("Non Emergency").map(|s| s.0), Some("101"));
        assert_eq!(Channel.says("E-911").map(|s| s.0), Some("999"));
        assert_eq!(Referral.says("MARAC+IDVA").map(|s| s.0), Some("MARAC_AND_IDVA"));
        assert_eq!(
            Grade.says("Resolution without deployment").map(|s| s.0),
            Some("NO_DEPLOYMENT")
        );
        assert_eq!(Grade.says("G1"), None);
        assert_eq!(Grade.says("Grade 1"), None);
        assert_eq!(Role.says("V"), None);
        assert_eq!(Sex.says("Female").map(|s| s.0), Some("F"));
        assert_eq!(
            Category.says("Domestic theft"),
            None,
            "two values, phrases alike: it says nothing"
        );
    }
}
