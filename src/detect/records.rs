//! The canonical calls and incidents as detection reads them: one row struct
//! each, read back from the ingest stage's Parquet tables, calls attached to
//! their incidents, every instant in UTC milliseconds.

use std::path::Path;

use polars::prelude::*;
use rayon::prelude::*;

use super::reference_index::ReferenceIndex;
use super::DetectError;
use crate::config::AttendanceTargets;
use crate::schema::{Area, Category, Channel, Grade, RiskLevel, RiskTool};

/// One incident, with the calls that reached it.
#[derive(Debug, Clone, Default)]
pub struct Incident {
    /// Index into [`Records::forces`].
    pub force: u16,
    pub incident_ref: PlSmallStr,
    pub created_at: i64,
    /// The first call's receipt, else the creation time: when the force first knew.
    pub contact_at: i64,
    pub domestic: bool,
    pub opening: Option<Category>,
    pub closing: Option<Category>,
    pub initial_grade: Option<Grade>,
    pub final_grade: Option<Grade>,
    pub final_grade_raw: PlSmallStr,
    pub regraded_at: Option<i64>,
    pub dispatched_at: Option<i64>,
    pub arrived_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub postcode: Option<PlSmallStr>,
    pub area: Option<Area>,
    pub risk_tool: Option<RiskTool>,
    pub risk_level: Option<RiskLevel>,
    pub risk_score: Option<i64>,
    pub risk_assessed_at: Option<i64>,
    pub marac_at: Option<i64>,
    pub idva_at: Option<i64>,
    pub review_at: Option<i64>,
    pub outcome: Option<PlSmallStr>,
    pub offence_code: Option<PlSmallStr>,
    /// Indices into [`Records::calls`], in time order.
    pub calls: Vec<u32>,
}

impl Incident {
    /// The grade the contact was first given (the final one where the first is unknown).
    pub fn grade(&self) -> Option<Grade> {
        self.initial_grade.or(self.final_grade)
    }

    /// The attendance target (minutes) of its final grade (first where unknown)
    /// in its area; an unknown area gets the rural, longer, target. `None`
    /// where the grade expects no attendance.
    pub fn target_minutes(&self, targets: &AttendanceTargets) -> Option<u32> {
        let grade = self.final_grade.or(self.initial_grade)?;
        targets.minutes(grade, Some(self.area.unwrap_or(Area::Rural)))
    }

    /// Assessed high risk: a DASH score at or above `dash_score`, or a HIGH level on any tool.
    pub fn high_risk(&self, dash_score: i64) -> bool {
        self.risk_score.is_some_and(|s| s >= dash_score) || self.risk_level == Some(RiskLevel::High)
    }

    /// Whether a risk assessment is recorded at all (DARA has levels but no score).
    pub fn assessed(&self) -> bool {
        self.risk_assessed_at.is_some() || self.risk_level.is_some() || self.risk_tool.is_some()
    }
}

/// One call.
#[derive(Debug, Clone, Default)]
pub struct Call {
    pub force: u16,
    pub call_id: PlSmallStr,
    /// The incident reference the call carries.
    pub incident_ref: Option<PlSmallStr>,
    /// Index into [`Records::incidents`], when that incident is in the data.
    pub incident: Option<u32>,
    pub channel: Option<Channel>,
    pub received_at: i64,
    /// E.164.
    pub number: Option<PlSmallStr>,
    pub abandoned: bool,
    pub silent: bool,
}

/// Every call and incident of a run.
#[derive(Debug, Clone, Default)]
pub struct Records {
    pub forces: Vec<String>,
    pub incidents: Vec<Incident>,
    pub calls: Vec<Call>,
    /// The latest instant anywhere in the data: "now" for deadlines and recency.
    pub data_end: i64,
    /// Incidents by force and reference.
    references: ReferenceIndex,
}

impl Records {
    /// Reads `calls.parquet` and `incidents.parquet` from `canonical`.
    pub fn read(canonical: &Path, force_ids: &[String]) -> Result<Records, DetectError> {
        let (incidents, calls) = rayon::join(
            || read_frame(&canonical.join("incidents.parquet"), INCIDENT_COLUMNS),
            || read_frame(&canonical.join("calls.parquet"), CALL_COLUMNS),
        );
        let (incidents, calls) = (incidents?, calls?);
        let mut forces = force_ids.to_vec();
        let table = |path: &str| {
            let path = canonical.join(path);
            move |e: PolarsError| DetectError::Table {
                path: path.clone(),
                reason: e.to_string(),
            }
        };
        let incident_forces = force_numbers(&incidents, &mut forces).map_err(table("incidents.parquet"))?;
        let call_forces = force_numbers(&calls, &mut forces).map_err(table("calls.parquet"))?;
        let (incidents, calls) = rayon::join(
            || {
                in_slices(&incidents, |part, first, rows| {
                    incident_rows(part, &incident_forces[first..], rows)
                })
            },
            || in_slices(&calls, |part, first, rows| call_rows(part, &call_forces[first..], rows)),
        );
        let incidents = incidents.map_err(table("incidents.parquet"))?;
        let calls = calls.map_err(table("calls.parquet"))?;
        Ok(Records::from_rows(forces, incidents, calls))
    }

    /// Builds records from rows already in memory (tests, and callers that made them).
    pub fn from_rows(forces: Vec<String>, incidents: Vec<Incident>, calls: Vec<Call>) -> Records {
        let mut records = Records {
            forces,
            incidents,
            calls,
            data_end: 0,
            references: ReferenceIndex::default(),
        };
        records.references = ReferenceIndex::build(&records.forces, &records.incidents);
        records.attach_calls();
        records.data_end = records.latest_instant();
        records
    }

    pub fn force_id(&self, force: u16) -> &str {
        &self.forces[usize::from(force)]
    }

    /// The incident a force (by id) gives this reference, if it is in the data.
    pub fn incident_of(&self, force: &str, reference: &str) -> Option<u32> {
        self.references.find(force, reference)
    }

    /// Points each call at its incident (by force and reference) and each
    /// incident at its calls, in time order; an incident's first contact is
    /// its first call's receipt when that is earlier than its creation.
    fn attach_calls(&mut self) {
        let references = &self.references;
        self.calls.par_iter_mut().for_each(|call| {
            call.incident = call
                .incident_ref
                .as_deref()
                .and_then(|reference| references.get(call.force, reference));
        });
        // (incident, receipt, call), so each incident's calls are one run in time order.
        let mut attached: Vec<(u32, i64, u32)> = self
            .calls
            .par_iter()
            .enumerate()
            .filter_map(|(c, call)| Some((call.incident?, call.received_at, c as u32)))
            .collect();
        attached.par_sort_unstable();
        self.incidents.par_iter_mut().enumerate().for_each(|(i, incident)| {
            let i = i as u32;
            let start = attached.partition_point(|&(owner, ..)| owner < i);
            let end = start + attached[start..].partition_point(|&(owner, ..)| owner == i);
            incident.calls = attached[start..end].iter().map(|&(.., c)| c).collect();
            let first_call = attached[start..end].first().map(|&(_, at, _)| at);
            incident.contact_at = first_call.map_or(incident.created_at, |t| t.min(incident.created_at));
        });
    }

    fn latest_instant(&self) -> i64 {
        let incident_end = self.incidents.par_iter().map(|i| {
            [i.closed_at, i.arrived_at, i.dispatched_at, Some(i.created_at)]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(i.created_at)
        });
        let call_end = self.calls.par_iter().map(|c| c.received_at);
        incident_end.chain(call_end).max().unwrap_or(0)
    }
}

/// The columns of `incidents.parquet` that detection reads.
const INCIDENT_COLUMNS: &[&str] = &[
    "force",
    "incident_ref",
    "created_at",
    "domestic",
    "opening_category",
    "closing_category",
    "initial_grade",
    "final_grade",
    "final_grade_raw",
    "regraded_at",
    "dispatched_at",
    "arrived_at",
    "closed_at",
    "postcode",
    "area",
    "risk_tool",
    "risk_level",
    "risk_score",
    "risk_assessed_at",
    "marac_referral_at",
    "idva_referral_at",
    "specialist_review_at",
    "outcome",
    "offence_code",
];

/// The columns of `calls.parquet` that detection reads.
const CALL_COLUMNS: &[&str] = &[
    "force",
    "call_id",
    "incident_ref",
    "channel",
    "received_at",
    "caller_number",
    "abandoned",
    "silent",
];

/// Reads some columns of a Parquet table.
pub fn read_frame(path: &Path, columns: &[&str]) -> Result<DataFrame, DetectError> {
    let file = std::fs::File::open(path).map_err(|e| DetectError::Missing {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    ParquetReader::new(file)
        .with_columns(Some(columns.iter().map(|c| c.to_string()).collect()))
        .finish()
        .map_err(|e| DetectError::Table {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}

/// The rows of a frame, filled in by `fill` from slices of it (the slice
/// and the rows it fills) in parallel, in place: each slice's columns are
/// extracted while they are still in cache, no column is extracted whole on
/// one thread, and no thread copies the rows again afterwards.
fn in_slices<T: Send + Default>(
    frame: &DataFrame,
    fill: impl Fn(&DataFrame, usize, &mut [T]) -> PolarsResult<()> + Sync,
) -> PolarsResult<Vec<T>> {
    const SLICE: usize = 32_768;
    let mut all = Vec::new();
    (0..frame.height())
        .into_par_iter()
        .map(|_| T::default())
        .collect_into_vec(&mut all);
    all.par_chunks_mut(SLICE)
        .enumerate()
        .try_for_each(|(k, rows)| fill(&frame.slice((k * SLICE) as i64, SLICE), k * SLICE, rows))?;
    Ok(all)
}

fn incident_rows(frame: &DataFrame, force: &[u16], rows: &mut [Incident]) -> PolarsResult<()> {
    let reference = texts(frame, "incident_ref")?;
    let created = instants(frame, "created_at")?;
    let domestic = flags(frame, "domestic")?;
    let (opening, closing) = (codes(frame, "opening_category")?, codes(frame, "closing_category")?);
    let (initial_grade, final_grade) = (codes(frame, "initial_grade")?, codes(frame, "final_grade")?);
    let final_grade_raw = texts(frame, "final_grade_raw")?;
    let [regraded, dispatched, arrived, closed] = [
        instants(frame, "regraded_at")?,
        instants(frame, "dispatched_at")?,
        instants(frame, "arrived_at")?,
        instants(frame, "closed_at")?,
    ];
    let postcode = texts(frame, "postcode")?;
    let area = codes(frame, "area")?;
    let (risk_tool, risk_level) = (codes(frame, "risk_tool")?, codes(frame, "risk_level")?);
    let risk_score = instants(frame, "risk_score")?;
    let [assessed, marac, idva, review] = [
        instants(frame, "risk_assessed_at")?,
        instants(frame, "marac_referral_at")?,
        instants(frame, "idva_referral_at")?,
        instants(frame, "specialist_review_at")?,
    ];
    let outcome = texts(frame, "outcome")?;
    let offence = texts(frame, "offence_code")?;
    for (i, row) in rows.iter_mut().enumerate() {
        *row = Incident {
            force: force[i],
            incident_ref: reference[i].unwrap_or_default().into(),
            created_at: created[i].unwrap_or_default(),
            contact_at: created[i].unwrap_or_default(),
            domestic: domestic[i].unwrap_or(false),
            opening: opening[i],
            closing: closing[i],
            initial_grade: initial_grade[i],
            final_grade: final_grade[i],
            final_grade_raw: final_grade_raw[i].unwrap_or_default().into(),
            regraded_at: regraded[i],
            dispatched_at: dispatched[i],
            arrived_at: arrived[i],
            closed_at: closed[i],
            postcode: owned(postcode[i]),
            area: area[i],
            risk_tool: risk_tool[i],
            risk_level: risk_level[i],
            risk_score: risk_score[i],
            risk_assessed_at: assessed[i],
            marac_at: marac[i],
            idva_at: idva[i],
            review_at: review[i],
            outcome: owned(outcome[i]),
            offence_code: owned(offence[i]),
            calls: Vec::new(),
        };
    }
    Ok(())
}

fn call_rows(frame: &DataFrame, force: &[u16], rows: &mut [Call]) -> PolarsResult<()> {
    let call_id = texts(frame, "call_id")?;
    let reference = texts(frame, "incident_ref")?;
    let channel = codes(frame, "channel")?;
    let received = instants(frame, "received_at")?;
    let number = texts(frame, "caller_number")?;
    let abandoned = flags(frame, "abandoned")?;
    let silent = flags(frame, "silent")?;
    for (i, row) in rows.iter_mut().enumerate() {
        *row = Call {
            force: force[i],
            call_id: call_id[i].unwrap_or_default().into(),
            incident_ref: owned(reference[i]),
            incident: None,
            channel: channel[i],
            received_at: received[i].unwrap_or_default(),
            number: owned(number[i]),
            abandoned: abandoned[i].unwrap_or(false),
            silent: silent[i].unwrap_or(false),
        };
    }
    Ok(())
}

/// Each row's force as a number, adding forces the configuration does not list.
fn force_numbers(frame: &DataFrame, forces: &mut Vec<String>) -> PolarsResult<Vec<u16>> {
    let mut known: PlHashMap<String, u16> = forces.iter().enumerate().map(|(n, f)| (f.clone(), n as u16)).collect();
    let mut numbers = Vec::with_capacity(frame.height());
    // A force's rows come together, so most rows have the previous row's force.
    let mut previous: Option<(&str, u16)> = None;
    for id in frame.column("force")?.str()?.iter() {
        let id = id.unwrap_or("");
        let number = match (previous, known.get(id)) {
            (Some((text, n)), _) if text == id => n,
            (_, Some(&n)) => n,
            (_, None) => {
                forces.push(id.to_string());
                known.insert(id.to_string(), (forces.len() - 1) as u16);
                (forces.len() - 1) as u16
            }
        };
        previous = Some((id, number));
        numbers.push(number);
    }
    Ok(numbers)
}

/// A text column, borrowed; empty texts are missing.
fn texts<'a>(frame: &'a DataFrame, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
    Ok(frame
        .column(name)?
        .str()?
        .iter()
        .map(|v| v.filter(|t| !t.is_empty()))
        .collect())
}

fn owned(text: Option<&str>) -> Option<PlSmallStr> {
    text.map(PlSmallStr::from)
}

/// Canonical codes, each distinct text parsed once; `UNKNOWN` and missing values are `None`.
fn codes<T: std::str::FromStr + Copy>(frame: &DataFrame, name: &str) -> PolarsResult<Vec<Option<T>>> {
    let mut parsed: PlHashMap<&str, Option<T>> = PlHashMap::default();
    let column = frame.column(name)?.str()?;
    Ok(column
        .iter()
        .map(|v| v.and_then(|text| *parsed.entry(text).or_insert_with(|| text.parse().ok())))
        .collect())
}

fn instants(frame: &DataFrame, name: &str) -> PolarsResult<Vec<Option<i64>>> {
    Ok(frame.column(name)?.cast(&DataType::Int64)?.i64()?.iter().collect())
}

fn flags(frame: &DataFrame, name: &str) -> PolarsResult<Vec<Option<bool>>> {
    Ok(frame.column(name)?.bool()?.iter().collect())
}
