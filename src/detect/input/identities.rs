//! Who each linked person is on the record (name and date of birth, from
//! the link stage's `persons.csv`), so a rule that counts *different*
//! people can tell two people from one person the linker left in two
//! pieces: two perpetrators of one victim count as two only when their
//! records show different people.

use std::path::Path;

use crate::detect::DetectError;

/// A person's name and date of birth as the linker kept them, lower-case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub forename: String,
    pub surname: String,
    pub dob: String,
}

impl Identity {
    pub fn new(forename: &str, surname: &str, dob: &str) -> Identity {
        Identity {
            forename: forename.trim().to_lowercase(),
            surname: surname.trim().to_lowercase(),
            dob: dob.trim().to_string(),
        }
    }

    /// Why the records show two different people (`different dates of
    /// birth`, `different names`), or `None` where they may be one person:
    /// the same name either way round, a shared surname or forename (a
    /// nickname, a typo), or too little recorded to tell (a description
    /// such as "ex-partner" in place of a name).
    pub fn different_from(&self, other: &Identity) -> Option<&'static str> {
        if !self.dob.is_empty() && !other.dob.is_empty() && self.dob != other.dob {
            return Some("different dates of birth");
        }
        let named = |id: &Identity| !id.forename.is_empty() && !id.surname.is_empty();
        let shares_a_name = [&self.forename, &self.surname]
            .iter()
            .any(|name| *name == &other.forename || *name == &other.surname);
        (named(self) && named(other) && !shares_a_name).then_some("different names")
    }
}

/// Each person id's identity, from `persons.csv` (none where the file is absent).
pub fn read(linked: &Path) -> Result<Vec<(String, Identity)>, DetectError> {
    let path = linked.join("persons.csv");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let fail = |reason: String| DetectError::Table {
        path: path.clone(),
        reason,
    };
    let mut reader = csv::Reader::from_path(&path).map_err(|e| fail(e.to_string()))?;
    let headers = reader.headers().map_err(|e| fail(e.to_string()))?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| fail(format!("no `{name}` column")))
    };
    let [id, forename, surname, dob] = [
        column("person_id")?,
        column("forename")?,
        column("surname")?,
        column("dob")?,
    ];
    let mut identities = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| fail(format!("line {}: {e}", n + 2)))?;
        let field = |c: usize| record.get(c).unwrap_or("");
        identities.push((
            field(id).to_string(),
            Identity::new(field(forename), field(surname), field(dob)),
        ));
    }
    Ok(identities)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_records_are_different_people_only_when_they_show_it() {
        let id = Identity::new;
        let different = |a: Identity, b: Identity| a.different_from(&b);
        assert_eq!(
            different(id("Ann", "Lee", "1990-01-01"), id("Ann", "Lee", "1991-01-01")),
            Some("different dates of birth")
        );
        assert_eq!(
            different(id("Ann", "Lee", ""), id("Bea", "Khan", "")),
            Some("different names")
        );
        assert_eq!(
            different(id("George", "Simpson", ""), id("Simpson", "GEORGE", "1996-08-07")),
            None
        );
        assert_eq!(
            different(id("Bob", "Reid", "1994-05-17"), id("Robert", "Reid", "")),
            None
        );
        assert_eq!(different(id("", "ex-partner", ""), id("Connor", "Hodgson", "")), None);
    }
}
