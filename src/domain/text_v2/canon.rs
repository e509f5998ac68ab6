//! From cleaned pieces to canonical tokens: one token per number, clock hour and minute, `%`, or word stem.

use super::Text;
use super::negation::is_negator;
use super::numbers::{self, Class, Cursor};
use super::stem;
use super::tokens::{Lex, lex};

/// Prepares a text: cleans and cuts it ([`lex`]), then
/// - a cardinal in digits or words (`48`, `forty-eight`, `сорока восьми`, `2 тысячи`) becomes one
///   number token, its decimal value;
/// - a clock time becomes its hour on a 12-hour dial, then its minutes unless they are 00; the
///   words that made it a time (`утра`, `pm`, `o'clock`, `часа` after `в`…) are dropped;
/// - `%`, `процент*`, `percent`, `per cent` become the token `%`;
/// - `noon`, `полдень`, `midnight`, `полночь` become the hour 12;
/// - every other word becomes its stem, keeping its written form for stem-prefix phrases and
///   whether it is a negator.
pub(super) fn prepare(text: &str) -> Text {
    let lexed = lex(text);
    let classes: Vec<Option<Class>> =
        (0..lexed.items.len()).map(|i| lexed.word(i).and_then(numbers::classify)).collect();
    let c = Cursor { lexed: &lexed, classes: &classes };
    let mut out = Text::with_capacity(lexed.words.len() * 2 + 8, lexed.items.len());
    let mut i = 0;
    while i < lexed.items.len() {
        match lexed.items[i] {
            Lex::Break => {
                out.close_clause();
                i += 1;
            }
            Lex::Percent => {
                out.push_symbol("%");
                i += 1;
            }
            Lex::Literal { start, end } => {
                out.push_literal(&lexed.words[start..end]);
                i += 1;
            }
            Lex::Time { hour, minute } => {
                out.push_number(numbers::hour12(u64::from(hour)));
                if minute > 0 {
                    out.push_number(u64::from(minute));
                }
                i = numbers::clock_markers(&c, i + 1, true).unwrap_or(i + 1);
            }
            Lex::Num(_) | Lex::Word { .. } => {
                if let Some((value, j)) = numbers::parse_number(&c, i) {
                    let after_prep = i > 0 && c.class(i - 1) == Some(Class::TimePrep);
                    if value <= 24
                        && let Some((minute, k)) = numbers::clock_after(&c, j, after_prep)
                    {
                        out.push_number(numbers::hour12(value));
                        if let Some(m) = minute.filter(|m| *m > 0) {
                            out.push_number(m);
                        }
                        i = k;
                    } else {
                        out.push_number(value);
                        i = j;
                    }
                    continue;
                }
                let word = lexed.word(i).unwrap_or_default();
                match c.class(i) {
                    Some(Class::Percent) => out.push_symbol("%"),
                    Some(Class::Per) if c.class(i + 1) == Some(Class::Cent) => {
                        out.push_symbol("%");
                        i += 1;
                    }
                    Some(Class::Noon) => out.push_number(12),
                    _ => stem::with_stem(word, |s| out.push_word(word, s, is_negator(word))),
                }
                i += 1;
            }
        }
    }
    out.close_clause();
    out
}

#[cfg(test)]
mod tests {
    use super::super::Kind;
    use super::*;

    fn canon(text: &str) -> Vec<String> {
        prepare(text).tokens().map(str::to_owned).collect()
    }

    fn same(a: &str, b: &str) {
        assert_eq!(canon(a), canon(b), "«{a}» vs «{b}»");
    }

    #[test]
    fn digits_and_number_words_are_one_token() {
        same("48 hours", "forty-eight hours");
        same("48 hours", "forty eight hours");
        same("сорок восемь часов", "48 часов");
        same("2026 год", "две тысячи двадцать шесть год");
        same("105", "one hundred and five");
        same("2000", "two thousand");
        same("200", "двухсот");
        same("1,000 pens", "a thousand pens");
        assert_eq!(canon("forty-eight hours"), ["48", "hour"]);
    }

    #[test]
    fn percent_in_every_spelling() {
        same("10%", "десять процентов");
        same("10%", "ten percent");
        same("10%", "10 per cent");
        same("10 %", "10 процентов");
        same("до двадцати процентов", "до 20%");
        assert_eq!(canon("десять процентов"), ["10", "%"]);
    }

    #[test]
    fn clock_times_russian() {
        same("завтра до 12:00", "завтра до двенадцати");
        same("в 10:00", "в десять утра");
        same("в 10.00", "в 10 утра");
        same("в 15:00", "в три часа дня");
        same("в 15:00", "в три");
        same("в 15:00", "в 3 часа");
        same("в 10:30", "в десять тридцать");
        same("в 22:30", "в десять тридцать вечера");
        same("до полудня", "до 12:00");
        same("во вторник в одиннадцать", "во вторник в 11:00");
        assert_eq!(canon("в три часа дня"), ["в", "3"]);
    }

    #[test]
    fn clock_times_english() {
        same("at 3 pm", "at 3pm");
        same("at 3 pm", "at 15:00");
        same("at 3 pm", "at three");
        same("at 3 p.m.", "at three o'clock");
        same("at 10:00", "at 10 am");
        same("at 10:00", "at ten in the morning");
        same("at 10:30", "at ten thirty");
        same("before noon", "before 12:00");
        same("12 noon", "12:00");
        assert_eq!(canon("at 3 pm"), ["at", "3"]);
    }

    #[test]
    fn amounts_of_hours_and_days_are_not_clock_times() {
        assert_eq!(canon("за три часа"), ["за", "3", "час"]);
        assert_eq!(canon("48 часов"), ["48", "час"]);
        assert_eq!(canon("за три дня"), ["за", "3", "дня"]);
        assert_eq!(canon("на пятнадцать минут"), canon("на 15 минут"));
    }

    #[test]
    fn word_forms_become_stems() {
        same("доставка", "доставкой");
        same("deliveries", "delivery");
        same("бесплатную доставку", "бесплатная доставка");
    }

    #[test]
    fn contractions_become_full_forms() {
        same("my name's Bob", "my name is Bob");
        same("We don't guarantee", "we do not guarantee");
        same("I'm calling", "I am calling");
        same("that's our mistake", "that is our mistake");
    }

    #[test]
    fn numbers_never_merge_across_a_clause_break() {
        assert_eq!(canon("двадцать, пять"), ["20", "5"]);
        assert_eq!(prepare("двадцать, пять").clauses().count(), 2);
    }

    #[test]
    fn kinds_mark_numbers_and_symbols() {
        let t = prepare("скидка 10%");
        let kinds: Vec<Kind> = t.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [Kind::Word, Kind::Number, Kind::Symbol]);
    }
}
