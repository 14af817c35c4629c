//! Harm weights by Home Office offence code: a versioned, editable CSV table
//! (the built-in one is `harm_weights.csv` beside this file, on the ONS Crime
//! Severity Score scale; `[detect] harm_weights` points at a replacement).
//! Each row names its source and says whether it was read from the primary
//! table, quoted by a secondary one, or is a placeholder; incidents with no
//! recorded offence, or one the table does not list, get its `NON_CRIME` weight.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The built-in table.
pub const BUILT_IN: &str = include_str!("harm_weights.csv");

/// The code of the row that weighs incidents with no recorded offence.
pub const NON_CRIME: &str = "NON_CRIME";

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct HarmWeight {
    pub code: String,
    pub offence: String,
    /// The weight on the table's scale.
    pub weight: f64,
    pub source: String,
    pub status: WeightStatus,
}

/// How far a weight can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightStatus {
    /// Read from the primary published table.
    Sourced,
    /// The published figure as quoted elsewhere; to be checked against the primary table.
    Secondary,
    /// No source found; a value of the right order.
    Placeholder,
}

/// The table, with its version.
#[derive(Debug, Clone)]
pub struct HarmTable {
    pub version: String,
    pub origin: String,
    weights: HashMap<String, HarmWeight>,
    non_crime: f64,
}

/// A table that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("harm weights {origin}: {message}")]
pub struct HarmTableError {
    pub origin: String,
    pub message: String,
}

impl HarmTable {
    pub fn built_in() -> HarmTable {
        HarmTable::parse(BUILT_IN, "(built in)").unwrap_or_else(|e| panic!("the built-in harm table is broken: {e}"))
    }

    pub fn read(path: &Path) -> Result<HarmTable, HarmTableError> {
        let text = std::fs::read_to_string(path).map_err(|e| HarmTableError {
            origin: path.display().to_string(),
            message: e.to_string(),
        })?;
        HarmTable::parse(&text, &path.display().to_string())
    }

    /// The table named in the settings (relative to the configuration's folder), else the built-in one.
    pub fn configured(file: Option<&str>, config_dir: &Path) -> Result<HarmTable, HarmTableError> {
        match file {
            Some(file) => HarmTable::read(&resolve(config_dir, file)),
            None => Ok(HarmTable::built_in()),
        }
    }

    /// Parses `# version: …` then `offence_code,offence,weight,source,status` rows.
    pub fn parse(text: &str, origin: &str) -> Result<HarmTable, HarmTableError> {
        let fail = |line: usize, message: String| HarmTableError {
            origin: origin.to_string(),
            message: format!("line {line}: {message}"),
        };
        let version = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("# version:"))
            .map(|v| v.trim().to_string())
            .ok_or_else(|| fail(1, "no `# version: …` line".into()))?;
        let body: String = text
            .lines()
            .map(|l| if l.trim_start().starts_with('#') { "" } else { l })
            .collect::<Vec<_>>()
            .join("\n");
        let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| fail(1, e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        let expected = ["offence_code", "offence", "weight", "source", "status"];
        if header != expected {
            return Err(fail(1, format!("the columns must be {}", expected.join(","))));
        }
        let mut weights = HashMap::new();
        for record in reader.records() {
            let record = record.map_err(|e| fail(0, e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let weight: f64 = record[2]
                .trim()
                .parse()
                .ok()
                .filter(|d: &f64| d.is_finite() && *d >= 0.0)
                .ok_or_else(|| fail(line, format!("weight `{}` is not a number of zero or more", &record[2])))?;
            let status = match record[4].trim() {
                "sourced" => WeightStatus::Sourced,
                "secondary" => WeightStatus::Secondary,
                "placeholder" => WeightStatus::Placeholder,
                other => {
                    let allowed = "`sourced`, `secondary` or `placeholder`";
                    return Err(fail(line, format!("status `{other}` must be {allowed}")));
                }
            };
            let code = record[0].trim().to_ascii_uppercase();
            let row = HarmWeight {
                code: code.clone(),
                offence: record[1].trim().to_string(),
                weight,
                source: record[3].trim().to_string(),
                status,
            };
            if weights.insert(code.clone(), row).is_some() {
                return Err(fail(line, format!("offence code `{code}` is listed twice")));
            }
        }
        let non_crime = weights.get(NON_CRIME).map(|w| w.weight).ok_or_else(|| {
            fail(
                0,
                format!("no `{NON_CRIME}` row (the weight of incidents with no offence)"),
            )
        })?;
        Ok(HarmTable {
            version,
            origin: origin.to_string(),
            weights,
            non_crime,
        })
    }

    /// The weight of an incident's recorded offence; the non-crime weight when it has none or an unlisted one.
    pub fn weight(&self, offence_code: Option<&str>) -> f64 {
        offence_code
            .and_then(|code| self.listed(code))
            .unwrap_or(self.non_crime)
    }

    /// The weight of an offence code the table lists (in any case, spaces
    /// around it ignored); `None` for any other. A code already in upper
    /// case, as ingest writes them, is looked up without a copy (priority
    /// looks up every incident of every subject).
    pub fn listed(&self, offence_code: &str) -> Option<f64> {
        let code = offence_code.trim();
        let found = if code.bytes().any(|b| b.is_ascii_lowercase()) {
            self.weights.get(&code.to_ascii_uppercase())
        } else {
            self.weights.get(code)
        };
        found.map(|w| w.weight)
    }
}

fn resolve(dir: &Path, file: &str) -> PathBuf {
    let path = Path::new(file);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        dir.join(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_parses_and_every_row_names_a_source() {
        let table = HarmTable::built_in();
        assert!(!table.version.is_empty());
        assert!(table.weights.values().all(|w| !w.source.is_empty()));
        assert!(table.weight(None) > 0.0);
        assert_eq!(table.weight(Some("NO-SUCH-CODE")), table.weight(None));
        assert_eq!(table.weight(Some("8n")), 203.07);
        assert_eq!(table.weight(Some("8N")), 203.07);
        assert_eq!(table.weight(Some(" 8N\t")), 203.07);
        assert_eq!(table.weight(Some(" 8n ")), 203.07);
    }

    #[test]
    fn a_table_without_a_version_or_with_a_bad_weight_is_refused() {
        let header = "offence_code,offence,weight,source,status\n";
        let no_version = format!("{header}NON_CRIME,x,1,y,placeholder\n");
        assert!(HarmTable::parse(&no_version, "t")
            .unwrap_err()
            .message
            .contains("version"));
        let bad = format!("# version: 1\n{header}NON_CRIME,x,one,y,placeholder\n");
        let error = HarmTable::parse(&bad, "t").unwrap_err();
        assert!(error.message.contains("`one`"), "{}", error.message);
        let good = format!("# version: 1\n{header}NON_CRIME,x,1,y,placeholder\n8N,ABH,30,z,sourced\n");
        let table = HarmTable::parse(&good, "t").unwrap();
        assert_eq!(table.weight(Some("8n")), 30.0);
    }
}
