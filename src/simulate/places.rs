//! Addresses and postcodes inside a force's real postcode areas.

use super::forces::ForceProfile;
use crate::random::Random;

/// A home address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub line: String,
    pub postcode: String,
    pub urban: bool,
}

const STREETS: &[&str] = &[
    "Station",
    "Church",
    "Park",
    "High",
    "Victoria",
    "Green",
    "Manor",
    "Mill",
    "School",
    "Queens",
    "Kings",
    "New",
    "Grange",
    "Springfield",
    "Highfield",
    "Windsor",
    "Albert",
    "Chestnut",
    "Oak",
    "Willow",
    "Meadow",
    "Brook",
    "Orchard",
    "Cedar",
    "Beech",
    "York",
    "Hill",
    "North",
    "South",
    "West",
];
const SUFFIXES: &[&str] = &[
    "Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Crescent", "Grove", "Court",
];
const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// The main town of a postcode area, for address lines.
fn town(area: &str) -> &'static str {
    match area {
        "B" => "Birmingham",
        "CV" => "Coventry",
        "WS" => "Walsall",
        "WV" => "Wolverhampton",
        "DY" => "Dudley",
        "NE" => "Newcastle upon Tyne",
        "SR" => "Sunderland",
        "NN" => "Northampton",
        "LU" => "Luton",
        "MK" => "Bedford",
        "HU" => "Hull",
        "DN" => "Grimsby",
        _ => "",
    }
}

/// A random address in one of the force's postcode areas.
pub fn address(random: &mut Random, force: &ForceProfile) -> Address {
    let area = *random.pick(force.areas);
    let district = random.between(1, 30);
    let postcode = format!(
        "{area}{district} {}{}{}",
        random.between(1, 9),
        *random.pick(INWARD_LETTERS) as char,
        *random.pick(INWARD_LETTERS) as char
    );
    let number = random.between(1, 240);
    let street = random.pick(STREETS);
    let suffix = random.pick(SUFFIXES);
    let town = match town(area) {
        "" => force.name.split(' ').next().unwrap_or(force.name),
        name => name,
    };
    let flat = if random.chance(0.15) {
        format!("Flat {}, ", random.between(1, 12))
    } else {
        String::new()
    };
    Address {
        line: format!("{flat}{number} {street} {suffix}, {town}"),
        postcode,
        urban: random.chance(0.82),
    }
}

/// A UK mobile number in national format (`07xxx xxxxxx`).
pub fn mobile(random: &mut Random) -> String {
    format!("07{:03} {:06}", random.between(400, 999), random.below(1_000_000))
}

/// A UK landline in national format for the area (`01xxx xxxxxx`).
pub fn landline(random: &mut Random) -> String {
    format!("01{:03} {:06}", random.between(100, 999), random.below(1_000_000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::{normalise_postcode, to_e164};
    use crate::simulate::forces::pilot_forces;

    #[test]
    fn addresses_and_numbers_have_valid_shapes() {
        let mut r = Random::stream(5, &[]);
        for force in pilot_forces() {
            for _ in 0..200 {
                let a = address(&mut r, &force);
                let normal = normalise_postcode(&a.postcode).expect("a valid postcode");
                assert!(force.areas.iter().any(|area| {
                    normal.starts_with(area) && normal[area.len()..].starts_with(|c: char| c.is_ascii_digit())
                }));
                assert!(to_e164(&mobile(&mut r)).is_some());
                assert!(to_e164(&landline(&mut r)).is_some());
            }
        }
    }
}
