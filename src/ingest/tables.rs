//! The canonical tables as ingest builds them, and their polars form.
//!
//! Columns (instants are `Datetime[ms, UTC]`, dates `Date`; `*_raw` keeps the
//! force's own code or text beside its canonical form):
//! - `calls`: force, call_id, incident_ref, channel_raw, channel, received_at,
//!   answered_at, ended_at, caller_number_raw, caller_number (E.164),
//!   abandoned, silent, source_file, source_line.
//! - `incidents`: force, incident_ref, created_at, opening_code,
//!   opening_category, closing_code, closing_category, da_qualifier, domestic,
//!   initial_grade_raw, initial_grade, final_grade_raw, final_grade,
//!   grade_change, graded_at, regraded_at, dispatched_at, arrived_at,
//!   closed_at, postcode_raw, postcode, place, place_kind, area_raw, area, risk_tool_raw,
//!   risk_tool, risk_level_raw, risk_level, risk_score, risk_assessed_at,
//!   referral_raw, marac_referral_at, idva_referral_at, specialist_review_at,
//!   outcome_raw, outcome, offence_code, narrative, source_file, source_line.
//! - `mentions`: force, incident_ref, mention_id, role_raw, role, person_ref,
//!   forename, surname, forename_norm, surname_norm, dob, phone_raw, phone
//!   (E.164), address, postcode_raw, postcode, sex_raw, sex, source_file,
//!   source_line.

use std::mem::MaybeUninit;

use polars::prelude::*;
use rayon::prelude::*;

use super::calls::CallRecord;
use super::frame::FrameBuilder;
use super::incidents::IncidentRecord;
use super::mentions::{mention_id, MentionRecord};
use super::time_order::RepeatedHourTally;
use crate::schema::columns as c;
use crate::schema::CanonicalCode;

/// A record with the file row it came from (the file by its place in [`Canonical::files`]).
#[derive(Debug, Clone, Copy)]
pub struct Sourced<T> {
    pub file: u32,
    pub line: u64,
    pub record: T,
}

impl Sourced<()> {
    pub fn place(file: u32, line: u64) -> Sourced<()> {
        Sourced { file, line, record: () }
    }

    pub fn with<T>(self, record: T) -> Sourced<T> {
        Sourced {
            file: self.file,
            line: self.line,
            record,
        }
    }
}

/// An export file rows were read from, and its force.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub force: String,
    pub path: String,
}

/// Makes room for `more` rows and touches it from every thread, so that the
/// kernel zeroes the new pages in parallel rather than on the one thread that
/// adds rows in file order.
pub fn reserve_touched<T: Send>(rows: &mut Vec<T>, more: usize) {
    rows.reserve(more);
    rows.spare_capacity_mut()[..more]
        .par_chunks_mut(1 << 10)
        .for_each(|slots| slots.fill_with(MaybeUninit::zeroed));
}

/// The three canonical tables, rows in input order (forces and files as
/// configured), and the files their rows came from.
#[derive(Debug, Default)]
pub struct Canonical {
    pub calls: Vec<Sourced<CallRecord>>,
    pub incidents: Vec<Sourced<IncidentRecord>>,
    pub mentions: Vec<Sourced<MentionRecord>>,
    pub files: Vec<SourceFile>,
    /// How readings in the hour the clocks go back were placed, per force, table and field.
    pub repeated_hour: RepeatedHourTally,
}

/// The canonical tables as data frames.
pub struct CanonicalFrames {
    pub calls: DataFrame,
    pub incidents: DataFrame,
    pub mentions: DataFrame,
}

impl Canonical {
    /// Adds a file rows are about to be read from; its rows carry the number returned.
    pub fn add_file(&mut self, force: &str, path: &str) -> u32 {
        self.files.push(SourceFile {
            force: force.to_string(),
            path: path.to_string(),
        });
        u32::try_from(self.files.len() - 1).expect("fewer than 4 billion export files")
    }

    /// The force a row came from.
    pub fn force_of<T>(&self, row: &Sourced<T>) -> &str {
        &self.files[row.file as usize].force
    }

    /// The export file (as configured) a row came from.
    pub fn file_of<T>(&self, row: &Sourced<T>) -> &str {
        &self.files[row.file as usize].path
    }

    pub fn to_frames(&self) -> PolarsResult<CanonicalFrames> {
        let (calls, (incidents, mentions)) = rayon::join(
            || calls_frame(self),
            || rayon::join(|| incidents_frame(self), || mentions_frame(self)),
        );
        Ok(CanonicalFrames {
            calls: calls?,
            incidents: incidents?,
            mentions: mentions?,
        })
    }
}

fn calls_frame(canonical: &Canonical) -> PolarsResult<DataFrame> {
    FrameBuilder::new(&canonical.calls)
        .text(c::FORCE, |r| Some(canonical.force_of(r)))
        .text(c::CALL_ID, |r| Some(&r.record.call_id))
        .text(c::INCIDENT_REF, |r| r.record.incident_ref.as_deref())
        .text(c::CHANNEL_RAW, |r| r.record.channel.raw.as_deref())
        .text(c::CHANNEL, |r| r.record.channel.canonical())
        .instant(c::RECEIVED_AT, |r| Some(r.record.received_at))
        .instant(c::ANSWERED_AT, |r| r.record.answered_at)
        .instant(c::ENDED_AT, |r| r.record.ended_at)
        .text(c::CALLER_NUMBER_RAW, |r| r.record.caller_number_raw.as_deref())
        .text(c::CALLER_NUMBER, |r| r.record.caller_number.as_deref())
        .flag(c::ABANDONED, |r| r.record.abandoned)
        .flag(c::SILENT, |r| r.record.silent)
        .sources(canonical)
        .build()
}

fn incidents_frame(canonical: &Canonical) -> PolarsResult<DataFrame> {
    FrameBuilder::new(&canonical.incidents)
        .text(c::FORCE, |r| Some(canonical.force_of(r)))
        .text(c::INCIDENT_REF, |r| Some(&r.record.incident_ref))
        .instant(c::CREATED_AT, |r| Some(r.record.created_at))
        .text(c::OPENING_CODE, |r| r.record.opening_code.raw.as_deref())
        .text(c::OPENING_CATEGORY, |r| r.record.opening_code.canonical())
        .text(c::CLOSING_CODE, |r| r.record.closing_code.raw.as_deref())
        .text(c::CLOSING_CATEGORY, |r| r.record.closing_code.canonical())
        .flag(c::DA_QUALIFIER, |r| r.record.da_qualifier)
        .flag(c::DOMESTIC, |r| Some(r.record.domestic()))
        .text(c::INITIAL_GRADE_RAW, |r| r.record.initial_grade.raw.as_deref())
        .text(c::INITIAL_GRADE, |r| r.record.initial_grade.canonical())
        .text(c::FINAL_GRADE_RAW, |r| r.record.final_grade.raw.as_deref())
        .text(c::FINAL_GRADE, |r| r.record.final_grade.canonical())
        .text(c::GRADE_CHANGE, |r| r.record.grade_change().map(|c| c.code()))
        .instant(c::GRADED_AT, |r| r.record.graded_at)
        .instant(c::REGRADED_AT, |r| r.record.regraded_at)
        .instant(c::DISPATCHED_AT, |r| r.record.dispatched_at)
        .instant(c::ARRIVED_AT, |r| r.record.arrived_at)
        .instant(c::CLOSED_AT, |r| r.record.closed_at)
        .text(c::POSTCODE_RAW, |r| r.record.postcode_raw.as_deref())
        .text(c::POSTCODE, |r| r.record.postcode.as_deref())
        .text(c::PLACE, |r| r.record.place.as_deref())
        .text(c::PLACE_KIND, |r| r.record.place_kind)
        .text(c::AREA_RAW, |r| r.record.area.raw.as_deref())
        .text(c::AREA, |r| r.record.area.canonical())
        .text(c::RISK_TOOL_RAW, |r| r.record.risk_tool.raw.as_deref())
        .text(c::RISK_TOOL, |r| r.record.risk_tool.canonical())
        .text(c::RISK_LEVEL_RAW, |r| r.record.risk_level_recorded.raw.as_deref())
        .text(c::RISK_LEVEL, |r| r.record.risk_level().map(CanonicalCode::code))
        .integer(c::RISK_SCORE, |r| r.record.risk_score)
        .instant(c::RISK_ASSESSED_AT, |r| r.record.risk_assessed_at)
        .text(c::REFERRAL_RAW, |r| r.record.referral.raw.as_deref())
        .instant(c::MARAC_REFERRAL_AT, |r| r.record.marac_referral_at)
        .instant(c::IDVA_REFERRAL_AT, |r| r.record.idva_referral_at)
        .instant(c::SPECIALIST_REVIEW_AT, |r| r.record.specialist_review_at)
        .text(c::OUTCOME_RAW, |r| r.record.outcome.raw.as_deref())
        .text(c::OUTCOME, |r| r.record.outcome.canonical())
        .text(c::OFFENCE_CODE, |r| r.record.offence_code.as_deref())
        .text(c::NARRATIVE, |r| r.record.narrative.as_deref())
        .sources(canonical)
        .build()
}

fn mentions_frame(canonical: &Canonical) -> PolarsResult<DataFrame> {
    let ids = mention_ids(canonical);
    FrameBuilder::new(&canonical.mentions)
        .text(c::FORCE, |r| Some(canonical.force_of(r)))
        .text(c::INCIDENT_REF, |r| Some(&r.record.incident_ref))
        .owned_text(c::MENTION_ID, ids)
        .text(c::ROLE_RAW, |r| r.record.role.raw.as_deref())
        .text(c::ROLE, |r| r.record.role.canonical())
        .text(c::PERSON_REF, |r| r.record.person_ref.as_deref())
        .text(c::FORENAME, |r| r.record.forename.as_deref())
        .text(c::SURNAME, |r| r.record.surname.as_deref())
        .text(c::FORENAME_NORM, |r| r.record.forename_norm.as_deref())
        .text(c::SURNAME_NORM, |r| r.record.surname_norm.as_deref())
        .date(c::DOB, |r| r.record.dob)
        .text(c::PHONE_RAW, |r| r.record.phone_raw.as_deref())
        .text(c::PHONE, |r| r.record.phone.as_deref())
        .text(c::ADDRESS, |r| r.record.address.as_deref())
        .text(c::POSTCODE_RAW, |r| r.record.postcode_raw.as_deref())
        .text(c::POSTCODE, |r| r.record.postcode.as_deref())
        .text(c::SEX_RAW, |r| r.record.sex.raw.as_deref())
        .text(c::SEX, |r| r.record.sex.canonical())
        .sources(canonical)
        .build()
}

/// The id of every mention: its ordinal within its incident, in file order.
pub fn mention_ids(canonical: &Canonical) -> Vec<String> {
    let rows = &canonical.mentions;
    let mut counts: PlHashMap<(&str, &str), u32> = PlHashMap::new();
    let ordinals: Vec<u32> = rows
        .iter()
        .map(|r| {
            let n = counts
                .entry((canonical.force_of(r), &r.record.incident_ref))
                .or_insert(0);
            *n += 1;
            *n
        })
        .collect();
    rows.par_iter()
        .zip(ordinals)
        .map(|(r, n)| mention_id(canonical.force_of(r), &r.record.incident_ref, n))
        .collect()
}
