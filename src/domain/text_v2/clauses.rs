//! Similarity of scorer version 2: word-LCS Dice, where the script's clauses may be said in another order.

use super::{Text, Token};

/// The typed tokens a comparison looks at: `4·|line| + 64`. A longer typed text cannot score 0.4 or
/// more anyway (`2·|line| / (|line| + |typed|)` is below 0.4), so the tokens past the cap are not
/// aligned, only counted in the Dice denominator. Work and memory stay `O(|line|·cap)` and `O(cap)`.
pub(super) fn said_cap(line_len: usize) -> usize {
    line_len.saturating_mul(4).saturating_add(64)
}

/// Alignment scores for placing a clause in the typed text (a Smith–Waterman local alignment).
const MATCH: i32 = 2;
const MISMATCH: i32 = -1;
const GAP: i32 = -1;

/// `2·LCS / (|said| + |line|)` over canonical tokens, taking the better of the line as written and
/// the line with its clauses reordered to where each one best aligns in what was said.
///
/// - The typed text's own punctuation is never trusted: each clause of the script line is placed by
///   a local alignment against the typed tokens (the start of its best-scoring stretch, when it is
///   said as a block: see [`needed_score`]; a clause not said as a block stays right after the
///   clause before it), the clauses are sorted by those places, and the LCS is taken again.
///   Saying whole clauses in another order therefore costs nothing, while words shuffled inside a
///   clause still lose (each clause keeps its word order).
/// - The result is the maximum of the two LCS values, so reordering can only help.
/// - Two empty texts are identical (1); one empty text against a non-empty one is 0.
pub(super) fn similarity(said: &Text, line: &Text) -> f64 {
    let (n, m_full) = (line.tokens.len(), said.tokens.len());
    if n + m_full == 0 {
        return 1.0;
    }
    if n == 0 || m_full == 0 {
        return 0.0;
    }
    let b = &said.tokens[..m_full.min(said_cap(n))];
    let eq = |x: &Token, y: &Token| line.same(x, said, y);
    let mut row = Vec::with_capacity(b.len() + 1);
    let mut best = lcs_len(&line.tokens, b, eq, &mut row);
    if best < n.min(b.len()) && line.units.len() >= 2 {
        let mut cells = Vec::with_capacity(b.len() + 1);
        let mut placed: Vec<(usize, usize)> = Vec::with_capacity(line.units.len());
        let mut last = 0;
        for (idx, clause) in line.units.iter().enumerate() {
            let unit = &line.tokens[clause.start..clause.end];
            // A unit counts as said as a block by its content words: a dropped `и` or `the` is fine.
            let words = unit.iter().filter(|t| !t.function).count().max(1);
            let at = place(unit, words, b, eq, &mut cells).unwrap_or(last);
            last = at;
            placed.push((at, idx));
        }
        placed.sort_unstable();
        if placed.iter().enumerate().any(|(k, &(_, idx))| k != idx) {
            let reordered: Vec<Token> = placed
                .iter()
                .flat_map(|&(_, idx)| line.tokens[line.units[idx].start..line.units[idx].end].iter().copied())
                .collect();
            best = best.max(lcs_len(&reordered, b, eq, &mut row));
        }
    }
    2.0 * best as f64 / (n + m_full) as f64
}

/// Length of the longest common subsequence of `a` and `b`, in one row of `|b| + 1` cells.
pub(super) fn lcs_len<T>(a: &[T], b: &[T], eq: impl Fn(&T, &T) -> bool, row: &mut Vec<u32>) -> usize {
    row.clear();
    row.resize(b.len() + 1, 0);
    for x in a {
        let mut diag = 0;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if eq(x, y) { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()] as usize
}

/// The local alignment score a clause needs to be placed: 60% of a perfect one (`2·len`), and more
/// than one word for a clause of two words or more; a clause of two words must be said as it is,
/// side by side (two words with another between them is how word salad looks). A clause said as a
/// block (give or take a word) reaches it; a clause whose words are scattered through word salad
/// does not, and keeps its place in the script's order.
fn needed_score(len: usize) -> i32 {
    let len = i32::try_from(len).unwrap_or(i32::MAX / 4);
    if len == 2 {
        return 4;
    }
    ((6 * len + 4) / 5).max(len + 1)
}

/// Where a clause is said as a block in the typed tokens: the start of the highest-scoring local
/// alignment (first one on ties), or `None` when no stretch scores [`needed_score`] of its `words`
/// (its length without function words).
fn place<T>(
    clause: &[T],
    words: usize,
    b: &[T],
    eq: impl Fn(&T, &T) -> bool,
    cells: &mut Vec<(i32, usize)>,
) -> Option<usize> {
    // cells[j + 1] = (score, start) of the best alignment ending at clause[i], b[j]
    cells.clear();
    cells.resize(b.len() + 1, (0, 0));
    let mut best = (0, 0);
    for x in clause {
        let mut diag = (0, 0);
        let mut left = (0, 0);
        for (j, y) in b.iter().enumerate() {
            let up = cells[j + 1];
            let mut cell = (0, j + 1);
            let d = diag.0 + if eq(x, y) { MATCH } else { MISMATCH };
            if d > cell.0 {
                cell = (d, if diag.0 == 0 { j } else { diag.1 });
            }
            if up.0 + GAP > cell.0 {
                cell = (up.0 + GAP, up.1);
            }
            if left.0 + GAP > cell.0 {
                cell = (left.0 + GAP, left.1);
            }
            if cell.0 > best.0 {
                best = cell;
            }
            diag = up;
            cells[j + 1] = cell;
            left = cell;
        }
    }
    (best.0 >= needed_score(words)).then_some(best.1)
}

#[cfg(test)]
mod tests {
    use super::super::prepare;
    use super::*;

    fn sim(said: &str, line: &str) -> f64 {
        similarity(&prepare(said), &prepare(line))
    }

    #[test]
    fn lcs_of_plain_sequences() {
        let mut row = Vec::new();
        let eq = |a: &char, b: &char| a == b;
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(lcs_len(&chars("abcd"), &chars("acdef"), eq, &mut row), 3);
        assert_eq!(lcs_len(&chars("abc"), &chars("cba"), eq, &mut row), 1);
        assert_eq!(lcs_len(&chars(""), &chars("abc"), eq, &mut row), 0);
        assert_eq!(lcs_len(&chars("abcabc"), &chars("abcabc"), eq, &mut row), 6);
    }

    #[test]
    fn place_finds_the_densest_stretch() {
        let mut cells = Vec::new();
        let eq = |a: &char, b: &char| a == b;
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(place(&chars("xyz"), "xyz".len(), &chars("abxyzc"), eq, &mut cells), Some(2));
        // a stray x early does not beat the whole clause later
        assert_eq!(place(&chars("xyz"), "xyz".len(), &chars("xaaaaxyz"), eq, &mut cells), Some(5));
        assert_eq!(place(&chars("xyz"), "xyz".len(), &chars("abc"), eq, &mut cells), None);
        // scattered words are not a block
        assert_eq!(place(&chars("xyz"), "xyz".len(), &chars("xaaybbz"), eq, &mut cells), None);
        assert_eq!(place(&chars("xy"), "xy".len(), &chars("yx"), eq, &mut cells), None);
        // a block with one word changed still is
        assert_eq!(place(&chars("abcdefghij"), "abcdefghij".len(), &chars("zzabcdeXghij"), eq, &mut cells), Some(2));
    }

    #[test]
    fn needed_score_grows_with_the_clause() {
        assert_eq!(needed_score(1), 2);
        assert_eq!(needed_score(2), 4);
        assert_eq!(needed_score(3), 4);
        assert_eq!(needed_score(5), 6);
        assert_eq!(needed_score(10), 12);
    }

    #[test]
    fn reordered_clauses_cost_nothing_russian() {
        let line = "Добрый день! Меня зовут Ольга, компания «Северный ветер».";
        assert_eq!(sim("Добрый день! Компания «Северный ветер», меня зовут Ольга.", line), 1.0);
        // the typed text's punctuation does not matter
        assert_eq!(sim("добрый день компания северный ветер меня зовут ольга", line), 1.0);
        // version 1 gives this 0.625
        assert!(
            (crate::domain::text::similarity("Добрый день! Компания «Северный ветер», меня зовут Ольга.", line)
                - 0.625)
                .abs()
                < 1e-9
        );
    }

    #[test]
    fn reordered_clauses_cost_nothing_english() {
        let line = "Of course. What will the decision depend on? I will prepare exactly that today, and we can go through it together on Thursday.";
        let said = "What will the decision depend on? Of course. And we can go through it together on Thursday, I will prepare exactly that today.";
        assert_eq!(sim(said, line), 1.0);
        // moving one word between clauses is not a clause reorder: a small loss
        let said = "We can go through it together on Thursday, and I will prepare exactly that today. Of course. What will the decision depend on?";
        let s = sim(said, line);
        assert!((0.9..1.0).contains(&s), "{s}");
    }

    #[test]
    fn words_shuffled_inside_a_clause_still_lose() {
        let line = "Добрый день! Меня зовут Ольга, компания «Северный ветер».";
        let s = sim("Добрый день! Зовут меня Ольга, ветер северный компания.", line);
        assert!(s < 0.8, "{s}");
        let line = "I understand. Give us three months, and I will check every order myself.";
        let s = sim("I understand. Months three us give, and myself order every check will I.", line);
        assert!(s < 0.6, "{s}");
    }

    #[test]
    fn identical_and_empty_texts() {
        assert_eq!(sim("", ""), 1.0);
        assert_eq!(sim("a b", ""), 0.0);
        assert_eq!(sim("", "a b"), 0.0);
        assert_eq!(sim("...", "!!!"), 1.0);
        assert_eq!(
            sim(
                "Как прошёл ваш последний заказ: всё пришло вовремя?",
                "как прошел ваш последний заказ все пришло вовремя"
            ),
            1.0
        );
    }

    #[test]
    fn partial_lines_score_as_in_version_1() {
        // LCS 3 of 4 and 5 words
        let s = sim("a c d e f", "a b c d");
        assert!((s - 6.0 / 9.0).abs() < 1e-12, "{s}");
    }

    #[test]
    fn very_long_typed_texts_are_capped_and_lose() {
        let line = "We help offices cut stationery costs by a fifth with next-day delivery.";
        let mut said = "blah ".repeat(100_000);
        said.push_str(line);
        let s = sim(&said, line);
        assert!(s < 0.001, "{s}");
        // the line said first, then a flood: still below the cap's bound
        let said = format!("{line} {}", "blah ".repeat(1_000));
        assert!(sim(&said, line) < 0.4);
    }
}
