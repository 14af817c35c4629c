//! One force: its name, time zone, attendance targets, code tables and exports.

use std::path::Path;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::codes::CodeTables;
use super::export::{Export, ExportSpec};
use crate::schema::{Area, Grade};

/// Attendance targets, in minutes from the call being received.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AttendanceTargets {
    pub emergency_urban_minutes: u32,
    pub emergency_rural_minutes: u32,
    pub priority_minutes: u32,
    pub scheduled_minutes: u32,
    /// The area an emergency is taken to be in where its incident records
    /// none (an export with no area column): rural, the longer target, unless the force states otherwise.
    #[serde(skip_serializing_if = "is_rural")]
    pub unrecorded_area: Area,
}

fn is_rural(area: &Area) -> bool {
    *area == Area::Rural
}

impl Default for AttendanceTargets {
    /// DOMAIN.md: emergency 15 min urban / 20 rural, priority 60 min, scheduled within 48 h.
    fn default() -> Self {
        AttendanceTargets {
            emergency_urban_minutes: 15,
            emergency_rural_minutes: 20,
            priority_minutes: 60,
            scheduled_minutes: 48 * 60,
            unrecorded_area: Area::Rural,
        }
    }
}

impl AttendanceTargets {
    /// The target for a grade in an area (not recorded: [`Self::unrecorded_area`]);
    /// `None` where no attendance is expected.
    pub fn minutes(&self, grade: Grade, area: Option<Area>) -> Option<u32> {
        match grade {
            Grade::Emergency if area.unwrap_or(self.unrecorded_area) == Area::Rural => {
                Some(self.emergency_rural_minutes)
            }
            Grade::Emergency => Some(self.emergency_urban_minutes),
            Grade::Priority => Some(self.priority_minutes),
            Grade::Scheduled => Some(self.scheduled_minutes),
            Grade::NoDeployment => None,
        }
    }
}

/// A force as configured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForceSpec {
    /// Short id used in tables and folder names (`west_midlands`).
    pub id: String,
    /// Display name (`West Midlands Police`).
    pub name: String,
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default)]
    pub targets: AttendanceTargets,
    /// First local date (`YYYY-MM-DD`) from which DA contacts should get a
    /// specialist review (the force's Raneem's Law pilot start); none = not piloting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialist_reviews_from: Option<String>,
    /// Raw closing codes or outcomes (`DUPLICATE`, `CANCELLED`, `ADVICE_GIVEN`)
    /// with which the force closes an incident that needed no attendance:
    /// NOT_ATTENDED does not fire on them. Matched ignoring case and spaces
    /// against the raw closing code, the raw outcome and the canonical outcome.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_attendance_needed: Vec<String>,
    #[serde(default)]
    pub codes: CodeTables,
    #[serde(rename = "export")]
    pub exports: Vec<ExportSpec>,
}

fn default_timezone() -> String {
    "Europe/London".into()
}

/// A checked force.
#[derive(Debug, Clone)]
pub struct Force {
    pub id: String,
    pub name: String,
    pub timezone: Tz,
    pub targets: AttendanceTargets,
    /// UTC milliseconds of local midnight on `specialist_reviews_from`.
    pub specialist_reviews_from: Option<i64>,
    /// [`ForceSpec::no_attendance_needed`], trimmed and upper-cased.
    pub no_attendance_needed: Vec<String>,
    pub codes: CodeTables,
    pub exports: Vec<Export>,
}

impl ForceSpec {
    pub(super) fn compile(&self, base_dir: &Path) -> Result<Force, String> {
        let id_ok = !self.id.is_empty()
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !id_ok {
            return Err("the id must be lower-case letters, digits and underscores".into());
        }
        let timezone: Tz = self
            .timezone
            .parse()
            .map_err(|_| format!("timezone `{}` is not an IANA time zone name", self.timezone))?;
        if self.exports.is_empty() {
            return Err("no [[force.export]] is configured".into());
        }
        let exports = self
            .exports
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                spec.compile(base_dir)
                    .map_err(|e| format!("export {} ({}): {e}", i + 1, spec.path))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let specialist_reviews_from = self
            .specialist_reviews_from
            .as_deref()
            .map(|date| local_midnight(date, timezone))
            .transpose()?;
        Ok(Force {
            id: self.id.clone(),
            name: self.name.clone(),
            timezone,
            targets: self.targets,
            specialist_reviews_from,
            no_attendance_needed: self.no_attendance_needed.iter().map(|code| code_key(code)).collect(),
            codes: self.codes.clone().normalised()?,
            exports,
        })
    }
}

/// A code as compared: trimmed, upper-case.
pub fn code_key(code: &str) -> String {
    code.trim().to_uppercase()
}

/// UTC milliseconds of the first instant of a local date.
fn local_midnight(date: &str, zone: Tz) -> Result<i64, String> {
    let day = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| format!("specialist_reviews_from `{date}` is not a date like 2025-02-21"))?;
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    crate::timestamps::resolve_local(midnight, zone).map_err(|e| format!("specialist_reviews_from: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_for_unrecorded_incidents_is_stated_once_and_sets_the_emergency_target() {
        let stated: AttendanceTargets = toml::from_str("unrecorded_area = \"urban\"").unwrap();
        assert_eq!(stated.minutes(Grade::Emergency, None), Some(15));
        assert_eq!(stated.minutes(Grade::Emergency, Some(Area::Rural)), Some(20));
        let default = AttendanceTargets::default();
        assert_eq!(
            default.minutes(Grade::Emergency, None),
            Some(20),
            "rural, the longer target"
        );
        assert!(toml::from_str::<AttendanceTargets>("unrecorded_area = \"suburban\"").is_err());
        assert!(!toml::to_string(&default).unwrap().contains("unrecorded_area"));
    }
}
