//! Scorer versions (DESIGN.md, "Scorer versions"): the text rules each version applies to a Recall line and to forbidden phrases.
//!
//! Version 1 is the contract of DESIGN.md and is frozen: a run scored under it scores the same,
//! byte for byte, forever. A change to the rules comes as a new version beside the old ones. A run
//! file names its version (`scorer: N`, absent means 1) and every tool scores it with that one.
//!
//! Both the runtime (in Recall a hit follows the expected stage's choice) and scoring use these
//! rules, so they live here, below both.

mod v1;
mod v2;

use super::model::{Forbidden, Script};

/// The newest scorer version: what new calls are scored by.
pub const LATEST: u32 = 2;

/// Every scorer version this callforge can score with, oldest first.
pub const VERSIONS: [u32; 2] = [1, 2];

/// The known versions in words, for messages ("1, 2").
pub fn known() -> String {
    VERSIONS.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// The quality of a recalled line against a stage.
#[derive(Debug, Clone, PartialEq)]
pub struct RecallQuality {
    /// `sim`, capped at 0.5 when a must_mention phrase is missing (or, from version 2, when the
    /// line says the opposite); 0 on a miss.
    pub q: f64,
    /// `sim` before the cap and the miss rule (the best over the line and its variants).
    pub similarity: f64,
    pub hit: bool,
    /// The must_mention phrases not found.
    pub missing: Vec<String>,
    /// Which text matched best: 0 for the stage's line, `k` for its variant `k - 1`.
    pub best: usize,
    /// The trainee negated what the line affirms (version 2 and later).
    pub negated: bool,
}

/// Scores a typed line against stage `stage` of the playable's script, by scorer `version`.
pub fn recall_quality(version: u32, script: &Script, stage: u16, typed: &str, trainee: &str) -> RecallQuality {
    match version {
        1 => v1::recall_quality(script, stage, typed, trainee),
        _ => v2::recall_quality(script, stage, typed, trainee),
    }
}

/// What the trainee said at one turn, prepared once for the forbidden-phrase rule of a version.
#[derive(Debug)]
pub(crate) enum Said {
    V1(Vec<String>),
    V2(super::text_v2::Text),
}

/// A script's forbidden phrases, prepared once for the rule of a version.
#[derive(Debug)]
pub(crate) enum Phrases {
    V1(Vec<Vec<String>>),
    V2(Vec<std::rc::Rc<super::text_v2::Text>>),
}

impl Said {
    pub fn new(version: u32, text: &str) -> Said {
        match version {
            1 => Said::V1(super::text::words(text)),
            _ => Said::V2(super::text_v2::prepare(text)),
        }
    }
}

impl Phrases {
    pub fn new(version: u32, forbidden: &[Forbidden]) -> Phrases {
        match version {
            1 => Phrases::V1(forbidden.iter().map(|f| super::text::words(&f.phrase)).collect()),
            _ => Phrases::V2(forbidden.iter().map(|f| super::text_v2::prepared(&f.phrase)).collect()),
        }
    }

    /// How many times forbidden phrase `k` was said.
    pub fn count(&self, k: usize, said: &Said) -> usize {
        match (self, said) {
            (Phrases::V1(p), Said::V1(w)) => super::text::count_phrase(w, &p[k]),
            (Phrases::V2(p), Said::V2(t)) => super::text_v2::count_forbidden_prepared(t, &p[k]),
            // Both are made for the same version by `score`; a mix never counts.
            _ => 0,
        }
    }
}
