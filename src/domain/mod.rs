//! The domain core: scripts, scenarios and the ladder, their loading and validation, the dialogue runtime and scoring.
//!
//! Architecture invariant: this module knows nothing of Bevy, SQL or the terminal. It reads files
//! and returns values; the app, the command line and the records call into it, never the reverse.
//! `cargo test --no-default-features` builds and tests it without any of them.

pub mod assign;
pub mod calibrate;
mod compile;
pub mod digest;
pub mod drill;
pub mod feedback;
pub mod finish;
pub mod first_day;
pub mod ladder;
pub mod library;
pub mod limits;
pub mod model;
pub mod parse;
pub mod playable;
pub mod progress;
mod reporter;
pub mod runtime;
pub mod schedule;
pub mod score;
pub mod scorer;
pub mod seed;
pub mod sheet;
pub mod source;
pub mod stats;
pub mod syntax;
pub mod text;
pub mod text_v2;
pub mod time;
mod validate;
pub mod voice;

pub use finish::{FinishedCall, finish_call};
pub use library::{CalibrationEntry, Library, ScenarioEntry, ScriptEntry};
pub use model::{Input, Ladder, Mode, Outcome, Role, Run, Scenario, Script};
pub use playable::Playable;
pub use playable::content_hash;
pub use runtime::{Dialogue, InputError, RunError, replay};
pub use score::{Score, score};
pub use source::{Diagnostic, Severity, SourceFile};
