//! Word classes of scorer version 2: function words a trainer does not listen for, conjunctions that join clauses, pronouns, and one-letter slips of a stem.

/// A function word: an article, a common preposition, a conjunction, an auxiliary verb or a
/// particle. A must_mention phrase is about its other words (`кто у вас отвечает` is about `кто`,
/// `вас`, `отвечает`; `завтра до двенадцати` about `завтра` and 12), and a long forbidden phrase
/// keeps its meaning without them (`sorry to bother you` = `sorry for bothering you`). Pronouns and
/// negators are never function words: `наша ошибка` is not `ваша ошибка`.
pub(super) fn is_function_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "the"
            | "of"
            | "to"
            | "in"
            | "on"
            | "at"
            | "for"
            | "with"
            | "by"
            | "from"
            | "into"
            | "before"
            | "until"
            | "till"
            | "and"
            | "or"
            | "but"
            | "is"
            | "are"
            | "am"
            | "be"
            | "been"
            | "was"
            | "were"
            | "will"
            | "would"
            | "shall"
            | "do"
            | "does"
            | "did"
            | "have"
            | "has"
            | "had"
            | "so"
            | "then"
            | "в"
            | "во"
            | "на"
            | "с"
            | "со"
            | "у"
            | "к"
            | "ко"
            | "по"
            | "о"
            | "об"
            | "от"
            | "из"
            | "за"
            | "для"
            | "до"
            | "и"
            | "а"
            | "но"
            | "или"
            | "же"
            | "ли"
            | "бы"
            | "ну"
            | "вот"
            | "уж"
            | "будет"
            | "будут"
            | "буду"
            | "будем"
            | "есть"
    )
}

/// A conjunction that joins two clauses a trainee may say in either order (`I'll email you today
/// and call you on Friday`).
pub(super) fn is_conjunction(word: &str) -> bool {
    matches!(word, "and" | "but" | "or" | "и" | "а" | "но" | "или")
}

/// A personal or possessive pronoun: content, but too common to carry a forbidden phrase alone.
pub(super) fn is_pronoun(word: &str) -> bool {
    matches!(
        word,
        "i" | "me"
            | "my"
            | "myself"
            | "we"
            | "us"
            | "our"
            | "you"
            | "your"
            | "he"
            | "him"
            | "his"
            | "she"
            | "her"
            | "it"
            | "its"
            | "they"
            | "them"
            | "their"
            | "this"
            | "that"
            | "я"
            | "меня"
            | "мне"
            | "мной"
            | "мы"
            | "нас"
            | "нам"
            | "нами"
            | "вы"
            | "вас"
            | "вам"
            | "вами"
            | "ты"
            | "тебя"
            | "тебе"
            | "он"
            | "она"
            | "оно"
            | "они"
            | "его"
            | "ее"
            | "их"
            | "ему"
            | "ей"
            | "им"
            | "это"
            | "то"
    )
}

/// Whether two stems differ by one letter added or dropped, both at least four letters long: the
/// fleeting vowel of a Russian noun (`ветер`/`ветра` give `ветер`/`ветр`) or a prefix letter
/// (`экономить`/`сэкономить`). A letter changed is another word (`поставка` is not `доставка`).
pub(super) fn one_letter_apart(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let diff = long.len() - short.len();
    if diff == 0 || diff > 4 {
        return false;
    }
    let (mut s, mut l) = (short.chars(), long.chars());
    let (s_len, l_len) = (short.chars().count(), long.chars().count());
    if s_len < 4 || l_len != s_len + 1 {
        return false;
    }
    let mut skipped = false;
    let mut next_s = s.next();
    for c in l.by_ref() {
        if next_s == Some(c) {
            next_s = s.next();
        } else if skipped {
            return false;
        } else {
            skipped = true;
        }
    }
    next_s.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_letter_apart_takes_an_added_or_dropped_letter_only() {
        assert!(one_letter_apart("ветер", "ветр"));
        assert!(one_letter_apart("сэконом", "эконом"));
        assert!(one_letter_apart("order", "orders"));
        assert!(!one_letter_apart("поставк", "доставк"), "a changed letter is another word");
        assert!(!one_letter_apart("наш", "ваш"));
        assert!(!one_letter_apart("мир", "мира"), "too short to tell");
        assert!(!one_letter_apart("ветер", "ветер"));
        assert!(!one_letter_apart("эконом", "сэконом1x"));
    }

    #[test]
    fn pronouns_and_negators_are_never_function_words() {
        for w in ["наша", "ваш", "you", "our", "не", "not", "кто", "как", "after", "после"] {
            assert!(!is_function_word(w), "{w}");
        }
        for w in ["the", "до", "у", "и", "will"] {
            assert!(is_function_word(w), "{w}");
        }
    }
}
