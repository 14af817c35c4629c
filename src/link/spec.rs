//! The linkage spec: which columns are compared and how, which blocking rules
//! propose pairs, and the threshold. Read from TOML, or inferred from column
//! names as a user would hope (`infer`).

use serde::{Deserialize, Serialize};

/// How one column is compared; each kind has its own graded levels (see `compare.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A given name: exact, Jaro-Winkler bands, initial.
    Forename,
    /// A family name: exact, Jaro-Winkler bands.
    Surname,
    /// A whole name in one column: exact, same words in another order, shared words.
    FullName,
    /// A date of birth: exact, one digit off, day and month swapped, same year.
    Date,
    /// A postcode or zip: exact, one character off, same sector, same district.
    Postcode,
    /// A phone number: exact digits, same last six digits.
    Phone,
    /// An e-mail address: exact, same user part, close.
    Email,
    /// A street address: exact, Jaro-Winkler bands.
    Address,
    /// A town, city, suburb or place: exact, close.
    Place,
    /// Anything else: exact or not.
    Exact,
}

impl Kind {
    /// Whether a household usually shares the column's value (surname, address, postcode, landline, town).
    pub fn shared_by_a_household(self) -> bool {
        matches!(self, Kind::Surname | Kind::Address | Kind::Postcode | Kind::Phone)
    }

    /// Whether the column describes where someone lives now (address,
    /// postcode, town, phone): a move changes them together (`moves.rs`).
    pub fn moves_with_a_home(self) -> bool {
        matches!(self, Kind::Address | Kind::Postcode | Kind::Place | Kind::Phone)
    }

    /// Whether two members of one household usually differ on this column
    /// (a given name, a date of birth, a personal e-mail, an identifier),
    /// unlike a surname, an address, a postcode, a landline or a town.
    pub fn tells_relatives_apart(self) -> bool {
        matches!(
            self,
            Kind::Forename | Kind::FullName | Kind::Date | Kind::Email | Kind::Exact
        )
    }

    /// Whether an exact match on a rare value should count for more than on a common one.
    pub fn default_term_frequency(self) -> bool {
        matches!(
            self,
            Kind::Forename | Kind::Surname | Kind::FullName | Kind::Place | Kind::Exact
        )
    }
}

/// One compared column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    pub column: String,
    pub kind: Kind,
    /// Adjust the exact-match weight by how common the value is.
    #[serde(default)]
    pub term_frequency: bool,
}

/// Whether records are linked within one input or only across two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Dedupe,
    Link,
}

/// The whole spec. Blocking rules are written as `"surname & dob"` or
/// `"soundex(surname) & year(dob)"`; see `blocking.rs` for the functions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Pairs at or above this match probability are links.
    #[serde(default = "default_threshold")]
    pub threshold: f64,
    /// Blocks larger than this many records are skipped (with a warning naming the rule).
    #[serde(default = "default_max_block")]
    pub max_block: usize,
    /// A rule that would propose more pairs than this is skipped (with a
    /// warning naming it); default: 20 per record, at least 2 million.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pairs_per_rule: Option<u64>,
    #[serde(default)]
    pub blocking: Vec<String>,
    #[serde(default, rename = "comparison")]
    pub comparisons: Vec<Comparison>,
    /// Columns present in the input but deliberately not compared, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
}

/// A column of no other kind in which no value is held by more than this many records is taken for an identifier.
const IDENTIFIER_MAX_SHARED: usize = 20;

fn default_threshold() -> f64 {
    0.9
}

fn default_max_block() -> usize {
    2000
}

impl Spec {
    /// Reads a spec file; unknown keys are refused with the key named.
    pub fn load(path: &std::path::Path) -> Result<Spec, super::LinkError> {
        let bad = |reason: String| super::LinkError::BadSpec {
            path: path.to_path_buf(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        toml::from_str(&text).map_err(|e| bad(e.to_string()))
    }

    /// The spec for `columns` (id and truth columns already removed), inferred
    /// from their names; `commonest[i]` (records holding column i's most
    /// common value) marks identifier-like columns, which block on their own.
    pub fn infer(columns: &[String], commonest: &[usize]) -> Spec {
        let mut comparisons: Vec<Comparison> = columns
            .iter()
            .map(|column| {
                let kind = infer_kind(column);
                Comparison {
                    column: column.clone(),
                    kind,
                    term_frequency: kind.default_term_frequency(),
                }
            })
            .collect();
        let mut ignored = Vec::new();
        let has = |kind: Kind, list: &[Comparison]| list.iter().any(|c| c.kind == kind);
        if has(Kind::Forename, &comparisons) && has(Kind::Surname, &comparisons) {
            // A whole-name column beside separate forename and surname columns says the
            // same thing again; counting it would count the name twice.
            for c in comparisons.iter().filter(|c| c.kind == Kind::FullName) {
                ignored.push(format!("{}: repeats forename and surname", c.column));
            }
            comparisons.retain(|c| c.kind != Kind::FullName);
        }
        let identifiers: Vec<String> = comparisons
            .iter()
            .filter(|c| c.kind == Kind::Exact)
            .filter(|c| {
                columns
                    .iter()
                    .position(|n| *n == c.column)
                    .is_some_and(|i| (1..=IDENTIFIER_MAX_SHARED).contains(&commonest[i]))
            })
            .map(|c| c.column.clone())
            .collect();
        let mut blocking = infer_blocking(&comparisons);
        blocking.extend(identifiers);
        Spec {
            threshold: default_threshold(),
            max_block: default_max_block(),
            max_pairs_per_rule: None,
            blocking,
            comparisons,
            ignored,
        }
    }

    /// The spec as TOML, for `--spec-dump` and for a user to start editing from.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// The pair budget of one rule for `records` records.
    pub fn pair_budget(&self, records: usize) -> u64 {
        self.max_pairs_per_rule.unwrap_or((20 * records as u64).max(2_000_000))
    }
}

/// The comparison kind a column's name suggests.
pub fn infer_kind(column: &str) -> Kind {
    let name: String = column
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let is = |options: &[&str]| options.contains(&name.as_str());
    let has = |parts: &[&str]| parts.iter().any(|p| name.contains(p));
    if is(&[
        "forename",
        "forenames",
        "first_name",
        "firstname",
        "given_name",
        "givenname",
        "first",
    ]) {
        Kind::Forename
    } else if is(&["surname", "last_name", "lastname", "family_name", "familyname", "last"]) {
        Kind::Surname
    } else if is(&["name", "full_name", "fullname", "first_and_surname", "person_name"]) || has(&["full_name"]) {
        Kind::FullName
    } else if is(&["dob", "date_of_birth", "birth_date", "birthdate", "dateofbirth"]) || has(&["dob"]) {
        Kind::Date
    } else if has(&["postcode", "zip", "post_code"]) {
        Kind::Postcode
    } else if has(&["phone", "mobile", "telephone"]) {
        Kind::Phone
    } else if has(&["email", "e_mail"]) {
        Kind::Email
    } else if has(&["number", "_no"]) {
        Kind::Exact
    } else if has(&["address", "street"]) {
        Kind::Address
    } else if has(&["city", "town", "suburb", "place", "locality"]) {
        Kind::Place
    } else {
        Kind::Exact
    }
}

/// Default blocking: every pair of the identifying fields, single keys for
/// contact details, and error-tolerant keys (phonetic surname, initials, year).
fn infer_blocking(comparisons: &[Comparison]) -> Vec<String> {
    let first = |kind: Kind| comparisons.iter().find(|c| c.kind == kind).map(|c| c.column.clone());
    let forename = first(Kind::Forename);
    let surname = first(Kind::Surname);
    let full = first(Kind::FullName);
    let date = first(Kind::Date);
    let postcode = first(Kind::Postcode);
    let place = first(Kind::Place);
    let mut rules = Vec::new();
    for column in [first(Kind::Email), first(Kind::Phone)].into_iter().flatten() {
        rules.push(column);
    }
    let identifying: Vec<String> = [
        forename.clone(),
        surname.clone(),
        full.clone(),
        date.clone(),
        postcode.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (i, a) in identifying.iter().enumerate() {
        for b in &identifying[i + 1..] {
            rules.push(format!("{a} & {b}"));
        }
    }
    if let Some(place) = &place {
        for other in [&surname, &date, &full].into_iter().flatten() {
            rules.push(format!("{other} & {place}"));
        }
    }
    if let (Some(surname), Some(date)) = (&surname, &date) {
        rules.push(format!("soundex({surname}) & year({date})"));
    }
    for name in [&forename, &surname].into_iter().flatten() {
        for other in [&postcode, &place].into_iter().flatten() {
            rules.push(format!("soundex({name}) & {other}"));
        }
    }
    if let (Some(postcode), Some(place)) = (&postcode, &place) {
        rules.push(format!("{postcode} & {place}"));
    }
    if let (Some(forename), Some(surname)) = (&forename, &surname) {
        rules.push(format!("initial({forename}) & soundex({surname})"));
        rules.push(format!("soundex({forename}) & soundex({surname})"));
    }
    if let (Some(forename), Some(date)) = (&forename, &date) {
        rules.push(format!("soundex({forename}) & year({date})"));
    }
    if let Some(full) = &full {
        rules.push(format!("words({full})"));
        if forename.is_none() && surname.is_none() {
            rules.extend(full_name_rules(full, [&date, &postcode, &place]));
        }
    }
    if rules.is_empty() {
        rules = comparisons.iter().map(|c| c.column.clone()).collect();
    }
    rules
}

/// With only a whole-name column, its first and last words stand in for
/// forename and surname (titles, middle names and word order vary).
fn full_name_rules(full: &str, others: [&Option<String>; 3]) -> Vec<String> {
    let mut rules = vec![format!("first_word({full}) & last_word({full})")];
    for other in others.into_iter().flatten() {
        rules.push(format!("first_word({full}) & {other}"));
        rules.push(format!("last_word({full}) & {other}"));
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_recognised_by_their_usual_names() {
        assert_eq!(infer_kind("given_name"), Kind::Forename);
        assert_eq!(infer_kind("First Name"), Kind::Forename);
        assert_eq!(infer_kind("family_name"), Kind::Surname);
        assert_eq!(infer_kind("date_of_birth"), Kind::Date);
        assert_eq!(infer_kind("postcode_fake"), Kind::Postcode);
        assert_eq!(infer_kind("zip_code"), Kind::Postcode);
        assert_eq!(infer_kind("mobile"), Kind::Phone);
        assert_eq!(infer_kind("email"), Kind::Email);
        assert_eq!(infer_kind("address_1"), Kind::Address);
        assert_eq!(infer_kind("street_number"), Kind::Exact);
        assert_eq!(infer_kind("suburb"), Kind::Place);
        assert_eq!(infer_kind("birth_place"), Kind::Place);
        assert_eq!(infer_kind("occupation"), Kind::Exact);
        assert_eq!(infer_kind("full_name"), Kind::FullName);
    }

    #[test]
    fn a_full_name_beside_its_parts_is_not_counted_twice() {
        let columns: Vec<String> = ["full_name", "first_name", "surname", "dob"].map(String::from).to_vec();
        let spec = Spec::infer(&columns, &[100; 4]);
        assert!(spec.comparisons.iter().all(|c| c.kind != Kind::FullName));
        assert_eq!(spec.ignored.len(), 1);
        assert!(spec.blocking.contains(&"first_name & surname".to_string()));
    }

    #[test]
    fn a_whole_name_alone_blocks_on_its_first_and_last_words() {
        let columns: Vec<String> = ["full_name", "dob"].map(String::from).to_vec();
        let spec = Spec::infer(&columns, &[100; 2]);
        assert!(spec.comparisons.iter().any(|c| c.kind == Kind::FullName));
        for rule in [
            "first_word(full_name) & last_word(full_name)",
            "last_word(full_name) & dob",
        ] {
            assert!(
                spec.blocking.contains(&rule.to_string()),
                "{rule} in {:?}",
                spec.blocking
            );
        }
    }

    #[test]
    fn a_dumped_spec_reads_back_the_same() {
        let columns: Vec<String> = ["first_name", "surname", "dob", "city", "email"]
            .map(String::from)
            .to_vec();
        let spec = Spec::infer(&columns, &[100; 5]);
        let back: Spec = toml::from_str(&spec.to_toml()).unwrap();
        assert_eq!(back, spec);
    }
}
