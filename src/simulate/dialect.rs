//! The five pilot export dialects as the simulator writes them: the
//! configuration template (`dialects.toml`, which the hand-made fixtures'
//! `vigil.toml` must equal, as a test checks) plus what a configuration
//! does not say but a writer must choose: how yes/no is spelt, how references
//! and call ids look, and which raw grade means an appointment.

use chrono::NaiveDate;

use super::forces::{reference_prefix, ForceProfile};
use crate::config::{ConfigSpec, ExportSpec, ForceSpec};

/// The template, with the five pilot forces in dialect order.
pub const TEMPLATE: &str = include_str!("dialects.toml");

/// Writing habits of one dialect.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub yes: &'static str,
    pub no: &'static str,
    pub appointment_grade: Option<&'static str>,
    pub references: ReferenceStyle,
    /// What a CSV cell with no value holds (real exports often write `NULL`).
    pub missing: &'static str,
}

/// How incident references are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceStyle {
    /// `20250301-0042`: date and daily sequence.
    DateDaily,
    /// `NB-250301-0042`: prefix, short date, daily sequence.
    PrefixDateDaily,
    /// `NH/250301/0042`.
    SlashDateDaily,
    /// `BD-2025-00077`: prefix, year, yearly sequence.
    PrefixYearly,
    /// `HB-25-004411`.
    PrefixShortYearly,
}

pub const STYLES: [Style; 5] = [
    Style {
        yes: "Y",
        no: "N",
        appointment_grade: None,
        references: ReferenceStyle::DateDaily,
        missing: "",
    },
    Style {
        yes: "true",
        no: "false",
        appointment_grade: None,
        references: ReferenceStyle::PrefixDateDaily,
        missing: "",
    },
    Style {
        yes: "1",
        no: "0",
        appointment_grade: Some("Appointment"),
        references: ReferenceStyle::SlashDateDaily,
        missing: "",
    },
    Style {
        yes: "Y",
        no: "N",
        appointment_grade: Some("4"),
        references: ReferenceStyle::PrefixYearly,
        missing: "",
    },
    Style {
        yes: "YES",
        no: "NO",
        appointment_grade: None,
        references: ReferenceStyle::PrefixShortYearly,
        missing: "NULL",
    },
];

/// The template's five force specs.
pub fn template_forces() -> Vec<ForceSpec> {
    let spec: ConfigSpec = toml::from_str(TEMPLATE).expect("the bundled dialect template is valid");
    spec.forces
}

/// The configuration of a simulated force: its dialect's, with its own id, name and folder.
pub fn force_spec(template: &[ForceSpec], force: &ForceProfile) -> ForceSpec {
    let mut spec = template[force.dialect].clone();
    let template_id = spec.id.clone();
    spec.id = force.id.to_string();
    spec.name = force.name.to_string();
    spec.exports = spec
        .exports
        .iter()
        .map(|export| ExportSpec {
            path: export.path.replacen(&template_id, force.id, 1),
            ..export.clone()
        })
        .collect();
    spec
}

/// An incident reference in the force's style, for the `sequence`-th incident of its day or year.
pub fn reference(style: ReferenceStyle, force: &ForceProfile, day: NaiveDate, sequence: u32) -> String {
    let prefix = reference_prefix(force);
    match style {
        ReferenceStyle::DateDaily => format!("{}-{sequence:04}", day.format("%Y%m%d")),
        ReferenceStyle::PrefixDateDaily => format!("{prefix}-{}-{sequence:04}", day.format("%y%m%d")),
        ReferenceStyle::SlashDateDaily => format!("{prefix}/{}/{sequence:04}", day.format("%y%m%d")),
        ReferenceStyle::PrefixYearly => format!("{prefix}-{}-{sequence:05}", day.format("%Y")),
        ReferenceStyle::PrefixShortYearly => format!("{prefix}-{}-{sequence:06}", day.format("%y")),
    }
}

/// Whether the sequence restarts each day (else each year).
pub fn daily(style: ReferenceStyle) -> bool {
    matches!(
        style,
        ReferenceStyle::DateDaily | ReferenceStyle::PrefixDateDaily | ReferenceStyle::SlashDateDaily
    )
}

/// A call id in the force's style.
pub fn call_id(style: ReferenceStyle, force: &ForceProfile, number: u64) -> String {
    let prefix = reference_prefix(force);
    match style {
        ReferenceStyle::DateDaily => format!("{prefix}-C-{number:07}"),
        ReferenceStyle::PrefixDateDaily => format!("{prefix}-{number:07}"),
        ReferenceStyle::SlashDateDaily => format!("{prefix}-CALL-{number:07}"),
        ReferenceStyle::PrefixYearly => format!("{prefix}/{number:07}"),
        ReferenceStyle::PrefixShortYearly => format!("{prefix}{number:08}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::forces::pilot_forces;

    #[test]
    fn the_template_holds_the_five_pilot_dialects_in_order() {
        let template = template_forces();
        let ids: Vec<&str> = template.iter().map(|f| f.id.as_str()).collect();
        let pilots: Vec<&str> = pilot_forces().iter().map(|f| f.id).collect();
        assert_eq!(ids, pilots);
    }
}
