//! Writes one force's export files in its dialect, plants the configured
//! row faults (listed in truth), and returns the ground truth of its mentions.

use std::fs;
use std::path::Path;

use polars::prelude::*;

use super::dialect::Style;
use super::events::SimIncident;
use super::render::{value, Renderer, RowSource, Value};
use crate::config::{ColumnSource, Export, ExportKind, FileFormat, Force, ForceSpec, TextEncoding};
use crate::ingest::mention_id;
use crate::random::Random;
use crate::timestamps::Reading;

/// A row fault planted on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedFault {
    pub force: String,
    pub file: String,
    pub line: u64,
    pub column: String,
    pub kind: &'static str,
    /// The incident the faulty row belongs to.
    pub incident_ref: String,
}

/// One line of `truth/mentions.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthMention {
    pub force: String,
    pub incident_ref: String,
    pub mention_id: String,
    pub role: &'static str,
    pub true_person_id: String,
    pub noise: String,
    /// Whether the row carries a planted fault (ingest will quarantine it).
    pub faulty: bool,
}

/// What writing a force's files produced.
pub struct Written {
    pub faults: Vec<PlantedFault>,
    pub mentions: Vec<TruthMention>,
    pub bytes: u64,
}

/// Files shorter than this get no planted fault, so that one bad row stays
/// well under ingest's default quarantine limit (5 % of a file).
const MIN_ROWS_FOR_FAULT: usize = 100;

/// Writes every export of `force` under `out`; incidents must be in reference order.
pub fn write_force(
    out: &Path,
    spec: &ForceSpec,
    force: &Force,
    style: Style,
    incidents: &[SimIncident],
    faults: usize,
    seed: u64,
) -> std::io::Result<Written> {
    let renderer = Renderer {
        codes: &spec.codes,
        style,
        zone: force.timezone,
    };
    let mut random = Random::stream(seed, &[40, force.id.bytes().map(u64::from).sum()]);
    let candidates: Vec<usize> = force
        .exports
        .iter()
        .enumerate()
        .filter(|(_, e)| e.format == FileFormat::Csv)
        .map(|(i, _)| i)
        .collect();
    let mut faulty_rows: Vec<(usize, usize)> = Vec::new();
    let mut written = Written {
        faults: Vec::new(),
        mentions: Vec::new(),
        bytes: 0,
    };
    for (position, export) in force.exports.iter().enumerate() {
        let rows = rows_of(export.kind, incidents);
        let mut wanted: Vec<usize> = Vec::new();
        if !candidates.is_empty() && rows.len() >= MIN_ROWS_FOR_FAULT {
            for n in 0..faults {
                if candidates[n % candidates.len()] == position {
                    if let Some(row) = fault_row(&mut random, &rows) {
                        wanted.push(row);
                    }
                }
            }
        }
        wanted.sort_unstable();
        wanted.dedup();
        let table = render_rows(&renderer, export, &rows, &wanted, &mut written.faults, &force.id);
        if export.kind == ExportKind::Nominals {
            written.mentions.extend(truth_mentions(&force.id, &rows, &wanted));
        }
        faulty_rows.extend(wanted.iter().map(|r| (position, *r)));
        let path = out.join(&export.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let bytes = match export.format {
            FileFormat::Csv => csv_bytes(export, &table)?,
            FileFormat::Parquet => parquet_bytes(&table)?,
        };
        written.bytes += bytes.len() as u64;
        fs::write(path, bytes)?;
    }
    Ok(written)
}

/// The rows of an export kind, in file order.
fn rows_of(kind: ExportKind, incidents: &[SimIncident]) -> Vec<RowSource<'_>> {
    let mut rows = Vec::new();
    for incident in incidents {
        match kind {
            ExportKind::Incidents => rows.push(RowSource {
                incident,
                call: None,
                mention: None,
            }),
            ExportKind::Nominals => rows.extend(incident.mentions.iter().map(|m| RowSource {
                incident,
                call: None,
                mention: Some(m),
            })),
            ExportKind::Calls | ExportKind::Combined => rows.extend(incident.calls.iter().map(|c| RowSource {
                incident,
                call: Some(c),
                mention: None,
            })),
        }
    }
    if matches!(kind, ExportKind::Calls | ExportKind::Combined) {
        rows.sort_by(|a, b| a.call.map(|c| &c.call_id).cmp(&b.call.map(|c| &c.call_id)));
    }
    rows
}

/// A row to corrupt: not part of a planted scenario, and for nominals the last mention of its incident
/// (so the ordinals of the mentions before it do not move when ingest quarantines it).
fn fault_row(random: &mut Random, rows: &[RowSource]) -> Option<usize> {
    for _ in 0..50 {
        let at = random.below(rows.len() as u64) as usize;
        let row = rows[at];
        let last_mention = match row.mention {
            Some(m) => row.incident.mentions.last().is_some_and(|l| std::ptr::eq(l, m)),
            None => true,
        };
        if row.incident.scenario.is_none() && last_mention && row.incident.calls.len() == 1 {
            return Some(at);
        }
    }
    None
}

/// Header and text cells of an export.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn render_rows(
    renderer: &Renderer,
    export: &Export,
    rows: &[RowSource],
    faulty: &[usize],
    faults: &mut Vec<PlantedFault>,
    force: &str,
) -> Table {
    let header: Vec<String> = export
        .columns
        .iter()
        .flat_map(|(_, source)| source.columns())
        .map(str::to_string)
        .collect();
    let mut cells = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let mut line = Vec::with_capacity(export.columns.len() + 4);
        for (field, source) in &export.columns {
            let value = value(*field, *row);
            match source {
                ColumnSource::Column(_) => line.push(value.map_or_else(
                    || renderer.style.missing.to_string(),
                    |v| renderer.text(v, export.timestamp.as_ref(), export.dob.as_ref()),
                )),
                ColumnSource::DateAndTime { .. } => {
                    let (date, time) = match value {
                        Some(Value::Instant(millis)) => (
                            export
                                .date
                                .as_ref()
                                .map(|f| renderer.instant(f, millis))
                                .unwrap_or_default(),
                            export
                                .time
                                .as_ref()
                                .map(|f| renderer.instant(f, millis))
                                .unwrap_or_default(),
                        ),
                        _ => (String::new(), String::new()),
                    };
                    line.push(date);
                    line.push(time);
                }
            }
        }
        if faulty.binary_search(&index).is_ok() {
            let place = FaultPlace {
                force,
                file_line: index as u64 + 2,
                incident_ref: &row.incident.reference,
            };
            if let Some(fault) = plant(export, &header, &mut line, place) {
                faults.push(fault);
            }
        }
        cells.push(line);
    }
    Table { header, rows: cells }
}

/// Where a fault goes: the force, the line of its file, the incident of the row.
struct FaultPlace<'a> {
    force: &'a str,
    file_line: u64,
    incident_ref: &'a str,
}

/// Replaces the row's first date (received or created time, or date of birth) with an impossible one.
fn plant(export: &Export, header: &[String], line: &mut [String], place: FaultPlace) -> Option<PlantedFault> {
    use crate::config::Field;
    let impossible = Reading {
        year: 2025,
        month: 2,
        day: 30,
        hour: 12,
        minute: 0,
        second: 0,
        offset_seconds: 0,
    };
    let (field, format) = match export.kind {
        ExportKind::Nominals => (Field::DateOfBirth, export.dob.as_ref()?),
        kind => {
            let field = if kind == ExportKind::Incidents {
                Field::CreatedAt
            } else {
                Field::ReceivedAt
            };
            match export.source(field)? {
                ColumnSource::Column(_) => (field, export.timestamp.as_ref()?),
                ColumnSource::DateAndTime { .. } => (field, export.date.as_ref()?),
            }
        }
    };
    let column = export.source(field)?.columns()[0].to_string();
    let at = header.iter().position(|h| *h == column)?;
    line[at] = format.format(impossible);
    Some(PlantedFault {
        force: place.force.to_string(),
        file: export.path.clone(),
        line: place.file_line,
        column,
        kind: "impossible_date",
        incident_ref: place.incident_ref.to_string(),
    })
}

fn truth_mentions(force: &str, rows: &[RowSource], faulty: &[usize]) -> Vec<TruthMention> {
    let mut out = Vec::with_capacity(rows.len());
    let mut ordinal = 0;
    let mut previous: Option<&SimIncident> = None;
    for (index, row) in rows.iter().enumerate() {
        let Some(mention) = row.mention else { continue };
        ordinal = if previous.is_some_and(|p| std::ptr::eq(p, row.incident)) {
            ordinal + 1
        } else {
            1
        };
        previous = Some(row.incident);
        let noise: Vec<&str> = mention.noise.iter().map(|n| n.code()).collect();
        out.push(TruthMention {
            force: force.to_string(),
            incident_ref: row.incident.reference.clone(),
            mention_id: mention_id(force, &row.incident.reference, ordinal),
            role: mention.role.code(),
            true_person_id: mention.person.true_id(),
            noise: noise.join("|"),
            faulty: faulty.binary_search(&index).is_ok(),
        });
    }
    out
}

fn csv_bytes(export: &Export, table: &Table) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(export.delimiter)
        .from_writer(Vec::new());
    writer.write_record(&table.header)?;
    for row in &table.rows {
        writer.write_record(row)?;
    }
    let bytes = writer.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(match export.encoding {
        TextEncoding::Utf8 => bytes,
        TextEncoding::Windows1252 => {
            let text = String::from_utf8_lossy(&bytes);
            encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
        }
    })
}

fn parquet_bytes(table: &Table) -> std::io::Result<Vec<u8>> {
    let columns: Vec<Column> = table
        .header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Vec<Option<&str>> = table
                .rows
                .iter()
                .map(|r| Some(r[i].as_str()).filter(|v| !v.is_empty()))
                .collect();
            Column::new(name.as_str().into(), values)
        })
        .collect();
    let mut frame = DataFrame::new(table.rows.len(), columns).map_err(std::io::Error::other)?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .finish(&mut frame)
        .map_err(std::io::Error::other)?;
    Ok(bytes)
}
