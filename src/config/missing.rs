//! The texts an export writes for a missing value. Real exports write `NULL`,
//! `N/A`, `-` and the like where a value is absent; read as values, they
//! quarantine rows (a `NULL` arrival time is not a bad timestamp, it is a
//! call nobody attended) or pass as names. An export may add to the default
//! set or replace it (`missing_values = [...]`); a value is missing when,
//! trimmed, it is empty or equals one of them, ignoring case.

use serde::{Deserialize, Serialize};

/// What most exports write for "no value".
pub const DEFAULT_MISSING_VALUES: [&str; 6] = ["NULL", "(null)", "N/A", "#N/A", "NA", "-"];

/// The missing-value texts of one export, as configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MissingValuesSpec {
    /// Exactly these texts (the defaults are replaced).
    Replace(Vec<String>),
    /// The defaults and these: `{ add = ["UNK"] }`.
    Add { add: Vec<String> },
}

/// The compiled set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingValues {
    tokens: Vec<String>,
    /// The longest token, in bytes: longer values are never compared.
    longest: usize,
}

impl Default for MissingValues {
    fn default() -> Self {
        MissingValues::new(DEFAULT_MISSING_VALUES.iter().map(|t| t.to_string()))
    }
}

impl MissingValues {
    fn new(tokens: impl IntoIterator<Item = String>) -> MissingValues {
        let tokens: Vec<String> = tokens
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        let longest = tokens.iter().map(String::len).max().unwrap_or(0);
        MissingValues { tokens, longest }
    }

    /// The set an export's configuration asks for.
    pub fn configured(spec: Option<&MissingValuesSpec>) -> MissingValues {
        match spec {
            None => MissingValues::default(),
            Some(MissingValuesSpec::Replace(tokens)) => MissingValues::new(tokens.iter().cloned()),
            Some(MissingValuesSpec::Add { add }) => MissingValues::new(
                DEFAULT_MISSING_VALUES
                    .iter()
                    .map(|t| t.to_string())
                    .chain(add.iter().cloned()),
            ),
        }
    }

    /// Whether the trimmed, non-empty `value` stands for a missing value.
    pub fn matches(&self, value: &str) -> bool {
        value.len() <= self.longest && self.tokens.iter().any(|t| t.eq_ignore_ascii_case(value))
    }

    /// The texts, as configured.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_tokens_match_in_any_case_and_nothing_else_does() {
        let missing = MissingValues::default();
        for token in ["NULL", "null", "Null", "(null)", "N/A", "n/a", "#N/A", "NA", "na", "-"] {
            assert!(missing.matches(token), "{token}");
        }
        for value in ["Nadia", "N/A2", "--", "0", "NULLS", "Smith", "-1", "None"] {
            assert!(!missing.matches(value), "{value}");
        }
    }

    #[test]
    fn an_export_may_replace_or_add_to_the_defaults() {
        let replaced = MissingValues::configured(Some(&MissingValuesSpec::Replace(vec!["UNK".into()])));
        assert!(replaced.matches("unk") && !replaced.matches("NULL"));
        let added = MissingValues::configured(Some(&MissingValuesSpec::Add {
            add: vec!["UNK".into()],
        }));
        assert!(added.matches("unk") && added.matches("NULL"));
        let none = MissingValues::configured(Some(&MissingValuesSpec::Replace(Vec::new())));
        assert!(!none.matches("NULL") && !none.matches("-"));
    }
}
