//! English contractions written out in full: `I'm` → `i am`, `don't` → `do not`, `name's` → `name is`.

/// Words after which `'s` means "is" (`it's`, `that's`, `name's`); after any other word it is a
/// possessive and is dropped (`last week's call` → `last week call`), since a typed possessive
/// must still equal the script's.
const IS_BEFORE_S: &[&str] = &[
    "it",
    "that",
    "there",
    "here",
    "what",
    "who",
    "where",
    "when",
    "why",
    "how",
    "he",
    "she",
    "this",
    "name",
    "everything",
    "nothing",
    "something",
    "anything",
    "everyone",
    "someone",
    "anyone",
    "everybody",
    "somebody",
    "nobody",
    "anybody",
];

/// Contractions typed without their apostrophe, common in chat; words that are also English words
/// of their own (`wont`, `ill`, `were`, `well`, `its`, `lets`, `hell`, `shell`, `id`) are not here.
fn without_apostrophe(word: &str) -> Option<&'static [&'static str]> {
    Some(match word {
        "dont" => &["do", "not"],
        "doesnt" => &["does", "not"],
        "didnt" => &["did", "not"],
        "isnt" => &["is", "not"],
        "arent" => &["are", "not"],
        "wasnt" => &["was", "not"],
        "werent" => &["were", "not"],
        "cant" | "cannot" => &["can", "not"],
        "couldnt" => &["could", "not"],
        "wouldnt" => &["would", "not"],
        "shouldnt" => &["should", "not"],
        "havent" => &["have", "not"],
        "hasnt" => &["has", "not"],
        "hadnt" => &["had", "not"],
        "im" => &["i", "am"],
        "ive" => &["i", "have"],
        "youre" => &["you", "are"],
        "youve" => &["you", "have"],
        "youll" => &["you", "will"],
        "theyre" => &["they", "are"],
        "theyve" => &["they", "have"],
        "thats" => &["that", "is"],
        "whats" => &["what", "is"],
        "theres" => &["there", "is"],
        _ => return None,
    })
}

/// The verb before `n't`: `wo` → `will`, `ca` → `can`, `sha` → `shall`, `ai` → `is`, others as written.
fn before_not(base: &str) -> &str {
    match base {
        "wo" => "will",
        "ca" => "can",
        "sha" => "shall",
        "ai" => "is",
        other => other,
    }
}

/// What a contraction ending stands for, or `None` when the piece after the apostrophe is not one.
fn ending(tail: &str) -> Option<&'static str> {
    Some(match tail {
        "re" => "are",
        "ll" => "will",
        "ve" => "have",
        "d" => "would",
        "m" => "am",
        "s" => "is",
        "t" => "not",
        _ => return None,
    })
}

/// Writes out a lowercase word (apostrophes written `'`) as one or more words, through `emit`.
///
/// - `n't` → `not` (`don't` → `do not`, `won't` → `will not`, `can't` and `cannot` → `can not`);
/// - `'re` → `are`, `'ll` → `will`, `'ve` → `have`, `'d` → `would`, `'m` → `am`;
/// - `'s` → `is` after the words of [`IS_BEFORE_S`], `let's` → `let us`, else a dropped possessive;
/// - `o'clock` → `oclock`, `ma'am` → `madam`, `y'all` → `you all`;
/// - any other apostrophe joins its two sides (`o'brien` → `obrien`, `д'артаньян` → `дартаньян`);
/// - a few contractions typed without the apostrophe (`dont`, `im`, `youre`…) count as well.
pub(super) fn expand(word: &str, mut emit: impl FnMut(&str)) {
    let Some((head, rest)) = word.split_once('\'') else {
        match without_apostrophe(word) {
            Some(parts) => parts.iter().for_each(|p| emit(p)),
            None => emit(word),
        }
        return;
    };
    match word {
        "o'clock" => return emit("oclock"),
        "ma'am" => return emit("madam"),
        "y'all" => {
            emit("you");
            return emit("all");
        }
        _ => {}
    }
    let (tail, more) = match rest.split_once('\'') {
        Some((tail, more)) => (tail, Some(more)),
        None => (rest, None),
    };
    match tail {
        "t" if head.len() > 1 && head.ends_with('n') => {
            emit(before_not(&head[..head.len() - 1]));
            emit("not");
        }
        "s" => {
            emit(head);
            if head == "let" {
                emit("us");
            } else if IS_BEFORE_S.contains(&head) {
                emit("is");
            }
        }
        "re" | "ll" | "ve" | "d" | "m" => {
            emit(head);
            emit(ending(tail).unwrap_or(tail));
        }
        _ => {
            // not a contraction: the apostrophes join the pieces (`o'brien`, `rock'n'roll`)
            let joined: String = word.chars().filter(|&c| c != '\'').collect();
            return emit(&joined);
        }
    }
    // `shouldn't've`: further endings after the first one
    for t in more.into_iter().flat_map(|m| m.split('\'')) {
        emit(ending(t).unwrap_or(t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &str) -> Vec<String> {
        let mut out = Vec::new();
        expand(w, |p| out.push(p.to_owned()));
        out
    }

    #[test]
    fn every_listed_contraction_equals_its_full_form() {
        let cases: &[(&str, &[&str])] = &[
            ("i'm", &["i", "am"]),
            ("i'd", &["i", "would"]),
            ("i'll", &["i", "will"]),
            ("i've", &["i", "have"]),
            ("it's", &["it", "is"]),
            ("that's", &["that", "is"]),
            ("there's", &["there", "is"]),
            ("what's", &["what", "is"]),
            ("don't", &["do", "not"]),
            ("doesn't", &["does", "not"]),
            ("didn't", &["did", "not"]),
            ("won't", &["will", "not"]),
            ("can't", &["can", "not"]),
            ("cannot", &["can", "not"]),
            ("isn't", &["is", "not"]),
            ("aren't", &["are", "not"]),
            ("wasn't", &["was", "not"]),
            ("weren't", &["were", "not"]),
            ("shan't", &["shall", "not"]),
            ("ain't", &["is", "not"]),
            ("we're", &["we", "are"]),
            ("we'll", &["we", "will"]),
            ("we've", &["we", "have"]),
            ("you're", &["you", "are"]),
            ("you'll", &["you", "will"]),
            ("they're", &["they", "are"]),
            ("let's", &["let", "us"]),
            ("name's", &["name", "is"]),
            ("shouldn't've", &["should", "not", "have"]),
        ];
        for (short, full) in cases {
            assert_eq!(words(short), *full, "{short}");
        }
    }

    #[test]
    fn possessive_s_is_dropped() {
        assert_eq!(words("week's"), ["week"]);
        assert_eq!(words("northwind's"), ["northwind"]);
    }

    #[test]
    fn special_words_and_names_with_apostrophes() {
        assert_eq!(words("o'clock"), ["oclock"]);
        assert_eq!(words("ma'am"), ["madam"]);
        assert_eq!(words("y'all"), ["you", "all"]);
        assert_eq!(words("o'brien"), ["obrien"]);
        assert_eq!(words("rock'n'roll"), ["rocknroll"]);
        assert_eq!(words("д'артаньян"), ["дартаньян"]);
    }

    #[test]
    fn contractions_typed_without_apostrophe() {
        assert_eq!(words("dont"), ["do", "not"]);
        assert_eq!(words("im"), ["i", "am"]);
        assert_eq!(words("youre"), ["you", "are"]);
        // real words stay words
        assert_eq!(words("well"), ["well"]);
        assert_eq!(words("its"), ["its"]);
        assert_eq!(words("wont"), ["wont"]);
    }

    #[test]
    fn russian_words_pass_unchanged() {
        assert_eq!(words("доставка"), ["доставка"]);
        assert_eq!(words("не"), ["не"]);
    }
}
