//! A flag: the rule that raised it, the subject it concerns, its window and
//! the calls and incidents that are its evidence, and a sentence to read.

use std::fmt;

use crate::detect::input::records::Records;
use crate::detect::model::flag_id::FlagId;

/// What a rule is for: a signal of risk, a gap in the response, context only, or both met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Signal,
    Gap,
    Context,
    Missed,
}

impl Family {
    /// The code written in the tables.
    pub fn code(self) -> &'static str {
        match self {
            Family::Signal => "SIGNAL",
            Family::Gap => "GAP",
            Family::Context => "CONTEXT",
            Family::Missed => "MISSED_OPPORTUNITY",
        }
    }
}

macro_rules! rules {
    ($($variant:ident => $code:literal, $family:ident;)+) => {
        /// Every detection rule, by its stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),+ }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code),+ }
            }

            pub fn family(self) -> Family {
                match self { $(Rule::$variant => Family::$family),+ }
            }
        }
    };
}

rules! {
    NightCluster => "NIGHT_CLUSTER", Signal;
    RapidRepeat => "RAPID_REPEAT", Signal;
    MaracThreshold => "MARAC_THRESHOLD", Signal;
    RepeatAfterMarac => "REPEAT_AFTER_MARAC", Signal;
    FrequencyEscalation => "FREQUENCY_ESCALATION", Signal;
    HarmRising => "HARM_RISING", Context;
    SerialPerpetrator => "SERIAL_PERPETRATOR", Signal;
    CrossForce => "CROSS_FORCE", Signal;
    HighRisk => "HIGH_RISK", Signal;
    StalkingStrangulationThreats => "STALKING_STRANGULATION_THREATS", Signal;
    CounterAllegation => "COUNTER_ALLEGATION", Signal;
    SeveralPerpetrators => "SEVERAL_PERPETRATORS", Signal;
    ThirdPartyReports => "THIRD_PARTY_REPORTS", Signal;
    RiskDowngraded => "RISK_DOWNGRADED", Signal;
    NarrativeWords => "NARRATIVE_WORDS", Context;
    UnderGraded => "UNDER_GRADED", Gap;
    Downgraded => "DOWNGRADED", Gap;
    LateAttendance => "LATE_ATTENDANCE", Gap;
    NotAttended => "NOT_ATTENDED", Gap;
    SilentCallNoResponse => "SILENT_CALL_NO_RESPONSE", Gap;
    NoRiskAssessment => "NO_RISK_ASSESSMENT", Gap;
    HighRiskNoReferral => "HIGH_RISK_NO_REFERRAL", Gap;
    NoSpecialistReview => "NO_SPECIALIST_REVIEW", Gap;
    CodeMismatch => "CODE_MISMATCH", Context;
    MissedOpportunity => "MISSED_OPPORTUNITY", Missed;
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How urgently a reviewer should look, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::High => "HIGH",
            Severity::Medium => "MEDIUM",
            Severity::Low => "LOW",
            Severity::Info => "INFO",
        }
    }
}

/// What a timeline is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SubjectKind {
    Victim,
    Perpetrator,
    Dyad,
    /// Contacts with no named person, by caller number.
    Phone,
    /// Contacts with no named person, by the incident's place (`ingest::place`: a premises or block address, a map grid square, or a postcode).
    Address,
    /// One incident with nobody and nothing else to key it by.
    Incident,
}

impl SubjectKind {
    pub fn code(self) -> &'static str {
        match self {
            SubjectKind::Victim => "VICTIM",
            SubjectKind::Perpetrator => "PERPETRATOR",
            SubjectKind::Dyad => "DYAD",
            SubjectKind::Phone => "PHONE",
            SubjectKind::Address => "ADDRESS",
            SubjectKind::Incident => "INCIDENT",
        }
    }

    /// How a sentence names it: "this victim", "this number".
    pub fn noun(self) -> &'static str {
        match self {
            SubjectKind::Victim => "this victim",
            SubjectKind::Perpetrator => "this perpetrator",
            SubjectKind::Dyad => "this victim and perpetrator",
            SubjectKind::Phone => "this number",
            SubjectKind::Address => "this place",
            SubjectKind::Incident => "this incident",
        }
    }
}

/// A subject: its kind and id (a person id, `victim+perpetrator`, a number, a postcode, `force/ref`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubjectRef {
    pub kind: SubjectKind,
    pub id: String,
}

/// One flag. Its id is given once every flag is known (`flag_id.rs`).
#[derive(Debug, Clone)]
pub struct Flag {
    pub id: FlagId,
    pub rule: Rule,
    pub severity: Severity,
    pub subject: SubjectRef,
    /// UTC milliseconds; written as local time.
    pub start: i64,
    pub end: i64,
    /// When what it describes happened: the contact that completed a
    /// pattern; the contact (or assessment, arrival, regrading) that fell short.
    pub event_at: i64,
    /// The first moment the data could show it: the completing contact for
    /// a signal; the deadline for a gap that has one (a target, a referral
    /// or assessment window). Weekly packs list flags by this time.
    pub detected_at: i64,
    /// Indices into the incidents; their calls are evidence too.
    pub incidents: Vec<u32>,
    /// Indices into the calls that belong to no incident in the data.
    pub loose_calls: Vec<u32>,
    /// For a flag about one incident (a response gap, HIGH_RISK): that incident.
    pub about: Option<u32>,
    pub sentence: String,
    /// For MISSED_OPPORTUNITY: the positions in the flag list (see
    /// `Detected::flags`) of the flags it joins, signals first.
    pub joins: Vec<usize>,
}

impl Flag {
    /// A flag over `incidents` (any order); its window spans their first contacts.
    pub fn new(rule: Rule, severity: Severity, subject: SubjectRef, mut incidents: Vec<u32>, times: &[i64]) -> Flag {
        incidents.sort_unstable_by_key(|&i| (times[i as usize], i));
        incidents.dedup();
        let start = incidents.first().map_or(0, |&i| times[i as usize]);
        let end = incidents.last().map_or(0, |&i| times[i as usize]);
        Flag {
            id: FlagId::default(),
            rule,
            severity,
            subject,
            start,
            end,
            event_at: start,
            detected_at: start,
            incidents,
            loose_calls: Vec::new(),
            about: None,
            sentence: String::new(),
            joins: Vec::new(),
        }
    }

    /// The force of each piece of evidence (incidents, then loose calls), repeats included.
    pub fn evidence_forces<'a>(&'a self, records: &'a Records) -> impl Iterator<Item = u16> + 'a {
        let incidents = self.incidents.iter().map(|&i| records.incidents[i as usize].force);
        incidents.chain(self.loose_calls.iter().map(|&c| records.calls[c as usize].force))
    }

    /// The forces of its evidence, each once, by number.
    pub fn forces(&self, records: &Records) -> Vec<u16> {
        let mut forces: Vec<u16> = self.evidence_forces(records).collect();
        forces.sort_unstable();
        forces.dedup();
        forces
    }

    /// The force whose clock writes its times: that of its first evidence.
    pub fn home_force(&self, records: &Records) -> u16 {
        self.evidence_forces(records).next().unwrap_or(0)
    }

    /// Sets when it happened and when the data first showed it.
    pub fn timed(&mut self, event_at: i64, detected_at: i64) {
        (self.event_at, self.detected_at) = (event_at, detected_at);
    }

    pub fn with_sentence(mut self, sentence: String) -> Flag {
        self.sentence = sentence;
        self
    }
}
