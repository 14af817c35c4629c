//! Timestamps in force exports: the formats we accept, and how a local
//! wall-clock reading becomes an instant in UTC across clock changes.

mod calendar;
mod directives;
mod fixed;
mod format;
mod local;

pub use format::{Parsed, Reading, TimeFormat, WallClock};
pub use local::{resolve_local, resolve_local_millis, LocalTimeError};
