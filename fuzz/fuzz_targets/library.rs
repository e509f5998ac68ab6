//! Fuzz target: a whole scenario library from bytes (script, scenarios, ladder, calibration), loaded, validated, rendered and played.
//!
//! The input is UTF-8 text cut into files at lines holding only `---`: a script, a generator
//! scenario, a closer scenario, the ladder and a calibration set, in that order.

#![no_main]

use callforge::domain::model::{Input, Mode};
use callforge::domain::{Dialogue, Library, SourceFile};
use callforge_fuzz::{check_rendered, check_score};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

const PATHS: [&str; 5] =
    ["scripts/s.ron", "generator/a.ron", "closer/b.ron", "ladder.ron", "calibration/c.ron"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let sources = text.split("\n---\n").zip(PATHS).map(|(t, p)| SourceFile::new(p, t)).collect();
    let lib = Library::from_sources(sources);
    let mut per_file = std::collections::HashMap::<&str, usize>::new();
    for d in &lib.diagnostics {
        check_rendered(d);
        *per_file.entry(d.path.as_str()).or_default() += 1;
    }
    assert!(per_file.values().all(|&n| n <= 201), "more than 200 diagnostics for a file: {per_file:?}");
    for e in &lib.scenarios {
        assert!(e.playable.is_some() || e.first_error.is_some(), "{} is broken without an error", e.path);
    }
    // Play each valid scenario: the right choice, then the first, then the expected line typed.
    for p in lib.playable() {
        for (mode, scorer) in [(Mode::Practice, 1), (Mode::Recall, 2), (Mode::Exam, 2)] {
            let mut d = Dialogue::with_scorer(Arc::clone(p), u64::from(data.len() as u32), mode, "Alex", scorer);
            for turn in 0..64 {
                if d.is_over() {
                    break;
                }
                let input = if d.expects_typing() {
                    Input::Type(d.expected_stage().map(|s| s.line.clone()).unwrap_or_default())
                } else {
                    Input::Choose(turn % 2)
                };
                if d.apply(&input).is_err() && d.apply(&Input::Choose(0)).is_err() {
                    break;
                }
            }
            check_score(&d);
        }
    }
});
