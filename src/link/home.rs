//! What a household shares, counted once: surname, address, postcode, a
//! landline and town are shared by the members of a household, so agreeing
//! on several of them is not several independent pieces of evidence that two
//! records are one person (it is good evidence that they are one household). For every combination of two or more of them, u is measured as
//! it is for one column (how often two random records agree on all of it,
//! from the combined values' counts), and a pair agreeing exactly on several
//! counts each after the first by how often random pairs that agree on the
//! earlier ones agree on it too (the chain rule). Where the columns are
//! independent in the data (a postcode shared by many streets) this changes
//! little; where a household shares them all, the second and later count
//! almost nothing.

use polars::prelude::PlHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::blocking::PairScope;
use super::encode::{Field, MISSING};

/// u of exact agreement on a combination of columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Together {
    pub columns: Vec<String>,
    /// Bit `i` set for comparison `i`.
    pub mask: u16,
    pub u: f64,
}

/// The columns a household shares.
pub fn home_columns(fields: &[Field]) -> Vec<usize> {
    (0..fields.len())
        .filter(|&c| fields[c].kind.shared_by_a_household())
        .collect()
}

/// u of every combination of two or more of the columns a household shares.
pub fn joint_u(fields: &[Field], scope: PairScope) -> Vec<Together> {
    let home = home_columns(fields);
    let mut together = Vec::new();
    for subset in 1u32..(1 << home.len()) {
        if subset.count_ones() < 2 {
            continue;
        }
        let columns: Vec<usize> = (0..home.len())
            .filter(|&i| subset & (1 << i) != 0)
            .map(|i| home[i])
            .collect();
        together.push(Together {
            columns: columns.iter().map(|&c| fields[c].column.clone()).collect(),
            mask: columns.iter().fold(0u16, |m, &c| m | 1 << c),
            u: agreement(fields, &columns, scope).max(1e-12),
        });
    }
    together
}

/// The chance that two random records in scope, both with every column of
/// `columns`, agree on all of them.
fn agreement(fields: &[Field], columns: &[usize], scope: PairScope) -> f64 {
    let mut counts: HashMap<u64, [u64; 2]> = HashMap::default();
    for record in 0..scope.input.len() {
        let mut key = 0x9E37_79B9_7F4A_7C15u64;
        let mut present = true;
        for &c in columns {
            let value = fields[c].values[record];
            present &= value != MISSING;
            key = mix(key ^ u64::from(value));
        }
        if present {
            let side = if scope.across_only {
                scope.input[record].min(1) as usize
            } else {
                0
            };
            counts.entry(key).or_default()[side] += 1;
        }
    }
    let (same, pairs) = if scope.across_only {
        let totals = counts.values().fold([0u64; 2], |t, c| [t[0] + c[0], t[1] + c[1]]);
        let same: u64 = counts.values().map(|c| c[0] * c[1]).sum();
        (same as f64, totals[0] as f64 * totals[1] as f64)
    } else {
        let n: u64 = counts.values().map(|c| c[0]).sum();
        let same: u64 = counts.values().map(|c| c[0] * c[0].saturating_sub(1)).sum();
        (same as f64, n as f64 * n.saturating_sub(1) as f64)
    };
    if pairs == 0.0 {
        0.0
    } else {
        same / pairs
    }
}

/// A 64-bit mixer (splitmix64's finaliser).
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::spec::Kind;

    fn column(name: &str, kind: Kind, values: Vec<u32>) -> Field {
        let mut field = Field::exact_for_tests(name, values);
        field.kind = kind;
        field
    }

    #[test]
    fn columns_a_household_shares_agree_together_as_often_as_one_of_them_alone() {
        // 400 records in 100 households of 4: address and postcode are the household's.
        let households: Vec<u32> = (0..400).map(|r| r / 4).collect();
        // A town shared by 20 households, independent of which household.
        let towns: Vec<u32> = (0..400).map(|r| (r * 7919 % 400) / 20).collect();
        let fields = vec![
            column("address", Kind::Address, households.clone()),
            column("postcode", Kind::Postcode, households),
            column("phone", Kind::Phone, towns),
            column("dob", Kind::Date, (0..400).collect()),
        ];
        let input = vec![0u8; 400];
        let scope = PairScope {
            input: &input,
            across_only: false,
        };
        let together = joint_u(&fields, scope);
        assert_eq!(together.len(), 4, "three shared columns: three pairs and one triple");
        let u = |mask: u16| together.iter().find(|t| t.mask == mask).unwrap().u;
        let alone = agreement(&fields, &[0], scope);
        assert!((alone - 3.0 / 399.0).abs() < 1e-12);
        assert!(
            (u(0b011) - alone).abs() < 1e-12,
            "address and postcode together: no rarer than address"
        );
        let town = agreement(&fields, &[2], scope);
        assert!(
            u(0b101) < alone * town * 2.0,
            "address and an unrelated town: about the product"
        );
    }
}
