//! Organisations that report a domestic incident: a shop, a school, a hotel,
//! a hospital, the council. Each force has a few dozen, each at its own
//! postcode with its own landline; one named as the caller is recorded by
//! name only (no given name, no date of birth), so the linker must keep it
//! out of the persons. Each is a pure function of the seed, the force and
//! its number.

use super::events::SimMention;
use super::forces::ALL_FORCES;
use super::people::{PersonKey, PersonKind};
use super::places::{address, landline};
use crate::random::Random;
use crate::schema::Role;

/// Organisations per force.
pub const PER_FORCE: u64 = 40;

/// Name patterns (`{}` is a place's name, `{saint}` a saint's), each caught by the default organisation words.
const NAMES: &[&str] = &[
    "Tesco Express",
    "Co-op Food",
    "Aldi Stores Ltd",
    "Premier Inn {}",
    "{} Park Hotel",
    "St {saint}'s Primary School",
    "{} Academy",
    "{} College",
    "{} City Council",
    "City of {} Council",
    "{} General Hospital",
    "{} Medical Centre",
    "{} Pharmacy",
    "{} & Sons Ltd",
    "{} Housing Association",
    "The {} Inn",
];

const PLACE_WORDS: &[&str] = &[
    "Oak",
    "Victoria",
    "Kings",
    "Riverside",
    "Highfield",
    "Meadow",
    "Albert",
    "Castle",
    "Station",
];

const SAINTS: &[&str] = &["Mary", "John", "Peter", "Anne", "George", "Andrew", "Margaret"];

/// Organisation `index` (below [`PER_FORCE`]) of force `force`, named as the caller of an incident.
pub fn organisation_caller(seed: u64, force: u16, index: u64) -> SimMention {
    let mut random = Random::stream(seed, &[14, u64::from(force), index]);
    let pattern = *random.pick(NAMES);
    let (saint, place_word) = (*random.pick(SAINTS), *random.pick(PLACE_WORDS));
    let name = pattern.replace("{saint}", saint).replace("{}", place_word);
    let place = address(&mut random, &ALL_FORCES[usize::from(force)]);
    SimMention {
        role: Role::Caller,
        person: PersonKey {
            force,
            kind: PersonKind::Organisation,
            index,
        },
        person_ref: None,
        forename: None,
        surname: Some(if random.chance(0.5) { name.to_uppercase() } else { name }),
        dob: None,
        phone: Some(landline(&mut random)),
        address: Some(place.line),
        postcode: Some(place.postcode),
        sex: None,
        noise: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persons::OrganisationWords;

    #[test]
    fn every_simulated_organisation_is_named_as_one_and_stays_the_same() {
        let words = OrganisationWords::default();
        for index in 0..PER_FORCE {
            let caller = organisation_caller(7, 3, index);
            assert!(words.names_one(&[caller.forename.as_deref(), caller.surname.as_deref()]));
            assert_eq!(caller.dob, None);
            assert_eq!(caller.postcode, organisation_caller(7, 3, index).postcode);
            assert_eq!(caller.person.true_id(), format!("T03O{index:07}"));
        }
    }
}
