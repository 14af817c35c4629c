//! Simulated people. A person is a pure function of the seed and their key,
//! so any force can regenerate anyone (a victim who moves in from another
//! force, a serial perpetrator) without a shared table in memory. People
//! change surname, phone and address over time, as real people do.

use chrono::{Duration, NaiveDate};

use super::forces::{ForceProfile, ALL_FORCES};
use super::names::{forename, surname};
use super::places::{address, landline, mobile, Address};
use crate::random::Random;

/// What part a person was created to play; it shapes sex and age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonKind {
    Victim,
    Perpetrator,
    Neighbour,
    Background,
    Scenario,
    /// A victim's adult child, sister or brother (`relatives.rs`).
    Relative,
    /// A shop, a school, a hotel, the council (`organisations.rs`).
    Organisation,
}

/// Identifies a person: the force whose population they belong to (index into
/// all 43), their kind, and a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonKey {
    pub force: u16,
    pub kind: PersonKind,
    pub index: u64,
}

impl PersonKey {
    /// The ground-truth id written to `truth/`.
    pub fn true_id(&self) -> String {
        let kind = match self.kind {
            PersonKind::Victim => 'V',
            PersonKind::Perpetrator => 'P',
            PersonKind::Neighbour => 'N',
            PersonKind::Background => 'B',
            PersonKind::Scenario => 'S',
            PersonKind::Relative => 'R',
            PersonKind::Organisation => 'O',
        };
        format!("T{:02}{kind}{:07}", self.force, self.index)
    }

    fn stream(&self, seed: u64) -> Random {
        Random::stream(seed, &[1, u64::from(self.force), self.kind as u64, self.index])
    }

    pub fn home(&self) -> &'static ForceProfile {
        &ALL_FORCES[usize::from(self.force)]
    }
}

/// A person's identity over the simulated period. Histories hold (from, value), oldest first.
#[derive(Debug, Clone)]
pub struct Person {
    pub key: PersonKey,
    pub female: bool,
    pub forename: String,
    pub surnames: Vec<(i64, String)>,
    pub dob: NaiveDate,
    pub phones: Vec<(i64, String)>,
    pub addresses: Vec<(i64, Address)>,
}

/// Share of perpetrators who live with their partner.
const COHABITING_SHARE: f64 = 0.4;

/// The span of simulated time, in UTC milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
    pub end: i64,
}

impl Window {
    /// A uniformly random instant inside the window.
    pub fn instant(&self, random: &mut Random) -> i64 {
        self.start + random.below((self.end - self.start) as u64) as i64
    }
}

impl Person {
    pub fn generate(seed: u64, key: PersonKey, window: Window) -> Person {
        let mut random = key.stream(seed);
        let female = match key.kind {
            PersonKind::Victim => random.chance(0.8),
            PersonKind::Perpetrator => random.chance(0.18),
            _ => random.chance(0.5),
        };
        let age_years = match key.kind {
            PersonKind::Victim | PersonKind::Perpetrator | PersonKind::Scenario => {
                18.0 + random.lognormal(14.0, 0.45).min(60.0)
            }
            _ => random.between(18, 85) as f64,
        };
        let born = window.start - (age_years * 365.25 * 86_400_000.0) as i64;
        let dob = chrono::DateTime::from_timestamp_millis(born).map_or(NaiveDate::MIN, |d| d.date_naive());
        let home = key.home();
        let mut person = Person {
            key,
            female,
            forename: forename(&mut random, female),
            surnames: vec![(i64::MIN, surname(&mut random))],
            dob: dob - Duration::days(random.below(365) as i64),
            phones: vec![(
                i64::MIN,
                if random.chance(0.85) {
                    mobile(&mut random)
                } else {
                    landline(&mut random)
                },
            )],
            addresses: vec![(i64::MIN, address(&mut random, home))],
        };
        if female && random.chance(0.05) {
            person
                .surnames
                .push((window.instant(&mut random), surname(&mut random)));
        }
        if random.chance(0.25) {
            person.phones.push((window.instant(&mut random), mobile(&mut random)));
        }
        if random.chance(0.2) {
            person
                .addresses
                .push((window.instant(&mut random), address(&mut random, home)));
        }
        if key.kind == PersonKind::Perpetrator {
            person.live_with_partner(seed, window);
        }
        person
    }

    /// Most abusers live with the partner they abuse (the victim of the
    /// dyad of the same number): the same home, often her surname or she
    /// his, and the household's landline. The linker must still keep them
    /// apart. Drawn from its own stream, so no one else changes.
    fn live_with_partner(&mut self, seed: u64, window: Window) {
        let mut random = Random::stream(seed, &[3, u64::from(self.key.force), self.key.index]);
        if !random.chance(COHABITING_SHARE) {
            return;
        }
        let partner_key = PersonKey {
            kind: PersonKind::Victim,
            ..self.key
        };
        let partner = Person::generate(seed, partner_key, window);
        self.addresses = partner.addresses.clone();
        if random.chance(0.6) {
            self.surnames = vec![(i64::MIN, partner.surnames[0].1.clone())];
        }
        let home_phone = &partner.phones[0].1;
        if home_phone.starts_with("01") {
            self.phones = vec![(i64::MIN, home_phone.clone())];
        }
    }

    pub fn surname_at(&self, at: i64) -> &str {
        current(&self.surnames, at).as_str()
    }

    pub fn phone_at(&self, at: i64) -> &str {
        current(&self.phones, at).as_str()
    }

    pub fn address_at(&self, at: i64) -> &Address {
        current(&self.addresses, at)
    }

    /// The address before the current one, if the person has moved.
    pub fn previous_address(&self, at: i64) -> Option<&Address> {
        let now = self.addresses.iter().rposition(|(from, _)| *from <= at)?;
        now.checked_sub(1).map(|i| &self.addresses[i].1)
    }

    /// Moves the person into another force's area from `at` (a new home there).
    pub fn move_to(&mut self, seed: u64, force: &ForceProfile, at: i64) {
        let mut random = Random::stream(
            seed,
            &[2, u64::from(self.key.force), self.key.kind as u64, self.key.index],
        );
        self.addresses.retain(|(from, _)| *from < at);
        self.addresses.push((at, address(&mut random, force)));
    }
}

fn current<T>(history: &[(i64, T)], at: i64) -> &T {
    let index = history.iter().rposition(|(from, _)| *from <= at).unwrap_or(0);
    &history[index].1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_perpetrators_share_their_partners_home_and_some_her_surname() {
        let window = Window {
            start: 1_700_000_000_000,
            end: 1_720_000_000_000,
        };
        let (mut homes, mut surnames) = (0, 0);
        for index in 0..400 {
            let key = |kind| PersonKey { force: 40, kind, index };
            let victim = Person::generate(9, key(PersonKind::Victim), window);
            let perpetrator = Person::generate(9, key(PersonKind::Perpetrator), window);
            homes += usize::from(victim.addresses == perpetrator.addresses);
            surnames += usize::from(victim.surnames[0].1 == perpetrator.surnames[0].1);
            assert_ne!((victim.forename, victim.dob), (perpetrator.forename, perpetrator.dob));
        }
        assert!((120..200).contains(&homes), "{homes} of 400 share a home");
        assert!((60..140).contains(&surnames), "{surnames} of 400 share a surname");
    }

    #[test]
    fn a_person_is_the_same_whenever_regenerated() {
        let window = Window {
            start: 1_700_000_000_000,
            end: 1_720_000_000_000,
        };
        let key = PersonKey {
            force: 40,
            kind: PersonKind::Victim,
            index: 12,
        };
        let a = Person::generate(9, key, window);
        let b = Person::generate(9, key, window);
        assert_eq!(
            (a.forename.clone(), a.dob, a.phones.clone()),
            (b.forename, b.dob, b.phones)
        );
        assert_ne!(a.forename.clone() + &a.surnames[0].1, {
            let c = Person::generate(10, key, window);
            c.forename + &c.surnames[0].1
        });
        assert!(key.true_id().starts_with("T40V"));
    }
}
