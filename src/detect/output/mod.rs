//! Publishing the detect tables: their rows (`tables.rs`), the incident and
//! call texts rows write (`cells.rs`), and writing them together (`write.rs`).

pub(super) mod cells;
pub(super) mod tables;
pub(super) mod write;
