//! A force's code tables: its raw codes mapped onto the canonical vocabulary.
//!
//! Raw codes match after trimming and ignoring case. A raw code missing from a
//! table is not an error: the row keeps it, the canonical column says
//! `UNKNOWN`, and `data_quality.csv` counts it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::normalise::trimmed;
use crate::schema::{Area, Category, Channel, Grade, Outcome, Referral, RiskLevel, RiskTool, Role, Sex};

/// Raw code → canonical value, matched case-insensitively.
///
/// Written and read as a plain map. Every row looks up several codes, so
/// short codes (most are: `G1`, `DOM`, `999`) are also held packed into one
/// number each and found by comparing numbers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(
    from = "BTreeMap<String, T>",
    into = "BTreeMap<String, T>",
    bound(serialize = "T: Clone + Serialize", deserialize = "T: Copy + Deserialize<'de>")
)]
pub struct CodeTable<T> {
    entries: BTreeMap<String, T>,
    /// The entries whose codes are short enough to pack, for [`CodeTable::lookup`].
    short: Vec<(u128, T)>,
}

impl<T: Copy> From<BTreeMap<String, T>> for CodeTable<T> {
    fn from(entries: BTreeMap<String, T>) -> Self {
        let short = entries
            .iter()
            .filter_map(|(raw, value)| Some((packed(raw)?, *value)))
            .collect();
        CodeTable { entries, short }
    }
}

impl<T> From<CodeTable<T>> for BTreeMap<String, T> {
    fn from(table: CodeTable<T>) -> Self {
        table.entries
    }
}

impl<T: PartialEq> PartialEq for CodeTable<T> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<T> Default for CodeTable<T> {
    fn default() -> Self {
        CodeTable {
            entries: BTreeMap::new(),
            short: Vec::new(),
        }
    }
}

impl<T: Copy> CodeTable<T> {
    /// Upper-cases the keys; fails naming the key when two differ only in case.
    pub fn normalised(self) -> Result<CodeTable<T>, String> {
        let mut entries = BTreeMap::new();
        for (raw, value) in self.entries {
            let key = raw.trim().to_uppercase();
            if entries.insert(key.clone(), value).is_some() {
                return Err(format!(
                    "the code `{key}` is listed twice (codes ignore case and spaces)"
                ));
            }
        }
        Ok(CodeTable::from(entries))
    }

    /// The canonical value for a raw code, if the table knows it.
    pub fn lookup(&self, raw: &str) -> Option<T> {
        let trimmed = trimmed(raw);
        let exact = match packed(trimmed) {
            Some(key) => self.short.iter().find(|(k, _)| *k == key).map(|(_, value)| value),
            None => self.entries.get(trimmed),
        };
        if let Some(value) = exact {
            return Some(*value);
        }
        if trimmed.is_ascii() {
            // Keys are upper case: an ASCII code matches without building an upper-case copy.
            return self
                .entries
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(trimmed))
                .map(|(_, value)| *value);
        }
        self.entries.get(&trimmed.to_uppercase()).copied()
    }

    /// Raw codes that map to `canonical`, in the table's order.
    pub fn raw_codes_for(&self, canonical: T) -> impl Iterator<Item = &str>
    where
        T: PartialEq,
    {
        self.entries
            .iter()
            .filter(move |(_, v)| **v == canonical)
            .map(|(k, _)| k.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A code of up to 15 bytes as one number: its bytes, then its length in the
/// last byte, so two codes pack equal exactly when they are equal.
fn packed(code: &str) -> Option<u128> {
    let mut bytes = [0u8; 16];
    bytes
        .get_mut(..code.len())
        .filter(|_| code.len() < 16)?
        .copy_from_slice(code.as_bytes());
    bytes[15] = code.len() as u8;
    Some(u128::from_ne_bytes(bytes))
}

/// Every code table a force may configure. Opening and closing codes share `category`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CodeTables {
    pub grade: CodeTable<Grade>,
    pub category: CodeTable<Category>,
    pub channel: CodeTable<Channel>,
    pub role: CodeTable<Role>,
    pub risk_tool: CodeTable<RiskTool>,
    pub risk_level: CodeTable<RiskLevel>,
    pub outcome: CodeTable<Outcome>,
    pub referral: CodeTable<Referral>,
    pub area: CodeTable<Area>,
    pub sex: CodeTable<Sex>,
}

impl CodeTables {
    /// Normalises every table; the error names the table.
    pub fn normalised(self) -> Result<CodeTables, String> {
        fn table<T: Copy>(name: &str, t: CodeTable<T>) -> Result<CodeTable<T>, String> {
            t.normalised().map_err(|e| format!("codes.{name}: {e}"))
        }
        Ok(CodeTables {
            grade: table("grade", self.grade)?,
            category: table("category", self.category)?,
            channel: table("channel", self.channel)?,
            role: table("role", self.role)?,
            risk_tool: table("risk_tool", self.risk_tool)?,
            risk_level: table("risk_level", self.risk_level)?,
            outcome: table("outcome", self.outcome)?,
            referral: table("referral", self.referral)?,
            area: table("area", self.area)?,
            sex: table("sex", self.sex)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_case_and_spaces() {
        let table: CodeTable<Grade> = toml::from_str::<BTreeMap<String, CodeTable<Grade>>>(
            "[t]\n\"Immediate\" = \"EMERGENCY\"\n\"Resolution without deployment\" = \"NO_DEPLOYMENT\"",
        )
        .unwrap()
        .remove("t")
        .unwrap()
        .normalised()
        .unwrap();
        assert_eq!(table.lookup(" immediate "), Some(Grade::Emergency));
        assert_eq!(table.lookup("RESOLUTION WITHOUT DEPLOYMENT"), Some(Grade::NoDeployment));
        assert_eq!(table.lookup("Urgent"), None);
    }

    /// What a lookup must answer: the code as written, else the same code in another case.
    fn looked_up_plainly(entries: &BTreeMap<String, u8>, raw: &str) -> Option<u8> {
        let trimmed = raw.trim();
        entries
            .get(trimmed)
            .or_else(|| entries.get(&trimmed.to_uppercase()))
            .copied()
    }

    proptest::proptest! {
        #[test]
        fn packed_and_long_codes_are_found_as_the_plain_map_finds_them(
            codes in proptest::collection::vec("[A-Z0-9 \\x00]{0,18}", 0..12),
            query in "[A-Za-z0-9 \\x00]{0,18}",
            pick in 0usize..16,
        ) {
            let entries: BTreeMap<String, u8> = codes
                .iter()
                .map(|c| c.trim().to_string())
                .zip(0u8..)
                .collect();
            let table = CodeTable::from(entries.clone());
            // Half the time, ask for a code that is in the table, in lower case and padded.
            let query = match codes.get(pick) {
                Some(code) if pick % 2 == 0 => format!(" {} ", code.to_lowercase()),
                _ => query,
            };
            proptest::prop_assert_eq!(table.lookup(&query), looked_up_plainly(&entries, &query), "{:?}", query);
        }
    }

    #[test]
    fn keys_differing_only_in_case_are_refused() {
        let mut entries = BTreeMap::new();
        entries.insert("g1".to_string(), Grade::Emergency);
        entries.insert("G1".to_string(), Grade::Priority);
        let error = CodeTable::from(entries).normalised().unwrap_err();
        assert!(error.contains("G1"));
    }
}
