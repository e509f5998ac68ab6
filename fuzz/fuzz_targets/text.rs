//! Fuzz target: text normalisation and similarity of both scorer versions on arbitrary UTF-8.
//!
//! The text before the first newline is what was said, the rest the script line (or phrase).

#![no_main]

use callforge::domain::{text, text_v2};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (said, line) = input.split_once('\n').unwrap_or((input, ""));

    // Version 1: normalisation is idempotent, similarity a share, a text fully similar to itself.
    let n = text::normalise(said);
    assert_eq!(text::normalise(&n), n);
    let s = text::similarity(said, line);
    assert!((0.0..=1.0).contains(&s), "{s}");
    assert_eq!(text::similarity(said, said), 1.0);
    let diff = text::diff_words(line, said);
    assert!(diff.len() <= text::words(line).len() + text::words(said).len());
    let _ = text::mentions(&n, line);
    let _ = text::count_phrase(&text::words(said), &text::words(line));

    // Version 2: the same shares, and invisible characters never change what a text says.
    let (a, b) = (text_v2::prepare(said), text_v2::prepare(line));
    let s = text_v2::similarity(&a, &b);
    assert!((0.0..=1.0).contains(&s), "{s}");
    assert_eq!(text_v2::similarity(&a, &a), 1.0);
    let f = text_v2::fluency(&a, &b);
    assert!((0.0..=1.0).contains(&f), "{f}");
    let _ = text_v2::mentions(&a, line);
    let _ = text_v2::count_forbidden(&a, line);
    let _ = text_v2::missing_numbers(&a, &b);
    let _ = text_v2::negates(&a, &b);
    let hidden: String = said.chars().flat_map(|c| [c, '\u{200B}']).collect();
    assert!(text_v2::prepare(&hidden).tokens().eq(a.tokens()), "an invisible character changed the tokens");
});
