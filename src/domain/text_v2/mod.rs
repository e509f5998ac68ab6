//! Text layer of scorer version 2: the same words as a trainer hears them (stems, numbers, times, clauses, negation).
//!
//! Version 1 ([`super::text`]) compares normalised words exactly. Version 2 compares *canonical
//! tokens*, so that what a trainer calls the same words is the same:
//!
//! 1. **Cleaning.** Invisible characters are removed anywhere (zero-width space, non-joiner and
//!    joiner U+200B–U+200D, the directional marks U+200E/U+200F, embeddings U+202A–U+202E and
//!    isolates U+2066–U+2069, word joiner and invisible operators U+2060–U+2064, soft hyphen U+00AD,
//!    byte order mark U+FEFF), and so are stress marks (combining acute or grave) on Cyrillic
//!    letters; then Unicode NFC (removal comes first, so that a mark separated from its letter by an
//!    invisible character still composes), lowercase, `ё`→`е`. As in version 1 every other
//!    character that is not a letter or digit separates words, except: an apostrophe (`'` `’` `ʼ`
//!    `‘`) between letters, kept for contractions; `:` `.` `,` between digits, kept for times and
//!    numbers; `%`, a token of its own. Letters and digits are separate tokens (`3pm` = `3 pm`).
//! 2. **Word forms.** Every word becomes its Snowball stem, Russian for Cyrillic words and English
//!    for Latin ones, chosen per word since lines mix languages. Words in other
//!    scripts, or mixing scripts, stay as written.
//! 3. **Numbers.** Digits and cardinal words are one number token: Russian cardinals in every case
//!    form (`двенадцать`, `двенадцати`, `двенадцатью`, `двухсот`, `тысяч`), English cardinals with
//!    or without a hyphen (`forty-eight`, `one hundred and five`), compounds read with a strict
//!    grammar so that two numbers in a row stay two (`десять тридцать` is 10 and 30), digits with a
//!    multiplier word (`2 тысячи`), thousands commas (`1,000`), decimals (`2,5` = `2.5`), leading
//!    zeros dropped. `%`, `процент*`, `percent`, `per cent` are one percent token: `10%` =
//!    `десять процентов` = `ten percent` = `10 per cent`.
//! 4. **Clock times** are their hour on a 12-hour dial, then the minutes unless they are 00:
//!    `15:00` = `3 pm` = `3pm` = `в три часа дня` = `3`, `10:00` = `10.00` = `10 утра` =
//!    `десять утра` = `10`, `12:00` = `двенадцати` = `noon` = `полдень` = `12`, `10:30` =
//!    `десять тридцать` = `10 30`, `22:30` = `десять тридцать вечера`. A number up to 24 is a time
//!    when written `H:MM`/`H.MM`, or followed by a day part (`утра`, `вечера`, `ночи`, `am`, `pm`,
//!    `a.m.`, `o'clock`, `noon`, `in the morning`…); those words are dropped. `час`/`часа`/`часов`
//!    after the number is dropped too when a time preposition comes before it (`в`, `к`, `до`,
//!    `с`, `после`, `около`, `at`, `by`, `until`…: `в три часа`) or a day part after it; `дня` is a
//!    day part only in that clock context (`в три дня`, but `за три дня` is three days). A bare
//!    number is never turned into a time: `в 15` stays 15 while `в три` is 3 (a known limit: the
//!    hour 15 said without `:00` or a day part is rare in a script).
//! 5. **English contractions** are written out: `I'm` = `I am`, `don't` =
//!    `do not`, `can't` = `cannot` = `can not`, `won't` = `will not`, `'re` `'ll` `'ve` `'d`, `let's`
//!    = `let us`. `'s` is `is` after pronouns and a few words (`it's`, `that's`, `what's`,
//!    `name's`), and a dropped possessive after any other word (`last week's call` = `last week
//!    call`): the brief's "X's after a noun is X is" would make a typed `weeks` differ from the
//!    script's `week's`, which is more common in scripts than `the order's late`.
//! 6. **Clause order.** A line is a sequence of clauses (split at `.` `!` `?` `…` `;` `,`, a colon
//!    not in a time, dashes `–` `—` and a hyphen not inside a word, brackets, line breaks). Whole
//!    clauses said in another order cost nothing: each clause of the line that was said as a block
//!    (60% of a perfect local alignment) is moved to where it was said, whatever the typed
//!    punctuation, and the better of the two orders counts. Words shuffled inside a clause still
//!    lose, and word salad scores no better than under version 1 (see [`similarity`]). Work is
//!    bounded: at most `4·|line| + 64` typed tokens are aligned (a longer text cannot reach 0.4
//!    anyway), in rows of `O(|typed|)` memory.
//! 7. **Negation.** A forbidden phrase with a negator (`not`, `no`, `never`, `nor`, `neither`,
//!    `n't`, `не`, `нет`, `ни`, `никогда`) within the 3 tokens before it, in the same clause, is
//!    not counted: `we don't guarantee the lowest price`, `мы не гарантируем самую низкую цену`.
//!    A phrase that contains a negator itself (`мы не виноваты`, `not our fault`) matches as
//!    written and is never cancelled by another negator before it: `нет, мы не виноваты` counts.
//!    A typed line is checked the same way ([`negates`]): a negator within 3 tokens before a word
//!    of the script line, in the same clause, that the line itself does not have, says the opposite
//!    (`we don't offer a free trial`, `это не наша ошибка`); the Recall rule then caps the turn.
//! 8. **must_mention**: the phrase's canonical tokens occur in a row (punctuation between them
//!    does not matter). Its last token may also be the start of a said word, keeping version 1's
//!    leniency for a stem written by the author (`бесплатн` matches `бесплатную`); never for
//!    numbers. Numbers, times and contractions apply to phrases too: `forty-eight hours` matches
//!    `48 hours`, `my name is` matches `my name's`.
//!
//! Prepare each text once with [`prepare`], then compare with [`similarity`], [`mentions`] and
//! [`count_forbidden`] (or their `_prepared` forms when the phrase is reused). Everything is a pure
//! function of its inputs: the same texts give the same result on every machine.

mod canon;
mod clauses;
mod contractions;
mod negation;
mod numbers;
mod phrases;
mod stem;
mod tokens;
mod words;

use std::ops::Range;

/// What a canonical token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A word's stem.
    Word,
    /// A number or a clock hour or minute, in decimal digits.
    Number,
    /// The percent token `%`.
    Symbol,
}

/// A range of bytes of [`Text::buf`] or of tokens of [`Text::tokens`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

/// One canonical token of a [`Text`].
#[derive(Debug, Clone, Copy)]
struct Token {
    /// FNV-1a hash of the canonical text: a quick "not equal" before the texts are compared.
    key: u64,
    /// The canonical text (stem, digits or `%`) in [`Text::buf`].
    canon: Span,
    /// The word as written (cleaned, contractions written out) in [`Text::buf`].
    surface: Span,
    kind: Kind,
    /// A negating word (`not`, `не`…).
    negator: bool,
    /// A function word (article, common preposition, conjunction, auxiliary): see [`words`].
    function: bool,
    /// A personal or possessive pronoun.
    pronoun: bool,
}

/// A text prepared once for version 2 comparisons: its canonical tokens and its clauses.
#[derive(Debug, Clone, Default)]
pub struct Text {
    buf: String,
    tokens: Vec<Token>,
    /// Token ranges of the clauses, in order, none empty.
    clauses: Vec<Span>,
    /// First token of the clause being built.
    open_clause: usize,
    /// The clauses cut further before each conjunction (`…today | and call you on Friday`): the
    /// pieces of a script line a trainee may say in another order.
    units: Vec<Span>,
    /// First token of the unit being built.
    open_unit: usize,
}

/// Prepares a text for version 2 comparisons: cleaning, contractions, numbers, clock times,
/// percents, stems and clauses (see the module documentation). Never fails: any UTF-8 text gives a
/// [`Text`], possibly empty.
pub fn prepare(text: &str) -> Text {
    canon::prepare(text)
}

/// How close what was said is to a script line, in 0..=1: `2·LCS / (|said| + |line|)` over
/// canonical tokens, where the line's clauses may come in another order. 1 for two texts with
/// the same tokens (and for two empty texts), 0 when one of them is empty and the other is not.
pub fn similarity(said: &Text, line: &Text) -> f64 {
    clauses::similarity(said, line)
}

/// Whether a must_mention phrase occurs in what was said (see [`mentions_prepared`]).
pub fn mentions(said: &Text, phrase: &str) -> bool {
    phrases::mentions(said, &prepared(phrase))
}

/// How many script texts (lines, variants, phrases) each thread keeps prepared.
const CACHED_TEXTS: usize = 4096;

thread_local! {
    /// Script texts already prepared: a script's lines and phrases are compared again and again,
    /// turn after turn and run after run, while what a trainee types is new each time.
    static PREPARED: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<Text>, std::hash::BuildHasherDefault<Fnv>>> =
        std::cell::RefCell::new(std::collections::HashMap::default());
}

/// A script text, prepared once per thread and kept (see [`CACHED_TEXTS`]); the same as
/// [`prepare`], only quicker when the text comes again.
pub fn prepared(text: &str) -> std::rc::Rc<Text> {
    if let Some(t) = PREPARED.with(|c| c.borrow().get(text).cloned()) {
        return t;
    }
    let t = std::rc::Rc::new(prepare(text));
    PREPARED.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHED_TEXTS {
            c.clear();
        }
        c.insert(text.to_owned(), std::rc::Rc::clone(&t));
    });
    t
}

/// Whether a prepared must_mention phrase occurs in what was said: its canonical tokens in a row,
/// the last one possibly the start of a said word (`бесплатн` matches `бесплатную`). An empty
/// phrase is never mentioned.
pub fn mentions_prepared(said: &Text, phrase: &Text) -> bool {
    phrases::mentions(said, phrase)
}

/// How many times a forbidden phrase was said (see [`count_forbidden_prepared`]).
pub fn count_forbidden(said: &Text, phrase: &str) -> usize {
    phrases::count_forbidden(said, &prepare(phrase))
}

/// How many times a prepared forbidden phrase was said: every occurrence of its tokens in a row,
/// except those negated by a negator within 3 tokens before them in the same clause, unless the
/// phrase contains a negator itself. An empty phrase is never said.
pub fn count_forbidden_prepared(said: &Text, phrase: &Text) -> usize {
    phrases::count_forbidden(said, phrase)
}

/// How much of what was said runs like the line: the share of its words whose next word, or the word
/// after it, is their neighbour in the line too (in either order, so `лично проверю` = `проверю
/// лично`, and `сегодня же пришлю` keeps `сегодня пришлю`). A paraphrase,
/// a reordered clause or a filler keeps most pairs; word salad keeps almost none, even when it has
/// every word of the line. 1 when what was said has fewer than two tokens.
pub fn fluency(said: &Text, line: &Text) -> f64 {
    let (s, l) = (&said.tokens, &line.tokens);
    if s.len() < 2 {
        return 1.0;
    }
    let cap = clauses::said_cap(l.len()).min(s.len());
    let pairs = cap - 1;
    let neighbours = |a: &Token, b: &Token| {
        l.windows(2).any(|w| {
            (said.same(a, line, &w[0]) && said.same(b, line, &w[1]))
                || (said.same(a, line, &w[1]) && said.same(b, line, &w[0]))
        })
    };
    // A word slipped in between two neighbours (`сегодня же пришлю`) keeps the pair.
    let kept = (0..pairs).filter(|&i| neighbours(&s[i], &s[i + 1])).count();
    kept as f64 / pairs as f64
}

/// The numbers of a script line (quantities, prices, percents, clock hours and minutes, in digits)
/// that what was said lacks. A number in a script is a commitment a trainer listens for (`во
/// вторник в одиннадцать или в среду в три`), so a line without it misses key content. The number
/// 1 is left out: it is mostly an article (`one invoice a month`).
pub fn missing_numbers(said: &Text, line: &Text) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    for t in line.tokens.iter().filter(|t| t.kind == Kind::Number) {
        let value = line.canon(t);
        if value == "1" || missing.iter().any(|m| m == value) {
            continue;
        }
        if !said.tokens.iter().any(|s| s.kind == Kind::Number && said.canon(s) == value) {
            missing.push(value.to_owned());
        }
    }
    missing
}

/// Whether what was said negates what the line affirms: a negator (`not`, `не`…) before a word of
/// the line, in the same clause, that the line does not have (see the module documentation, rule 7).
pub fn negates(said: &Text, line: &Text) -> bool {
    negation::negates(said, line)
}

impl Text {
    fn with_capacity(bytes: usize, tokens: usize) -> Text {
        Text {
            buf: String::with_capacity(bytes),
            tokens: Vec::with_capacity(tokens),
            clauses: Vec::new(),
            open_clause: 0,
            units: Vec::new(),
            open_unit: 0,
        }
    }

    /// How many canonical tokens the text has.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether the text has no token at all (empty, or only punctuation and spaces).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The canonical tokens, in order: stems, numbers in digits, `%`.
    pub fn tokens(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.tokens.iter().map(|t| self.canon(t))
    }

    /// The clauses, as ranges of token indices, in order; none is empty.
    pub fn clauses(&self) -> impl ExactSizeIterator<Item = Range<usize>> + '_ {
        self.clauses.iter().map(|c| c.start..c.end)
    }

    fn canon(&self, t: &Token) -> &str {
        &self.buf[t.canon.start..t.canon.end]
    }

    fn surface(&self, t: &Token) -> &str {
        &self.buf[t.surface.start..t.surface.end]
    }

    fn append(&mut self, s: &str) -> Span {
        let start = self.buf.len();
        self.buf.push_str(s);
        Span { start, end: self.buf.len() }
    }

    fn push(&mut self, kind: Kind, surface: &str, canon: &str, negator: bool) {
        let surface_span = self.append(surface);
        let canon_span = if canon == surface { surface_span } else { self.append(canon) };
        let (function, pronoun) = match kind {
            Kind::Word => (words::is_function_word(surface), words::is_pronoun(surface)),
            Kind::Number | Kind::Symbol => (false, false),
        };
        self.tokens.push(Token {
            key: fnv1a(canon),
            canon: canon_span,
            surface: surface_span,
            kind,
            negator,
            function,
            pronoun,
        });
    }

    /// Pushes a word; a conjunction first ends the unit being built.
    fn push_word(&mut self, surface: &str, stem: &str, negator: bool) {
        if words::is_conjunction(surface) {
            self.close_unit();
        }
        self.push(Kind::Word, surface, stem, negator);
    }

    fn push_number(&mut self, value: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut v = value;
        loop {
            at -= 1;
            digits[at] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        let text = std::str::from_utf8(&digits[at..]).unwrap_or("0");
        self.push(Kind::Number, text, text, false);
    }

    fn push_literal(&mut self, text: &str) {
        self.push(Kind::Number, text, text, false);
    }

    fn push_symbol(&mut self, text: &str) {
        self.push(Kind::Symbol, text, text, false);
    }

    /// Ends the clause being built, if it has a token.
    fn close_clause(&mut self) {
        self.close_unit();
        if self.tokens.len() > self.open_clause {
            self.clauses.push(Span { start: self.open_clause, end: self.tokens.len() });
            self.open_clause = self.tokens.len();
        }
    }

    /// Ends the unit being built, if it has a token.
    fn close_unit(&mut self) {
        if self.tokens.len() > self.open_unit {
            self.units.push(Span { start: self.open_unit, end: self.tokens.len() });
            self.open_unit = self.tokens.len();
        }
    }

    /// Whether token `a` of this text is the same as token `b` of `other`: the same canonical token,
    /// or, for words, stems one letter apart (see [`words::one_letter_apart`]).
    fn same(&self, a: &Token, other: &Text, b: &Token) -> bool {
        if a.key == b.key && self.canon(a) == other.canon(b) {
            return true;
        }
        a.kind == Kind::Word && b.kind == Kind::Word && words::one_letter_apart(self.canon(a), other.canon(b))
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// 64-bit FNV-1a: the same on every platform, so a comparison never depends on the machine.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(FNV_OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// FNV-1a as a [`std::hash::Hasher`], for the small word tables (quicker than SipHash on short words).
#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(FNV_OFFSET)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(FNV_PRIME);
        }
    }
}

#[cfg(test)]
mod tests;
