//! The weekly pack's workbook, `review.xlsx`: each of the pack's lists on a
//! sheet (the review's new, carried-over, closed and expired items, the priority
//! victims and perpetrators, the week's missed opportunities and flags, the
//! KPIs), read back from the CSVs the pack has just written, so a sheet has
//! its file's rows in its file's order. Dates, local times and numbers are
//! real Excel values (`columns.csv` says which column is which); the header
//! row is frozen, filters are on and widths set. An About sheet comes first
//! and a Columns sheet last, saying what each column means.

mod columns;

use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet, XlsxError};

use super::pack::Pack;
use super::pack_csv::CsvTable;
use super::week::Week;
use super::ReportError;
use columns::Kind;

/// The workbook's name in the pack.
pub const FILE: &str = "review.xlsx";

/// The lists, in sheet order: (file, sheet name).
pub const SHEETS: [(&str, &str); 9] = [
    ("review_new.csv", "New"),
    ("review_carried.csv", "Carried over"),
    ("review_closed.csv", "Closed"),
    ("review_expired.csv", "Expired"),
    ("priority_victims.csv", "Priority victims"),
    ("priority_perpetrators.csv", "Priority perpetrators"),
    ("missed_opportunities.csv", "Missed opportunities"),
    ("flags.csv", "Flags"),
    ("kpis.csv", "KPIs"),
];

/// Excel's limits: rows per sheet (the header is one) and characters per cell.
const MAX_ROWS: usize = 1_048_576;
const MAX_CELL_CHARS: usize = 32_767;
/// Column widths, in characters.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

/// The formats every sheet shares.
struct Formats {
    header: Format,
    date: Format,
    date_time: Format,
    wrapped: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            date_time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            wrapped: Format::new().set_text_wrap(),
        }
    }

    /// A number shown with as many decimals as its column is written with.
    fn number(decimals: usize) -> Format {
        let format = match decimals {
            0 => "0".to_string(),
            d => format!("0.{}", "0".repeat(d)),
        };
        Format::new().set_num_format(format)
    }
}

/// Writes `review.xlsx` from the pack's lists, already written, of `force`'s `week`.
pub fn write(pack: &Pack, (force, week): (&str, Week)) -> Result<(), ReportError> {
    let path = pack.path(FILE)?;
    let mut tables = Vec::new();
    for (file, _) in SHEETS {
        tables.push(CsvTable::read(&pack.path(file)?)?);
    }
    build(&tables, (force, week))
        .and_then(|mut workbook| workbook.save(&path))
        .map_err(|e| ReportError::write(&path, e))
}

fn build(tables: &[CsvTable], (force, week): (&str, Week)) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    // Dated by the week, not the clock, so the same data makes the same bytes.
    let as_of = columns::excel_date_time(week.sunday().and_time(chrono::NaiveTime::MIN)).unwrap_or_default();
    let title = format!("vigil weekly review: {force}, {week}");
    workbook.set_properties(&DocProperties::new().set_title(&title).set_creation_datetime(&as_of));
    let formats = Formats::new();
    let mut notes = Vec::new();
    workbook.add_worksheet().set_name("About")?;
    for ((file, sheet), table) in SHEETS.iter().zip(tables) {
        let worksheet = workbook.add_worksheet().set_name(*sheet)?;
        notes.extend(write_sheet(worksheet, (file, sheet), table, &formats)?);
    }
    write_columns(workbook.add_worksheet().set_name("Columns")?, tables, &formats)?;
    write_about(workbook.worksheet_from_index(0)?, &title, &notes, &formats)?;
    Ok(workbook)
}

/// Writes a list; returns a note for each way the sheet differs from its CSV
/// (rows or cells past Excel's limits).
fn write_sheet(
    worksheet: &mut Worksheet,
    (file, sheet): (&str, &str),
    table: &CsvTable,
    formats: &Formats,
) -> Result<Vec<String>, XlsxError> {
    let mut notes = Vec::new();
    for (c, name) in table.header.iter().enumerate() {
        worksheet.write_string_with_format(0, c as u16, name, &formats.header)?;
    }
    let shown = table.rows.len().min(MAX_ROWS - 1);
    if shown < table.rows.len() {
        notes.push(format!(
            "{sheet} holds the first {shown} of {} rows; {file} holds them all.",
            table.rows.len()
        ));
    }
    let mut truncated = 0;
    for (c, name) in table.header.iter().enumerate() {
        let kind = columns::column(file, name).map_or(Kind::Text, |column| column.kind);
        let cells = table.rows[..shown]
            .iter()
            .map(|row| row.get(c).map_or("", String::as_str));
        truncated += write_column(worksheet, (c as u16, kind), cells, formats)?;
    }
    if truncated > 0 {
        notes.push(format!(
            "{sheet}: {truncated} cells longer than Excel allows are cut short; {file} holds them whole."
        ));
    }
    finish(worksheet, (shown, table.header.len()), column_widths(table))?;
    Ok(notes)
}

/// Writes one column's cells below the header; returns how many were cut short.
fn write_column<'a>(
    worksheet: &mut Worksheet,
    (c, kind): (u16, Kind),
    cells: impl Iterator<Item = &'a str> + Clone,
    formats: &Formats,
) -> Result<usize, XlsxError> {
    let decimals = (cells.clone())
        .filter_map(|cell| columns::number(cell).map(|(_, d)| d))
        .max()
        .unwrap_or(0);
    let number_format = Formats::number(decimals);
    let mut truncated = 0;
    for (r, cell) in cells.enumerate() {
        let row = r as u32 + 1;
        if cell.is_empty() {
            continue;
        }
        match kind {
            Kind::Number => {
                if let Some((value, _)) = columns::number(cell) {
                    worksheet.write_number_with_format(row, c, value, &number_format)?;
                    continue;
                }
            }
            Kind::Date | Kind::DateTime => {
                if let Some(at) = columns::date_time(kind, cell) {
                    let format = if kind == Kind::Date {
                        &formats.date
                    } else {
                        &formats.date_time
                    };
                    worksheet.write_datetime_with_format(row, c, &at, format)?;
                    continue;
                }
            }
            Kind::Text => {}
        }
        let (text, cut) = within_cell_limit(cell);
        truncated += usize::from(cut);
        worksheet.write_string(row, c, text)?;
    }
    Ok(truncated)
}

/// A text as long as a cell may hold, and whether it was cut.
fn within_cell_limit(text: &str) -> (&str, bool) {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => (&text[..end], true),
        None => (text, false),
    }
}

/// Each column's width: its longest header or cell, within bounds.
fn column_widths(table: &CsvTable) -> Vec<usize> {
    let mut widths: Vec<usize> = table.header.iter().map(|h| h.chars().count()).collect();
    for row in &table.rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    widths.into_iter().map(|w| w.clamp(MIN_WIDTH, MAX_WIDTH)).collect()
}

/// Freezes the header, turns filters on and sets the widths.
fn finish(worksheet: &mut Worksheet, (rows, columns): (usize, usize), widths: Vec<usize>) -> Result<(), XlsxError> {
    worksheet.set_freeze_panes(1, 0)?;
    if columns > 0 {
        worksheet.autofilter(0, 0, rows as u32, columns as u16 - 1)?;
    }
    for (c, width) in widths.into_iter().enumerate() {
        // A little over the text, as Excel's own autofit leaves.
        worksheet.set_column_width(c as u16, width as f64 + 2.0)?;
    }
    Ok(())
}

/// The Columns sheet: every column of the lists once, in the order they
/// first appear, with its kind, its meaning and the sheets it is on.
fn write_columns(worksheet: &mut Worksheet, tables: &[CsvTable], formats: &Formats) -> Result<(), XlsxError> {
    let mut rows: Vec<[String; 4]> = Vec::new();
    for ((file, sheet), table) in SHEETS.iter().zip(tables) {
        for name in &table.header {
            let entry = columns::column(file, name);
            let (kind, meaning) = entry.map_or((Kind::Text, ""), |c| (c.kind, c.meaning.as_str()));
            match rows.iter_mut().find(|r| r[0] == *name && r[2] == meaning) {
                Some(row) => row[3] = format!("{}, {sheet}", row[3]),
                None => rows.push([name.clone(), kind.word().into(), meaning.into(), sheet.to_string()]),
            }
        }
    }
    let header = ["column", "kind", "meaning", "sheets"];
    for (c, name) in header.iter().enumerate() {
        worksheet.write_string_with_format(0, c as u16, *name, &formats.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            worksheet.write_string_with_format(r as u32 + 1, c as u16, cell, &formats.wrapped)?;
        }
    }
    finish(worksheet, (rows.len(), header.len()), vec![28, 14, MAX_WIDTH, 40])
}

/// The About sheet: what the workbook is, and anything it leaves out.
fn write_about(worksheet: &mut Worksheet, title: &str, notes: &[String], formats: &Formats) -> Result<(), XlsxError> {
    let mut lines = vec![
        title.to_string(),
        "It names people: for the force's own staff only.".to_string(),
        "Each sheet is one of the pack's CSV lists, in the same order as the pack's page.".to_string(),
        "Times with an offset (2025-04-28T22:29:00+01:00) are exact instants, kept as text; \
         the _local columns beside them are the force's wall clock as Excel date-times."
            .to_string(),
        "The Columns sheet says what each column means.".to_string(),
    ];
    lines.extend(notes.iter().cloned());
    worksheet.write_string_with_format(0, 0, &lines[0], &formats.header)?;
    for (r, line) in lines.iter().enumerate().skip(1) {
        worksheet.write_string(r as u32 + 1, 0, line)?;
    }
    worksheet.set_column_width(0, 120)?;
    Ok(())
}
