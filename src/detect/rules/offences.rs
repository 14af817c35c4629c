//! STALKING_STRANGULATION_THREATS: a domestic-abuse incident whose recorded
//! offence is one of `[detect] stalking_strangulation_threats_offences`
//! (by default stalking 8Q, non-fatal strangulation 008/77, threats to kill
//! 3B), or that was opened or closed as STALKING. These are among the
//! strongest predictors of domestic homicide (Glass et al. 2008 on
//! strangulation; Monckton-Smith 2020 on stalking and threats in the
//! homicide timeline), so each is a HIGH signal in its own right, not only
//! a harm weight.

use crate::config::code_key;
use crate::detect::model::context::Context;
use crate::detect::model::flag::{Flag, Rule, Severity};
use crate::detect::rules::risk::filed;
use crate::schema::Category;

/// What makes the incident one: the listed offence, the stalking categories.
fn markers(context: &Context, incident: u32) -> Vec<String> {
    let record = context.incident(incident);
    let mut found = Vec::new();
    if let Some(code) = &record.offence_code {
        let listed = context
            .settings
            .stalking_strangulation_threats_offences
            .iter()
            .find(|(listed, _)| code_key(listed) == code_key(code));
        if let Some((_, what)) = listed {
            found.push(format!("recorded offence {code} ({what})"));
        }
    }
    for (when, category) in [("opened", record.opening), ("closed", record.closing)] {
        if category == Some(Category::Stalking) {
            found.push(format!("{when} as STALKING"));
        }
    }
    found
}

/// STALKING_STRANGULATION_THREATS.
pub fn stalking_strangulation_threats(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    if !record.domestic {
        return None;
    }
    let found = markers(context, incident);
    if found.is_empty() {
        return None;
    }
    let sentence = format!(
        "Stalking, strangulation or threats to kill, at {}: {}",
        context.when(record.force, record.contact_at),
        found.join("; ")
    );
    let mut flag = filed(
        context,
        Rule::StalkingStrangulationThreats,
        Severity::High,
        incident,
        sentence,
    );
    flag.timed(record.contact_at, record.contact_at);
    Some(flag)
}
