//! Blocking rules: `"soundex(surname) & year(dob)"` parsed against the
//! compared columns. Functions: `soundex(c)`, `initial(c)` (first letter),
//! `year(c)` (first four characters of a date), `words(c)` (the distinct
//! words, sorted), `prefix3(c)` (first three characters), `first_word(c)`,
//! `last_word(c)`.

use super::encode::Field;
use super::LinkError;

/// How a column's value becomes part of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    Value,
    Soundex,
    Initial,
    Year,
    Words,
    Prefix3,
    FirstWord,
    LastWord,
}

/// One term of a rule: a transform of one compared column.
#[derive(Debug, Clone)]
pub struct Term {
    pub field: usize,
    pub transform: Transform,
}

/// A parsed blocking rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub text: String,
    pub terms: Vec<Term>,
}

impl Rule {
    /// Parses `"soundex(surname) & year(dob)"` against the compared columns.
    pub fn parse(text: &str, fields: &[Field]) -> Result<Rule, LinkError> {
        let bad = |reason: String| LinkError::BadRule {
            rule: text.to_string(),
            reason,
        };
        let mut terms = Vec::new();
        for part in text.split('&').map(str::trim) {
            let (transform, column) = match part.split_once('(') {
                Some((name, rest)) => {
                    let column = rest
                        .strip_suffix(')')
                        .ok_or_else(|| bad(format!("`{part}` lacks its `)`")))?;
                    (
                        transform_named(name.trim()).ok_or_else(|| bad(format!("no function `{name}`")))?,
                        column.trim(),
                    )
                }
                None => (Transform::Value, part),
            };
            let field = fields
                .iter()
                .position(|f| f.column == column)
                .ok_or_else(|| bad(format!("`{column}` is not a compared column")))?;
            terms.push(Term { field, transform });
        }
        Ok(Rule {
            text: text.to_string(),
            terms,
        })
    }

    /// The columns this rule's keys are made of.
    pub fn fields(&self) -> impl Iterator<Item = usize> + '_ {
        self.terms.iter().map(|t| t.field)
    }
}

fn transform_named(name: &str) -> Option<Transform> {
    Some(match name {
        "soundex" => Transform::Soundex,
        "initial" => Transform::Initial,
        "year" => Transform::Year,
        "words" => Transform::Words,
        "prefix3" => Transform::Prefix3,
        "first_word" => Transform::FirstWord,
        "last_word" => Transform::LastWord,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_columns_and_functions_are_refused() {
        let fields = vec![Field::exact_for_tests("a", vec![1])];
        assert!(Rule::parse("nope", &fields).is_err());
        assert!(Rule::parse("metaphone(a)", &fields).is_err());
        assert!(Rule::parse("soundex(a", &fields).is_err());
    }
}
