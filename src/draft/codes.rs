//! The code tables of a drafted force: every distinct value of each coded
//! field across its exports, with its count, and what the value says.

use std::collections::BTreeMap;

use super::export_draft::ExportDraft;
use super::mapping::Source;
use super::vocabulary::CodeTableName;

/// Each code (upper-cased) with its spellings as seen and their counts.
type SpellingsByCode = BTreeMap<String, Vec<(String, usize)>>;

/// One code table as drafted.
#[derive(Debug)]
pub struct CodeDraft {
    pub table: CodeTableName,
    /// Where the codes were read: `initial_grade (GradeInitial in west_midlands/incidents.csv)`.
    pub read_from: Vec<String>,
    /// Raw code (its most frequent spelling) and count, most frequent first.
    pub values: Vec<(String, usize)>,
}

/// The force's code tables, in table order; codes differing only in case or
/// surrounding spaces are one code, as vigil reads them.
pub fn code_drafts(exports: &[ExportDraft]) -> Vec<CodeDraft> {
    let mut tables: BTreeMap<CodeTableName, (Vec<String>, SpellingsByCode)> = BTreeMap::new();
    for export in exports {
        for (field, _) in &export.mapping.proposals {
            let (Some(table), Some(offer)) = (CodeTableName::of(*field), export.mapping.found(*field)) else {
                continue;
            };
            let Source::Column(column) = offer.source else { continue };
            let profile = &export.profiles[column];
            let (read_from, codes) = tables.entry(table).or_default();
            read_from.push(format!("{} ({} in {})", field.name(), profile.name, export.path));
            for (value, count) in &profile.distinct {
                codes
                    .entry(value.trim().to_uppercase())
                    .or_default()
                    .push((value.clone(), *count));
            }
        }
    }
    tables
        .into_iter()
        .map(|(table, (read_from, codes))| {
            let mut values: Vec<(String, usize)> = codes.into_values().map(merged_spelling).collect();
            values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            CodeDraft {
                table,
                read_from,
                values,
            }
        })
        .collect()
}

/// One code's spellings: the most frequent one, and the total count.
fn merged_spelling(spellings: Vec<(String, usize)>) -> (String, usize) {
    let mut by_spelling: BTreeMap<String, usize> = BTreeMap::new();
    for (spelling, count) in spellings {
        *by_spelling.entry(spelling).or_default() += count;
    }
    let total = by_spelling.values().sum();
    let spelling = by_spelling
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(s, _)| s.clone())
        .unwrap_or_default();
    (spelling, total)
}
