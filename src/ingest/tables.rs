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
//!   closed_at, postcode_raw, postcode, area_raw, area, risk_tool_raw,
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
        .text("force", |r| Some(canonical.force_of(r)))
        .text("call_id", |r| Some(&r.record.call_id))
        .text("incident_ref", |r| r.record.incident_ref.as_deref())
        .text("channel_raw", |r| r.record.channel.raw.as_deref())
        .text("channel", |r| r.record.channel.canonical())
        .instant("received_at", |r| Some(r.record.received_at))
        .instant("answered_at", |r| r.record.answered_at)
        .instant("ended_at", |r| r.record.ended_at)
        .text("caller_number_raw", |r| r.record.caller_number_raw.as_deref())
        .text("caller_number", |r| r.record.caller_number.as_deref())
        .flag("abandoned", |r| r.record.abandoned)
        .flag("silent", |r| r.record.silent)
        .sources(canonical)
        .build()
}

fn incidents_frame(canonical: &Canonical) -> PolarsResult<DataFrame> {
    FrameBuilder::new(&canonical.incidents)
        .text("force", |r| Some(canonical.force_of(r)))
        .text("incident_ref", |r| Some(&r.record.incident_ref))
        .instant("created_at", |r| Some(r.record.created_at))
        .text("opening_code", |r| r.record.opening_code.raw.as_deref())
        .text("opening_category", |r| r.record.opening_code.canonical())
        .text("closing_code", |r| r.record.closing_code.raw.as_deref())
        .text("closing_category", |r| r.record.closing_code.canonical())
        .flag("da_qualifier", |r| r.record.da_qualifier)
        .flag("domestic", |r| Some(r.record.domestic()))
        .text("initial_grade_raw", |r| r.record.initial_grade.raw.as_deref())
        .text("initial_grade", |r| r.record.initial_grade.canonical())
        .text("final_grade_raw", |r| r.record.final_grade.raw.as_deref())
        .text("final_grade", |r| r.record.final_grade.canonical())
        .text("grade_change", |r| r.record.grade_change().map(|c| c.code()))
        .instant("graded_at", |r| r.record.graded_at)
        .instant("regraded_at", |r| r.record.regraded_at)
        .instant("dispatched_at", |r| r.record.dispatched_at)
        .instant("arrived_at", |r| r.record.arrived_at)
        .instant("closed_at", |r| r.record.closed_at)
        .text("postcode_raw", |r| r.record.postcode_raw.as_deref())
        .text("postcode", |r| r.record.postcode.as_deref())
        .text("area_raw", |r| r.record.area.raw.as_deref())
        .text("area", |r| r.record.area.canonical())
        .text("risk_tool_raw", |r| r.record.risk_tool.raw.as_deref())
        .text("risk_tool", |r| r.record.risk_tool.canonical())
        .text("risk_level_raw", |r| r.record.risk_level_recorded.raw.as_deref())
        .text("risk_level", |r| r.record.risk_level().map(CanonicalCode::code))
        .integer("risk_score", |r| r.record.risk_score)
        .instant("risk_assessed_at", |r| r.record.risk_assessed_at)
        .text("referral_raw", |r| r.record.referral.raw.as_deref())
        .instant("marac_referral_at", |r| r.record.marac_referral_at)
        .instant("idva_referral_at", |r| r.record.idva_referral_at)
        .instant("specialist_review_at", |r| r.record.specialist_review_at)
        .text("outcome_raw", |r| r.record.outcome.raw.as_deref())
        .text("outcome", |r| r.record.outcome.canonical())
        .text("offence_code", |r| r.record.offence_code.as_deref())
        .text("narrative", |r| r.record.narrative.as_deref())
        .sources(canonical)
        .build()
}

fn mentions_frame(canonical: &Canonical) -> PolarsResult<DataFrame> {
    let ids = mention_ids(canonical);
    FrameBuilder::new(&canonical.mentions)
        .text("force", |r| Some(canonical.force_of(r)))
        .text("incident_ref", |r| Some(&r.record.incident_ref))
        .owned_text("mention_id", ids)
        .text("role_raw", |r| r.record.role.raw.as_deref())
        .text("role", |r| r.record.role.canonical())
        .text("person_ref", |r| r.record.person_ref.as_deref())
        .text("forename", |r| r.record.forename.as_deref())
        .text("surname", |r| r.record.surname.as_deref())
        .text("forename_norm", |r| r.record.forename_norm.as_deref())
        .text("surname_norm", |r| r.record.surname_norm.as_deref())
        .date("dob", |r| r.record.dob)
        .text("phone_raw", |r| r.record.phone_raw.as_deref())
        .text("phone", |r| r.record.phone.as_deref())
        .text("address", |r| r.record.address.as_deref())
        .text("postcode_raw", |r| r.record.postcode_raw.as_deref())
        .text("postcode", |r| r.record.postcode.as_deref())
        .text("sex_raw", |r| r.record.sex.raw.as_deref())
        .text("sex", |r| r.record.sex.canonical())
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
