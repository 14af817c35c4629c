//! Who each incident names: its victims and suspects as linked persons (from
//! the link stage's `person_mentions.csv`), and the phone numbers recorded
//! for anyone it mentions (from the canonical mentions).

use std::collections::HashMap;
use std::path::Path;

use polars::prelude::*;

use super::records::Records;
use super::DetectError;

/// The people of every incident.
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Person ids, each once; the numbers below index this list.
    pub person_ids: Vec<String>,
    /// Per incident (same order as [`Records::incidents`]).
    pub victims: Vec<Vec<u32>>,
    pub suspects: Vec<Vec<u32>>,
    /// Whether the incident names anyone at all, in any role.
    pub named: Vec<bool>,
    /// E.164 numbers recorded for people the incident mentions.
    pub phones: Vec<Vec<String>>,
}

/// One mention as detection needs it.
#[derive(Debug, Clone)]
pub struct MentionRow {
    pub force: String,
    pub incident_ref: String,
    pub role: String,
    pub person_id: Option<String>,
    pub phone: Option<String>,
}

impl People {
    /// Reads `canonical/mentions.parquet` and `linked/person_mentions.csv` under `out`.
    pub fn read(out: &Path, records: &Records) -> Result<People, DetectError> {
        let persons = read_person_ids(&out.join(crate::persons::LINKED).join("person_mentions.csv"))?;
        let path = out.join("canonical/mentions.parquet");
        let table = |e: PolarsError| DetectError::Table {
            path: path.clone(),
            reason: e.to_string(),
        };
        let file = std::fs::File::open(&path).map_err(|e| DetectError::Missing {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let frame = ParquetReader::new(file).finish().map_err(table)?;
        let rows = mention_rows(&frame, &persons).map_err(table)?;
        Ok(People::from_rows(records, &rows))
    }

    /// Attaches each mention to its incident (mentions of incidents not in the data are ignored).
    pub fn from_rows(records: &Records, rows: &[MentionRow]) -> People {
        let n = records.incidents.len();
        let mut people = People {
            person_ids: Vec::new(),
            victims: vec![Vec::new(); n],
            suspects: vec![Vec::new(); n],
            named: vec![false; n],
            phones: vec![Vec::new(); n],
        };
        let position: HashMap<(&str, &str), usize> = records
            .incidents
            .iter()
            .enumerate()
            .map(|(i, incident)| ((records.force_id(incident.force), incident.incident_ref.as_str()), i))
            .collect();
        let mut number_of: HashMap<&str, u32> = HashMap::new();
        for row in rows {
            let Some(&i) = position.get(&(row.force.as_str(), row.incident_ref.as_str())) else {
                continue;
            };
            people.named[i] = true;
            if let Some(phone) = &row.phone {
                people.phones[i].push(phone.clone());
            }
            let Some(id) = row.person_id.as_deref() else { continue };
            let number = *number_of.entry(id).or_insert_with(|| {
                people.person_ids.push(id.to_string());
                (people.person_ids.len() - 1) as u32
            });
            match row.role.as_str() {
                "VICTIM" => people.victims[i].push(number),
                "SUSPECT" => people.suspects[i].push(number),
                _ => {}
            }
        }
        for list in people.victims.iter_mut().chain(people.suspects.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        for list in &mut people.phones {
            list.sort_unstable();
            list.dedup();
        }
        people
    }
}

/// `mention_id` to `person_id`.
fn read_person_ids(path: &Path) -> Result<HashMap<String, String>, DetectError> {
    let missing = |reason: String| DetectError::Missing {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| missing(e.to_string()))?;
    let header = reader.headers().map_err(|e| missing(e.to_string()))?.clone();
    let column = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| DetectError::Table {
            path: path.to_path_buf(),
            reason: format!(
                "no `{name}` column (found: {})",
                header.iter().collect::<Vec<_>>().join(", ")
            ),
        })
    };
    let (mention, person) = (column("mention_id")?, column("person_id")?);
    let mut out = HashMap::new();
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| DetectError::Table {
            path: path.to_path_buf(),
            reason: format!("line {}: {e}", line + 2),
        })?;
        if let (Some(m), Some(p)) = (record.get(mention), record.get(person)) {
            if !p.is_empty() {
                out.insert(m.to_string(), p.to_string());
            }
        }
    }
    Ok(out)
}

fn mention_rows(frame: &DataFrame, persons: &HashMap<String, String>) -> PolarsResult<Vec<MentionRow>> {
    let text = |name: &str| -> PolarsResult<Vec<Option<String>>> {
        Ok(frame
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.map(str::to_string))
            .collect())
    };
    let (force, reference, mention, role, phone) = (
        text("force")?,
        text("incident_ref")?,
        text("mention_id")?,
        text("role")?,
        text("phone")?,
    );
    Ok((0..frame.height())
        .map(|i| MentionRow {
            force: force[i].clone().unwrap_or_default(),
            incident_ref: reference[i].clone().unwrap_or_default(),
            role: role[i].clone().unwrap_or_default(),
            person_id: mention[i].as_ref().and_then(|m| persons.get(m).cloned()),
            phone: phone[i].clone().filter(|p| !p.is_empty()),
        })
        .collect())
}
