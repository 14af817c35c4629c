//! `panel.csv` and `panel.parquet`, for evaluators who fit their own models
//! (difference-in-differences, event studies) in R or Stata: one row per
//! force and whole week, with the force's group (`groups.rs`), its own pilot
//! start, the weeks since it (the start's week is 0; blank for a comparison
//! force) and whether the pilot was on (`post`), then every KPI's numerator
//! and denominator (the counts of `weekly_kpis.sql`). A week the data
//! covers only in part is not a week here. Counts are suppressed as in the
//! pack's other tables: `[c]` in the CSV, null in the Parquet (a count is
//! never missing otherwise; zero is shown).

use polars::prelude::*;

use super::super::coverage::is_partial;
use super::super::kpis::{self, WeekKpis, COUNT_COLUMNS};
use super::super::pack::Pack;
use super::super::week::Week;
use super::super::ReportError;
use super::groups::Group;
use super::{write_table, Evaluation};

/// The panel's columns before the counts.
const DESIGN_COLUMNS: [&str; 6] = ["force", "group", "pilot_start", "week", "weeks_since_start", "post"];

/// One row: the design cells, then the counts as published (`None`: suppressed).
struct PanelRow {
    design: [String; 6],
    counts: Vec<Option<u64>>,
}

impl Evaluation<'_> {
    pub fn write_panel(&self, pack: &Pack) -> Result<(), ReportError> {
        let rows: Vec<PanelRow> = (self.data.weekly.iter())
            .filter(|w| !is_partial(self.data.days_with_data(&w.force, &w.week)))
            .filter_map(|w| self.panel_row(w))
            .collect();
        let mut header: Vec<String> = DESIGN_COLUMNS.map(String::from).to_vec();
        header.extend(COUNT_COLUMNS.iter().map(|c| c.to_string()));
        let cells: Vec<Vec<String>> = rows.iter().map(csv_cells).collect();
        write_table(pack, "panel.csv", &header, &cells)?;
        let path = pack.path("panel.parquet")?;
        let mut frame = frame(&header, &rows).map_err(|e| ReportError::write(&path, e))?;
        let file = std::fs::File::create(&path).map_err(|e| ReportError::write(&path, e))?;
        ParquetWriter::new(file)
            .finish(&mut frame)
            .map_err(|e| ReportError::write(&path, e))?;
        Ok(())
    }

    fn panel_row(&self, week: &WeekKpis) -> Option<PanelRow> {
        let number = self.data.force_number(&week.force)?;
        let group = self.groups.group(number);
        let start = self.groups.start(number);
        let this: Week = week.week.parse().ok()?;
        let since = start.map(|s| (this.monday() - Week::of(s).monday()).num_weeks());
        let design = [
            week.force.clone(),
            group.code().to_string(),
            start.map_or(String::new(), |s| s.to_string()),
            week.week.clone(),
            since.map_or(String::new(), |w| w.to_string()),
            u8::from(group == Group::Pilot && since.is_some_and(|w| w >= 0)).to_string(),
        ];
        // The counts exactly as the pack's weekly table publishes them.
        let hidden = kpis::hidden_counts(week, self.suppression);
        let counts = (week.counts.iter().zip(hidden))
            .map(|(&count, hide)| (!hide).then_some(count))
            .collect();
        Some(PanelRow { design, counts })
    }
}

fn csv_cells(row: &PanelRow) -> Vec<String> {
    let mut cells = row.design.to_vec();
    let count = |c: &Option<u64>| c.map_or(super::super::suppress::SUPPRESSED.to_string(), |n| n.to_string());
    cells.extend(row.counts.iter().map(count));
    cells
}

fn frame(header: &[String], rows: &[PanelRow]) -> PolarsResult<DataFrame> {
    let text = |c: usize| -> Column {
        let values: Vec<Option<&str>> = rows
            .iter()
            .map(|r| Some(r.design[c].as_str()).filter(|s| !s.is_empty()))
            .collect();
        Column::new(header[c].as_str().into(), values)
    };
    let number = |c: usize| -> Column {
        let values: Vec<Option<i64>> = rows.iter().map(|r| r.design[c].parse().ok()).collect();
        Column::new(header[c].as_str().into(), values)
    };
    let mut columns = vec![text(0), text(1), text(2), text(3), number(4), number(5)];
    for (k, name) in COUNT_COLUMNS.iter().enumerate() {
        let values: Vec<Option<u64>> = rows.iter().map(|r| r.counts[k]).collect();
        columns.push(Column::new((*name).into(), values));
    }
    DataFrame::new(rows.len(), columns)
}
