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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CodeTable<T> {
    entries: BTreeMap<String, T>,
}

impl<T> Default for CodeTable<T> {
    fn default() -> Self {
        CodeTable {
            entries: BTreeMap::new(),
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
        Ok(CodeTable { entries })
    }

    /// The canonical value for a raw code, if the table knows it.
    pub fn lookup(&self, raw: &str) -> Option<T> {
        let trimmed = trimmed(raw);
        if let Some(value) = self.entries.get(trimmed) {
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

    #[test]
    fn keys_differing_only_in_case_are_refused() {
        let mut entries = BTreeMap::new();
        entries.insert("g1".to_string(), Grade::Emergency);
        entries.insert("G1".to_string(), Grade::Priority);
        let error = CodeTable { entries }.normalised().unwrap_err();
        assert!(error.contains("G1"));
    }
}
