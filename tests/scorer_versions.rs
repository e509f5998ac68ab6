//! Scorer versions on the shipped library: version 1 frozen, version 2 as a trainer hears it, the lost-call rule, receipts.

use crate::support::bundled;
use callforge::domain::model::{Input, Mode, Node, Run};
use callforge::domain::{Dialogue, Playable, replay, score};
use std::sync::Arc;

/// Plays a scenario by the script (the expected stage's reply, or in Recall the stage's line typed
/// through `typed`), except at a line where `pick` chooses another reply. Returns the run.
fn play(
    p: &Arc<Playable>,
    mode: Mode,
    scorer: u32,
    typed: &dyn Fn(&str, &str) -> String,
    pick: &dyn Fn(&Node) -> Option<usize>,
) -> Run {
    let mut d = Dialogue::with_scorer(Arc::clone(p), 1, mode, "Alex", scorer);
    for _ in 0..100 {
        if d.is_over() {
            break;
        }
        let node = p.node(d.node());
        let Node::Line { choices, expect, .. } = node else { break };
        let input = if let Some(i) = pick(node) {
            Input::Choose(i)
        } else if d.expects_typing() {
            let stage = d.expected_stage().expect("a stage");
            Input::Type(typed(&stage.id, &d.text(&stage.line)))
        } else {
            let right = expect.as_ref().and_then(|e| choices.iter().position(|c| c.stage.as_ref() == Some(e)));
            let safe = choices.iter().position(|c| !c.marked_wrong()).unwrap_or(0);
            Input::Choose(right.unwrap_or(safe))
        };
        d.apply(&input).expect("input fits");
    }
    d.to_run()
}

fn scenario(id: &str) -> Arc<Playable> {
    Arc::clone(bundled().scenario(id).unwrap_or_else(|| panic!("no scenario {id}")))
}

fn as_typed(_: &str, line: &str) -> String {
    line.to_owned()
}

/// The liar: greet correctly, then answer "where did you get my number" with an invented
/// colleague. Version 1 passed it 100/100; version 2 fails it on the author's critical mark.
#[test]
fn a_liar_no_longer_passes() {
    let p = scenario("generator/irritated-director-ru");
    let lie = |n: &Node| match n {
        Node::Line { choices, .. } => choices.iter().position(|c| c.critical.is_some()),
        _ => None,
    };
    for (scorer, passes) in [(1, true), (2, false)] {
        let run = play(&p, Mode::Exam, scorer, &as_typed, &lie);
        let s = score(&replay(&p, &run, false).expect("replays"));
        assert_eq!(s.scorer, scorer);
        assert_eq!(s.passed, passes, "scorer {scorer}: {} {:?}", s.score, s.critical);
        if scorer == 2 {
            assert!(s.critical.iter().any(|c| c.contains("неправда")), "{:?}", s.critical);
            assert!(s.critical.iter().any(|c| c.contains("Звонок потерян")), "{:?}", s.critical);
        }
    }
}

/// Saying the forbidden promise in the negative is the right answer, not a critical error.
#[test]
fn a_correct_negation_is_not_a_forbidden_phrase() {
    let p = scenario("closer/warm-lead-price");
    let price = |stage: &str, line: &str| {
        if stage == "price" {
            format!("{line} We don't guarantee the lowest price, but the total is lower.")
        } else {
            line.to_owned()
        }
    };
    let reached_price = |run: &Run| {
        let s = score(&replay(&p, run, false).expect("replays"));
        (s.turns.iter().any(|t| t.expected.as_deref() == Some("price")), s)
    };
    let (reached, v1) = reached_price(&play(&p, Mode::Recall, 1, &price, &|_| None));
    assert!(reached, "the call reaches the price stage");
    assert!(!v1.passed && v1.critical.iter().any(|c| c.contains("guarantee")), "version 1: {:?}", v1.critical);
    let (_, v2) = reached_price(&play(&p, Mode::Recall, 2, &price, &|_| None));
    assert!(v2.critical.is_empty() && v2.forbidden.is_empty(), "version 2: {:?} {:?}", v2.critical, v2.forbidden);
    assert!(v2.passed, "version 2: {}", v2.score);
}

/// Every shipped scenario played by the script in Recall with the script's own lines scores 100
/// under both versions, and the run records the version it was played under.
#[test]
fn word_perfect_recall_scores_100_under_both_versions() {
    let lib = bundled();
    for p in lib.playable() {
        for scorer in [1, 2] {
            let run = play(p, Mode::Recall, scorer, &as_typed, &|_| None);
            assert_eq!(run.scorer, (scorer != 1).then_some(scorer), "{}", p.id());
            let s = score(&replay(p, &run, false).expect("replays"));
            assert_eq!((s.score, s.passed), (100, true), "{} scorer {scorer}: {:?}", p.id(), s.critical);
        }
    }
}

/// Reformulations a trainer accepts, typed in Recall on a real scenario: version 2 passes the call,
/// version 1 does not.
#[test]
fn reworded_lines_pass_under_version_2() {
    let p = scenario("generator/already-have-supplier-ru");
    let reworded = |stage: &str, line: &str| match stage {
        "greeting" => "Добрый день! Компания «Северный ветер», меня зовут Alex.".to_owned(),
        "reason" => "Мы помогаем офисам экономить до 20% на канцелярии и привозим заказ на следующий день.".to_owned(),
        _ => line.to_owned(),
    };
    let run = play(&p, Mode::Recall, 2, &reworded, &|_| None);
    let v2 = score(&replay(&p, &run, false).expect("replays"));
    assert!(v2.passed, "version 2: {} {:?}", v2.score, v2.turns.iter().map(|t| t.q).collect::<Vec<_>>());
    let mut v1_run = run.clone();
    v1_run.scorer = None;
    let v1 = score(&replay(&p, &v1_run, true).expect("replays"));
    assert!(v1.score < v2.score, "version 1 {} < version 2 {}", v1.score, v2.score);
}

/// A run names an unknown scorer version: refused, with the versions this callforge knows.
#[test]
fn an_unknown_scorer_version_is_refused() {
    let p = scenario("generator/busy-office-manager");
    let mut run = play(&p, Mode::Practice, 2, &as_typed, &|_| None);
    run.scorer = Some(9);
    let e = replay(&p, &run, false).expect_err("unknown version");
    assert!(e.to_string().contains("scorer version 9"), "{e}");
}

/// The receipt: every score names its scorer, the content hash and the callforge version.
#[test]
fn every_score_carries_its_receipt() {
    let p = scenario("closer/warm-lead-price");
    let s = score(&replay(&p, &play(&p, Mode::Exam, 2, &as_typed, &|_| None), false).expect("replays"));
    assert_eq!(s.scorer, 2);
    assert_eq!(s.hash, p.hash());
    assert_eq!(s.callforge, env!("CARGO_PKG_VERSION"));
    let json = serde_json::to_value(&s).expect("json");
    for key in ["scorer", "hash", "callforge", "version"] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
}
