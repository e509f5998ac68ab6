//! must_mention and forbidden phrases for scorer version 2: stems, numbers and contractions, stem prefixes, negation.

use super::negation::negated_before;
use super::{Kind, Text, Token};

/// Whether token `s` of `said` equals token `p` of `phrase` (same canonical token).
fn same(said: &Text, s: &Token, phrase: &Text, p: &Token) -> bool {
    s.key == p.key && said.canon(s) == phrase.canon(p)
}

/// Whether a phrase is mentioned: its canonical tokens occur in a row in what was said, across
/// clause breaks (punctuation does not matter, as in version 1). The last token of the phrase may
/// also be the start of a said word, so that a stem written by the author matches as in version 1
/// (`бесплатн` matches `бесплатную`); this holds for words only, never for numbers (`1` does not
/// match `10`). An empty phrase is never mentioned.
pub(super) fn mentions(said: &Text, phrase: &Text) -> bool {
    let k = phrase.tokens.len();
    if k == 0 || k > said.tokens.len() {
        return false;
    }
    let last = &phrase.tokens[k - 1];
    said.tokens.windows(k).any(|w| {
        w[..k - 1].iter().zip(&phrase.tokens).all(|(s, p)| same(said, s, phrase, p)) && {
            let s = &w[k - 1];
            same(said, s, phrase, last)
                || (s.kind == Kind::Word
                    && last.kind == Kind::Word
                    && said.surface(s).starts_with(phrase.surface(last)))
        }
    })
}

/// How many times a forbidden phrase was said: every occurrence of its canonical tokens in a row
/// (overlapping ones included, as in version 1), except those with a negator within
/// [`super::negation::WINDOW`] tokens before them in the same clause. A phrase that contains a
/// negator itself (`мы не виноваты`, `not our fault`) counts as written, whatever comes before it.
pub(super) fn count_forbidden(said: &Text, phrase: &Text) -> usize {
    let k = phrase.tokens.len();
    if k == 0 || k > said.tokens.len() {
        return 0;
    }
    let phrase_negates = phrase.tokens.iter().any(|t| t.negator);
    said.tokens
        .windows(k)
        .enumerate()
        .filter(|(at, w)| {
            w.iter().zip(&phrase.tokens).all(|(s, p)| same(said, s, phrase, p))
                && (phrase_negates || !negated_before(said, *at))
        })
        .count()
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
        assert_eq!(f("very very very", "very very"), 2);
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
