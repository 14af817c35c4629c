//! Who each linked person is on the record (name, date of birth and the
//! forces' own references, from the link stage's `persons.csv`): so a rule
//! that counts *different* people can tell two people from one person the
//! linker left in two pieces (two perpetrators of one victim count as two
//! only when their records show different people), and so a force's own
//! packs can name the people on their lists.

use std::path::Path;

use crate::detect::DetectError;

/// A person's name (its commonest spelling) and date of birth as the
/// linker kept them, and each force's references for them (`force:ref`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub forename: String,
    pub surname: String,
    pub dob: String,
    pub person_refs: Vec<String>,
}

impl Identity {
    pub fn new(forename: &str, surname: &str, dob: &str) -> Identity {
        Identity {
            forename: forename.trim().to_string(),
            surname: surname.trim().to_string(),
            dob: dob.trim().to_string(),
            person_refs: Vec::new(),
        }
    }

    /// `Forename SURNAME`, or what there is of it.
    pub fn name(&self) -> String {
        let surname = self.surname.to_uppercase();
        match (self.forename.is_empty(), surname.is_empty()) {
            (false, false) => format!("{} {surname}", self.forename),
            (false, true) => self.forename.clone(),
            _ => surname,
        }
    }

    /// The references `force` has for the person, without the force.
    pub fn refs_of<'a>(&'a self, force: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.person_refs
            .iter()
            .filter_map(move |r| r.strip_prefix(force)?.strip_prefix(':'))
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
        let names = |id: &Identity| [id.forename.to_lowercase(), id.surname.to_lowercase()];
        let (mine, theirs) = (names(self), names(other));
        let named = |names: &[String; 2]| names.iter().all(|n| !n.is_empty());
        let shares_a_name = mine.iter().any(|name| theirs.contains(name));
        (named(&mine) && named(&theirs) && !shares_a_name).then_some("different names")
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
    // Older runs wrote no references.
    let refs = headers.iter().position(|h| h == "person_refs");
    let mut identities = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| fail(format!("line {}: {e}", n + 2)))?;
        let field = |c: usize| record.get(c).unwrap_or("");
        let mut identity = Identity::new(field(forename), field(surname), field(dob));
        identity.person_refs = refs
            .map(field)
            .into_iter()
            .flat_map(|list| list.split(';'))
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        identities.push((field(id).to_string(), identity));
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
        assert_eq!(id("Ann", "Lee", "").name(), "Ann LEE");
        let mut refs = id("", "Lee", "");
        refs.person_refs = vec!["wm:N1".into(), "nb:9".into(), "wm:N2".into()];
        assert_eq!(refs.refs_of("wm").collect::<Vec<_>>(), ["N1", "N2"]);
        assert_eq!(refs.name(), "LEE");
    }
}
