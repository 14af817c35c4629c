//! The reviewers' decisions, read back the next week: a CSV with one row per
//! decision (`id,status,reason,owner,note,decided_on`) about a flag or a
//! missed opportunity, by its lasting id. The latest decision on an id
//! stands (a later date, or on the same date a later line). A malformed row
//! is refused with its file, line and column (and the value, except a note,
//! which may hold anything); an id that names no flag is reported, not dropped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::ReportError;

/// Where a reviewed item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Open,
    Actioned,
    Closed,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "OPEN",
            Status::Actioned => "ACTIONED",
            Status::Closed => "CLOSED",
        }
    }

    fn parse(text: &str) -> Option<Status> {
        [Status::Open, Status::Actioned, Status::Closed]
            .into_iter()
            .find(|s| s.code().eq_ignore_ascii_case(text.trim()))
    }
}

/// One decision about one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub status: Status,
    /// Why it was closed (referral made, arrest, DVPN/DVPO, safeguarding in place, ...).
    pub reason: String,
    pub owner: String,
    pub note: String,
    pub decided_on: NaiveDate,
}

/// The decisions in force, by item id.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    pub by_id: BTreeMap<String, Decision>,
    /// The file read, for messages.
    pub file: Option<PathBuf>,
}

/// The columns of a decisions file, in the order the template writes them.
pub const COLUMNS: [&str; 6] = ["id", "status", "reason", "owner", "note", "decided_on"];

impl Decisions {
    /// Reads a decisions file (UTF-8 CSV with a header naming [`COLUMNS`], in any order).
    pub fn read(path: &Path) -> Result<Decisions, ReportError> {
        let refuse = |line: u64, column: &str, problem: String| {
            ReportError::Usage(format!(
                "{}: line {line}, column {column}: {problem}; correct the row (or remove it) and run again",
                path.display()
            ))
        };
        let mut reader = csv::Reader::from_path(path).map_err(|e| ReportError::Input {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let header = reader.headers().map_err(|e| refuse(1, "-", e.to_string()))?.clone();
        let position = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
        let mut at = [0; COLUMNS.len()];
        for (slot, name) in at.iter_mut().zip(COLUMNS) {
            *slot = position(name).ok_or_else(|| {
                refuse(
                    1,
                    name,
                    format!("no `{name}` column (the columns are {})", COLUMNS.join(",")),
                )
            })?;
        }
        let mut decisions = Decisions {
            by_id: BTreeMap::new(),
            file: Some(path.to_path_buf()),
        };
        for (n, record) in reader.records().enumerate() {
            let line = n as u64 + 2;
            let record = record.map_err(|e| refuse(line, "-", e.to_string()))?;
            let cell = |k: usize| record.get(at[k]).unwrap_or("").trim();
            // A template row left as written (no status, no date) is no decision.
            if cell(1).is_empty() && cell(5).is_empty() {
                continue;
            }
            let id = cell(0);
            if id.is_empty() {
                return Err(refuse(line, "id", "no id".into()));
            }
            let status = Status::parse(cell(1))
                .ok_or_else(|| refuse(line, "status", format!("`{}` is not OPEN, ACTIONED or CLOSED", cell(1))))?;
            if status == Status::Closed && cell(2).is_empty() {
                return Err(refuse(line, "reason", "a CLOSED decision needs a reason".into()));
            }
            let decided_on = NaiveDate::parse_from_str(cell(5), "%Y-%m-%d").map_err(|_| {
                refuse(
                    line,
                    "decided_on",
                    format!("`{}` is not a date like 2025-05-05", cell(5)),
                )
            })?;
            let decision = Decision {
                status,
                reason: cell(2).to_string(),
                owner: cell(3).to_string(),
                note: cell(4).to_string(),
                decided_on,
            };
            let stands = decisions.by_id.get(id).is_none_or(|old| old.decided_on <= decided_on);
            if stands {
                decisions.by_id.insert(id.to_string(), decision);
            }
        }
        Ok(decisions)
    }

    /// The decision standing on an item at the end of a day.
    pub fn on(&self, id: &str, by: NaiveDate) -> Option<&Decision> {
        self.by_id.get(id).filter(|d| d.decided_on <= by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Decisions, String> {
        let dir = crate::scratch::ScratchDir::new();
        let path = dir.path().join("decisions.csv");
        std::fs::write(&path, text).unwrap();
        Decisions::read(&path).map_err(|e| e.to_string())
    }

    #[test]
    fn the_latest_decision_stands_and_bad_rows_are_refused_by_line_and_column() {
        let decisions = read(
            "id,status,reason,owner,note,decided_on\n\
             M1,OPEN,,A. Analyst,,2025-05-05\n\
             M1,closed,referral made,A. Analyst,MARAC 6 May,2025-05-06\n\
             F2,ACTIONED,,B,,2025-05-06\n\
             F3,,,,,\n",
        )
        .unwrap();
        let m1 = &decisions.by_id["M1"];
        assert_eq!((m1.status, m1.reason.as_str()), (Status::Closed, "referral made"));
        assert!(decisions
            .on("M1", NaiveDate::from_ymd_opt(2025, 5, 5).unwrap())
            .is_none());
        assert!(
            !decisions.by_id.contains_key("F3"),
            "an untouched template row is no decision"
        );

        let bad = read("id,status,reason,owner,note,decided_on\nM1,DONE,,,,2025-05-05\n").unwrap_err();
        assert!(bad.contains("line 2, column status: `DONE` is not OPEN"), "{bad}");
        let bad = read("id,status,reason,owner,note,decided_on\nM1,CLOSED,,,,2025-05-05\n").unwrap_err();
        assert!(bad.contains("line 2, column reason"), "{bad}");
        let bad = read("id,status,reason,owner,note,decided_on\nM1,OPEN,,,,5/5/2025\n").unwrap_err();
        assert!(bad.contains("line 2, column decided_on"), "{bad}");
        let bad = read("id,status,owner\nM1,OPEN,x\n").unwrap_err();
        assert!(bad.contains("no `reason` column"), "{bad}");
    }
}
