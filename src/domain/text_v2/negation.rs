//! Negation in scorer version 2: a forbidden phrase said in the negative is not counted, and a line said in the negative is not the script's line.

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

/// Whether `said` negates what `line` affirms: it has more negators than the line among those that
/// stand within [`WINDOW`] tokens before, and in the same clause as, a content word (not a function
/// word such as `the`) the line says
/// (`we don't offer a free trial`, `это не наша ошибка`). A negator the line has itself (`не
/// переживайте`) and a bare `no` in a clause of its own (`No, no, I understand`) do not count.
pub(super) fn negates(said: &Text, line: &Text) -> bool {
    let line_negators = line.tokens.iter().filter(|t| t.negator).count();
    let in_line = |t: &super::Token| {
        t.kind == super::Kind::Word
            && !t.negator
            && !t.function
            && line.tokens.iter().any(|l| l.key == t.key && line.canon(l) == said.canon(t))
    };
    let mut said_negators = 0;
    for clause in &said.clauses {
        let tokens = &said.tokens[clause.start..clause.end];
        for (i, t) in tokens.iter().enumerate() {
            if t.negator && tokens[i + 1..].iter().take(WINDOW).any(in_line) {
                said_negators += 1;
            }
        }
    }
    said_negators > line_negators
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

    fn neg(said: &str, line: &str) -> bool {
        negates(&super::super::prepare(said), &super::super::prepare(line))
    }

    #[test]
    fn a_line_said_in_the_negative_negates_it() {
        let line = "I understand. Many of our clients had a supplier too; a free trial delivery lets you compare.";
        assert!(neg("I understand, many clients had a supplier too, but we don't offer a free trial delivery.", line));
        assert!(!neg(
            "I understand. Many of our clients had a supplier too; a free trial delivery lets you compare.",
            line
        ));
        assert!(!neg(
            "No, no, I understand. Many of our clients had a supplier too; a free trial delivery lets you compare.",
            line
        ));
        let ru = "Приношу извинения: это наша ошибка, мы всё исправим завтра.";
        assert!(neg("Приношу извинения, но это не наша ошибка, мы всё исправим завтра.", ru));
        assert!(!neg("Приношу свои извинения: это наша ошибка, завтра всё исправим.", ru));
    }

    #[test]
    fn a_negation_the_line_has_itself_is_fine() {
        let line = "Не переживайте: мы заменим товар завтра.";
        assert!(!neg("Не переживайте, завтра мы заменим товар.", line));
        assert!(!neg("Don't worry, we'll replace it tomorrow.", "Don't worry: we'll replace it tomorrow."));
        assert!(neg(
            "It's not our mistake, we'll replace it tomorrow.",
            "It's our mistake, we'll replace it tomorrow."
        ));
    }
}
