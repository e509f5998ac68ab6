//! Text rules of the scoring contract: normalisation, words, word-LCS similarity, phrase search and word diffs.

use serde::{Deserialize, Serialize};

/// Normalises a text: Unicode lowercase, `ё`→`е`, every character that is not a letter, digit or
/// whitespace becomes a space, whitespace collapses to single spaces, no leading or trailing space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        for lc in c.to_lowercase() {
            let lc = if lc == 'ё' { 'е' } else { lc };
            if lc.is_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(lc);
            } else {
                pending_space = true;
            }
        }
    }
    out
}

/// The words of a text after normalisation.
pub fn words(text: &str) -> Vec<String> {
    normalise(text).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Length of the longest common subsequence of two word lists.
pub fn lcs_len<S: AsRef<str>>(a: &[S], b: &[S]) -> usize {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for wa in a {
        for (j, wb) in b.iter().enumerate() {
            cur[j + 1] = if wa.as_ref() == wb.as_ref() { prev[j] + 1 } else { cur[j].max(prev[j + 1]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// `sim(a, b) = 2·LCS(words(a), words(b)) / (|words(a)| + |words(b)|)`; two empty texts are identical (1).
pub fn similarity(a: &str, b: &str) -> f64 {
    similarity_words(&words(a), &words(b))
}

/// [`similarity`] over texts already split into words.
pub fn similarity_words<S: AsRef<str>>(a: &[S], b: &[S]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * lcs_len(a, b) as f64 / total as f64
}

/// Whether a phrase occurs in a text, both normalised; the phrase may be a word stem
/// (`бесплатн` occurs in `бесплатную доставку`).
pub fn mentions(normalised_text: &str, phrase: &str) -> bool {
    let phrase = normalise(phrase);
    !phrase.is_empty() && normalised_text.contains(&phrase)
}

/// How many times a phrase occurs in a text as a whole-word sequence (every occurrence counts,
/// overlapping ones included).
pub fn count_phrase<S: AsRef<str>>(text_words: &[S], phrase_words: &[S]) -> usize {
    let k = phrase_words.len();
    if k == 0 || k > text_words.len() {
        return 0;
    }
    text_words.windows(k).filter(|w| w.iter().zip(phrase_words).all(|(a, b)| a.as_ref() == b.as_ref())).count()
}

/// One step of a word-level diff between the script line and what was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffWord {
    /// In both.
    Same(String),
    /// In the script line, not said.
    Missing(String),
    /// Said, not in the script line.
    Extra(String),
}

/// A word-level diff from `expected` (the script line) to `said`, built on their LCS. Where both sides
/// differ at one place, the missing words come before the extra ones.
///
/// Only the first `4·|expected| + 64` said words are aligned (a longer reply cannot be close to the
/// line anyway); the rest follow as extra words. Memory stays `O(|expected|²)`, time linear in what
/// was said, whatever its length.
pub fn diff_words(expected: &str, said: &str) -> Vec<DiffWord> {
    let a = words(expected);
    let mut b = words(said);
    let rest = b.split_off(b.len().min(a.len().saturating_mul(4).saturating_add(64)));
    let mut out = diff_aligned(&a, &b);
    out.extend(rest.into_iter().map(DiffWord::Extra));
    out
}

/// The diff of two word lists by their longest common subsequence (an `n·m` table).
fn diff_aligned(a: &[String], b: &[String]) -> Vec<DiffWord> {
    let (n, m) = (a.len(), b.len());
    // suffix[i][j] = LCS of a[i..], b[j..]
    let mut suffix = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            suffix[i][j] = if a[i] == b[j] { suffix[i + 1][j + 1] + 1 } else { suffix[i + 1][j].max(suffix[i][j + 1]) };
        }
    }
    let mut out = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(DiffWord::Same(a[i].clone()));
            i += 1;
            j += 1;
        } else if i < n && (j == m || suffix[i + 1][j] >= suffix[i][j + 1]) {
            out.push(DiffWord::Missing(a[i].clone()));
            i += 1;
        } else {
            out.push(DiffWord::Extra(b[j].clone()));
            j += 1;
        }
    }
    out
}

/// Replaces `{trainee}` with the trainee's display name.
pub fn substitute(text: &str, trainee: &str) -> String {
    if text.contains("{trainee}") { text.replace("{trainee}", trainee) } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_lowercases_and_strips_punctuation() {
        assert_eq!(normalise("  Good afternoon!  My name is Bob, "), "good afternoon my name is bob");
        assert_eq!(normalise("next-day delivery"), "next day delivery");
        assert_eq!(normalise("...!?"), "");
    }

    #[test]
    fn normalise_russian_yo_quotes_and_case() {
        assert_eq!(normalise("Ещё ОДИН «Звонок»"), "еще один звонок");
        assert_eq!(normalise("ЁЛКА"), "елка");
        assert_eq!(normalise("«Северный ветер» — поставки"), "северный ветер поставки");
        assert_eq!(normalise("Тел.: 8-800"), "тел 8 800");
    }

    #[test]
    fn normalise_collapses_every_kind_of_whitespace() {
        assert_eq!(normalise("a\t\tb\n\u{a0}c"), "a b c");
    }

    #[test]
    fn similarity_is_word_lcs_dice() {
        assert_eq!(similarity("a b c d", "a b c d"), 1.0);
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("a b", ""), 0.0);
        // LCS(a b c d, a c d e f) = a c d = 3; 2*3/(4+5)
        assert!((similarity("a b c d", "a c d e f") - 6.0 / 9.0).abs() < 1e-12);
        // order matters: LCS(a b c, c b a) = 1
        assert!((similarity("a b c", "c b a") - 2.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn similarity_ignores_case_punctuation_and_yo() {
        assert_eq!(similarity("Всё понятно, спасибо!", "все ПОНЯТНО спасибо"), 1.0);
    }

    #[test]
    fn mentions_matches_phrases_and_stems() {
        let t = normalise("Могу предложить бесплатную пробную доставку");
        assert!(mentions(&t, "Бесплатн"));
        assert!(mentions(&t, "пробную доставку"));
        assert!(!mentions(&t, "скидку"));
        assert!(!mentions(&t, "!!!"));
    }

    #[test]
    fn count_phrase_counts_every_occurrence_on_word_boundaries() {
        let t = words("To be honest, to be honest: to be-honest. tobe honest");
        assert_eq!(count_phrase(&t, &words("to be honest")), 3);
        let t = words("very very very");
        assert_eq!(count_phrase(&t, &words("very very")), 2);
        assert_eq!(count_phrase(&words("stupidity"), &words("stupid")), 0);
        assert_eq!(count_phrase(&t, &words("")), 0);
    }

    #[test]
    fn diff_marks_missing_and_extra_words() {
        let d = diff_words("could we meet on tuesday", "we meet on friday please");
        assert_eq!(
            d,
            vec![
                DiffWord::Missing("could".into()),
                DiffWord::Same("we".into()),
                DiffWord::Same("meet".into()),
                DiffWord::Same("on".into()),
                DiffWord::Missing("tuesday".into()),
                DiffWord::Extra("friday".into()),
                DiffWord::Extra("please".into()),
            ]
        );
    }

    #[test]
    fn the_diff_of_a_huge_reply_stays_small_and_complete() {
        let line = "could we meet on tuesday at eleven or on wednesday at three";
        let said = format!("could we meet {}", "blah ".repeat(200_000));
        let d = diff_words(line, &said);
        // every said word is there once, and every line word is either matched or missing
        assert_eq!(d.iter().filter(|w| !matches!(w, DiffWord::Missing(_))).count(), 200_003);
        assert_eq!(d.iter().filter(|w| !matches!(w, DiffWord::Extra(_))).count(), 12);
        assert_eq!(
            &d[..3],
            &[DiffWord::Same("could".into()), DiffWord::Same("we".into()), DiffWord::Same("meet".into())]
        );
    }

    #[test]
    fn substitute_replaces_every_placeholder() {
        assert_eq!(substitute("I am {trainee}. {trainee}!", "Ольга"), "I am Ольга. Ольга!");
    }
}
