//! Negation for forbidden phrases of scorer version 2: a phrase said in the negative is not counted.

use super::Text;

/// How many tokens before a forbidden phrase a negator may stand to cancel it (`we do not guarantee`,
/// `I'm not going to guarantee`, `мы никогда не гарантируем`).
pub(super) const WINDOW: usize = 3;

/// A negating word, in its cleaned form (contractions already written out: `don't` → `do not`,
/// `can't`/`cannot` → `can not`).
pub(super) fn is_negator(word: &str) -> bool {
    matches!(word, "not" | "no" | "never" | "nor" | "neither" | "не" | "нет" | "ни" | "никогда")
}

/// Whether a negator stands within [`WINDOW`] tokens before token `at` of `said`, in the same clause.
pub(super) fn negated_before(said: &Text, at: usize) -> bool {
    let clause = said.clauses.partition_point(|c| c.end <= at);
    let clause_start = said.clauses.get(clause).map_or(at, |c| c.start);
    let from = at.saturating_sub(WINDOW).max(clause_start).min(at);
    said.tokens[from..at].iter().any(|t| t.negator)
}

#[cfg(test)]
mod tests {
    use super::super::prepare;
    use super::*;

    #[test]
    fn negators_in_both_languages() {
        for w in ["not", "no", "never", "не", "нет", "ни", "никогда"] {
            assert!(is_negator(w), "{w}");
        }
        for w in ["now", "note", "нести", "ничего", "know"] {
            assert!(!is_negator(w), "{w}");
        }
    }

    #[test]
    fn window_of_three_tokens_in_the_same_clause() {
        // tokens: we do not guarantee
        let t = prepare("we don't guarantee");
        assert!(negated_before(&t, 3));
        // tokens: i am not go to guarantee: "not" is 3 before
        let t = prepare("I'm not going to guarantee");
        assert!(negated_before(&t, 5));
        // four tokens away: too far
        let t = prepare("not that we really guarantee");
        assert!(!negated_before(&t, 4));
        // another clause
        let t = prepare("нет, гарантируем");
        assert!(!negated_before(&t, 1));
        let t = prepare("мы не гарантируем");
        assert!(negated_before(&t, 2));
        assert!(!negated_before(&t, 0));
    }
}
