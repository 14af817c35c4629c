//! vigil joins up police domestic-abuse contacts after the fact: it reads each
//! force's call and incident exports (ingest), links them to the people they
//! concern, flags escalation and response gaps, and writes review packs.
//!
//! The library knows nothing of the command line: `main.rs` builds a
//! [`config::Config`] and calls one function of [`commands`].

pub mod cell_safety;
pub mod commands;
pub mod config;
pub mod csv_out;
pub mod detect;
pub mod draft;
pub mod error;
pub mod generation;
pub mod hashing;
pub mod ingest;
pub mod link;
pub mod normalise;
pub mod persons;
pub mod random;
pub mod report;
pub mod schema;
#[cfg(test)]
mod scratch;
pub mod simulate;
pub mod staging;
pub mod text_pieces;
pub mod timestamps;
pub mod truth;
pub mod wall_clock;
