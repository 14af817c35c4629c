//! The police response to an incident: answering, grading (and regrading),
//! dispatch and arrival with long-tailed delays, risk assessment (DASH before
//! a force's switch date, DARA after), MARAC and IDVA referrals, specialist
//! review from the pilot start, outcome.

use super::events::{SimCall, SimIncident, SimRisk};
use super::offences::Offence;
use super::pilot_effect::{PilotEffect, BASE_IDVA, BASE_MARAC, BASE_RISK_ASSESSED};
use crate::random::Random;
use crate::schema::{Category, Channel, Grade, Outcome, RiskLevel, RiskTool};

const MINUTE: f64 = 60_000.0;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;

/// What happened, before the police did anything.
#[derive(Debug, Clone)]
pub struct Story {
    pub at: i64,
    pub domestic: bool,
    /// Category of a non-domestic incident.
    pub category: Category,
    pub high_harm: bool,
    pub offence: Option<Offence>,
    pub postcode: String,
    pub urban: bool,
    pub caller_number: Option<String>,
}

/// Facts about the force and period that shape the response.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// DASH before this instant, DARA from it.
    pub dara_from: i64,
    /// Specialist reviews exist from this instant (pilot forces only).
    pub reviews_from: Option<i64>,
    /// What the pilot changes from `reviews_from` (`--pilot-effect`).
    pub pilot_effect: PilotEffect,
}

impl Setting {
    /// The planted change for an incident created at `at` (none outside the pilot).
    fn piloted(&self, at: i64, change: fn(&PilotEffect) -> f64) -> f64 {
        match self.reviews_from {
            Some(from) if at >= from => change(&self.pilot_effect),
            _ => 0.0,
        }
    }
}

/// One call as the force received it.
pub fn call(random: &mut Random, at: i64, channel: Channel, caller_number: Option<String>) -> SimCall {
    let abandoned = channel == Channel::Emergency999 && random.chance(0.01);
    let answered = match channel {
        _ if abandoned => None,
        Channel::Emergency999 => Some(at + (random.lognormal(5.0, 0.7) * 1000.0) as i64),
        Channel::NonEmergency101 => Some(at + (random.lognormal(90.0, 1.0) * 1000.0) as i64),
        Channel::Online | Channel::Other => None,
    };
    let ended = match channel {
        Channel::Online => None,
        _ => {
            Some(answered.unwrap_or(at) + (random.lognormal(if abandoned { 8.0 } else { 240.0 }, 0.5) * 1000.0) as i64)
        }
    };
    SimCall {
        received: at,
        answered,
        ended,
        channel,
        caller_number,
        abandoned,
        silent: false,
        call_id: String::new(),
    }
}

fn first_channel(random: &mut Random, domestic: bool) -> Channel {
    let weights = if domestic {
        [0.72, 0.24, 0.04]
    } else {
        [0.35, 0.55, 0.10]
    };
    [Channel::Emergency999, Channel::NonEmergency101, Channel::Online][random.weighted(&weights)]
}

fn initial_grade(random: &mut Random, story: &Story, channel: Channel) -> Grade {
    let weights = match (story.domestic, story.high_harm) {
        (true, true) => [0.75, 0.25, 0.0, 0.0],
        (true, false) => [0.35, 0.45, 0.15, 0.05],
        (false, _) => [0.10, 0.35, 0.35, 0.20],
    };
    let grade = [Grade::Emergency, Grade::Priority, Grade::Scheduled, Grade::NoDeployment][random.weighted(&weights)];
    if channel == Channel::Online && grade < Grade::Scheduled {
        Grade::Scheduled
    } else {
        grade
    }
}

fn shifted(grade: Grade, up: bool) -> Grade {
    let order = Grade::ALL;
    let at = order.iter().position(|g| *g == grade).unwrap_or(0);
    let to = if up {
        at.saturating_sub(1)
    } else {
        (at + 1).min(order.len() - 1)
    };
    order[to]
}

/// The whole response to a story: the first call, grades, times, risk, referrals, outcome.
pub fn respond(random: &mut Random, story: &Story, setting: Setting) -> SimIncident {
    let channel = first_channel(random, story.domestic);
    let first = call(random, story.at, channel, story.caller_number.clone());
    let created = first.answered.unwrap_or(first.received) + (random.lognormal(40.0, 0.5) * 1000.0) as i64;
    let initial = initial_grade(random, story, channel);
    let (final_grade, regraded_at) = if random.chance(0.08) {
        let grade = shifted(initial, random.chance(0.5));
        (
            grade,
            (grade != initial).then(|| created + (random.lognormal(15.0, 0.6) * MINUTE) as i64),
        )
    } else {
        (initial, None)
    };
    let appointment = final_grade == Grade::Scheduled && random.chance(0.5);
    let (dispatched, arrived) = attendance(random, final_grade, created, story.urban);
    // Closed some hours after the last thing that happened (a unit sent but never arriving included).
    let last_event = arrived.or(dispatched).unwrap_or(created).max(created);
    let closed = last_event + (random.lognormal(2.0, 0.7) * HOUR) as i64;
    let mut incident = SimIncident {
        created,
        opening: opening_code(random, story),
        closing: closing_code(random, story),
        domestic: story.domestic,
        initial_grade: initial,
        final_grade,
        appointment,
        regraded_at,
        dispatched,
        arrived,
        closed,
        postcode: story.postcode.clone(),
        urban: story.urban,
        risk: None,
        marac_at: None,
        idva_at: None,
        review_at: None,
        outcome: None,
        offence: story.offence,
        calls: vec![first],
        mentions: Vec::new(),
        dyad: None,
        victim: None,
        perpetrator: None,
        scenario: None,
        duplicate: false,
        still_open: false,
        reference: String::new(),
    };
    if story.domestic {
        incident.risk = risk(random, &incident, story.high_harm, setting);
        refer(random, &mut incident, setting);
        incident.review_at = setting
            .reviews_from
            .filter(|from| created >= *from && random.chance(0.75))
            .map(|_| created + (random.lognormal(3.0, 1.0) * HOUR) as i64);
    }
    incident.outcome = outcome(random, &incident);
    incident
}

/// Dispatch and arrival for the grade; a few deployable incidents are never attended.
pub fn attendance(random: &mut Random, grade: Grade, created: i64, urban: bool) -> (Option<i64>, Option<i64>) {
    let (dispatch_minutes, travel_minutes) = match grade {
        Grade::Emergency => (
            random.lognormal(2.0, 0.6),
            random.lognormal(if urban { 8.5 } else { 12.5 }, 0.5),
        ),
        Grade::Priority => (random.lognormal(25.0, 0.8), random.lognormal(12.0, 0.5)),
        Grade::Scheduled => (random.lognormal(20.0 * 60.0, 0.5), random.lognormal(15.0, 0.4)),
        Grade::NoDeployment => return (None, None),
    };
    let dispatched = created + (dispatch_minutes * MINUTE) as i64;
    if random.chance(0.03) {
        return (Some(dispatched), None);
    }
    (Some(dispatched), Some(dispatched + (travel_minutes * MINUTE) as i64))
}

fn opening_code(random: &mut Random, story: &Story) -> Category {
    if !story.domestic {
        return story.category;
    }
    [Category::Domestic, Category::ConcernForWelfare, Category::Assault][random.weighted(&[0.8, 0.12, 0.08])]
}

fn closing_code(random: &mut Random, story: &Story) -> Category {
    if !story.domestic {
        return story.category;
    }
    if random.chance(0.95) {
        Category::Domestic
    } else {
        Category::Assault
    }
}

fn risk(random: &mut Random, incident: &SimIncident, high_harm: bool, setting: Setting) -> Option<SimRisk> {
    let assessed = BASE_RISK_ASSESSED + setting.piloted(incident.created, |e| e.risk_assessed);
    let at = match incident.arrived {
        Some(arrived) if random.chance(assessed) => arrived + (random.lognormal(60.0, 0.6) * MINUTE) as i64,
        None if random.chance(0.3) => incident.created + (random.lognormal(2.0, 0.5) * HOUR) as i64,
        _ => return None,
    };
    let weights = if high_harm {
        [0.15, 0.30, 0.55]
    } else {
        [0.70, 0.22, 0.08]
    };
    let level = [RiskLevel::Standard, RiskLevel::Medium, RiskLevel::High][random.weighted(&weights)];
    let tool = if at < setting.dara_from {
        RiskTool::Dash
    } else {
        RiskTool::Dara
    };
    let score = (tool == RiskTool::Dash).then(|| match level {
        RiskLevel::High => random.between(14, 22),
        RiskLevel::Medium => random.between(10, 13),
        RiskLevel::Standard => random.between(0, 9),
    });
    Some(SimRisk { tool, level, score, at })
}

fn refer(random: &mut Random, incident: &mut SimIncident, setting: Setting) {
    let Some(risk) = incident.risk else { return };
    let marac = BASE_MARAC + setting.piloted(incident.created, |e| e.marac_referred);
    let idva = BASE_IDVA + setting.piloted(incident.created, |e| e.idva_referred);
    let (marac, idva) = match risk.level {
        RiskLevel::High => (marac, idva),
        RiskLevel::Medium => (0.0, 0.1),
        RiskLevel::Standard => (0.0, 0.0),
    };
    if random.chance(marac) {
        incident.marac_at = Some(risk.at + (random.between(1, 5) as f64 * DAY) as i64);
    }
    if random.chance(idva) {
        incident.idva_at = Some(risk.at + (random.lognormal(1.0, 0.6) * DAY) as i64);
    }
}

fn outcome(random: &mut Random, incident: &SimIncident) -> Option<Outcome> {
    if incident.arrived.is_none() {
        return random.chance(0.5).then_some(Outcome::NoFurtherAction);
    }
    let choices = match (incident.domestic, incident.offence.is_some()) {
        (true, true) => [
            (Outcome::Arrest, 0.45),
            (Outcome::Charge, 0.1),
            (Outcome::NoFurtherAction, 0.25),
            (Outcome::Advice, 0.2),
        ],
        (true, false) => [
            (Outcome::Advice, 0.6),
            (Outcome::NoFurtherAction, 0.4),
            (Outcome::Arrest, 0.0),
            (Outcome::Charge, 0.0),
        ],
        (false, _) => [
            (Outcome::NoFurtherAction, 0.5),
            (Outcome::Advice, 0.4),
            (Outcome::Arrest, 0.1),
            (Outcome::Charge, 0.0),
        ],
    };
    let weights: Vec<f64> = choices.iter().map(|(_, w)| *w).collect();
    Some(choices[random.weighted(&weights)].0)
}
