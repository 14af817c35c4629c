//! Calls that are not domestic abuse: most of a control room's volume, with a
//! few frequent callers, and abandoned or silent 999 calls with no one named.

use super::events::SimIncident;
use super::noise::{record, Recording};
use super::people::{Person, PersonKey, PersonKind};
use super::places::{address, mobile};
use super::response::{respond, Story};
use super::world::ForceContext;
use crate::random::Random;
use crate::schema::{Category, Grade, Role};

const CATEGORIES: &[(Category, f64)] = &[
    (Category::Theft, 0.19),
    (Category::AntiSocial, 0.19),
    (Category::Suspicious, 0.12),
    (Category::Traffic, 0.12),
    (Category::ConcernForWelfare, 0.12),
    (Category::MentalHealth, 0.08),
    (Category::Burglary, 0.06),
    (Category::MissingPerson, 0.05),
    (Category::AbandonedCall, 0.04),
    (Category::Other, 0.03),
];

/// Background incident `index` of the force.
pub fn background_incident(context: &ForceContext, index: u64, frequent_callers: u64) -> SimIncident {
    let spec = context.spec;
    let mut random = Random::stream(spec.seed, &[20, u64::from(context.global), index]);
    let at = spec.window.instant(&mut random);
    let weights: Vec<f64> = CATEGORIES.iter().map(|(_, w)| *w).collect();
    let category = CATEGORIES[random.weighted(&weights)].0;
    let caller_index = if random.chance(0.15) {
        random.below(frequent_callers)
    } else {
        frequent_callers + index
    };
    let caller_key = PersonKey {
        force: context.global,
        kind: PersonKind::Background,
        index: caller_index,
    };
    let caller = Person::generate(spec.seed, caller_key, spec.window);
    let place = if category == Category::AbandonedCall {
        address(&mut random, context.profile)
    } else {
        caller.address_at(at).clone()
    };
    let story = Story {
        at,
        domestic: false,
        category,
        high_harm: false,
        offence: None,
        postcode: place.postcode.clone(),
        urban: place.urban,
        caller_number: Some(if category == Category::AbandonedCall {
            mobile(&mut random)
        } else {
            caller.phone_at(at).to_string()
        }),
    };
    let mut incident = respond(&mut random, &story, context.setting);
    if category == Category::AbandonedCall {
        abandoned(&mut random, &mut incident);
        return incident;
    }
    let recording = Recording {
        at,
        role: Role::Caller,
        ref_prefix: &context.nominal_prefix,
        seed: spec.seed,
    };
    incident
        .mentions
        .push(record(&mut random, &caller, &recording, &spec.noise));
    if random.chance(0.08) {
        let witness_key = PersonKey {
            force: context.global,
            kind: PersonKind::Background,
            index: frequent_callers + 10_000_000 + index,
        };
        let witness = Person::generate(spec.seed, witness_key, spec.window);
        let recording = Recording {
            role: Role::Other,
            ..recording
        };
        incident
            .mentions
            .push(record(&mut random, &witness, &recording, &spec.noise));
    }
    incident
}

/// A 999 call that dropped or stayed silent: nobody named, a call-back or nothing.
fn abandoned(random: &mut Random, incident: &mut SimIncident) {
    let call = &mut incident.calls[0];
    call.channel = crate::schema::Channel::Emergency999;
    if random.chance(0.5) {
        call.abandoned = true;
        call.answered = None;
    } else {
        call.abandoned = false;
        call.silent = true;
        call.answered = Some(call.received + 4_000);
    }
    incident.initial_grade = Grade::NoDeployment;
    incident.final_grade = Grade::NoDeployment;
    incident.regraded_at = None;
    incident.dispatched = None;
    incident.arrived = None;
    incident.outcome = None;
}
