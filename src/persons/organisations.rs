//! Names that are organisations (a shop, a school, a hotel, the council), not
//! people. A mention is an organisation when its name holds one of the
//! configured words or phrases (`[link] organisation_words`) as whole words;
//! such mentions are never linked into persons. Each organisation is the
//! force, the name and the place together, with an id derived from them, so
//! it is the same from one run to the next.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::tables::{creation_times, distinct, seen_span, PersonMention, Seen};
use crate::ingest::{Canonical, MentionRecord};

/// The words that mark a name as an organisation's when none are configured.
/// Words that are also common surnames (CHURCH, BANKS, PARK) are left out.
pub const DEFAULT_ORGANISATION_WORDS: &[&str] = &[
    "LTD",
    "LIMITED",
    "PLC",
    "LLP",
    "CIC",
    "& SONS",
    "COUNCIL",
    "CITY OF",
    "BOROUGH OF",
    "HOUSING ASSOCIATION",
    "NHS",
    "HOSPITAL",
    "SURGERY",
    "MEDICAL CENTRE",
    "HEALTH CENTRE",
    "PHARMACY",
    "CLINIC",
    "CARE HOME",
    "SCHOOL",
    "ACADEMY",
    "COLLEGE",
    "UNIVERSITY",
    "NURSERY",
    "HOTEL",
    "HOSTEL",
    "INN",
    "PUB",
    "SUPERMARKET",
    "STORES",
    "TESCO",
    "SAINSBURYS",
    "ASDA",
    "ALDI",
    "LIDL",
    "CO-OP",
    "POLICE",
    "AMBULANCE SERVICE",
    "FIRE SERVICE",
];

/// The configured words, each as its sequence of name tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationWords {
    phrases: Vec<Vec<String>>,
}

impl Default for OrganisationWords {
    fn default() -> Self {
        OrganisationWords::new(DEFAULT_ORGANISATION_WORDS.iter().copied())
    }
}

impl OrganisationWords {
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> OrganisationWords {
        let phrases = words
            .into_iter()
            .map(tokens)
            .filter(|phrase| !phrase.is_empty())
            .collect();
        OrganisationWords { phrases }
    }

    /// Whether a name (its parts in order, any of them missing) is an organisation's.
    pub fn names_one(&self, parts: &[Option<&str>]) -> bool {
        let name: Vec<String> = parts.iter().flatten().flat_map(|part| tokens(part)).collect();
        self.phrases
            .iter()
            .any(|phrase| name.windows(phrase.len()).any(|run| run == phrase.as_slice()))
    }
}

/// A name's words: upper case, split at anything but letters, digits, `&`
/// and `-`, apostrophes dropped (`Sainsbury's` is `SAINSBURYS`).
fn tokens(text: &str) -> Vec<String> {
    text.to_uppercase()
        .replace(['\'', '\u{2019}'], "")
        .split(|c: char| !(c.is_alphanumeric() || c == '&' || c == '-'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The organisation's name as grouped: its words, single-spaced.
pub fn organisation_name(parts: &[Option<&str>]) -> String {
    let words: Vec<String> = parts.iter().flatten().flat_map(|part| tokens(part)).collect();
    words.join(" ")
}

/// `O` and 12 hex digits of the SHA-256 of the force, name and place.
pub fn organisation_id(force: &str, name: &str, place: &str) -> String {
    let digest = Sha256::digest(format!("{force}\u{1f}{name}\u{1f}{place}").as_bytes());
    let hex: String = digest[..6].iter().map(|b| format!("{b:02X}")).collect();
    format!("O{hex}")
}

/// The mentions at `organisations` (positions in the canonical table), each
/// with its organisation: the force, the name and the place.
pub fn organisation_mentions(canonical: &Canonical, ids: &[String], organisations: &[usize]) -> Vec<PersonMention> {
    let created = creation_times(canonical);
    organisations
        .par_iter()
        .map(|&i| {
            let mention = &canonical.mentions[i];
            let m = &mention.record;
            let force = canonical.force_of(mention);
            let name = organisation_name(&[m.forename.as_deref(), m.surname.as_deref()]);
            let place = place_of(m);
            PersonMention {
                mention_id: ids[i].clone(),
                mention: i,
                force: force.to_string(),
                incident_ref: m.incident_ref.to_string(),
                role: m.role.canonical().unwrap_or("").to_string(),
                person_id: String::new(),
                organisation_id: organisation_id(force, &name, place),
                match_probability: None,
                at: created.get(&(force, m.incident_ref.as_str())).copied(),
            }
        })
        .collect()
}

/// An organisation and what is known of it.
#[derive(Debug, Clone)]
pub struct Organisation {
    pub organisation_id: String,
    pub name: String,
    pub place: String,
    pub mentions: usize,
    pub incidents: usize,
    pub forces: Vec<String>,
    pub first_seen: Option<Seen>,
    pub last_seen: Option<Seen>,
}

/// The organisations of the mentions, by id.
pub fn organisations(canonical: &Canonical, mentions: &[PersonMention]) -> Vec<Organisation> {
    let mut by_id: BTreeMap<&str, Vec<&PersonMention>> = BTreeMap::new();
    for m in mentions.iter().filter(|m| !m.organisation_id.is_empty()) {
        by_id.entry(&m.organisation_id).or_default().push(m);
    }
    by_id
        .into_iter()
        .map(|(id, list)| {
            let record = &canonical.mentions[list[0].mention].record;
            let incidents: BTreeSet<(&str, &str)> = list
                .iter()
                .map(|m| (m.force.as_str(), m.incident_ref.as_str()))
                .collect();
            let (first_seen, last_seen) = seen_span(list.iter().copied());
            Organisation {
                organisation_id: id.to_string(),
                name: organisation_name(&[record.forename.as_deref(), record.surname.as_deref()]),
                place: place_of(record).to_string(),
                mentions: list.len(),
                incidents: incidents.len(),
                forces: distinct(list.iter().map(|m| m.force.as_str())),
                first_seen,
                last_seen,
            }
        })
        .collect()
}

/// Where an organisation is: its postcode, else its address, else nowhere recorded.
fn place_of(m: &MentionRecord) -> &str {
    m.postcode.as_deref().or(m.address.as_deref()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_words_match_whole_words_and_phrases_in_either_part_of_a_name() {
        let words = OrganisationWords::default();
        assert!(words.names_one(&[None, Some("Tesco Express")]));
        assert!(words.names_one(&[Some("St Mary's Primary"), Some("School")]));
        assert!(words.names_one(&[Some("Birmingham City"), Some("Council")]));
        assert!(words.names_one(&[None, Some("City of Wolverhampton")]));
        assert!(words.names_one(&[None, Some("Sainsbury's Supermarkets Ltd.")]));
        assert!(words.names_one(&[Some("PREMIER"), Some("INN")]));
        // A word inside another word, or a common surname, is not an organisation.
        assert!(!words.names_one(&[Some("Lynn"), Some("Schoolcraft")]));
        assert!(!words.names_one(&[Some("Charlotte"), Some("Church")]));
        assert!(!words.names_one(&[Some("Mary"), Some("City")]));
        assert!(!words.names_one(&[None, None]));
        let own = OrganisationWords::new(["Parish Church", "salon"]);
        assert!(own.names_one(&[None, Some("St John's PARISH church")]));
        assert!(own.names_one(&[Some("Hair"), Some("Salon")]));
        assert!(!own.names_one(&[None, Some("Tesco Express")]));
    }

    #[test]
    fn an_organisations_id_is_its_force_name_and_place() {
        let id = organisation_id("WM", "TESCO EXPRESS", "B1 1AA");
        assert_eq!(id, organisation_id("WM", "TESCO EXPRESS", "B1 1AA"));
        assert_ne!(id, organisation_id("WM", "TESCO EXPRESS", "B2 2BB"));
        assert_ne!(id, organisation_id("NB", "TESCO EXPRESS", "B1 1AA"));
        assert!(id.starts_with('O') && id.len() == 13);
        assert_eq!(
            organisation_name(&[Some("St Mary's"), Some("school ")]),
            "ST MARYS SCHOOL"
        );
    }
}
