//! The `[detect]` section of vigil.toml: every threshold a detection rule
//! uses, with defaults from DOMAIN.md (sources there) or marked as our design
//! choice, and the weights of the priority score.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Thresholds of the detection rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DetectSettings {
    /// A night runs from this local hour (design choice: 18:00)...
    pub night_start_hour: u32,
    /// ...to this local hour of the next day (06:00).
    pub night_end_hour: u32,
    /// NIGHT_CLUSTER: contacts about one subject in one night.
    pub night_cluster_contacts: usize,
    /// RAPID_REPEAT: contacts about one subject, each within `rapid_repeat_hours` of the one before.
    pub rapid_repeat_contacts: usize,
    pub rapid_repeat_hours: u32,
    /// MARAC_THRESHOLD: DA incidents in a rolling window (commonly 3 in 12 months; some areas use 5).
    pub marac_incidents: usize,
    pub marac_window_days: u32,
    /// REPEAT_AFTER_MARAC: a new DA incident within this many days of a MARAC referral.
    pub repeat_marac_days: u32,
    /// FREQUENCY_ESCALATION: gaps between DA incidents in a row, each shorter than the gap
    /// before it (design choice: 3, i.e. five incidents whose four gaps keep shortening).
    pub shortening_gaps: usize,
    /// HARM_RISING (context only): consecutive incidents with recorded offences of rising harm.
    pub harm_rising_incidents: usize,
    /// SERIAL_PERPETRATOR: distinct victims within the window (Northumbria: 2 within 3 years).
    pub serial_victims: usize,
    pub serial_window_days: u32,
    /// CROSS_FORCE: forces that know one subject.
    pub cross_force_forces: usize,
    /// HIGH_RISK: a DASH score at or above this (2009 guidance: 14), or a HIGH level on any tool.
    pub high_risk_dash_score: i64,
    /// COUNTER_ALLEGATION: a victim named as the suspect against the same
    /// partner (or the partner as victim) within this many days.
    pub counter_allegation_days: u32,
    /// SEVERAL_PERPETRATORS: distinct perpetrators named against one victim within the window.
    pub several_perpetrators: usize,
    pub several_perpetrators_days: u32,
    /// THIRD_PARTY_REPORTS: DA incidents about one victim reported by someone
    /// else (a CALLER who is not the victim) within the window.
    pub third_party_reports: usize,
    pub third_party_days: u32,
    /// STALKING_STRANGULATION_THREATS: offence codes that raise it, each with
    /// what it is (`"3B" = "threats to kill"`); an opening or closing category
    /// of STALKING raises it too.
    pub stalking_strangulation_threats_offences: BTreeMap<String, String>,
    /// RISK_DOWNGRADED: a risk level below the previous assessment of the
    /// same victim and perpetrator, this many days or fewer after it.
    pub risk_downgrade_days: u32,
    /// NARRATIVE_WORDS (context only): words and phrases looked for in the
    /// incident narrative, ignoring case; a trailing `*` matches any ending
    /// (`strangl*`). At most 64.
    pub narrative_words: Vec<String>,
    /// History that makes a contact one "with history" (UNDER_GRADED, SILENT_CALL_NO_RESPONSE).
    pub history_days: u32,
    /// SILENT_CALL_NO_RESPONSE: no emergency grade and no dispatch within this many minutes.
    pub silent_call_response_minutes: u32,
    /// NO_RISK_ASSESSMENT: no DASH/DARA within this many hours of arrival.
    pub risk_assessment_hours: u32,
    /// HIGH_RISK_NO_REFERRAL: no MARAC or IDVA referral within this many days of the assessment.
    pub referral_days: u32,
    /// NO_SPECIALIST_REVIEW: no specialist review within this many hours of the contact.
    pub specialist_review_hours: u32,
    /// MISSED_OPPORTUNITY: a response gap up to this many days after a signal's window belongs to its episode.
    pub episode_days: u32,
    /// A harm-weight table (CSV) replacing the built-in one; relative to the configuration file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub harm_weights: Option<String>,
    pub priority: PriorityWeights,
}

impl Default for DetectSettings {
    fn default() -> Self {
        DetectSettings {
            night_start_hour: 18,
            night_end_hour: 6,
            night_cluster_contacts: 2,
            rapid_repeat_contacts: 2,
            rapid_repeat_hours: 24,
            marac_incidents: 3,
            marac_window_days: 365,
            repeat_marac_days: 365,
            shortening_gaps: 3,
            harm_rising_incidents: 3,
            serial_victims: 2,
            serial_window_days: 3 * 365,
            cross_force_forces: 2,
            high_risk_dash_score: 14,
            counter_allegation_days: 365,
            several_perpetrators: 2,
            several_perpetrators_days: 365,
            third_party_reports: 2,
            third_party_days: 365,
            stalking_strangulation_threats_offences: default_stalking_strangulation_threats(),
            risk_downgrade_days: 365,
            narrative_words: DEFAULT_NARRATIVE_WORDS.iter().map(|w| w.to_string()).collect(),
            history_days: 365,
            silent_call_response_minutes: 60,
            risk_assessment_hours: 24,
            referral_days: 7,
            specialist_review_hours: 24,
            episode_days: 28,
            harm_weights: None,
            priority: PriorityWeights::default(),
        }
    }
}

/// Home Office offence codes of stalking, non-fatal strangulation and
/// threats to kill (the codes of vigil's harm table), among the strongest
/// predictors of domestic homicide (Monckton-Smith 2020, "Intimate partner
/// femicide: using Foucauldian analysis to track an eight stage
/// progression to homicide"; Glass et al. 2008 on strangulation).
fn default_stalking_strangulation_threats() -> BTreeMap<String, String> {
    [
        ("8Q", "stalking"),
        ("008/77", "non-fatal strangulation"),
        ("3B", "threats to kill"),
    ]
    .into_iter()
    .map(|(code, what)| (code.to_string(), what.to_string()))
    .collect()
}

/// The lexicon issue 25 asks for (our choice of forms): the DASH risk
/// factors a narrative most often names.
const DEFAULT_NARRATIVE_WORDS: &[&str] = &[
    "strangl*",
    "chok*",
    "kill*",
    "knife",
    "knives",
    "pregnan*",
    "separat*",
    "bail",
    "breach*",
    "child*",
    "non-molestation order",
    "restraining order",
    "protection order",
];

/// Most words [`DetectSettings::narrative_words`] may hold (one bit each).
pub const MAX_NARRATIVE_WORDS: usize = 64;

/// The RFG-style priority score: each component is scaled to 0-100 and the
/// score is their weighted mean. The official MATAC weights are not public;
/// these are ours, and editable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PriorityWeights {
    pub recency: f64,
    pub frequency: f64,
    pub gravity: f64,
    /// Perpetrators only: distinct victims.
    pub victims: f64,
    /// Signals and missed opportunities inside the scoring window.
    pub flags: f64,
    /// Recency halves every this many days since the last DA contact.
    pub recency_half_life_days: f64,
    /// DA incidents in the scoring window that earn full frequency points.
    pub frequency_cap: f64,
    /// Harm (on the harm table's scale) in the scoring window that earns full gravity points (log scale).
    pub gravity_cap: f64,
    /// Distinct victims that earn full victim points.
    pub victims_cap: f64,
    /// Signals, plus two for each missed opportunity, that earn full flag points.
    pub flags_cap: f64,
    /// The scoring window, in days before the end of the data.
    pub window_days: u32,
}

impl Default for PriorityWeights {
    fn default() -> Self {
        PriorityWeights {
            recency: 1.0,
            frequency: 1.0,
            gravity: 1.0,
            victims: 1.0,
            flags: 1.0,
            recency_half_life_days: 28.0,
            frequency_cap: 10.0,
            gravity_cap: 2000.0,
            victims_cap: 3.0,
            flags_cap: 6.0,
            window_days: 365,
        }
    }
}

impl DetectSettings {
    /// Refuses settings no rule can work with.
    pub fn check(&self) -> Result<(), String> {
        if self.night_start_hour > 23 || self.night_end_hour > 23 || self.night_end_hour >= self.night_start_hour {
            return Err(format!(
                "detect.night_start_hour ({}) and detect.night_end_hour ({}) must be hours 0-23, the start in the evening after the end",
                self.night_start_hour, self.night_end_hour
            ));
        }
        let counts = [
            ("night_cluster_contacts", self.night_cluster_contacts),
            ("rapid_repeat_contacts", self.rapid_repeat_contacts),
            ("marac_incidents", self.marac_incidents),
            ("shortening_gaps", self.shortening_gaps),
            ("harm_rising_incidents", self.harm_rising_incidents),
            ("serial_victims", self.serial_victims),
            ("cross_force_forces", self.cross_force_forces),
            ("several_perpetrators", self.several_perpetrators),
        ];
        for (name, value) in counts {
            let least = if name == "shortening_gaps" { 1 } else { 2 };
            if value < least {
                return Err(format!("detect.{name} is {value}; it must be at least {least}"));
            }
        }
        if self.third_party_reports < 1 {
            return Err("detect.third_party_reports is 0; it must be at least 1".into());
        }
        if self.narrative_words.len() > MAX_NARRATIVE_WORDS {
            return Err(format!(
                "detect.narrative_words lists {} words; at most {MAX_NARRATIVE_WORDS} are allowed",
                self.narrative_words.len()
            ));
        }
        if let Some(word) = self
            .narrative_words
            .iter()
            .find(|w| !w.chars().any(char::is_alphanumeric))
        {
            return Err(format!(
                "detect.narrative_words holds `{word}`, which has no letter or digit to match"
            ));
        }
        let p = &self.priority;
        let weights = [p.recency, p.frequency, p.gravity, p.victims, p.flags];
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || weights.iter().sum::<f64>() <= 0.0 {
            return Err("detect.priority weights must be zero or more, and not all zero".into());
        }
        let caps = [
            p.recency_half_life_days,
            p.frequency_cap,
            p.gravity_cap,
            p.victims_cap,
            p.flags_cap,
        ];
        if caps.iter().any(|c| !c.is_finite() || *c <= 0.0) {
            return Err("detect.priority half-life and caps must be above zero".into());
        }
        Ok(())
    }
}
