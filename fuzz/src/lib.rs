//! What every fuzz target checks beside "no panic": diagnostics render to bounded lines, scores stay in range and repeat.

use callforge::cli::render_diagnostic;
use callforge::domain::limits::{MAX_MESSAGE_CHARS, SHOWN_LINE_CHARS};
use callforge::domain::{Diagnostic, Dialogue, Library, Score, replay, score};
use std::path::PathBuf;
use std::sync::OnceLock;

/// Renders a diagnostic with and without colour; every line stays within what a terminal shows,
/// whatever the file held.
pub fn check_rendered(d: &Diagnostic) {
    for color in [false, true] {
        let out = render_diagnostic(d, color);
        let widest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        // The header holds the path, the position and the message; a source line its number and a window.
        let bound = d.path.chars().count() + 2 * MAX_MESSAGE_CHARS + SHOWN_LINE_CHARS + 100;
        assert!(widest <= bound, "a rendered line is {widest} characters wide:\n{out}");
        assert!(color || !out.contains('\x1b'), "an escape character reached the terminal:\n{out:?}");
    }
}

/// The shipped scenario library, read once per process.
pub fn shipped() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        let lib = Library::load(&[PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios"))]);
        assert!(lib.errors() == 0 && lib.playable().count() > 0, "the shipped library loads");
        lib
    })
}

/// Scores a call; the score is 0–100, the same scored again, and for a finished call the same when
/// its run is replayed.
pub fn check_score(d: &Dialogue) -> Score {
    let first = score(d);
    assert!(first.score <= 100, "score {}", first.score);
    assert!(first.adherence.is_finite() && (0.0..=100.0).contains(&first.adherence), "adherence {}", first.adherence);
    assert_eq!(score(d), first, "a second scoring differs");
    if d.is_over() {
        let again = replay(d.playable(), &d.to_run(), false).expect("a finished call's run replays");
        assert_eq!(score(&again), first, "the replayed run scores differently");
    }
    first
}
