//! One force's share of the simulated world: its dyads' incidents (and those
//! of victims who moved in from other forces), background calls, and the
//! planted scenarios, in canonical form, ready to be written in its dialect.

use super::background::background_incident;
use super::dyads::{mover, plan, DyadPlan};
use super::events::SimIncident;
use super::forces::{reference_prefix, ForceProfile, ALL_FORCES};
use super::noise::{record, NoiseRates, Recording};
use super::offences::{HIGH_HARM, LOW_HARM};
use super::people::{Person, PersonKey, PersonKind, Window};
use super::response::{call, respond, Setting, Story};
use super::scenarios::planted_incidents;
use super::{organisations, relatives};
use crate::random::Random;
use crate::schema::{Category, Channel, Role};

/// Everything that decides the world.
#[derive(Debug, Clone)]
pub struct WorldSpec {
    pub seed: u64,
    /// People in domestic-abuse dyads across the simulated forces (about two per dyad).
    pub people: u64,
    pub window: Window,
    pub forces: Vec<ForceProfile>,
    pub noise: NoiseRates,
    /// Raneem's Law pilot start (specialist reviews exist from here in pilot forces).
    pub pilot_start: i64,
    /// Background (non-DA) incidents per DA dyad.
    pub background_per_dyad: f64,
    pub scenarios: bool,
    /// What the pilot forces change from their start (`--pilot-effect`).
    pub pilot_effect: super::pilot_effect::PilotEffect,
}

/// One force of the world, with what its generation needs.
pub struct ForceContext<'a> {
    pub spec: &'a WorldSpec,
    pub position: usize,
    /// Index into all 43 forces.
    pub global: u16,
    pub profile: &'a ForceProfile,
    pub setting: Setting,
    pub nominal_prefix: String,
}

impl WorldSpec {
    /// Number of dyads whose victim lives in the force at `position`, by population share.
    pub fn dyads_of(&self, position: usize) -> u64 {
        let total: f64 = self.forces.iter().map(|f| f.population).sum();
        let share = self.forces[position].population / total;
        ((self.people as f64 / 2.1) * share).round().max(1.0) as u64
    }

    /// The number among all 43 forces of the force at `position`.
    pub fn global(&self, position: usize) -> u16 {
        let id = self.forces[position].id;
        ALL_FORCES.iter().position(|f| f.id == id).unwrap_or(0) as u16
    }

    pub fn context(&self, position: usize) -> ForceContext<'_> {
        let profile = &self.forces[position];
        let global = self.global(position);
        let span = (self.window.end - self.window.start) as f64;
        let mut random = Random::stream(self.seed, &[6, u64::from(global)]);
        let dara_from = self.window.start + (span * (0.1 + random.unit() * 1.1)) as i64;
        ForceContext {
            spec: self,
            position,
            global,
            profile,
            setting: Setting {
                dara_from,
                reviews_from: profile.pilot.then_some(self.pilot_start),
                pilot_effect: self.pilot_effect,
            },
            nominal_prefix: format!("{}N", reference_prefix(profile)),
        }
    }
}

/// Every incident of one force, in no particular order.
pub fn force_incidents(context: &ForceContext) -> Vec<SimIncident> {
    let spec = context.spec;
    let own = spec.dyads_of(context.position);
    let mut incidents = Vec::new();
    for index in 0..own {
        let plan = plan(
            spec.seed,
            spec.forces.len(),
            context.position,
            context.global,
            index,
            spec.window,
        );
        let until = plan.move_to.map_or(i64::MAX, |(_, at)| at);
        incidents.extend(dyad_incidents(context, &plan, i64::MIN, until));
    }
    for position in (0..spec.forces.len()).filter(|p| *p != context.position) {
        let home_force = spec.global(position);
        for index in 0..spec.dyads_of(position) {
            if mover(spec.seed, spec.forces.len(), position, home_force, index) != Some(context.position) {
                continue;
            }
            let plan = plan(spec.seed, spec.forces.len(), position, home_force, index, spec.window);
            if let Some((_, at)) = plan.move_to {
                incidents.extend(dyad_incidents(context, &plan, at, i64::MAX));
            }
        }
    }
    let background = (own as f64 * spec.background_per_dyad).round() as u64;
    let frequent_callers = (background / 500).max(3);
    incidents.extend((0..background).map(|i| background_incident(context, i, frequent_callers)));
    if spec.scenarios {
        incidents.extend(planted_incidents(context));
    }
    incidents
}

/// The incidents of `plan` that fall in [from, until), recorded by this force.
fn dyad_incidents(context: &ForceContext, plan: &DyadPlan, from: i64, until: i64) -> Vec<SimIncident> {
    let spec = context.spec;
    let mut victim = Person::generate(spec.seed, plan.victim, spec.window);
    if let Some((position, at)) = plan.move_to {
        victim.move_to(spec.seed, &spec.forces[position], at);
    }
    let perpetrator = Person::generate(spec.seed, plan.perpetrator, spec.window);
    let mut out = Vec::new();
    for (number, at) in plan
        .times
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, t)| *t >= from && *t < until)
    {
        let mut random = Random::stream(
            spec.seed,
            &[
                10,
                u64::from(context.global),
                u64::from(plan.id.force),
                plan.id.index,
                number as u64,
            ],
        );
        let incident = domestic_incident(context, &mut random, plan, &victim, &perpetrator, at);
        if random.chance(0.02) {
            let mut second = domestic_incident(context, &mut random, plan, &victim, &perpetrator, at + 120_000);
            closed_as_duplicate(&mut second);
            out.push(second);
        }
        out.push(incident);
    }
    out
}

/// A second record of an event already logged (a chase-up call the control
/// room opened as a new incident): closed as a duplicate minutes later,
/// nobody sent, nothing assessed or referred.
fn closed_as_duplicate(incident: &mut SimIncident) {
    incident.duplicate = true;
    (incident.dispatched, incident.arrived) = (None, None);
    (incident.risk, incident.marac_at, incident.idva_at, incident.review_at) = (None, None, None, None);
    incident.outcome = None;
    incident.closed = incident.created + 10 * 60_000;
}

/// One domestic incident between the dyad's victim and perpetrator.
pub fn domestic_incident(
    context: &ForceContext,
    random: &mut Random,
    plan: &DyadPlan,
    victim: &Person,
    perpetrator: &Person,
    at: i64,
) -> SimIncident {
    let spec = context.spec;
    let home = victim.address_at(at).clone();
    let table = if plan.high_harm { HIGH_HARM } else { LOW_HARM };
    let weights: Vec<f64> = table.iter().map(|(_, w)| *w).collect();
    let offence = table[random.weighted(&weights)].0;
    let neighbour = random.chance(0.15).then(|| {
        let key = PersonKey {
            force: victim.key.force,
            kind: PersonKind::Neighbour,
            index: plan.id.index * 16 + random.below(2),
        };
        Person::generate(spec.seed, key, spec.window)
    });
    let caller_number = match &neighbour {
        Some(n) => Some(n.phone_at(at).to_string()),
        None => Some(victim.phone_at(at).to_string()),
    };
    let story = Story {
        at,
        domestic: true,
        category: Category::Domestic,
        high_harm: plan.high_harm,
        offence,
        postcode: home.postcode.clone(),
        urban: home.urban,
        caller_number: caller_number.clone(),
    };
    let mut incident = respond(random, &story, context.setting);
    incident.dyad = Some(plan.id);
    incident.victim = Some(plan.victim);
    incident.perpetrator = Some(plan.perpetrator);
    if random.chance(0.12) {
        let again = incident.calls[0].received + (random.between(5, 40) * 60_000);
        incident
            .calls
            .push(call(random, again, Channel::Emergency999, caller_number));
    }
    let recording = |role| Recording {
        at,
        role,
        ref_prefix: &context.nominal_prefix,
        seed: spec.seed,
    };
    incident
        .mentions
        .push(record(random, victim, &recording(Role::Victim), &spec.noise));
    if random.chance(0.92) {
        incident
            .mentions
            .push(record(random, perpetrator, &recording(Role::Suspect), &spec.noise));
    }
    // Now and then the perpetrator rings first and is recorded as the
    // victim, the victim as the suspect (a counter-allegation), on its own
    // stream so that the rest of the world is unchanged.
    let mut reversal = Random::stream(spec.seed, &[17, u64::from(plan.id.force), plan.id.index, at as u64]);
    if reversal.chance(COUNTER_ALLEGED) {
        for mention in &mut incident.mentions {
            mention.role = match mention.role {
                Role::Victim => Role::Suspect,
                Role::Suspect => Role::Victim,
                other => other,
            };
        }
    }
    if let Some(neighbour) = &neighbour {
        let mut mention = record(random, neighbour, &recording(Role::Caller), &spec.noise);
        mention.postcode = Some(home.postcode.clone());
        incident.mentions.push(mention);
    }
    // A relative of the victim (her adult child, sister or brother) named too, on
    // its own stream so that the rest of the world is unchanged.
    let mut family = Random::stream(spec.seed, &[13, u64::from(plan.id.force), plan.id.index, at as u64]);
    let relative_named = family.chance(RELATIVE_NAMED);
    if relative_named {
        let relative = relatives::relative(spec.seed, plan.victim, family.below(2), spec.window);
        let role = if neighbour.is_none() && family.chance(0.5) {
            Role::Caller
        } else {
            Role::Other
        };
        incident
            .mentions
            .push(record(&mut family, &relative, &recording(role), &spec.noise));
    }
    // Now and then one of her relatives is a second suspect (family abuse),
    // on its own stream too.
    let mut kin = Random::stream(spec.seed, &[19, u64::from(plan.id.force), plan.id.index, at as u64]);
    if !relative_named && kin.chance(RELATIVE_ABUSES) {
        let relative = relatives::relative(spec.seed, plan.victim, kin.below(2), spec.window);
        // Recorded as a relative is (never as an unnamed "ex-partner"), then in the suspect's role.
        let mut mention = record(&mut kin, &relative, &recording(Role::Other), &spec.noise);
        mention.role = Role::Suspect;
        incident.mentions.push(mention);
    }
    // An organisation (a shop, a school, a hotel) that reported it, on its own stream too.
    let mut reporter = Random::stream(spec.seed, &[15, u64::from(plan.id.force), plan.id.index, at as u64]);
    if neighbour.is_none() && reporter.chance(ORGANISATION_CALLED) {
        let index = reporter.below(organisations::PER_FORCE);
        let caller = organisations::organisation_caller(spec.seed, victim.key.force, index);
        incident.mentions.push(caller);
    }
    incident
}

/// Share of domestic incidents (naming no other relative) where one of the
/// victim's relatives is a second suspect.
const RELATIVE_ABUSES: f64 = 0.02;

/// Share of domestic incidents recorded with the roles the wrong way round.
const COUNTER_ALLEGED: f64 = 0.03;

/// Share of domestic incidents with no neighbour calling that an organisation reported.
const ORGANISATION_CALLED: f64 = 0.03;

/// Share of domestic incidents that also name one of the victim's relatives.
const RELATIVE_NAMED: f64 = 0.1;
