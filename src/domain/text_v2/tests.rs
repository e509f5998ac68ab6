//! Tests of scorer version 2's text layer as a whole: the examples, the shipped scripts, word salad, random texts.

use unicode_normalization::UnicodeNormalization;

use super::*;

fn sim(said: &str, line: &str) -> f64 {
    similarity(&prepare(said), &prepare(line))
}

fn tokens(text: &str) -> Vec<String> {
    prepare(text).tokens().map(str::to_owned).collect()
}

// ---- the examples of the issue -------------------------------------------------------------

#[test]
fn another_word_form_satisfies_a_must_mention() {
    assert!(mentions(&prepare("Бесплатная доставка на следующий день"), "доставкой"));
    assert!(mentions(&prepare("free deliveries"), "delivery"));
}

#[test]
fn digits_times_and_percents_satisfy_their_words() {
    assert!(mentions(
        &prepare("Исправим так: правильный товар привезём завтра до 12:00, бесплатно."),
        "завтра до двенадцати"
    ));
    assert!(mentions(&prepare("годовой договор со скидкой 10% на всё"), "десять процентов"));
    assert!(mentions(&prepare("an annual agreement with 10% off everything"), "ten percent"));
    assert!(mentions(&prepare("delivered within 48 hours"), "forty-eight hours"));
    assert!(mentions(&prepare("доставим за 48 часов"), "сорок восемь часов"));
    // and the other way round
    assert!(mentions(&prepare("завтра до двенадцати"), "завтра до 12:00"));
    assert!(mentions(&prepare("десять процентов"), "10%"));
}

#[test]
fn my_names_satisfies_my_name_is() {
    assert!(mentions(
        &prepare("Good afternoon! My name's Bob, I'm calling from Northwind Office Supply."),
        "my name is"
    ));
    assert_eq!(
        sim(
            "Good afternoon! My name's Bob, I'm calling from Northwind Office Supply.",
            "Good afternoon! My name is Bob, I am calling from Northwind Office Supply."
        ),
        1.0
    );
}

#[test]
fn reordered_clauses_of_the_greeting_score_full_marks() {
    let line = "Добрый день! Меня зовут Ольга, компания «Северный ветер».";
    let said = "Добрый день! Компания «Северный ветер», меня зовут Ольга.";
    assert_eq!(sim(said, line), 1.0);
    assert!(crate::domain::text::similarity(said, line) < 0.63);
}

#[test]
fn a_correct_negation_is_not_a_forbidden_phrase() {
    let said = prepare("I understand. We don't guarantee the lowest price, but compare the total, not the unit price.");
    assert_eq!(count_forbidden(&said, "guarantee the lowest price"), 0);
    let said = prepare("Понимаю. Мы не гарантируем самую низкую цену, сравните итог за месяц.");
    assert_eq!(count_forbidden(&said, "гарантируем самую низкую цену"), 0);
    let said = prepare("Мы гарантируем самую низкую цену!");
    assert_eq!(count_forbidden(&said, "гарантируем самую низкую цену"), 1);
}

#[test]
fn invisible_and_decomposed_characters_equal_clean_text() {
    let clean = "Добрый день! Меня зовут Ольга, компания «Северный ветер». Йогурт, ёлка.";
    let nfd: String = clean.nfd().collect();
    assert_ne!(nfd, clean);
    assert_eq!(tokens(&nfd), tokens(clean));
    let zwsp = "Добр\u{200B}ый день! Ме\u{00AD}ня зовут Оль\u{FEFF}га, компания «Север\u{2060}ный ветер». Й\u{200D}огурт, ёлка.";
    assert_eq!(tokens(zwsp), tokens(clean));
    assert_eq!(tokens(&format!("\u{FEFF}{clean}")), tokens(clean));
    assert_eq!(sim(zwsp, clean), 1.0);
    assert!(mentions(&prepare(zwsp), "северный ветер"));
}

// ---- the shipped scripts ------------------------------------------------------------------

/// The six shipped scripts, as text.
const SCRIPTS: [&str; 7] = [
    include_str!("../../../scenarios/scripts/generator-cold-call.ron"),
    include_str!("../../../scenarios/scripts/generator-cold-call-en.ron"),
    include_str!("../../../scenarios/scripts/generator-cold-call-ru.ron"),
    include_str!("../../../scenarios/scripts/closer-conversion.ron"),
    include_str!("../../../scenarios/scripts/closer-conversion-ru.ron"),
    include_str!("../../../scenarios/scripts/account-care.ron"),
    include_str!("../../../scenarios/scripts/account-care-ru.ron"),
];

/// The quoted strings right after a RON key: one string (`line: "…"`) or a list (`must_mention: ["…", "…"]`).
fn quoted(rest: &str) -> Vec<String> {
    let rest = rest.trim_start();
    let inside = match rest.strip_prefix('[') {
        Some(list) => &list[..list.find(']').unwrap_or(list.len())],
        None => &rest[..rest.match_indices('"').nth(1).map_or(rest.len(), |(i, _)| i + 1)],
    };
    inside.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

/// [`quoted`] after every occurrence of `key`.
fn quoted_after(ron: &str, key: &str) -> Vec<Vec<String>> {
    ron.match_indices(key).map(|(at, _)| quoted(&ron[at + key.len()..])).collect()
}

/// Every script line, with `{trainee}` filled in, and its must_mention phrases.
fn script_lines() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for ron in SCRIPTS {
        // stages are written line, then must_mention (optional); pair each line with the list
        // that comes before the next line
        let mut from = 0;
        while let Some(at) = ron[from..].find("line: \"") {
            let start = from + at;
            let next = ron[start + 1..].find("line: \"").map_or(ron.len(), |n| start + 1 + n);
            let stage = &ron[start..next];
            let line = quoted(&stage["line:".len()..]).concat().replace("{trainee}", "Ольга");
            let mentions = quoted_after(stage, "must_mention:").into_iter().next().unwrap_or_default();
            out.push((line, mentions));
            from = next;
        }
    }
    out
}

fn forbidden_phrases() -> Vec<String> {
    SCRIPTS.iter().flat_map(|ron| quoted_after(ron, "phrase:")).flatten().collect()
}

/// The quick reader above finds what the real parser finds in the shipped scripts.
#[test]
fn the_scripts_are_read() {
    let parsed: Vec<crate::domain::model::Script> = SCRIPTS
        .iter()
        .map(|ron| crate::domain::parse::ron_options().from_str(ron).expect("a shipped script parses"))
        .collect();
    let stages: Vec<&crate::domain::model::Stage> = parsed.iter().flat_map(|s| &s.stages).collect();
    let lines = script_lines();
    assert_eq!(lines.len(), stages.len());
    assert!(lines.len() >= 60, "{} lines", lines.len());
    for ((line, mentions), stage) in lines.iter().zip(&stages) {
        assert_eq!(line, &stage.line.replace("{trainee}", "Ольга"));
        assert_eq!(mentions, &stage.must_mention);
    }
    let forbidden: Vec<String> = parsed.iter().flat_map(|s| s.forbidden.iter().map(|f| f.phrase.clone())).collect();
    assert_eq!(forbidden_phrases(), forbidden);
}

#[test]
fn every_script_line_mentions_its_phrases_and_no_forbidden_one() {
    let forbidden: Vec<Text> = forbidden_phrases().iter().map(|p| prepare(p)).collect();
    for (line, phrases) in script_lines() {
        let said = prepare(&line);
        assert_eq!(similarity(&said, &said), 1.0, "{line}");
        for p in &phrases {
            assert!(mentions(&said, p), "{line} should mention {p}");
        }
        for f in &forbidden {
            assert_eq!(count_forbidden_prepared(&said, f), 0, "{line}");
        }
    }
}

#[test]
fn script_lines_typed_with_digits_and_without_punctuation_still_hit() {
    let cases = [
        (
            "Исправим так: правильный товар привезём завтра до двенадцати, бесплатно.",
            "исправим так правильный товар привезем завтра до 12:00 бесплатно",
        ),
        (
            "Для постоянных клиентов у нас есть годовой договор со скидкой десять процентов на всё.",
            "для постоянных клиентов у нас есть годовой договор со скидкой 10% на все",
        ),
        (
            "Давайте наш менеджер заедет к вам на пятнадцать минут с образцами: во вторник в одиннадцать или в среду в три?",
            "Давайте наш менеджер заедет к вам на 15 минут с образцами во вторник в 11:00 или в среду в 15:00",
        ),
        (
            "Could we meet on Tuesday at eleven or on Wednesday at three?",
            "could we meet on tuesday at 11am or on wednesday at 3pm",
        ),
        (
            "For regular clients we have an annual agreement with ten percent off everything.",
            "For regular clients we've got an annual agreement with 10% off everything",
        ),
        ("You are right, and I am sorry: that is our mistake.", "You're right and I'm sorry, that's our mistake"),
        (
            "Unlike other suppliers, we deliver next day, you get a named account manager, and returns are free for thirty days.",
            "Unlike other suppliers we deliver next day, you get a named account manager and returns are free for 30 days",
        ),
    ];
    for (line, said) in cases {
        let s = sim(said, line);
        assert!(s >= 0.9, "{said}: {s}");
    }
}

/// Deterministic xorshift, so the shuffles are the same on every run.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The script's words in random order: version 2 scores them no better than version 1 (whose
/// LCS of a shuffle is about `2·√n` words), on average well below `min_similarity` 0.6.
#[test]
fn word_salad_of_real_script_lines_stays_a_miss() {
    let mut rng = Xorshift(0x2545_F491_4F6C_DD1D);
    const SHUFFLES: usize = 60;
    let (mut total_v1, mut total_v2, mut count) = (0.0, 0.0, 0.0);
    let (mut salads, mut hits, mut hits_v1) = (0usize, 0usize, 0usize);
    for (line, _) in script_lines() {
        let words: Vec<&str> = line.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let prepared = prepare(&line);
        let (mut v1, mut v2) = (0.0, 0.0);
        for _ in 0..SHUFFLES {
            let mut salad = words.clone();
            for i in (1..salad.len()).rev() {
                salad.swap(i, rng.below(i + 1));
            }
            let salad = salad.join(" ");
            let s1 = crate::domain::text::similarity(&salad, &line);
            v1 += s1;
            hits_v1 += usize::from(s1 >= 0.6);
            let s2 = similarity(&prepare(&salad), &prepared);
            v2 += s2;
            salads += 1;
            hits += usize::from(s2 >= 0.6);
        }
        let (v1, v2) = (v1 / SHUFFLES as f64, v2 / SHUFFLES as f64);
        assert!(v2 < 0.55, "{line}: mean {v2}");
        // Stems one letter apart and clauses cut at conjunctions let a few more scattered words
        // align than in version 1, most in a line of many short clauses (a salad of «Чтобы не
        // гадать, подскажите: что именно хотите обдумать — цену или условия?» keeps more of each
        // clause in place); a salad still stays far below a hit, and version 2 is no more lenient
        // than version 1 over all the lines (below).
        // the words backwards are far from the line
        let backwards: Vec<&str> = words.iter().rev().copied().collect();
        assert!(sim(&backwards.join(" "), &line) < 0.5, "{line}");
        total_v1 += v1;
        total_v2 += v2;
        count += 1.0;
    }
    assert!(total_v2 / count < 0.42, "mean salad {}", total_v2 / count);
    // The similarity alone lets a few short shuffled lines reach 0.6, a little more often than
    // version 1's; the Recall rule's fluency check turns them away (scorer::v2's tests).
    assert!(hits * 100 <= salads * 3, "{hits} of {salads} word salads reach 0.6 ({hits_v1} in version 1)");
    assert!(total_v2 / count <= total_v1 / count + 0.03, "{total_v2} vs {total_v1}");
}

#[test]
fn word_salad_of_the_greeting_is_a_miss() {
    let line = "Добрый день! Меня зовут Ольга, компания «Северный ветер».";
    assert!(sim("ветер день Ольга компания зовут Добрый меня Северный", line) < 0.6);
    assert!(sim("Ольга меня ветер, Северный компания день добрый зовут", line) < 0.6);
    let line = "I understand. Give us three months, and I will check every order myself.";
    assert!(sim("myself order three I give will every understand us months and check I", line) < 0.6);
}

#[test]
fn missing_key_content_still_costs() {
    let line = "Давайте я сегодня же пришлю договор, чтобы первая поставка была у вас в понедельник?";
    let said = prepare("Давайте я сегодня же пришлю, чтобы была у вас в понедельник?");
    assert!(!mentions(&said, "договор"));
    assert!(!mentions(&said, "первая поставка"));
    assert!(similarity(&said, &prepare(line)) < 0.9);
}

// ---- random texts ---------------------------------------------------------------------------

/// Characters random texts are made of: Latin, Cyrillic, digits, every separator the rules know,
/// apostrophes, invisible characters, combining marks, and a few from elsewhere.
const POOL: &[char] = &[
    'a',
    'e',
    'i',
    'o',
    't',
    'n',
    's',
    'm',
    'p',
    'd',
    'A',
    'Z',
    'а',
    'е',
    'и',
    'о',
    'н',
    'т',
    'с',
    'й',
    'ё',
    'Ё',
    'Д',
    'я',
    'ь',
    'ы',
    '0',
    '1',
    '2',
    '3',
    '5',
    '9',
    ' ',
    ' ',
    ' ',
    ' ',
    '.',
    ',',
    ':',
    ';',
    '!',
    '?',
    '-',
    '–',
    '—',
    '%',
    '\'',
    '’',
    'ʼ',
    '"',
    '«',
    '»',
    '(',
    ')',
    '\n',
    '\t',
    '\u{00A0}',
    '\u{200B}',
    '\u{200D}',
    '\u{00AD}',
    '\u{FEFF}',
    '\u{202E}',
    '\u{2066}',
    '\u{0301}',
    '\u{0306}',
    '\u{0308}',
    '\u{0300}',
    'é',
    'ß',
    'İ',
    'ﬁ',
    '½',
    '²',
    '٣',
    '中',
    '😀',
    '\u{1F3FB}',
    '\u{0}',
    '\u{7F}',
    '\u{FFFD}',
    '\u{10FFFF}',
];

/// Whole words that exercise numbers, times and contractions.
const WORDS: &[&str] = &[
    "forty",
    "eight",
    "hundred",
    "and",
    "a",
    "thousand",
    "двенадцати",
    "тысяч",
    "сорок",
    "в",
    "часа",
    "дня",
    "утра",
    "pm",
    "o'clock",
    "don't",
    "name's",
    "не",
    "not",
    "процентов",
    "per",
    "cent",
    "noon",
    "полудня",
    "10:00",
    "3pm",
    "1,000",
    "2,5",
    "at",
    "in",
    "the",
    "morning",
];

fn random_text(rng: &mut Xorshift) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(60) {
        if rng.below(4) == 0 {
            s.push_str(WORDS[rng.below(WORDS.len())]);
            s.push(' ');
        } else {
            s.push(POOL[rng.below(POOL.len())]);
        }
    }
    s
}

#[test]
fn random_texts_never_panic_and_stay_in_range() {
    let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3_000 {
        let a = random_text(&mut rng);
        let b = random_text(&mut rng);
        let (pa, pb) = (prepare(&a), prepare(&b));
        let s = similarity(&pa, &pb);
        assert!((0.0..=1.0).contains(&s), "{a:?} / {b:?}: {s}");
        assert_eq!(similarity(&pa, &pa), 1.0, "{a:?}");
        // one clause each (no punctuation): exactly symmetric
        if pa.clauses().len() <= 1 && pb.clauses().len() <= 1 {
            assert_eq!(s, similarity(&pb, &pa), "{a:?} / {b:?}");
        }
        // a text mentions itself, and counts itself as a phrase at least once
        if !pa.is_empty() {
            assert!(mentions_prepared(&pa, &pa), "{a:?}");
            assert!(count_forbidden_prepared(&pa, &pa) >= 1, "{a:?}");
        }
        // clauses cover the tokens in order, none empty
        let mut next = 0;
        for c in pa.clauses() {
            assert_eq!(c.start, next, "{a:?}");
            assert!(c.end > c.start, "{a:?}");
            next = c.end;
        }
        assert_eq!(next, pa.len(), "{a:?}");
        let _ = mentions(&pa, &b);
        let _ = count_forbidden(&pa, &b);
    }
}

#[test]
fn random_texts_equal_their_decomposed_and_invisible_spiked_forms() {
    let mut rng = Xorshift(0xD1B5_4A32_D192_ED03);
    for _ in 0..2_000 {
        let a = random_text(&mut rng);
        let nfd: String = a.nfd().collect();
        assert_eq!(tokens(&nfd), tokens(&a), "{a:?}");
        let mut spiked = String::new();
        for c in a.chars() {
            spiked.push(c);
            if rng.below(3) == 0 {
                spiked.push(['\u{200B}', '\u{00AD}', '\u{FEFF}', '\u{2060}', '\u{200C}'][rng.below(5)]);
            }
        }
        assert_eq!(tokens(&spiked), tokens(&a), "{a:?}");
    }
}

#[test]
fn arbitrary_bytes_as_utf8_never_panic() {
    let mut rng = Xorshift(0x1234_5678_9ABC_DEF1);
    for _ in 0..2_000 {
        let bytes: Vec<u8> = (0..rng.below(80)).map(|_| (rng.next() & 0xFF) as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        let t = prepare(&text);
        assert!((0.0..=1.0).contains(&similarity(&t, &prepare("Добрый день, 10:00, don't"))));
    }
}
