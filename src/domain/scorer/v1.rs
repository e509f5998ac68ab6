//! Scorer version 1, frozen: the Recall rule of DESIGN.md's scoring contract (normalised words, word LCS, must_mention as a substring).

use super::RecallQuality;
use crate::domain::model::Script;
use crate::domain::text::{mentions, normalise, similarity_words, substitute};

/// Scores a typed line against stage `stage` of the playable's script.
pub(super) fn recall_quality(script: &Script, stage: u16, typed: &str, trainee: &str) -> RecallQuality {
    let st = &script.stages[usize::from(stage)];
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
    let hit = q >= script.min_similarity;
    RecallQuality { q: if hit { q } else { 0.0 }, similarity, hit, missing, best: 0, negated: false }
}
