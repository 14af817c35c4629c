//! Which column (or date and time pair of columns) each canonical field
//! comes from, and what kind of export the file is. A column is proposed for
//! a field when its name answers one of the field's cues and its values fit
//! the field's type; the best-named pairing is taken first (a tie between two
//! fields goes to the one the schema lists first), and a field two columns
//! answer equally well is left for the analyst to choose.

use super::cues::name_score;
use super::formats::{Candidate, Shape};
use super::profile::ColumnProfile;
use super::vocabulary::CodeTableName;
use crate::config::{ExportKind, Field, FieldType};

/// Words that mark a column as the date or the time half of a pair.
const DATE_WORDS: [&str; 3] = ["date", "dte", "dt"];
const TIME_WORDS: [&str; 3] = ["time", "tm", "hour"];

/// Where a field's values would come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Column(usize),
    Pair { date: usize, time: usize },
}

impl Source {
    pub fn columns(self) -> Vec<usize> {
        match self {
            Source::Column(c) => vec![c],
            Source::Pair { date, time } => vec![date, time],
        }
    }
}

/// A source a field may come from, and how well its name answers.
#[derive(Debug, Clone)]
pub struct Offer {
    pub field: Field,
    pub source: Source,
    pub score: i32,
    pub cue: &'static str,
}

/// What the draft says of one field.
#[derive(Debug, Clone)]
pub enum Proposal {
    /// This source, for this reason.
    Found(Offer),
    /// Several sources answer equally well.
    Tied(Vec<Offer>),
}

/// A file's kind and its fields' sources.
#[derive(Debug)]
pub struct Mapping {
    pub kind: Option<ExportKind>,
    pub kind_reason: String,
    pub proposals: Vec<(Field, Proposal)>,
}

impl Mapping {
    pub fn found(&self, field: Field) -> Option<&Offer> {
        self.proposals.iter().find_map(|(f, p)| match p {
            Proposal::Found(offer) if *f == field => Some(offer),
            _ => None,
        })
    }
}

/// Every source of the file: each column, and each date column with the time column of the same name.
fn sources(profiles: &[ColumnProfile], candidates: &[Candidate]) -> Vec<(Source, Vec<String>)> {
    let mut out: Vec<(Source, Vec<String>)> = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| (Source::Column(i), p.words.clone()))
        .collect();
    for (date, d) in profiles.iter().enumerate() {
        let Some(stem) = stem_without(&d.words, &DATE_WORDS) else {
            continue;
        };
        if !(d.present() == 0 || d.reads_as(Shape::Date, candidates)) {
            continue;
        }
        let partner = profiles.iter().enumerate().find(|(_, t)| {
            stem_without(&t.words, &TIME_WORDS).as_ref() == Some(&stem)
                && (t.present() == 0 || t.reads_as(Shape::Time, candidates))
        });
        if let Some((time, _)) = partner {
            out.push((Source::Pair { date, time }, stem));
        }
    }
    out
}

/// The name's words without its one date (or time) word; None when it has none.
fn stem_without(name: &[String], marks: &[&str]) -> Option<Vec<String>> {
    let at = name.iter().position(|w| marks.contains(&w.as_str()))?;
    let mut stem = name.to_vec();
    stem.remove(at);
    (!stem.is_empty()).then_some(stem)
}

/// Whether the source's values fit the field's type (an empty column fits any).
fn fits_type(field: Field, source: Source, profiles: &[ColumnProfile], candidates: &[Candidate]) -> bool {
    let column = match source {
        Source::Pair { .. } => return field.field_type() == FieldType::Instant,
        Source::Column(c) => &profiles[c],
    };
    if column.present() == 0 {
        return true;
    }
    let plain = !column.is_temporal();
    match field.field_type() {
        FieldType::Instant => column.reads_as(Shape::Timestamp, candidates),
        FieldType::Date => column.reads_as(Shape::Date, candidates),
        FieldType::Flag => column.flag_like,
        FieldType::Integer => column.whole_numbers,
        FieldType::Decimal => column.number_range.is_some_and(|(lo, hi)| {
            let limit = if field == Field::Latitude { 90.0 } else { 180.0 };
            lo >= -limit && hi <= limit
        }),
        FieldType::Code if field == Field::Channel => plain && says_channels(column),
        FieldType::Code => plain && column.distinct.len() <= code_limit(field),
        FieldType::Text if field == Field::CallId => plain && column.distinct.len() * 10 >= column.present() * 3,
        FieldType::Text => plain,
    }
}

/// Whether most of a column's distinct values say a channel (`999`, `101`,
/// `Online`): names like `Call Type` and `Source` are as often the category.
fn says_channels(column: &ColumnProfile) -> bool {
    let saying = column
        .distinct
        .iter()
        .filter(|(value, _)| CodeTableName::Channel.says(value).is_some())
        .count();
    column.distinct.len() <= code_limit(Field::Channel) && saying * 2 >= column.distinct.len()
}

/// The most distinct values a column of this coded field may hold.
fn code_limit(field: Field) -> usize {
    match field {
        Field::Area | Field::Sex | Field::RiskTool | Field::RiskLevel => 6,
        Field::Channel | Field::ReferralType => 12,
        Field::Role | Field::InitialGrade | Field::FinalGrade => 30,
        _ => 150,
    }
}

/// Every (field, source) whose name answers and whose values fit, for fields the kind accepts.
fn offers(kind: ExportKind, profiles: &[ColumnProfile], candidates: &[Candidate]) -> Vec<Offer> {
    let sources = sources(profiles, candidates);
    let mut offers = Vec::new();
    for field in kind.accepted_fields() {
        for (source, name) in &sources {
            let Some((score, cue)) = name_score(field, name) else {
                continue;
            };
            if fits_type(field, *source, profiles, candidates) {
                offers.push(Offer {
                    field,
                    source: *source,
                    score,
                    cue,
                });
            }
        }
    }
    offers.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.field.cmp(&b.field))
            .then(first_column(a.source).cmp(&first_column(b.source)))
    });
    offers
}

fn first_column(source: Source) -> usize {
    source.columns()[0]
}

/// Takes the best offers first: each field once, each column once.
fn assign(offers: &[Offer]) -> Vec<(Field, Proposal)> {
    let mut proposals: Vec<(Field, Proposal)> = Vec::new();
    let mut used: Vec<usize> = Vec::new();
    for offer in offers {
        if proposals.iter().any(|(f, _)| *f == offer.field) {
            continue;
        }
        let free = |o: &Offer| o.source.columns().iter().all(|c| !used.contains(c));
        if !free(offer) {
            continue;
        }
        let rivals: Vec<Offer> = offers
            .iter()
            .filter(|o| o.field == offer.field && o.score == offer.score && free(o))
            .cloned()
            .collect();
        if rivals.len() > 1 {
            proposals.push((offer.field, Proposal::Tied(rivals)));
            continue;
        }
        used.extend(offer.source.columns());
        proposals.push((offer.field, Proposal::Found(offer.clone())));
    }
    proposals.sort_by_key(|(f, _)| *f);
    proposals
}

/// The file's kind, judged from what each kind would find in it, and its fields.
pub fn map_file(profiles: &[ColumnProfile], candidates: &[Candidate]) -> Mapping {
    let as_kind = |kind| assign(&offers(kind, profiles, candidates));
    let has = |proposals: &[(Field, Proposal)], field| {
        proposals
            .iter()
            .any(|(f, p)| *f == field && matches!(p, Proposal::Found(_)))
    };
    let nominals = as_kind(ExportKind::Nominals);
    let person_fields = [Field::Forename, Field::Surname, Field::FullName, Field::DateOfBirth];
    if has(&nominals, Field::Role) || person_fields.iter().filter(|f| has(&nominals, **f)).count() >= 2 {
        return Mapping {
            kind: Some(ExportKind::Nominals),
            kind_reason: "it names people (a role, names or dates of birth)".into(),
            proposals: nominals,
        };
    }
    let combined = as_kind(ExportKind::Combined);
    let incident_side = [
        Field::CreatedAt,
        Field::DispatchedAt,
        Field::ArrivedAt,
        Field::ClosedAt,
        Field::InitialGrade,
        Field::OpeningCode,
    ];
    let carries_incident = incident_side.iter().any(|f| has(&combined, *f));
    if has(&combined, Field::ReceivedAt) && carries_incident {
        let reason = "a row per call (a received time) carrying its incident (grades, dispatch or arrival)";
        return combined_mapping(combined, reason);
    }
    let calls = as_kind(ExportKind::Calls);
    if has(&calls, Field::CallId) && has(&calls, Field::ReceivedAt) {
        return Mapping {
            kind: Some(ExportKind::Calls),
            kind_reason: "call ids and received times, and no incident fields".into(),
            proposals: calls,
        };
    }
    let incidents = as_kind(ExportKind::Incidents);
    let known = has(&incidents, Field::IncidentRef) && has(&incidents, Field::CreatedAt);
    Mapping {
        kind: known.then_some(ExportKind::Incidents),
        kind_reason: if known {
            "incident references and creation times, and no calls".into()
        } else {
            "no kind fits: calls need a call id and a received time, incidents a reference and a creation time, \
             nominals a role or names"
                .into()
        },
        proposals: incidents,
    }
}

/// A combined log; with no call id column, each row's incident reference stands for its call.
fn combined_mapping(mut proposals: Vec<(Field, Proposal)>, reason: &str) -> Mapping {
    let has_call_id = proposals.iter().any(|(f, _)| *f == Field::CallId);
    let reference = proposals.iter().find_map(|(f, p)| match p {
        Proposal::Found(offer) if *f == Field::IncidentRef => Some(offer.clone()),
        _ => None,
    });
    let mut kind_reason = reason.to_string();
    if let (false, Some(reference)) = (has_call_id, reference) {
        kind_reason.push_str("; no column is named as a call id, so each row's incident reference stands for its call");
        proposals.push((
            Field::CallId,
            Proposal::Found(Offer {
                field: Field::CallId,
                cue: "incident id, standing for the call id (no column is named as one)",
                ..reference
            }),
        ));
        proposals.sort_by_key(|(f, _)| *f);
    }
    Mapping {
        kind: Some(ExportKind::Combined),
        kind_reason,
        proposals,
    }
}
