//! Where an incident happened, as address timelines key it: the most
//! precise place its export gives. A premises address (with its flat) names
//! one home; a grid square of the configured size (coordinates, snapped) a
//! few buildings; a block address a stretch of street; a UK postcode about
//! fifteen homes. Each is normalised (`normalise::address`), so contacts at
//! one place meet however it was typed.

use super::row::{RowFault, RowView};
use crate::config::Field;
use crate::normalise::{grid_cell, normalise_address};

/// The kinds of place, most precise first.
pub const PREMISES: &str = "PREMISES";
pub const GRID: &str = "GRID";
pub const BLOCK: &str = "BLOCK";
pub const POSTCODE: &str = "POSTCODE";

/// The incident's place and its kind, given its normalised postcode; a
/// latitude or longitude that is not a number is the row's fault.
pub fn place_of(row: &RowView, postcode: Option<&str>) -> Result<Option<(String, &'static str)>, RowFault> {
    let (latitude, longitude) = (row.decimal(Field::Latitude)?, row.decimal(Field::Longitude)?);
    let address = |field| row.text(field).and_then(normalise_address);
    let cell = || match (latitude, longitude) {
        (Some(lat), Some(lon)) => grid_cell(lat, lon, row.export.grid_metres),
        _ => None,
    };
    Ok(address(Field::PremisesAddress)
        .map(|a| (a, PREMISES))
        .or_else(|| cell().map(|c| (c, GRID)))
        .or_else(|| address(Field::BlockAddress).map(|b| (b, BLOCK)))
        .or_else(|| postcode.map(|p| (p.to_string(), POSTCODE))))
}
