//! Word stems for scorer version 2: Snowball Russian for Cyrillic words, Snowball English for Latin ones.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use rust_stemmers::{Algorithm, Stemmer};

use super::Fnv;

/// How many stems each thread remembers before it starts over (about a megabyte at most).
const CACHE_LIMIT: usize = 8192;

thread_local! {
    /// Stems already computed on this thread: the vocabulary of scripts and typed lines is small,
    /// and a lookup costs a fraction of a Snowball run. Only speed depends on it, never a result.
    static CACHE: RefCell<HashMap<Box<str>, Box<str>, BuildHasherDefault<Fnv>>> = RefCell::default();
}

/// Calls `f` with the stem of a cleaned, lowercase word (see [`stem`]), remembering it.
pub(super) fn with_stem<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    if algorithm(word).is_none() {
        return f(word);
    }
    CACHE.with(|cache| {
        if let Ok(cache) = cache.try_borrow()
            && let Some(s) = cache.get(word)
        {
            return f(s);
        }
        let s = stem(word);
        if let Ok(mut cache) = cache.try_borrow_mut() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(word.into(), s.as_ref().into());
        }
        f(&s)
    })
}

/// The Snowball algorithm for a word, by its script: only `a`–`z` → English, only `а`–`я` →
/// Russian, anything else → none.
fn algorithm(word: &str) -> Option<Algorithm> {
    if word.is_empty() {
        None
    } else if word.bytes().all(|b| b.is_ascii_lowercase()) {
        Some(Algorithm::English)
    } else if word.chars().all(|c| ('а'..='я').contains(&c)) {
        Some(Algorithm::Russian)
    } else {
        None
    }
}

/// The stem of a cleaned, lowercase word. The stemmer is chosen per word by its script, since one
/// line mixes languages (a company name in Latin letters inside a Russian line):
/// - only the letters `a`–`z` → Snowball English (Porter 2);
/// - only the letters `а`–`я` (`ё` is already `е`) → Snowball Russian, then [`present_stem_u`];
/// - anything else (mixed scripts, accented Latin, other alphabets, combining marks) stays as
///   written. The Snowball code is only ever given plain letters of its own alphabet.
pub(super) fn stem(word: &str) -> Cow<'_, str> {
    match algorithm(word) {
        Some(Algorithm::Russian) => {
            let stem = Stemmer::create(Algorithm::Russian).stem(word);
            match present_stem_u(&stem) {
                Some(shorter) => Cow::Owned(shorter.to_owned()),
                None => stem,
            }
        }
        Some(algorithm) => Stemmer::create(algorithm).stem(word),
        None => Cow::Borrowed(word),
    }
}

/// Snowball Russian keeps the `у` of the present stem of `-овать`/`-ировать` verbs before `-ем`,
/// `-ете` (`гарантируем` → `гарантиру`) but removes it with `-ю`, `-ет`, `-ют` (`гарантирую` →
/// `гарантир`). A stem of four letters or more ending in a consonant and `у` drops that `у`, so
/// that every person of the verb shares one stem. Nouns do not reach here with a final `у`: Snowball
/// removes it as a case ending (`заказу` → `заказ`).
fn present_stem_u(stem: &str) -> Option<&str> {
    let shorter = stem.strip_suffix('у')?;
    let before = shorter.chars().next_back()?;
    let consonant = !matches!(before, 'а' | 'е' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я' | 'ь' | 'ъ' | 'й');
    (consonant && shorter.chars().count() >= 3).then_some(shorter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_word_forms_share_a_stem() {
        assert_eq!(stem("доставка"), stem("доставкой"));
        assert_eq!(stem("доставка"), stem("доставку"));
        assert_eq!(stem("гарантируем"), stem("гарантирую"));
        assert_eq!(stem("гарантируем"), stem("гарантирует"));
        assert_eq!(stem("гарантируем"), stem("гарантируют"));
        assert_eq!(stem("рекомендуем"), stem("рекомендую"));
        assert_eq!(stem("бесплатную"), stem("бесплатная"));
        assert_eq!(stem("заказ"), stem("заказы"));
        assert_eq!(stem("менеджер"), stem("менеджером"));
    }

    #[test]
    fn english_word_forms_share_a_stem() {
        assert_eq!(stem("deliveries"), stem("delivery"));
        assert_eq!(stem("orders"), stem("order"));
        assert_eq!(stem("guaranteed"), stem("guarantee"));
        assert_eq!(stem("calling"), stem("call"));
    }

    #[test]
    fn different_words_keep_different_stems() {
        assert_ne!(stem("доставка"), stem("достать"));
        assert_ne!(stem("order"), stem("older"));
        assert_ne!(stem("вторник"), stem("среда"));
    }

    #[test]
    fn the_cache_gives_the_stem() {
        for w in ["доставкой", "deliveries", "гарантируем", "café", "доставкой", "deliveries", ""]
        {
            assert_eq!(with_stem(w, str::to_owned), stem(w));
        }
    }

    #[test]
    fn other_scripts_and_mixed_words_stay_as_written() {
        assert_eq!(stem("café"), "café");
        assert_eq!(stem("pпривет"), "pпривет");
        assert_eq!(stem("ελληνικά"), "ελληνικά");
        assert_eq!(stem(""), "");
    }

    #[test]
    fn the_stemmers_never_panic_on_random_words() {
        // xorshift: the same words on every run
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let ru: Vec<char> = ('а'..='я').collect();
        let en: Vec<char> = ('a'..='z').collect();
        let mut w = String::new();
        for round in 0..40_000 {
            let alphabet = if round % 2 == 0 { &ru } else { &en };
            w.clear();
            for _ in 0..(1 + next() % 14) {
                w.push(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let s = stem(&w);
            assert!(s.len() <= w.len() + 4, "{w} → {s}");
        }
    }
}
