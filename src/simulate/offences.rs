//! Offences the simulator records on incidents, with a harm weight used only
//! to shape the simulated world (so that a few dyads carry most of the harm)
//! and to report that shape.
//!
//! The codes are Home Office offence classification codes (strangulation,
//! which has no letter code we could confirm, by its sub-code 008/77); the
//! weights are PLACEHOLDERS of the right order of magnitude (days, in the
//! manner of the Cambridge Crime Harm Index), not sourced values. Detection
//! ships its own versioned harm table (`src/detect/model/harm_weights.csv`);
//! nothing outside the simulator reads these.

/// One offence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Offence {
    pub code: &'static str,
    pub description: &'static str,
    pub harm: f64,
}

const fn offence(code: &'static str, description: &'static str, harm: f64) -> Offence {
    Offence {
        code,
        description,
        harm,
    }
}

pub const COMMON_ASSAULT: Offence = offence("105A", "Assault without injury", 10.0);
pub const HARASSMENT: Offence = offence("8L", "Harassment", 15.0);
pub const CRIMINAL_DAMAGE: Offence = offence("58A", "Criminal damage to a dwelling", 5.0);
pub const COERCIVE_CONTROL: Offence = offence("8U", "Controlling or coercive behaviour", 120.0);
pub const STALKING: Offence = offence("8Q", "Stalking", 180.0);
pub const ABH: Offence = offence("8N", "Assault with injury", 365.0);
pub const STRANGULATION: Offence = offence("008/77", "Intentional strangulation or suffocation", 900.0);
pub const THREATS_TO_KILL: Offence = offence("3B", "Threats to kill", 700.0);
pub const GBH: Offence = offence("5D", "Assault with intent to cause serious harm", 1800.0);
pub const RAPE: Offence = offence("19C", "Rape of a female aged 16 and over", 1800.0);

/// Offences of an ordinary DA incident (`None` = no crime recorded), with weights.
pub const LOW_HARM: &[(Option<Offence>, f64)] = &[
    (None, 52.0),
    (Some(COMMON_ASSAULT), 24.0),
    (Some(HARASSMENT), 9.0),
    (Some(CRIMINAL_DAMAGE), 9.0),
    (Some(COERCIVE_CONTROL), 2.0),
    (Some(ABH), 4.0),
];

/// Offences of an incident in one of the few highest-harm dyads.
pub const HIGH_HARM: &[(Option<Offence>, f64)] = &[
    (Some(ABH), 35.0),
    (Some(GBH), 15.0),
    (Some(STRANGULATION), 20.0),
    (Some(THREATS_TO_KILL), 10.0),
    (Some(STALKING), 8.0),
    (Some(RAPE), 7.0),
    (Some(COMMON_ASSAULT), 5.0),
];
