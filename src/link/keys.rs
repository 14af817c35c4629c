//! Blocking keys: each record's key under each rule, built from interned
//! value ids (no string hashing), and the same keys record by record for the
//! check of which rules agree on a pair.

use polars::prelude::PlHashMap;
use rayon::prelude::*;

use super::encode::{Field, MISSING};
use super::rule::{Rule, Transform};
use super::soundex::soundex;

/// A record's key under each rule (`None`: the record has a missing term).
pub struct Keys {
    pub per_rule: Vec<Vec<Option<u64>>>,
}

/// The keys of the rules in use, record by record (`NO_KEY` for none), so
/// that finding which rules agree on a pair reads two short rows.
pub struct KeyRows {
    rules: Vec<usize>,
    keys: Vec<u64>,
}

const NO_KEY: u64 = u64::MAX;

impl KeyRows {
    pub fn new(keys: &Keys, in_use: Vec<usize>) -> KeyRows {
        let records = keys.per_rule.first().map_or(0, Vec::len);
        let mut rows = Vec::with_capacity(records * in_use.len());
        for record in 0..records {
            rows.extend(in_use.iter().map(|&r| keys.per_rule[r][record].unwrap_or(NO_KEY)));
        }
        KeyRows {
            rules: in_use,
            keys: rows,
        }
    }

    /// A bit per rule (by its index in the spec) that gives `a` and `b` the same key.
    pub fn agreeing(&self, a: usize, b: usize) -> u32 {
        let width = self.rules.len();
        let (x, y) = (
            &self.keys[a * width..(a + 1) * width],
            &self.keys[b * width..(b + 1) * width],
        );
        let mut mask = 0;
        for ((&p, &q), &rule) in x.iter().zip(y).zip(&self.rules) {
            if p != NO_KEY && p == q {
                mask |= 1 << rule;
            }
        }
        mask
    }
}

impl Keys {
    pub fn build(rules: &[Rule], fields: &[Field]) -> Keys {
        let records = fields.first().map_or(0, |f| f.values.len());
        let per_rule = rules
            .par_iter()
            .map(|rule| {
                let transformed: Vec<Vec<u32>> = rule
                    .terms
                    .iter()
                    .map(|t| transformed_ids(&fields[t.field].pool, t.transform))
                    .collect();
                (0..records)
                    .map(|r| record_key(rule, fields, &transformed, r))
                    .collect()
            })
            .collect();
        Keys { per_rule }
    }
}

/// SplitMix64's finaliser: a bijection of u64 that scatters every input bit.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A record's key: its terms' transformed ids, the first two packed exactly,
/// any more mixed in (two different keys then collide with odds of about 2^-64).
fn record_key(rule: &Rule, fields: &[Field], transformed: &[Vec<u32>], record: usize) -> Option<u64> {
    let mut key: u64 = 0;
    for (i, (term, ids)) in rule.terms.iter().zip(transformed).enumerate() {
        let value = fields[term.field].values[record];
        if value == MISSING || ids[value as usize] == MISSING {
            return None;
        }
        let id = ids[value as usize] as u64;
        key = match i {
            0 => id,
            1 => (key << 32) | id,
            _ => mix(mix(key) ^ id),
        };
    }
    Some(key)
}

/// For each value of a pool, the id of its transformed text (`MISSING` when the transform leaves nothing).
fn transformed_ids(pool: &[String], transform: Transform) -> Vec<u32> {
    if transform == Transform::Value {
        return (0..pool.len() as u32).collect();
    }
    let mut ids: PlHashMap<String, u32> = PlHashMap::default();
    pool.iter()
        .map(|value| match transformed(value, transform) {
            Some(text) if !text.is_empty() => {
                let next = ids.len() as u32;
                *ids.entry(text).or_insert(next)
            }
            _ => MISSING,
        })
        .collect()
}

fn transformed(value: &str, transform: Transform) -> Option<String> {
    Some(match transform {
        Transform::Value => value.to_string(),
        Transform::Soundex => soundex(value)?,
        Transform::Initial => value.chars().next()?.to_string(),
        Transform::Year => value.get(..4)?.to_string(),
        Transform::Prefix3 => value.chars().take(3).collect(),
        Transform::FirstWord => value.split_whitespace().next()?.to_string(),
        Transform::LastWord => value.split_whitespace().next_back()?.to_string(),
        Transform::Words => {
            let mut words: Vec<&str> = value.split_whitespace().collect();
            words.sort_unstable();
            words.dedup();
            words.join(" ")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_three_terms_differ_whenever_a_term_differs() {
        // (5, 3, 0) and (6, 0, 0): 5 ^ 3 == 6 ^ 0, which once made them one block.
        let fields = vec![
            Field::exact_for_tests("a", vec![5, 6, 5]),
            Field::exact_for_tests("b", vec![3, 0, 3]),
            Field::exact_for_tests("c", vec![0, 0, 0]),
        ];
        let rule = Rule::parse("a & b & c", &fields).unwrap();
        let keys = Keys::build(&[rule], &fields);
        assert_ne!(keys.per_rule[0][0], keys.per_rule[0][1]);
        assert_eq!(keys.per_rule[0][0], keys.per_rule[0][2]);
    }

    #[test]
    fn transforms_take_the_part_of_a_value_they_name() {
        let name = "thomas clifford of chudleigh";
        assert_eq!(transformed(name, Transform::FirstWord).as_deref(), Some("thomas"));
        assert_eq!(transformed(name, Transform::LastWord).as_deref(), Some("chudleigh"));
        assert_eq!(transformed(name, Transform::Initial).as_deref(), Some("t"));
        assert_eq!(transformed(name, Transform::Prefix3).as_deref(), Some("tho"));
        assert_eq!(transformed("19560409", Transform::Year).as_deref(), Some("1956"));
        assert_eq!(
            transformed("smyth", Transform::Soundex),
            transformed("smith", Transform::Soundex)
        );
        assert_eq!(transformed("b a b", Transform::Words).as_deref(), Some("a b"));
    }

    #[test]
    fn a_record_missing_a_term_has_no_key() {
        let fields = vec![
            Field::exact_for_tests("a", vec![1, MISSING]),
            Field::exact_for_tests("b", vec![2, 2]),
        ];
        let rule = Rule::parse("a & b", &fields).unwrap();
        let keys = Keys::build(&[rule], &fields);
        assert!(keys.per_rule[0][0].is_some() && keys.per_rule[0][1].is_none());
    }
}
