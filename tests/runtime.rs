//! The dialogue runtime: seeds, random branches, and runs whose inputs do not fit.

use crate::support::{choose, library, run, typed};
use callforge::domain::model::{Input, Mode, Outcome};
use callforge::domain::{Dialogue, InputError, Library, RunError, score};
use std::sync::Arc;

const SCRIPT: &str = r#"Script(id: "s", version: 1, role: Closer, title: "S", stages: [
    Stage(id: "ask", title: "Ask", line: "What matters most to you?", weight: 50),
    Stage(id: "close", title: "Close", line: "Shall I send the contract today?", weight: 50),
])"#;

const SCENARIO: &str = r#"Scenario(
    id: "closer/r", version: 3, title: "R", role: Closer, language: "en", script: "s", brief: "b",
    persona: Persona(name: "Ann", position: "CEO", company: "Initech", patience: 3),
    start: "pick",
    nodes: {
        "pick": Random(branches: [Branch(weight: 2, next: "price"), Branch(weight: 1, next: "quality")]),
        "price": Line(say: ["Too expensive.", "Your price is high.", "Can you do better?"], expect: "ask", choices: [
            Choice(text: "What matters most to you?", stage: "ask", next: "close"),
            Choice(text: "OK, ten percent off.", next: "close"),
        ]),
        "quality": Line(say: ["Is it any good?"], expect: "ask", choices: [
            Choice(text: "What matters most to you?", stage: "ask", next: "close"),
            Choice(text: "It is the best.", next: "close"),
        ]),
        "close": Line(say: ["Well..."], expect: "close", choices: [
            Choice(text: "Shall I send the contract today?", stage: "close", next: "luck"),
            Choice(text: "Think about it.", next: "no"),
        ]),
        "luck": Random(branches: [Branch(weight: 1, next: "yes"), Branch(weight: 1, next: "no")]),
        "yes": End(outcome: Success, label: "Deal", say: ["Send it.", "Deal."]),
        "no": End(outcome: Failure, label: "No deal"),
    },
)"#;

fn lib() -> Library {
    library(&[("scripts/s.ron", SCRIPT), ("closer/r.ron", SCENARIO)])
}

#[test]
fn the_same_seed_replays_the_same_call() {
    let lib = lib();
    let p = Arc::clone(lib.scenario("closer/r").expect("playable"));
    for seed in 0..50 {
        let a = Dialogue::new(Arc::clone(&p), seed, Mode::Practice, "Bob");
        let b = Dialogue::new(Arc::clone(&p), seed, Mode::Practice, "Bob");
        assert_eq!((a.node(), a.customer_line()), (b.node(), b.customer_line()));
    }
}

#[test]
fn random_branches_follow_their_weights() {
    let lib = lib();
    let p = Arc::clone(lib.scenario("closer/r").expect("playable"));
    let price = (0..3000).filter(|&seed| Dialogue::new(Arc::clone(&p), seed, Mode::Exam, "B").node() == 1).count();
    // weight 2 of 3: expect about 2000
    assert!((1850..2150).contains(&price), "price drawn {price} times of 3000");
    let lines: std::collections::BTreeSet<String> = (0..200)
        .map(|seed| Dialogue::new(Arc::clone(&p), seed, Mode::Exam, "B"))
        .filter(|d| d.node() == 1)
        .filter_map(|d| d.customer_line().map(|l| l.into_owned()))
        .collect();
    assert_eq!(lines.len(), 3, "every variant of `say` is drawn: {lines:?}");
}

#[test]
fn the_outcome_is_reported_beside_the_score_never_in_it() {
    let lib = lib();
    let mut outcomes = std::collections::BTreeSet::new();
    for seed in 0..40 {
        let d = run(&lib, "closer/r", seed, Mode::Practice, "Bob", choose(&[0, 0])).expect("fits");
        let s = score(&d);
        assert_eq!(s.score, 100);
        assert!(s.passed);
        outcomes.insert(format!("{:?}", s.outcome));
    }
    assert_eq!(outcomes.len(), 2, "a perfect script can still lose the customer");
    let _ = Outcome::Success;
}

#[test]
fn runs_that_do_not_fit_are_clear_errors() {
    let lib = lib();
    let too_few = run(&lib, "closer/r", 1, Mode::Practice, "Bob", choose(&[0])).expect_err("too few");
    assert!(matches!(too_few, RunError::TooFewInputs { given: 1, ref node } if node == "close"), "{too_few}");
    let too_many = run(&lib, "closer/r", 1, Mode::Practice, "Bob", choose(&[0, 1, 0])).expect_err("too many");
    assert!(matches!(too_many, RunError::TooManyInputs { used: 2, given: 3 }), "{too_many}");
    let range = run(&lib, "closer/r", 1, Mode::Practice, "Bob", choose(&[5])).expect_err("range");
    assert!(
        matches!(
            range,
            RunError::Input { index: 0, error: InputError::ChoiceOutOfRange { index: 5, count: 2, .. }, .. }
        ),
        "{range}"
    );
    assert!(range.to_string().contains("out of range"), "{range}");
    let typed_in_exam =
        run(&lib, "closer/r", 1, Mode::Exam, "Bob", typed(&["What matters most to you?"])).expect_err("type");
    assert!(
        matches!(typed_in_exam, RunError::Input { error: InputError::TypeInChoiceMode { .. }, .. }),
        "{typed_in_exam}"
    );
    let after_hang_up =
        run(&lib, "closer/r", 1, Mode::Practice, "Bob", vec![Input::HangUp, Input::Choose(0)]).expect_err("after");
    assert!(matches!(after_hang_up, RunError::TooManyInputs { used: 1, given: 2 }), "{after_hang_up}");
}

#[test]
fn a_run_of_a_changed_scenario_says_so() {
    let lib = lib();
    let p = lib.scenario("closer/r").expect("playable");
    let mut d = Dialogue::new(Arc::clone(p), 9, Mode::Practice, "Bob");
    d.choose(0).expect("fits");
    d.choose(0).expect("fits");
    let mut run = d.to_run();
    assert_eq!(run.version, Some(3));
    assert!(callforge::domain::replay(p, &run, false).is_ok());
    run.hash = Some("0".repeat(64));
    let e = callforge::domain::replay(p, &run, false).expect_err("changed");
    assert!(matches!(e, RunError::Changed { .. }), "{e}");
    assert!(callforge::domain::replay(p, &run, true).is_ok(), "allowed on request");
    run.version = Some(2);
    assert!(e.to_string().contains("changed"), "{e}");
    assert!(callforge::domain::replay(p, &run, false).is_err());
}

#[test]
fn a_recorded_run_replays_to_the_same_score() {
    let lib = lib();
    let p = lib.scenario("closer/r").expect("playable");
    let mut d = Dialogue::new(Arc::clone(p), 77, Mode::Recall, "Ann");
    d.type_reply("What matters to you most?").expect("fits");
    d.type_reply("Shall I send the contract?").expect("fits");
    let again = callforge::domain::replay(p, &d.to_run(), false).expect("replays");
    assert_eq!(score(&d), score(&again));
    let text = callforge::domain::model::run_to_ron(&d.to_run()).expect("serialises");
    let parsed: callforge::domain::Run = callforge::domain::parse::ron_options().from_str(&text).expect("parses");
    assert_eq!(parsed, d.to_run());
}
