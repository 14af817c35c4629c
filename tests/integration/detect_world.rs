//! The small hand-built world the detection rule tests run on: two forces,
//! incidents handled as they should be unless a test changes them, and the
//! helpers that pick out a rule's flags and their times.

use chrono::NaiveDate;
use chrono_tz::Europe::London;
use vigil::config::{AttendanceTargets, DetectSettings};
pub use vigil::detect::{
    run_rules, Call, Detected, Flag, ForceRules, HarmTable, Identity, Incident, MentionRow, People, Records, Rule,
};
use vigil::schema::{Area, Category, Channel, Grade, RiskLevel, RiskTool};
use vigil::timestamps::resolve_local;

pub const MINUTE: i64 = 60_000;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

/// UTC milliseconds of a Europe/London reading (the earlier of a repeated hour).
pub fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    let reading = NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap();
    resolve_local(reading, London).unwrap()
}

/// A small world of two forces, the first piloting specialist review from 2025-02-21.
#[derive(Default)]
pub struct World {
    pub incidents: Vec<Incident>,
    pub calls: Vec<Call>,
    pub mentions: Vec<MentionRow>,
    pub settings: DetectSettings,
    /// The first force's stated area for incidents that record none (default: rural).
    pub unrecorded_area: Option<Area>,
    /// The first force's closings that need no attendance.
    pub no_attendance_needed: Vec<String>,
    /// Names and dates of birth by person id; a person not listed is
    /// forename = its id, surname = its id + "son", no date of birth.
    pub identities: Vec<(String, Identity)>,
}

impl World {
    pub fn new() -> World {
        World::default()
    }

    /// A domestic incident handled as it should be: a 999 call at `at` from
    /// `number`, graded PRIORITY, attended in 28 minutes, assessed, reviewed.
    pub fn clean(&mut self, force: u16, at: i64, victim: Option<&str>, suspect: Option<&str>) -> usize {
        let reference = format!("R{:04}", self.incidents.len());
        self.clean_as(&reference, force, at, victim, suspect)
    }

    /// [`World::clean`] with the incident reference given.
    pub fn clean_as(
        &mut self,
        reference: &str,
        force: u16,
        at: i64,
        victim: Option<&str>,
        suspect: Option<&str>,
    ) -> usize {
        let n = self.incidents.len();
        self.incidents.push(Incident {
            force,
            incident_ref: reference.into(),
            created_at: at + MINUTE,
            contact_at: at,
            domestic: true,
            opening: Some(Category::Domestic),
            closing: Some(Category::Domestic),
            initial_grade: Some(Grade::Priority),
            final_grade: Some(Grade::Priority),
            final_grade_raw: "G2".into(),
            regraded_at: None,
            dispatched_at: Some(at + 5 * MINUTE),
            arrived_at: Some(at + 28 * MINUTE),
            closed_at: Some(at + 3 * HOUR),
            place: Some(format!("B{n} 1AA").into()),
            area: Some(Area::Urban),
            risk_tool: Some(RiskTool::Dash),
            risk_level: Some(RiskLevel::Standard),
            risk_score: Some(5),
            risk_assessed_at: Some(at + 70 * MINUTE),
            marac_at: None,
            idva_at: None,
            review_at: Some(at + 2 * HOUR),
            outcome: Some("ADVICE_GIVEN".into()),
            closing_code_raw: Some("DOM".into()),
            outcome_raw: Some("Advice".into()),
            offence_code: None,
            narrative_words: 0,
            calls: Vec::new(),
        });
        self.call(
            force,
            reference,
            at,
            &format!("+4477000{:05}", n),
            Channel::Emergency999,
        );
        for (role, person) in [("VICTIM", victim), ("SUSPECT", suspect)] {
            if let Some(person) = person {
                self.mentions.push(MentionRow {
                    force: force_id(force).into(),
                    incident_ref: reference.to_string(),
                    role: role.into(),
                    person_id: Some(person.into()),
                    phone: None,
                });
            }
        }
        n
    }

    /// Names `person` in `role` (VICTIM, SUSPECT, CALLER) on incident `n`.
    pub fn name(&mut self, n: usize, role: &str, person: &str) {
        let incident = &self.incidents[n];
        self.mentions.push(MentionRow {
            force: force_id(incident.force).into(),
            incident_ref: incident.incident_ref.to_string(),
            role: role.into(),
            person_id: Some(person.into()),
            phone: None,
        });
    }

    pub fn call(&mut self, force: u16, reference: &str, at: i64, number: &str, channel: Channel) -> usize {
        self.calls.push(Call {
            force,
            call_id: format!("C{:04}", self.calls.len()).into(),
            incident_ref: Some(reference.into()),
            incident: None,
            channel: Some(channel),
            received_at: at,
            number: Some(number.into()),
            abandoned: false,
            silent: false,
        });
        self.calls.len() - 1
    }

    /// Makes the data end at `at` (deadlines up to it have passed), with a non-domestic incident.
    pub fn until(&mut self, at: i64) {
        let n = self.clean(0, at, None, None);
        let incident = &mut self.incidents[n];
        incident.domestic = false;
        (incident.opening, incident.closing) = (Some(Category::Theft), Some(Category::Theft));
        incident.created_at = at;
        (incident.dispatched_at, incident.arrived_at, incident.closed_at) = (None, None, None);
        (incident.risk_assessed_at, incident.review_at) = (None, None);
    }

    pub fn detect(self) -> Detected {
        let forces: Vec<String> = vec![force_id(0).into(), force_id(1).into()];
        let records = Records::from_rows(forces, self.incidents, self.calls);
        let mut people = People::from_rows(&records, &self.mentions);
        let mut identities: Vec<(String, Identity)> = people
            .person_ids
            .iter()
            .map(|id| (id.clone(), Identity::new(id, &format!("{id}son"), "")))
            .collect();
        identities.extend(self.identities);
        people.attach_identities(identities);
        let rules = vec![
            ForceRules {
                targets: AttendanceTargets {
                    unrecorded_area: self.unrecorded_area.unwrap_or(Area::Rural),
                    ..AttendanceTargets::default()
                },
                specialist_reviews_from: Some(local(2025, 2, 21, 0, 0)),
                no_attendance_needed: self.no_attendance_needed,
                ..ForceRules::default()
            },
            ForceRules {
                targets: AttendanceTargets::default(),
                specialist_reviews_from: None,
                ..ForceRules::default()
            },
        ];
        run_rules(
            records,
            people,
            HarmTable::built_in(),
            &self.settings,
            rules,
            vec![London, London],
        )
    }
}

pub fn force_id(force: u16) -> &'static str {
    ["west_midlands", "northumbria"][usize::from(force)]
}

pub fn raised(detected: &Detected, rule: Rule) -> Vec<&Flag> {
    detected.flags.iter().filter(|f| f.rule == rule).collect()
}

pub fn count(detected: &Detected, rule: Rule) -> usize {
    raised(detected, rule).len()
}

/// When a flag's event happened and when the data could first show it.
pub fn times(flag: &Flag) -> (i64, i64) {
    (flag.event_at, flag.detected_at)
}

/// The times of the only flag `rule` raised.
pub fn only_times(detected: &Detected, rule: Rule) -> (i64, i64) {
    let flags = raised(detected, rule);
    assert_eq!(flags.len(), 1, "{rule}");
    times(flags[0])
}

/// References of a flag's incidents.
pub fn evidence(detected: &Detected, flag: &Flag) -> Vec<String> {
    flag.incidents
        .iter()
        .map(|&i| detected.records.incidents[i as usize].incident_ref.to_string())
        .collect()
}
