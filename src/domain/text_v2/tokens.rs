//! Cleaning and tokenising for scorer version 2: invisible characters, NFC, case, apostrophes, digits and clause breaks.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::contractions;

/// One piece of a cleaned text, before numbers, times and stems are settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lex {
    /// A word of letters, lowercase, contractions already expanded: a range of [`Lexed::words`].
    Word { start: usize, end: usize },
    /// A whole number written in digits, up to 18 digits.
    Num(u64),
    /// A longer digit string or a decimal (`2.5`, `2,5`), in canonical form: a range of [`Lexed::words`].
    Literal { start: usize, end: usize },
    /// A clock time written with digits: `10:30`, `10.30`.
    Time { hour: u8, minute: u8 },
    /// `%`.
    Percent,
    /// A clause break: sentence punctuation, comma, semicolon, colon, dash, bracket, line break.
    Break,
}

/// A cleaned text cut into [`Lex`] pieces; the words live in one buffer.
#[derive(Debug, Default)]
pub(super) struct Lexed {
    pub words: String,
    pub items: Vec<Lex>,
}

impl Lexed {
    /// The word at `i`, if the piece there is a word.
    pub fn word(&self, i: usize) -> Option<&str> {
        match self.items.get(i) {
            Some(Lex::Word { start, end }) => self.words.get(*start..*end),
            _ => None,
        }
    }

    fn push_word(&mut self, w: &str) {
        if w.is_empty() {
            return;
        }
        let start = self.words.len();
        self.words.push_str(w);
        self.items.push(Lex::Word { start, end: self.words.len() });
    }

    fn push_literal(&mut self, parts: &[&str]) {
        let start = self.words.len();
        for p in parts {
            self.words.push_str(p);
        }
        self.items.push(Lex::Literal { start, end: self.words.len() });
    }

    /// A whole number in digits: leading zeros dropped, 19 digits and more kept as text.
    fn push_digits(&mut self, digits: &str) {
        let trimmed = digits.trim_start_matches('0');
        if trimmed.len() > 18 {
            self.push_literal(&[trimmed]);
        } else {
            let value = trimmed.bytes().fold(0u64, |v, b| v * 10 + u64::from(b - b'0'));
            self.items.push(Lex::Num(value));
        }
    }

    /// A clause break, never first and never twice in a row.
    fn push_break(&mut self) {
        if self.items.last().is_some_and(|l| *l != Lex::Break) {
            self.items.push(Lex::Break);
        }
    }
}

/// Characters that show nothing and must not split or change a word: zero-width space, non-joiner
/// and joiner, the directional marks and embeddings/isolates, word joiner and invisible operators,
/// soft hyphen, byte order mark.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// The text without invisible characters, and without stress marks (combining acute or grave)
/// on Cyrillic letters: `приве́т` is `привет`.
fn stripped(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut after_cyrillic = false;
    text.chars().filter(move |&c| {
        if is_invisible(c) {
            return false;
        }
        if matches!(c, '\u{0300}' | '\u{0301}') && after_cyrillic {
            return false;
        }
        // a mark on a Cyrillic letter (the breve of an NFD `й`) keeps the next stress mark removable
        after_cyrillic = is_cyrillic(c) || (after_cyrillic && is_combining_mark(c));
        true
    })
}

/// Cleans a text: invisible characters and Cyrillic stress marks removed, Unicode NFC, lowercase,
/// `ё`→`е`, every apostrophe (`'` `’` `ʼ` `‘`) written `'`.
pub(super) fn clean(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    if text.is_ascii() || stripped(text).all(surely_nfc) || is_nfc_quick(stripped(text)) == IsNormalized::Yes {
        push_lower(&mut out, stripped(text));
    } else {
        push_lower(&mut out, stripped(text).nfc());
    }
    out
}

/// A character that is in NFC whatever surrounds it (no decomposition, never composes with what
/// comes before): everything below the combining marks U+0300, Cyrillic letters, general punctuation.
/// A quick answer for the usual text; anything else asks [`is_nfc_quick`].
fn surely_nfc(c: char) -> bool {
    matches!(c, '\u{0000}'..='\u{02FF}' | '\u{0400}'..='\u{0482}' | '\u{048A}'..='\u{04FF}' | '\u{2010}'..='\u{2027}')
}

fn push_lower(out: &mut Vec<char>, chars: impl Iterator<Item = char>) {
    for c in chars {
        // fast paths for the two alphabets of the scripts; the same result as `to_lowercase`
        match c {
            _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            'а'..='я' => out.push(c),
            'А'..='Я' => out.push(char::from_u32(u32::from(c) + 0x20).unwrap_or(c)),
            'ё' | 'Ё' => out.push('е'),
            _ => push_lower_other(out, c),
        }
    }
}

/// Lowercase of any other character, with the few mappings the rules need.
fn push_lower_other(out: &mut Vec<char>, c: char) {
    for l in c.to_lowercase() {
        out.push(match l {
            'ё' | 'ѐ' => 'е',
            'ѝ' => 'и',
            '\u{2019}' | '\u{02BC}' | '\u{2018}' => '\'',
            other => other,
        });
    }
}

fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || ('а'..='я').contains(&c) || (!c.is_ascii() && c.is_alphanumeric())
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}')
}

/// Punctuation that ends a clause (a hyphen ends one only when it is not inside a word).
fn is_break(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '…'
            | ';'
            | ':'
            | ','
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '\n'
            | '\r'
            | '\u{2028}'
            | '\u{2029}'
            | '¡'
            | '¿'
            | '。'
            | '，'
            | '；'
            | '：'
            | '？'
            | '！'
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    None,
    Letters,
    Digits,
}

/// Cleans and cuts a text into words, numbers, times, `%` and clause breaks.
///
/// Letters and digits make separate pieces (`3pm` is `3` `pm`); an apostrophe between letters
/// stays in the word for [`contractions::expand`]; `:` `.` `,` between digits stay in the number
/// (`10:30`, `2.5`, `1,000`); `a.m.` and `p.m.` are the words `am` and `pm`; a hyphen between
/// two words or numbers separates them without ending the clause (`next-day`, `forty-eight`).
pub(super) fn lex(text: &str) -> Lexed {
    let chars = clean(text);
    let mut out =
        Lexed { words: String::with_capacity(text.len() + 8), items: Vec::with_capacity(chars.len() / 4 + 4) };
    let mut run = String::with_capacity(32);
    let mut kind = Run::None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_ascii_digit() {
            if kind == Run::Letters {
                flush(&mut out, &mut run, &mut kind);
            }
            run.push(c);
            kind = Run::Digits;
        } else if is_letter(c) {
            if kind == Run::Digits {
                flush(&mut out, &mut run, &mut kind);
            }
            run.push(c);
            kind = Run::Letters;
        } else if keeps_run(c, kind, next) {
            run.push(c);
        } else if c == '.'
            && kind == Run::Letters
            && (run == "a" || run == "p")
            && next == Some('m')
            && !chars.get(i + 2).is_some_and(|n| n.is_alphanumeric())
        {
            run.push('m');
            i += 1;
            if chars.get(i + 1) == Some(&'.') {
                i += 1;
            }
        } else {
            let in_word = kind != Run::None;
            flush(&mut out, &mut run, &mut kind);
            if c == '%' {
                out.items.push(Lex::Percent);
            } else if is_hyphen(c) {
                if !(in_word && next.is_some_and(char::is_alphanumeric)) {
                    out.push_break();
                }
            } else if is_break(c) {
                out.push_break();
            }
        }
        i += 1;
    }
    flush(&mut out, &mut run, &mut kind);
    out
}

/// Whether a character that is neither letter nor digit stays inside the current run: a combining
/// mark on a letter, an apostrophe between letters, `:` `.` `,` between digits.
fn keeps_run(c: char, kind: Run, next: Option<char>) -> bool {
    match kind {
        Run::Letters => is_combining_mark(c) || (c == '\'' && next.is_some_and(is_letter)),
        Run::Digits => matches!(c, ':' | '.' | ',') && next.is_some_and(|n| n.is_ascii_digit()),
        Run::None => false,
    }
}

fn flush(out: &mut Lexed, run: &mut String, kind: &mut Run) {
    match *kind {
        Run::None => {}
        Run::Letters => contractions::expand(run, |w| out.push_word(w)),
        Run::Digits => flush_digits(out, run),
    }
    run.clear();
    *kind = Run::None;
}

/// A run of digits with `:` `.` `,` between them: a clock time (`H:MM`, `HH.MM`, hour up to 24),
/// a number with thousands commas (`1,000`), a decimal (`2.5` = `2,5`), or else several numbers.
fn flush_digits(out: &mut Lexed, run: &str) {
    let is_digit = |c: char| c.is_ascii_digit();
    let Some(pos) = run.find(|c: char| !c.is_ascii_digit()) else {
        out.push_digits(run);
        return;
    };
    let seps = run.bytes().filter(|b| !b.is_ascii_digit()).count();
    let (head, sep, tail) = (&run[..pos], run.as_bytes()[pos], &run[pos + 1..]);
    if seps == 1 {
        if (sep == b':' || sep == b'.') && head.len() <= 2 && tail.len() == 2 {
            let hour = head.bytes().fold(0u8, |v, b| v * 10 + (b - b'0'));
            let minute = tail.bytes().fold(0u8, |v, b| v * 10 + (b - b'0'));
            if hour <= 24 && minute <= 59 {
                out.items.push(Lex::Time { hour, minute });
                return;
            }
        }
        if sep == b',' && head.len() <= 3 && !head.starts_with('0') && tail.len() == 3 {
            out.push_digits(&[head, tail].concat());
            return;
        }
        if sep != b':' {
            let int = head.trim_start_matches('0');
            let frac = tail.trim_end_matches('0');
            if frac.is_empty() {
                out.push_digits(head);
            } else {
                out.push_literal(&[if int.is_empty() { "0" } else { int }, ".", frac]);
            }
            return;
        }
    }
    let thousands = run.bytes().all(|b| b.is_ascii_digit() || b == b',')
        && !head.is_empty()
        && head.len() <= 3
        && !head.starts_with('0')
        && run.split(',').skip(1).all(|g| g.len() == 3);
    if thousands {
        out.push_digits(&run.replace(',', ""));
        return;
    }
    for part in run.split(|c: char| !is_digit(c)).filter(|p| !p.is_empty()) {
        out.push_digits(part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of a text, written out: words as is, numbers as digits, `T10:30`, `%`, `|`.
    fn pieces(text: &str) -> Vec<String> {
        let lx = lex(text);
        lx.items
            .iter()
            .map(|item| match *item {
                Lex::Word { start, end } | Lex::Literal { start, end } => lx.words[start..end].to_owned(),
                Lex::Num(v) => v.to_string(),
                Lex::Time { hour, minute } => format!("T{hour}:{minute:02}"),
                Lex::Percent => "%".to_owned(),
                Lex::Break => "|".to_owned(),
            })
            .collect()
    }

    #[test]
    fn lowercases_and_turns_yo_into_ye() {
        assert_eq!(pieces("Ещё ОДИН «Звонок»"), ["еще", "один", "звонок"]);
        assert_eq!(pieces("Good AFTERNOON"), ["good", "afternoon"]);
    }

    #[test]
    fn invisible_characters_vanish_inside_words() {
        // zero-width space, soft hyphen, word joiner, byte order mark, bidi isolate
        assert_eq!(pieces("дос\u{200B}тав\u{00AD}ка"), ["доставка"]);
        assert_eq!(pieces("\u{FEFF}deli\u{2060}very\u{2066}"), ["delivery"]);
        assert_eq!(pieces("Nor\u{200D}th\u{202E}wind"), ["northwind"]);
    }

    #[test]
    fn decomposed_letters_compose() {
        // й typed as и + combining breve, ё as е + combining diaeresis
        assert_eq!(pieces("и\u{0306}огурт"), pieces("йогурт"));
        assert_eq!(pieces("Е\u{0308}лка"), ["елка"]);
        // e + combining acute is é in Latin text
        assert_eq!(pieces("cafe\u{0301}"), pieces("café"));
    }

    #[test]
    fn stress_marks_on_cyrillic_vowels_are_dropped() {
        assert_eq!(pieces("приве\u{0301}т"), ["привет"]);
        assert_eq!(pieces("зво\u{0301}нит"), ["звонит"]);
    }

    #[test]
    fn clause_breaks_at_punctuation_and_dashes() {
        assert_eq!(
            pieces("Добрый день! Меня зовут Ольга, компания «Северный ветер»."),
            ["добрый", "день", "|", "меня", "зовут", "ольга", "|", "компания", "северный", "ветер", "|"]
        );
        assert_eq!(
            pieces("one; two: three – four — five - six"),
            ["one", "|", "two", "|", "three", "|", "four", "|", "five", "|", "six"]
        );
    }

    #[test]
    fn a_hyphen_inside_a_word_separates_without_a_break() {
        assert_eq!(pieces("next-day delivery"), ["next", "day", "delivery"]);
        assert_eq!(pieces("forty-eight"), ["forty", "eight"]);
        assert_eq!(pieces("кто-нибудь"), ["кто", "нибудь"]);
        assert_eq!(pieces("day -night"), ["day", "|", "night"]);
    }

    #[test]
    fn digits_and_letters_split() {
        assert_eq!(pieces("3pm"), ["3", "pm"]);
        assert_eq!(pieces("48ч"), ["48", "ч"]);
    }

    #[test]
    fn times_with_colon_or_dot() {
        assert_eq!(pieces("10:00"), ["T10:00"]);
        assert_eq!(pieces("в 10.00."), ["в", "T10:00", "|"]);
        assert_eq!(pieces("9:05"), ["T9:05"]);
        assert_eq!(pieces("24:00"), ["T24:00"]);
        // not a clock time: the pieces stay numbers, and the colon does not end a clause
        assert_eq!(pieces("25:00"), ["25", "0"]);
        assert_eq!(pieces("10:5"), ["10", "5"]);
    }

    #[test]
    fn a_colon_or_dot_not_between_digits_ends_a_clause() {
        assert_eq!(pieces("at 10. Then"), ["at", "10", "|", "then"]);
        assert_eq!(pieces("Подскажите: кто"), ["подскажите", "|", "кто"]);
    }

    #[test]
    fn decimals_thousands_and_leading_zeros() {
        assert_eq!(pieces("2,5 процента"), ["2.5", "процента"]);
        assert_eq!(pieces("2.5%"), ["2.5", "%"]);
        assert_eq!(pieces("1,000"), ["1000"]);
        assert_eq!(pieces("1,000,000"), ["1000000"]);
        assert_eq!(pieces("1,2,3"), ["1", "2", "3"]);
        assert_eq!(pieces("007"), ["7"]);
        assert_eq!(pieces("3.0"), ["3"]);
        assert_eq!(pieces("12345678901234567890123"), ["12345678901234567890123"]);
    }

    #[test]
    fn percent_sign_is_its_own_piece() {
        assert_eq!(pieces("10%"), ["10", "%"]);
        assert_eq!(pieces("скидка 10 %"), ["скидка", "10", "%"]);
    }

    #[test]
    fn am_and_pm_with_dots() {
        assert_eq!(pieces("3 p.m. tomorrow"), ["3", "pm", "tomorrow"]);
        assert_eq!(pieces("10 a.m."), ["10", "am"]);
        assert_eq!(pieces("a.map"), ["a", "|", "map"]);
    }

    #[test]
    fn apostrophes_of_every_kind_reach_contractions() {
        assert_eq!(pieces("I'm"), ["i", "am"]);
        assert_eq!(pieces("I’m"), ["i", "am"]);
        assert_eq!(pieces("Iʼm"), ["i", "am"]);
        // a quote around a word is not an apostrophe
        assert_eq!(pieces("'hello'"), ["hello"]);
    }

    #[test]
    fn the_quick_nfc_answer_is_right() {
        // NFC quick check "yes" and combining class 0: a text made only of such characters is NFC
        for c in (0..0x2100u32).filter_map(char::from_u32).filter(|&c| surely_nfc(c)) {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0, "{c:?}");
        }
    }

    #[test]
    fn empty_and_punctuation_only_texts() {
        assert!(pieces("").is_empty());
        assert!(pieces("...!?").is_empty());
        assert!(pieces("\u{200B}\u{FEFF}").is_empty());
    }
}
