//! Ranking: the RFG-style priority lists of victims and perpetrators
//! (`priority.rs`), ordered first by review tier (`tier.rs`).

pub(super) mod priority;
pub(super) mod tier;
