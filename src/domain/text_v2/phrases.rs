//! must_mention and forbidden phrases for scorer version 2: stems, numbers and contractions, stem prefixes, negation.

use super::negation::negated_before;
use super::{Kind, Text, Token};

/// Whether said token `s` stands for phrase token `p`: the same token (or a stem one letter apart),
/// or, when `prefix` holds, a said word that starts with the phrase word as written, keeping
/// version 1's leniency for a stem written by the author (`бесплатн` matches `бесплатную`); never
/// for numbers.
fn stands_for(said: &Text, s: &Token, phrase: &Text, p: &Token, prefix: bool) -> bool {
    said.same(s, phrase, p)
        || (prefix && s.kind == Kind::Word && p.kind == Kind::Word && said.surface(s).starts_with(phrase.surface(p)))
}

/// The tokens of a phrase a trainer listens for: all but its function words, unless it has only
/// function words.
fn content(phrase: &Text) -> Vec<usize> {
    let words: Vec<usize> = (0..phrase.tokens.len()).filter(|&i| !phrase.tokens[i].function).collect();
    if words.is_empty() { (0..phrase.tokens.len()).collect() } else { words }
}

/// The tokens of a long forbidden phrase that must be said: all but the function words between its
/// content words. A function word at either end stays, since it makes the expression (`just
/// checking in` is not `just checking`).
fn inner_optional(phrase: &Text) -> Vec<usize> {
    let t = &phrase.tokens;
    let first = t.iter().position(|x| !x.function).unwrap_or(0);
    let last = t.iter().rposition(|x| !x.function).unwrap_or(t.len().saturating_sub(1));
    (0..t.len()).filter(|&i| i < first || i > last || !t[i].function).collect()
}

/// Whether a must_mention phrase is mentioned: every token of it but its function words is said,
/// in any order, within a stretch of `2·len + 4` said tokens (`лично проверю` = `проверю лично`,
/// `сколько человек` in `сколько у вас человек`, `confirmation today` in `Today I'll email you a
/// confirmation`). Punctuation does not matter. The phrase's last word may also be the start of a
/// said word (`бесплатн`). An empty phrase is never mentioned.
pub(super) fn mentions(said: &Text, phrase: &Text) -> bool {
    let k = phrase.tokens.len();
    if k == 0 {
        return false;
    }
    let needed = content(phrase);
    let window = 2 * k + 4;
    let n = said.tokens.len();
    (0..n).any(|start| {
        let end = (start + window).min(n);
        covers(said, start, end, phrase, &needed, k - 1).is_some()
    })
}

/// Whether said tokens `start..end` hold a distinct match for every needed phrase token, and if so
/// the index just past the last matched token. Phrase token `prefix_at` may match as a prefix.
fn covers(said: &Text, start: usize, end: usize, phrase: &Text, needed: &[usize], prefix_at: usize) -> Option<usize> {
    let mut used: Vec<usize> = Vec::with_capacity(needed.len());
    for &p in needed {
        let pt = &phrase.tokens[p];
        let hit = (start..end)
            .find(|j| !used.contains(j) && stands_for(said, &said.tokens[*j], phrase, pt, p == prefix_at))?;
        used.push(hit);
    }
    used.iter().max().map(|last| last + 1)
}

/// How many times a forbidden phrase was said, counted left to right without overlap. An
/// occurrence is the phrase's words in order within one clause, with at most two other words
/// slipped in (`to be perfectly honest`, `give you a fifteen percent discount`, `гарантирую вам
/// самую низкую цену`). A phrase of three words or more with at least two content words that are
/// not pronouns keeps its meaning without the function words between its content words, so those
/// may differ (`sorry for bothering you` says `sorry to bother you`; `just checking` does not say
/// `just checking in`). A phrase of two words may be said in either order (`мне поверьте`). An occurrence with a negator within
/// [`super::negation::WINDOW`] tokens before it, or among its slipped-in words, in the same clause,
/// is not counted, unless the phrase contains a negator itself (`мы не виноваты`, `not our fault`
/// count as written). An empty phrase is never said.
pub(super) fn count_forbidden(said: &Text, phrase: &Text) -> usize {
    let k = phrase.tokens.len();
    if k == 0 {
        return 0;
    }
    let core = (0..k).filter(|&i| !phrase.tokens[i].function && !phrase.tokens[i].pronoun && !phrase.tokens[i].negator);
    let needed: Vec<usize> = if k >= 3 && core.count() >= 2 { inner_optional(phrase) } else { (0..k).collect() };
    let phrase_negates = phrase.tokens.iter().any(|t| t.negator);
    let mut count = 0;
    let mut from = 0;
    // Two words may come in either order (`поверьте мне` = `мне поверьте`).
    let reversed: Vec<usize> = needed.iter().rev().copied().collect();
    let next = |from: usize| {
        let forward = next_in_order(said, from, phrase, &needed);
        let backward = if needed.len() == 2 { next_in_order(said, from, phrase, &reversed) } else { None };
        match (forward, backward) {
            (Some(f), Some(b)) => Some(if b.0 < f.0 { b } else { f }),
            (f, b) => f.or(b),
        }
    };
    while let Some((start, end)) = next(from) {
        let negated = negated_before(said, start) || said.tokens[start..end].iter().any(|t| t.negator);
        if phrase_negates || !negated {
            count += 1;
        }
        from = end;
    }
    count
}

/// The next occurrence at or after `from` of the needed phrase tokens in order, in one clause (unless
/// the phrase has several), with at most two other tokens between them: its token range.
fn next_in_order(said: &Text, from: usize, phrase: &Text, needed: &[usize]) -> Option<(usize, usize)> {
    // Two words may slip in, besides the phrase's own function words when they are not needed.
    let slack = 2 + phrase.tokens.len() - needed.len();
    let first = &phrase.tokens[*needed.first()?];
    for start in from..said.tokens.len() {
        if !stands_for(said, &said.tokens[start], phrase, first, false) {
            continue;
        }
        // A phrase of one clause is said within one clause; a phrase with its own punctuation may span.
        let clause_end = if phrase.clauses.len() > 1 {
            said.tokens.len()
        } else {
            said.clauses.iter().find(|c| c.start <= start && start < c.end).map_or(said.tokens.len(), |c| c.end)
        };
        let (mut at, mut gaps, mut ok) = (start + 1, 0, true);
        for &p in &needed[1..] {
            let pt = &phrase.tokens[p];
            loop {
                if at >= clause_end || gaps > slack {
                    ok = false;
                    break;
                }
                if stands_for(said, &said.tokens[at], phrase, pt, false) {
                    at += 1;
                    break;
                }
                gaps += 1;
                at += 1;
            }
            if !ok || gaps > slack {
                ok = false;
                break;
            }
        }
        if ok {
            return Some((start, at));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::prepare;
    use super::*;

    fn m(said: &str, phrase: &str) -> bool {
        mentions(&prepare(said), &prepare(phrase))
    }

    fn f(said: &str, phrase: &str) -> usize {
        count_forbidden(&prepare(said), &prepare(phrase))
    }

    #[test]
    fn mentions_by_stem() {
        assert!(m("Бесплатная доставка завтра", "доставкой"));
        assert!(m("Мы привозим заказ на следующий день", "на следующий день"));
        assert!(m("free deliveries every week", "free delivery"));
        assert!(!m("доставка", "заказ"));
    }

    #[test]
    fn mentions_numbers_times_and_contractions() {
        assert!(m("Привезём завтра до 12:00, бесплатно", "завтра до двенадцати"));
        assert!(m("скидка 10% на всё", "десять процентов"));
        assert!(m("ten percent off everything", "ten percent"));
        assert!(m("10% off everything", "ten percent"));
        assert!(m("delivered within 48 hours", "forty-eight hours"));
        assert!(m("Good afternoon, my name's Bob", "my name is"));
        assert!(m("the right goods reach you tomorrow before 12:00", "tomorrow before noon"));
        assert!(m("во вторник в 11:00 или в среду в 15:00", "в среду"));
    }

    #[test]
    fn mentions_a_stem_prefix_written_by_the_author() {
        assert!(m("Могу предложить бесплатную пробную доставку", "Бесплатн"));
        assert!(m("next day deliveries", "next day deliv"));
        // only the last token may be a prefix, and numbers never are
        assert!(!m("бесплатную доставку", "бесп доставку"));
        assert!(!m("скидка 10 процентов", "1 процентов"));
        assert!(!m("в 10", "в 1"));
    }

    #[test]
    fn mentions_ignores_punctuation_between_words() {
        assert!(m("Завтра, до двенадцати!", "завтра до двенадцати"));
        assert!(m("next-day delivery", "next day delivery"));
        assert!(!m("anything", ""));
        assert!(!m("anything", "!!!"));
    }

    #[test]
    fn forbidden_counts_every_occurrence() {
        assert_eq!(f("To be honest, to be honest: to be-honest. tobe honest", "to be honest"), 3);
        // without overlap: a trainee who says "very very very" has said "very very" once
        assert_eq!(f("very very very", "very very"), 1);
        assert_eq!(f("very very very very", "very very"), 2);
        assert_eq!(f("Честно говоря, цена хорошая. Честно говорю!", "честно говоря"), 2);
    }

    #[test]
    fn forbidden_phrase_said_in_the_negative_is_not_counted() {
        assert_eq!(f("We don't guarantee the lowest price.", "guarantee the lowest price"), 0);
        assert_eq!(f("We never guarantee the lowest price.", "guarantee the lowest price"), 0);
        assert_eq!(f("We can't guarantee the lowest price.", "guarantee the lowest price"), 0);
        assert_eq!(f("We cannot guarantee the lowest price.", "guarantee the lowest price"), 0);
        assert_eq!(f("We guarantee the lowest price.", "guarantee the lowest price"), 1);
        assert_eq!(f("Мы не гарантируем самую низкую цену.", "гарантируем самую низкую цену"), 0);
        assert_eq!(f("Мы никогда не гарантируем самую низкую цену.", "гарантируем самую низкую цену"), 0);
        assert_eq!(f("Я гарантирую самую низкую цену!", "гарантируем самую низкую цену"), 1);
        assert_eq!(f("Мы гарантируем самую низкую цену.", "гарантируем самую низкую цену"), 1);
    }

    #[test]
    fn a_negation_in_another_clause_or_too_far_does_not_cancel() {
        assert_eq!(f("No, we guarantee the lowest price.", "guarantee the lowest price"), 1);
        assert_eq!(f("Нет, мы гарантируем самую низкую цену.", "гарантируем самую низкую цену"), 1);
        assert_eq!(f("not that we really truly guarantee the lowest price", "guarantee the lowest price"), 1);
    }

    #[test]
    fn a_phrase_with_its_own_negation_matches_as_written() {
        assert_eq!(f("Извините, но мы не виноваты.", "мы не виноваты"), 1);
        assert_eq!(f("Нет, мы не виноваты.", "мы не виноваты"), 1);
        assert_eq!(f("It's not our fault.", "not our fault"), 1);
        assert_eq!(f("No, no, it's really not our fault.", "not our fault"), 1);
        assert_eq!(f("Это не ко мне.", "это не ко мне"), 1);
        // without the negation it is another phrase
        assert_eq!(f("Мы виноваты.", "мы не виноваты"), 0);
        assert_eq!(f("It's our fault.", "not our fault"), 0);
    }

    #[test]
    fn forbidden_needs_whole_words() {
        assert_eq!(f("stupendous", "stupid"), 0);
        assert_eq!(f("so stupid!", "stupid"), 1);
        assert_eq!(f("успокойтесь пожалуйста", "успокойтесь"), 1);
        assert_eq!(f("", "stupid"), 0);
        assert_eq!(f("stupid", ""), 0);
    }
}
