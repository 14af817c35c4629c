//! Writes simulated events as the text a force's export would hold: each
//! canonical field of a row, rendered through the export's mapping, formats,
//! code tables (in reverse) and the dialect's habits.

use chrono_tz::Tz;

use super::dialect::Style;
use super::events::{SimCall, SimIncident, SimMention};
use crate::config::{CodeTable, CodeTables, Field};
use crate::random::Random;
use crate::schema::{CanonicalCode, Grade, Referral};
use crate::timestamps::{Reading, TimeFormat};

/// One output row's sources: the incident, and the call or mention the row is about.
#[derive(Clone, Copy)]
pub struct RowSource<'a> {
    pub incident: &'a SimIncident,
    pub call: Option<&'a SimCall>,
    pub mention: Option<&'a SimMention>,
}

/// A field's value before formatting.
pub enum Value {
    Text(String),
    Instant(i64),
    Date(chrono::NaiveDate),
    Flag(bool),
    Integer(i64),
    /// A canonical code to write as the force's raw code.
    Code(CodeOf),
}

/// A canonical code, by table.
pub enum CodeOf {
    Grade(Grade, bool),
    Category(crate::schema::Category),
    Channel(crate::schema::Channel),
    Role(crate::schema::Role),
    RiskTool(crate::schema::RiskTool),
    RiskLevel(crate::schema::RiskLevel),
    Outcome(crate::schema::Outcome),
    Referral(Referral),
    Area(crate::schema::Area),
    Sex(crate::schema::Sex),
}

/// The value of `field` for a row, if the events hold one.
pub fn value(field: Field, row: RowSource) -> Option<Value> {
    use Field::*;
    let i = row.incident;
    let text = |s: &Option<String>| s.clone().map(Value::Text);
    match field {
        CallId => row.call.map(|c| Value::Text(c.call_id.clone())),
        IncidentRef => Some(Value::Text(i.reference.clone())),
        Channel => row.call.map(|c| Value::Code(CodeOf::Channel(c.channel))),
        ReceivedAt => row.call.map(|c| Value::Instant(c.received)),
        AnsweredAt => row.call.and_then(|c| c.answered).map(Value::Instant),
        EndedAt => row.call.and_then(|c| c.ended).map(Value::Instant),
        CallerNumber => row.call.and_then(|c| text(&c.caller_number)),
        Abandoned => row.call.map(|c| Value::Flag(c.abandoned)),
        Silent => row.call.map(|c| Value::Flag(c.silent)),
        CreatedAt | GradedAt => Some(Value::Instant(i.created)),
        OpeningCode => Some(Value::Code(CodeOf::Category(i.opening))),
        ClosingCode if i.duplicate => Some(Value::Text(DUPLICATE_CLOSING.to_string())),
        ClosingCode => (!i.still_open).then_some(Value::Code(CodeOf::Category(i.closing))),
        DaQualifier => Some(Value::Flag(i.domestic)),
        InitialGrade => Some(Value::Code(CodeOf::Grade(
            i.initial_grade,
            i.appointment && i.regraded_at.is_none(),
        ))),
        FinalGrade => Some(Value::Code(CodeOf::Grade(i.final_grade, i.appointment))),
        RegradedAt => i.regraded_at.map(Value::Instant),
        DispatchedAt => i.dispatched.map(Value::Instant),
        ArrivedAt => i.arrived.map(Value::Instant),
        ClosedAt => (!i.still_open).then_some(Value::Instant(i.closed)),
        Postcode => match row.mention {
            Some(m) => text(&m.postcode),
            None => Some(Value::Text(i.postcode.clone())),
        },
        Area => Some(Value::Code(CodeOf::Area(if i.urban {
            crate::schema::Area::Urban
        } else {
            crate::schema::Area::Rural
        }))),
        RiskTool => i.risk.map(|r| Value::Code(CodeOf::RiskTool(r.tool))),
        RiskLevel => i.risk.map(|r| Value::Code(CodeOf::RiskLevel(r.level))),
        RiskScore => i.risk.and_then(|r| r.score).map(Value::Integer),
        RiskAssessedAt => i.risk.map(|r| Value::Instant(r.at)),
        MaracReferralAt => i.marac_at.map(Value::Instant),
        IdvaReferralAt => i.idva_at.map(Value::Instant),
        ReferralType => Some(Value::Code(CodeOf::Referral(match (i.marac_at, i.idva_at) {
            (Some(_), Some(_)) => Referral::MaracAndIdva,
            (Some(_), None) => Referral::Marac,
            (None, Some(_)) => Referral::Idva,
            (None, None) => Referral::None,
        }))),
        ReferralAt => [i.marac_at, i.idva_at].into_iter().flatten().min().map(Value::Instant),
        SpecialistReviewAt => i.review_at.map(Value::Instant),
        Outcome => i.outcome.map(|o| Value::Code(CodeOf::Outcome(o))),
        OffenceCode => i.offence.map(|o| Value::Text(o.code.to_string())),
        Narrative => Some(Value::Text(narrative(i))),
        Role => row.mention.map(|m| Value::Code(CodeOf::Role(m.role))),
        PersonRef => row.mention.and_then(|m| text(&m.person_ref)),
        Forename => row.mention.and_then(|m| text(&m.forename)),
        Surname => row.mention.and_then(|m| text(&m.surname)),
        FullName => row.mention.and_then(full_name).map(Value::Text),
        DateOfBirth => row.mention.and_then(|m| m.dob).map(Value::Date),
        Phone => row.mention.and_then(|m| text(&m.phone)),
        Address => row.mention.and_then(|m| text(&m.address)),
        Sex => row.mention.and_then(|m| m.sex).map(|s| Value::Code(CodeOf::Sex(s))),
        // The pilot dialects place incidents by postcode only.
        PremisesAddress | BlockAddress | Latitude | Longitude => None,
    }
}

/// `SURNAME, Forename`, the way surname-first systems print names.
fn full_name(mention: &SimMention) -> Option<String> {
    match (&mention.forename, &mention.surname) {
        (Some(f), Some(s)) => Some(format!("{}, {f}", s.to_uppercase())),
        (None, Some(s)) => Some(s.clone()),
        (Some(f), None) => Some(f.clone()),
        (None, None) => None,
    }
}

/// The raw closing code of a duplicate record in every dialect (each lists
/// it in `no_attendance_needed` and maps it to OTHER).
pub const DUPLICATE_CLOSING: &str = "DUPLICATE";

/// A short, non-identifying log summary: what was reported, what the
/// offence was in an officer's words, and now and then a risk factor
/// (children present, bail, a recent separation), so that NARRATIVE_WORDS
/// has real text to read. The words are drawn on the incident's own stream.
fn narrative(incident: &SimIncident) -> String {
    let kind = if incident.domestic {
        "Domestic incident reported"
    } else {
        "Incident reported"
    };
    let mut parts = vec![kind.to_string()];
    let calls = incident.calls.len();
    if calls > 1 {
        parts.push(format!("{calls} calls received"));
    }
    if incident.domestic {
        parts.extend(incident.offence.and_then(|o| offence_words(o.code)).map(str::to_string));
        let mut random = Random::stream(NARRATIVE_STREAM, &[incident.created as u64]);
        for (chance, words) in RISK_FACTOR_WORDS {
            if random.chance(*chance) {
                parts.push(words.to_string());
            }
        }
    }
    parts.join("; ")
}

/// The stream narratives' risk factors are drawn from (with the incident's creation time).
const NARRATIVE_STREAM: u64 = 0x6e61_7272;

/// Risk factors a log may mention, with how often a domestic one does.
const RISK_FACTOR_WORDS: &[(f64, &str)] = &[
    (0.15, "children present in the house"),
    (0.04, "victim is pregnant"),
    (0.06, "couple recently separated"),
    (0.04, "suspect on bail"),
    (0.03, "breach of a non-molestation order"),
];

/// The offence as an officer's log would put it, for those it says something of.
fn offence_words(code: &str) -> Option<&'static str> {
    match code {
        "008/77" => Some("caller states he put his hands round her neck and choked her"),
        "3B" => Some("caller states he threatened to kill her"),
        "8Q" => Some("victim says he keeps turning up outside her work"),
        "8N" | "5D" => Some("injuries seen by officers"),
        _ => None,
    }
}

/// How values become text for one export.
pub struct Renderer<'a> {
    pub codes: &'a CodeTables,
    pub style: Style,
    pub zone: Tz,
}

impl Renderer<'_> {
    pub fn instant(&self, format: &TimeFormat, millis: i64) -> String {
        Reading::of_instant(millis, self.zone)
            .map(|r| format.format(r))
            .unwrap_or_default()
    }

    pub fn text(&self, value: Value, timestamp: Option<&TimeFormat>, dob: Option<&TimeFormat>) -> String {
        match value {
            Value::Text(text) => text,
            Value::Instant(millis) => timestamp.map(|f| self.instant(f, millis)).unwrap_or_default(),
            Value::Date(date) => dob.map(|f| f.format(Reading::of_date(date))).unwrap_or_default(),
            Value::Flag(flag) => (if flag { self.style.yes } else { self.style.no }).to_string(),
            Value::Integer(n) => n.to_string(),
            Value::Code(code) => self.code(code),
        }
    }

    fn code(&self, code: CodeOf) -> String {
        let c = self.codes;
        match code {
            CodeOf::Grade(grade, appointment) => self.grade(grade, appointment),
            CodeOf::Category(v) => first(&c.category, v),
            CodeOf::Channel(v) => first(&c.channel, v),
            CodeOf::Role(v) => first(&c.role, v),
            CodeOf::RiskTool(v) => first(&c.risk_tool, v),
            CodeOf::RiskLevel(v) => first(&c.risk_level, v),
            CodeOf::Outcome(v) => first(&c.outcome, v),
            CodeOf::Referral(v) => first(&c.referral, v),
            CodeOf::Area(v) => first(&c.area, v),
            CodeOf::Sex(v) => first(&c.sex, v),
        }
    }

    fn grade(&self, grade: Grade, appointment: bool) -> String {
        let appointment_code = self.style.appointment_grade;
        if let (true, Grade::Scheduled, Some(code)) = (appointment, grade, appointment_code) {
            return code.to_string();
        }
        self.codes
            .grade
            .raw_codes_for(grade)
            .find(|raw| Some(*raw) != appointment_code)
            .unwrap_or_default()
            .to_string()
    }
}

/// The first raw code for a canonical value; the canonical code itself if the table lacks one.
/// (A duplicate's closing code is written only for duplicates.)
fn first<T: CanonicalCode + PartialEq>(table: &CodeTable<T>, value: T) -> String {
    table
        .raw_codes_for(value)
        .find(|raw| *raw != DUPLICATE_CLOSING)
        .unwrap_or(value.code())
        .to_string()
}
