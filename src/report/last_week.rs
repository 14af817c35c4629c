//! Last week's review, read back from its pack: the items it left open
//! (new or carried over, not closed), as its rows showed them. This week's
//! lists must account for each one; an item the new data neither carries,
//! closes nor expires (its flag no longer needs a decision, say a MARAC
//! referral since recorded made it LOW, or no longer stands because its
//! evidence changed) is closed with that reason rather than dropped unseen.
//!
//! The pack is looked for in this run's output folder, where last week's run
//! left it, and then in an earlier run's (`vigil run --previous DIR`).

use std::collections::BTreeMap;
use std::path::Path;

use super::pack_csv::CsvTable;
use super::week::Week;
use super::{ReportError, WEEKLY};

/// The open items of last week's pack, each row by column name.
pub struct LastWeek {
    pub open: Vec<BTreeMap<String, String>>,
}

/// Last week's pack for `force`, from the first of `folders` that holds one.
pub fn read(folders: &[&Path], force: &str, week: Week) -> Result<Option<LastWeek>, ReportError> {
    let last = week.back(1);
    let found = folders
        .iter()
        .map(|folder| folder.join(WEEKLY).join(force).join(last.to_string()))
        .find(|pack| pack.join("review_new.csv").is_file());
    let Some(pack) = found else { return Ok(None) };
    let mut open = Vec::new();
    for file in ["review_new.csv", "review_carried.csv"] {
        let table = CsvTable::read(&pack.join(file))?;
        let is_open = |row: &&Vec<String>| table.cell(row, "status") != "CLOSED" && !table.cell(row, "id").is_empty();
        open.extend(table.rows.iter().filter(is_open).map(|row| {
            (table.header.iter().cloned())
                .zip(row.iter().cloned())
                .collect::<BTreeMap<_, _>>()
        }));
    }
    Ok(Some(LastWeek { open }))
}
