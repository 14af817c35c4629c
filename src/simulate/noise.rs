//! How a force records a person: the person's details at the time, through
//! the errors real logs carry (typos, nicknames, swapped names and dates,
//! missing or out-of-date details, a suspect written only as "ex-partner",
//! a duplicate nominal record). Every error applied is listed on the mention.

use chrono::{Datelike, NaiveDate};

use super::events::{Noise, SimMention};
use super::names::{nickname, variant};
use super::people::Person;
use crate::random::Random;
use crate::schema::{Role, Sex};

/// Probability of each kind of noise per mention (before `scale`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoiseRates {
    pub typo: f64,
    pub transposition: f64,
    pub nickname: f64,
    pub names_swapped: f64,
    pub day_month_swapped: f64,
    pub missing_dob: f64,
    pub missing_phone: f64,
    pub old_address: f64,
    pub ex_partner_only: f64,
    pub duplicate_nominal: f64,
    pub person_ref_recorded: f64,
}

impl NoiseRates {
    /// Default rates multiplied by `scale` (0 = clean records).
    pub fn scaled(scale: f64) -> NoiseRates {
        NoiseRates {
            typo: 0.04 * scale,
            transposition: 0.02 * scale,
            nickname: 0.06 * scale,
            names_swapped: 0.015 * scale,
            day_month_swapped: 0.03 * scale,
            missing_dob: 0.08 * scale,
            missing_phone: 0.12 * scale,
            old_address: 0.08 * scale,
            ex_partner_only: 0.06 * scale,
            duplicate_nominal: 0.03 * scale,
            person_ref_recorded: 0.8,
        }
    }
}

/// Where and when the mention is recorded.
pub struct Recording<'a> {
    pub at: i64,
    pub role: Role,
    /// Prefix of the recording force's nominal ids (`WMN`).
    pub ref_prefix: &'a str,
    pub seed: u64,
}

/// The mention of `person` as recorded.
pub fn record(random: &mut Random, person: &Person, recording: &Recording, rates: &NoiseRates) -> SimMention {
    let mut noise = Vec::new();
    let mut forename = person.forename.clone();
    let mut surname = person.surname_at(recording.at).to_string();
    if random.chance(rates.nickname) {
        if let Some(short) = nickname(random, &forename).or_else(|| variant(random, &forename)) {
            forename = short;
            noise.push(Noise::Nickname);
        }
    }
    if random.chance(rates.typo) {
        let target = if random.chance(0.5) {
            &mut forename
        } else {
            &mut surname
        };
        *target = typo(random, target);
        noise.push(Noise::Typo);
    }
    if random.chance(rates.transposition) {
        let target = if random.chance(0.5) {
            &mut forename
        } else {
            &mut surname
        };
        *target = transpose(random, target);
        noise.push(Noise::Transposition);
    }
    if random.chance(rates.names_swapped) {
        std::mem::swap(&mut forename, &mut surname);
        noise.push(Noise::NamesSwapped);
    }
    let mut dob = Some(person.dob);
    let missing_dob = if recording.role == Role::Suspect {
        rates.missing_dob * 3.0
    } else {
        rates.missing_dob
    };
    if random.chance(missing_dob) {
        dob = None;
        noise.push(Noise::MissingDob);
    } else if random.chance(rates.day_month_swapped) {
        if let Some(swapped) = swap_day_month(person.dob) {
            dob = Some(swapped);
            noise.push(Noise::DayMonthSwapped);
        }
    }
    let mut phone = Some(person.phone_at(recording.at).to_string());
    if person.phones.len() > 1 && phone.as_deref() != Some(person.phones[0].1.as_str()) {
        noise.push(Noise::ChangedPhone);
    }
    if random.chance(rates.missing_phone) {
        phone = None;
        noise.push(Noise::MissingPhone);
    }
    let mut address = person.address_at(recording.at).clone();
    if random.chance(rates.old_address) {
        if let Some(old) = person.previous_address(recording.at) {
            address = old.clone();
            noise.push(Noise::OldAddress);
        }
    }
    let mut mention = SimMention {
        role: recording.role,
        person: person.key,
        person_ref: random
            .chance(rates.person_ref_recorded)
            .then(|| nominal_id(recording, person, 0)),
        forename: Some(forename),
        surname: Some(surname),
        dob,
        phone,
        address: Some(address.line),
        postcode: Some(address.postcode),
        sex: Some(if person.female { Sex::Female } else { Sex::Male }),
        noise,
    };
    if mention.person_ref.is_some() && random.chance(rates.duplicate_nominal) {
        mention.person_ref = Some(nominal_id(recording, person, 1 + random.below(1000)));
        mention.noise.push(Noise::DuplicateNominal);
    }
    if recording.role == Role::Suspect && random.chance(rates.ex_partner_only) {
        ex_partner_only(&mut mention);
    }
    mention
}

/// The suspect is only described: "ex-partner", nothing else to go on.
fn ex_partner_only(mention: &mut SimMention) {
    mention.forename = None;
    mention.surname = Some("ex-partner".into());
    mention.dob = None;
    mention.phone = None;
    mention.address = None;
    mention.postcode = None;
    mention.person_ref = None;
    mention.sex = Some(Sex::Unknown);
    mention.noise.clear();
    mention.noise.push(Noise::ExPartnerOnly);
}

/// The recording force's own id for the person; `copy` > 0 gives a duplicate record's id.
fn nominal_id(recording: &Recording, person: &Person, copy: u64) -> String {
    let key = person.key;
    let mut random = Random::stream(
        recording.seed,
        &[
            3,
            u64::from(key.force),
            key.kind as u64,
            key.index,
            copy,
            prefix_hash(recording.ref_prefix),
        ],
    );
    format!("{}-{:09}", recording.ref_prefix, random.below(1_000_000_000))
}

fn prefix_hash(prefix: &str) -> u64 {
    prefix
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(131).wrapping_add(u64::from(b)))
}

fn typo(random: &mut Random, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() < 3 {
        return text.to_string();
    }
    let at = 1 + random.below(chars.len() as u64 - 1) as usize;
    let letter = (b'a' + random.below(26) as u8) as char;
    match random.below(3) {
        0 => chars[at] = letter,
        1 => chars.insert(at, letter),
        _ => {
            chars.remove(at);
        }
    }
    chars.into_iter().collect()
}

fn transpose(random: &mut Random, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() < 3 {
        return text.to_string();
    }
    let at = 1 + random.below(chars.len() as u64 - 2) as usize;
    chars.swap(at, at + 1);
    chars.into_iter().collect()
}

/// Day and month exchanged, when that is still a real, different date.
fn swap_day_month(date: NaiveDate) -> Option<NaiveDate> {
    if date.day() == date.month() {
        return None;
    }
    NaiveDate::from_ymd_opt(date.year(), date.day(), date.month())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::people::{PersonKey, PersonKind, Window};

    #[test]
    fn clean_rates_record_the_person_as_they_are() {
        let window = Window {
            start: 1_700_000_000_000,
            end: 1_720_000_000_000,
        };
        let person = Person::generate(
            1,
            PersonKey {
                force: 40,
                kind: PersonKind::Victim,
                index: 1,
            },
            window,
        );
        let recording = Recording {
            at: window.start,
            role: Role::Victim,
            ref_prefix: "WMN",
            seed: 1,
        };
        let mut random = Random::stream(1, &[]);
        let mention = record(&mut random, &person, &recording, &NoiseRates::scaled(0.0));
        assert_eq!(mention.forename.as_deref(), Some(person.forename.as_str()));
        assert_eq!(mention.dob, Some(person.dob));
        assert!(mention.noise.iter().all(|n| *n == Noise::ChangedPhone));
    }

    #[test]
    fn noise_changes_what_it_says() {
        let mut random = Random::stream(2, &[]);
        assert_ne!(typo(&mut random, "Margaret"), "Margaret");
        assert_ne!(transpose(&mut random, "Margaret"), "Margaret");
        assert_eq!(
            swap_day_month(NaiveDate::from_ymd_opt(1990, 3, 7).unwrap()),
            NaiveDate::from_ymd_opt(1990, 7, 3)
        );
        assert_eq!(swap_day_month(NaiveDate::from_ymd_opt(1990, 3, 25).unwrap()), None);
    }
}
