//! A file of person records drawn from households, for measuring a linker
//! where relatives look alike: partners sharing a surname, an address and a
//! landline; parents and adult children; a father and son of the same name;
//! twins; siblings. Each person is recorded one or more times with the errors
//! records carry, and some records come in documents that name several
//! members of one household at once (as an incident names its victim and
//! suspect): records of one document are different people.
//!
//! Columns: `id, first_name, surname, dob, address, postcode, phone,
//! document, cluster` (`cluster`: the true person; `household`-level truth is
//! in the id of the person, `h<household>p<member>`).

use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate};

use super::names::{forename, nickname, surname, variant};
use crate::random::Random;

/// One member of a household.
#[derive(Debug, Clone)]
struct Member {
    female: bool,
    forename: String,
    surname: String,
    dob: NaiveDate,
    phone: String,
}

/// A household: its members and their shared home.
#[derive(Debug, Clone)]
struct Household {
    members: Vec<Member>,
    address: String,
    postcode: String,
}

/// The relations a household can hold, for a caller who wants to count them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HouseholdCounts {
    pub households: usize,
    pub people: usize,
    pub records: usize,
    pub couples_sharing_surname: usize,
    pub twins: usize,
    pub namesakes: usize,
}

const STREETS: &[&str] = &[
    "Station Road",
    "Church Lane",
    "Park Avenue",
    "High Street",
    "Victoria Road",
    "Green Lane",
    "Manor Close",
    "Mill Lane",
    "Queens Drive",
    "Kings Road",
    "Grange Way",
    "Springfield Crescent",
    "Oak Grove",
    "Willow Court",
    "Meadow View",
];
const AREAS: &[&str] = &["B", "CV", "WS", "NE", "SR", "NN", "LU", "HU", "DN", "LS"];
const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// Writes about `people` people, in households, as CSV text; returns it with the counts.
pub fn household_file(people: usize, seed: u64) -> (String, HouseholdCounts) {
    let mut random = Random::stream(seed, &[0x40_05E]);
    let mut text = String::from("id,first_name,surname,dob,address,postcode,phone,document,cluster\n");
    let mut counts = HouseholdCounts::default();
    let mut record_id = 0u64;
    let mut document = 0u64;
    while counts.people < people {
        let household = household(&mut random, &mut counts);
        let h = counts.households;
        counts.households += 1;
        counts.people += household.members.len();
        let mut line = |random: &mut Random, member: usize, document: u64| {
            let fields = recorded(random, &household, &household.members[member]);
            let _ = writeln!(text, "r{record_id},{},d{document},h{h}p{member}", fields.join(","));
            record_id += 1;
        };
        for member in 0..household.members.len() {
            let records = 1 + random.below(3) as usize * usize::from(random.chance(0.6));
            for _ in 0..records {
                line(&mut random, member, document);
                document += 1;
            }
        }
        // Documents naming two or three members at once (an incident's victim and suspect).
        if household.members.len() >= 2 && random.chance(0.5) {
            for _ in 0..1 + random.below(2) {
                let first = random.below(household.members.len() as u64) as usize;
                let second =
                    (first + 1 + random.below(household.members.len() as u64 - 1) as usize) % household.members.len();
                line(&mut random, first, document);
                line(&mut random, second, document);
                document += 1;
            }
        }
    }
    counts.records = record_id as usize;
    (text, counts)
}

fn household(random: &mut Random, counts: &mut HouseholdCounts) -> Household {
    let family = surname(random);
    let area = random.pick(AREAS);
    let postcode = format!(
        "{area}{} {}{}{}",
        random.between(1, 30),
        random.between(1, 9),
        *random.pick(LETTERS) as char,
        *random.pick(LETTERS) as char
    );
    let address = format!("{} {}", random.between(1, 240), random.pick(STREETS));
    let landline = random
        .chance(0.6)
        .then(|| format!("01{:03} {:06}", random.between(100, 999), random.below(1_000_000)));
    let phone = |random: &mut Random| match &landline {
        Some(l) if random.chance(0.5) => l.clone(),
        _ => format!("07{:03} {:06}", random.between(400, 999), random.below(1_000_000)),
    };
    let first_female = random.chance(0.5);
    let first_born = date(1945 + random.below(55) as i32, random);
    let mut members = vec![Member {
        female: first_female,
        forename: forename(random, first_female),
        surname: family.clone(),
        dob: first_born,
        phone: phone(random),
    }];
    let size = [1, 2, 2, 3, 4, 5][random.weighted(&[0.3, 0.2, 0.15, 0.18, 0.12, 0.05])];
    if size >= 2 {
        let female = !first_female;
        let shares = random.chance(0.65);
        counts.couples_sharing_surname += usize::from(shares);
        members.push(Member {
            female,
            forename: forename(random, female),
            surname: if shares { family.clone() } else { surname(random) },
            dob: first_born + Duration::days(random.between(-2500, 2500)),
            phone: phone(random),
        });
    }
    let father = members.iter().position(|m| !m.female);
    let youngest_parent = members.iter().map(|m| m.dob).max().unwrap_or(first_born);
    let mut children: Vec<Member> = Vec::new();
    while members.len() + children.len() < size {
        let female = random.chance(0.5);
        let born = youngest_parent + Duration::days(random.between(20 * 365, 32 * 365));
        let born = born.min(date(2006, random));
        let mut child = Member {
            female,
            forename: forename(random, female),
            surname: family.clone(),
            dob: born,
            phone: phone(random),
        };
        if let Some(previous) = children.last() {
            if random.chance(0.25) {
                child.dob = previous.dob;
                counts.twins += 1;
                while child.forename == previous.forename {
                    child.forename = forename(random, child.female);
                }
            }
        }
        if let Some(f) = father.filter(|_| !female && random.chance(0.2)) {
            child.forename = members[f].forename.clone();
            child.female = false;
            counts.namesakes += 1;
        }
        children.push(child);
    }
    members.extend(children);
    Household {
        members,
        address,
        postcode,
    }
}

/// A date in `year` (or a later one, for a child) on a random day.
fn date(year: i32, random: &mut Random) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, random.between(1, 12) as u32, random.between(1, 28) as u32).unwrap_or(NaiveDate::MIN)
}

/// One record of `member`, with the errors records carry.
fn recorded(random: &mut Random, household: &Household, member: &Member) -> [String; 6] {
    let mut first = member.forename.clone();
    if random.chance(0.07) {
        first = nickname(random, &first)
            .or_else(|| variant(random, &first))
            .unwrap_or(first);
    } else if random.chance(0.05) {
        first = typo(random, &first);
    }
    let mut last = member.surname.clone();
    if random.chance(0.06) {
        last = typo(random, &last);
    }
    let dob = match random.below(100) {
        0..=2 => swapped(member.dob),
        3..=5 => member
            .dob
            .with_year(member.dob.year() + [-1, 1, -10, 10][random.below(4) as usize]),
        6..=13 => None,
        _ => Some(member.dob),
    };
    let mut postcode = household.postcode.clone();
    if random.chance(0.04) {
        postcode = typo(random, &postcode);
    }
    let blank =
        |random: &mut Random, share: f64, value: String| if random.chance(share) { String::new() } else { value };
    [
        blank(random, 0.02, first),
        blank(random, 0.01, last),
        dob.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        blank(random, 0.1, household.address.clone()),
        blank(random, 0.08, postcode),
        blank(random, 0.3, member.phone.clone()),
    ]
}

fn swapped(date: NaiveDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(date.year(), date.day(), date.month()).or(Some(date))
}

fn typo(random: &mut Random, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() < 3 {
        return text.to_string();
    }
    let at = 1 + random.below(chars.len() as u64 - 2) as usize;
    match random.below(3) {
        0 => chars.swap(at, at + 1),
        1 => {
            chars.remove(at);
        }
        _ => chars[at] = (b'a' + random.below(26) as u8) as char,
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn households_hold_the_hard_relations_and_every_person_is_recorded() {
        let (text, counts) = household_file(3000, 7);
        assert!(counts.people >= 3000 && counts.households < counts.people);
        assert!(counts.couples_sharing_surname > 100, "{counts:?}");
        assert!(counts.twins > 5 && counts.namesakes > 5, "{counts:?}");
        assert_eq!(text.lines().count(), counts.records + 1);
        let people: std::collections::HashSet<&str> =
            text.lines().skip(1).filter_map(|l| l.rsplit(',').next()).collect();
        assert_eq!(people.len(), counts.people);
        assert_eq!(household_file(3000, 7).0, text, "the same seed gives the same file");
    }
}
