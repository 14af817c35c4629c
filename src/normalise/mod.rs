//! Normalisation of the fields people and places are linked on: names, phone
//! numbers, postcodes, addresses and coordinates (and the whitespace trimming
//! every value gets). Each function takes raw text and returns the normal
//! form, or `None` when nothing usable is left; none of them ever fails loudly, since a badly written
//! phone number is a data-quality fact, not a broken row.

mod address;
mod name;
mod phone;
mod postcode;
mod trim;

pub use address::{grid_cell, normalise_address};
pub use name::{normalise_name, split_full_name};
pub use phone::to_e164;
pub use postcode::{normalise_postcode, postcode_district};
pub use trim::trimmed;
