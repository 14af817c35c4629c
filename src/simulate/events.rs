//! The simulated events, in canonical terms, before they are written in a
//! force's dialect: incidents with their calls and the people they name.

use chrono::NaiveDate;

use super::offences::Offence;
use super::people::PersonKey;
use crate::schema::{Category, Channel, Grade, Outcome, RiskLevel, RiskTool, Role, Sex};

/// One call about an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct SimCall {
    pub received: i64,
    pub answered: Option<i64>,
    pub ended: Option<i64>,
    pub channel: Channel,
    pub caller_number: Option<String>,
    pub abandoned: bool,
    pub silent: bool,
    /// Assigned when the force's calls are put in time order.
    pub call_id: String,
}

/// Kinds of record noise a mention can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Noise {
    Typo,
    Transposition,
    Nickname,
    NamesSwapped,
    DayMonthSwapped,
    MissingDob,
    MissingPhone,
    ChangedPhone,
    OldAddress,
    ExPartnerOnly,
    DuplicateNominal,
}

impl Noise {
    pub const ALL: [Noise; 11] = [
        Noise::Typo,
        Noise::Transposition,
        Noise::Nickname,
        Noise::NamesSwapped,
        Noise::DayMonthSwapped,
        Noise::MissingDob,
        Noise::MissingPhone,
        Noise::ChangedPhone,
        Noise::OldAddress,
        Noise::ExPartnerOnly,
        Noise::DuplicateNominal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Noise::Typo => "typo",
            Noise::Transposition => "transposition",
            Noise::Nickname => "nickname",
            Noise::NamesSwapped => "names_swapped",
            Noise::DayMonthSwapped => "day_month_swapped",
            Noise::MissingDob => "missing_dob",
            Noise::MissingPhone => "missing_phone",
            Noise::ChangedPhone => "changed_phone",
            Noise::OldAddress => "old_address",
            Noise::ExPartnerOnly => "ex_partner_only",
            Noise::DuplicateNominal => "duplicate_nominal",
        }
    }
}

/// One person named in an incident, as the force recorded them.
#[derive(Debug, Clone, PartialEq)]
pub struct SimMention {
    pub role: Role,
    pub person: PersonKey,
    pub person_ref: Option<String>,
    pub forename: Option<String>,
    pub surname: Option<String>,
    pub dob: Option<NaiveDate>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub sex: Option<Sex>,
    pub noise: Vec<Noise>,
}

/// A risk assessment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimRisk {
    pub tool: RiskTool,
    pub level: RiskLevel,
    pub score: Option<i64>,
    pub at: i64,
}

/// Who an incident is about, for ground truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DyadId {
    pub force: u16,
    pub index: u64,
}

/// One incident with its calls and mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct SimIncident {
    pub created: i64,
    pub opening: Category,
    pub closing: Category,
    pub domestic: bool,
    pub initial_grade: Grade,
    pub final_grade: Grade,
    /// Scheduled as an appointment rather than a visit.
    pub appointment: bool,
    pub regraded_at: Option<i64>,
    pub dispatched: Option<i64>,
    pub arrived: Option<i64>,
    pub closed: i64,
    pub postcode: String,
    pub urban: bool,
    pub risk: Option<SimRisk>,
    pub marac_at: Option<i64>,
    pub idva_at: Option<i64>,
    pub review_at: Option<i64>,
    pub outcome: Option<Outcome>,
    pub offence: Option<Offence>,
    pub calls: Vec<SimCall>,
    pub mentions: Vec<SimMention>,
    pub dyad: Option<DyadId>,
    /// The dyad's people, for ground truth (whether or not the log names them).
    pub victim: Option<PersonKey>,
    pub perpetrator: Option<PersonKey>,
    /// Index of the planted scenario this incident belongs to.
    pub scenario: Option<usize>,
    /// A second record of an event already logged, closed as `DUPLICATE`
    /// without attendance (the dialects list the code as needing none).
    pub duplicate: bool,
    /// Exported before it closed (`--exported-on`): no closing code or time yet.
    pub still_open: bool,
    /// Assigned when the force's incidents are put in time order.
    pub reference: String,
}

impl SimIncident {
    pub fn harm(&self) -> f64 {
        self.offence.map_or(0.0, |o| o.harm)
    }
}
