//! Scorer version 2: the Recall rule on the words as a trainer hears them (see `text_v2`), the best over the stage's line and its accepted variants.

use super::RecallQuality;
use crate::domain::model::Script;
use crate::domain::text::substitute;
use crate::domain::text_v2::{self, prepare};

/// Scores a typed line against stage `stage`: the similarity is the best over the stage's line and
/// its variants; a missing must_mention phrase, or a negation of what the line says, caps it at 0.5.
pub(super) fn recall_quality(script: &Script, stage: u16, typed: &str, trainee: &str) -> RecallQuality {
    let st = &script.stages[usize::from(stage)];
    let said = prepare(typed);
    let mut best = (0usize, -1.0f64, false);
    for (k, text) in std::iter::once(&st.line).chain(&st.variants).enumerate() {
        let line = prepare(&substitute(text, trainee));
        let sim = text_v2::similarity(&said, &line);
        if sim > best.1 {
            best = (k, sim, text_v2::negates(&said, &line));
        }
    }
    let (best, similarity, negated) = (best.0, best.1.max(0.0), best.2);
    let missing: Vec<String> =
        st.must_mention.iter().filter(|p| !text_v2::mentions(&said, &substitute(p, trainee))).cloned().collect();
    let mut q = similarity;
    if !missing.is_empty() || negated {
        q = q.min(0.5);
    }
    let hit = q >= script.min_similarity;
    RecallQuality { q: if hit { q } else { 0.0 }, similarity, hit, missing, best, negated }
}
