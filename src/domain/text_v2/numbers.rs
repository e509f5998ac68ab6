//! Number words and clock times for scorer version 2: Russian and English cardinals, `%`, `10:00` = `десять утра`.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

use super::Fnv;
use super::tokens::{Lex, Lexed};

/// The place of a number word in a cardinal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    /// 0–9.
    Unit,
    /// 10–19.
    Teen,
    /// 20, 30 … 90.
    Tens,
    /// Russian 100 … 900, one word each (`сто`, `двести`, `пятьсот`).
    Hundreds,
    /// English `hundred`, a multiplier.
    Hundred,
    /// `тысяча` (every form), `thousand`: a multiplier.
    Thousand,
}

/// What a word means to numbers, percents and clock times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Number {
        value: u16,
        order: Order,
    },
    /// English `and` (`one hundred and five`).
    And,
    /// English `a` (`a hundred`, `a thousand`).
    A,
    /// `процент` in every form, `percent`.
    Percent,
    /// `per` of `per cent`.
    Per,
    /// `cent` of `per cent`.
    Cent,
    /// After an hour, makes it a clock time and is dropped: `утра`, `вечера`, `ночи`, `am`, `pm`, `o'clock`.
    DayPart,
    /// `дня`: "in the afternoon" after an hour word or a time preposition (`в три часа дня`, `в три
    /// дня`), else "of a day" (`за три дня`), which stays a word.
    Afternoon,
    /// `час`, `часа`, `часов`, `часам`, `часу`, `ч`: dropped after an hour when a time preposition
    /// comes before the number (`в три часа`) or a day part after it (`три часа дня`); else an
    /// amount of hours (`48 часов`, `за три часа`), which stays a word.
    HourWord,
    /// `noon`, `midday`, `midnight`, `полдень`, `полночь`… : the hour 12, or dropped after an hour (`12 noon`).
    Noon,
    /// A preposition that puts a clock time after it: `в`, `к`, `до`, `с`, `после`, `около`, `at`,
    /// `by`, `until`, `till`, `before`, `after`, `from`, `around`.
    TimePrep,
}

/// Every word of [`Class`], built once.
static LEXICON: LazyLock<HashMap<&'static str, Class, BuildHasherDefault<Fnv>>> = LazyLock::new(|| {
    use Order::*;
    let numbers: &[(u16, Order, &[&str])] = &[
        (0, Unit, &["ноль", "нуль", "ноля", "нуля", "нолю", "нулю", "нолем", "нулем", "ноле", "нуле", "zero"]),
        (1, Unit, &["один", "одна", "одно", "одного", "одной", "одному", "одним", "одном", "одну", "одною", "one"]),
        (2, Unit, &["два", "две", "двух", "двум", "двумя", "two"]),
        (3, Unit, &["три", "трех", "трем", "тремя", "three"]),
        (4, Unit, &["четыре", "четырех", "четырем", "четырьмя", "four"]),
        (5, Unit, &["пять", "пяти", "пятью", "five"]),
        (6, Unit, &["шесть", "шести", "шестью", "six"]),
        (7, Unit, &["семь", "семи", "семью", "seven"]),
        (8, Unit, &["восемь", "восьми", "восемью", "восьмью", "eight"]),
        (9, Unit, &["девять", "девяти", "девятью", "nine"]),
        (10, Teen, &["десять", "десяти", "десятью", "ten"]),
        (11, Teen, &["одиннадцать", "одиннадцати", "одиннадцатью", "eleven"]),
        (12, Teen, &["двенадцать", "двенадцати", "двенадцатью", "twelve"]),
        (13, Teen, &["тринадцать", "тринадцати", "тринадцатью", "thirteen"]),
        (14, Teen, &["четырнадцать", "четырнадцати", "четырнадцатью", "fourteen"]),
        (15, Teen, &["пятнадцать", "пятнадцати", "пятнадцатью", "fifteen"]),
        (16, Teen, &["шестнадцать", "шестнадцати", "шестнадцатью", "sixteen"]),
        (17, Teen, &["семнадцать", "семнадцати", "семнадцатью", "seventeen"]),
        (18, Teen, &["восемнадцать", "восемнадцати", "восемнадцатью", "eighteen"]),
        (19, Teen, &["девятнадцать", "девятнадцати", "девятнадцатью", "nineteen"]),
        (20, Tens, &["двадцать", "двадцати", "двадцатью", "twenty"]),
        (30, Tens, &["тридцать", "тридцати", "тридцатью", "thirty"]),
        (40, Tens, &["сорок", "сорока", "forty"]),
        (50, Tens, &["пятьдесят", "пятидесяти", "пятьюдесятью", "fifty"]),
        (60, Tens, &["шестьдесят", "шестидесяти", "шестьюдесятью", "sixty"]),
        (70, Tens, &["семьдесят", "семидесяти", "семьюдесятью", "seventy"]),
        (80, Tens, &["восемьдесят", "восьмидесяти", "восемьюдесятью", "восьмьюдесятью", "eighty"]),
        (90, Tens, &["девяносто", "девяноста", "ninety"]),
        (100, Hundreds, &["сто", "ста"]),
        (200, Hundreds, &["двести", "двухсот", "двумстам", "двумястами", "двухстах"]),
        (300, Hundreds, &["триста", "трехсот", "тремстам", "тремястами", "трехстах"]),
        (400, Hundreds, &["четыреста", "четырехсот", "четыремстам", "четырьмястами", "четырехстах"]),
        (500, Hundreds, &["пятьсот", "пятисот", "пятистам", "пятьюстами", "пятистах"]),
        (600, Hundreds, &["шестьсот", "шестисот", "шестистам", "шестьюстами", "шестистах"]),
        (700, Hundreds, &["семьсот", "семисот", "семистам", "семьюстами", "семистах"]),
        (800, Hundreds, &["восемьсот", "восьмисот", "восьмистам", "восемьюстами", "восьмьюстами", "восьмистах"]),
        (900, Hundreds, &["девятьсот", "девятисот", "девятистам", "девятьюстами", "девятистах"]),
        (100, Hundred, &["hundred"]),
        (
            1000,
            Thousand,
            &[
                "тысяча",
                "тысячи",
                "тысяче",
                "тысячу",
                "тысячей",
                "тысячею",
                "тысяч",
                "тысячам",
                "тысячами",
                "тысячах",
                "thousand",
            ],
        ),
    ];
    let others: &[(Class, &[&str])] = &[
        (Class::And, &["and"]),
        (Class::A, &["a"]),
        (
            Class::Percent,
            &[
                "процент",
                "процента",
                "проценту",
                "процентом",
                "проценте",
                "проценты",
                "процентов",
                "процентам",
                "процентами",
                "процентах",
                "percent",
                "percents",
            ],
        ),
        (Class::Per, &["per"]),
        (Class::Cent, &["cent"]),
        (Class::DayPart, &["утра", "вечера", "ночи", "am", "pm", "oclock"]),
        (Class::Afternoon, &["дня"]),
        (Class::HourWord, &["час", "часа", "часов", "часам", "часу", "ч"]),
        (
            Class::Noon,
            &[
                "noon",
                "midday",
                "midnight",
                "полдень",
                "полудня",
                "полудню",
                "полднем",
                "полуднем",
                "полудне",
                "полночь",
                "полуночи",
                "полночью",
            ],
        ),
        (
            Class::TimePrep,
            &[
                "в",
                "во",
                "к",
                "ко",
                "до",
                "с",
                "со",
                "после",
                "около",
                "at",
                "by",
                "until",
                "till",
                "before",
                "after",
                "from",
                "around",
            ],
        ),
    ];
    let mut map = HashMap::default();
    for (value, order, words) in numbers {
        for w in *words {
            map.insert(*w, Class::Number { value: *value, order: *order });
        }
    }
    for (class, words) in others {
        for w in *words {
            map.insert(*w, *class);
        }
    }
    map
});

/// The class of a cleaned word, if it has one.
pub(super) fn classify(word: &str) -> Option<Class> {
    LEXICON.get(word).copied()
}

/// A clock hour on a 12-hour dial: 0, 12 and 24 are 12, 13–23 are 1–11.
pub(super) fn hour12(hour: u64) -> u64 {
    match hour {
        0 => 12,
        1..=12 => hour,
        _ => hour - 12,
    }
}

/// The pieces of a text with the class of each word, for reading numbers and times.
#[derive(Debug)]
pub(super) struct Cursor<'a> {
    pub lexed: &'a Lexed,
    pub classes: &'a [Option<Class>],
}

impl Cursor<'_> {
    pub fn class(&self, i: usize) -> Option<Class> {
        self.classes.get(i).copied().flatten()
    }

    fn order(&self, i: usize) -> Option<(u64, Order)> {
        match self.class(i) {
            Some(Class::Number { value, order }) => Some((u64::from(value), order)),
            _ => None,
        }
    }

    fn is(&self, i: usize, class: Class) -> bool {
        self.class(i) == Some(class)
    }

    fn is_order(&self, i: usize, order: Order) -> bool {
        self.order(i).is_some_and(|(_, o)| o == order)
    }

    fn digits(&self, i: usize) -> Option<u64> {
        match self.lexed.items.get(i) {
            Some(Lex::Num(v)) => Some(*v),
            _ => None,
        }
    }

    fn word_is(&self, i: usize, w: &str) -> bool {
        self.lexed.word(i) == Some(w)
    }
}

/// Reads a cardinal starting at piece `i`: digits, number words, or digits times a multiplier
/// (`2 тысячи`, `5 hundred`). Returns its value and the index after it.
///
/// The grammar is strict, so that two numbers said in a row stay two (`десять тридцать` is 10 and
/// 30, a clock time): `[group] [тысяча|thousand [and] [group]]`, where a group is
/// - Russian: `[сто…девятьсот] [двадцать…девяносто [один…девять] | десять…девятнадцать | ноль…девять]`;
/// - English: `[(one…ninety-nine | a) hundred [and]] [twenty…ninety [one…nine] | ten…nineteen | zero…nine]`;
/// - digits, possibly times `hundred` (1–99) or `тысяча`/`thousand` (1–999).
pub(super) fn parse_number(c: &Cursor, i: usize) -> Option<(u64, usize)> {
    let (head, j) = match group(c, i) {
        Some((v, j)) => (Some(v), j),
        None if c.is(i, Class::A) && c.is_order(i + 1, Order::Thousand) => (Some(1), i + 1),
        None => (None, i),
    };
    if c.is_order(j, Order::Thousand) && head.is_none_or(|v| (1..=999).contains(&v)) {
        let mut total = head.unwrap_or(1) * 1000;
        let mut k = j + 1;
        let after_and = if c.is(k, Class::And) { k + 1 } else { k };
        if let Some((v, k2)) = group(c, after_and).filter(|(v, _)| *v <= 999) {
            total += v;
            k = k2;
        }
        return Some((total, k));
    }
    head.map(|v| (v, j))
}

/// A number below a thousand (see [`parse_number`]).
fn group(c: &Cursor, i: usize) -> Option<(u64, usize)> {
    if let Some(v) = c.digits(i) {
        if (1..=99).contains(&v) && c.is_order(i + 1, Order::Hundred) {
            return Some(after_hundreds(c, v * 100, i + 2));
        }
        return Some((v, i + 1));
    }
    match c.order(i) {
        Some((v, Order::Hundreds)) => Some(after_hundreds(c, v, i + 1)),
        Some((_, Order::Hundred)) => Some(after_hundreds(c, 100, i + 1)),
        _ if c.is(i, Class::A) && c.is_order(i + 1, Order::Hundred) => Some(after_hundreds(c, 100, i + 2)),
        _ => {
            let (v, j) = below_hundred(c, i)?;
            if v >= 1 && c.is_order(j, Order::Hundred) { Some(after_hundreds(c, v * 100, j + 1)) } else { Some((v, j)) }
        }
    }
}

/// The tens and units after a hundreds part, with an optional English `and` before them.
fn after_hundreds(c: &Cursor, hundreds: u64, k: usize) -> (u64, usize) {
    let after_and = if c.is(k, Class::And) { k + 1 } else { k };
    match below_hundred(c, after_and) {
        Some((v, j)) => (hundreds + v, j),
        None => (hundreds, k),
    }
}

/// 0–99 in words: tens with an optional unit, a teen, or a unit.
fn below_hundred(c: &Cursor, k: usize) -> Option<(u64, usize)> {
    match c.order(k)? {
        (tens, Order::Tens) => match c.order(k + 1) {
            Some((unit, Order::Unit)) if unit >= 1 => Some((tens + unit, k + 2)),
            _ => Some((tens, k + 1)),
        },
        (v, Order::Teen | Order::Unit) => Some((v, k + 1)),
        _ => None,
    }
}

/// After an hour read up to `j`: the words that make it a clock time, with an optional number of
/// minutes between (`десять тридцать утра`). Returns the minutes, if any, and the index after the
/// markers; `None` when nothing after the number says it is a time.
/// `after_prep`: a time preposition comes right before the number (`в`, `до`, `at`…).
pub(super) fn clock_after(c: &Cursor, j: usize, after_prep: bool) -> Option<(Option<u64>, usize)> {
    if let Some(k) = clock_markers(c, j, after_prep) {
        return Some((None, k));
    }
    let (minute, j2) = parse_number(c, j).filter(|(m, _)| *m <= 59)?;
    clock_markers(c, j2, after_prep).map(|k| (Some(minute), k))
}

/// The clock words at `k` (an hour word, then a day part), and the index after them; `None` if none.
pub(super) fn clock_markers(c: &Cursor, k: usize, after_prep: bool) -> Option<usize> {
    let mut k = k;
    let mut any = false;
    if c.is(k, Class::HourWord) && (after_prep || day_part(c, k + 1, true).is_some()) {
        k += 1;
        any = true;
    }
    if let Some(k2) = day_part(c, k, after_prep || any) {
        k = k2;
        any = true;
    }
    any.then_some(k)
}

/// A day part at `k` (`утра`, `pm`, `o'clock`, `noon`, `in the morning`, `at night`, and `дня` in a
/// clock context): the index after it.
fn day_part(c: &Cursor, k: usize, clock_context: bool) -> Option<usize> {
    match c.class(k) {
        Some(Class::DayPart | Class::Noon) => Some(k + 1),
        Some(Class::Afternoon) if clock_context => Some(k + 1),
        _ if c.word_is(k, "in")
            && c.word_is(k + 1, "the")
            && ["morning", "afternoon", "evening"].iter().any(|w| c.word_is(k + 2, w)) =>
        {
            Some(k + 3)
        }
        _ if c.word_is(k, "at") && c.word_is(k + 1, "night") => Some(k + 2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::lex;
    use super::*;

    /// The value of the whole text read as one number, and how many pieces it took.
    fn number(text: &str) -> Option<(u64, usize)> {
        let lexed = lex(text);
        let classes: Vec<Option<Class>> = (0..lexed.items.len()).map(|i| lexed.word(i).and_then(classify)).collect();
        let c = Cursor { lexed: &lexed, classes: &classes };
        parse_number(&c, 0)
    }

    fn whole(text: &str) -> Option<u64> {
        let n = lex(text).items.len();
        number(text).filter(|(_, j)| *j == n).map(|(v, _)| v)
    }

    #[test]
    fn russian_cardinals_in_every_case() {
        for (text, v) in [
            ("двенадцать", 12),
            ("двенадцати", 12),
            ("двенадцатью", 12),
            ("двухсот", 200),
            ("тысяча", 1000),
            ("тысячи", 1000),
            ("тысяч", 1000),
            ("сорок восемь", 48),
            ("сорока восьми", 48),
            ("две тысячи двадцать шесть", 2026),
            ("двух тысяч двадцати шести", 2026),
            ("сто двадцать три", 123),
            ("девятьсот девяносто девять", 999),
            ("девять тысяч девятьсот девяносто девять", 9999),
            ("одна тысяча", 1000),
            ("пять тысяч", 5000),
            ("тысяча двадцать", 1020),
            ("ноль", 0),
            ("трех", 3),
            ("пятнадцать", 15),
            ("тридцатью", 30),
            ("восьмьюстами", 800),
        ] {
            assert_eq!(whole(text), Some(v), "{text}");
        }
    }

    #[test]
    fn english_cardinals_with_or_without_hyphen() {
        for (text, v) in [
            ("forty-eight", 48),
            ("forty eight", 48),
            ("one hundred and five", 105),
            ("one hundred five", 105),
            ("a hundred", 100),
            ("two thousand", 2000),
            ("a thousand", 1000),
            ("two thousand and twenty-six", 2026),
            ("nine thousand nine hundred ninety-nine", 9999),
            ("fifteen hundred", 1500),
            ("twelve", 12),
            ("zero", 0),
            ("thirty", 30),
        ] {
            assert_eq!(whole(text), Some(v), "{text}");
        }
    }

    #[test]
    fn digits_with_a_multiplier_word() {
        assert_eq!(whole("2 тысячи"), Some(2000));
        assert_eq!(whole("10 thousand"), Some(10_000));
        assert_eq!(whole("5 hundred"), Some(500));
        assert_eq!(whole("48"), Some(48));
    }

    #[test]
    fn two_numbers_in_a_row_stay_two() {
        // a clock time said as hour and minutes
        assert_eq!(number("десять тридцать"), Some((10, 1)));
        assert_eq!(number("ten thirty"), Some((10, 1)));
        assert_eq!(number("двадцать ноль"), Some((20, 1)));
        assert_eq!(number("one two three"), Some((1, 1)));
        // a dangling "and" is not part of the number
        assert_eq!(number("two hundred and more"), Some((200, 2)));
    }

    #[test]
    fn words_that_are_not_numbers() {
        assert_eq!(number("доставка"), None);
        assert_eq!(number("a month"), None);
        assert_eq!(number("and then"), None);
    }

    #[test]
    fn twelve_hour_dial() {
        assert_eq!(hour12(0), 12);
        assert_eq!(hour12(3), 3);
        assert_eq!(hour12(12), 12);
        assert_eq!(hour12(15), 3);
        assert_eq!(hour12(24), 12);
    }
}
