//! The canonical calls and incidents as detection reads them: one row struct
//! each, read back from the ingest stage's Parquet tables, calls attached to
//! their incidents, every instant in UTC milliseconds.

use std::path::Path;

use polars::prelude::*;
use rayon::prelude::*;

use crate::config::AttendanceTargets;
use crate::detect::input::lexicon::Lexicon;
use crate::detect::input::parquet_table::{ParquetTable, PIECE_ROWS};
use crate::detect::input::reference_index::ReferenceIndex;
use crate::detect::DetectError;
use crate::schema::columns as c;
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
    /// Where it happened: the place key address timelines use (`ingest::place`; a postcode in the pilot exports).
    pub place: Option<PlSmallStr>,
    pub area: Option<Area>,
    pub risk_tool: Option<RiskTool>,
    pub risk_level: Option<RiskLevel>,
    pub risk_score: Option<i64>,
    pub risk_assessed_at: Option<i64>,
    pub marac_at: Option<i64>,
    pub idva_at: Option<i64>,
    pub review_at: Option<i64>,
    pub outcome: Option<PlSmallStr>,
    /// As exported, for the force's list of closings that need no attendance.
    pub closing_code_raw: Option<PlSmallStr>,
    pub outcome_raw: Option<PlSmallStr>,
    pub offence_code: Option<PlSmallStr>,
    /// The narrative words of a domestic incident, a bit per entry of the [`Lexicon`].
    pub narrative_words: u64,
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
        targets.minutes(grade, self.area)
    }

    /// Assessed high risk: a DASH score at or above `dash_score`, or a HIGH level on any tool.
    pub fn high_risk(&self, dash_score: i64) -> bool {
        self.risk_score.is_some_and(|s| s >= dash_score) || self.risk_level == Some(RiskLevel::High)
    }

    /// Whether a risk assessment is recorded at all (DARA has levels but no score).
    pub fn assessed(&self) -> bool {
        self.risk_assessed_at.is_some()
            || self.risk_level.is_some()
            || self.risk_tool.is_some()
            || self.risk_score.is_some()
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
    /// The end of the data, "now" for deadlines and recency: the last call
    /// received or incident created (a closing time is not new data).
    pub data_end: i64,
    /// Incidents by force and reference.
    references: ReferenceIndex,
}

impl Records {
    /// Reads `calls.parquet` and `incidents.parquet` from `canonical`, each
    /// domestic incident's narrative matched against `lexicon`. The
    /// forces are `force_ids` then any others, in order of first appearance
    /// among the incidents, then among the calls.
    pub fn read(canonical: &Path, force_ids: &[String], lexicon: &Lexicon) -> Result<Records, DetectError> {
        let (incidents, calls) = rayon::join(
            || {
                let path = canonical.join("incidents.parquet");
                let fill = |frame: &DataFrame, force: &[u16], rows: &mut [Incident]| {
                    incident_rows(frame, force, rows, lexicon)
                };
                read_rows(&path, INCIDENT_COLUMNS, force_ids, PIECE_ROWS, fill)
            },
            || {
                let path = canonical.join("calls.parquet");
                read_rows(&path, CALL_COLUMNS, force_ids, PIECE_ROWS, call_rows)
            },
        );
        let ((mut forces, incidents), (call_forces, mut calls)) = (incidents?, calls?);
        let renumbered: Vec<u16> = call_forces.iter().map(|id| force_number(&mut forces, id)).collect();
        if renumbered.iter().enumerate().any(|(n, &m)| usize::from(m) != n) {
            calls
                .par_iter_mut()
                .for_each(|call| call.force = renumbered[usize::from(call.force)]);
        }
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
        let incident_end = self.incidents.par_iter().map(|i| i.created_at);
        let call_end = self.calls.par_iter().map(|c| c.received_at);
        incident_end.chain(call_end).max().unwrap_or(0)
    }
}

/// The columns of `incidents.parquet` that detection reads.
const INCIDENT_COLUMNS: &[&str] = &[
    c::FORCE,
    c::INCIDENT_REF,
    c::CREATED_AT,
    c::DOMESTIC,
    c::OPENING_CATEGORY,
    c::CLOSING_CATEGORY,
    c::INITIAL_GRADE,
    c::FINAL_GRADE,
    c::FINAL_GRADE_RAW,
    c::REGRADED_AT,
    c::DISPATCHED_AT,
    c::ARRIVED_AT,
    c::CLOSED_AT,
    c::PLACE,
    c::AREA,
    c::RISK_TOOL,
    c::RISK_LEVEL,
    c::RISK_SCORE,
    c::RISK_ASSESSED_AT,
    c::MARAC_REFERRAL_AT,
    c::IDVA_REFERRAL_AT,
    c::SPECIALIST_REVIEW_AT,
    c::OUTCOME,
    c::CLOSING_CODE,
    c::OUTCOME_RAW,
    c::OFFENCE_CODE,
    c::NARRATIVE,
];

/// The columns of `calls.parquet` that detection reads.
const CALL_COLUMNS: &[&str] = &[
    c::FORCE,
    c::CALL_ID,
    c::INCIDENT_REF,
    c::CHANNEL,
    c::RECEIVED_AT,
    c::CALLER_NUMBER,
    c::ABANDONED,
    c::SILENT,
];

/// A Parquet table's rows, filled in by `fill` from its frame `piece_rows`
/// rows at a time, and the forces they name: `force_ids`, then any others in
/// order of first appearance (each row's force is a number into that list).
fn read_rows<T: Send + Default>(
    path: &Path,
    columns: &[&str],
    force_ids: &[String],
    piece_rows: usize,
    fill: impl Fn(&DataFrame, &[u16], &mut [T]) -> PolarsResult<()> + Sync,
) -> Result<(Vec<String>, Vec<T>), DetectError> {
    let table = ParquetTable::open(path)?;
    let total = table.rows();
    let mut forces = force_ids.to_vec();
    let mut rows = Vec::new();
    (0..total)
        .into_par_iter()
        .map(|_| T::default())
        .collect_into_vec(&mut rows);
    let changed = || DetectError::Table {
        path: path.to_path_buf(),
        reason: "the table changed while it was read; run detect again".to_string(),
    };
    let mut first = 0;
    table.in_pieces(columns, piece_rows, |piece| {
        let filled = rows.get_mut(first..first + piece.height()).ok_or_else(changed)?;
        first += piece.height();
        let numbers = force_numbers(piece, &mut forces).map_err(|e| table.error(e))?;
        in_slices(piece, &numbers, filled, &fill).map_err(|e| table.error(e))
    })?;
    if first != total {
        return Err(changed());
    }
    Ok((forces, rows))
}

/// Fills the rows of a frame (whose rows' forces are `forces`) from slices
/// of it in parallel, in place: each slice's columns are extracted while
/// they are still in cache, and no column is extracted whole on one thread.
fn in_slices<T: Send>(
    frame: &DataFrame,
    forces: &[u16],
    rows: &mut [T],
    fill: &(impl Fn(&DataFrame, &[u16], &mut [T]) -> PolarsResult<()> + Sync),
) -> PolarsResult<()> {
    const SLICE: usize = 32_768;
    rows.par_chunks_mut(SLICE).enumerate().try_for_each(|(k, rows)| {
        let first = k * SLICE;
        fill(&frame.slice(first as i64, SLICE), &forces[first..], rows)
    })
}

fn incident_rows(frame: &DataFrame, force: &[u16], rows: &mut [Incident], lexicon: &Lexicon) -> PolarsResult<()> {
    let reference = texts(frame, c::INCIDENT_REF)?;
    let created = instants(frame, c::CREATED_AT)?;
    let domestic = flags(frame, c::DOMESTIC)?;
    let (opening, closing) = (codes(frame, c::OPENING_CATEGORY)?, codes(frame, c::CLOSING_CATEGORY)?);
    let (initial_grade, final_grade) = (codes(frame, c::INITIAL_GRADE)?, codes(frame, c::FINAL_GRADE)?);
    let final_grade_raw = texts(frame, c::FINAL_GRADE_RAW)?;
    let [regraded, dispatched, arrived, closed] = [
        instants(frame, c::REGRADED_AT)?,
        instants(frame, c::DISPATCHED_AT)?,
        instants(frame, c::ARRIVED_AT)?,
        instants(frame, c::CLOSED_AT)?,
    ];
    let place = texts(frame, c::PLACE)?;
    let area = codes(frame, c::AREA)?;
    let (risk_tool, risk_level) = (codes(frame, c::RISK_TOOL)?, codes(frame, c::RISK_LEVEL)?);
    let risk_score = instants(frame, c::RISK_SCORE)?;
    let [assessed, marac, idva, review] = [
        instants(frame, c::RISK_ASSESSED_AT)?,
        instants(frame, c::MARAC_REFERRAL_AT)?,
        instants(frame, c::IDVA_REFERRAL_AT)?,
        instants(frame, c::SPECIALIST_REVIEW_AT)?,
    ];
    let outcome = texts(frame, c::OUTCOME)?;
    let offence = texts(frame, c::OFFENCE_CODE)?;
    let (closing_raw, outcome_raw) = (texts(frame, c::CLOSING_CODE)?, texts(frame, c::OUTCOME_RAW)?);
    let narrative = texts(frame, c::NARRATIVE)?;
    for (i, row) in rows.iter_mut().enumerate() {
        let domestic = domestic[i].unwrap_or(false);
        *row = Incident {
            force: force[i],
            incident_ref: reference[i].unwrap_or_default().into(),
            created_at: created[i].unwrap_or_default(),
            contact_at: created[i].unwrap_or_default(),
            domestic,
            opening: opening[i],
            closing: closing[i],
            initial_grade: initial_grade[i],
            final_grade: final_grade[i],
            final_grade_raw: final_grade_raw[i].unwrap_or_default().into(),
            regraded_at: regraded[i],
            dispatched_at: dispatched[i],
            arrived_at: arrived[i],
            closed_at: closed[i],
            place: owned(place[i]),
            area: area[i],
            risk_tool: risk_tool[i],
            risk_level: risk_level[i],
            risk_score: risk_score[i],
            risk_assessed_at: assessed[i],
            marac_at: marac[i],
            idva_at: idva[i],
            review_at: review[i],
            outcome: owned(outcome[i]),
            closing_code_raw: owned(closing_raw[i]),
            outcome_raw: owned(outcome_raw[i]),
            offence_code: owned(offence[i]),
            narrative_words: match narrative[i] {
                Some(text) if domestic => lexicon.matches(text),
                _ => 0,
            },
            calls: Vec::new(),
        };
    }
    Ok(())
}

fn call_rows(frame: &DataFrame, force: &[u16], rows: &mut [Call]) -> PolarsResult<()> {
    let call_id = texts(frame, c::CALL_ID)?;
    let reference = texts(frame, c::INCIDENT_REF)?;
    let channel = codes(frame, c::CHANNEL)?;
    let received = instants(frame, c::RECEIVED_AT)?;
    let number = texts(frame, c::CALLER_NUMBER)?;
    let abandoned = flags(frame, c::ABANDONED)?;
    let silent = flags(frame, c::SILENT)?;
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
    let mut numbers = Vec::with_capacity(frame.height());
    // A force's rows come together, so most rows have the previous row's force.
    let mut previous: Option<(&str, u16)> = None;
    for id in frame.column(c::FORCE)?.str()?.iter() {
        let id = id.unwrap_or("");
        let number = match previous {
            Some((text, n)) if text == id => n,
            _ => force_number(forces, id),
        };
        previous = Some((id, number));
        numbers.push(number);
    }
    Ok(numbers)
}

/// The number of a force in `forces`, added at the end when it is not there.
fn force_number(forces: &mut Vec<String>, id: &str) -> u16 {
    match forces.iter().position(|f| f == id) {
        Some(n) => n as u16,
        None => {
            forces.push(id.to_string());
            (forces.len() - 1) as u16
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A calls table of `n` rows over three forces, one of them not configured.
    fn calls_table(dir: &Path, n: usize) -> std::path::PathBuf {
        let force: Vec<&str> = (0..n).map(|i| ["b", "a", "c"][i * 3 / n]).collect();
        let id: Vec<String> = (0..n).map(|i| format!("C{i}")).collect();
        let reference: Vec<Option<String>> = (0..n).map(|i| (i % 4 != 0).then(|| format!("I{}", i / 2))).collect();
        let channel: Vec<&str> = (0..n).map(|i| ["999", "101", ""][i % 3]).collect();
        let received: Vec<i64> = (0..n).map(|i| 1_700_000_000_000 + 60_000 * i as i64).collect();
        let number: Vec<Option<&str>> = (0..n).map(|i| (i % 5 == 0).then_some("+447700900123")).collect();
        let flag: Vec<bool> = (0..n).map(|i| i % 7 == 0).collect();
        let mut frame = df!(
            "force" => force,
            "call_id" => id,
            "incident_ref" => reference,
            "channel" => channel,
            "received_at" => received,
            "caller_number" => number,
            "abandoned" => flag.clone(),
            "silent" => flag,
        )
        .unwrap();
        let path = dir.join("calls.parquet");
        ParquetWriter::new(std::fs::File::create(&path).unwrap())
            .finish(&mut frame)
            .unwrap();
        path
    }

    /// An incidents table of two rows, of forces `b` and `x`, with every column detection reads.
    fn incidents_table(dir: &Path) {
        let texts = |values: [&str; 2]| Series::new("".into(), values.to_vec());
        let columns: Vec<Column> = INCIDENT_COLUMNS
            .iter()
            .map(|&name| {
                let series = match name {
                    "force" => texts(["b", "x"]),
                    "incident_ref" => texts(["I1", "I2"]),
                    "domestic" => Series::new("".into(), [true, false].to_vec()),
                    "opening_category" | "closing_category" => texts(["DOMESTIC", ""]),
                    "initial_grade" | "final_grade" => texts(["PRIORITY", "EMERGENCY"]),
                    "area" => texts(["URBAN", ""]),
                    "narrative" => texts(["Threatened with a KNIFE", "knife"]),
                    "risk_tool" | "risk_level" | "final_grade_raw" | "place" | "outcome" | "offence_code"
                    | "closing_code" | "outcome_raw" => texts(["", ""]),
                    _ => Series::new("".into(), [1_700_000_000_000i64, 1_700_000_060_000].to_vec()),
                };
                series.with_name(name.into()).into()
            })
            .collect();
        let mut frame = DataFrame::new(2, columns).unwrap();
        ParquetWriter::new(std::fs::File::create(dir.join("incidents.parquet")).unwrap())
            .finish(&mut frame)
            .unwrap();
    }

    #[test]
    fn forces_are_the_configured_ones_then_the_incidents_others_then_the_calls_others() {
        let dir = crate::scratch::ScratchDir::new();
        incidents_table(dir.path());
        calls_table(dir.path(), 3);
        let call_forces = |records: &Records| -> Vec<String> {
            let force_of = |call: &Call| records.force_id(call.force).to_string();
            records.calls.iter().map(force_of).collect()
        };
        let records = Records::read(dir.path(), &["a".to_string(), "c".to_string()], &Lexicon::default()).unwrap();
        // The incidents name b and x; the calls (of forces b, a and c) add none.
        assert_eq!(records.forces, ["a", "c", "b", "x"]);
        assert_eq!(call_forces(&records), ["b", "a", "c"]);
        assert_eq!(records.force_id(records.incidents[1].force), "x");

        let lexicon = Lexicon::new(&["knife".to_string(), "bail".to_string()]);
        let records = Records::read(dir.path(), &["z".to_string()], &lexicon).unwrap();
        let words: Vec<u64> = records.incidents.iter().map(|i| i.narrative_words).collect();
        assert_eq!(words, [0b01, 0], "matched on the domestic incident only");
        // Now the calls' forces a and c are new: they follow the incidents' b and x.
        assert_eq!(records.forces, ["z", "b", "x", "a", "c"]);
        assert_eq!(call_forces(&records), ["b", "a", "c"]);
    }

    #[test]
    fn reading_in_pieces_gives_the_rows_and_forces_of_reading_whole() {
        let dir = crate::scratch::ScratchDir::new();
        let path = calls_table(dir.path(), 1000);
        let configured = ["a".to_string(), "b".to_string()];
        let read = |piece_rows| read_rows(&path, CALL_COLUMNS, &configured, piece_rows, call_rows).unwrap();
        let (forces, whole) = read(usize::MAX);
        assert_eq!(forces, ["a", "b", "c"], "configured forces first, then others as found");
        assert_eq!(whole.len(), 1000);
        assert_eq!((whole[0].force, whole[999].force), (1, 2));
        assert_eq!(whole[998].call_id, "C998");
        assert_eq!(whole[4].incident_ref.as_deref(), None);
        for piece_rows in [1, 7, 333, 1000] {
            let (forces_in_pieces, in_pieces) = read(piece_rows);
            assert_eq!(forces_in_pieces, forces, "pieces of {piece_rows}");
            assert_eq!(format!("{in_pieces:?}"), format!("{whole:?}"), "pieces of {piece_rows}");
        }
    }
}
