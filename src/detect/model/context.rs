//! What every rule reads: the records, who they name, the timelines, the
//! clock, the thresholds and the harm table, with the small questions rules
//! ask of them ("this subject's domestic contacts", "how was it graded").

use crate::config::{AttendanceTargets, DetectSettings};
use crate::detect::input::lexicon::Lexicon;
use crate::detect::input::people::People;
use crate::detect::input::records::{Incident, Records};
use crate::detect::model::clock::Clock;
use crate::detect::model::coverage::RuleSet;
use crate::detect::model::flag::{Flag, Rule, Severity, SubjectRef};
use crate::detect::model::harm::HarmTable;
use crate::detect::model::subjects::{Subject, Subjects};

/// A call, or an incident that came in with no call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contact {
    pub at: i64,
    pub force: u16,
    pub incident: Option<u32>,
    pub call: Option<u32>,
}

/// Per force: its attendance targets, when specialist reviews are expected
/// from, the rules its exports let vigil assess (all, unless configured
/// otherwise), and the closings that need no attendance.
#[derive(Debug, Clone, Default)]
pub struct ForceRules {
    pub targets: AttendanceTargets,
    pub specialist_reviews_from: Option<i64>,
    pub assessable: RuleSet,
    /// Raw closing codes or outcomes, trimmed and upper-case (`Force::no_attendance_needed`).
    pub no_attendance_needed: Vec<String>,
}

pub struct Context<'a> {
    pub records: &'a Records,
    pub people: &'a People,
    pub subjects: &'a Subjects,
    pub clock: Clock,
    pub settings: &'a DetectSettings,
    pub harm: &'a HarmTable,
    /// The narrative words (`[detect] narrative_words`) the incidents' bits stand for.
    pub lexicon: Lexicon,
    pub forces: Vec<ForceRules>,
    /// Each incident's first contact (UTC ms), the time every rule orders by.
    pub times: Vec<i64>,
}

pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 24 * HOUR;

impl<'a> Context<'a> {
    /// What every rule reads, from the records, who they name and their
    /// timelines; the lexicon and each incident's first contact follow from them.
    pub fn new(
        (records, people, subjects): (&'a Records, &'a People, &'a Subjects),
        clock: Clock,
        settings: &'a DetectSettings,
        harm: &'a HarmTable,
        forces: Vec<ForceRules>,
    ) -> Context<'a> {
        Context {
            records,
            people,
            subjects,
            clock,
            settings,
            harm,
            lexicon: Lexicon::new(&settings.narrative_words),
            forces,
            times: records.incidents.iter().map(|i| i.contact_at).collect(),
        }
    }

    pub fn incident(&self, i: u32) -> &'a Incident {
        &self.records.incidents[i as usize]
    }

    /// The subject's domestic-abuse contacts (each call, or the incident where it has none), in time order.
    pub fn da_contacts(&self, subject: &Subject) -> Vec<Contact> {
        let mut contacts = Vec::new();
        for &i in &subject.domestic {
            let incident = self.incident(i);
            if incident.calls.is_empty() {
                contacts.push(Contact {
                    at: incident.contact_at,
                    force: incident.force,
                    incident: Some(i),
                    call: None,
                });
            }
            for &c in &incident.calls {
                contacts.push(Contact {
                    at: self.records.calls[c as usize].received_at,
                    force: incident.force,
                    incident: Some(i),
                    call: Some(c),
                });
            }
        }
        contacts.sort_unstable_by_key(|c| (c.at, c.incident, c.call));
        contacts
    }

    pub fn night_of(&self, contact: &Contact) -> Option<chrono::NaiveDate> {
        self.clock.night_of(contact.force, contact.at)
    }

    /// `21:40`.
    pub fn clock_time(&self, contact: &Contact) -> String {
        self.clock.time_text(contact.force, contact.at)
    }

    /// `21:40 on 26 August 2025`.
    pub fn clock_when(&self, contact: &Contact) -> String {
        self.when(contact.force, contact.at)
    }

    pub fn when(&self, force: u16, at: i64) -> String {
        format!(
            "{} on {}",
            self.clock.time_text(force, at),
            self.clock.date_text(force, at)
        )
    }

    /// `4 calls` or `3 contacts (2 calls)`.
    pub fn contact_count(&self, contacts: &[Contact]) -> String {
        let calls = contacts.iter().filter(|c| c.call.is_some()).count();
        match (contacts.len(), calls) {
            (n, c) if n == c => format!("{n} call{}", plural(n)),
            (n, 0) => format!("{n} contact{}", plural(n)),
            (n, c) => format!("{n} contacts ({c} call{})", plural(c)),
        }
    }

    /// "the last was graded SCHEDULED (raw `Appointment`)".
    pub fn last_grade_text(&self, contacts: &[Contact]) -> String {
        match contacts.last().and_then(|c| c.incident) {
            Some(i) => format!("the last was {}", self.grade_text(i)),
            None => "the last has no incident record".into(),
        }
    }

    /// "graded SCHEDULED (raw `Appointment`)", or "not graded".
    pub fn grade_text(&self, i: u32) -> String {
        let incident = self.incident(i);
        match incident.grade() {
            Some(grade) if !incident.final_grade_raw.is_empty() && incident.final_grade_raw != grade.code() => {
                format!("graded {grade} (raw `{}`)", incident.final_grade_raw)
            }
            Some(grade) => format!("graded {grade}"),
            None => "not graded".into(),
        }
    }

    /// `from 9 March 2025 to 23 March 2025`: the days of two incidents' first contacts.
    pub fn dates_from_to(&self, first: u32, last: u32) -> String {
        let day = |i: u32| self.clock.date_text(self.incident(i).force, self.times[i as usize]);
        format!("from {} to {}", day(first), day(last))
    }

    /// The person ids of some persons, sorted, comma-separated.
    pub fn person_list(&self, persons: impl Iterator<Item = u32>) -> String {
        let mut ids: Vec<&str> = persons.map(|p| self.people.person_ids[p as usize].as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.join(", ")
    }

    /// `20241125-0019 (west_midlands)`.
    pub fn reference(&self, i: u32) -> String {
        let incident = self.incident(i);
        format!("{} ({})", incident.incident_ref, self.records.force_id(incident.force))
    }

    /// A flag over some contacts: their incidents and the calls among them are its evidence.
    pub fn contact_flag(
        &self,
        rule: Rule,
        severity: Severity,
        subject: &Subject,
        contacts: &[Contact],
        sentence: String,
    ) -> Flag {
        let incidents: Vec<u32> = contacts.iter().filter_map(|c| c.incident).collect();
        let mut flag = Flag::new(rule, severity, subject.reference.clone(), incidents, &self.times);
        flag.loose_calls = contacts
            .iter()
            .filter(|c| c.incident.is_none())
            .filter_map(|c| c.call)
            .collect();
        flag.start = contacts.first().map_or(flag.start, |c| c.at);
        flag.end = contacts.last().map_or(flag.end, |c| c.at);
        flag.timed(flag.start, flag.start);
        flag.with_sentence(sentence)
    }

    /// A pattern over incidents of a subject, completed (and so first to be
    /// seen) at `completed`: its event and detection time.
    pub fn completed_flag(
        &self,
        rule: Rule,
        severity: Severity,
        subject: SubjectRef,
        incidents: Vec<u32>,
        sentence: String,
        completed: i64,
    ) -> Flag {
        let mut flag = self.incident_flag(rule, severity, subject, incidents, sentence);
        flag.timed(completed, completed);
        flag
    }

    /// A flag over incidents of a subject.
    pub fn incident_flag(
        &self,
        rule: Rule,
        severity: Severity,
        subject: SubjectRef,
        incidents: Vec<u32>,
        sentence: String,
    ) -> Flag {
        Flag::new(rule, severity, subject, incidents, &self.times).with_sentence(sentence)
    }

    /// Whether a deadline `span` milliseconds after `from` has passed by the end of the data.
    pub fn past(&self, from: i64, span: i64) -> bool {
        from + span <= self.records.data_end
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The text with its first letter upper-case, to open a sentence.
pub fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
