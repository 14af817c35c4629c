//! What the rules reason over: the timelines of victims, perpetrators and
//! dyads (`subjects.rs`), local time (`clock.rs`), what every rule sees
//! (`context.rs`), what a rule raises (`flag.rs`) and its lasting id
//! (`flag_id.rs`), which rules a force's
//! exports can support (`coverage.rs`) and the harm weights (`harm.rs`).

pub(super) mod clock;
pub(super) mod context;
pub(super) mod coverage;
pub(super) mod flag;
pub(super) mod flag_id;
pub(super) mod harm;
pub(super) mod subjects;
