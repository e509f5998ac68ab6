//! Loading diagnostics: every kind of problem, rendered as authors see it, pinned as a snapshot.

use callforge::domain::{Library, Severity};
use std::path::PathBuf;

fn broken() -> Library {
    // A relative path keeps machine paths out of the snapshot.
    let root = PathBuf::from("tests/fixtures/broken");
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("cd to the crate");
    Library::load(&[root])
}

#[test]
fn every_problem_in_every_file_is_reported_in_one_pass() {
    let lib = broken();
    let rendered: String = lib.diagnostics.iter().map(|d| callforge::cli::render_diagnostic(d, false) + "\n").collect();
    insta::assert_snapshot!("broken_library", rendered);
}

#[test]
fn each_kind_of_problem_points_at_the_offending_value() {
    let lib = broken();
    let find = |path: &str, needle: &str| {
        lib.diagnostics
            .iter()
            .find(|d| d.path.ends_with(path) && d.message.contains(needle))
            .map(|d| (d.severity, d.line, d.col))
            .unwrap_or_else(|| panic!("no diagnostic in {path} containing {needle:?}"))
    };
    use Severity::{Error, Warning};
    assert_eq!(find("syntax.ron", "expected a comma"), (Error, 3, 5));
    assert_eq!(find("types.ron", "unknown field `txt`"), (Error, 12, 72));
    assert_eq!(find("types.ron", "unknown field `colour`"), (Error, 16, 5));
    assert_eq!(find("types.ron", "unknown variant `Lien`"), (Error, 13, 14));
    assert_eq!(find("types.ron", "expected integer"), (Error, 3, 14));
    assert_eq!(find("refs.ron", "node \"wat\""), (Error, 17, 59));
    assert_eq!(find("refs.ron", "`on_patience_out` names"), (Error, 27, 22));
    assert_eq!(find("refs.ron", "stage \"helo\""), (Error, 14, 21));
    assert_eq!(find("refs.ron", "duplicate node id"), (Error, 23, 9));
    assert_eq!(find("refs.ron", "`say` is empty"), (Error, 21, 27));
    assert_eq!(find("refs.ron", "no choices"), (Error, 21, 63));
    assert_eq!(find("refs.ron", "add up to zero"), (Error, 20, 39));
    assert_eq!(find("refs.ron", "is a trap"), (Error, 22, 9));
    assert_eq!(find("refs.ron", "\"orphan\" can never be reached"), (Warning, 24, 9));
    assert_eq!(find("refs.ron", "duplicate scenario id"), (Error, 2, 9));
    assert_eq!(find("noscript.ron", "no script \"cold-cal\""), (Error, 7, 13));
    assert_eq!(find("z-dup.ron", "duplicate script id"), (Error, 3, 9));
    assert_eq!(find("z-dup.ron", "duplicate stage id"), (Error, 10, 19));
    assert_eq!(find("ladder.ron", "\"closer/missing\""), (Error, 5, 43));
}

#[test]
fn broken_files_never_stop_the_good_ones() {
    let lib = broken();
    assert!(lib.scripts.get("s").is_some_and(|e| e.ok), "the good script loads beside the broken ones");
    // The ladder names a missing scenario: it is reported and not used, rather than promoting by half a rule.
    assert!(lib.ladder.is_none());
    assert!(lib.diagnostics.iter().any(|d| d.path.ends_with("ladder.ron") && d.message.contains("not used")));
    let broken_ids: Vec<Option<&str>> = lib.scenarios.iter().map(|e| e.id.as_deref()).collect();
    assert!(
        broken_ids.contains(&Some("generator/types")),
        "a broken scenario keeps its id for the picker: {broken_ids:?}"
    );
    assert!(lib.scenarios.iter().all(|e| e.playable.is_none() && e.first_error.is_some()));
}

#[test]
fn an_unreadable_or_missing_path_is_an_error_not_a_panic() {
    let lib = Library::load(&[PathBuf::from("no/such/place.ron")]);
    assert_eq!(lib.errors(), 1);
    assert!(lib.diagnostics[0].to_string().contains("no such file"), "{}", lib.diagnostics[0]);
}
