//! Reading the earlier stages' tables for detection: the canonical calls and
//! incidents (`records.rs`) and who each incident names (`people.rs`), a
//! piece of rows at a time (`parquet_table.rs`), with an incident found by
//! force and reference (`reference_index.rs`), an incident's short lists
//! of victims, suspects and numbers (`lists.rs`), and the words looked for
//! in narratives as they are read (`lexicon.rs`), and each person's name
//! and date of birth, to tell two people from one (`identities.rs`).

pub(super) mod identities;
pub(super) mod lexicon;
pub(super) mod lists;
pub(super) mod parquet_table;
pub(super) mod people;
pub(super) mod records;
pub(super) mod reference_index;
