//! The columns that let a force's own staff find the person a row is
//! about without a lookup in another file: the name (its commonest
//! spelling), date of birth, the force's own nominal references, and the
//! person's latest contact with the force by the end of the reviewed week
//! (date, incident reference, grade, risk level) with their latest MARAC or
//! IDVA referral. Only the force's packs carry them; the evaluation pack is
//! pseudonymised and never names anyone.

use polars::prelude::PlHashMap;

use crate::csv_out::Line;
use crate::detect::{Detected, Incident, SubjectKind, SubjectRef, Table};

/// The columns [`Findable::write`] adds, in order.
/// (`force_` columns are the person's latest with this force by the end of
/// the week; the priority lists' `last_contact` is across every force.)
pub const COLUMNS: [&str; 8] = [
    "name",
    "dob",
    "person_refs",
    "force_last_contact",
    "force_last_incident_ref",
    "force_last_grade",
    "force_last_risk_level",
    "force_last_referral",
];

/// What finds a person for one force, as of one instant.
pub struct Findable<'a> {
    detected: &'a Detected,
    force: u16,
    /// UTC milliseconds: contacts after this are not yet known (the end of the reviewed week).
    until: i64,
    numbers: PlHashMap<&'a str, u32>,
}

impl<'a> Findable<'a> {
    pub fn new(detected: &'a Detected, force: u16, until: i64) -> Findable<'a> {
        let numbers = (detected.people.person_ids.iter().enumerate())
            .map(|(n, id)| (id.as_str(), n as u32))
            .collect();
        Findable {
            detected,
            force,
            until,
            numbers,
        }
    }

    /// The person a subject is: a victim or perpetrator, or a dyad's victim.
    pub fn person_of(&self, subject: &SubjectRef) -> Option<&'a str> {
        let id = match subject.kind {
            SubjectKind::Victim | SubjectKind::Perpetrator => subject.id.as_str(),
            SubjectKind::Dyad => subject.id.split('+').next()?,
            _ => return None,
        };
        self.numbers.get_key_value(id).map(|(id, _)| *id)
    }

    /// A person id's number in `People::person_ids`.
    pub fn number(&self, id: &str) -> Option<u32> {
        self.numbers.get(id).copied()
    }

    /// The [`COLUMNS`] for a person (all empty for none).
    pub fn cells(&self, person: Option<&str>) -> Vec<String> {
        person.map_or_else(|| vec![String::new(); COLUMNS.len()], |id| self.known(id))
    }

    /// [`Findable::cells`] written to a line.
    pub fn write(&self, person: Option<&str>, line: &mut Line) {
        for cell in &self.cells(person) {
            line.field(cell);
        }
    }

    fn known(&self, id: &str) -> Vec<String> {
        let people = &self.detected.people;
        let identity = self.number(id).and_then(|n| people.identities.get(n as usize));
        let force_id = self.detected.records.force_id(self.force);
        let mut cells = match identity {
            Some(who) => vec![
                who.name(),
                who.dob.clone(),
                who.refs_of(force_id).collect::<Vec<_>>().join("|"),
            ],
            None => vec![String::new(); 3],
        };
        let contacts = self.contacts(id);
        let clock = &self.detected.clock;
        match contacts.last() {
            Some(&(at, last)) => cells.extend([
                clock.date(self.force, at).to_string(),
                last.incident_ref.to_string(),
                last.grade().map_or(String::new(), |g| g.code().to_string()),
                last.risk_level.map_or(String::new(), |r| r.code().to_string()),
            ]),
            None => cells.extend([String::new(), String::new(), String::new(), String::new()]),
        }
        let day = |at: i64| clock.date(self.force, at).to_string();
        cells.push(referral(&contacts, self.until, day));
        cells
    }

    /// The person's incidents with this force known by `until`, in time order, with their first contacts.
    fn contacts(&self, id: &str) -> Vec<(i64, &'a Incident)> {
        let subjects = &self.detected.subjects;
        let timeline = [SubjectKind::Victim, SubjectKind::Perpetrator]
            .into_iter()
            .find_map(|kind| {
                subjects.position(&SubjectRef {
                    kind,
                    id: id.to_string(),
                })
            });
        let Some(s) = timeline else { return Vec::new() };
        let records = &self.detected.records;
        subjects.list[s]
            .incidents
            .iter()
            .map(|&i| &records.incidents[i as usize])
            .filter(|incident| incident.force == self.force && incident.contact_at <= self.until)
            .map(|incident| (incident.contact_at, incident))
            .collect()
    }
}

/// `MARAC 2025-03-02`, `IDVA 2025-03-01`, or empty: the latest referral recorded by `until`.
fn referral(contacts: &[(i64, &Incident)], until: i64, day: impl Fn(i64) -> String) -> String {
    let referrals = contacts.iter().flat_map(|(_, incident)| {
        [("MARAC", incident.marac_at), ("IDVA", incident.idva_at)]
            .into_iter()
            .filter_map(|(kind, at)| Some((at?, kind)))
            .filter(|&(at, _)| at <= until)
    });
    referrals
        .max()
        .map_or(String::new(), |(at, kind)| format!("{kind} {}", day(at)))
}

/// `table` with the [`COLUMNS`] of each row's person added at the end.
pub fn with_people<'a>(
    table: Table<'a>,
    findable: &'a Findable<'a>,
    person_of_row: impl Fn(usize) -> Option<&'a str> + Sync + 'a,
) -> Table<'a> {
    let (mut header, rows, line) = table;
    header.extend(COLUMNS.iter().map(|c| c.to_string()));
    let line = move |i: usize, out: &mut Line| {
        line(i, out);
        findable.write(person_of_row(i), out);
    };
    (header, rows, Box::new(line))
}
