//! What a careless author's files do to callforge: no panic, bounded diagnostics, linear validation, limits, text hygiene.

use crate::cli::{callforge, text, tmp};
use callforge::cli::render_diagnostic;
use callforge::domain::limits::{MAX_DIAGNOSTICS_PER_FILE, MAX_FILE_BYTES, MAX_STAGES, SHOWN_LINE_CHARS};
use callforge::domain::{Diagnostic, Library, Severity, SourceFile};
use std::time::{Duration, Instant};

const SCRIPT: &str = r#"Script(
    id: "s",
    version: 1,
    role: Generator,
    title: "Cold call",
    stages: [
        Stage(id: "greeting", title: "Greet", line: "Good afternoon, my name is {trainee}.", weight: 50),
        Stage(id: "meeting", title: "Meet", line: "Could we meet on Tuesday?", weight: 50),
    ],
    forbidden: [Forbidden(phrase: "to be honest", penalty: 5)],
)
"#;

/// A playable scenario with `nodes` spliced into its node map and `header` fields in front.
fn scenario(header: &str, nodes: &str) -> String {
    let header = if header.is_empty() {
        r#"title: "Busy", brief: "Call Anna.", persona: Persona(name: "Anna", position: "Manager", company: "Contoso", patience: 2),"#
    } else {
        header
    };
    format!(
        r#"Scenario(
    id: "generator/x",
    version: 1,
    {header}
    role: Generator,
    language: "en",
    script: "s",
    start: "hello",
    nodes: {{
        "hello": Line(
            say: ["Hello?"],
            expect: Some("greeting"),
            choices: [
                Choice(text: "Good afternoon, my name is {{trainee}}.", stage: Some("greeting"), next: "done"),
                Choice(text: "Hi.", next: "done"),
            ],
        ),
        "done": End(outcome: Success, label: "Booked"),
        {nodes}
    }},
)
"#
    )
}

fn load(files: &[(&str, &str)]) -> Library {
    Library::from_sources(files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect())
}

fn find<'a>(lib: &'a Library, needle: &str) -> Option<&'a Diagnostic> {
    lib.diagnostics.iter().find(|d| d.message.contains(needle))
}

fn rendered(lib: &Library) -> String {
    lib.diagnostics.iter().map(|d| render_diagnostic(d, false)).collect()
}

#[test]
fn broken_strings_attributes_and_chars_are_errors_never_panics() {
    for (name, broken) in [
        ("a backslash before a multi-byte letter", "Script(title: \"\\é\")".to_owned()),
        ("an attribute with no closing bracket", "#![enable(implicit_some)\nScript(id: \"s\")".to_owned()),
        ("a file ending inside a char", "Script(id: '\\".to_owned()),
        ("an escaped multi-byte letter in a char", "Script(id: '\\ж".to_owned()),
    ] {
        let lib = load(&[("scripts/broken.ron", &broken)]);
        assert!(lib.errors() > 0, "{name}: no error");
        let _ = rendered(&lib);
    }
    // The same deep inside a scenario: every node is checked on its own, and this one reported.
    let lib = load(&[
        ("scripts/s.ron", SCRIPT),
        ("generator/x.ron", &scenario("", "\"z\": End(outcome: Failure, label: \"\\é\"),")),
    ]);
    assert_eq!(find(&lib, "unknown escape").map(|d| (d.line, d.col)), Some((19, 44)), "{}", rendered(&lib));
}

#[test]
fn a_long_single_line_file_shows_a_window_of_each_line_and_at_most_200_problems() {
    let fields: String = (0..300).map(|i| format!("unknown_{i}: \"{}\", ", "x".repeat(600))).collect();
    let text = format!("Scenario({fields})");
    let lib = load(&[("generator/long.ron", &text)]);
    assert_eq!(lib.diagnostics.len(), MAX_DIAGNOSTICS_PER_FILE + 1, "200 shown, then one \"and N more\"");
    let last = lib.diagnostics.last().expect("diagnostics");
    // 300 unknown fields and 10 missing ones: 200 shown, 110 counted.
    assert!(last.message.starts_with("and 110 more problems in this file"), "{}", last.message);
    assert_eq!(last.severity, Severity::Error);
    let out = rendered(&lib);
    let widest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest <= SHOWN_LINE_CHARS + 20, "a rendered line is {widest} characters wide");
    // The caret sits under the field the diagnostic names, inside the elided window.
    let d = lib.diagnostics.iter().find(|d| d.message.contains("`unknown_150`")).expect("field 150 reported");
    let out = render_diagnostic(d, false);
    let lines: Vec<&str> = out.lines().collect();
    let (shown, caret) = (lines[2], lines[3]);
    let at = caret.find('^').expect("a caret");
    assert_eq!(
        &shown[shown.char_indices().nth(caret[..at].chars().count()).map_or(0, |(i, _)| i)..][..11],
        "unknown_150"
    );
    assert!(shown.contains('…'), "{shown}");
}

#[test]
fn a_message_quoting_a_huge_name_is_elided() {
    let text = format!("Scenario({}: 1)", "n".repeat(100_000));
    let lib = load(&[("generator/name.ron", &text)]);
    let d = find(&lib, "unknown field").expect("reported");
    assert!(d.message.chars().count() <= 400, "{} characters", d.message.chars().count());
    assert!(d.message.contains(" … "));
}

#[test]
fn control_characters_from_a_file_are_not_sent_to_the_terminal() {
    let text = "Script(id: \"s\", \x1b[2J: 1)";
    let lib = load(&[("scripts/esc.ron", text)]);
    let out = rendered(&lib);
    assert!(lib.errors() > 0);
    assert!(!out.contains('\x1b'), "{out:?}");
    // Shown as escapes, hundreds of control characters still make a line of bounded width (found
    // by the `library` fuzz target: each became six characters after the message was elided).
    let id = "\u{1c}\t".repeat(300);
    let lib = load(&[("generator/x.ron", &scenario("", "").replace("script: \"s\"", &format!("script: \"{id}\"")))]);
    let out = rendered(&lib);
    let widest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(find(&lib, "there is no script").is_some() && widest <= 450, "{widest} characters wide:\n{out}");
}

/// A scenario whose every `Line` names a missing node: `n` problems of the same kind.
fn dangling(n: usize) -> String {
    let nodes: String = (0..n)
        .map(|i| format!("\"n{i}\": Line(say: [\"Hi\"], choices: [Choice(text: \"Hi.\", next: \"missing{i}\")]),\n"))
        .collect();
    scenario("", &nodes)
}

#[test]
fn many_broken_references_are_reported_in_linear_time_and_capped() {
    let text = dangling(5_000);
    let started = Instant::now();
    let lib = load(&[("scripts/s.ron", SCRIPT), ("generator/x.ron", &text)]);
    let took = started.elapsed();
    let shown = lib.diagnostics.iter().filter(|d| d.path == "generator/x.ron").count();
    assert_eq!(shown, MAX_DIAGNOSTICS_PER_FILE + 1);
    assert!(find(&lib, "more problems in this file").is_some_and(|d| d.is_error()));
    assert!(lib.scenario("generator/x").is_none(), "errors past the cap still make the scenario broken");
    // Quadratic work (each problem rescanning every node) takes minutes here; linear takes well under a second.
    assert!(took < Duration::from_secs(10), "validation took {took:?}");
}

#[test]
fn a_broken_scenario_shows_an_error_even_after_hundreds_of_warnings() {
    // 300 choices with an invisible character (warnings, reported first), then a trap (an error).
    let nodes: String = (0..300)
        .map(|i| format!("\"w{i}\": Line(say: [\"Hi\"], choices: [Choice(text: \"H\u{200B}i\", next: \"done\")]),\n"))
        .collect();
    let nodes =
        format!("{nodes}\"loop\": Line(say: [\"Again?\"], choices: [Choice(text: \"Again\", next: \"loop\")]),");
    let lib = load(&[("scripts/s.ron", SCRIPT), ("generator/x.ron", &scenario("", &nodes))]);
    let entry = lib.scenarios.iter().find(|e| e.path == "generator/x.ron").expect("the scenario");
    assert!(entry.playable.is_none());
    let first = entry.first_error.as_ref().expect("the trap is shown, not only counted");
    assert!(first.message.contains("\"loop\" is a trap"), "{first}");
    assert_eq!(lib.diagnostics.iter().filter(|d| d.path == "generator/x.ron").count(), MAX_DIAGNOSTICS_PER_FILE + 1);
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let dir = tmp("robustness-large");
    std::fs::create_dir_all(dir.join("scripts")).expect("dir");
    let path = dir.join("scripts/huge.ron");
    let padding = " ".repeat(usize::try_from(MAX_FILE_BYTES).expect("fits") + 10);
    std::fs::write(&path, format!("{SCRIPT}{padding}")).expect("write");
    let lib = Library::load(std::slice::from_ref(&path));
    let d = find(&lib, "too large").unwrap_or_else(|| panic!("{}", rendered(&lib)));
    assert!(d.is_error() && d.message.contains("the limit is 8 MiB"), "{}", d.message);
    assert!(lib.scripts.is_empty());
    let lib = load(&[("scripts/huge.ron", &format!("{SCRIPT}{padding}"))]);
    assert!(find(&lib, "too large").is_some());
    let out = callforge(&["score", path.to_str().expect("utf-8")], None);
    assert!(text(&out.stderr).contains("too large"), "{}", text(&out.stderr));
    std::fs::remove_file(&path).ok();
}

#[test]
fn a_script_cannot_have_more_stages_than_16_bit_stage_numbers_keep_exact() {
    // Stage 65,536 would be numbered 0 in 16 bits, and a call would be scored against the first stage.
    let stages: String =
        (0..65_537).map(|i| format!("Stage(id: \"s{i}\", title: \"t\", line: \"word {i}\", weight: 1),")).collect();
    let script = SCRIPT.replace("stages: [", &format!("stages: [{stages}"));
    let text = scenario("", "").replace("expect: Some(\"greeting\")", "expect: Some(\"s65536\")");
    let lib = load(&[("scripts/s.ron", &script), ("generator/x.ron", &text)]);
    assert!(find(&lib, &format!("65539 stages, but the most allowed is {MAX_STAGES}")).is_some(), "{}", rendered(&lib));
    assert!(lib.scenario("generator/x").is_none(), "a scenario of a script over the limit is never played");
}

#[test]
fn counts_over_their_limits_are_errors() {
    let choices: String = (0..101).map(|_| "Choice(text: \"Hi.\", next: \"done\"),".to_owned()).collect();
    let many = format!("\"many\": Line(say: [\"Hi\"], choices: [{choices}]),");
    let lib = load(&[("scripts/s.ron", SCRIPT), ("generator/x.ron", &scenario("", &many))]);
    assert!(find(&lib, "101 choices, but the most allowed is 100").is_some(), "{}", rendered(&lib));
    // Patience and penalties large enough to overflow a call's arithmetic.
    let text = scenario("", "").replace("patience: 2", "patience: 2147483647").replace(
        "Choice(text: \"Hi.\", next: \"done\")",
        "Choice(text: \"Hi.\", next: \"done\", patience: 1, penalty: 4294967295)",
    );
    let script = SCRIPT.replace("penalty: 5", "penalty: 4294967295");
    let lib = load(&[("scripts/s.ron", &script), ("generator/x.ron", &text)]);
    assert!(find(&lib, "patience is 2147483647, but the most allowed is 1000").is_some(), "{}", rendered(&lib));
    assert_eq!(
        lib.diagnostics
            .iter()
            .filter(|d| d.message.contains("a penalty of 4294967295 is more than a whole score"))
            .count(),
        2
    );
}

#[test]
fn invisible_characters_and_decomposed_letters_are_warned_about_where_they_are() {
    let script = SCRIPT
        .replace("Good afternoon, my name", "Good after\u{200B}noon, my name")
        .replace("\"Could we meet on Tuesday?\"", "\"Could we meet on \\u{00AD}Tuesday?\"")
        .replace("\"to be honest\"", "\"to be hone\u{301}st\"")
        .replace("title: \"Meet\"", "title: \"Meet\", variants: [\"Shall we meet on Tuesday, Йо\u{308}?\"]")
        .replace("\"Шаг\"", "");
    let text = scenario("", "").replace("Choice(text: \"Hi.\"", "Choice(text: \"Hi\u{2066}.\"");
    let lib = load(&[("scripts/s.ron", &script), ("generator/x.ron", &text)]);
    let at = |needle: &str, path: &str| {
        lib.diagnostics
            .iter()
            .find(|d| d.path == path && d.message.contains(needle))
            .map(|d| (d.severity, d.line, d.col, d.span.len()))
            .unwrap_or_else(|| panic!("no {needle:?} in {path}:\n{}", rendered(&lib)))
    };
    // `        Stage(id: "greeting", title: "Greet", line: "Good after` is 63 characters.
    assert_eq!(at("U+200B zero width space", "scripts/s.ron"), (Severity::Warning, 7, 64, 3));
    // A soft hyphen written as an escape is pointed at where the escape is written (8 bytes).
    assert_eq!(at("U+00AD soft hyphen", "scripts/s.ron"), (Severity::Warning, 8, 115, 8));
    assert_eq!(at("U+2066 bidirectional isolate", "generator/x.ron").1, 15);
    // `о` and a combining diaeresis (U+04E7 composed), `e` and a combining acute (U+00E9 composed).
    let nfc: Vec<(usize, usize, usize)> = lib
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("not in Unicode NFC"))
        .map(|d| (d.line, d.col, d.span.len()))
        .collect();
    assert_eq!(nfc, vec![(8, 84, 4), (10, 45, 3)], "{}", rendered(&lib));
    assert!(find(&lib, "not in Unicode NFC").and_then(|d| d.help.as_deref()).is_some_and(|h| h.contains("version 1")));
    assert!(lib.scenario("generator/x").is_some(), "warnings never stop a scenario");
}

#[test]
fn empty_titles_briefs_customers_and_node_ids_are_errors() {
    let header = r#"title: " ", brief: "", persona: Persona(name: "", position: "", company: "", patience: 2),"#;
    let lib = load(&[
        ("scripts/s.ron", SCRIPT),
        ("generator/x.ron", &scenario(header, "\"\": End(outcome: Failure, label: \"x\"),")),
    ]);
    let severity = |needle: &str| {
        find(&lib, needle).map(|d| d.severity).unwrap_or_else(|| panic!("no {needle:?}:\n{}", rendered(&lib)))
    };
    assert_eq!(severity("the scenario has no title"), Severity::Error);
    assert_eq!(severity("the brief is empty"), Severity::Error);
    assert_eq!(severity("the customer has no name"), Severity::Error);
    assert_eq!(severity("position is empty"), Severity::Warning);
    assert_eq!(severity("company is empty"), Severity::Warning);
    assert_eq!(severity("a node id is empty"), Severity::Error);
    let lib = load(&[("scripts/s.ron", &SCRIPT.replace("title: \"Cold call\"", "title: \"\""))]);
    assert!(find(&lib, "the script has no title").is_some_and(Diagnostic::is_error));
}

#[test]
fn voice_clips_outside_the_assets_folder_are_errors_and_missing_ones_warnings() {
    let clips = r#""a": End(outcome: Failure, label: "x", say: ["1", "2", "3", "4", "5"], audio: ["../../../etc/passwd", "/etc/passwd", "https://example.com/a.ogg", "C:\\voice\\a.ogg", "voice/missing.ogg"]),"#;
    let bad =
        scenario("", clips).replace("Choice(text: \"Hi.\", next: \"done\")", "Choice(text: \"Hi.\", next: \"a\")");
    let lib = load(&[("scripts/s.ron", SCRIPT), ("generator/x.ron", &bad)]);
    for needle in ["climbs out of the assets folder", "is an absolute path", "is a URL"] {
        assert!(find(&lib, needle).is_some_and(Diagnostic::is_error), "no {needle:?}:\n{}", rendered(&lib));
    }
    assert_eq!(lib.diagnostics.iter().filter(|d| d.message.contains("is an absolute path")).count(), 2);
    // Missing files are checked against the assets folder, by `validate`.
    let dir = tmp("robustness-clips");
    std::fs::create_dir_all(dir.join("scripts")).expect("dir");
    std::fs::create_dir_all(dir.join("generator")).expect("dir");
    std::fs::create_dir_all(dir.join("assets/voice")).expect("dir");
    std::fs::write(dir.join("assets/voice/here.ogg"), b"OggS").expect("clip");
    std::fs::write(dir.join("scripts/s.ron"), SCRIPT).expect("write");
    let good =
        r#""a": End(outcome: Failure, label: "x", say: ["1", "2"], audio: ["voice/here.ogg", "voice/missing.ogg"]),"#;
    let good =
        scenario("", good).replace("Choice(text: \"Hi.\", next: \"done\")", "Choice(text: \"Hi.\", next: \"a\")");
    std::fs::write(dir.join("generator/x.ron"), good).expect("write");
    let assets = dir.join("assets");
    let out = callforge(&["validate", dir.to_str().expect("utf-8"), "--assets", assets.to_str().expect("utf-8")], None);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "a missing clip is a warning: {err}");
    assert!(err.contains("warning: there is no voice clip \"voice/missing.ogg\""), "{err}");
    assert!(!err.contains("clip \"voice/here.ogg\""), "{err}");
}

#[test]
fn a_ladder_that_repeats_an_exam_scenario_or_has_errors_is_not_used() {
    let ladder = r#"Ladder(rungs: [
        Rung(role: Generator, title: "Lead generator"),
        Rung(role: Closer, title: "Closer", exam: Some(Exam(scenarios: ["closer/x", "closer/x"], mode: Exam, min_score: 85, practice_runs: 1, cooldown_hours: 1))),
    ])"#;
    let closer_script = SCRIPT.replace("role: Generator", "role: Closer");
    let closer = scenario("", "").replace("generator/x", "closer/x").replace("role: Generator", "role: Closer");
    let lib = load(&[("scripts/s.ron", &closer_script), ("closer/x.ron", &closer), ("ladder.ron", ladder)]);
    assert!(lib.scenario("closer/x").is_some(), "{}", rendered(&lib));
    let d = find(&lib, "\"closer/x\" is listed twice in this exam").unwrap_or_else(|| panic!("{}", rendered(&lib)));
    assert!(d.is_error());
    assert!(lib.ladder.is_none(), "a ladder with errors is not used");
    assert!(find(&lib, "this ladder has errors, so it is not used").is_some());
    let fixed = ladder.replace("\"closer/x\", \"closer/x\"", "\"closer/x\"");
    let lib = load(&[("scripts/s.ron", &closer_script), ("closer/x.ron", &closer), ("ladder.ron", &fixed)]);
    assert!(lib.ladder.is_some(), "{}", rendered(&lib));
}
