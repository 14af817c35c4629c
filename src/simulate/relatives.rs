//! A victim's relatives, named in her incidents as callers or witnesses: an
//! adult child (a son sometimes named after his father, the perpetrator), or
//! a sister or brother (sometimes a twin). They share her surname and home,
//! and sometimes the household's landline, so the linker must tell them
//! apart by given name and date of birth. Each is a pure function of the
//! seed, the victim and a slot.

use chrono::{Datelike, Duration};

use super::names::forename;
use super::people::{Person, PersonKey, PersonKind, Window};
use super::places::mobile;
use crate::random::Random;

/// The relative in `slot` (0 or 1) of the victim of dyad `victim`.
pub fn relative(seed: u64, victim: PersonKey, slot: u64, window: Window) -> Person {
    let mut random = Random::stream(seed, &[12, u64::from(victim.force), victim.index, slot]);
    let her = Person::generate(seed, victim, window);
    let partner = Person::generate(
        seed,
        PersonKey {
            kind: PersonKind::Perpetrator,
            ..victim
        },
        window,
    );
    let female = random.chance(0.5);
    let old_enough_for_an_adult_child = her.dob.year() < 1975;
    let dob = if old_enough_for_an_adult_child {
        her.dob + Duration::days(random.between(20 * 365, 30 * 365))
    } else if random.chance(0.2) {
        her.dob
    } else {
        her.dob + Duration::days(random.between(-8 * 365, 8 * 365))
    };
    let mut name = forename(&mut random, female);
    let fathers_namesake = old_enough_for_an_adult_child && !female && !partner.female && random.chance(0.3);
    if fathers_namesake {
        name = partner.forename.clone();
    }
    while name == her.forename {
        name = forename(&mut random, female);
    }
    let landline = her.phones[0].1.clone();
    let phone = if landline.starts_with("01") && random.chance(0.5) {
        landline
    } else {
        mobile(&mut random)
    };
    Person {
        key: PersonKey {
            force: victim.force,
            kind: PersonKind::Relative,
            index: victim.index * 2 + slot,
        },
        female,
        forename: name,
        surnames: vec![(i64::MIN, her.surnames[0].1.clone())],
        dob,
        phones: vec![(i64::MIN, phone)],
        addresses: her.addresses.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relatives_share_her_surname_and_home_and_include_twins_and_fathers_namesakes() {
        let window = Window {
            start: 1_700_000_000_000,
            end: 1_720_000_000_000,
        };
        let (mut twins, mut namesakes) = (0, 0);
        for index in 0..400 {
            let victim = PersonKey {
                force: 40,
                kind: PersonKind::Victim,
                index,
            };
            let her = Person::generate(9, victim, window);
            let partner = Person::generate(
                9,
                PersonKey {
                    kind: PersonKind::Perpetrator,
                    ..victim
                },
                window,
            );
            let relative = relative(9, victim, 0, window);
            assert_eq!(relative.surnames[0].1, her.surnames[0].1);
            assert_eq!(relative.addresses, her.addresses);
            assert_ne!(relative.forename, her.forename);
            twins += usize::from(relative.dob == her.dob);
            namesakes += usize::from(relative.forename == partner.forename && relative.dob != partner.dob);
        }
        assert!(twins > 5 && namesakes > 5, "{twins} twins, {namesakes} namesakes");
    }
}
