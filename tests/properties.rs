//! Properties over generated inputs (proptest): loading never panics and names what is broken, normalisation is stable, scores stay in range and repeat, similarity stays linear.

use callforge::cli::render_diagnostic;
use callforge::domain::model::{Input, Mode};
use callforge::domain::{Dialogue, Library, SourceFile, replay, score, text, text_v2};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use unicode_normalization::UnicodeNormalization;

/// The shipped library, loaded once for every case.
fn bundled() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(crate::support::bundled)
}

/// The shipped files as (path relative to `scenarios/`, text): scripts first, then scenarios, then the ladder.
fn shipped_files() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files = Vec::new();
        for dir in ["scripts", "generator", "closer", "account", "calibration"] {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
                .expect("a shipped folder")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect();
            paths.sort();
            for p in paths {
                let text = std::fs::read_to_string(&p).expect("a shipped file");
                files.push((format!("{dir}/{}", p.file_name().and_then(|n| n.to_str()).unwrap_or_default()), text));
            }
        }
        files.push(("ladder.ron".to_owned(), std::fs::read_to_string(root.join("ladder.ron")).expect("the ladder")));
        files
    })
}

/// One change to a file's text: where (a share of its length) and what.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(f64, usize),
    Insert(f64, &'static str),
    Duplicate(f64, usize),
}

/// Pieces an author's slip or a half-written save leaves in a file.
const PIECES: &[&str] = &[
    "\"",
    "\\",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "'",
    "#![",
    "/*",
    "*/",
    "//",
    "é",
    "\u{200B}",
    "Some(",
    "next: \"x\"",
    "-1",
    "4294967295",
    "18446744073709551616",
    "\"\"",
    "r#\"",
    "\\u{",
    "\\é",
    "'\\",
    "Line(",
    "End(",
    "Random(branches: [])",
    "weight: 0",
    "patience: 2147483647",
    "penalty: 4294967295",
    "\n",
    "\t",
    "\u{feff}",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0f64, 1usize..40).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (0.0..1.0f64, prop::sample::select(PIECES)).prop_map(|(at, p)| Mutation::Insert(at, p)),
        (0.0..1.0f64, 1usize..200).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
    ]
}

/// The byte offset at a share of the text, moved back to a character boundary.
fn at(text: &str, share: f64) -> usize {
    text.floor_char_boundary((text.len() as f64 * share) as usize)
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut t = text.to_owned();
    for m in mutations {
        match *m {
            Mutation::Delete(share, n) => {
                let start = at(&t, share);
                let end = t.ceil_char_boundary((start + n).min(t.len()));
                t.replace_range(start..end, "");
            }
            Mutation::Insert(share, piece) => {
                let i = at(&t, share);
                t.insert_str(i, piece);
            }
            Mutation::Duplicate(share, n) => {
                let start = at(&t, share);
                let end = t.ceil_char_boundary((start + n).min(t.len()));
                let piece = t[start..end].to_owned();
                t.insert_str(end, &piece);
            }
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any shipped file, changed a few times: loading never panics, every diagnostic renders, and a
    /// file that no longer loads as valid has an error of its own saying why.
    #[test]
    fn a_mutated_library_file_never_panics_and_a_broken_one_says_why(
        index in 0usize..64,
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let files = shipped_files();
        let (path, original) = &files[index % files.len()];
        let changed = mutate(original, &mutations);
        let sources = files
            .iter()
            .map(|(p, t)| SourceFile::new(p.clone(), if p == path { changed.clone() } else { t.clone() }))
            .collect();
        let lib = Library::from_sources(sources);
        for d in &lib.diagnostics {
            let _ = render_diagnostic(d, true);
        }
        let has_error = lib.diagnostics.iter().any(|d| &d.path == path && d.is_error());
        let valid = if path.starts_with("scripts/") {
            lib.scripts.values().any(|e| &e.source.path == path && e.ok)
        } else if path == "ladder.ron" {
            lib.ladder.is_some()
        } else if path.starts_with("calibration/") {
            lib.calibrations.iter().any(|c| &c.path == path)
        } else {
            lib.scenarios.iter().any(|e| &e.path == path && e.playable.is_some())
        };
        prop_assert!(valid || has_error, "{path} is neither valid nor reported:\n{changed}");
    }

    /// Version 1's normalisation is idempotent, and words are the same read from the text or from its
    /// normal form.
    #[test]
    fn normalisation_v1_is_idempotent(t in "\\PC{0,80}") {
        let once = text::normalise(&t);
        prop_assert_eq!(&text::normalise(&once), &once);
        prop_assert_eq!(text::words(&once), text::words(&t));
    }

    /// Version 2 reads a text the same whatever its Unicode form and whatever invisible characters are
    /// in it; and a text is always fully similar to itself.
    #[test]
    fn preparation_v2_ignores_unicode_form_and_invisible_characters(
        t in "[\\PC\u{0300}\u{0306}\u{0308}]{0,60}",
        inserts in prop::collection::vec((0.0..1.0f64, prop::sample::select(&['\u{200B}', '\u{00AD}', '\u{FEFF}', '\u{2066}', '\u{202E}', '\u{2060}'][..])), 0..4),
    ) {
        // Ѓ and Ќ (Macedonian) are letters of their own, while an acute on a decomposed Г or К is a
        // stress mark, which version 2 removes: the one place where the two forms read differently.
        prop_assume!(!t.nfc().any(|c| matches!(c, 'Ѓ' | 'ѓ' | 'Ќ' | 'ќ')));
        let tokens = |s: &str| text_v2::prepare(s).tokens().map(str::to_owned).collect::<Vec<_>>();
        let base = tokens(&t);
        prop_assert_eq!(&tokens(&t.nfd().collect::<String>()), &base);
        prop_assert_eq!(&tokens(&t.nfc().collect::<String>()), &base);
        let mut hidden = t.clone();
        for (share, c) in inserts {
            let i = at(&hidden, share);
            hidden.insert(i, c);
        }
        prop_assert_eq!(&tokens(&hidden), &base);
        let p = text_v2::prepare(&t);
        prop_assert_eq!(text_v2::similarity(&p, &p), 1.0);
    }

    /// Similarity is a share under both versions, whatever the two texts.
    #[test]
    fn similarity_is_between_0_and_1(a in "\\PC{0,60}", b in "\\PC{0,60}") {
        let v1 = text::similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&v1), "v1 {v1}");
        let v2 = text_v2::similarity(&text_v2::prepare(&a), &text_v2::prepare(&b));
        prop_assert!((0.0..=1.0).contains(&v2), "v2 {v2}");
    }
}

/// A trainee's input as generated: a choice, a typed line built from script words, or hanging up.
fn input() -> impl Strategy<Value = Input> {
    let words = prop::collection::vec(
        prop_oneof![
            prop::sample::select(
                &[
                    "good",
                    "afternoon",
                    "my",
                    "name",
                    "is",
                    "меня",
                    "зовут",
                    "free",
                    "trial",
                    "to",
                    "be",
                    "honest",
                    "не",
                    "15:00",
                    "десять",
                    "stupid",
                    "Northwind",
                    "вторник"
                ][..]
            )
            .prop_map(str::to_owned),
            "\\PC{0,12}",
        ],
        0..25,
    );
    // Mostly choices a line has, so that many calls reach their end.
    prop_oneof![
        5 => (0usize..3).prop_map(Input::Choose),
        1 => (3usize..8).prop_map(Input::Choose),
        4 => words.prop_map(|w| Input::Type(w.join(" "))),
        1 => Just(Input::HangUp),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any call through any shipped scenario, under either scorer version: the score is 0–100, the
    /// same when scored again, and, for a finished call, the same when its run is replayed.
    #[test]
    fn a_score_is_0_to_100_and_the_same_every_time(
        index in 0usize..64,
        seed in any::<u64>(),
        mode in prop::sample::select(&[Mode::Practice, Mode::Exam, Mode::Recall][..]),
        scorer in 1u32..=2,
        inputs in prop::collection::vec(input(), 0..24),
    ) {
        let playable: Vec<_> = bundled().playable().collect();
        let p = playable[index % playable.len()];
        let mut d = Dialogue::with_scorer(Arc::clone(p), seed, mode, "Alex", scorer);
        for i in &inputs {
            let _ = d.apply(i);
        }
        let first = score(&d);
        prop_assert!(first.score <= 100, "{}", first.score);
        prop_assert!(first.adherence.is_finite() && (0.0..=100.0).contains(&first.adherence), "{}", first.adherence);
        prop_assert_eq!(&score(&d), &first);
        // A run file records a finished call; an unfinished one is refused by replay.
        if d.is_over() {
            let again = replay(p, &d.to_run(), false).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&score(&again), &first);
        }
    }
}

/// Words of a real script line, repeated with noise to about `bytes` of typed text.
fn long_typed(line: &str, bytes: usize) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut out = String::with_capacity(bytes + 64);
    let mut k = 0usize;
    while out.len() < bytes {
        out.push_str(words[k % words.len()]);
        out.push_str(if k % 7 == 3 { ", ну " } else { " " });
        k += 1;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, failure_persistence: None, ..ProptestConfig::default() })]

    /// A megabyte typed against a real script line is compared in time linear in the typed text,
    /// under both versions. Linear work takes a fraction of a second here; work that grows with the
    /// square of the typed words (about 170,000 of them) would take hours, so the bound is generous.
    #[test]
    fn similarity_stays_linear_in_a_long_typed_text(stage in 0usize..64, megabytes in 1usize..=2) {
        let stages: Vec<String> =
            bundled().scripts.values().flat_map(|e| e.script.stages.iter().map(|s| s.line.clone())).collect();
        let line = &stages[stage % stages.len()];
        let typed = long_typed(line, megabytes << 20);
        let started = Instant::now();
        let v1 = text::similarity(&typed, line);
        let v1_took = started.elapsed();
        let started = Instant::now();
        let v2 = text_v2::similarity(&text_v2::prepare(&typed), &text_v2::prepared(line));
        let v2_took = started.elapsed();
        prop_assert!((0.0..=1.0).contains(&v1) && (0.0..=1.0).contains(&v2));
        let bound = Duration::from_secs(10);
        prop_assert!(v1_took < bound && v2_took < bound, "version 1 took {v1_took:?}, version 2 {v2_took:?}");
    }
}
