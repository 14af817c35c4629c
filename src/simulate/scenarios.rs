//! Planted scenarios: small, scripted histories that detection must find
//! (or, for the controls, must leave alone), listed with their expected rules
//! in `truth/scenarios.csv`. Each scenario is hosted by one pilot force (a
//! cross-force one by two); the incidents around it are otherwise "clean"
//! (graded right, attended on time, assessed, reviewed in the pilot period)
//! so that only the intended rules have reason to fire.

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Europe::London;

use super::events::{DyadId, SimIncident, SimRisk};
use super::noise::{record, NoiseRates, Recording};
use super::people::{Person, PersonKey, PersonKind, Window};
use super::response::{call, respond, Story};
use super::world::ForceContext;
use crate::random::Random;
use crate::schema::{Category, Channel, Grade, RiskLevel, RiskTool, Role};
use crate::timestamps::resolve_local;

const MINUTE: i64 = 60_000;
/// Scenario dyads are numbered from here, apart from the random population's.
const SCENARIO_DYADS: u64 = 1 << 40;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// A kind of scenario, with the rules detection must raise for it (none for controls).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NightCluster,
    NightClusterClockChange,
    MaracThreshold,
    ShorteningGaps,
    SerialPerpetrator,
    CrossForce,
    SilentCall,
    LateAttendance,
    UnderGrading,
    HighRiskNoReferral,
    NoRiskAssessment,
    RaneemShaped,
    ControlSameAddress,
    ControlFrequentCaller,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::NightCluster,
        Kind::NightClusterClockChange,
        Kind::MaracThreshold,
        Kind::ShorteningGaps,
        Kind::SerialPerpetrator,
        Kind::CrossForce,
        Kind::SilentCall,
        Kind::LateAttendance,
        Kind::UnderGrading,
        Kind::HighRiskNoReferral,
        Kind::NoRiskAssessment,
        Kind::RaneemShaped,
        Kind::ControlSameAddress,
        Kind::ControlFrequentCaller,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::NightCluster => "night_cluster",
            Kind::NightClusterClockChange => "night_cluster_clock_change",
            Kind::MaracThreshold => "marac_threshold_no_referral",
            Kind::ShorteningGaps => "shortening_gaps",
            Kind::SerialPerpetrator => "serial_perpetrator",
            Kind::CrossForce => "cross_force_victim",
            Kind::SilentCall => "silent_call_no_response",
            Kind::LateAttendance => "late_attendance",
            Kind::UnderGrading => "under_grading",
            Kind::HighRiskNoReferral => "high_risk_no_referral",
            Kind::NoRiskAssessment => "no_risk_assessment",
            Kind::RaneemShaped => "raneem_shaped",
            Kind::ControlSameAddress => "control_same_address",
            Kind::ControlFrequentCaller => "control_frequent_caller",
        }
    }

    /// Rule codes (see the detect stage) that must flag this scenario.
    pub fn expected_rules(self) -> &'static [&'static str] {
        match self {
            Kind::NightCluster | Kind::NightClusterClockChange => &["NIGHT_CLUSTER"],
            Kind::MaracThreshold => &["MARAC_THRESHOLD"],
            Kind::ShorteningGaps => &["FREQUENCY_ESCALATION"],
            Kind::SerialPerpetrator => &["SERIAL_PERPETRATOR"],
            Kind::CrossForce => &["CROSS_FORCE"],
            Kind::SilentCall => &["SILENT_CALL_NO_RESPONSE"],
            Kind::LateAttendance => &["LATE_ATTENDANCE"],
            Kind::UnderGrading => &["UNDER_GRADED"],
            Kind::HighRiskNoReferral => &["HIGH_RISK", "HIGH_RISK_NO_REFERRAL"],
            Kind::NoRiskAssessment => &["NO_RISK_ASSESSMENT"],
            Kind::RaneemShaped => &["NIGHT_CLUSTER", "MARAC_THRESHOLD", "UNDER_GRADED", "MISSED_OPPORTUNITY"],
            Kind::ControlSameAddress | Kind::ControlFrequentCaller => &[],
        }
    }
}

/// A planted scenario: what it is and which forces host it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Position in the world's scenario list; also `truth/scenarios.csv`'s order.
    pub number: usize,
    pub kind: Kind,
    /// Positions of the hosting forces among the simulated forces.
    pub forces: Vec<usize>,
}

impl Scenario {
    pub fn id(&self) -> String {
        format!("S{:03}-{}", self.number + 1, self.kind.code())
    }

    fn person(&self, global_force: u16, slot: u64) -> PersonKey {
        PersonKey {
            force: global_force,
            kind: PersonKind::Scenario,
            index: self.number as u64 * 10 + slot,
        }
    }
}

/// Every scenario of the world: each kind once per pilot force present
/// (the Raneem-shaped case and the clock-change nights once each).
pub fn catalogue(pilots: &[usize], forces: usize) -> Vec<Scenario> {
    let mut out = Vec::new();
    for (k, &host) in pilots.iter().enumerate() {
        for kind in Kind::ALL {
            let hosts = match kind {
                Kind::RaneemShaped | Kind::NightClusterClockChange if k > 0 => continue,
                Kind::CrossForce if forces < 2 => continue,
                Kind::CrossForce => vec![host, (host + 1) % forces],
                _ => vec![host],
            };
            out.push(Scenario {
                number: out.len(),
                kind,
                forces: hosts,
            });
        }
    }
    out
}

/// The scenario incidents this force records.
pub fn planted_incidents(context: &ForceContext) -> Vec<SimIncident> {
    let spec = context.spec;
    let pilots: Vec<usize> = (0..spec.forces.len()).filter(|p| spec.forces[*p].pilot).collect();
    let mut out = Vec::new();
    for scenario in catalogue(&pilots, spec.forces.len()) {
        if !scenario.forces.contains(&context.position) {
            continue;
        }
        let mut script = Script::new(context, &scenario);
        script.play();
        for mut incident in script.incidents {
            incident.scenario = Some(scenario.number);
            out.push(incident);
        }
    }
    out
}

/// Writes one scenario's incidents for one hosting force.
struct Script<'a> {
    context: &'a ForceContext<'a>,
    scenario: &'a Scenario,
    random: Random,
    /// The host force's global number (scenario people belong to the first host).
    owner: u16,
    incidents: Vec<SimIncident>,
}

impl<'a> Script<'a> {
    fn new(context: &'a ForceContext<'a>, scenario: &'a Scenario) -> Script<'a> {
        let owner_position = scenario.forces[0];
        let owner = context.spec.global(owner_position);
        Script {
            random: Random::stream(
                context.spec.seed,
                &[30, scenario.number as u64, context.position as u64],
            ),
            context,
            scenario,
            owner,
            incidents: Vec::new(),
        }
    }

    fn window(&self) -> Window {
        self.context.spec.window
    }

    fn person(&self, slot: u64) -> Person {
        Person::generate(
            self.context.spec.seed,
            self.scenario.person(self.owner, slot),
            self.window(),
        )
    }

    /// A day for this scenario: spread scenarios across the window, away from its edges.
    fn anchor(&self, fraction: f64) -> NaiveDate {
        let w = self.window();
        let usable = (w.end - w.start - 30 * DAY) as f64;
        let offset = ((self.scenario.number as f64 * 0.137).fract() * 0.3 + fraction).min(0.95);
        let at = w.start + 14 * DAY + (usable * offset) as i64;
        chrono::DateTime::from_timestamp_millis(at).map_or(NaiveDate::MIN, |d| d.date_naive())
    }

    fn play(&mut self) {
        let victim = self.person(0);
        let suspect = self.person(1);
        match self.scenario.kind {
            Kind::NightCluster => {
                let day = self.anchor(0.2);
                for (d, h, m) in [(0, 21, 30), (0, 23, 10), (1, 1, 5)] {
                    self.clean(&victim, Some(&suspect), local(day, d, h, m));
                }
            }
            Kind::NightClusterClockChange => self.clock_change_nights(&victim, &suspect),
            Kind::MaracThreshold => {
                let day = self.anchor(0.1);
                for d in [0, 50, 110] {
                    self.clean(&victim, Some(&suspect), local(day, d, 19, 45));
                }
            }
            Kind::ShorteningGaps => {
                let day = self.anchor(0.05);
                for d in [0, 40, 60, 70, 75] {
                    self.clean(&victim, Some(&suspect), local(day, d, 20, 15));
                }
            }
            Kind::SerialPerpetrator => {
                let second = self.person(2);
                let day = self.anchor(0.2);
                self.clean(&victim, Some(&suspect), local(day, 0, 22, 0));
                self.clean(&second, Some(&suspect), local(day, 60, 22, 30));
            }
            Kind::CrossForce => {
                let day = self.anchor(0.2);
                if self.context.position == self.scenario.forces[0] {
                    self.clean(&victim, Some(&suspect), local(day, 0, 20, 0));
                } else {
                    let mut moved = victim.clone();
                    moved.move_to(self.context.spec.seed, self.context.profile, local(day, 30, 0, 0));
                    self.clean(&moved, Some(&suspect), local(day, 45, 20, 0));
                }
            }
            Kind::SilentCall => {
                let day = self.anchor(0.2);
                self.clean(&victim, Some(&suspect), local(day, 0, 21, 0));
                self.silent_call(&victim, local(day, 20, 2, 10));
            }
            Kind::LateAttendance => {
                let at = local(self.anchor(0.3), 0, 19, 20);
                let incident = self.clean(&victim, Some(&suspect), at);
                incident.initial_grade = Grade::Emergency;
                incident.final_grade = Grade::Emergency;
                incident.urban = true;
                incident.dispatched = Some(incident.created + 2 * MINUTE);
                incident.arrived = Some(incident.created + 48 * MINUTE);
                incident.closed = incident.created + 4 * HOUR;
            }
            Kind::UnderGrading => {
                let day = self.anchor(0.1);
                self.clean(&victim, Some(&suspect), local(day, 0, 20, 0));
                self.clean(&victim, Some(&suspect), local(day, 30, 21, 0));
                let incident = self.clean(&victim, Some(&suspect), local(day, 60, 22, 15));
                schedule_appointment(incident);
            }
            Kind::HighRiskNoReferral => {
                let incident = self.clean(&victim, Some(&suspect), local(self.anchor(0.4), 0, 23, 0));
                if let Some(risk) = incident.risk.as_mut() {
                    risk.level = RiskLevel::High;
                    risk.score = risk.score.map(|_| 17);
                }
            }
            Kind::NoRiskAssessment => {
                let incident = self.clean(&victim, Some(&suspect), local(self.anchor(0.4), 0, 18, 40));
                incident.risk = None;
            }
            Kind::RaneemShaped => self.raneem_shaped(&victim, &suspect),
            Kind::ControlSameAddress => {
                let second_victim = self.person(2);
                let second_suspect = self.person(3);
                let day = self.anchor(0.3);
                let first = self.clean(&victim, Some(&suspect), local(day, 0, 22, 0));
                let (line, postcode) = (first.mentions[0].address.clone(), first.postcode.clone());
                let second = self.clean(&second_victim, Some(&second_suspect), local(day, 0, 23, 30));
                second.postcode = postcode.clone();
                for mention in &mut second.mentions {
                    mention.address = line.clone();
                    mention.postcode = Some(postcode.clone());
                }
            }
            Kind::ControlFrequentCaller => {
                let day = self.anchor(0.3);
                for d in [0, 3, 5, 9, 12, 16, 20, 27] {
                    self.background(&victim, local(day, d, 15, 0));
                }
            }
        }
    }

    /// Nights that span the October and March clock changes, where the window holds them.
    fn clock_change_nights(&mut self, victim: &Person, suspect: &Person) {
        let w = self.window();
        for (month, times) in [
            (10u32, [(23, 40), (1, 10), (1, 40), (3, 5)]),
            (3, [(23, 30), (0, 45), (2, 30), (3, 40)]),
        ] {
            let Some(sunday) = clock_change_in(w, month) else {
                continue;
            };
            let eve = sunday - Duration::days(1);
            for (h, m) in times {
                let (date, offset) = if h >= 12 { (eve, 0) } else { (eve, 1) };
                self.clean(victim, Some(suspect), local(date, offset, h, m));
            }
        }
    }

    fn raneem_shaped(&mut self, victim: &Person, suspect: &Person) {
        let w = self.window();
        let last_night =
            chrono::DateTime::from_timestamp_millis(w.end - 10 * DAY).map_or(NaiveDate::MIN, |d| d.date_naive());
        let span_days = ((w.end - w.start) / DAY - 30).clamp(60, 330);
        for i in 0..9 {
            let day = last_night - Duration::days(span_days - i * span_days / 9);
            let incident = self.clean(victim, Some(suspect), local(day, 0, 20 + (i % 3) as u32, 10));
            if i == 6 {
                // Assessed high, recorded standard, never challenged; no referral.
                incident.risk = incident.risk.map(|r| SimRisk {
                    level: RiskLevel::Standard,
                    score: r.score.map(|_| 8),
                    ..r
                });
            }
        }
        let times = [(21, 40), (22, 55), (23, 50), (0, 26)];
        for (n, (h, m)) in times.iter().enumerate() {
            let offset = if *h < 12 { 1 } else { 0 };
            let incident = self.clean(victim, Some(suspect), local(last_night, offset, *h, *m));
            incident.risk = None;
            incident.review_at = None;
            if n < 3 {
                incident.initial_grade = Grade::Priority;
                incident.final_grade = Grade::Priority;
                incident.arrived = None;
            } else {
                schedule_appointment(incident);
            }
        }
    }

    fn silent_call(&mut self, victim: &Person, at: i64) {
        let number = victim.phone_at(at).to_string();
        let incident = self.background(victim, at);
        incident.mentions.clear();
        incident.opening = Category::AbandonedCall;
        incident.closing = Category::AbandonedCall;
        let first = &mut incident.calls[0];
        *first = call(&mut Random::stream(1, &[]), at, Channel::Emergency999, Some(number));
        first.silent = true;
        first.answered = Some(at + 5_000);
        first.ended = Some(at + 40_000);
        incident.initial_grade = Grade::NoDeployment;
        incident.final_grade = Grade::NoDeployment;
        incident.dispatched = None;
        incident.arrived = None;
    }

    /// A domestic incident handled as it should be.
    fn clean(&mut self, victim: &Person, suspect: Option<&Person>, at: i64) -> &mut SimIncident {
        let home = victim.address_at(at).clone();
        let story = Story {
            at,
            domestic: true,
            category: Category::Domestic,
            high_harm: false,
            offence: None,
            postcode: home.postcode.clone(),
            urban: home.urban,
            caller_number: Some(victim.phone_at(at).to_string()),
        };
        let setting = self.context.setting;
        let mut incident = respond(&mut self.random, &story, setting);
        let first = call(&mut self.random, at, Channel::Emergency999, story.caller_number.clone());
        incident.calls = vec![answered_promptly(first, at)];
        incident.created = at + 60_000;
        incident.opening = Category::Domestic;
        incident.closing = Category::Domestic;
        incident.initial_grade = Grade::Priority;
        incident.final_grade = Grade::Priority;
        incident.appointment = false;
        incident.regraded_at = None;
        incident.dispatched = Some(incident.created + 4 * MINUTE);
        incident.arrived = Some(incident.created + 28 * MINUTE);
        incident.closed = incident.created + 3 * HOUR;
        let assessed = incident.created + 70 * MINUTE;
        let tool = if assessed < setting.dara_from {
            RiskTool::Dash
        } else {
            RiskTool::Dara
        };
        incident.risk = Some(SimRisk {
            tool,
            level: RiskLevel::Standard,
            score: (tool == RiskTool::Dash).then_some(5),
            at: assessed,
        });
        incident.marac_at = None;
        incident.idva_at = None;
        incident.review_at = setting
            .reviews_from
            .filter(|from| incident.created >= *from)
            .map(|_| incident.created + 2 * HOUR);
        incident.mentions = self.mentions(victim, suspect, at);
        incident.victim = Some(victim.key);
        incident.perpetrator = suspect.map(|s| s.key);
        incident.dyad = Some(DyadId {
            force: victim.key.force,
            index: SCENARIO_DYADS + victim.key.index * 1000 + suspect.map_or(999, |s| s.key.index % 1000),
        });
        self.incidents.push(incident);
        self.incidents.last_mut().expect("just pushed")
    }

    /// A non-domestic call by `caller`, handled as it should be.
    fn background(&mut self, caller: &Person, at: i64) -> &mut SimIncident {
        let home = caller.address_at(at).clone();
        let story = Story {
            at,
            domestic: false,
            category: Category::AntiSocial,
            high_harm: false,
            offence: None,
            postcode: home.postcode.clone(),
            urban: home.urban,
            caller_number: Some(caller.phone_at(at).to_string()),
        };
        let mut incident = respond(&mut self.random, &story, self.context.setting);
        let first = call(
            &mut self.random,
            at,
            Channel::NonEmergency101,
            story.caller_number.clone(),
        );
        incident.calls = vec![answered_promptly(first, at)];
        incident.initial_grade = Grade::Scheduled;
        incident.final_grade = Grade::Scheduled;
        incident.regraded_at = None;
        incident.dispatched = Some(incident.created + 20 * HOUR);
        incident.arrived = Some(incident.created + 21 * HOUR);
        incident.closed = incident.created + 22 * HOUR;
        let recording = Recording {
            at,
            role: Role::Caller,
            ref_prefix: &self.context.nominal_prefix,
            seed: self.context.spec.seed,
        };
        incident.mentions = vec![record(&mut self.random, caller, &recording, &NoiseRates::scaled(0.0))];
        self.incidents.push(incident);
        self.incidents.last_mut().expect("just pushed")
    }

    fn mentions(&mut self, victim: &Person, suspect: Option<&Person>, at: i64) -> Vec<super::events::SimMention> {
        let clean = NoiseRates::scaled(0.0);
        let recording = |role| Recording {
            at,
            role,
            ref_prefix: &self.context.nominal_prefix,
            seed: self.context.spec.seed,
        };
        let mut out = vec![record(&mut self.random, victim, &recording(Role::Victim), &clean)];
        if let Some(suspect) = suspect {
            out.push(record(&mut self.random, suspect, &recording(Role::Suspect), &clean));
        }
        out
    }
}

/// Calls in scenarios are answered promptly and never dropped.
fn answered_promptly(mut call: super::events::SimCall, at: i64) -> super::events::SimCall {
    call.abandoned = false;
    call.silent = false;
    call.answered = Some(at + 6_000);
    call.ended = Some(at + 300_000);
    call
}

/// A call-back promised for the morning: graded SCHEDULED as an appointment, attended next day.
fn schedule_appointment(incident: &mut SimIncident) {
    incident.initial_grade = Grade::Scheduled;
    incident.final_grade = Grade::Scheduled;
    incident.appointment = true;
    incident.dispatched = Some(incident.created + 10 * HOUR);
    incident.arrived = Some(incident.created + 10 * HOUR + 20 * MINUTE);
    incident.closed = incident.created + 11 * HOUR;
}

/// UTC milliseconds of a Europe/London wall-clock reading `days` after `date`,
/// by ingest's clock-change rule (the repeated October hour takes the earlier
/// instant); a reading in the missing March hour is moved an hour on.
pub fn local(date: NaiveDate, days: i64, hour: u32, minute: u32) -> i64 {
    let reading = (date + Duration::days(days))
        .and_hms_opt(hour, minute, 0)
        .unwrap_or_default();
    resolve_local(reading, London)
        .or_else(|_| resolve_local(reading + Duration::hours(1), London))
        .unwrap_or(0)
}

/// The Sunday of the clock change in `month` (3 or 10) that lies inside the window.
fn clock_change_in(window: Window, month: u32) -> Option<NaiveDate> {
    let first = chrono::DateTime::from_timestamp_millis(window.start)?.year();
    let last = chrono::DateTime::from_timestamp_millis(window.end)?.year();
    (first..=last).find_map(|year| {
        let end_of_month = NaiveDate::from_ymd_opt(year, month, 31)?;
        let sunday = end_of_month - Duration::days(i64::from(end_of_month.weekday().num_days_from_sunday()));
        let at = local(sunday, 0, 12, 0);
        (at > window.start + DAY && at < window.end - DAY).then_some(sunday)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_planted_for_the_first_pilot_and_controls_expect_nothing() {
        let list = catalogue(&[0, 1, 2, 3, 4], 5);
        for kind in Kind::ALL {
            assert!(list.iter().any(|s| s.kind == kind && s.forces[0] == 0), "{kind:?}");
        }
        assert!(list.iter().filter(|s| s.kind == Kind::RaneemShaped).count() == 1);
        assert!(Kind::ControlSameAddress.expected_rules().is_empty());
        assert_eq!(
            list.iter().find(|s| s.kind == Kind::CrossForce).unwrap().forces,
            vec![0, 1]
        );
    }

    #[test]
    fn clock_changes_are_found_inside_the_window() {
        let start = local(NaiveDate::from_ymd_opt(2024, 10, 7).unwrap(), 0, 0, 0);
        let window = Window {
            start,
            end: start + 30 * 7 * DAY,
        };
        assert_eq!(clock_change_in(window, 10), NaiveDate::from_ymd_opt(2024, 10, 27));
        assert_eq!(clock_change_in(window, 3), NaiveDate::from_ymd_opt(2025, 3, 30));
    }
}
