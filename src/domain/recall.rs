//! The quality of a line typed from memory against a script stage (scoring contract, rule 3, Recall).
//!
//! Both the runtime (a hit follows the expected stage's choice) and scoring use it, so it lives
//! here, below both.

use super::playable::Playable;
use super::text::{mentions, normalise, similarity_words, substitute};

/// The quality of a recalled line against a stage.
#[derive(Debug, Clone, PartialEq)]
pub struct RecallQuality {
    /// `sim`, capped at 0.5 when a must_mention phrase is missing; 0 on a miss.
    pub q: f64,
    /// `sim` before the cap and the miss rule.
    pub similarity: f64,
    pub hit: bool,
    /// The must_mention phrases not found.
    pub missing: Vec<String>,
}

/// Scores a typed line against stage `stage` of the playable's script.
pub fn recall_quality(playable: &Playable, stage: u16, typed: &str, trainee: &str) -> RecallQuality {
    let st = playable.stage(stage);
    let line = substitute(&st.line, trainee);
    let typed_norm = normalise(typed);
    let typed_words: Vec<&str> = typed_norm.split(' ').filter(|w| !w.is_empty()).collect();
    let line_norm = normalise(&line);
    let line_words: Vec<&str> = line_norm.split(' ').filter(|w| !w.is_empty()).collect();
    let similarity = similarity_words(&typed_words, &line_words);
    let missing: Vec<String> =
        st.must_mention.iter().filter(|p| !mentions(&typed_norm, &substitute(p, trainee))).cloned().collect();
    let mut q = similarity;
    if !missing.is_empty() {
        q = q.min(0.5);
    }
    let hit = q >= playable.script.min_similarity;
    RecallQuality { q: if hit { q } else { 0.0 }, similarity, hit, missing }
}
